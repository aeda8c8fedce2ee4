CREATE TABLE IF NOT EXISTS holidays (
    date TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('holiday', 'cuti_bersama'))
);
-- lapor: seed holidays
-- The running SLA clock of a report (see lapor_domain::sla).
ALTER TABLE reports ADD COLUMN clock TEXT CHECK (clock IN ('verification', 'response', 'completion'));
ALTER TABLE reports ADD COLUMN clock_due TEXT;
ALTER TABLE reports ADD COLUMN clock_remind_at TEXT;
ALTER TABLE reports ADD COLUMN clock_reminded INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reports ADD COLUMN clock_escalated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reports ADD COLUMN held_at TEXT;
ALTER TABLE reports ADD COLUMN paused_due TEXT;
-- The agency a reporter suggested; `agency` is set only when an
-- administrator dispatches (it decides who may see a confidential report).
ALTER TABLE reports ADD COLUMN suggested_agency TEXT;
UPDATE reports SET suggested_agency = agency, agency = NULL WHERE status IN ('submitted', 'on_hold') AND suggested_agency IS NULL;
-- The sweep's work lists: only rows still owed an action are indexed.
CREATE INDEX IF NOT EXISTS reports_clock_due_open ON reports (clock, clock_due) WHERE clock_escalated = 0 AND clock_due IS NOT NULL;
CREATE INDEX IF NOT EXISTS reports_clock_remind_open ON reports (clock, clock_remind_at) WHERE clock_reminded = 0 AND clock_remind_at IS NOT NULL;
-- Notifications produced with events, delivered by the channels work.
CREATE TABLE IF NOT EXISTS outbox (
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
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (next_attempt_at) WHERE state = 'pending';
