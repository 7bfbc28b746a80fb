-- Users, their areas, and sessions. Reference-sized: on Citus these stay on the coordinator.

CREATE TABLE users (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username          text NOT NULL,
  password_hash     text NOT NULL,           -- argon2id
  role              text NOT NULL CHECK (role IN ('city_admin','analyst','unit_official','team_leader','volunteer','sponsor','citizen','auditor')),
  display_name      text NOT NULL,
  province_code     text NOT NULL REFERENCES provinces(code),  -- the city the account works for
  resident_id       bigint,                  -- a citizen's own registry record (same province)
  failed_logins     integer NOT NULL DEFAULT 0,
  locked_until      timestamptz,
  disabled          boolean NOT NULL DEFAULT false,
  created_at        timestamptz NOT NULL DEFAULT now()
);
-- Usernames are compared case-insensitively at sign-in.
CREATE UNIQUE INDEX users_username_idx ON users (lower(username));

-- The commune-level units a unit official (or team leader) works in.
CREATE TABLE user_units (
  user_id    bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  unit_code  text NOT NULL REFERENCES units(code),
  PRIMARY KEY (user_id, unit_code)
);

-- Sessions are looked up by the SHA-256 of the cookie value, so a database dump holds no usable token.
CREATE TABLE sessions (
  token_hash    text PRIMARY KEY,
  user_id       bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  ip            text,
  user_agent    text
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
