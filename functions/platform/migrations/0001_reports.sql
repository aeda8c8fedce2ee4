CREATE TABLE IF NOT EXISTS reports (
    id INTEGER PRIMARY KEY,
    tracking_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('pengaduan', 'aspirasi', 'permintaan_informasi')),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    category TEXT,
    agency TEXT,
    unit TEXT,
    region TEXT,
    lat REAL,
    lon REAL,
    address TEXT,
    incident_date TEXT,
    privacy TEXT NOT NULL CHECK (privacy IN ('public', 'anonymous', 'confidential')),
    -- Set only while privacy is 'public'; the one identity field public code may read.
    public_reporter_name TEXT CHECK (public_reporter_name IS NULL OR privacy = 'public'),
    status TEXT NOT NULL CHECK (status IN ('submitted', 'on_hold', 'dispatched', 'responded', 'completed', 'archived')),
    archive_reason TEXT,
    duplicate_of TEXT,
    channel TEXT NOT NULL,
    reporter_token_hash TEXT NOT NULL,
    -- Idempotency: the key's hash (UNIQUE: a retry can never insert twice),
    -- the request's fingerprint, and the salt of the derived reporter token.
    idempotency_key_hash TEXT UNIQUE,
    request_hash TEXT,
    token_salt TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    verification_due TEXT,
    response_due TEXT,
    completion_due TEXT,
    version INTEGER NOT NULL DEFAULT 1
);
-- Public listing: newest first, filtered by status, agency, category, region.
CREATE INDEX IF NOT EXISTS reports_public_newest ON reports (privacy, created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS reports_status_created ON reports (status, created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS reports_agency_status ON reports (agency, status, created_at DESC);
CREATE INDEX IF NOT EXISTS reports_category_created ON reports (category, created_at DESC);
CREATE INDEX IF NOT EXISTS reports_region_created ON reports (region, created_at DESC);
-- The SLA sweep: open reports by their next deadline.
CREATE INDEX IF NOT EXISTS reports_status_verification_due ON reports (status, verification_due);
CREATE INDEX IF NOT EXISTS reports_status_response_due ON reports (status, response_due);
CREATE INDEX IF NOT EXISTS reports_status_completion_due ON reports (status, completion_due);
CREATE TABLE IF NOT EXISTS reporters (
    report_id INTEGER PRIMARY KEY REFERENCES reports (id),
    name TEXT,
    phone TEXT,
    email TEXT
);
CREATE INDEX IF NOT EXISTS reporters_phone ON reporters (phone);
CREATE TABLE IF NOT EXISTS report_events (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports (id),
    at TEXT NOT NULL,
    type TEXT NOT NULL,
    actor_role TEXT NOT NULL,
    actor_id TEXT,
    visibility TEXT NOT NULL CHECK (visibility IN ('public', 'participants', 'staff')),
    text TEXT,
    data TEXT
);
CREATE INDEX IF NOT EXISTS report_events_report ON report_events (report_id, id);
CREATE TABLE IF NOT EXISTS attachments (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    report_id INTEGER NOT NULL REFERENCES reports (id),
    kind TEXT NOT NULL CHECK (kind IN ('jpeg', 'png', 'pdf')),
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS attachments_report ON attachments (report_id, id);
