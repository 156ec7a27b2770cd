-- A trigram index of the registry's search text (`requests.search_text`), so that a rare
-- term is found without reading every request. FTS5's trigram tokenizer, case-sensitive
-- (the text and the terms are lowercased by the application), without positions
-- (`detail=none`, a third of the size): a search asks the index for the requests holding
-- every trigram of its term, then checks those with LIKE on `search_text`, so the matches
-- are exactly those of LIKE alone. The index holds no copy of the text
-- (`content='requests'`); triggers keep it in step.
CREATE VIRTUAL TABLE request_search USING fts5(
    search_text,
    content = 'requests',
    content_rowid = 'id',
    tokenize = 'trigram case_sensitive 1',
    detail = 'none'
);
INSERT INTO request_search (request_search) VALUES ('rebuild');

CREATE TRIGGER request_search_insert AFTER INSERT ON requests BEGIN
    INSERT INTO request_search (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER request_search_delete AFTER DELETE ON requests BEGIN
    INSERT INTO request_search (request_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER request_search_update AFTER UPDATE OF search_text ON requests BEGIN
    INSERT INTO request_search (request_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO request_search (rowid, search_text) VALUES (new.id, new.search_text);
END;
