-- Reserved: version 8 belongs to a migration being written on another
-- branch. This empty placeholder keeps the versions one by one until that
-- migration merges and takes its place.
-- A statement that does nothing (a migration holds at least one).
DROP INDEX IF EXISTS reserved_0008_placeholder;
