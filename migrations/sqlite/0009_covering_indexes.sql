-- The indexes a registry page walks in its sort order, and those that find one value of
-- a filter, carry the columns of the list's filters: the rows a walk or a filter's index
-- passes over are judged from the index alone, and only the rows that pass are read
-- from the table (for a text search, or for the page itself). At a million requests,
-- "incoming, Armenia, refused, fraud, by start date" went from 200 ms (130,000 rows read
-- to find 30) to 16 ms. About 70 MB each at a million requests.
DROP INDEX requests_by_start;
DROP INDEX requests_by_due;
DROP INDEX requests_by_country;
DROP INDEX requests_by_status;
DROP INDEX requests_by_kind;
DROP INDEX requests_by_offence;
DROP INDEX requests_by_direction;
DROP INDEX requests_by_status_start;
DROP INDEX requests_by_status_due;
CREATE INDEX requests_by_start ON requests (COALESCE(start_date, ''), id, direction, country, status, kind, offence, legal_basis, start_date, due_on);
CREATE INDEX requests_by_due ON requests (COALESCE(due_on, ''), id, direction, country, status, kind, offence, legal_basis, start_date, due_on);
CREATE INDEX requests_by_country ON requests (country, id, direction, status, kind, offence, legal_basis, start_date, due_on);
CREATE INDEX requests_by_status ON requests (status, id, direction, country, kind, offence, legal_basis, start_date, due_on);
CREATE INDEX requests_by_kind ON requests (kind, id, direction, country, status, offence, legal_basis, start_date, due_on);
CREATE INDEX requests_by_offence ON requests (offence, id, direction, country, status, kind, legal_basis, start_date, due_on);
CREATE INDEX requests_by_direction ON requests (direction, id, country, status, kind, offence, legal_basis, start_date, due_on);
CREATE INDEX requests_by_status_start ON requests (status, COALESCE(start_date, ''), id, direction, country, kind, offence, legal_basis, start_date, due_on);
CREATE INDEX requests_by_status_due ON requests (status, COALESCE(due_on, ''), id, direction, country, kind, offence, legal_basis, start_date, due_on);
