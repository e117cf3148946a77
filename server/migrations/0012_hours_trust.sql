-- Volunteer hours people can trust: every change of a registration's credited minutes on
-- record, and volunteers' correction requests.

-- One row per change of `registrations.credited_minutes`, written in the same transaction as
-- the change (server/src/db/hours.rs), never updated or deleted but with the registration.
CREATE TABLE hours_changes (
    id              INTEGER PRIMARY KEY,
    registration_id TEXT NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    -- Who: a user, or NULL for the system (a scan's recompute, the sweep closing a check-out).
    changed_by      TEXT REFERENCES users (id) ON DELETE SET NULL,
    changed_at      INTEGER NOT NULL,
    before_minutes  INTEGER NOT NULL,
    after_minutes   INTEGER NOT NULL,
    cause           TEXT NOT NULL CHECK (cause IN ('scan', 'auto_closed', 'correction', 'request')),
    reason          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX hours_changes_by_registration ON hours_changes (registration_id, id);

-- A volunteer's request to correct their credited minutes at an activity; at most one open
-- per registration.
CREATE TABLE hours_requests (
    id              TEXT PRIMARY KEY,
    registration_id TEXT NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    offering_id     TEXT NOT NULL REFERENCES offerings (id) ON DELETE CASCADE,
    user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    current_minutes INTEGER NOT NULL,
    minutes         INTEGER NOT NULL,
    reason          TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'declined')),
    answer          TEXT NOT NULL DEFAULT '',
    answered_by     TEXT REFERENCES users (id) ON DELETE SET NULL,
    answered_at     INTEGER,
    created_at      INTEGER NOT NULL,
    version         INTEGER NOT NULL
);
CREATE UNIQUE INDEX hours_requests_one_open ON hours_requests (registration_id)
    WHERE status = 'open';
CREATE INDEX hours_requests_by_version ON hours_requests (version);
CREATE INDEX hours_requests_by_offering ON hours_requests (offering_id);
CREATE INDEX hours_requests_by_user ON hours_requests (user_id);
