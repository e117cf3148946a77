-- PostgreSQL's version of migrations/0010_mixers.sql. SQLite's triggers are PL/pgSQL trigger
-- functions here, each named as its trigger, with the same WHEN and the same statements.
-- Mixers: a private profile per person, badge numbers per gender, the pick window, private
-- picks and the matches made from them when the window closes.

CREATE TABLE mixer_profiles (
    user_id    TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    profile    TEXT NOT NULL,
    gender     TEXT NOT NULL CHECK (gender IN ('male', 'female')),
    updated_at BIGINT NOT NULL,
    version    BIGINT NOT NULL
);
CREATE INDEX mixer_profiles_by_version ON mixer_profiles (version);

-- A participant's number at the event, per gender (男 01, 女 01 …): given when the place is
-- confirmed, by whichever path confirms it.
ALTER TABLE registrations ADD COLUMN badge_no BIGINT;
CREATE UNIQUE INDEX registrations_badge ON registrations (offering_id, pool, badge_no)
    WHERE badge_no IS NOT NULL;

CREATE FUNCTION registrations_badge() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE registrations SET badge_no = (
        SELECT COALESCE(MAX(badge_no), 0) + 1 FROM registrations
         WHERE offering_id = NEW.offering_id AND pool = NEW.pool)
     WHERE id = NEW.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER registrations_badge_on_insert AFTER INSERT ON registrations
    FOR EACH ROW
    WHEN (NEW.status = 'confirmed' AND NEW.pool IN ('male', 'female') AND NEW.badge_no IS NULL)
    EXECUTE FUNCTION registrations_badge();
CREATE TRIGGER registrations_badge_on_confirm AFTER UPDATE OF status ON registrations
    FOR EACH ROW
    WHEN (NEW.status = 'confirmed' AND NEW.pool IN ('male', 'female') AND NEW.badge_no IS NULL)
    EXECUTE FUNCTION registrations_badge();
-- Places confirmed before this migration, numbered in the order they came.
UPDATE registrations SET badge_no = (
    SELECT n FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY offering_id, pool
                                                 ORDER BY received_at, id) AS n
                     FROM registrations
                    WHERE status = 'confirmed' AND pool IN ('male', 'female')) b
     WHERE b.id = registrations.id)
 WHERE status = 'confirmed' AND pool IN ('male', 'female');

-- The pick window, opened and closed by an organizer (server clock).
ALTER TABLE mixer_settings ADD COLUMN picks_opened_at BIGINT;
ALTER TABLE mixer_settings ADD COLUMN picks_closed_at BIGINT;
ALTER TABLE mixer_settings ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
CREATE INDEX mixer_settings_by_version ON mixer_settings (version);

-- A participant's current picks (each submission replaces the earlier ones).
CREATE TABLE mixer_picks (
    registration_id TEXT NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    picked_id       TEXT NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    offering_id     TEXT NOT NULL REFERENCES offerings (id) ON DELETE CASCADE,
    PRIMARY KEY (registration_id, picked_id)
);
CREATE INDEX mixer_picks_by_offering ON mixer_picks (offering_id);

-- Mutual picks, made once when the window closes (a_id < b_id).
CREATE TABLE mixer_matches (
    offering_id TEXT NOT NULL REFERENCES offerings (id) ON DELETE CASCADE,
    a_id        TEXT NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    b_id        TEXT NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    PRIMARY KEY (a_id, b_id),
    CHECK (a_id < b_id)
);
CREATE INDEX mixer_matches_by_b ON mixer_matches (b_id);
CREATE INDEX mixer_matches_by_offering ON mixer_matches (offering_id);
