-- "Bình dân học vụ số": residents' own sign-in, lesson progress, quizzes, certificates, competitions.

-- Residents sign in without a password: by a one-time code sent to their phone, or through the
-- city's OpenID Connect provider (VNeID-style). Their accounts are users with role 'citizen'.
ALTER TABLE users ALTER COLUMN password_hash DROP NOT NULL;
-- The keyed hash of the normalised phone (as residents.phone_hash): found again at the next
-- sign-in, matched to the registry, never readable in a dump.
ALTER TABLE users ADD COLUMN phone_hash text;
-- "<issuer> <sub>" of an OpenID Connect identity.
ALTER TABLE users ADD COLUMN oidc_subject text;
CREATE UNIQUE INDEX users_phone_hash_idx ON users (phone_hash) WHERE phone_hash IS NOT NULL;
CREATE UNIQUE INDEX users_oidc_subject_idx ON users (oidc_subject) WHERE oidc_subject IS NOT NULL;
CREATE INDEX users_resident_idx ON users (province_code, resident_id) WHERE resident_id IS NOT NULL;

-- One row per code sent. Only the code's keyed hash is kept. Wrong codes are counted here, so the
-- lock (too many wrong codes for one phone in a window) holds across restarts and servers.
CREATE TABLE otp_challenges (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  phone_hash       text NOT NULL,
  code_hash        text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  expires_at       timestamptz NOT NULL,
  failed_attempts  integer NOT NULL DEFAULT 0,
  consumed_at      timestamptz,
  ip               text
);
CREATE INDEX otp_challenges_phone_idx ON otp_challenges (phone_hash, created_at DESC);

-- A lesson read to its end. Lessons are content files, named by course and lesson slug.
CREATE TABLE lesson_completions (
  user_id       bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  course_slug   text NOT NULL,
  lesson_slug   text NOT NULL,
  completed_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, course_slug, lesson_slug)
);

-- A quiz attempt keeps what was shown (the drawn questions and each one's option order) so it
-- is graded against exactly that, and the answers given.
CREATE TABLE quiz_attempts (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id        bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  course_slug    text NOT NULL,
  shown          jsonb NOT NULL,
  started_at     timestamptz NOT NULL DEFAULT now(),
  submitted_at   timestamptz,
  answers        jsonb,
  correct        integer,
  total          integer,
  score_percent  integer CHECK (score_percent BETWEEN 0 AND 100),
  passed         boolean
);
CREATE INDEX quiz_attempts_user_idx ON quiz_attempts (user_id, course_slug, id DESC);

-- Certificates: a course passed, or the basic-skills path completed. The code is random (not
-- derived from anything), so a code is real only if it is here; learner_name and title are kept
-- as issued so the public page shows what was certified even if a course is renamed.
CREATE TABLE certificates (
  code           text PRIMARY KEY,
  kind           text NOT NULL CHECK (kind IN ('course', 'basic_path')),
  course_slug    text,
  user_id        bigint NOT NULL REFERENCES users(id),
  province_code  text NOT NULL,
  resident_id    bigint,
  learner_name   text NOT NULL,
  title          text NOT NULL,
  issued_on      date NOT NULL,
  issued_at      timestamptz NOT NULL DEFAULT now(),
  attempt_id     bigint REFERENCES quiz_attempts(id),
  CHECK ((kind = 'course') = (course_slug IS NOT NULL))
);
CREATE UNIQUE INDEX certificates_course_idx ON certificates (user_id, course_slug) WHERE kind = 'course';
CREATE UNIQUE INDEX certificates_path_idx ON certificates (user_id) WHERE kind = 'basic_path';
CREATE INDEX certificates_issued_idx ON certificates (province_code, issued_on);

-- Competitions ("Cuộc đua"): a challenge to finish some courses between two dates, for an
-- audience that is either everyone of some units or a list of people (an agency's staff).
CREATE TABLE competitions (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  province_code  text NOT NULL,
  title          text NOT NULL,
  description    text,
  starts_on      date NOT NULL,
  ends_on        date NOT NULL CHECK (ends_on >= starts_on),
  course_slugs   text[] NOT NULL CHECK (cardinality(course_slugs) BETWEEN 1 AND 20),
  audience       text NOT NULL CHECK (audience IN ('units', 'list')),
  created_by     bigint REFERENCES users(id),
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE competition_units (
  competition_id  bigint NOT NULL REFERENCES competitions(id) ON DELETE CASCADE,
  unit_code       text NOT NULL REFERENCES units(code),
  PRIMARY KEY (competition_id, unit_code)
);
-- A listed participant: found by phone when they sign in to learn (user_id set then).
CREATE TABLE competition_members (
  competition_id  bigint NOT NULL REFERENCES competitions(id) ON DELETE CASCADE,
  id              bigint GENERATED ALWAYS AS IDENTITY,
  full_name       text NOT NULL,
  phone_hash      text NOT NULL,
  phone_last4     text NOT NULL,
  unit_code       text NOT NULL REFERENCES units(code),
  agency          text,
  PRIMARY KEY (competition_id, id),
  UNIQUE (competition_id, phone_hash)
);
CREATE INDEX competition_members_phone_idx ON competition_members (phone_hash);
