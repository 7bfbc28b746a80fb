-- Imports of the lists that offices hold. Every data record of a file ends in exactly one state
-- (applied, review, rejected, skipped) in import_rows; rejected and review rows keep their cells so
-- a person can fix or decide them later.

CREATE TABLE import_batches (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  province_code    text NOT NULL REFERENCES provinces(code),
  source_type      text NOT NULL,
  file_name        text NOT NULL,
  -- The same bytes imported again are recognised, so a second import changes nothing.
  file_sha256      text NOT NULL,
  format           text NOT NULL CHECK (format IN ('csv', 'xlsx')),
  encoding         text,
  legacy_encoding  text,
  sheet_name       text,
  header_row       integer NOT NULL,
  headers          jsonb NOT NULL,            -- the header cells as read
  mapping          jsonb NOT NULL,            -- column index → field, as applied
  upload_id        text,                      -- the stored file, kept until the import completes
  default_unit     text REFERENCES units(code),
  status           text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'failed')),
  -- Records up to here are committed with their outcome: a killed import resumes after it.
  last_record      integer NOT NULL DEFAULT 0,
  applied          integer NOT NULL DEFAULT 0,
  review           integer NOT NULL DEFAULT 0,
  rejected         integer NOT NULL DEFAULT 0,
  skipped          integer NOT NULL DEFAULT 0,
  error            text,
  created_by       bigint REFERENCES users(id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  finished_at      timestamptz
);
-- One completed import per file and source in a province; a running one can be resumed.
CREATE UNIQUE INDEX import_batches_file_idx ON import_batches (province_code, source_type, file_sha256);

CREATE TABLE import_rows (
  province_code  text NOT NULL,
  batch_id       bigint NOT NULL REFERENCES import_batches(id),
  record         integer NOT NULL,            -- data records counted from 1 after the header
  status         text NOT NULL CHECK (status IN ('applied', 'review', 'rejected', 'skipped')),
  reasons        text[] NOT NULL DEFAULT '{}',
  -- The cells as read; kept only while a person may still need them (review, rejected).
  cells          jsonb,
  resident_id    bigint,
  unit_code      text,
  candidates     bigint[] NOT NULL DEFAULT '{}',  -- residents a review row may be
  resolved_by    bigint REFERENCES users(id),
  resolved_at    timestamptz,
  PRIMARY KEY (batch_id, record)
);
-- The review queue and the quarantine of a unit.
CREATE INDEX import_rows_open_idx ON import_rows (unit_code, status) WHERE status IN ('review', 'rejected');

-- Column mappings a person fixed in the preview and saved for the next file of the same kind.
CREATE TABLE import_mappings (
  province_code  text NOT NULL REFERENCES provinces(code),
  source_type    text NOT NULL,
  name           text NOT NULL,
  mapping        jsonb NOT NULL,              -- header text (folded) → field or null
  created_by     bigint REFERENCES users(id),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (province_code, source_type, name)
);

-- Matching a row without a citizen ID looks for living people of the same folded name and birth
-- year anywhere in the province (an old address may name another unit). Without this index each
-- chunk of an import scanned every resident, and imports slowed as the registry grew.
CREATE INDEX residents_name_birth_idx ON residents (province_code, name_folded, birth_year) WHERE status = 'living';
