-- A version number per start month ('s2026-11') and per due month ('d2026-11') of the
-- requests, raised in the same transaction as every change to the running totals of
-- requests starting (or falling due) in that month. A server keeps the totals it has read,
-- month by month (app/src/db/totals_cache.rs), and reads again only the months whose
-- version changed since, so that a dashboard costs the same at a million requests as at
-- ten thousand; several servers on one database see each other's changes through it.
CREATE TABLE tally_versions (
  key TEXT PRIMARY KEY,
  v   INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO tally_versions (key, v) SELECT DISTINCT 's' || month, 1 FROM tally WHERE true
  ON CONFLICT (key) DO NOTHING;
INSERT INTO tally_versions (key, v)
  SELECT DISTINCT 'd' || COALESCE(SUBSTR(due_on, 1, 7), ''), 1 FROM requests WHERE status <> 'draft'
  ON CONFLICT (key) DO NOTHING;
