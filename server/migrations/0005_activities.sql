-- Activities end to end: questions and hours rules on offerings, check-ins, hours on
-- registrations, walk-ins, and the keys that sign tickets.

ALTER TABLE offerings ADD COLUMN questions TEXT NOT NULL DEFAULT '[]';
ALTER TABLE offerings ADD COLUMN planned_hours INTEGER;
ALTER TABLE offerings ADD COLUMN min_share_percent INTEGER NOT NULL DEFAULT 60;
ALTER TABLE offerings ADD COLUMN cancel_reason TEXT;
ALTER TABLE offerings ADD COLUMN created_at INTEGER;

-- The admin's note on a review decision, or why the offering was cancelled.
ALTER TABLE registrations ADD COLUMN note TEXT;
-- Walk-ins registered at the door have no account: a name and the phone's last four digits.
ALTER TABLE registrations ADD COLUMN walk_in_name TEXT;
ALTER TABLE registrations ADD COLUMN walk_in_last4 TEXT;
-- Hours, recomputed from the scans whenever one arrives (and when a forgotten check-out is
-- closed at the activity's end).
ALTER TABLE registrations ADD COLUMN checked_in_at INTEGER;
ALTER TABLE registrations ADD COLUMN present_minutes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE registrations ADD COLUMN credited_minutes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE registrations ADD COLUMN corrected_minutes INTEGER;
ALTER TABLE registrations ADD COLUMN hours_flags TEXT NOT NULL DEFAULT '[]';
-- 1 while the last scan is a check-in not yet closed.
ALTER TABLE registrations ADD COLUMN open_checkin INTEGER NOT NULL DEFAULT 0;
CREATE INDEX registrations_open_checkin ON registrations (open_checkin) WHERE open_checkin = 1;

-- Every scan, as the device recorded it. Never rejected for having happened; a second
-- check-in from another device is kept and points at the first.
CREATE TABLE checkins (
    id              TEXT PRIMARY KEY,
    registration_id TEXT NOT NULL REFERENCES registrations (id),
    offering_id     TEXT NOT NULL REFERENCES offerings (id),
    kind            TEXT NOT NULL CHECK (kind IN ('in', 'out')),
    scanned_at      INTEGER NOT NULL, -- the device's clock, Unix ms
    at              INTEGER NOT NULL, -- corrected to the server's clock, Unix seconds
    received_at     INTEGER NOT NULL,
    device_id       TEXT NOT NULL,
    client_id       TEXT NOT NULL,
    recorded_by     TEXT,
    duplicate_of    TEXT,
    version         INTEGER NOT NULL
);
CREATE INDEX checkins_by_registration ON checkins (registration_id, at);
CREATE INDEX checkins_by_offering_version ON checkins (offering_id, version);

-- Ed25519 keys that sign tickets. Devices get the public halves.
CREATE TABLE signing_keys (
    id         INTEGER PRIMARY KEY,
    secret     BLOB NOT NULL,
    public_key TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    version    INTEGER NOT NULL
);
CREATE INDEX signing_keys_by_version ON signing_keys (version);
