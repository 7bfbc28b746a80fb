-- The keyed hash of the citizen ID an identity provider proved for an account (as
-- residents.citizen_id_hash). An account proven to be one person may not link another person's
-- record by typing that person's ID and birth date (resident-accounts.ts).
ALTER TABLE users ADD COLUMN proven_citizen_id_hash text;
