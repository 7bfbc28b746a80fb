-- Rolling back an import batch (issue 3): the registry looks as if the batch had never been
-- applied, while the history stays honest. The batch's facts are withdrawn by appending
-- retraction facts; the people, households and organisations that only the batch knew of are
-- removed; fields it overwrote on records that existed before are put back; its rows stay.

-- Which import batch stated a fact. Rollback finds a batch's facts by it instead of parsing
-- source_ref (a file name is free text). No foreign key: under Citus, facts are distributed by
-- province and import_batches stays on the coordinator.
ALTER TABLE facts ADD COLUMN import_batch_id bigint;
-- A retraction withdraws the fact it corrects without stating a new value: the value before the
-- withdrawn fact stands again. It repeats the withdrawn value so the history reads on its own.
ALTER TABLE facts ADD COLUMN retracts boolean NOT NULL DEFAULT false;
ALTER TABLE facts ADD CONSTRAINT facts_retraction_names_fact CHECK (NOT retracts OR corrects_fact_id IS NOT NULL);
-- A batch's facts, for its rollback.
CREATE INDEX facts_import_batch_idx ON facts (province_code, import_batch_id) WHERE import_batch_id IS NOT NULL;

-- Facts recorded before this migration name their batch only in source_ref ("… (lần nhập #12),
-- dòng 3", written by apply-chunk.ts); copy it into the column. The append-only trigger is
-- suspended for this one statement, inside the migration's transaction.
ALTER TABLE facts DISABLE TRIGGER facts_append_only;
UPDATE facts SET import_batch_id = substring(source_ref FROM '\(lần nhập #([0-9]+)\), dòng [0-9]+$')::bigint
WHERE source_kind = 'import' AND source_ref ~ '\(lần nhập #[0-9]+\), dòng [0-9]+$';
ALTER TABLE facts ENABLE TRIGGER facts_append_only;

-- Facts stay append-only, with one narrow exception: the rollback of a batch removes the
-- residents that only imports knew of, and a resident cannot go while facts name it. So a DELETE
-- (never an UPDATE) passes for facts of the batches that the rolling-back transaction lists in
-- its transaction-local setting cds.rollback_import_batches (set_config(…, true), comma-separated):
-- the batch being rolled back and batches already rolled back whose withdrawn facts name the same
-- residents (import-rollback.service.ts). Any other session, statement or fact is still refused.
CREATE OR REPLACE FUNCTION facts_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND OLD.import_batch_id IS NOT NULL
     AND OLD.import_batch_id = ANY(string_to_array(current_setting('cds.rollback_import_batches', true), ',')::bigint[]) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'facts are append-only: record a correcting fact instead' USING ERRCODE = 'P0001';
END $$;

-- A rolled-back batch keeps its row and its import_rows for the record.
ALTER TABLE import_batches DROP CONSTRAINT import_batches_status_check;
ALTER TABLE import_batches ADD CONSTRAINT import_batches_status_check CHECK (status IN ('running', 'completed', 'failed', 'rolled_back'));
ALTER TABLE import_batches ADD COLUMN rolled_back_at timestamptz;
ALTER TABLE import_batches ADD COLUMN rolled_back_by bigint REFERENCES users(id);
-- When the batch last committed a chunk (or was created): a batch still "running" that moved
-- within the last minutes may be running in another process (a `cds import`), and is not rolled
-- back under it.
ALTER TABLE import_batches ADD COLUMN active_at timestamptz NOT NULL DEFAULT now();
-- The same file is recognised as already imported only while its import stands: after a rollback
-- it may be imported again, as a new batch.
DROP INDEX import_batches_file_idx;
CREATE UNIQUE INDEX import_batches_file_idx ON import_batches (province_code, source_type, file_sha256) WHERE status <> 'rolled_back';

-- What a row did beyond stating facts, so its rollback can undo exactly that:
-- created_record: the row created the resident (or organisation) it applied to;
-- created_household_id: the household it created for that resident;
-- organisation_id: the organisation an organisation-list row applied to;
-- undo: fields it overwrote on a record that existed before, with the values before and after,
--   e.g. {"table":"households","id":5,"before":{"poverty_status":"none","poverty_list_year":null},"after":{…}}.
ALTER TABLE import_rows ADD COLUMN created_record boolean NOT NULL DEFAULT false;
ALTER TABLE import_rows ADD COLUMN created_household_id bigint;
ALTER TABLE import_rows ADD COLUMN organisation_id bigint;
ALTER TABLE import_rows ADD COLUMN undo jsonb;
-- Rollback keeps a created resident or organisation that a standing row of another import names:
-- that check probes import_rows by subject for every record the batch created.
CREATE INDEX import_rows_resident_idx ON import_rows (resident_id) WHERE resident_id IS NOT NULL;
CREATE INDEX import_rows_organisation_idx ON import_rows (organisation_id) WHERE organisation_id IS NOT NULL;
