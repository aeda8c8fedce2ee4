-- Messages that arrived by SMS or WhatsApp (functions/messaging), one row
-- per provider message ID: the row is written in the same transaction as
-- whatever the message did, with the reply it got, so a provider's retry
-- (however many, however concurrent, with or without the key-value store)
-- finds the row and gets the same reply, and changes nothing. The sender is
-- kept only as its identity key (a hash), never the number.
CREATE TABLE IF NOT EXISTS inbound_messages (
    provider TEXT NOT NULL CHECK (provider IN ('twilio', 'gateway', 'whatsapp')),
    message_id TEXT NOT NULL,
    sender TEXT NOT NULL,
    command TEXT NOT NULL,
    reply TEXT NOT NULL,
    report_id INTEGER REFERENCES reports (id),
    received_at TEXT NOT NULL,
    PRIMARY KEY (provider, message_id)
);
CREATE INDEX IF NOT EXISTS inbound_messages_received ON inbound_messages (received_at);
-- Replies to WhatsApp Cloud API messages go out through the notification
-- outbox (the Cloud API takes no reply in the webhook's answer): a third
-- kind, 'reply'. SQLite cannot change a CHECK, so the table is rebuilt;
-- every step is harmless when run again.
CREATE TABLE IF NOT EXISTS notification_outbox_v12 (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('event', 'sign_in_code', 'reply')),
    report_id INTEGER REFERENCES reports (id),
    event_id INTEGER REFERENCES report_events (id),
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
INSERT OR IGNORE INTO notification_outbox_v12
        (id, kind, report_id, event_id, follow_id, channel, address, payload, state, attempts, next_attempt_at, last_error, sent_at, provider_ref, created_at)
    SELECT id, kind, report_id, event_id, follow_id, channel, address, payload, state, attempts, next_attempt_at, last_error, sent_at, provider_ref, created_at
    FROM notification_outbox;
DROP TABLE notification_outbox;
ALTER TABLE notification_outbox_v12 RENAME TO notification_outbox;
CREATE UNIQUE INDEX IF NOT EXISTS notification_outbox_event_follow ON notification_outbox (event_id, follow_id) WHERE follow_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS notification_outbox_due ON notification_outbox (next_attempt_at) WHERE state = 'pending';
CREATE INDEX IF NOT EXISTS notification_outbox_dead ON notification_outbox (id) WHERE state = 'dead';
CREATE INDEX IF NOT EXISTS notification_outbox_follow ON notification_outbox (follow_id) WHERE follow_id IS NOT NULL;
