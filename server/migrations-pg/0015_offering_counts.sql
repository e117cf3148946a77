-- PostgreSQL's version of migrations/0015_offering_counts.sql: what the numbers read of an
-- offering's registrations, kept as they change by triggers (confirmed places, those without
-- a check-in, volunteer minutes), filled here from the rows. SQLite's true/false as 1/0 are
-- explicit casts here.
CREATE TABLE offering_counts (
    offering_id TEXT PRIMARY KEY,
    confirmed   BIGINT NOT NULL DEFAULT 0,
    missed      BIGINT NOT NULL DEFAULT 0,
    minutes     BIGINT NOT NULL DEFAULT 0
);

CREATE FUNCTION offering_counts_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO offering_counts AS c (offering_id, confirmed, missed, minutes)
    VALUES (NEW.offering_id, (NEW.status = 'confirmed')::int,
            (NEW.status = 'confirmed' AND NEW.checked_in_at IS NULL)::int, NEW.credited_minutes)
    ON CONFLICT (offering_id) DO UPDATE SET
        confirmed = c.confirmed + excluded.confirmed,
        missed = c.missed + excluded.missed,
        minutes = c.minutes + excluded.minutes;
    RETURN NULL;
END
$$;
CREATE TRIGGER offering_counts_on_insert AFTER INSERT ON registrations
    FOR EACH ROW EXECUTE FUNCTION offering_counts_on_insert();

CREATE FUNCTION offering_counts_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE offering_counts SET
        confirmed = confirmed - (OLD.status = 'confirmed')::int,
        missed = missed - (OLD.status = 'confirmed' AND OLD.checked_in_at IS NULL)::int,
        minutes = minutes - OLD.credited_minutes
     WHERE offering_id = OLD.offering_id;
    INSERT INTO offering_counts AS c (offering_id, confirmed, missed, minutes)
    VALUES (NEW.offering_id, (NEW.status = 'confirmed')::int,
            (NEW.status = 'confirmed' AND NEW.checked_in_at IS NULL)::int, NEW.credited_minutes)
    ON CONFLICT (offering_id) DO UPDATE SET
        confirmed = c.confirmed + excluded.confirmed,
        missed = c.missed + excluded.missed,
        minutes = c.minutes + excluded.minutes;
    RETURN NULL;
END
$$;
CREATE TRIGGER offering_counts_on_update
    AFTER UPDATE OF offering_id, status, checked_in_at, credited_minutes ON registrations
    FOR EACH ROW EXECUTE FUNCTION offering_counts_on_update();

CREATE FUNCTION offering_counts_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE offering_counts SET
        confirmed = confirmed - (OLD.status = 'confirmed')::int,
        missed = missed - (OLD.status = 'confirmed' AND OLD.checked_in_at IS NULL)::int,
        minutes = minutes - OLD.credited_minutes
     WHERE offering_id = OLD.offering_id;
    RETURN NULL;
END
$$;
CREATE TRIGGER offering_counts_on_delete AFTER DELETE ON registrations
    FOR EACH ROW EXECUTE FUNCTION offering_counts_on_delete();

INSERT INTO offering_counts (offering_id, confirmed, missed, minutes)
SELECT offering_id, COUNT(*) FILTER (WHERE status = 'confirmed'),
       COUNT(*) FILTER (WHERE status = 'confirmed' AND checked_in_at IS NULL),
       SUM(credited_minutes)
  FROM registrations GROUP BY offering_id;
