-- The door-to-door campaign: teams, who visits which household, the field app's devices, the
-- visits they send, and what a visit leaves behind (needs, conflicts, refused sends).
--
-- A visit's observations become ordinary facts (source_kind 'visit', source_ref 'visit:<uuid>'),
-- so the registry, the household page and the indicator ledger need nothing new to count them.

-- Community digital technology teams (Tổ công nghệ số cộng đồng), volunteer squads and the
-- police working group of one unit.
CREATE TABLE teams (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  province_code   text NOT NULL,
  unit_code       text NOT NULL REFERENCES units(code),
  name            text NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('community_tech', 'volunteer_squad', 'police_group')),
  leader_user_id  bigint REFERENCES users(id),
  created_by      bigint REFERENCES users(id),
  created_at      timestamptz NOT NULL DEFAULT now(),
  -- A team is archived, never deleted: its visits keep naming it.
  archived_at     timestamptz
);
CREATE INDEX teams_unit_idx ON teams (unit_code) WHERE archived_at IS NULL;
CREATE UNIQUE INDEX teams_unit_name_idx ON teams (unit_code, lower(name)) WHERE archived_at IS NULL;

CREATE TABLE team_members (
  team_id         bigint NOT NULL REFERENCES teams(id),
  user_id         bigint NOT NULL REFERENCES users(id),
  joined_at       timestamptz NOT NULL DEFAULT now(),
  -- The invite that brought them in, when they joined by QR code or link.
  invite_id       bigint,
  removed_at      timestamptz,
  removed_by      bigint REFERENCES users(id),
  PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user_idx ON team_members (user_id) WHERE removed_at IS NULL;

-- A QR code or one-time link to join a team. Only the SHA-256 of the token is stored: a dump
-- does not let anyone join.
CREATE TABLE team_invites (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  team_id         bigint NOT NULL REFERENCES teams(id),
  token_hash      text NOT NULL UNIQUE,
  created_by      bigint NOT NULL REFERENCES users(id),
  created_at      timestamptz NOT NULL DEFAULT now(),
  expires_at      timestamptz NOT NULL,
  max_uses        integer NOT NULL DEFAULT 1 CHECK (max_uses BETWEEN 1 AND 200),
  used_count      integer NOT NULL DEFAULT 0 CHECK (used_count <= max_uses),
  revoked_at      timestamptz,
  revoked_by      bigint REFERENCES users(id)
);
CREATE INDEX team_invites_team_idx ON team_invites (team_id);

-- What a unit official gives a team: a whole neighbourhood (khu phố/ấp), or one household.
-- A neighbourhood given to a team covers households added to it later too.
CREATE TABLE team_areas (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  province_code    text NOT NULL,
  team_id          bigint NOT NULL REFERENCES teams(id),
  neighbourhood_id bigint,
  household_id     bigint,
  assigned_by      bigint REFERENCES users(id),
  assigned_at      timestamptz NOT NULL DEFAULT now(),
  removed_at       timestamptz,
  CHECK ((neighbourhood_id IS NULL) <> (household_id IS NULL)),
  FOREIGN KEY (province_code, neighbourhood_id) REFERENCES neighbourhoods(province_code, id),
  FOREIGN KEY (province_code, household_id) REFERENCES households(province_code, id)
);
CREATE INDEX team_areas_team_idx ON team_areas (team_id) WHERE removed_at IS NULL;
CREATE INDEX team_areas_neighbourhood_idx ON team_areas (province_code, neighbourhood_id) WHERE removed_at IS NULL AND neighbourhood_id IS NOT NULL;
CREATE INDEX team_areas_household_idx ON team_areas (province_code, household_id) WHERE removed_at IS NULL AND household_id IS NOT NULL;

-- assignments (household → user) is what a volunteer may see and visit; a leader gives their
-- team's households to members. The team says on whose behalf; NULL for older rows.
ALTER TABLE assignments
  ADD COLUMN team_id bigint REFERENCES teams(id),
  ADD COLUMN assigned_by bigint REFERENCES users(id);

-- Households to visit by a phase deadline of a plan, for a team or one of its members (user_id).
CREATE TABLE field_quotas (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  team_id           bigint NOT NULL REFERENCES teams(id),
  user_id           bigint REFERENCES users(id),
  plan_id           text NOT NULL,
  phase_id          text NOT NULL,
  households_target integer NOT NULL CHECK (households_target >= 0),
  deadline          date NOT NULL,
  set_by            bigint REFERENCES users(id),
  set_at            timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX field_quotas_key_idx ON field_quotas (team_id, COALESCE(user_id, 0), plan_id, phase_id);

-- A phone or browser running the field app. Sync needs both the user's session and the device's
-- token; revoking a device stops its sync even while its session lives. Token stored as SHA-256.
CREATE TABLE field_devices (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id         bigint NOT NULL REFERENCES users(id),
  token_hash      text NOT NULL UNIQUE,
  label           text NOT NULL,
  user_agent      text,
  app_version     text,
  enrolled_at     timestamptz NOT NULL DEFAULT now(),
  last_sync_at    timestamptz,
  revoked_at      timestamptz,
  revoked_by      bigint REFERENCES users(id)
);
CREATE INDEX field_devices_user_idx ON field_devices (user_id);

-- One row per visit stored. client_visit_id is made on the phone: sending it again stores
-- nothing new; content_hash tells a resend from a different visit under the same id.
CREATE TABLE field_visits (
  province_code    text NOT NULL,
  id               bigint GENERATED ALWAYS AS IDENTITY,
  client_visit_id  uuid NOT NULL UNIQUE,
  content_hash     text NOT NULL,
  household_id     bigint NOT NULL,
  user_id          bigint NOT NULL REFERENCES users(id),
  device_id        bigint REFERENCES field_devices(id),
  team_id          bigint REFERENCES teams(id),
  unit_code        text NOT NULL,
  visited_at       timestamptz NOT NULL,
  received_at      timestamptz NOT NULL DEFAULT now(),
  outcome          text NOT NULL CHECK (outcome IN ('done', 'nobody_home', 'refused', 'moved_away')),
  consent          boolean NOT NULL,
  -- Counted once here so that progress needs no walk over payloads.
  members_present  integer NOT NULL DEFAULT 0,
  people_helped    integer NOT NULL DEFAULT 0,
  actions_done     integer NOT NULL DEFAULT 0,
  people_found     integer NOT NULL DEFAULT 0,
  app_version      text,
  -- The visit as sent (validated), for its page and for review; no full citizen ID is ever in it.
  payload          jsonb NOT NULL,
  PRIMARY KEY (province_code, id),
  FOREIGN KEY (province_code, household_id) REFERENCES households(province_code, id)
);
CREATE INDEX field_visits_household_idx ON field_visits (province_code, household_id, visited_at DESC);
CREATE INDEX field_visits_user_idx ON field_visits (user_id, visited_at DESC);
CREATE INDEX field_visits_unit_idx ON field_visits (unit_code, visited_at DESC);

-- People and households first found at the door ("rà từng người"): the visit that found them.
ALTER TABLE households ADD COLUMN found_by_visit_id bigint;
ALTER TABLE residents ADD COLUMN found_by_visit_id bigint;

-- A send the server would not store: same id with other content, a household not assigned, a
-- revoked device, an app too old, a visit that fails validation. Kept whole for an official to
-- look at and accept (storing it as a visit), or dismiss with a reason. Nothing is dropped.
CREATE TABLE field_refusals (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  province_code     text NOT NULL,
  client_visit_id   uuid,
  user_id           bigint REFERENCES users(id),
  device_id         bigint REFERENCES field_devices(id),
  household_id      bigint,
  unit_code         text,
  reason_code       text NOT NULL,
  reason            text NOT NULL,
  payload           jsonb NOT NULL,
  content_hash      text,
  received_at       timestamptz NOT NULL DEFAULT now(),
  status            text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'dismissed')),
  resolved_by       bigint REFERENCES users(id),
  resolved_at       timestamptz,
  resolution_note   text,
  visit_id          bigint
);
CREATE INDEX field_refusals_open_idx ON field_refusals (unit_code, received_at DESC) WHERE status = 'open';
CREATE INDEX field_refusals_client_idx ON field_refusals (client_visit_id);

-- A visit stated a value that a newer fact contradicts. Both facts stay; an official decides
-- which stands (accepting the visit's value records a new fact that corrects the newer one).
CREATE TABLE fact_conflicts (
  province_code     text NOT NULL,
  id                bigint GENERATED ALWAYS AS IDENTITY,
  resident_id       bigint NOT NULL,
  indicator         text NOT NULL,
  visit_id          bigint NOT NULL,
  visit_fact_id     bigint NOT NULL,
  newer_fact_id     bigint NOT NULL,
  unit_code         text NOT NULL,
  raised_at         timestamptz NOT NULL DEFAULT now(),
  status            text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'kept_newer', 'accepted_visit')),
  resolved_by       bigint REFERENCES users(id),
  resolved_at       timestamptz,
  resolution_fact_id bigint,
  PRIMARY KEY (province_code, id),
  FOREIGN KEY (province_code, resident_id) REFERENCES residents(province_code, id),
  FOREIGN KEY (province_code, visit_id) REFERENCES field_visits(province_code, id),
  FOREIGN KEY (province_code, visit_fact_id) REFERENCES facts(province_code, id),
  FOREIGN KEY (province_code, newer_fact_id) REFERENCES facts(province_code, id)
);
CREATE INDEX fact_conflicts_open_idx ON fact_conflicts (unit_code, raised_at DESC) WHERE status = 'open';
CREATE INDEX fact_conflicts_id_idx ON fact_conflicts (id);

-- What a household needs, noted at the door: a device (read by the device-support programme), a
-- return visit, or help with something named. Closed when met, never deleted.
CREATE TABLE household_needs (
  province_code     text NOT NULL,
  id                bigint GENERATED ALWAYS AS IDENTITY,
  household_id      bigint NOT NULL,
  resident_id       bigint,
  kind              text NOT NULL CHECK (kind IN ('device', 'return_visit', 'help')),
  detail            text,
  visit_id          bigint,
  unit_code         text NOT NULL,
  raised_at         timestamptz NOT NULL DEFAULT now(),
  status            text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'met', 'cancelled')),
  closed_by         bigint REFERENCES users(id),
  closed_at         timestamptz,
  PRIMARY KEY (province_code, id),
  FOREIGN KEY (province_code, household_id) REFERENCES households(province_code, id)
);
CREATE INDEX household_needs_open_idx ON household_needs (unit_code, kind) WHERE status = 'open';
CREATE INDEX household_needs_household_idx ON household_needs (province_code, household_id);
