CREATE TABLE IF NOT EXISTS agencies (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('kementerian', 'lembaga', 'pemprov', 'pemkab', 'pemkot', 'bumn')),
    parent TEXT REFERENCES agencies (code),
    region TEXT,
    timezone TEXT NOT NULL CHECK (timezone IN ('WIB', 'WITA', 'WIT')),
    name_lower TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS agencies_type_code ON agencies (type, code);
CREATE INDEX IF NOT EXISTS agencies_region ON agencies (region);
CREATE TABLE IF NOT EXISTS units (
    code TEXT PRIMARY KEY,
    agency TEXT NOT NULL REFERENCES agencies (code),
    name TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS units_agency ON units (agency, code);
-- lapor: seed agencies
