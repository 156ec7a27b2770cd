-- Documents behind a request or a case. A file's bytes are kept in chunks
-- (document_chunks), written in the transaction that adds the document, so that a backup,
-- several server instances and both backends keep them like any other row; sha256 is the
-- file's digest, which `rogatory check` verifies.
CREATE TABLE documents (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  request_id     BIGINT REFERENCES requests (id),
  case_id        BIGINT REFERENCES cases (id),
  kind           TEXT NOT NULL,
  flow           TEXT NOT NULL,
  language       TEXT,
  on_date        TEXT,
  our_number     TEXT,
  translation_of BIGINT REFERENCES documents (id),
  file_name      TEXT NOT NULL,
  media_type     TEXT NOT NULL,
  size           BIGINT NOT NULL,
  sha256         TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  created_by     TEXT,
  CHECK ((request_id IS NULL) <> (case_id IS NULL))
);
CREATE INDEX documents_of_request ON documents (request_id) WHERE request_id IS NOT NULL;
CREATE INDEX documents_of_case ON documents (case_id) WHERE case_id IS NOT NULL;
CREATE TABLE document_chunks (
  document_id BIGINT NOT NULL REFERENCES documents (id),
  seq         BIGINT NOT NULL,
  data        BLOB NOT NULL,
  PRIMARY KEY (document_id, seq)
);
