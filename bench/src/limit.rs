//! The limit: the rush's writes done directly on SQLite, with no HTTP, no authentication and
//! no reads, on a copy of the rush's database (same schema, indexes and rows) and with the
//! server's settings (WAL, `synchronous=FULL`, foreign keys, the writer's page cache). Per registration, the writes the
//! server makes: the client upsert, the version counter, the conditional seat update (the
//! waitlist counter when no seat is left), the registration, and the mutation's outcome; in
//! transactions of the sync writer's largest group commit, statements prepared once.
//!
//! Checkpoints follow the server's policy too (`server/src/db/checkpoint.rs`): the writing
//! connection checkpoints only past [`WRITER_AUTOCHECKPOINT_PAGES`] of WAL, and a thread with a
//! connection of its own runs a passive checkpoint every [`CHECKPOINT_EVERY`] (directly only;
//! the sqlx run keeps SQLite's default, checkpoints inside its commits).
//!
//! Measured twice, on two copies:
//! - **directly** (rusqlite: the same bundled SQLite, called on this thread): SQLite's limit,
//!   the number reported as `sqlite_limit_per_s`;
//! - **through sqlx**, the server's driver, which runs each connection on its own thread and
//!   sends every statement there and back: how much of the limit that driver leaves.

use crate::seed::{self, Account};
use anyhow::ensure;
use sqlx::Connection;
use std::{
    path::Path,
    sync::mpsc,
    time::{Duration, Instant},
};

/// The sync writer's page cache in KiB (`WRITER_CACHE_KIB` in `server/src/db/mod.rs`).
pub const WRITER_CACHE_KIB: i64 = -32 * 1024;

/// The sync writer's largest batch (`MAX_BATCH` in `server/src/sync/writer.rs`).
pub const BATCH: usize = 256;

/// The server's checkpoint period (`CHECKPOINT_EVERY` in `server/src/db/checkpoint.rs`).
pub const CHECKPOINT_EVERY: Duration = Duration::from_millis(250);

/// WAL pages past which the server's writer checkpoints in its own commit
/// (`WRITER_AUTOCHECKPOINT_PAGES` in `server/src/db/checkpoint.rs`).
pub const WRITER_AUTOCHECKPOINT_PAGES: u32 = 10_000;

pub(crate) const UPSERT_CLIENT: &str =
    "INSERT INTO clients (id, user_id, last_mutation_id, visibility_epoch,
                                  clock_skew_ms, created_at, last_seen_at)
     VALUES (?1, ?2, 1, 0, 0, ?3, ?3)
     ON CONFLICT (id) DO UPDATE SET last_mutation_id = excluded.last_mutation_id,
                                    last_seen_at = excluded.last_seen_at";
// The server takes one version for the pool and one for the registration: an update,
// then a read (as the server does; `RETURNING` costs a temporary b-tree per execution).
pub(crate) const TAKE_VERSIONS: &str = "UPDATE version_counter SET value = value + 2 WHERE id = 1";
pub(crate) const READ_VERSION: &str = "SELECT value FROM version_counter WHERE id = 1";
pub(crate) const TAKE_SEAT: &str =
    "UPDATE offering_pools SET seats_taken = seats_taken + 1, version = ?1
      WHERE offering_id = ?2 AND pool = 'all' AND seats_taken < capacity";
pub(crate) const JOIN_WAITLIST: &str = "UPDATE offering_pools SET waitlist_len = waitlist_len + 1,
      version = ?1 WHERE offering_id = ?2 AND pool = 'all'";
pub(crate) const READ_WAITLIST: &str =
    "SELECT waitlist_len FROM offering_pools WHERE offering_id = ?1 AND pool = 'all'";
pub(crate) const INSERT_REGISTRATION: &str =
    "INSERT INTO registrations (id, offering_id, user_id, pool, status, waitlist_position,
                                reject_reason, answers, created_at, received_at, updated_at,
                                version)
     VALUES (?1, ?2, ?3, 'all', ?4, ?5, NULL, '{}', ?6, ?7, ?7, ?8)";
pub(crate) const LOG_MUTATION: &str =
    "INSERT INTO client_mutations (client_id, mutation_id, name, outcome, created_at,
                                   received_at)
     VALUES (?1, 1, 'registration.request', ?2, ?3, ?3)";
pub(crate) const CONFIRMED: &str =
    "SELECT COUNT(*) FROM registrations WHERE offering_id = ?1 AND status = 'confirmed'";

/// What one limit run measured.
#[derive(Debug, Clone)]
pub struct LimitResult {
    /// Registrations written.
    pub registrations: usize,
    /// Wall time of all batches.
    pub wall: Duration,
}

impl LimitResult {
    /// Registrations per second.
    pub fn per_s(&self) -> f64 {
        self.registrations as f64 / self.wall.as_secs_f64()
    }
}

/// The stored outcome, as the server writes it.
pub(crate) fn outcome(position: Option<i64>) -> String {
    match position {
        None => r#"{"outcome":"applied","decision":{"status":"confirmed"}}"#.to_owned(),
        Some(p) => format!(
            r#"{{"outcome":"applied","decision":{{"status":"waitlisted","waitlist_position":{p}}}}}"#
        ),
    }
}

pub(crate) fn status(position: Option<i64>) -> &'static str {
    if position.is_none() {
        "confirmed"
    } else {
        "waitlisted"
    }
}

/// SQLite's limit: one registration per account for `offering` (`seats` seats, waitlist on),
/// directly through the SQLite C library on this thread.
pub fn direct(
    db: &Path,
    accounts: &[Account],
    offering: &str,
    seats: usize,
) -> anyhow::Result<LimitResult> {
    let mut conn = open_direct(db)?;
    conn.pragma_update(None, "wal_autocheckpoint", WRITER_AUTOCHECKPOINT_PAGES)?;
    let checkpoints = Checkpoints::start(open_direct(db)?)?;
    let now_ms = seed::now_ms();
    let now = now_ms / 1000;
    let start = Instant::now();
    for chunk in accounts.chunks(BATCH) {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        for account in chunk {
            let client_id = uuid::Uuid::new_v4().to_string();
            let registration_id = uuid::Uuid::new_v4().to_string();
            tx.prepare_cached(UPSERT_CLIENT)?
                .execute(rusqlite::params![client_id, account.user_id, now])?;
            tx.prepare_cached(TAKE_VERSIONS)?.execute([])?;
            let version: i64 = tx
                .prepare_cached(READ_VERSION)?
                .query_row([], |r| r.get(0))?;
            let seated = tx
                .prepare_cached(TAKE_SEAT)?
                .execute(rusqlite::params![version - 1, offering])?
                == 1;
            let position = if seated {
                None
            } else {
                tx.prepare_cached(JOIN_WAITLIST)?
                    .execute(rusqlite::params![version - 1, offering])?;
                Some(
                    tx.prepare_cached(READ_WAITLIST)?
                        .query_row([offering], |r| r.get::<_, i64>(0))?,
                )
            };
            tx.prepare_cached(INSERT_REGISTRATION)?
                .execute(rusqlite::params![
                    registration_id,
                    offering,
                    account.user_id,
                    status(position),
                    position,
                    now_ms,
                    now,
                    version
                ])?;
            tx.prepare_cached(LOG_MUTATION)?.execute(rusqlite::params![
                client_id,
                outcome(position),
                now_ms
            ])?;
        }
        tx.commit()?;
    }
    let wall = start.elapsed();
    checkpoints.stop()?;
    let confirmed: i64 = conn.query_row(CONFIRMED, [offering], |r| r.get(0))?;
    check(confirmed, seats, accounts.len())?;
    Ok(LimitResult {
        registrations: accounts.len(),
        wall,
    })
}

/// A connection with the server's settings.
fn open_direct(db: &Path) -> rusqlite::Result<rusqlite::Connection> {
    let conn = rusqlite::Connection::open(db)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // The writer's page cache (`WRITER_CACHE_KIB` in `server/src/db/mod.rs`).
    conn.pragma_update(None, "cache_size", WRITER_CACHE_KIB)?;
    conn.busy_timeout(Duration::from_secs(10))?;
    Ok(conn)
}

/// The server's checkpoint thread: a passive checkpoint every [`CHECKPOINT_EVERY`] on a
/// connection of its own, and a last one when stopped.
struct Checkpoints {
    stop: mpsc::Sender<()>,
    thread: std::thread::JoinHandle<rusqlite::Result<()>>,
}

impl Checkpoints {
    fn start(conn: rusqlite::Connection) -> std::io::Result<Self> {
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("limit-checkpoint".into())
            .spawn(move || {
                let passive = || conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                while let Err(mpsc::RecvTimeoutError::Timeout) =
                    stopped.recv_timeout(CHECKPOINT_EVERY)
                {
                    passive()?;
                }
                passive()
            })?;
        Ok(Self { stop, thread })
    }

    fn stop(self) -> anyhow::Result<()> {
        let _ = self.stop.send(());
        self.thread
            .join()
            .map_err(|_| anyhow::anyhow!("the limit's checkpoint thread panicked"))??;
        Ok(())
    }
}

/// The same through sqlx on one connection (statements cached), as the server's writer does.
pub async fn through_sqlx(
    db: &Path,
    accounts: &[Account],
    offering: &str,
    seats: usize,
) -> anyhow::Result<LimitResult> {
    let mut conn = seed::open(db).await?;
    let now_ms = seed::now_ms();
    let now = now_ms / 1000;
    let start = Instant::now();
    for chunk in accounts.chunks(BATCH) {
        let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
        for account in chunk {
            let client_id = uuid::Uuid::new_v4().to_string();
            let registration_id = uuid::Uuid::new_v4().to_string();
            sqlx::query(UPSERT_CLIENT)
                .bind(&client_id)
                .bind(&account.user_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            sqlx::query(TAKE_VERSIONS).execute(&mut *tx).await?;
            let version: i64 = sqlx::query_scalar(READ_VERSION).fetch_one(&mut *tx).await?;
            let seated = sqlx::query(TAKE_SEAT)
                .bind(version - 1)
                .bind(offering)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                == 1;
            let position = if seated {
                None
            } else {
                sqlx::query(JOIN_WAITLIST)
                    .bind(version - 1)
                    .bind(offering)
                    .execute(&mut *tx)
                    .await?;
                Some(
                    sqlx::query_scalar::<_, i64>(READ_WAITLIST)
                        .bind(offering)
                        .fetch_one(&mut *tx)
                        .await?,
                )
            };
            sqlx::query(INSERT_REGISTRATION)
                .bind(&registration_id)
                .bind(offering)
                .bind(&account.user_id)
                .bind(status(position))
                .bind(position)
                .bind(now_ms)
                .bind(now)
                .bind(version)
                .execute(&mut *tx)
                .await?;
            sqlx::query(LOG_MUTATION)
                .bind(&client_id)
                .bind(outcome(position))
                .bind(now_ms)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
    }
    let wall = start.elapsed();
    let confirmed: i64 = sqlx::query_scalar(CONFIRMED)
        .bind(offering)
        .fetch_one(&mut conn)
        .await?;
    conn.close().await?;
    check(confirmed, seats, accounts.len())?;
    Ok(LimitResult {
        registrations: accounts.len(),
        wall,
    })
}

pub(crate) fn check(confirmed: i64, seats: usize, users: usize) -> anyhow::Result<()> {
    ensure!(
        confirmed == i64::try_from(seats.min(users))?,
        "the limit run confirmed {confirmed} for {seats} seats"
    );
    Ok(())
}
