-- Merging suspected duplicate residents, and marking suspected pairs as two different people.
--
-- Facts are append-only and keep the resident_id they were recorded on, so a merge never moves a
-- fact: it marks the merged record (residents.merged_into_id) and records the merge. Reads then
-- hide the merged record and show its facts on the record kept. Undoing a merge clears the mark,
-- so the merged record comes back exactly as it was, with its own facts.
--
-- A merged record never holds records merged into it (the service refuses that), so one hop from
-- merged to kept is the whole story: no chains to walk.

ALTER TABLE residents
  -- The record this one was merged into; NULL for every record that is shown. Same province, like
  -- every reference between personal rows, so Citus keeps both rows on one node.
  ADD COLUMN merged_into_id bigint,
  ADD FOREIGN KEY (province_code, merged_into_id) REFERENCES residents(province_code, id);

-- The records merged into a shown one: read for every household page and fact history, so it must
-- be an index probe. Partial: almost no resident is merged, so the index stays tiny.
CREATE INDEX residents_merged_into_idx ON residents (province_code, merged_into_id) WHERE merged_into_id IS NOT NULL;

CREATE TABLE resident_merges (
  province_code        text NOT NULL,
  id                   bigint GENERATED ALWAYS AS IDENTITY,
  -- The record that stays, and the one that disappears from lists into it.
  kept_resident_id     bigint NOT NULL,
  merged_resident_id   bigint NOT NULL,
  -- Why an official decided these are one person: an undo or an audit needs to know.
  reason               text NOT NULL,
  merged_by            bigint REFERENCES users(id),
  merged_at            timestamptz NOT NULL DEFAULT now(),
  -- Identifiers moved from the merged record to the kept one because the kept one had none, so
  -- that future imports match the kept record by them. The unique index residents_citizen_id_idx
  -- forbids two records with one citizen ID, so the merged record gives its ID up (it is NULL there
  -- while merged) and gets it back from these columns on undo. The values are the same HMAC and
  -- AES-GCM ciphertext as in residents: nothing readable is added. NULL: nothing was moved.
  moved_citizen_id_hash   text,
  moved_citizen_id_enc    text,
  moved_citizen_id_last4  text,
  moved_legacy_id_hash    text,
  moved_legacy_id_enc     text,
  -- Set when the merge was undone; the row stays as the history of the decision.
  undone_by            bigint REFERENCES users(id),
  undone_at            timestamptz,
  PRIMARY KEY (province_code, id),
  FOREIGN KEY (province_code, kept_resident_id) REFERENCES residents(province_code, id),
  FOREIGN KEY (province_code, merged_resident_id) REFERENCES residents(province_code, id),
  CHECK (kept_resident_id <> merged_resident_id),
  CHECK (undone_by IS NULL OR undone_at IS NOT NULL)
);
-- A merge is found by its id alone in URLs (POST /api/resident-merges/:id/undo).
CREATE INDEX resident_merges_id_idx ON resident_merges (id);
-- The merges into a shown record (its page lists them with an undo action).
CREATE INDEX resident_merges_kept_idx ON resident_merges (province_code, kept_resident_id) WHERE undone_at IS NULL;
-- A record is merged at most once at a time: a second concurrent merge of it fails here.
CREATE UNIQUE INDEX resident_merges_merged_idx ON resident_merges (province_code, merged_resident_id) WHERE undone_at IS NULL;

-- Pairs an official looked at and found to be two different people: the data quality view stops
-- listing them together. Kept in id order (first < second) so that one pair has one spelling.
CREATE TABLE resident_distinct_pairs (
  province_code        text NOT NULL,
  id                   bigint GENERATED ALWAYS AS IDENTITY,
  first_resident_id    bigint NOT NULL,
  second_resident_id   bigint NOT NULL,
  marked_by            bigint REFERENCES users(id),
  marked_at            timestamptz NOT NULL DEFAULT now(),
  -- Set when the mark is withdrawn; the row stays as the history of the decision.
  unmarked_by          bigint REFERENCES users(id),
  unmarked_at          timestamptz,
  PRIMARY KEY (province_code, id),
  FOREIGN KEY (province_code, first_resident_id) REFERENCES residents(province_code, id),
  FOREIGN KEY (province_code, second_resident_id) REFERENCES residents(province_code, id),
  CHECK (first_resident_id < second_resident_id)
);
-- One standing mark per pair, and the probe the duplicate query makes for each suspected pair.
CREATE UNIQUE INDEX resident_distinct_pairs_pair_idx ON resident_distinct_pairs (province_code, first_resident_id, second_resident_id) WHERE unmarked_at IS NULL;
