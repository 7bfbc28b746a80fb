-- Device handovers sent from the field app (issue 6): the id the phone gave each one, so that
-- the same handover sent again (a dropped answer, a retry) answers 'duplicate' instead of being
-- refused as already handed over. The handover itself stays in device_allocations; this row is
-- written in the same transaction as it (recordHandover's onRecorded), so the two never disagree.
CREATE TABLE field_handovers (
  -- The phone's id: the key a resend is recognised by (field_visits.client_visit_id's twin).
  client_handover_id  uuid PRIMARY KEY,
  province_code       text NOT NULL,
  allocation_id       bigint NOT NULL,
  -- SHA-256 of the send's canonical JSON: the same id with other content is refused and kept.
  content_hash        text NOT NULL,
  user_id             bigint NOT NULL REFERENCES users(id),
  device_id           bigint REFERENCES field_devices(id),
  received_at         timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (province_code, allocation_id) REFERENCES device_allocations(province_code, id)
);
-- One send records an allocation's handover: a second id for it finds the allocation handed over.
CREATE UNIQUE INDEX field_handovers_allocation_idx ON field_handovers (province_code, allocation_id);
