-- The day's work on a request: who handles it, the domestic authority executing an
-- incoming request, the counterpart's acknowledgement, the clock stopped while waiting
-- for the requesting side, and the office's reminder schedule.

ALTER TABLE requests ADD COLUMN assignee_id INTEGER REFERENCES users (id);
ALTER TABLE requests ADD COLUMN acknowledged_on TEXT;
-- reminders logged so far and the date of the last one: the schedule's step reached
ALTER TABLE requests ADD COLUMN reminder_step INTEGER NOT NULL DEFAULT 0;
ALTER TABLE requests ADD COLUMN last_reminder_on TEXT;
-- the date the schedule's next step falls due (outgoing open requests with a due date
-- and a step left); kept by the data layer after every write of the request
ALTER TABLE requests ADD COLUMN next_reminder_on TEXT;

-- "My work" and the workload read a person's open requests
CREATE INDEX requests_by_assignee ON requests (assignee_id, due_on) WHERE assignee_id IS NOT NULL;
-- the registry's "reminder due"
CREATE INDEX requests_by_next_reminder ON requests (next_reminder_on) WHERE next_reminder_on IS NOT NULL;

-- the domestic authority an incoming request was sent to for execution
CREATE TABLE executions (
  request_id INTEGER PRIMARY KEY REFERENCES requests (id),
  authority  TEXT NOT NULL,
  sent_on    TEXT NOT NULL,
  due_on     TEXT,
  updated_at TEXT NOT NULL
);
CREATE INDEX executions_by_due ON executions (due_on) WHERE due_on IS NOT NULL;

-- periods a request waited for supplementary information from the requesting side;
-- at most one is open (resumed_on NULL) and they do not overlap
CREATE TABLE clock_stops (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  request_id INTEGER NOT NULL REFERENCES requests (id),
  stopped_on TEXT NOT NULL,
  reason     TEXT NOT NULL,
  resumed_on TEXT
);
CREATE INDEX clock_stops_by_request ON clock_stops (request_id, stopped_on);
CREATE UNIQUE INDEX clock_stops_one_open ON clock_stops (request_id) WHERE resumed_on IS NULL;

-- the office's reminder schedule: step 1 falls due `after_days` after the answer's due
-- date, each later step `after_days` after the reminder before it
CREATE TABLE reminder_steps (
  step       INTEGER PRIMARY KEY CHECK (step >= 1),
  after_days INTEGER NOT NULL CHECK (after_days BETWEEN 0 AND 365),
  action     TEXT NOT NULL
);
INSERT INTO reminder_steps (step, after_days, action) VALUES
  (1, 0, 'First reminder'),
  (2, 30, 'Second reminder'),
  (3, 30, 'Escalation through the diplomatic channel');

-- reminders logged before the schedule existed count as steps taken
UPDATE requests SET
  reminder_step = (SELECT COUNT(*) FROM request_events e WHERE e.request_id = requests.id AND e.kind = 'reminder'),
  last_reminder_on = (SELECT MAX(e.on_date) FROM request_events e WHERE e.request_id = requests.id AND e.kind = 'reminder')
WHERE id IN (SELECT request_id FROM request_events WHERE kind = 'reminder');
UPDATE requests SET next_reminder_on = (
  SELECT date(COALESCE(requests.last_reminder_on, requests.due_on), '+' || s.after_days || ' days')
  FROM reminder_steps s WHERE s.step = requests.reminder_step + 1)
WHERE direction = 'outgoing' AND status IN ('sent', 'received', 'in_progress') AND due_on IS NOT NULL;

-- running totals of the two other clocks (see 0004_tally.sql): measure 'n' holds, for
-- answered requests whose clock was stopped, +1 at the days to answer excluding stopped
-- time and -1 at the calendar days (added to tally_days they give the histogram without
-- stopped time); measure 'k' the days to acknowledge of acknowledged requests
CREATE TABLE tally_spans (
  dim        TEXT NOT NULL,
  val        TEXT NOT NULL,
  country    TEXT NOT NULL,
  month      TEXT NOT NULL,
  direction  TEXT NOT NULL,
  measure    TEXT NOT NULL,
  days       INTEGER NOT NULL,
  n          INTEGER NOT NULL,
  PRIMARY KEY (dim, val, country, month, direction, measure, days)
) WITHOUT ROWID;
