-- What the registry's text search looks in: the reference, the other side's reference and
-- the summary, lowercased by the application (SQLite's LOWER knows only ASCII letters, so
-- "иванов" did not find "Иванов"). Filled for existing rows at start-up.
ALTER TABLE requests ADD COLUMN search_text TEXT;
