-- SMART Backend Services: access tokens issued against signed client assertions (stored as
-- SHA-256 only), and the assertion ids already used, so an assertion cannot be replayed.
CREATE TABLE access_token (
  token_sha256 text PRIMARY KEY,
  client_id text NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX access_token_expiry ON access_token (expires_at);

CREATE TABLE client_assertion_jti (
  jti text NOT NULL,
  client_id text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (client_id, jti)
);
