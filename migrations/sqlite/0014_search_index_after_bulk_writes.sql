-- A bulk write (an import, the demo load) writes the search indexes' entries for the
-- requests it creates at its end, in each index's order, instead of one by one from the
-- triggers. FTS5 writes its pending entries to disk whenever a row number is lower than
-- the one before it in a transaction, and the indexes' row numbers begin with a date
-- (migration 0013): rows with dates in no particular order made a new index segment per
-- row and merges without end (at 200,000 requests, 3,000 imported rows took 34 s instead
-- of under a second).
--
-- While a bulk write runs it holds one row here, the highest request id before it; the
-- triggers leave alone the requests above that id, and the write adds their entries
-- before it commits (`requests::write_deferred_search_entries`). The row never outlives
-- its transaction, so no other connection sees it.
CREATE TABLE search_index_deferred (after_id INTEGER NOT NULL);

-- the requests' ids beside the row numbers, to select a bulk write's new requests
DROP VIEW request_search_start_keys;
DROP VIEW request_search_due_keys;
CREATE VIEW request_search_start_keys AS
    SELECT (CAST(replace(COALESCE(start_date, ''), '-', '') AS INTEGER) << 32) | id AS k, search_text, id FROM requests;
CREATE VIEW request_search_due_keys AS
    SELECT (CAST(replace(COALESCE(due_on, ''), '-', '') AS INTEGER) << 32) | id AS k, search_text, id FROM requests;

DROP TRIGGER request_search_insert;
DROP TRIGGER request_search_delete;
DROP TRIGGER request_search_update_start;
DROP TRIGGER request_search_update_due;

CREATE TRIGGER request_search_insert AFTER INSERT ON requests
WHEN NOT EXISTS (SELECT 1 FROM search_index_deferred WHERE after_id < new.id) BEGIN
    INSERT INTO request_search_by_start (rowid, search_text)
        VALUES ((CAST(replace(COALESCE(new.start_date, ''), '-', '') AS INTEGER) << 32) | new.id, new.search_text);
    INSERT INTO request_search_by_due (rowid, search_text)
        VALUES ((CAST(replace(COALESCE(new.due_on, ''), '-', '') AS INTEGER) << 32) | new.id, new.search_text);
END;
CREATE TRIGGER request_search_delete AFTER DELETE ON requests
WHEN NOT EXISTS (SELECT 1 FROM search_index_deferred WHERE after_id < old.id) BEGIN
    INSERT INTO request_search_by_start (request_search_by_start, rowid, search_text)
        VALUES ('delete', (CAST(replace(COALESCE(old.start_date, ''), '-', '') AS INTEGER) << 32) | old.id, old.search_text);
    INSERT INTO request_search_by_due (request_search_by_due, rowid, search_text)
        VALUES ('delete', (CAST(replace(COALESCE(old.due_on, ''), '-', '') AS INTEGER) << 32) | old.id, old.search_text);
END;
CREATE TRIGGER request_search_update_start AFTER UPDATE OF search_text, start_date ON requests
WHEN (old.search_text IS NOT new.search_text OR old.start_date IS NOT new.start_date)
    AND NOT EXISTS (SELECT 1 FROM search_index_deferred WHERE after_id < new.id) BEGIN
    INSERT INTO request_search_by_start (request_search_by_start, rowid, search_text)
        VALUES ('delete', (CAST(replace(COALESCE(old.start_date, ''), '-', '') AS INTEGER) << 32) | old.id, old.search_text);
    INSERT INTO request_search_by_start (rowid, search_text)
        VALUES ((CAST(replace(COALESCE(new.start_date, ''), '-', '') AS INTEGER) << 32) | new.id, new.search_text);
END;
CREATE TRIGGER request_search_update_due AFTER UPDATE OF search_text, due_on ON requests
WHEN (old.search_text IS NOT new.search_text OR old.due_on IS NOT new.due_on)
    AND NOT EXISTS (SELECT 1 FROM search_index_deferred WHERE after_id < new.id) BEGIN
    INSERT INTO request_search_by_due (request_search_by_due, rowid, search_text)
        VALUES ('delete', (CAST(replace(COALESCE(old.due_on, ''), '-', '') AS INTEGER) << 32) | old.id, old.search_text);
    INSERT INTO request_search_by_due (rowid, search_text)
        VALUES ((CAST(replace(COALESCE(new.due_on, ''), '-', '') AS INTEGER) << 32) | new.id, new.search_text);
END;
