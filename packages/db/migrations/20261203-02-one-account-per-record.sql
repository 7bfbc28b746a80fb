-- One account per registry record (issue 7): the sign-in code checked for a holder before
-- linking, but two accounts linking the same record at the same moment could both pass that
-- check. The database now refuses a second holder.
-- Any pair made that way before this migration keeps its strongest link (an official's, then an
-- identity provider's, then a phone, then a typed ID; the oldest account among equals); the
-- others let go of the record and keep their account, and can link again.
WITH ranked AS (
  SELECT id, row_number() OVER (
    PARTITION BY province_code, resident_id
    ORDER BY CASE coalesce(resident_link, 'official') WHEN 'official' THEN 0 WHEN 'oidc' THEN 1 WHEN 'phone' THEN 2 ELSE 3 END, id
  ) AS rank
  FROM users WHERE resident_id IS NOT NULL
)
UPDATE users u SET resident_id = NULL, resident_link = NULL FROM ranked r WHERE u.id = r.id AND r.rank > 1;
DROP INDEX users_resident_idx;
CREATE UNIQUE INDEX users_resident_idx ON users (province_code, resident_id) WHERE resident_id IS NOT NULL;
