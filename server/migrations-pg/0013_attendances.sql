-- PostgreSQL's version of migrations/0013_attendances.sql: attendance as it happens, one row
-- per registration per event it attended (lesson 0: an activity's or a mixer's one event, from
-- `registrations.checked_in_at`; lesson n: a course's lesson n, from its 'in' scans), kept by
-- triggers from every path that writes scans or check-ins. Each SQLite trigger is a PL/pgSQL
-- function of the same name with the same WHEN and statements (INSERT OR IGNORE: ON CONFLICT
-- DO NOTHING).
CREATE TABLE attendances (
    registration_id TEXT NOT NULL,
    lesson          BIGINT NOT NULL,
    offering_id     TEXT NOT NULL,
    person          TEXT NOT NULL,
    PRIMARY KEY (registration_id, lesson)
);
CREATE INDEX attendances_by_event ON attendances (offering_id, lesson, person);

-- A course's lessons: an 'in' scan with a lesson.
CREATE FUNCTION attendances_on_scan() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO attendances (registration_id, lesson, offering_id, person)
    SELECT r.id, NEW.lesson, NEW.offering_id, COALESCE(r.user_id, r.id)
      FROM registrations r WHERE r.id = NEW.registration_id
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;
CREATE TRIGGER attendances_on_scan AFTER INSERT ON checkins
    FOR EACH ROW WHEN (NEW.kind = 'in' AND NEW.lesson IS NOT NULL)
    EXECUTE FUNCTION attendances_on_scan();

-- A scan taken back (not done by the app today): the lesson stays attended while another
-- 'in' scan of it remains.
CREATE FUNCTION attendances_on_scan_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM attendances
     WHERE registration_id = OLD.registration_id AND lesson = OLD.lesson
       AND NOT EXISTS (SELECT 1 FROM checkins c
                        WHERE c.registration_id = OLD.registration_id AND c.lesson = OLD.lesson
                          AND c.kind = 'in');
    RETURN NULL;
END
$$;
CREATE TRIGGER attendances_on_scan_delete AFTER DELETE ON checkins
    FOR EACH ROW WHEN (OLD.kind = 'in' AND OLD.lesson IS NOT NULL)
    EXECUTE FUNCTION attendances_on_scan_delete();

CREATE FUNCTION attendances_on_scan_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM attendances
     WHERE OLD.kind = 'in' AND OLD.lesson IS NOT NULL
       AND registration_id = OLD.registration_id AND lesson = OLD.lesson
       AND NOT EXISTS (SELECT 1 FROM checkins c
                        WHERE c.registration_id = OLD.registration_id AND c.lesson = OLD.lesson
                          AND c.kind = 'in');
    INSERT INTO attendances (registration_id, lesson, offering_id, person)
    SELECT r.id, NEW.lesson, NEW.offering_id, COALESCE(r.user_id, r.id)
      FROM registrations r
     WHERE r.id = NEW.registration_id AND NEW.kind = 'in' AND NEW.lesson IS NOT NULL
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;
CREATE TRIGGER attendances_on_scan_update
    AFTER UPDATE OF registration_id, offering_id, kind, lesson ON checkins
    FOR EACH ROW EXECUTE FUNCTION attendances_on_scan_update();

-- An activity's or a mixer's event: the registration checked in.
CREATE FUNCTION attendances_on_registration() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO attendances (registration_id, lesson, offering_id, person)
    VALUES (NEW.id, 0, NEW.offering_id, COALESCE(NEW.user_id, NEW.id))
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;
CREATE TRIGGER attendances_on_registration AFTER INSERT ON registrations
    FOR EACH ROW WHEN (NEW.checked_in_at IS NOT NULL)
    EXECUTE FUNCTION attendances_on_registration();

CREATE FUNCTION attendances_on_checked_in() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM attendances
     WHERE NEW.checked_in_at IS NULL AND registration_id = NEW.id AND lesson = 0;
    INSERT INTO attendances (registration_id, lesson, offering_id, person)
    SELECT NEW.id, 0, NEW.offering_id, COALESCE(NEW.user_id, NEW.id)
     WHERE NEW.checked_in_at IS NOT NULL
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;
CREATE TRIGGER attendances_on_checked_in AFTER UPDATE OF checked_in_at ON registrations
    FOR EACH ROW EXECUTE FUNCTION attendances_on_checked_in();

-- The account deleted (user_id set NULL): the registration becomes its own person.
CREATE FUNCTION attendances_on_person() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE attendances SET person = COALESCE(NEW.user_id, NEW.id)
     WHERE registration_id = NEW.id;
    UPDATE attendances SET offering_id = NEW.offering_id
     WHERE registration_id = NEW.id AND lesson = 0;
    RETURN NULL;
END
$$;
CREATE TRIGGER attendances_on_person AFTER UPDATE OF user_id, offering_id ON registrations
    FOR EACH ROW EXECUTE FUNCTION attendances_on_person();

CREATE FUNCTION attendances_on_registration_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM attendances WHERE registration_id = OLD.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER attendances_on_registration_delete AFTER DELETE ON registrations
    FOR EACH ROW EXECUTE FUNCTION attendances_on_registration_delete();

-- What was attended before.
INSERT INTO attendances (registration_id, lesson, offering_id, person)
SELECT id, 0, offering_id, COALESCE(user_id, id) FROM registrations
 WHERE checked_in_at IS NOT NULL
ON CONFLICT DO NOTHING;
INSERT INTO attendances (registration_id, lesson, offering_id, person)
SELECT r.id, c.lesson, c.offering_id, COALESCE(r.user_id, r.id)
  FROM checkins c JOIN registrations r ON r.id = c.registration_id
 WHERE c.kind = 'in' AND c.lesson IS NOT NULL
ON CONFLICT DO NOTHING;

-- The numbers' reads of an offering's registrations and of its ratings from the index alone.
CREATE INDEX registrations_numbers ON registrations (offering_id, status, checked_in_at,
                                                     credited_minutes, id);
CREATE INDEX course_ratings_numbers ON course_ratings (offering_id, stars);
DROP INDEX course_ratings_by_offering;
