//! The database: connecting by URL, migrations, and the queries the routes use.
//!
//! Two drivers reach the one SQLite file (one bundled SQLite: sqlx and rusqlite link the same
//! `libsqlite3-sys`). The sqlx pool serves reads and the writes that touch no registration rule
//! (accounts, sessions, roles, the offering editor). The sync writer (`sync::writer`) owns a
//! rusqlite connection on a thread of its own and runs every write that does touch those rules
//! (`registrations`, `venue`, `hours`): synchronous statements, prepared once, with no hop to a
//! driver thread per statement. Both sides take the write lock with `BEGIN IMMEDIATE` and wait
//! for it (`BUSY_TIMEOUT`), so neither can fail to upgrade a read into a write.

/// The columns `offerings::Common` reads, to put in front of a `FROM offerings o` and a
/// `WHERE`: the literal, for `concat!` in a statement's constant (`offerings::COMMON` holds it
/// too). Visible to the whole crate (`#[macro_use]` on `db`).
macro_rules! offering_columns {
    () => {
        "o.id, o.kind, o.title, o.summary, o.category, o.venue_id, o.starts_at,
        o.ends_at, o.signup_opens_at, o.signup_closes_at, o.requires_approval,
        o.waitlist_enabled, o.allocation, o.questions, o.status, o.cancel_reason, o.version"
    };
}

/// The lessons a registration (`r` in the query) was checked in at, as one text: their numbers
/// in order, joined by commas (`1,2,5`), or NULL for none. `lessons_attended!(sqlite)` or
/// `lessons_attended!(postgres)`, each database's text aggregate, for `concat!` in a
/// statement's constant.
macro_rules! lessons_attended {
    (sqlite) => {
        "(SELECT group_concat(lesson) FROM (SELECT DISTINCT c.lesson FROM checkins c
           WHERE c.registration_id = r.id AND c.lesson IS NOT NULL AND c.kind = 'in'
           ORDER BY c.lesson))"
    };
    (postgres) => {
        "(SELECT string_agg(CAST(d.lesson AS TEXT), ',' ORDER BY d.lesson)
            FROM (SELECT DISTINCT c.lesson FROM checkins c
                   WHERE c.registration_id = r.id AND c.lesson IS NOT NULL AND c.kind = 'in') d)"
    };
}

pub mod audit;
pub mod catalogue;
pub mod checkpoint;
pub mod clients;
pub mod corrections;
pub mod course;
pub mod exports;
pub mod hours;
pub mod jobs;
pub mod keys;
pub mod league;
pub mod mixer;
pub mod numbers;
pub mod offerings;
pub mod pool;
pub mod postgres;
pub mod registrations;
pub mod sql;
pub mod users;
pub mod venue;
pub mod writing;

use sqlx::{
    SqlitePool,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};
use std::{path::Path, str::FromStr, time::Duration};

/// How long a connection waits for SQLite's write lock before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The writer's page cache, in KiB (as `PRAGMA cache_size` takes it when negative).
pub const WRITER_CACHE_KIB: i64 = -32 * 1024;

/// Statements the writer's connection keeps prepared: every statement of the writer's rules
/// fits, so none is parsed twice.
const WRITER_STATEMENT_CACHE: usize = 128;

/// Why the database could not be opened. Each says its cause in one short line and keeps no
/// source chain: the caller names the database (redacted), and a printed chain would repeat
/// the cause (sqlx's text ends with SQLite's).
#[derive(Debug, thiserror::Error)]
pub enum DbOpenError {
    /// The URL names a backend this build does not have.
    #[error(
        "unsupported database URL: use sqlite://path/to/file.db or postgres://user@host/database"
    )]
    UnsupportedScheme,
    /// The folder for the database file could not be created.
    #[error("cannot create its folder {path}: {error}")]
    Folder {
        /// The folder.
        path: String,
        /// The IO error.
        error: std::io::Error,
    },
    /// SQLite refused to open the file (it cannot be created, or is not a database).
    #[error("{}", sqlite_message(.0))]
    Sqlx(sqlx::Error),
    /// A migration failed.
    #[error("cannot migrate it: {0}")]
    Migrate(sqlx::migrate::MigrateError),
    /// A PostgreSQL database that could not be opened (see [`postgres::open`]).
    #[error("{0}")]
    Postgres(postgres::PgStartError),
}

impl From<sqlx::Error> for DbOpenError {
    fn from(e: sqlx::Error) -> Self {
        Self::Sqlx(e)
    }
}

impl From<sqlx::migrate::MigrateError> for DbOpenError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        Self::Migrate(e)
    }
}

/// SQLite's own words for a database error ("unable to open database file", "file is not a
/// database"), sqlx's text for anything else.
fn sqlite_message(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::Database(db) => db.message().to_owned(),
        other => other.to_string(),
    }
}

/// The database: a pool for reads and ordinary writes, and the options to open the sync
/// writer's own connection.
pub struct Db {
    /// Shared connections.
    pub pool: SqlitePool,
    /// How to open another connection to the same database.
    pub options: SqliteConnectOptions,
}

/// The database the server runs on, opened and migrated.
pub enum Store {
    /// The embedded default.
    Sqlite(Db),
    /// Several replicas may share it.
    Postgres(postgres::PgDb),
}

/// Opens and migrates the database at `url`, SQLite (created if missing) or PostgreSQL.
pub async fn open_store(url: &str) -> Result<Store, DbOpenError> {
    if postgres::is_postgres_url(url) {
        return postgres::open(url)
            .await
            .map(Store::Postgres)
            .map_err(DbOpenError::Postgres);
    }
    open(url).await.map(Store::Sqlite)
}

/// Opens (creating if missing) and migrates the SQLite database at `url`.
pub async fn open(url: &str) -> Result<Db, DbOpenError> {
    let Some(path) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    else {
        return Err(DbOpenError::UnsupportedScheme);
    };
    let file = path.split('?').next().unwrap_or(path);
    if let Some(parent) = Path::new(file)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent).map_err(|error| DbOpenError::Folder {
            path: parent.display().to_string(),
            error,
        })?;
    }
    let options = SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // FULL: nothing is acknowledged to a client before it is on disk.
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(BUSY_TIMEOUT);
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options.clone())
        .await?;
    sqlx::migrate!("./migrations").run(&pool).await?;
    Ok(Db { pool, options })
}

/// Opens a synchronous connection to the database file behind `options` with the pool's
/// settings (WAL, `synchronous=FULL`, foreign keys, the same busy timeout): the sync writer's
/// connection. The database must exist and be migrated (see [`open`]).
pub fn open_writer(options: &SqliteConnectOptions) -> rusqlite::Result<rusqlite::Connection> {
    use rusqlite::OpenFlags;
    let conn = rusqlite::Connection::open_with_flags(
        options.get_filename(),
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // FULL: nothing is acknowledged to a client before it is on disk.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // The writer's savepoints (one per job) copy every page a job changes first into the
    // sub-journal; past 64 KiB in a transaction SQLite spills it to a temporary file, and then
    // a fifth of the writer's time went to writing that file. In memory it is a memcpy; it is
    // only for rolling a job back within its transaction, never needed after a crash.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    // A page cache that holds a whole batch's pages: with SQLite's default (2 MB) a batch of a
    // few hundred pushes, each dirtying pages all over the registrations' indexes, overflowed
    // it, spilled pages to the WAL before the commit, and read them back.
    conn.pragma_update(None, "cache_size", WRITER_CACHE_KIB)?;
    conn.set_prepared_statement_cache_capacity(WRITER_STATEMENT_CACHE);
    Ok(conn)
}

/// Runs `work` in a write transaction of its own on `conn` (committed if it succeeds, rolled
/// back if not): for tools and tests; the server runs such work as jobs on its sync writer.
pub fn in_write_transaction<T>(
    conn: &sql::Conn,
    work: impl FnOnce(&writing::Writing<'_>) -> sql::Result<T>,
) -> sql::Result<T> {
    let w = writing::Writing::new(conn)?;
    conn.begin_write()?;
    match work(&w) {
        Ok(v) => {
            conn.execute_batch("COMMIT")?;
            Ok(v)
        }
        Err(e) => {
            conn.execute_batch("ROLLBACK")?;
            Err(e)
        }
    }
}

/// A freshly migrated database in a temporary folder (removed when the folder is dropped).
#[cfg(test)]
pub(crate) async fn test_database() -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("qt.db").display());
    let db = open(&url).await.unwrap();
    (dir, db)
}

/// How SQLite would run `sql` on a freshly migrated database: `EXPLAIN QUERY PLAN`'s steps.
#[cfg(test)]
pub(crate) async fn query_plan(sql: &str) -> Vec<String> {
    let (_dir, db) = test_database().await;
    let conn = open_writer(&db.options).unwrap();
    let mut plan = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
    let nulls = vec![rusqlite::types::Null; plan.parameter_count()];
    plan.query_map(rusqlite::params_from_iter(nulls), |r| r.get(3))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// Asserts that every step of `plan` reading `registrations` (as `registrations` or `r`) looks
/// rows up through an index instead of scanning the table.
#[cfg(test)]
pub(crate) fn assert_registrations_by_index(plan: &[String]) {
    let steps: Vec<&String> = plan
        .iter()
        .filter(|step| matches!(step.split_whitespace().nth(1), Some("registrations" | "r")))
        .collect();
    assert!(!steps.is_empty(), "{plan:#?}");
    for step in steps {
        assert!(
            step.starts_with("SEARCH") && step.contains("INDEX"),
            "{step}: {plan:#?}"
        );
    }
}

/// The writer's statements for [`writing::Writing::take_versions`]: an update, then a read.
/// `RETURNING` would buffer its row in a temporary b-tree that SQLite opens and closes for every
/// execution, which costs more than reading the row again.
const WRITER_TAKE_VERSIONS: &str = "UPDATE version_counter SET value = value + ?1 WHERE id = 1";
const READ_VERSION: &str = "SELECT value FROM version_counter WHERE id = 1";

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_writers_connection_has_the_settings_its_speed_depends_on() {
        let (_dir, db) = test_database().await;
        let conn = open_writer(&db.options).unwrap();
        let pragma = |name: &str| -> String {
            conn.query_row(&format!("PRAGMA {name}"), [], |r| {
                r.get::<_, rusqlite::types::Value>(0)
            })
            .map(|v| format!("{v:?}"))
            .unwrap()
        };
        assert_eq!(pragma("journal_mode"), r#"Text("wal")"#);
        // 2 = FULL: nothing is acknowledged before it is on disk.
        assert_eq!(pragma("synchronous"), "Integer(2)");
        assert_eq!(pragma("foreign_keys"), "Integer(1)");
        // 2 = MEMORY: savepoints' sub-journals are not written to a file.
        assert_eq!(pragma("temp_store"), "Integer(2)");
        assert_eq!(pragma("cache_size"), format!("Integer({WRITER_CACHE_KIB})"));
    }
}
