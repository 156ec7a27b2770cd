-- Named sets of countries ("EU member states", "CIS", "Baltic states") that dashboards
-- filter and compare by.
CREATE TABLE country_groups (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  name       TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);
CREATE TABLE country_group_members (
  group_id INTEGER NOT NULL REFERENCES country_groups (id) ON DELETE CASCADE,
  country  TEXT NOT NULL,
  PRIMARY KEY (group_id, country)
);
CREATE INDEX country_group_members_by_country ON country_group_members (country);
