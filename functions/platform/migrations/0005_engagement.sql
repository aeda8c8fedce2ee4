-- Engagement identities: tokens as hashes; a phone only once proved by SMS code.
CREATE TABLE IF NOT EXISTS citizens (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    phone TEXT,
    phone_verified_at TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS citizen_codes (
    citizen_id INTEGER PRIMARY KEY REFERENCES citizens (id),
    phone TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    tries_left INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
-- A reporter token is an identity too: find its report by hash.
CREATE INDEX IF NOT EXISTS reports_reporter_token ON reports (reporter_token_hash);
-- One support per identity per report; the count on the report
-- row changes in the same transaction, so it is always exact.
CREATE TABLE IF NOT EXISTS supports (
    report_id INTEGER NOT NULL REFERENCES reports (id),
    identity TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (report_id, identity)
) WITHOUT ROWID;
ALTER TABLE reports ADD COLUMN support_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reports ADD COLUMN comment_count INTEGER NOT NULL DEFAULT 0;
CREATE TABLE IF NOT EXISTS comments (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    report_id INTEGER NOT NULL REFERENCES reports (id),
    identity TEXT NOT NULL,
    display_name TEXT,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'visible' CHECK (state IN ('visible', 'hidden_by_flags', 'hidden_by_staff')),
    -- Flags since staff last reviewed it (a restore starts again at 0).
    open_flags INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS comments_report_visible ON comments (report_id, id) WHERE state = 'visible';
CREATE INDEX IF NOT EXISTS comments_hidden ON comments (state, id) WHERE state <> 'visible';
CREATE TABLE IF NOT EXISTS comment_flags (
    comment_id INTEGER NOT NULL REFERENCES comments (id),
    identity TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (comment_id, identity)
) WITHOUT ROWID;
-- The audit trail of moderation: never updated, never deleted.
CREATE TABLE IF NOT EXISTS comment_moderation (
    id INTEGER PRIMARY KEY,
    comment_id INTEGER NOT NULL REFERENCES comments (id),
    at TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('hidden_by_flags', 'hidden', 'restored')),
    actor TEXT NOT NULL,
    reason TEXT
);
CREATE INDEX IF NOT EXISTS comment_moderation_comment ON comment_moderation (comment_id, id);
-- Followers and where to tell them. `secret` signs webhook deliveries.
-- Unique per identity: whether someone else follows an address
-- is never observable. AUTOINCREMENT: ids are never reused, so
-- an old outbox row can never pick up another follower's secret.
CREATE TABLE IF NOT EXISTS follows (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id INTEGER NOT NULL REFERENCES reports (id),
    identity TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('sms', 'whatsapp', 'email', 'webhook')),
    address TEXT NOT NULL,
    secret TEXT,
    is_reporter INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    UNIQUE (report_id, identity, channel, address)
);
CREATE INDEX IF NOT EXISTS follows_identity ON follows (identity, report_id);
CREATE INDEX IF NOT EXISTS supports_identity ON supports (identity);
CREATE INDEX IF NOT EXISTS comments_identity ON comments (identity);
-- What we owe followers (one row per event and follower) and
-- one-off messages (sign-in codes), delivered by the `notify`
-- component with retries. The v4 `outbox` keeps staff alerts.
CREATE TABLE IF NOT EXISTS notification_outbox (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('event', 'sign_in_code')),
    report_id INTEGER REFERENCES reports (id),
    event_id INTEGER REFERENCES report_events (id),
    -- No foreign key: an unfollow deletes its pending rows but
    -- keeps the sent ones as the record of what went out.
    follow_id INTEGER,
    channel TEXT NOT NULL CHECK (channel IN ('sms', 'whatsapp', 'email', 'webhook')),
    address TEXT NOT NULL,
    payload TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'dead')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error TEXT,
    sent_at TEXT,
    provider_ref TEXT,
    created_at TEXT NOT NULL
);
-- At most one notification per (event, follower), whatever retries.
CREATE UNIQUE INDEX IF NOT EXISTS notification_outbox_event_follow ON notification_outbox (event_id, follow_id) WHERE follow_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS notification_outbox_due ON notification_outbox (next_attempt_at) WHERE state = 'pending';
CREATE INDEX IF NOT EXISTS notification_outbox_dead ON notification_outbox (id) WHERE state = 'dead';
CREATE INDEX IF NOT EXISTS notification_outbox_follow ON notification_outbox (follow_id) WHERE follow_id IS NOT NULL;
