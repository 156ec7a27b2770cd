-- A registry page of one country, by start or due date, walks that country's requests
-- in the date's order and stops after one page. Like the indexes of migration 0009,
-- these carry the columns of the list's filters, so the requests the walk passes over
-- are judged from the index alone. Before, the page walked every country's requests in
-- that order, or read all of the country's matches and sorted them: at a million
-- requests, "incoming, Georgia, overdue, corruption, by start date" 53 ms, now 4 ms.
-- About 110 MB each at a million requests, built in about 3 seconds.
CREATE INDEX requests_by_country_start ON requests (country, COALESCE(start_date, ''), id, direction, status, kind, offence, legal_basis, start_date, due_on);
CREATE INDEX requests_by_country_due ON requests (country, COALESCE(due_on, ''), id, direction, status, kind, offence, legal_basis, start_date, due_on);
