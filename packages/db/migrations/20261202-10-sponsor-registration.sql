-- Device support, second round (issue 6).
--
-- Sponsors register themselves on the public site. A registration is a sponsor row in status
-- 'pending' with a login of role sponsor that stays disabled until the city approves it; a
-- declined one keeps its reason. Rows the city entered itself are 'active' from the start.
ALTER TABLE sponsors
  ADD COLUMN status          text NOT NULL DEFAULT 'active' CHECK (status IN ('pending', 'active', 'declined')),
  ADD COLUMN tax_code        text CHECK (tax_code ~ '^[0-9]{10}(-[0-9]{3})?$'),
  -- What the applicant says they mean to give, for the official who reads the registration.
  ADD COLUMN intent          text,
  -- Where a registration came from, so one address cannot flood the queue.
  ADD COLUMN registered_ip   text,
  ADD COLUMN decided_by      bigint REFERENCES users(id),
  ADD COLUMN decided_at      timestamptz,
  ADD COLUMN decline_reason  text,
  ADD CHECK (status <> 'declined' OR decline_reason IS NOT NULL);

-- Why the city withdrew a pledge, kept with it. Pledges withdrawn before the reason was asked say so.
ALTER TABLE device_pledges ADD COLUMN cancel_reason text;
UPDATE device_pledges SET cancel_reason = 'Không ghi lý do (huỷ trước khi hệ thống hỏi lý do)' WHERE status = 'cancelled';
ALTER TABLE device_pledges ADD CHECK (status <> 'cancelled' OR cancel_reason IS NOT NULL);

-- A household may need more than one device: every 2G-only phone is to be replaced, and a
-- household can hold two such phones. Each live allocation takes a numbered place (slot) in its
-- household, max(slot) + 1 read under the household's row lock (allocations.service.ts), and this
-- index keeps one live allocation per slot. Handed-over rows keep their slot.
ALTER TABLE device_allocations ADD COLUMN slot integer NOT NULL DEFAULT 1 CHECK (slot >= 1);
DROP INDEX device_allocations_one_live_idx;
CREATE UNIQUE INDEX device_allocations_one_live_idx ON device_allocations (province_code, household_id, slot) WHERE status <> 'cancelled';
