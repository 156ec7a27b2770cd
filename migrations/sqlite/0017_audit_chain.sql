-- A tamper-evident audit trail: each entry written from here on carries its place in
-- the chain (seq, 1, 2, 3 ... without gaps) and a SHA-256 over its content and the
-- previous entry's hash (db::audit::entry_hash), so that an entry changed or removed
-- behind the application's back breaks the chain at that entry (`rogatory check`).
-- audit_chain holds the chain's end; writers of entries take it in turn. Entries written
-- before this migration are not in the chain.
ALTER TABLE audit_log ADD COLUMN seq INTEGER;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
CREATE UNIQUE INDEX audit_by_seq ON audit_log (seq);
CREATE TABLE audit_chain (
  id        INTEGER PRIMARY KEY CHECK (id = 1),
  last_seq  INTEGER NOT NULL,
  last_hash TEXT NOT NULL
);
INSERT INTO audit_chain (id, last_seq, last_hash) VALUES (1, 0, '');
