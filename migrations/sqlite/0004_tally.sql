-- Running totals behind the dashboards, so that a view reads a few thousand summary rows
-- instead of every request. Kept up to date by the data-access layer in the same
-- transaction as every write to `requests` (app/src/db/tally.rs); `rogatory tally
-- --rebuild` recomputes them from the requests.
--
-- Each request (drafts aside) is counted once under every "dimension" of tally_dims: the
-- whole set (''), and by its kind, its offence and its legal basis, so that a dashboard
-- filtered on one of them reads only the matching rows.
CREATE TABLE tally_dims (dim TEXT PRIMARY KEY);
INSERT INTO tally_dims (dim) VALUES (''), ('kind'), ('offence'), ('basis');

-- counts by start month, direction, country, status; for open requests the month they
-- fall due (for the overdue split), for refused ones the ground
CREATE TABLE tally (
  dim        TEXT NOT NULL,
  val        TEXT NOT NULL,
  month      TEXT NOT NULL,
  direction  TEXT NOT NULL,
  country    TEXT NOT NULL,
  status     TEXT NOT NULL,
  due_month  TEXT NOT NULL,
  ground     TEXT NOT NULL,
  n          INTEGER NOT NULL,
  PRIMARY KEY (dim, val, month, direction, country, status, due_month, ground)
) WITHOUT ROWID;

-- answered requests by days to answer (and the month of the answer); country '' holds
-- every country together
CREATE TABLE tally_days (
  dim            TEXT NOT NULL,
  val            TEXT NOT NULL,
  country        TEXT NOT NULL,
  month          TEXT NOT NULL,
  direction      TEXT NOT NULL,
  answered_month TEXT NOT NULL,
  days           INTEGER NOT NULL,
  n              INTEGER NOT NULL,
  PRIMARY KEY (dim, val, country, month, direction, answered_month, days)
) WITHOUT ROWID;

-- the dashboards' overdue split for requests falling due this month
CREATE INDEX requests_open_due_on ON requests (due_on) WHERE status IN ('sent', 'received', 'in_progress');
