-- The first index for open requests by due date (status, due_on) is served better by
-- the open requests' own indexes (migrations 0004 and 0010), and it misled SQLite's
-- planner: for a search among "incoming, Russia, refused, fraud" it chose it over the
-- covering indexes and read the 134,000 refused requests' rows to test their text
-- (180 ms; through a covering index, 15 ms).
DROP INDEX requests_open_due;
