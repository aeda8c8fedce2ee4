-- Open311 GeoReport v2 (functions/open311). Partner apps' API keys: issued
-- by administrators (POST /api/v1/open311/keys), shown once, kept only as
-- their SHA-256 (as staff tokens are). `name` is a slug that becomes the
-- channel `open311:<name>` of every report the app files; a revoked key is
-- kept (its name stays taken, so a channel never changes owner).
CREATE TABLE IF NOT EXISTS open311_keys (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    key_hash TEXT NOT NULL UNIQUE,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
-- A request's `media_url` (a link the partner app sent, checked as an
-- http(s) URL), given back by GET requests; it is also the body's last line.
ALTER TABLE reports ADD COLUMN media_url TEXT;
