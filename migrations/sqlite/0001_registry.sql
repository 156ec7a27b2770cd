-- Rogatory schema, SQLite. Dates are ISO-8601 text (YYYY-MM-DD), timestamps RFC 3339 UTC.

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
INSERT INTO settings (key, value) VALUES ('answer_period_days', '90');

-- Reference data an admin can extend; these are the presets of the domain reference.
CREATE TABLE legal_bases (
  code     TEXT PRIMARY KEY,
  label    TEXT NOT NULL,
  position INTEGER NOT NULL DEFAULT 0
);
INSERT INTO legal_bases (code, label, position) VALUES
  ('minsk_1993', 'CIS Convention on Legal Assistance (Minsk, 1993)', 1),
  ('chisinau_2002', 'CIS Convention on Legal Assistance (Chisinau, 2002)', 2),
  ('european_mla_1959', 'European Convention on Mutual Assistance in Criminal Matters (1959)', 3),
  ('european_extradition_1957', 'European Convention on Extradition (1957)', 4),
  ('untoc_2000', 'UN Convention against Transnational Organized Crime (2000)', 5),
  ('uncac_2003', 'UN Convention against Corruption (2003)', 6),
  ('drugs_1988', 'UN Convention against Illicit Traffic in Narcotic Drugs (1988)', 7),
  ('budapest_2001', 'Convention on Cybercrime (Budapest, 2001)', 8),
  ('bilateral', 'Bilateral treaty', 9),
  ('reciprocity', 'Reciprocity', 10),
  ('other', 'Other', 11);

CREATE TABLE cases (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  number     TEXT NOT NULL UNIQUE,
  title      TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE requests (
  id                    INTEGER PRIMARY KEY AUTOINCREMENT,
  reference             TEXT NOT NULL UNIQUE,
  their_reference       TEXT,
  direction             TEXT NOT NULL CHECK (direction IN ('outgoing', 'incoming')),
  country               TEXT NOT NULL CHECK (length(country) = 2),
  counterpart_authority TEXT,
  kind                  TEXT NOT NULL,
  legal_basis           TEXT NOT NULL REFERENCES legal_bases (code),
  legal_basis_note      TEXT,
  offence               TEXT NOT NULL,
  case_id               INTEGER REFERENCES cases (id),
  summary               TEXT,
  urgent                INTEGER NOT NULL DEFAULT 0,
  start_date            TEXT,
  due_on                TEXT,
  status                TEXT NOT NULL,
  answered_on           TEXT,
  refusal_ground        TEXT,
  refusal_note          TEXT,
  version               INTEGER NOT NULL DEFAULT 1,
  created_at            TEXT NOT NULL,
  updated_at            TEXT NOT NULL
);
-- keyset pagination: every sortable column with the id as tie-breaker
CREATE INDEX requests_by_start ON requests (COALESCE(start_date, ''), id);
CREATE INDEX requests_by_due ON requests (COALESCE(due_on, ''), id);
CREATE INDEX requests_by_answered ON requests (COALESCE(answered_on, ''), id);
CREATE INDEX requests_by_country ON requests (country, id);
CREATE INDEX requests_by_status ON requests (status, id);
CREATE INDEX requests_by_kind ON requests (kind, id);
CREATE INDEX requests_by_offence ON requests (offence, id);
CREATE INDEX requests_by_direction ON requests (direction, id);
CREATE INDEX requests_by_case ON requests (case_id, id);
CREATE INDEX requests_open_due ON requests (status, due_on);

-- The timeline: every status change, reminder, creation and edit of a request.
CREATE TABLE request_events (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  request_id  INTEGER NOT NULL REFERENCES requests (id),
  kind        TEXT NOT NULL,
  from_status TEXT,
  to_status   TEXT,
  on_date     TEXT,
  note        TEXT,
  user_name   TEXT,
  created_at  TEXT NOT NULL
);
CREATE INDEX request_events_by_request ON request_events (request_id, id);
