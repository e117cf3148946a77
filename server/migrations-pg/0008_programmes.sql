-- PostgreSQL's version of migrations/0008_programmes.sql.
-- One offering model for three programme kinds (domain::plan, domain::programme): places in
-- pools (one, `all`, for an activity or a course; one per gender for a mixer), what belongs to
-- one kind in that kind's table. The data steps are kept as SQLite has them, so a database
-- with rows is carried over the same way.

CREATE TABLE offering_pools (
    offering_id  TEXT NOT NULL REFERENCES offerings (id) ON DELETE CASCADE,
    pool         TEXT NOT NULL CHECK (pool IN ('all', 'male', 'female')),
    capacity     BIGINT NOT NULL CHECK (capacity >= 0),
    seats_taken  BIGINT NOT NULL DEFAULT 0 CHECK (seats_taken >= 0 AND seats_taken <= capacity),
    waitlist_len BIGINT NOT NULL DEFAULT 0 CHECK (waitlist_len >= 0),
    -- The global version this pool's counts were last written at: an offering has changed for
    -- the pull when it or one of its pools has.
    version      BIGINT NOT NULL,
    PRIMARY KEY (offering_id, pool)
);
CREATE INDEX offering_pools_by_version ON offering_pools (version);

INSERT INTO offering_pools (offering_id, pool, capacity, seats_taken, waitlist_len, version)
SELECT id, 'all', capacity, seats_taken, waitlist_len, version FROM offerings o
 WHERE kind <> 'mixer' OR EXISTS (SELECT 1 FROM registrations r WHERE r.offering_id = o.id);
INSERT INTO offering_pools (offering_id, pool, capacity, version)
SELECT id, 'male', capacity / 2, version FROM offerings o
 WHERE kind = 'mixer' AND NOT EXISTS (SELECT 1 FROM registrations r WHERE r.offering_id = o.id);
INSERT INTO offering_pools (offering_id, pool, capacity, version)
SELECT id, 'female', capacity - capacity / 2, version FROM offerings o
 WHERE kind = 'mixer' AND NOT EXISTS (SELECT 1 FROM registrations r WHERE r.offering_id = o.id);

ALTER TABLE registrations ADD COLUMN pool TEXT NOT NULL DEFAULT 'all'
    CHECK (pool IN ('all', 'male', 'female'));
DROP INDEX registrations_waitlist;
CREATE INDEX registrations_waitlist ON registrations (offering_id, pool, status, waitlist_position);
-- One live registration per person and offering, with "live" as domain's RegistrationStatus::LIVE.
DROP INDEX registrations_one_live;
CREATE UNIQUE INDEX registrations_one_live ON registrations (offering_id, user_id)
    WHERE user_id IS NOT NULL
      AND status IN ('pending_review', 'confirmed', 'waitlisted', 'lottery_entered', 'won');

CREATE TABLE activity_settings (
    offering_id       TEXT PRIMARY KEY REFERENCES offerings (id) ON DELETE CASCADE,
    volunteer_hours   BIGINT CHECK (volunteer_hours >= 0),
    planned_hours     BIGINT CHECK (planned_hours >= 0),
    min_share_percent BIGINT NOT NULL DEFAULT 60
                      CHECK (min_share_percent BETWEEN 0 AND 100)
);
INSERT INTO activity_settings (offering_id, volunteer_hours, planned_hours, min_share_percent)
SELECT id, volunteer_hours, planned_hours, min_share_percent FROM offerings WHERE kind = 'activity';

CREATE TABLE course_settings (
    offering_id        TEXT PRIMARY KEY REFERENCES offerings (id) ON DELETE CASCADE,
    term               TEXT NOT NULL DEFAULT '',
    teacher            TEXT NOT NULL DEFAULT '',
    confirm_hours      BIGINT NOT NULL DEFAULT 48 CHECK (confirm_hours >= 1),
    completion_percent BIGINT NOT NULL DEFAULT 75 CHECK (completion_percent BETWEEN 1 AND 100),
    per_term_limit     BIGINT NOT NULL DEFAULT 2 CHECK (per_term_limit >= 1),
    priority           TEXT NOT NULL DEFAULT 'new_learners_first'
                       CHECK (priority IN ('new_learners_first', 'none'))
);
INSERT INTO course_settings (offering_id) SELECT id FROM offerings WHERE kind = 'course';

CREATE TABLE course_lessons (
    offering_id TEXT NOT NULL REFERENCES offerings (id) ON DELETE CASCADE,
    number      BIGINT NOT NULL CHECK (number >= 1),
    starts_at   BIGINT NOT NULL,
    ends_at     BIGINT NOT NULL CHECK (ends_at > starts_at),
    PRIMARY KEY (offering_id, number)
);
-- A course held its first lesson's times and its number of sessions: weekly lessons.
INSERT INTO course_lessons (offering_id, number, starts_at, ends_at)
SELECT o.id, n.i, o.starts_at + (n.i - 1) * 604800, o.ends_at + (n.i - 1) * 604800
  FROM offerings o JOIN generate_series(1, 100) AS n (i) ON n.i <= o.sessions
 WHERE o.kind = 'course';
-- A course now ends with its last lesson.
UPDATE offerings SET ends_at = (SELECT MAX(l.ends_at) FROM course_lessons l
                                 WHERE l.offering_id = offerings.id)
 WHERE kind = 'course';

CREATE TABLE mixer_settings (
    offering_id TEXT PRIMARY KEY REFERENCES offerings (id) ON DELETE CASCADE,
    min_age     BIGINT NOT NULL DEFAULT 18,
    max_age     BIGINT NOT NULL DEFAULT 35 CHECK (max_age >= min_age),
    picks       BIGINT NOT NULL DEFAULT 3 CHECK (picks >= 1)
);
INSERT INTO mixer_settings (offering_id) SELECT id FROM offerings WHERE kind = 'mixer';

-- A draw is for courses only.
UPDATE offerings SET allocation = 'first_come' WHERE kind <> 'course';

-- What moved (a CHECK naming a dropped column goes with it).
ALTER TABLE offerings DROP COLUMN seats_taken;
ALTER TABLE offerings DROP COLUMN waitlist_len;
ALTER TABLE offerings DROP COLUMN capacity;
ALTER TABLE offerings DROP COLUMN sessions;
ALTER TABLE offerings DROP COLUMN volunteer_hours;
ALTER TABLE offerings DROP COLUMN planned_hours;
ALTER TABLE offerings DROP COLUMN min_share_percent;

-- Every device downloads everything again, in the new shape, at its next pull.
UPDATE users SET visibility_epoch = visibility_epoch + 1;
