-- PostgreSQL's version of migrations/0006_drop_prefix_indexes.sql: two indexes that only
-- duplicate the leading columns of others.
DROP INDEX registrations_by_user;
DROP INDEX registrations_by_offering;
