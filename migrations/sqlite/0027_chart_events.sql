-- Events an administrator marks on the time charts: a day, a title, the countries it
-- concerns (codes separated by spaces; empty for every country).
CREATE TABLE chart_events (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  on_date    TEXT NOT NULL,
  title      TEXT NOT NULL,
  countries  TEXT NOT NULL DEFAULT '',
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX chart_events_by_day ON chart_events (on_date);
