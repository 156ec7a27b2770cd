-- Two-step sign-in (TOTP, RFC 6238). totp_secret is set once the person has shown a code
-- from their app (totp_pending holds the secret offered until then); totp_last_step is
-- the last 30-second step whose code was accepted, so that a code is good once. Recovery
-- codes are kept as SHA-256 hashes, each good once. An administrator can require two-step
-- sign-in of every account (settings: require_second_factor).
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_pending TEXT;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT;
CREATE TABLE recovery_codes (
  user_id   BIGINT NOT NULL REFERENCES users (id),
  code_hash TEXT NOT NULL,
  used_at   BIGINT,
  PRIMARY KEY (user_id, code_hash)
);
INSERT INTO settings (key, value) VALUES ('require_second_factor', 'false');
-- what the list of one's own sessions shows: the browser
ALTER TABLE sessions ADD COLUMN user_agent TEXT;
