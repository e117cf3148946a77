-- Two indexes that only duplicate the leading columns of others: every query by user or by
-- offering is served as well by `registrations_by_user_version` (user_id, version) and
-- `registrations_waitlist` (offering_id, status, waitlist_position), or
-- `registrations_by_offering_version` (offering_id, version); `registrations_use_their_indexes`
-- in server/src/db/registrations.rs checks the plans. Each was one more B-tree to update on
-- every registration written.
DROP INDEX registrations_by_user;
DROP INDEX registrations_by_offering;
