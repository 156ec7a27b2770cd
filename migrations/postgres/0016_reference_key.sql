-- A registry number is unique whatever its letter case: "R-1/2025" and "r-1/2025" name
-- one request. reference_key holds the number in lower case (Rust's to_lowercase, for
-- every alphabet), written with the request, and is unique. Numbers of ASCII letters only
-- get their key here; the server fills the others at its start (lower() follows the
-- database's locale beyond ASCII). Of numbers stored before that differ only in letter
-- case, the oldest gets the key and the others keep none: `rogatory check` names them.
ALTER TABLE requests ADD COLUMN reference_key TEXT;
UPDATE requests SET reference_key = lower(reference)
WHERE id IN (SELECT MIN(id) FROM requests WHERE reference ~ '^[ -~]*$' GROUP BY lower(reference));
CREATE UNIQUE INDEX requests_by_reference_key ON requests (reference_key);
CREATE INDEX requests_without_reference_key ON requests (id) WHERE reference_key IS NULL;
