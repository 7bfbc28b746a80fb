-- Every sign-in sweeps expired sessions (DELETE … WHERE expires_at < now()); residents signing in
-- by the thousand during the campaign make the table large enough that the sweep needs an index.
CREATE INDEX sessions_expires_idx ON sessions (expires_at);
