-- Privacy becomes two properties (see lapor_domain::privacy):
-- `visibility` (who may read the report) and `reporter_identity`
-- (who may know the reporter). The one-column `privacy` goes:
-- 'public' = public + named, 'anonymous' = public + anonymous,
-- 'confidential' = confidential + named. SQLite cannot change a
-- CHECK, so the published name moves to a column whose CHECK
-- names the new properties, and only then `privacy` is dropped.
-- lapor: while-column reports.privacy
ALTER TABLE reports ADD COLUMN visibility TEXT NOT NULL DEFAULT 'confidential' CHECK (visibility IN ('public', 'confidential'));
-- lapor: while-column reports.privacy
ALTER TABLE reports ADD COLUMN reporter_identity TEXT NOT NULL DEFAULT 'anonymous' CHECK (reporter_identity IN ('named', 'anonymous'));
-- lapor: while-column reports.privacy
UPDATE reports SET
    visibility = CASE privacy WHEN 'confidential' THEN 'confidential' ELSE 'public' END,
    reporter_identity = CASE privacy WHEN 'anonymous' THEN 'anonymous' ELSE 'named' END;
-- Set only while the report is public and named; the one identity
-- field public code may read.
-- lapor: while-column reports.privacy
ALTER TABLE reports ADD COLUMN public_name TEXT CHECK (public_name IS NULL OR (visibility = 'public' AND reporter_identity = 'named'));
-- lapor: while-column reports.privacy
UPDATE reports SET public_name = public_reporter_name;
-- lapor: while-column reports.privacy
ALTER TABLE reports DROP COLUMN public_reporter_name;
-- lapor: while-column reports.privacy
ALTER TABLE reports RENAME COLUMN public_name TO public_reporter_name;
-- lapor: while-column reports.privacy
DROP INDEX IF EXISTS reports_public_newest;
-- lapor: while-column reports.privacy
ALTER TABLE reports DROP COLUMN privacy;
CREATE INDEX IF NOT EXISTS reports_public_newest ON reports (visibility, created_at DESC, id DESC);
-- Verified by an administrator: only these are listed publicly
-- (unless `publish_unverified_reports`). Earlier reports count as
-- verified from their first dispatch.
ALTER TABLE reports ADD COLUMN verified_at TEXT;
UPDATE reports SET verified_at = (SELECT min(e.at) FROM report_events e WHERE e.report_id = reports.id AND e.type = 'dispatched')
    WHERE verified_at IS NULL;
