//! One integration-test binary: the real server on port 0 with a temporary database.

mod accounts;
mod activities;
mod authz;
mod courses;
mod exports;
mod first_page;
mod hardening;
mod hours;
mod mixers;
mod numbers;
mod postgres;
mod replicas;
mod restore;
mod skeleton;
mod store;
mod store_courses;
mod store_numbers;
mod store_offerings;
mod store_sync;
mod sync;
mod transport;
