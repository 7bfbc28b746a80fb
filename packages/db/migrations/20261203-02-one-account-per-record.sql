-- One account per registry record (issue 7): the sign-in code checked for a holder before
-- linking, but two accounts linking the same record at the same moment could both pass that
-- check. The database now refuses a second holder.
-- Any pair made that way before this migration keeps its strongest link (an official's, then an
-- identity provider's, then a phone, then a typed ID; the oldest account among equals). The
-- others let go of the record and keep their account: their certificates are released, so they
-- bring their facts to the record the account links next, and each is logged. (Skills facts
-- they stated on the record stay: withdrawing them moves the figures, which only the server's
-- IndicatorChange does; an official can remove them from the record's history.)
CREATE TEMP TABLE demoted_holders ON COMMIT DROP AS
SELECT id, province_code, resident_id FROM (
  SELECT id, province_code, resident_id, row_number() OVER (
    PARTITION BY province_code, resident_id
    ORDER BY CASE coalesce(resident_link, 'official') WHEN 'official' THEN 0 WHEN 'oidc' THEN 1 WHEN 'phone' THEN 2 ELSE 3 END, id
  ) AS rank
  FROM users WHERE resident_id IS NOT NULL
) ranked WHERE rank > 1;
UPDATE users u SET resident_id = NULL, resident_link = NULL FROM demoted_holders d WHERE u.id = d.id;
UPDATE certificates c SET resident_id = NULL FROM demoted_holders d WHERE c.user_id = d.id;
INSERT INTO audit_log (actor_username, action, record_type, record_ids, unit_codes, fields, detail)
SELECT 'migration 20261203-02', 'link_removed', 'resident', ARRAY[d.resident_id], coalesce(ARRAY[r.unit_code], '{}'), ARRAY['resident_id'],
       jsonb_build_object('account', d.id, 'reason', 'a second account held the same record')
FROM demoted_holders d
LEFT JOIN residents r ON r.province_code = d.province_code AND r.id = d.resident_id;
DROP INDEX users_resident_idx;
CREATE UNIQUE INDEX users_resident_idx ON users (province_code, resident_id) WHERE resident_id IS NOT NULL;
