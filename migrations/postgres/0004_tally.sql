-- Running totals behind the dashboards, so that a view reads a few thousand summary rows
-- instead of every request. Kept up to date by the data-access layer in the same
-- transaction as every write to `requests` (app/src/db/tally.rs); `rogatory tally`
-- recounts them from the requests (`rogatory tally --check` compares).
--
-- Each request (drafts aside) is counted once under every "dimension" of tally_dims: the
-- whole set (''), by its kind, its offence, its legal basis, and by each combination of
-- them (values joined by '|'), so that a dashboard filtered on any of them reads only the
-- matching rows.
CREATE TABLE tally_dims (dim TEXT PRIMARY KEY);
INSERT INTO tally_dims (dim) VALUES (''), ('kind'), ('offence'), ('basis'), ('kind+offence'), ('kind+basis'),
  ('offence+basis'), ('kind+offence+basis');

-- counts by start month, direction, country, status; for open requests the month they
-- fall due (for the overdue split)
CREATE TABLE tally (
  dim        TEXT COLLATE "C" NOT NULL,
  val        TEXT COLLATE "C" NOT NULL,
  month      TEXT COLLATE "C" NOT NULL,
  direction  TEXT COLLATE "C" NOT NULL,
  country    TEXT COLLATE "C" NOT NULL,
  status     TEXT COLLATE "C" NOT NULL,
  due_month  TEXT COLLATE "C" NOT NULL,
  n          BIGINT NOT NULL,
  PRIMARY KEY (dim, val, month, direction, country, status, due_month)
);

-- refusals by ground
CREATE TABLE tally_grounds (
  dim        TEXT COLLATE "C" NOT NULL,
  val        TEXT COLLATE "C" NOT NULL,
  month      TEXT COLLATE "C" NOT NULL,
  direction  TEXT COLLATE "C" NOT NULL,
  country    TEXT COLLATE "C" NOT NULL,
  ground     TEXT COLLATE "C" NOT NULL,
  n          BIGINT NOT NULL,
  PRIMARY KEY (dim, val, month, direction, country, ground)
);

-- answered requests by days to answer (and the month of the answer); country '' holds
-- every country together
CREATE TABLE tally_days (
  dim            TEXT COLLATE "C" NOT NULL,
  val            TEXT COLLATE "C" NOT NULL,
  country        TEXT COLLATE "C" NOT NULL,
  month          TEXT COLLATE "C" NOT NULL,
  direction      TEXT COLLATE "C" NOT NULL,
  answered_month TEXT COLLATE "C" NOT NULL,
  days           BIGINT NOT NULL,
  n              BIGINT NOT NULL,
  PRIMARY KEY (dim, val, country, month, direction, answered_month, days)
);

-- the dashboards' overdue split for open requests falling due this month: every column
-- the dashboard filters on, so the split reads this index alone
CREATE INDEX requests_open_due_on ON requests (due_on, status, direction, country, start_date, kind, offence, legal_basis, case_id)
  WHERE status IN ('sent', 'received', 'in_progress');
