-- What the numbers read of an offering's registrations, kept as they change (as attendance is,
-- migrations 0013 and 0014), so that a year's dashboard reads one row per offering instead of
-- every registration (docs/benchmarks.md, "dashboard_year_ms"):
--   confirmed  its confirmed registrations (the no-show rate's denominator);
--   missed     those without a check-in (its numerator);
--   minutes    the volunteer minutes credited over all its registrations.
-- Triggers keep it from every path that writes registrations (the sync writer, walk-ins, hours
-- recomputes, seeds that insert rows directly); this migration fills it from the rows.
CREATE TABLE offering_counts (
    offering_id TEXT PRIMARY KEY,
    confirmed   INTEGER NOT NULL DEFAULT 0,
    missed      INTEGER NOT NULL DEFAULT 0,
    minutes     INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE TRIGGER offering_counts_on_insert AFTER INSERT ON registrations
BEGIN
    INSERT INTO offering_counts (offering_id, confirmed, missed, minutes)
    VALUES (NEW.offering_id, NEW.status = 'confirmed',
            NEW.status = 'confirmed' AND NEW.checked_in_at IS NULL, NEW.credited_minutes)
    ON CONFLICT (offering_id) DO UPDATE SET
        confirmed = confirmed + excluded.confirmed,
        missed = missed + excluded.missed,
        minutes = minutes + excluded.minutes;
END;

CREATE TRIGGER offering_counts_on_update
AFTER UPDATE OF offering_id, status, checked_in_at, credited_minutes ON registrations
BEGIN
    UPDATE offering_counts SET
        confirmed = confirmed - (OLD.status = 'confirmed'),
        missed = missed - (OLD.status = 'confirmed' AND OLD.checked_in_at IS NULL),
        minutes = minutes - OLD.credited_minutes
     WHERE offering_id = OLD.offering_id;
    INSERT INTO offering_counts (offering_id, confirmed, missed, minutes)
    VALUES (NEW.offering_id, NEW.status = 'confirmed',
            NEW.status = 'confirmed' AND NEW.checked_in_at IS NULL, NEW.credited_minutes)
    ON CONFLICT (offering_id) DO UPDATE SET
        confirmed = confirmed + excluded.confirmed,
        missed = missed + excluded.missed,
        minutes = minutes + excluded.minutes;
END;

CREATE TRIGGER offering_counts_on_delete AFTER DELETE ON registrations
BEGIN
    UPDATE offering_counts SET
        confirmed = confirmed - (OLD.status = 'confirmed'),
        missed = missed - (OLD.status = 'confirmed' AND OLD.checked_in_at IS NULL),
        minutes = minutes - OLD.credited_minutes
     WHERE offering_id = OLD.offering_id;
END;

INSERT INTO offering_counts (offering_id, confirmed, missed, minutes)
SELECT offering_id, SUM(status = 'confirmed'),
       SUM(status = 'confirmed' AND checked_in_at IS NULL), SUM(credited_minutes)
  FROM registrations GROUP BY offering_id;
