-- Measures taken on assets under a request (domain reference, "Assets"): what was frozen,
-- seized, confiscated, repatriated or shared, how much (in cents of its currency), when.
CREATE TABLE asset_measures (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  request_id   BIGINT NOT NULL REFERENCES requests (id),
  stage        TEXT NOT NULL,
  amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
  currency     TEXT NOT NULL CHECK (length(currency) = 3),
  taken_on     TEXT NOT NULL,
  note         TEXT,
  created_at   TEXT NOT NULL
);
CREATE INDEX asset_measures_by_request ON asset_measures (request_id, id);
CREATE INDEX asset_measures_by_day ON asset_measures (taken_on);
