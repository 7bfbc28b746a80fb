-- Device support (issue 6): sponsors pledge smartphones (or money per device) for poor and
-- near-poor households and 2G-only users; units receive them into stock, officials allocate stock
-- to households by priority, a volunteer or official hands the device over, and the handover
-- becomes facts (smartphone = true, phone_2g_only = false), so the plans' device indicators move
-- through the same ledger as every other fact.
--
-- Who needs a device is computed, not stored: households with living members of whom none has a
-- current smartphone fact that is true, households with a member whose current phone_2g_only is
-- true, open household_needs of kind 'device' (door-to-door visits) and open device_requests.
-- Priority is computed from device_priority_rules by packages/domain/src/device-priority.ts.
--
-- Nothing given twice, nothing lost:
--   * one live allocation per household: a partial unique index (device_allocations_one_live_idx);
--   * stock never below zero: device_stock.available has CHECK (available >= 0), and allocating
--     is `UPDATE device_stock SET available = available - 1 WHERE id = … AND available > 0` in the
--     allocation's transaction: two officials taking the last device queue on the row lock, and the
--     second re-reads 0 and gets nothing;
--   * a unit never receives more than was pledged: device_pledges.received with
--     CHECK (received <= quantity), bumped in the delivery's transaction;
--   * an IMEI is recorded once (device_allocations_imei_idx).

-- The priority rules, as data the city may change (points, on/off, label). The codes are fixed:
-- each names a circumstance the service knows how to find (registry or a request's statement).
-- One table for the deployment (a city); per-province rules would add province_code to the key.
CREATE TABLE device_priority_rules (
  code        text PRIMARY KEY CHECK (code IN ('poor', 'near_poor', 'elderly_alone', 'disability', 'pupil', 'single_parent')),
  label       text NOT NULL,
  points      integer NOT NULL CHECK (points BETWEEN 0 AND 100),
  active      boolean NOT NULL DEFAULT true,
  -- Where the circumstance is read from: the registry (households.poverty_status, members' ages)
  -- or what a request states (the registry holds no disability, schooling or family-status field).
  source      text NOT NULL CHECK (source IN ('registry', 'request')),
  updated_by  bigint REFERENCES users(id),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO device_priority_rules (code, label, points, source) VALUES
  ('poor', 'Hộ nghèo', 40, 'registry'),
  ('near_poor', 'Hộ cận nghèo', 25, 'registry'),
  ('elderly_alone', 'Người cao tuổi (từ 70 tuổi) sống một mình', 20, 'registry'),
  ('disability', 'Có người khuyết tật', 20, 'request'),
  ('single_parent', 'Cha hoặc mẹ đơn thân nuôi con', 15, 'request'),
  ('pupil', 'Có học sinh cần học trực tuyến', 10, 'request');

-- A request for a device, by a resident for their own household (channel 'citizen') or recorded by
-- an official or volunteer (channel 'official'). circumstances are what the person states.
CREATE TABLE device_requests (
  province_code  text NOT NULL,
  id             bigint GENERATED ALWAYS AS IDENTITY,
  household_id   bigint NOT NULL,
  resident_id    bigint,
  unit_code      text NOT NULL,
  channel        text NOT NULL CHECK (channel IN ('citizen', 'official')),
  circumstances  text[] NOT NULL DEFAULT '{}' CHECK (circumstances <@ ARRAY['disability', 'pupil', 'single_parent']::text[]),
  note           text,
  requested_by   bigint REFERENCES users(id),
  created_at     timestamptz NOT NULL DEFAULT now(),
  -- Met when the household's device is handed over; never deleted.
  status         text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'met', 'cancelled')),
  closed_at      timestamptz,
  PRIMARY KEY (province_code, id),
  FOREIGN KEY (province_code, household_id) REFERENCES households(province_code, id)
);
-- The needs list reads open requests per household.
CREATE INDEX device_requests_household_idx ON device_requests (province_code, household_id) WHERE status = 'open';
CREATE INDEX device_requests_unit_idx ON device_requests (unit_code) WHERE status = 'open';

-- Sponsors: businesses, unions, organisations, individuals. Not personal rows of the registry,
-- so not distributed by province (a Citus reference or coordinator table). user_id links the
-- login (role sponsor) that sees the sponsor portal; one login, one sponsor.
CREATE TABLE sponsors (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  province_code  text NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('business', 'union', 'organisation', 'individual')),
  name           text NOT NULL,
  contact_name   text,
  contact_phone  text,
  contact_email  text,
  -- Named on the public page; an individual is "Nhà hảo tâm" unless they agreed.
  show_publicly  boolean NOT NULL,
  user_id        bigint UNIQUE REFERENCES users(id),
  created_by     bigint REFERENCES users(id),
  created_at     timestamptz NOT NULL DEFAULT now()
);

-- A pledge of devices (model, network, quantity) or of money (amount, subsidy per device: it funds
-- floor(amount / subsidy) devices, kept in quantity). Delivery to one unit, or any when NULL.
CREATE TABLE device_pledges (
  id                     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  sponsor_id             bigint NOT NULL REFERENCES sponsors(id),
  kind                   text NOT NULL CHECK (kind IN ('device', 'money')),
  model                  text,
  network                text NOT NULL CHECK (network IN ('4g', '5g')),
  quantity               integer NOT NULL CHECK (quantity > 0),
  amount_vnd             bigint CHECK (amount_vnd > 0),
  subsidy_per_device_vnd bigint CHECK (subsidy_per_device_vnd > 0),
  delivery_unit_code     text REFERENCES units(code),
  delivery_place         text,
  status                 text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'cancelled')),
  -- Devices units have received from this pledge; the CHECK makes over-delivery impossible even
  -- when two units record deliveries at once (both update this row, one after the other).
  received               integer NOT NULL DEFAULT 0 CHECK (received >= 0 AND received <= quantity),
  pledged_at             timestamptz NOT NULL DEFAULT now(),
  created_by             bigint REFERENCES users(id),
  cancelled_at           timestamptz,
  cancelled_by           bigint REFERENCES users(id),
  CHECK ((kind = 'device' AND model IS NOT NULL AND amount_vnd IS NULL)
      OR (kind = 'money' AND amount_vnd IS NOT NULL AND subsidy_per_device_vnd IS NOT NULL))
);
CREATE INDEX device_pledges_sponsor_idx ON device_pledges (sponsor_id);

-- What a unit holds of one pledge. available = received − live allocations, kept as a counter
-- changed in the same transaction as each allocation and cancellation; the CHECKs are the last
-- word: no code path can take it below zero or above what arrived.
CREATE TABLE device_stock (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  province_code     text NOT NULL,
  unit_code         text NOT NULL REFERENCES units(code),
  pledge_id         bigint NOT NULL REFERENCES device_pledges(id),
  received          integer NOT NULL DEFAULT 0 CHECK (received >= 0),
  available         integer NOT NULL DEFAULT 0 CHECK (available >= 0 AND available <= received),
  last_received_on  date,
  UNIQUE (unit_code, pledge_id)
);
CREATE INDEX device_stock_pledge_idx ON device_stock (pledge_id);

-- Each delivery received, for the record (the stock row holds the running counts).
CREATE TABLE device_deliveries (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  stock_id     bigint NOT NULL REFERENCES device_stock(id),
  pledge_id    bigint NOT NULL REFERENCES device_pledges(id),
  unit_code    text NOT NULL REFERENCES units(code),
  quantity     integer NOT NULL CHECK (quantity > 0),
  received_on  date NOT NULL,
  recorded_by  bigint REFERENCES users(id),
  recorded_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX device_deliveries_stock_idx ON device_deliveries (stock_id);

-- A device of a unit's stock given to a household, then scheduled, handed over and followed up.
-- status: allocated → scheduled → handed_over; allocated or scheduled → cancelled (the device goes
-- back to stock). A personal row (it names the household and the recipient), so keyed and
-- distributed by province like households.
CREATE TABLE device_allocations (
  province_code          text NOT NULL,
  id                     bigint GENERATED ALWAYS AS IDENTITY,
  household_id           bigint NOT NULL,
  unit_code              text NOT NULL,
  stock_id               bigint NOT NULL REFERENCES device_stock(id),
  -- The member it is for; may be chosen at scheduling.
  resident_id            bigint,
  -- The score and its reasons at the time of allocation, kept for the record.
  score                  integer NOT NULL,
  reasons                jsonb NOT NULL DEFAULT '[]',
  status                 text NOT NULL DEFAULT 'allocated' CHECK (status IN ('allocated', 'scheduled', 'handed_over', 'cancelled')),
  allocated_by           bigint REFERENCES users(id),
  allocated_at           timestamptz NOT NULL DEFAULT now(),
  cancelled_by           bigint REFERENCES users(id),
  cancelled_at           timestamptz,
  cancel_reason          text,
  -- Scheduling: a six-digit code given to the recipient, read back at the handover. Only its
  -- SHA-256 is kept; attempts are counted so it cannot be guessed by trying.
  scheduled_for          date,
  scheduled_by           bigint REFERENCES users(id),
  code_hash              text,
  code_attempts          integer NOT NULL DEFAULT 0,
  -- The handover.
  imei                   text CHECK (imei ~ '^[0-9]{15}$'),
  handed_over_at         timestamptz,
  handed_over_on         date,
  handed_over_by         bigint REFERENCES users(id),
  confirmation           text CHECK (confirmation IN ('code', 'signature')),
  -- Data URLs, size-limited by the API (signature ≤ 200,000 chars, photo ≤ 600,000).
  signature_png          text,
  photo                  text,
  photo_skipped_note     text,
  -- The recipient agreed that the sponsor may see their first name and unit (nothing more).
  consent_to_sponsor     boolean NOT NULL DEFAULT false,
  -- A month after the handover: is the device in use?
  follow_up_due          date,
  follow_up_at           timestamptz,
  follow_up_by           bigint REFERENCES users(id),
  follow_up_in_use       boolean,
  follow_up_note         text,
  PRIMARY KEY (province_code, id),
  FOREIGN KEY (province_code, household_id) REFERENCES households(province_code, id),
  FOREIGN KEY (province_code, resident_id) REFERENCES residents(province_code, id),
  CHECK (status <> 'handed_over' OR (imei IS NOT NULL AND handed_over_at IS NOT NULL AND resident_id IS NOT NULL)),
  CHECK (status <> 'cancelled' OR cancelled_at IS NOT NULL)
);
-- One household, one live device: two officials allocating to the same household at the same
-- moment both insert, and the second insert fails on this index when the first commits. A
-- household that received its device keeps the row (handed_over), so it cannot get a second one.
CREATE UNIQUE INDEX device_allocations_one_live_idx ON device_allocations (province_code, household_id) WHERE status <> 'cancelled';
-- An IMEI is recorded once. Citus needs the distribution column in a unique index, hence the
-- province; the same IMEI in two provinces' programmes would be caught by the national report.
CREATE UNIQUE INDEX device_allocations_imei_idx ON device_allocations (province_code, imei) WHERE imei IS NOT NULL;
CREATE INDEX device_allocations_unit_idx ON device_allocations (unit_code, id DESC);
CREATE INDEX device_allocations_stock_idx ON device_allocations (stock_id, status);
CREATE INDEX device_allocations_id_idx ON device_allocations (id);
