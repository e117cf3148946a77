-- PostgreSQL's version of migrations/0016_shared_state.sql.
-- What several server processes on one database share (issue 17), so that they behave as one.
--
-- job_runs: one row per periodic job (the hours sweep, the course sweep, the expiry of old
-- sign-in counts). A process runs a job for period P (Unix seconds / the period's length) only
-- if it moves the row's period up to P, in the same transaction as the job's work: the first
-- process to commit runs it, every other finds the period taken and does nothing, and a run
-- that fails rolls its claim back with its work, leaving the period to be claimed again.
CREATE TABLE job_runs (
    job    TEXT NOT NULL PRIMARY KEY,
    period BIGINT NOT NULL,
    ran_by TEXT NOT NULL,
    ran_at BIGINT NOT NULL
);

-- sign_in_limits: the sign-in limits' counts (server/src/auth/rate_limit.rs), one row per key:
-- 'addr:<address>' (attempts in the window that started at start_ms), 'pair:<account>\n<addr:…
-- or device:…>' (failures in the window), 'account:<account>' (failures, the last at last_ms).
-- Times in Unix milliseconds. Rows quiet for a window are deleted by a periodic job.
CREATE TABLE sign_in_limits (
    key      TEXT NOT NULL PRIMARY KEY,
    start_ms BIGINT NOT NULL,
    count    BIGINT NOT NULL CHECK (count >= 0),
    last_ms  BIGINT NOT NULL
);
CREATE INDEX sign_in_limits_by_last ON sign_in_limits (last_ms);
