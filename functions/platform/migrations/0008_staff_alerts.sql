-- Staff alerts (SLA reminders and escalations, addressed to a staff
-- audience) were kept in a table named `outbox`, beside
-- `notification_outbox` (what followers are told, delivered by `notify`).
-- They are different things: nothing sends a staff alert, staff read them.
-- The table's name now says so (see platform/src/staff_alerts.rs). Copied
-- rather than renamed, so that running the steps again changes nothing.
CREATE TABLE IF NOT EXISTS staff_alerts (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports (id),
    event_type TEXT NOT NULL,
    audience TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'dead')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT
);
CREATE INDEX IF NOT EXISTS staff_alerts_report ON staff_alerts (report_id, id);
-- lapor: while-column outbox.audience
INSERT OR IGNORE INTO staff_alerts (id, report_id, event_type, audience, payload, created_at, state, attempts, next_attempt_at)
    SELECT id, report_id, event_type, audience, payload, created_at, state, attempts, next_attempt_at FROM outbox;
DROP TABLE IF EXISTS outbox;
