-- The text of a document (PDF, DOCX, ODT, plain text, e-mail), lowercased, extracted on
-- upload for the registry's search (at most a mebibyte of it).
CREATE TABLE document_texts (
  document_id BIGINT PRIMARY KEY REFERENCES documents (id),
  text        TEXT NOT NULL
);
-- The languages each country accepts, as ISO 639-1 codes: read from the words of
-- country_profiles.languages when a profile is saved and at start-up.
CREATE TABLE country_languages (
  country  TEXT NOT NULL,
  language TEXT NOT NULL,
  PRIMARY KEY (country, language)
);
-- "Translation missing": the documents a request sent, by language.
CREATE INDEX documents_sent_by_language ON documents (request_id, flow, language) WHERE request_id IS NOT NULL;
