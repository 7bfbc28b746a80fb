-- How an account came to hold its registry record. A phone that exactly one record holds, or a
-- citizen ID and birth date typed in, shows a record is probably one's own, but numbers are
-- reused by operators and ID photocopies carry both: such accounts learn and see their elements,
-- while revealing the full citizen ID or phone needs a link an identity provider vouched for
-- ('oidc') or an official made ('official'). NULL with a record: made before this column, by an official.
ALTER TABLE users ADD COLUMN resident_link text CHECK (resident_link IN ('oidc', 'phone', 'typed', 'official'));
UPDATE users SET resident_link = 'official' WHERE resident_id IS NOT NULL;

-- A certificate names its learner as the account did when it was issued: verified when the
-- account held its record by a strong link, otherwise a name the learner gave or a record they
-- only probably are. The public check says which.
ALTER TABLE certificates ADD COLUMN name_verified boolean NOT NULL DEFAULT false;
