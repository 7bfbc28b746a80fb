-- Who saw or changed which personal record, when and from where (Decree 13/2023/ND-CP).
-- A list or search writes one row naming every record it returned, not one row per record,
-- so the log grows with requests rather than with rows shown.

CREATE TABLE audit_log (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at             timestamptz NOT NULL DEFAULT now(),
  actor_user_id  bigint,
  actor_username text,
  actor_role     text,
  action         text NOT NULL,               -- read, list, search, create, update, reveal, sign_in, sign_in_failed, sign_out, export
  record_type    text,                        -- resident, household, organisation, fact, neighbourhood, user
  record_ids     bigint[] NOT NULL DEFAULT '{}',
  unit_codes     text[] NOT NULL DEFAULT '{}',
  fields         text[] NOT NULL DEFAULT '{}',
  ip             text,
  user_agent     text,
  detail         jsonb
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_user_id, id DESC);
-- "Who saw resident 123?" is the question auditors ask most.
CREATE INDEX audit_log_records_idx ON audit_log USING gin (record_ids);

-- Append-only even for the application's own database role: no update, delete or truncate.
CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'P0001';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();
