-- Flags from identities with a proved phone since staff last
-- reviewed the comment: only these hide it (`open_flags` counts
-- every flag and brings it to the review queue).
ALTER TABLE comments ADD COLUMN proved_flags INTEGER NOT NULL DEFAULT 0;
-- The "flagged" review queue: visible comments with open flags.
CREATE INDEX IF NOT EXISTS comments_flagged ON comments (id) WHERE state = 'visible' AND open_flags > 0;
