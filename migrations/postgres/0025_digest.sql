-- The daily e-mail digest: where each person's goes and in which language, and the
-- digests sent, one per person and day.

ALTER TABLE users ADD COLUMN email TEXT COLLATE "C";
ALTER TABLE users ADD COLUMN language TEXT COLLATE "C" NOT NULL DEFAULT 'en';

-- a person's digest for a day is claimed (inserted) before it is sent, so two
-- instances or a restart never send it twice; a failed send removes the claim
CREATE TABLE digests (
  user_id    BIGINT NOT NULL REFERENCES users (id),
  day        TEXT COLLATE "C" NOT NULL,
  claimed_at BIGINT NOT NULL,
  -- the items the digest listed (0 while sending)
  items      BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, day)
);
