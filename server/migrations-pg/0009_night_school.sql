-- PostgreSQL's version of migrations/0009_night_school.sql.
-- Night school: applications with public numbers, the draw (a frozen list, a committed seed,
-- the order), winners' deadlines to confirm, attendance per lesson, ratings.

ALTER TABLE registrations ADD COLUMN application_no TEXT;
ALTER TABLE registrations ADD COLUMN draw_position BIGINT;
ALTER TABLE registrations ADD COLUMN draw_tier BIGINT;
ALTER TABLE registrations ADD COLUMN confirm_by BIGINT;
CREATE UNIQUE INDEX registrations_application_no ON registrations (offering_id, application_no)
    WHERE application_no IS NOT NULL;
CREATE INDEX registrations_confirm_by ON registrations (confirm_by) WHERE confirm_by IS NOT NULL;

CREATE TABLE course_draws (
    offering_id     TEXT PRIMARY KEY REFERENCES offerings (id) ON DELETE CASCADE,
    frozen_at       BIGINT NOT NULL,
    entries         BIGINT NOT NULL,
    list_hash       TEXT NOT NULL,
    seed            BYTEA NOT NULL,  -- secret until drawn
    seed_commitment TEXT NOT NULL,
    public_value    TEXT,
    drawn_at        BIGINT,
    drawn_by        TEXT,
    version         BIGINT NOT NULL
);
CREATE INDEX course_draws_by_version ON course_draws (version);

-- A scan for a course is for one of its lessons.
ALTER TABLE checkins ADD COLUMN lesson BIGINT;
CREATE INDEX checkins_by_registration_lesson ON checkins (registration_id, lesson)
    WHERE lesson IS NOT NULL;

-- A learner's rating of a course (one per registration, editable for a week).
CREATE TABLE course_ratings (
    registration_id TEXT PRIMARY KEY REFERENCES registrations (id) ON DELETE CASCADE,
    offering_id     TEXT NOT NULL REFERENCES offerings (id),
    stars           BIGINT NOT NULL CHECK (stars BETWEEN 1 AND 5),
    comment         TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX course_ratings_by_offering ON course_ratings (offering_id);
