-- The requests whose search text is not yet filled in (rows written before migration
-- 0006): the server looks for them at every start. Without this index that look was a
-- pass over the whole table: 9 to 70 s at a million requests before the server listened.
-- Every request written since has its text, so the index stays empty.
CREATE INDEX requests_missing_search_text ON requests (id) WHERE search_text IS NULL;
