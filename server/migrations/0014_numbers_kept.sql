-- The numbers' reads at a year's size (docs/benchmarks.md, "dashboard_year_ms"):
--   * each person who attended is numbered once (`people`), and attendance keeps the number,
--     so an event's people are read and compared as integers, not as 36-character ids;
--   * each registration keeps how many of its course's lessons it attended
--     (`registrations.lessons_attended`), so a course's completion is one range of an index
--     instead of a count of attendance per learner.
-- Both are kept by triggers, as attendance itself is (migration 0013): every writer keeps them
-- right without knowing of them. This migration rebuilds attendance from the rows.

CREATE TABLE people (
    no     INTEGER PRIMARY KEY,
    person TEXT NOT NULL UNIQUE
);

ALTER TABLE registrations ADD COLUMN lessons_attended INTEGER NOT NULL DEFAULT 0;
DROP INDEX registrations_numbers;

DROP TRIGGER attendances_on_scan;
DROP TRIGGER attendances_on_scan_delete;
DROP TRIGGER attendances_on_scan_update;
DROP TRIGGER attendances_on_registration;
DROP TRIGGER attendances_on_checked_in;
DROP TRIGGER attendances_on_person;
DROP TRIGGER attendances_on_registration_delete;
DROP TABLE attendances;

-- One row per registration per event it attended (lesson 0: an activity's or a mixer's one
-- event; lesson n: a course's lesson n), with the number of the person who attended (the
-- account, or the registration itself without one).
CREATE TABLE attendances (
    registration_id TEXT NOT NULL,
    lesson          INTEGER NOT NULL,
    offering_id     TEXT NOT NULL,
    person_no       INTEGER NOT NULL REFERENCES people (no),
    PRIMARY KEY (registration_id, lesson)
) WITHOUT ROWID;
CREATE INDEX attendances_by_event ON attendances (offering_id, lesson, person_no);

-- A course's lessons attended, kept on the registration.
CREATE TRIGGER lessons_attended_on_insert AFTER INSERT ON attendances
WHEN NEW.lesson <> 0
BEGIN
    UPDATE registrations SET lessons_attended = lessons_attended + 1
     WHERE id = NEW.registration_id;
END;

CREATE TRIGGER lessons_attended_on_delete AFTER DELETE ON attendances
WHEN OLD.lesson <> 0
BEGIN
    UPDATE registrations SET lessons_attended = lessons_attended - 1
     WHERE id = OLD.registration_id;
END;

-- A course's lessons: an 'in' scan with a lesson.
CREATE TRIGGER attendances_on_scan AFTER INSERT ON checkins
WHEN NEW.kind = 'in' AND NEW.lesson IS NOT NULL
BEGIN
    INSERT OR IGNORE INTO people (person)
    SELECT COALESCE(r.user_id, r.id) FROM registrations r WHERE r.id = NEW.registration_id;
    INSERT OR IGNORE INTO attendances (registration_id, lesson, offering_id, person_no)
    SELECT r.id, NEW.lesson, NEW.offering_id,
           (SELECT p.no FROM people p WHERE p.person = COALESCE(r.user_id, r.id))
      FROM registrations r WHERE r.id = NEW.registration_id;
END;

-- A scan taken back (not done by the app today): the lesson stays attended while another
-- 'in' scan of it remains.
CREATE TRIGGER attendances_on_scan_delete AFTER DELETE ON checkins
WHEN OLD.kind = 'in' AND OLD.lesson IS NOT NULL
BEGIN
    DELETE FROM attendances
     WHERE registration_id = OLD.registration_id AND lesson = OLD.lesson
       AND NOT EXISTS (SELECT 1 FROM checkins c
                        WHERE c.registration_id = OLD.registration_id AND c.lesson = OLD.lesson
                          AND c.kind = 'in');
END;

CREATE TRIGGER attendances_on_scan_update AFTER UPDATE OF registration_id, offering_id, kind, lesson
ON checkins
BEGIN
    DELETE FROM attendances
     WHERE OLD.kind = 'in' AND OLD.lesson IS NOT NULL
       AND registration_id = OLD.registration_id AND lesson = OLD.lesson
       AND NOT EXISTS (SELECT 1 FROM checkins c
                        WHERE c.registration_id = OLD.registration_id AND c.lesson = OLD.lesson
                          AND c.kind = 'in');
    INSERT OR IGNORE INTO people (person)
    SELECT COALESCE(r.user_id, r.id) FROM registrations r
     WHERE r.id = NEW.registration_id AND NEW.kind = 'in' AND NEW.lesson IS NOT NULL;
    INSERT OR IGNORE INTO attendances (registration_id, lesson, offering_id, person_no)
    SELECT r.id, NEW.lesson, NEW.offering_id,
           (SELECT p.no FROM people p WHERE p.person = COALESCE(r.user_id, r.id))
      FROM registrations r
     WHERE r.id = NEW.registration_id AND NEW.kind = 'in' AND NEW.lesson IS NOT NULL;
END;

-- An activity's or a mixer's event: the registration checked in.
CREATE TRIGGER attendances_on_registration AFTER INSERT ON registrations
WHEN NEW.checked_in_at IS NOT NULL
BEGIN
    INSERT OR IGNORE INTO people (person) VALUES (COALESCE(NEW.user_id, NEW.id));
    INSERT OR IGNORE INTO attendances (registration_id, lesson, offering_id, person_no)
    VALUES (NEW.id, 0, NEW.offering_id,
            (SELECT p.no FROM people p WHERE p.person = COALESCE(NEW.user_id, NEW.id)));
END;

CREATE TRIGGER attendances_on_checked_in AFTER UPDATE OF checked_in_at ON registrations
BEGIN
    DELETE FROM attendances
     WHERE NEW.checked_in_at IS NULL AND registration_id = NEW.id AND lesson = 0;
    INSERT OR IGNORE INTO people (person)
    SELECT COALESCE(NEW.user_id, NEW.id) WHERE NEW.checked_in_at IS NOT NULL;
    INSERT OR IGNORE INTO attendances (registration_id, lesson, offering_id, person_no)
    SELECT NEW.id, 0, NEW.offering_id,
           (SELECT p.no FROM people p WHERE p.person = COALESCE(NEW.user_id, NEW.id))
     WHERE NEW.checked_in_at IS NOT NULL;
END;

-- The account deleted (user_id set NULL): the registration becomes its own person, as the
-- numbers have always read it.
CREATE TRIGGER attendances_on_person AFTER UPDATE OF user_id, offering_id ON registrations
BEGIN
    INSERT OR IGNORE INTO people (person)
    SELECT COALESCE(NEW.user_id, NEW.id)
     WHERE EXISTS (SELECT 1 FROM attendances WHERE registration_id = NEW.id);
    UPDATE attendances
       SET person_no = (SELECT p.no FROM people p WHERE p.person = COALESCE(NEW.user_id, NEW.id))
     WHERE registration_id = NEW.id;
    UPDATE attendances SET offering_id = NEW.offering_id
     WHERE registration_id = NEW.id AND lesson = 0;
END;

CREATE TRIGGER attendances_on_registration_delete AFTER DELETE ON registrations
BEGIN
    DELETE FROM attendances WHERE registration_id = OLD.id;
END;

-- What was attended before.
INSERT OR IGNORE INTO people (person)
SELECT COALESCE(user_id, id) FROM registrations WHERE checked_in_at IS NOT NULL
UNION
SELECT COALESCE(r.user_id, r.id)
  FROM checkins c JOIN registrations r ON r.id = c.registration_id
 WHERE c.kind = 'in' AND c.lesson IS NOT NULL;
INSERT OR IGNORE INTO attendances (registration_id, lesson, offering_id, person_no)
SELECT r.id, 0, r.offering_id, p.no
  FROM registrations r JOIN people p ON p.person = COALESCE(r.user_id, r.id)
 WHERE r.checked_in_at IS NOT NULL;
INSERT OR IGNORE INTO attendances (registration_id, lesson, offering_id, person_no)
SELECT r.id, c.lesson, c.offering_id, p.no
  FROM checkins c JOIN registrations r ON r.id = c.registration_id
  JOIN people p ON p.person = COALESCE(r.user_id, r.id)
 WHERE c.kind = 'in' AND c.lesson IS NOT NULL;

-- A course's completion from the index alone: its learners' lessons attended (dropped above,
-- before attendance was filled and the counts with it).
CREATE INDEX registrations_numbers ON registrations (offering_id, status, checked_in_at,
                                                     credited_minutes, lessons_attended, id);
