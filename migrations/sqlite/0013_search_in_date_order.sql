-- The search's trigram index (migration 0008), twice over: once in the order of the
-- start date, once in that of the due date. Each index's row number (its rowid) is the
-- request's date as a number (2025-06-01: 20250601; none: 0) times 2^32, plus the
-- request's id: so the requests holding a term come out of the index in the list's
-- order (`COALESCE(date, ''), id`), and a page of a common term's matches by date is the
-- index's next few rows. Before, such a page walked the dates' index past every request
-- not holding the term: at a million requests, "2025" newest first passed the 316,000
-- requests started in 2026 (0.3 s). A rare term's matches are still all set aside through
-- the index (its ids: the row number's low 32 bits).
--
-- The texts stay in `requests`; each index reads them through a view giving its row
-- numbers (for `rebuild` and `integrity-check`), and triggers keep it in step. Neither
-- keeps the texts' sizes (`columnsize = 0`: they serve only ranking, which the search
-- does not do).
DROP TRIGGER request_search_insert;
DROP TRIGGER request_search_delete;
DROP TRIGGER request_search_update;
DROP TABLE request_search;

CREATE VIEW request_search_start_keys AS
    SELECT (CAST(replace(COALESCE(start_date, ''), '-', '') AS INTEGER) << 32) | id AS k, search_text FROM requests;
CREATE VIEW request_search_due_keys AS
    SELECT (CAST(replace(COALESCE(due_on, ''), '-', '') AS INTEGER) << 32) | id AS k, search_text FROM requests;

CREATE VIRTUAL TABLE request_search_by_start USING fts5(
    search_text,
    content = 'request_search_start_keys',
    content_rowid = 'k',
    tokenize = 'trigram case_sensitive 1',
    detail = 'none',
    columnsize = 0
);
CREATE VIRTUAL TABLE request_search_by_due USING fts5(
    search_text,
    content = 'request_search_due_keys',
    content_rowid = 'k',
    tokenize = 'trigram case_sensitive 1',
    detail = 'none',
    columnsize = 0
);
INSERT INTO request_search_by_start (request_search_by_start) VALUES ('rebuild');
INSERT INTO request_search_by_due (request_search_by_due) VALUES ('rebuild');

CREATE TRIGGER request_search_insert AFTER INSERT ON requests BEGIN
    INSERT INTO request_search_by_start (rowid, search_text)
        VALUES ((CAST(replace(COALESCE(new.start_date, ''), '-', '') AS INTEGER) << 32) | new.id, new.search_text);
    INSERT INTO request_search_by_due (rowid, search_text)
        VALUES ((CAST(replace(COALESCE(new.due_on, ''), '-', '') AS INTEGER) << 32) | new.id, new.search_text);
END;
CREATE TRIGGER request_search_delete AFTER DELETE ON requests BEGIN
    INSERT INTO request_search_by_start (request_search_by_start, rowid, search_text)
        VALUES ('delete', (CAST(replace(COALESCE(old.start_date, ''), '-', '') AS INTEGER) << 32) | old.id, old.search_text);
    INSERT INTO request_search_by_due (request_search_by_due, rowid, search_text)
        VALUES ('delete', (CAST(replace(COALESCE(old.due_on, ''), '-', '') AS INTEGER) << 32) | old.id, old.search_text);
END;
CREATE TRIGGER request_search_update_start AFTER UPDATE OF search_text, start_date ON requests
WHEN old.search_text IS NOT new.search_text OR old.start_date IS NOT new.start_date BEGIN
    INSERT INTO request_search_by_start (request_search_by_start, rowid, search_text)
        VALUES ('delete', (CAST(replace(COALESCE(old.start_date, ''), '-', '') AS INTEGER) << 32) | old.id, old.search_text);
    INSERT INTO request_search_by_start (rowid, search_text)
        VALUES ((CAST(replace(COALESCE(new.start_date, ''), '-', '') AS INTEGER) << 32) | new.id, new.search_text);
END;
CREATE TRIGGER request_search_update_due AFTER UPDATE OF search_text, due_on ON requests
WHEN old.search_text IS NOT new.search_text OR old.due_on IS NOT new.due_on BEGIN
    INSERT INTO request_search_by_due (request_search_by_due, rowid, search_text)
        VALUES ('delete', (CAST(replace(COALESCE(old.due_on, ''), '-', '') AS INTEGER) << 32) | old.id, old.search_text);
    INSERT INTO request_search_by_due (rowid, search_text)
        VALUES ((CAST(replace(COALESCE(new.due_on, ''), '-', '') AS INTEGER) << 32) | new.id, new.search_text);
END;
