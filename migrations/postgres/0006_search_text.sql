-- What the registry's text search looks in: the reference, the other side's reference and
-- the summary, lowercased by the application (as on SQLite). Filled for existing rows at
-- start-up.
ALTER TABLE requests ADD COLUMN search_text TEXT COLLATE "C";
