-- A trigram index of the registry's search text, so that a rare term is found without
-- reading every request: pg_trgm's GIN index serves `search_text LIKE '%term%'` (terms of
-- three or more characters); the planner chooses it by the term's frequency. pg_trgm
-- ships with PostgreSQL (Debian's postgresql package) and is a trusted extension: the
-- database's owner may create it (see docs/operations.md).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX requests_search_trigrams ON requests USING gin (search_text gin_trgm_ops);
