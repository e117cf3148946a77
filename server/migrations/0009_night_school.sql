-- Night school: applications with public numbers, the draw (a frozen list, a committed seed,
-- the order), winners' deadlines to confirm, attendance per lesson, ratings.

-- A course application's public number (unique within its course) and, once drawn, its place
-- in the draw's order; a place won (or passed on from the waitlist) must be confirmed by
-- `confirm_by` (server clock).
ALTER TABLE registrations ADD COLUMN application_no TEXT;
ALTER TABLE registrations ADD COLUMN draw_position INTEGER;
-- Its priority tier, fixed when the list is frozen at the close (part of the published list).
ALTER TABLE registrations ADD COLUMN draw_tier INTEGER;
ALTER TABLE registrations ADD COLUMN confirm_by INTEGER;
CREATE UNIQUE INDEX registrations_application_no ON registrations (offering_id, application_no)
    WHERE application_no IS NOT NULL;
CREATE INDEX registrations_confirm_by ON registrations (confirm_by) WHERE confirm_by IS NOT NULL;

-- One draw per course: frozen when its window closes (the list's hash, the seed's commitment),
-- drawn once by an admin (the seed revealed, the public value mixed in).
CREATE TABLE course_draws (
    offering_id     TEXT PRIMARY KEY REFERENCES offerings (id) ON DELETE CASCADE,
    frozen_at       INTEGER NOT NULL,
    entries         INTEGER NOT NULL,
    list_hash       TEXT NOT NULL,
    seed            BLOB NOT NULL,   -- secret until drawn
    seed_commitment TEXT NOT NULL,
    public_value    TEXT,
    drawn_at        INTEGER,
    drawn_by        TEXT,
    version         INTEGER NOT NULL
);
CREATE INDEX course_draws_by_version ON course_draws (version);

-- A scan for a course is for one of its lessons.
ALTER TABLE checkins ADD COLUMN lesson INTEGER;
CREATE INDEX checkins_by_registration_lesson ON checkins (registration_id, lesson)
    WHERE lesson IS NOT NULL;

-- A learner's rating of a course (one per registration, editable for a week).
CREATE TABLE course_ratings (
    registration_id TEXT PRIMARY KEY REFERENCES registrations (id) ON DELETE CASCADE,
    offering_id     TEXT NOT NULL REFERENCES offerings (id),
    stars           INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
    comment         TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX course_ratings_by_offering ON course_ratings (offering_id);
