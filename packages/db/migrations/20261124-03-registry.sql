-- The registry of households, residents, organisations and the facts about their four core elements.
--
-- Every personal table carries province_code and its primary key starts with it, and every
-- foreign key between personal tables includes it. That is what Citus needs to distribute these
-- tables by province (create_distributed_table(..., 'province_code', colocate_with => 'households'))
-- without a cross-node join or foreign key. Ids come from one sequence per table, so an id alone
-- still names one record, which keeps URLs short.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE households (
  province_code      text NOT NULL,
  id                 bigint GENERATED ALWAYS AS IDENTITY,
  unit_code          text NOT NULL REFERENCES units(code),
  neighbourhood_id   bigint,
  household_code     text,                  -- the code on the residence list (mã hộ), when known
  address            text NOT NULL,
  poverty_status     text NOT NULL DEFAULT 'none' CHECK (poverty_status IN ('poor','near_poor','none')),
  poverty_list_year  integer CHECK (poverty_list_year BETWEEN 2000 AND 2100),
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (province_code, id),
  FOREIGN KEY (province_code, neighbourhood_id) REFERENCES neighbourhoods(province_code, id),
  -- A poor or near-poor status means nothing without the year of the list it came from.
  CHECK (poverty_status = 'none' OR poverty_list_year IS NOT NULL)
);
-- Keyset paging of a unit's households.
CREATE INDEX households_unit_id_idx ON households (unit_code, id);
CREATE INDEX households_id_idx ON households (id);
-- Households of a neighbourhood: counts on the unit page, and moving them when neighbourhoods merge.
CREATE INDEX households_neighbourhood_idx ON households (neighbourhood_id) WHERE neighbourhood_id IS NOT NULL;

CREATE TABLE residents (
  province_code        text NOT NULL,
  id                   bigint GENERATED ALWAYS AS IDENTITY,
  household_id         bigint NOT NULL,
  unit_code            text NOT NULL REFERENCES units(code),  -- copied from the household: every read is scoped by unit
  full_name            text NOT NULL,
  name_folded          text NOT NULL,        -- lower case, no diacritics, đ→d: search input is folded the same way
  birth_date           date,
  birth_year           integer NOT NULL CHECK (birth_year BETWEEN 1880 AND 2100),
  sex                  text CHECK (sex IN ('male','female')),
  -- Citizen ID numbers: a keyed HMAC for matching, an AES-GCM copy for the few who may read it,
  -- and the last four digits for search. A dump shows neither the number nor a way to rebuild it.
  citizen_id_hash      text,
  citizen_id_enc       text,
  citizen_id_last4     text,
  legacy_id_hash       text,                 -- 9-digit CMND, kept for matching old lists
  legacy_id_enc        text,
  phone                text,
  phone_carrier        text,
  relation_to_head     text NOT NULL CHECK (relation_to_head IN ('head','spouse','child','parent','grandchild','sibling','relative','other')),
  residence_type       text NOT NULL CHECK (residence_type IN ('permanent','temporary')),
  status               text NOT NULL DEFAULT 'living' CHECK (status IN ('living','moved_away','deceased')),
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (province_code, id),
  FOREIGN KEY (province_code, household_id) REFERENCES households(province_code, id),
  CHECK (birth_date IS NULL OR extract(year FROM birth_date) = birth_year)
);
CREATE INDEX residents_id_idx ON residents (id);
CREATE INDEX residents_household_idx ON residents (province_code, household_id);
-- Keyset paging in name order within a unit, and "starts with" search.
CREATE INDEX residents_unit_name_idx ON residents (unit_code, name_folded, id);
-- Search by any part of a name without diacritics ("van a" finds "Nguyễn Văn A").
CREATE INDEX residents_name_trgm_idx ON residents USING gin (name_folded gin_trgm_ops);
-- One person is one record per province: the same citizen ID cannot be registered twice.
CREATE UNIQUE INDEX residents_citizen_id_idx ON residents (province_code, citizen_id_hash) WHERE citizen_id_hash IS NOT NULL;
CREATE INDEX residents_citizen_last4_idx ON residents (unit_code, citizen_id_last4) WHERE citizen_id_last4 IS NOT NULL;
CREATE INDEX residents_legacy_id_idx ON residents (province_code, legacy_id_hash) WHERE legacy_id_hash IS NOT NULL;
CREATE INDEX residents_phone_idx ON residents (province_code, phone) WHERE phone IS NOT NULL;

CREATE TABLE organisations (
  province_code  text NOT NULL,
  id             bigint GENERATED ALWAYS AS IDENTITY,
  unit_code      text NOT NULL REFERENCES units(code),
  name           text NOT NULL,
  name_folded    text NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('business','cooperative','agency','organisation')),
  tax_code       text CHECK (tax_code ~ '^[0-9]{10}(-[0-9]{3})?$'),
  address        text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (province_code, id)
);
CREATE INDEX organisations_unit_idx ON organisations (unit_code, id);
CREATE UNIQUE INDEX organisations_tax_code_idx ON organisations (province_code, tax_code) WHERE tax_code IS NOT NULL;

-- Facts: what a source said about one indicator of a resident or organisation, and when.
-- Append-only: a correction is a new fact that names the one it corrects. The current status
-- of an indicator is the latest fact by observed_on, then by id.
CREATE TABLE facts (
  province_code    text NOT NULL,
  id               bigint GENERATED ALWAYS AS IDENTITY,
  resident_id      bigint,
  organisation_id  bigint,
  indicator        text NOT NULL,
  value            text NOT NULL,
  source_kind      text NOT NULL CHECK (source_kind IN ('import','visit','course','person','seed')),
  source_ref       text,                     -- list name and row, visit id, course id …
  stated_by        bigint REFERENCES users(id),
  observed_on      date NOT NULL,
  recorded_at      timestamptz NOT NULL DEFAULT now(),
  corrects_fact_id bigint,
  note             text,
  PRIMARY KEY (province_code, id),
  FOREIGN KEY (province_code, resident_id) REFERENCES residents(province_code, id),
  FOREIGN KEY (province_code, organisation_id) REFERENCES organisations(province_code, id),
  FOREIGN KEY (province_code, corrects_fact_id) REFERENCES facts(province_code, id),
  CHECK (num_nonnulls(resident_id, organisation_id) = 1)
);
-- The latest fact per indicator of one subject.
CREATE INDEX facts_resident_idx ON facts (province_code, resident_id, indicator, observed_on DESC, id DESC) WHERE resident_id IS NOT NULL;
CREATE INDEX facts_organisation_idx ON facts (province_code, organisation_id, indicator, observed_on DESC, id DESC) WHERE organisation_id IS NOT NULL;

CREATE FUNCTION facts_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'facts are append-only: record a correcting fact instead' USING ERRCODE = 'P0001';
END $$;
CREATE TRIGGER facts_append_only BEFORE UPDATE OR DELETE ON facts
  FOR EACH ROW EXECUTE FUNCTION facts_are_append_only();

-- Households assigned to a team leader or volunteer; their whole view of the registry.
CREATE TABLE assignments (
  province_code  text NOT NULL,
  household_id   bigint NOT NULL,
  user_id        bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  assigned_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (province_code, household_id, user_id),
  FOREIGN KEY (province_code, household_id) REFERENCES households(province_code, id)
);
CREATE INDEX assignments_user_idx ON assignments (user_id, household_id);
