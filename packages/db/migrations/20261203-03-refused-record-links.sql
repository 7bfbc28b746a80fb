-- An official found that a learning account is not the person of a registry record and removed
-- the link (record-accounts.service.ts). The account may not take that record again by a phone
-- or a typed ID: the same phone would link it back at the next sign-in. Proof from the identity
-- provider still links it; an official can confirm a link afresh after seeing papers.
CREATE TABLE refused_record_links (
  province_code  text NOT NULL,
  resident_id    bigint NOT NULL,
  user_id        bigint NOT NULL REFERENCES users(id),
  refused_by     bigint REFERENCES users(id),
  reason         text NOT NULL,
  refused_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (province_code, resident_id, user_id)
);
