-- Staff console sessions (see lapor_domain::session). The cookie holds a
-- random id; only its hash is stored. `token_hash` is the staff token the
-- session was opened with: every request checks that token is still valid,
-- so revoking it (or its account) ends its sessions at once. `flash` is the
-- one-time message of the next page (post/redirect/get), e.g. a new
-- account's token, cleared when shown.
CREATE TABLE IF NOT EXISTS staff_sessions (
    id INTEGER PRIMARY KEY,
    session_hash TEXT NOT NULL UNIQUE,
    staff_id TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT,
    csrf_secret TEXT NOT NULL,
    flash TEXT
);
CREATE INDEX IF NOT EXISTS staff_sessions_token ON staff_sessions (token_hash);
