-- Imports of any size with a progress percentage, run by exactly one server (issue 3).

-- Data records the file holds, estimated before the first is read (CSV: its lines below the
-- header; XLSX: the sheet's dimension), so the web and the CLI can show a percentage and the time
-- left. NULL when the file does not say (a workbook written without a dimension).
ALTER TABLE import_batches ADD COLUMN total_records integer;

-- Which process runs a batch, and when it last showed it was alive. Several servers resume
-- "running" batches at start and on a timer; a batch is taken by one of them with
-- UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED), and a claim whose heartbeat is older
-- than a few minutes is abandoned (its process died) and may be taken again.
-- claimed_by is "host/pid/random": a process on the same host can also tell that the claimant's
-- pid is gone and take the batch at once instead of waiting for the heartbeat to age.
ALTER TABLE import_batches ADD COLUMN claimed_by text;
ALTER TABLE import_batches ADD COLUMN heartbeat_at timestamptz;

-- The resume sweep looks only at running batches; they are few, the table grows forever.
CREATE INDEX import_batches_running_idx ON import_batches (heartbeat_at) WHERE status = 'running';
