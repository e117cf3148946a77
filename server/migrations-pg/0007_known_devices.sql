-- PostgreSQL's version of migrations/0007_known_devices.sql.
-- Known devices: a device that signs in to an account gets a long-lived random token, kept
-- here only as a SHA-256 hash. Presented at sign-in, it spares that device the account's
-- slow-down under attack; it grants nothing else. One device keeps one token, known for
-- each account that signed in on it (a row each).
CREATE TABLE known_devices (
    token_hash   TEXT NOT NULL,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT NOT NULL,
    PRIMARY KEY (token_hash, user_id)
);
CREATE INDEX known_devices_by_user ON known_devices (user_id, last_used_at);
