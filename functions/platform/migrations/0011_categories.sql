-- The category taxonomy (lapor_domain::category): topics (no parent) and
-- their sub-topics, seeded from infra/seed/categories.tsv. Rows are never
-- deleted: `retired_at` closes a category to new reports while the reports
-- that carry it keep a valid code. `position` keeps the seed's order
-- (topics, each followed by its sub-topics); categories added later go last.
CREATE TABLE IF NOT EXISTS categories (
    code TEXT PRIMARY KEY,
    parent TEXT REFERENCES categories (code),
    name_id TEXT NOT NULL,
    name_en TEXT NOT NULL,
    position INTEGER NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    retired_at TEXT
);
CREATE INDEX IF NOT EXISTS categories_parent ON categories (parent, position);
-- lapor: seed categories
