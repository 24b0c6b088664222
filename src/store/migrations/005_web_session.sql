-- Browser sessions for the commissioners' dashboard and the operators' queue board: an API
-- token is exchanged once for an HttpOnly cookie. Only the cookie's SHA-256 is kept (as for
-- API tokens), with the SHA-256 of the token it came from, so rotating or removing that token
-- in CRADLE_CONFIG ends its sessions at once.
CREATE TABLE web_session (
  id_sha256 text PRIMARY KEY,
  token_sha256 text NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX web_session_expiry ON web_session (expires_at);
