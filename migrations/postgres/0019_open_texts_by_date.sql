-- A common term among the open requests (open, overdue, in time) by start or due date:
-- the open requests' indexes by those dates, again, carrying the search text (first
-- among the columns they carry: the one read for every entry), so that the count and the
-- first page walk the open requests alone, in the index, rather than every request
-- (`list::plan::SetAsideWay::OpenTextsByDate`). At a million requests "2025", open, by
-- start date, newest first, passes the 110,000 open requests of 2026 before its first
-- match: in the indexes of every request's text it passed 300,000 entries. The longer
-- texts (over 2,000 bytes) are read beside them through the indexes of those
-- (migration 0013).
CREATE INDEX requests_open_text_by_start ON requests (COALESCE(start_date, ''), id)
    INCLUDE (search_text, status, due_on, direction, country, kind, offence, legal_basis, start_date)
    WHERE status IN ('sent', 'received', 'in_progress') AND octet_length(search_text) <= 2000;
CREATE INDEX requests_open_text_by_due ON requests (COALESCE(due_on, ''), id)
    INCLUDE (search_text, status, due_on, direction, country, kind, offence, legal_basis, start_date)
    WHERE status IN ('sent', 'received', 'in_progress') AND octet_length(search_text) <= 2000;
