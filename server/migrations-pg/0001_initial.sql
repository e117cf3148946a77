-- PostgreSQL's version of migrations/0001_initial.sql (the same schema; docs/postgres.md).
-- Never edit a migration after it has shipped: add a new one, in both folders.
-- Times are Unix seconds (UTC) as BIGINT, and every SQLite INTEGER is a BIGINT here, so the
-- server reads each as an i64 on both databases. Flags stay 0/1 integers with their CHECKs.

CREATE TABLE version_counter (
    id    BIGINT PRIMARY KEY CHECK (id = 1),
    value BIGINT NOT NULL
);
INSERT INTO version_counter (id, value) VALUES (1, 0);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    phone         TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    birth_year    BIGINT NOT NULL,
    -- The privacy notice version agreed to, and when.
    consent_version TEXT NOT NULL,
    consent_at      BIGINT NOT NULL,
    -- Required for those under 14: the guardian who consented, and when.
    guardian_name       TEXT,
    guardian_phone      TEXT,
    guardian_consent_at BIGINT,
    -- Bumped when what the user may see changes (roles, assignments): their devices re-download.
    visibility_epoch BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL,
    version       BIGINT NOT NULL
);

-- A person may hold several roles (youth and organizer at once).
CREATE TABLE user_roles (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role    TEXT NOT NULL CHECK (role IN ('youth', 'organizer', 'admin')),
    PRIMARY KEY (user_id, role)
);

CREATE TABLE venues (
    id      TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    address TEXT NOT NULL,
    version BIGINT NOT NULL
);

CREATE TABLE offerings (
    id               TEXT PRIMARY KEY,
    kind             TEXT NOT NULL CHECK (kind IN ('activity', 'course', 'mixer')),
    title            TEXT NOT NULL,
    summary          TEXT NOT NULL,
    category         TEXT NOT NULL,
    venue_id         TEXT NOT NULL REFERENCES venues (id),
    starts_at        BIGINT NOT NULL,
    ends_at          BIGINT NOT NULL CHECK (ends_at > starts_at),
    sessions         BIGINT NOT NULL DEFAULT 1 CHECK (sessions >= 1),
    capacity         BIGINT NOT NULL CHECK (capacity >= 0),
    seats_taken      BIGINT NOT NULL DEFAULT 0 CHECK (seats_taken >= 0 AND seats_taken <= capacity),
    signup_opens_at  BIGINT,           -- NULL: open as soon as published
    signup_closes_at BIGINT NOT NULL,
    requires_approval BIGINT NOT NULL DEFAULT 0 CHECK (requires_approval IN (0, 1)),
    waitlist_enabled  BIGINT NOT NULL DEFAULT 1 CHECK (waitlist_enabled IN (0, 1)),
    -- first_come: seats in the server's order; lottery: a window, then a draw.
    allocation       TEXT NOT NULL DEFAULT 'first_come' CHECK (allocation IN ('first_come', 'lottery')),
    -- Waitlisted registrations, kept with seats_taken in the same transactions.
    waitlist_len     BIGINT NOT NULL DEFAULT 0 CHECK (waitlist_len >= 0),
    volunteer_hours  BIGINT,
    status           TEXT NOT NULL DEFAULT 'published'
                     CHECK (status IN ('draft', 'published', 'cancelled')),
    version          BIGINT NOT NULL
);
CREATE INDEX offerings_by_start ON offerings (status, starts_at);

-- Organizers run the offerings they are assigned to, one by one or a whole venue at once.
CREATE TABLE organizer_assignments (
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    offering_id TEXT REFERENCES offerings (id) ON DELETE CASCADE,
    venue_id    TEXT REFERENCES venues (id) ON DELETE CASCADE,
    CHECK ((offering_id IS NULL) <> (venue_id IS NULL))
);
CREATE UNIQUE INDEX organizer_assignments_unique
    ON organizer_assignments (user_id, COALESCE(offering_id, ''), COALESCE(venue_id, ''));
