-- Plans, targets and the figures behind the dashboard.
--
-- Computed indicators are counts of residents, households and organisations over time. Each
-- subject adds intervals of days ("counted among adults with an e-payment account from
-- 2026-05-10"); the ledger keeps only their ends, summed per area, key and day. A figure on day D
-- is the sum of the ledger up to D. indicator_totals holds that sum up to totals_as_of, so
-- today's figures are one indexed read, and a past day is today's figure minus the few ledger
-- rows after it.
--
-- Writers never touch the summed rows: they append their changes to indicator_pending in the
-- same transaction as the facts, so thousands of volunteers' visits do not queue behind one
-- another on a city-wide row. Readers add the pending rows, so a figure is fresh the moment the
-- write commits; a folder moves pending rows into the ledger and totals every second.
--
-- Areas: unit_code is a commune-level unit's code (5 digits) or, for the city as a whole, the
-- province's code (2 digits); neighbourhood_id 0 is the whole area. No foreign key to units for
-- that reason: the codes are written only by the ledger code, from rows that have one.

-- The day a resident died or moved away: the figures count them until that day, not after.
ALTER TABLE residents ADD COLUMN left_on date;

-- "Is this fact corrected?" is asked for every fact when current values are read (the registry
-- pages, who-is-missing-what). Corrections are rare, so the partial index stays small.
CREATE INDEX facts_corrects_idx ON facts (province_code, corrects_fact_id) WHERE corrects_fact_id IS NOT NULL;

CREATE TABLE indicator_ledger (
  unit_code        text NOT NULL,
  neighbourhood_id bigint NOT NULL,          -- 0: the unit as a whole; otherwise one neighbourhood in it
  key              text NOT NULL,            -- 'adults' (a population) or 'adults|epayment_account' (a measure within it)
  day              date NOT NULL,
  delta            integer NOT NULL,
  -- key first: the dashboard reads a few keys for every unit.
  PRIMARY KEY (key, unit_code, neighbourhood_id, day)
);
-- A past day's figure subtracts the rows after it; the trend chart reads a range of days.
CREATE INDEX indicator_ledger_day_idx ON indicator_ledger (day);

CREATE TABLE indicator_totals (
  unit_code        text NOT NULL,
  neighbourhood_id bigint NOT NULL,
  key              text NOT NULL,
  value            bigint NOT NULL,
  PRIMARY KEY (key, unit_code, neighbourhood_id)
);
-- The unit page reads every key of one unit and its neighbourhoods.
CREATE INDEX indicator_totals_unit_idx ON indicator_totals (unit_code, neighbourhood_id);

-- Changes not yet folded into the ledger: appended by writers, removed by the folder.
CREATE TABLE indicator_pending (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  unit_code        text NOT NULL,
  neighbourhood_id bigint NOT NULL,
  key              text NOT NULL,
  day              date NOT NULL,
  delta            integer NOT NULL
);
CREATE INDEX indicator_pending_key_idx ON indicator_pending (key, unit_code, neighbourhood_id);

-- One row: the day indicator_totals is summed up to. Ages move figures without any write (a
-- resident turns 18 on their birthday), so the first read on a new day rolls the totals forward.
CREATE TABLE indicator_totals_state (
  singleton    boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  totals_as_of date NOT NULL
);
INSERT INTO indicator_totals_state (totals_as_of) VALUES (DATE '2025-06-30');

-- Figures a unit reports itself (dossiers filed online, cashless bill payment, fibre coverage):
-- entered per period, submitted, approved one level up, then locked.
CREATE TABLE reported_values (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  plan_id       text NOT NULL,
  indicator_id  text NOT NULL,
  unit_code     text NOT NULL REFERENCES units(code),
  period        text NOT NULL CHECK (period ~ '^[0-9]{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$'),  -- 2026, 2026-Q3 or 2026-09
  period_end    date NOT NULL,                                -- the as-of day the figure speaks for
  numerator     numeric CHECK (numerator >= 0),
  denominator   numeric CHECK (denominator > 0),
  value         numeric NOT NULL CHECK (value >= 0),
  note          text,
  status        text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','submitted','approved','returned')),
  updated_by    bigint REFERENCES users(id),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (plan_id, indicator_id, unit_code, period),
  -- A share given as a fraction must agree with the value shown.
  CHECK (numerator IS NULL OR denominator IS NULL OR numerator <= denominator)
);
CREATE INDEX reported_values_plan_idx ON reported_values (plan_id, indicator_id, period_end);

-- Every save, submission, approval and return, with the figure at that moment: the history.
CREATE TABLE reported_value_events (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  reported_value_id bigint NOT NULL REFERENCES reported_values(id),
  action            text NOT NULL CHECK (action IN ('save','submit','approve','return')),
  numerator         numeric,
  denominator       numeric,
  value             numeric NOT NULL,
  note              text,
  by_user           bigint REFERENCES users(id),
  at                timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reported_value_events_value_idx ON reported_value_events (reported_value_id, id);

-- An approved figure is what the unit reported upward: it must not change under the approver.
CREATE FUNCTION reported_values_lock() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'approved' THEN
    RAISE EXCEPTION 'reported value % is approved and locked', OLD.id USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER reported_values_locked BEFORE UPDATE OR DELETE ON reported_values
  FOR EACH ROW EXECUTE FUNCTION reported_values_lock();

-- A unit's share of a city target (a quota); without a row the plan's own target applies.
CREATE TABLE unit_targets (
  plan_id       text NOT NULL,
  indicator_id  text NOT NULL,
  unit_code     text NOT NULL REFERENCES units(code),
  target        numeric NOT NULL CHECK (target >= 0),
  set_by        bigint REFERENCES users(id),
  set_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (plan_id, indicator_id, unit_code)
);
