-- The indexes a registry page walks in its sort order (and those of one status by a
-- date) carry the columns of the list's filters, so that the rows a walk passes over are
-- judged from the index alone: only the page's own rows are read from the table. At a
-- million requests, "incoming, Armenia, refused, fraud, by start date" went from 200 ms
-- (130,000 rows read to find 30) to 16 ms.
DROP INDEX requests_by_start;
DROP INDEX requests_by_due;
DROP INDEX requests_by_country;
DROP INDEX requests_by_status_start;
DROP INDEX requests_by_status_due;
CREATE INDEX requests_by_start ON requests (COALESCE(start_date, ''), id) INCLUDE (direction, country, status, kind, offence, legal_basis, start_date);
CREATE INDEX requests_by_due ON requests (COALESCE(due_on, ''), id) INCLUDE (direction, country, status, kind, offence, legal_basis, start_date);
CREATE INDEX requests_by_country ON requests (country, id) INCLUDE (direction, status, kind, offence, legal_basis, start_date);
CREATE INDEX requests_by_status_start ON requests (status, COALESCE(start_date, ''), id) INCLUDE (direction, country, kind, offence, legal_basis, start_date);
CREATE INDEX requests_by_status_due ON requests (status, COALESCE(due_on, ''), id) INCLUDE (direction, country, kind, offence, legal_basis, start_date);
