CREATE TABLE IF NOT EXISTS staff (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('admin', 'coordinator', 'officer', 'executive')),
    name TEXT NOT NULL,
    agency TEXT REFERENCES agencies (code),
    unit TEXT REFERENCES units (code),
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    revoked_at TEXT,
    CHECK ((role = 'admin') = (agency IS NULL))
);
CREATE INDEX IF NOT EXISTS staff_agency ON staff (agency);
-- Tokens are stored as hashes only; each has an expiry.
CREATE TABLE IF NOT EXISTS staff_tokens (
    token_hash TEXT PRIMARY KEY,
    staff_id INTEGER NOT NULL REFERENCES staff (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX IF NOT EXISTS staff_tokens_staff ON staff_tokens (staff_id);
-- Every time an administrator reads a reporter's identity.
CREATE TABLE IF NOT EXISTS identity_reads (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports (id),
    staff_id TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ratings (
    report_id INTEGER PRIMARY KEY REFERENCES reports (id),
    score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    comment TEXT,
    at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS reports_status_created_asc ON reports (status, created_at, id);
CREATE INDEX IF NOT EXISTS reports_agency_unit_status ON reports (agency, unit, status);
