-- Attendance as it happens (the committee's 人次 and 人, domain::numbers): one row per
-- registration per event it attended, kept by the triggers below from every path that writes
-- scans or check-ins (the sync writer, walk-ins, hours recomputes, seeds that insert rows
-- directly), so the numbers read it instead of recounting the scans.
--   lesson 0:  an activity's or a mixer's one event, attended when the registration is checked
--              in (`registrations.checked_in_at`, as the numbers have always read it);
--   lesson n:  a course's lesson n, attended with any 'in' scan of it (`checkins.lesson`).
-- `person` is who attended: the account, or the registration itself for a walk-in without one
-- (and for a registration whose account was deleted: it follows `registrations.user_id`).
-- Duplicate scans are one row (the key); the numbers count distinct (event, person).
CREATE TABLE attendances (
    registration_id TEXT NOT NULL,
    lesson          INTEGER NOT NULL,
    offering_id     TEXT NOT NULL,
    person          TEXT NOT NULL,
    PRIMARY KEY (registration_id, lesson)
) WITHOUT ROWID;
CREATE INDEX attendances_by_event ON attendances (offering_id, lesson, person);

-- A course's lessons: an 'in' scan with a lesson.
CREATE TRIGGER attendances_on_scan AFTER INSERT ON checkins
WHEN NEW.kind = 'in' AND NEW.lesson IS NOT NULL
BEGIN
    INSERT OR IGNORE INTO attendances (registration_id, lesson, offering_id, person)
    SELECT r.id, NEW.lesson, NEW.offering_id, COALESCE(r.user_id, r.id)
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
    INSERT OR IGNORE INTO attendances (registration_id, lesson, offering_id, person)
    SELECT r.id, NEW.lesson, NEW.offering_id, COALESCE(r.user_id, r.id)
      FROM registrations r
     WHERE r.id = NEW.registration_id AND NEW.kind = 'in' AND NEW.lesson IS NOT NULL;
END;

-- An activity's or a mixer's event: the registration checked in.
CREATE TRIGGER attendances_on_registration AFTER INSERT ON registrations
WHEN NEW.checked_in_at IS NOT NULL
BEGIN
    INSERT OR IGNORE INTO attendances (registration_id, lesson, offering_id, person)
    VALUES (NEW.id, 0, NEW.offering_id, COALESCE(NEW.user_id, NEW.id));
END;

CREATE TRIGGER attendances_on_checked_in AFTER UPDATE OF checked_in_at ON registrations
BEGIN
    DELETE FROM attendances
     WHERE NEW.checked_in_at IS NULL AND registration_id = NEW.id AND lesson = 0;
    INSERT OR IGNORE INTO attendances (registration_id, lesson, offering_id, person)
    SELECT NEW.id, 0, NEW.offering_id, COALESCE(NEW.user_id, NEW.id)
     WHERE NEW.checked_in_at IS NOT NULL;
END;

-- The account deleted (user_id set NULL): the registration becomes its own person, as the
-- numbers have always read it.
CREATE TRIGGER attendances_on_person AFTER UPDATE OF user_id, offering_id ON registrations
BEGIN
    UPDATE attendances SET person = COALESCE(NEW.user_id, NEW.id)
     WHERE registration_id = NEW.id;
    UPDATE attendances SET offering_id = NEW.offering_id
     WHERE registration_id = NEW.id AND lesson = 0;
END;

CREATE TRIGGER attendances_on_registration_delete AFTER DELETE ON registrations
BEGIN
    DELETE FROM attendances WHERE registration_id = OLD.id;
END;

-- What was attended before.
INSERT OR IGNORE INTO attendances (registration_id, lesson, offering_id, person)
SELECT id, 0, offering_id, COALESCE(user_id, id) FROM registrations
 WHERE checked_in_at IS NOT NULL;
INSERT OR IGNORE INTO attendances (registration_id, lesson, offering_id, person)
SELECT r.id, c.lesson, c.offering_id, COALESCE(r.user_id, r.id)
  FROM checkins c JOIN registrations r ON r.id = c.registration_id
 WHERE c.kind = 'in' AND c.lesson IS NOT NULL;

-- The numbers' reads of an offering's registrations (volunteer minutes, confirmed places
-- without a check-in, a course's learners for completion) and of its ratings from the index
-- alone, without reading each row.
CREATE INDEX registrations_numbers ON registrations (offering_id, status, checked_in_at,
                                                     credited_minutes, id);
CREATE INDEX course_ratings_numbers ON course_ratings (offering_id, stars);
DROP INDEX course_ratings_by_offering;
