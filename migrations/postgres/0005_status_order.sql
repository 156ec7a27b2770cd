-- The registry filtered by one status and sorted by start or due date ("refused, newest
-- first", "sent, by due date"): the pages walk these in order, whatever the statuses' ages.
CREATE INDEX requests_by_status_start ON requests (status, COALESCE(start_date, ''), id);
CREATE INDEX requests_by_status_due ON requests (status, COALESCE(due_on, ''), id);
