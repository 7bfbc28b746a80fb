-- Imports that keep their speed as the registry grows, and one sign of life per batch (issue 3).

-- Look-alikes of a row are living people of the same folded name and birth year in the row's
-- unit. The index stopped at the birth year, so every chunk fetched each namesake of the city
-- (thousands for a common name and year at 14 million people) to keep the few in one unit, and
-- imports slowed as the table grew. With the unit in the key the lookup reads only those few; the
-- province-wide lookups (a row without a unit, the duplicates view) still use its leading columns.
DROP INDEX residents_name_birth_idx;
CREATE INDEX residents_name_birth_idx ON residents (province_code, name_folded, birth_year, unit_code) WHERE status = 'living';

-- A residence list names each household by its code in the unit; an import finds the household a
-- row joins by that code. Without an index that scanned every household of the unit per chunk.
CREATE INDEX households_code_idx ON households (province_code, unit_code, household_code) WHERE household_code IS NOT NULL;

-- heartbeat_at (renewed before every chunk, 20261202-02) already says when a batch last moved;
-- active_at (set when a chunk committed, 20261202-03) said the same a moment later, and a
-- rollback checked both. The later of the two is kept in heartbeat_at, which every batch now has.
UPDATE import_batches SET heartbeat_at = active_at WHERE heartbeat_at IS NULL OR heartbeat_at < active_at;
ALTER TABLE import_batches DROP COLUMN active_at;
ALTER TABLE import_batches ALTER COLUMN heartbeat_at SET DEFAULT now();
ALTER TABLE import_batches ALTER COLUMN heartbeat_at SET NOT NULL;
