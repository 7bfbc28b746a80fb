-- Administrative units are reference data, loaded from data/*.csv by `cds units load`.
-- They are small and read everywhere, so on Citus they become reference tables (copied to every node).

CREATE TABLE provinces (
  code        text PRIMARY KEY,              -- 2-digit code per QĐ 19/2025/QĐ-TTg, e.g. '79'
  name        text NOT NULL,
  full_name   text NOT NULL
);

CREATE TABLE units (
  code          text PRIMARY KEY,            -- 5-digit commune-level code, unique nationwide
  province_code text NOT NULL REFERENCES provinces(code),
  name          text NOT NULL,
  full_name     text NOT NULL,
  type          text NOT NULL CHECK (type IN ('phuong', 'xa', 'dac_khu')),
  name_ascii    text NOT NULL,
  area_km2      numeric,
  population    integer
);
-- Lists of a province's units, in name order.
CREATE INDEX units_province_name_idx ON units (province_code, name_ascii);

-- Wards and districts before 1 July 2025. Old addresses still name them, so address
-- standardisation maps them to the new unit. One old ward may have been split over several
-- new units, so the key is (old_code, new_code), not old_code.
CREATE TABLE legacy_units (
  id                 integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  old_code           text,                   -- empty for the former Côn Đảo district, which had no wards
  old_name           text NOT NULL,
  old_district       text NOT NULL,
  old_district_code  text NOT NULL,
  old_province       text NOT NULL,
  old_province_code  text NOT NULL,
  new_code           text NOT NULL REFERENCES units(code),
  merge_type         text NOT NULL,
  note               text
);
CREATE UNIQUE INDEX legacy_units_old_new_idx ON legacy_units (coalesce(old_code, ''), old_district_code, new_code);
CREATE INDEX legacy_units_new_idx ON legacy_units (new_code);

-- Neighbourhoods (khu phố / ấp) are kept by unit officials. A merge keeps the old row, marked
-- merged_into, so households and reports that named it can still be traced.
-- Keyed by (province_code, id) like the personal tables, so it can be distributed with them.
CREATE TABLE neighbourhoods (
  province_code text NOT NULL REFERENCES provinces(code),
  id            bigint GENERATED ALWAYS AS IDENTITY,
  unit_code     text NOT NULL REFERENCES units(code),
  name          text NOT NULL,
  name_folded   text NOT NULL,
  merged_into   bigint,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (province_code, id),
  FOREIGN KEY (province_code, merged_into) REFERENCES neighbourhoods(province_code, id)
);
CREATE UNIQUE INDEX neighbourhoods_id_idx ON neighbourhoods (id);
-- Two live neighbourhoods of one unit may not share a name (compared without diacritics).
CREATE UNIQUE INDEX neighbourhoods_unit_name_live_idx ON neighbourhoods (unit_code, name_folded) WHERE merged_into IS NULL;
