-- Persons a request concerns (the accused whose extradition is sought, a witness, a
-- convicted person to transfer), linked to requests with a role. name_key holds every
-- spelling's words folded (domain::names), which a search by any spelling reads.
CREATE TABLE persons (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  name         TEXT NOT NULL,
  other_names  TEXT NOT NULL DEFAULT '',
  name_key     TEXT NOT NULL,
  birth        TEXT,
  citizenship  TEXT NOT NULL DEFAULT '',
  documents    TEXT,
  notes        TEXT,
  version      BIGINT NOT NULL DEFAULT 1,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL
);
CREATE TABLE request_persons (
  request_id BIGINT NOT NULL REFERENCES requests (id),
  person_id  BIGINT NOT NULL REFERENCES persons (id),
  role       TEXT NOT NULL,
  PRIMARY KEY (request_id, person_id)
);
CREATE INDEX request_persons_by_person ON request_persons (person_id, request_id);
