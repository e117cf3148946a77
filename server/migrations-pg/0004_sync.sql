-- PostgreSQL's version of migrations/0004_sync.sql (SQLite's WITHOUT ROWID has no meaning here).
-- Sync: devices (clients), the outcome of every mutation they pushed, and tombstones.

-- A device's install of the app. It belongs to the user who first used it.
CREATE TABLE clients (
    id               TEXT PRIMARY KEY,
    user_id          TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    last_mutation_id BIGINT NOT NULL DEFAULT 0,
    -- The highest cursor this server has handed this device. A device that comes back with a
    -- higher one was served by a database that is gone (restored from an older backup).
    last_cursor      BIGINT NOT NULL DEFAULT 0,
    -- The user's visibility_epoch when this device last downloaded everything.
    visibility_epoch BIGINT NOT NULL DEFAULT 0,
    -- Server clock minus device clock at the last push, for display and audit.
    clock_skew_ms    BIGINT,
    created_at       BIGINT NOT NULL,
    last_seen_at     BIGINT NOT NULL
);
CREATE INDEX clients_by_user ON clients (user_id);

-- Every mutation ever applied or rejected, with its outcome: a retried push gets the same
-- answer, and the log is the audit trail of who did what from which device, and when.
CREATE TABLE client_mutations (
    client_id   TEXT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    mutation_id BIGINT NOT NULL,
    name        TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    created_at  BIGINT NOT NULL, -- the device's clock, Unix ms
    received_at BIGINT NOT NULL, -- the server's clock, Unix ms
    PRIMARY KEY (client_id, mutation_id)
);

-- Rows that are gone (or no longer published), so devices delete them too.
CREATE TABLE tombstones (
    kind    TEXT NOT NULL,
    id      TEXT NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (kind, id)
);
CREATE INDEX tombstones_by_version ON tombstones (version);
CREATE INDEX venues_by_version ON venues (version);
CREATE INDEX offerings_by_version ON offerings (version);
CREATE INDEX registrations_by_user_version ON registrations (user_id, version);
CREATE INDEX registrations_by_offering_version ON registrations (offering_id, version);
CREATE INDEX registrations_waitlist ON registrations (offering_id, status, waitlist_position);
