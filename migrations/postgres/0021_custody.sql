-- Custody of persons a request concerns, the time limits of the legal bases, and country
-- profiles whose limits override them for one country's requests. Limits are whole days.
ALTER TABLE legal_bases ADD COLUMN arrest_days BIGINT;
ALTER TABLE legal_bases ADD COLUMN surrender_days BIGINT;
-- European Convention on Extradition art. 16 (provisional arrest: release possible after
-- 18 days, at most 40) and art. 18 (surrender: 15 days from the date fixed); Minsk
-- Convention art. 62 (40 days, as amended in 1997) and art. 67 (15 days).
UPDATE legal_bases SET arrest_days = 18, surrender_days = 15 WHERE code = 'european_extradition_1957';
UPDATE legal_bases SET arrest_days = 40, surrender_days = 15 WHERE code = 'minsk_1993';

CREATE TABLE country_profiles (
  country           TEXT COLLATE "C" PRIMARY KEY CHECK (length(country) = 2),
  treaties          TEXT COLLATE "C" NOT NULL DEFAULT '',
  central_authority TEXT COLLATE "C",
  contacts          TEXT COLLATE "C",
  languages         TEXT COLLATE "C",
  arrest_days       BIGINT,
  surrender_days    BIGINT,
  notes             TEXT COLLATE "C",
  version           BIGINT NOT NULL DEFAULT 1,
  updated_at        TEXT COLLATE "C" NOT NULL
);

CREATE TABLE custody (
  request_id     BIGINT NOT NULL,
  person_id      BIGINT NOT NULL,
  kind           TEXT COLLATE "C" NOT NULL,
  arrested_on    TEXT COLLATE "C" NOT NULL,
  decided_on     TEXT COLLATE "C",
  released_on    TEXT COLLATE "C",
  surrendered_on TEXT COLLATE "C",
  notes          TEXT COLLATE "C",
  version        BIGINT NOT NULL DEFAULT 1,
  updated_at     TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (request_id, person_id),
  FOREIGN KEY (request_id, person_id) REFERENCES request_persons (request_id, person_id)
);
-- the custody page reads the persons still held
CREATE INDEX custody_held ON custody (request_id, person_id) WHERE released_on IS NULL AND surrendered_on IS NULL;

-- a persons file's row finds the person kept with the same name and birth
CREATE INDEX persons_by_name ON persons (name, birth);
