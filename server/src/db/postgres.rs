//! PostgreSQL, as far as it goes today (issue 17, docs/postgres.md): its migrations
//! (`server/migrations-pg/`, paired one for one with SQLite's and checked by the conformance
//! test in `tests/integration/postgres.rs`).

use sqlx::migrate::Migrator;

/// PostgreSQL's migrations, numbered and named as SQLite's (`server/migrations/`).
pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations-pg");
