-- The web origins allowed to frame an agency's embedded report form
-- (lapor_domain::embed). No row for an agency: any website may embed it.
CREATE TABLE IF NOT EXISTS embed_origins (
    agency TEXT NOT NULL REFERENCES agencies (code),
    origin TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    PRIMARY KEY (agency, origin)
) WITHOUT ROWID;
