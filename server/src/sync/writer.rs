//! The sync writer: one thread, one connection, group commit.
//!
//! Every write that touches the registration rules runs here as a job: pushes, and the other
//! callers of those rules (account deletion, the sweep of forgotten check-outs). The writer owns
//! a synchronous rusqlite connection on an OS thread of its own, so a job's statements run one
//! after the other with no hop to a driver thread and no await between them, each prepared once
//! and kept.
//!
//! The thread takes every job waiting (up to [`MAX_BATCH`]), runs them one after the other
//! inside one `BEGIN IMMEDIATE` transaction, commits once (`synchronous=FULL`: durable), and
//! only then answers each job. A job that fails, or panics, rolls back only itself: the batch is
//! first run optimistically, with no savepoints, and if a job fails it is rolled back whole and
//! run again carefully, each job in its own savepoint, the failed one left out. Savepoints copy
//! every page a job touches into a sub-journal first; they took a fifth of the writer's time
//! although jobs almost never fail. After a batch with a failure, batches stay careful until
//! one has none, so a stream of failing jobs costs what it cost before, not twice. Under load
//! (the last batch had more than one job) a batch waits [`COMMIT_DELAY`] for company before
//! it runs, like PostgreSQL's `commit_delay`: fewer, fuller commits; a lone request never
//! waits. A rush of many clients costs one fsync per batch instead of one per request, and
//! since SQLite has one writer anyway nothing is lost by serialising here. WAL checkpoints run beside it, on a thread
//! of their own (`db::checkpoint`), not inside its commits. The thread ends when every [`Writer`]
//! handle is gone, after answering the jobs still queued and a last checkpoint.

use super::push;
use crate::db::{
    sql::{Conn, PgSync},
    writing::Writing,
};
use crate::{
    db::{
        checkpoint::{self, Checkpointer},
        venue::Actor,
    },
    error::ApiError,
};
use domain::sync::{PushRequest, PushResponse};

use sqlx::sqlite::SqliteConnectOptions;
use std::{
    panic::{AssertUnwindSafe, catch_unwind},
    time::Duration,
};
use tokio::sync::{mpsc, oneshot};

/// Jobs taken into one transaction at most.
pub const MAX_BATCH: usize = 256;

/// How long a batch waits for more jobs while others keep arriving (see [`should_wait`]).
pub const COMMIT_DELAY: Duration = Duration::from_micros(300);

/// Jobs that may wait for the writer before senders wait too.
const QUEUE: usize = 4096;

/// A handle for queueing work on the writer. Cheap to clone.
#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::Sender<Box<dyn Job>>,
}

/// Why the writer could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// Its connection could not be opened.
    #[error("opening the writer's connection: {0}")]
    Open(#[from] rusqlite::Error),
    /// Its connection could not be opened, or its statements prepared.
    #[error("opening the writer's connection: {0}")]
    Sql(#[from] crate::db::sql::Error),
    /// Its thread could not be started.
    #[error("starting the writer's thread: {0}")]
    Thread(#[from] std::io::Error),
}

/// The writer's thread, to wait for its end.
pub struct Running {
    done: oneshot::Receiver<()>,
}

impl Running {
    /// Completes when the thread has answered its last job, run a last WAL checkpoint and
    /// closed its connections (once every [`Writer`] handle is dropped).
    pub async fn stopped(self) {
        // An error only means the thread is gone, which is what we wait for.
        let _ = self.done.await;
    }
}

impl Writer {
    /// Opens the writer's connection to the database behind `options` (which must be migrated)
    /// and starts its thread.
    pub fn start(options: &SqliteConnectOptions) -> Result<(Self, Running), StartError> {
        Self::start_with(
            options,
            checkpoint::CHECKPOINT_EVERY,
            checkpoint::WRITER_AUTOCHECKPOINT_PAGES,
        )
    }

    /// [`Writer::start`] with another checkpoint period and writer's WAL limit (for tests).
    fn start_with(
        options: &SqliteConnectOptions,
        checkpoint_every: Duration,
        writer_checkpoint_pages: u32,
    ) -> Result<(Self, Running), StartError> {
        let raw = crate::db::open_writer(options)?;
        // Checkpoints run on a thread of their own; the writer's commits only checkpoint if
        // that thread cannot keep up (see `db::checkpoint`).
        raw.pragma_update(None, "wal_autocheckpoint", writer_checkpoint_pages)?;
        let conn = Conn::Sqlite(raw);
        // Its statements are prepared here first, so a schema they do not fit stops the start.
        drop(Writing::new(&conn)?);
        let checkpointer = Checkpointer::start(crate::db::open_writer(options)?, checkpoint_every)?;
        Self::spawn(move || Ok(conn), Some(checkpointer))
            .map(|(writer, running, _)| (writer, running))
    }

    /// Starts the writer on PostgreSQL: one connection of its own, driven on the writer's
    /// thread. Completes once the connection is open (or says why it could not be).
    pub async fn start_postgres(
        options: sqlx::postgres::PgConnectOptions,
    ) -> Result<(Self, Running), StartError> {
        let (writer, running, ready) = Self::spawn(
            move || Ok(Conn::Postgres(Box::new(PgSync::connect(&options)?))),
            None,
        )?;
        match ready.await {
            Ok(Ok(())) => Ok((writer, running)),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(StartError::Sql(crate::db::sql::Error::Invalid(
                "the writer's thread ended before it started".into(),
            ))),
        }
    }

    /// The thread: opens its connection with `open` (on the thread: PostgreSQL's is driven
    /// there), says whether it could, then serves jobs until every handle is gone.
    #[allow(clippy::type_complexity)]
    fn spawn(
        open: impl FnOnce() -> crate::db::sql::Result<Conn> + Send + 'static,
        checkpointer: Option<Checkpointer>,
    ) -> Result<(Self, Running, oneshot::Receiver<Result<(), StartError>>), StartError> {
        let (jobs, rx) = mpsc::channel(QUEUE);
        let (done, stopped) = oneshot::channel();
        let (ready, started) = oneshot::channel();
        std::thread::Builder::new()
            .name("sync-writer".into())
            .spawn(move || {
                match open().and_then(|conn| Writing::new(&conn).map(drop).map(|()| conn)) {
                    Ok(conn) => {
                        let _ = ready.send(Ok(()));
                        match Writing::new(&conn) {
                            Ok(w) => serve(&w, rx),
                            // Prepared once already: only a schema changed since can get
                            // here. Every push is then answered that the writer is stopping.
                            Err(e) => {
                                tracing::error!(error = %e, "the writer cannot prepare its statements")
                            }
                        }
                    }
                    Err(e) => {
                        let _ = ready.send(Err(StartError::Sql(e)));
                    }
                }
                // After the last commit: a last checkpoint, then the thread ends.
                if let Some(checkpointer) = checkpointer {
                    checkpointer.stop();
                }
                // Dropped, not sent, when the thread unwinds: `stopped` completes either way.
                let _ = done.send(());
            })?;
        Ok((Self { jobs }, Running { done: stopped }, started))
    }

    /// Runs `work` on the writer's connection inside a write transaction (in the next batch)
    /// and answers once that transaction is durable. An `Err`, or a panic, rolls back what
    /// `work` wrote and nothing else.
    ///
    /// `work` may run more than once: when another job of its batch fails, what it wrote is
    /// rolled back and it runs again, and only that last run is kept and answered. It must
    /// therefore do nothing but read and write through the connection it is given.
    pub async fn run<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnMut(&Writing<'_>) -> Result<T, ApiError> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let job = Box::new(Task {
            work,
            result: None,
            reply,
        });
        self.jobs
            .send(job)
            .await
            .map_err(|_| ApiError::stopping())?;
        answer.await.map_err(|_| ApiError::stopping())?
    }

    /// Applies a push by `actor`; answers after its transaction is durable.
    pub async fn push(&self, actor: Actor, request: PushRequest) -> Result<PushResponse, ApiError> {
        self.run(move |conn| push::apply(conn, &actor, &request, now_ms()))
            .await
    }
}

fn now_ms() -> i64 {
    let ms = time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000;
    i64::try_from(ms).unwrap_or(i64::MAX)
}

/// A queued job, type-erased: its work inside the batch, then its answer after the commit.
trait Job: Send {
    /// Runs the work on `w` (again, if it ran before: the last run's result counts);
    /// whether to keep what it wrote.
    fn run(&mut self, w: &Writing<'_>) -> bool;
    /// Whether its last run failed.
    fn failed(&self) -> bool;
    /// Sends the answer: the work's result if it is an error or the batch committed; when the
    /// batch did not commit because the database could not be reached, a 503 saying so.
    fn answer(self: Box<Self>, committed: bool, unavailable: bool);
}

struct Task<T, F> {
    work: F,
    result: Option<Result<T, ApiError>>,
    reply: oneshot::Sender<Result<T, ApiError>>,
}

impl<T, F> Job for Task<T, F>
where
    T: Send,
    F: FnMut(&Writing<'_>) -> Result<T, ApiError> + Send,
{
    fn run(&mut self, w: &Writing<'_>) -> bool {
        let work = &mut self.work;
        // A panic in one job must not take the thread down: every later push would be lost.
        let result = catch_unwind(AssertUnwindSafe(|| work(w))).unwrap_or_else(|panic| {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            tracing::error!(panic = %what, "a writer job panicked; its writes are rolled back");
            Err(ApiError::Internal(anyhow::anyhow!(
                "a writer job panicked: {what}"
            )))
        });
        let keep = result.is_ok();
        self.result = Some(result);
        keep
    }

    fn failed(&self) -> bool {
        matches!(self.result, Some(Err(_)))
    }

    fn answer(self: Box<Self>, committed: bool, unavailable: bool) {
        let result = match self.result {
            Some(Err(e)) => Err(e),
            Some(Ok(value)) if committed => Ok(value),
            _ if unavailable => Err(ApiError::new(
                domain::ErrorCode::Unavailable,
                "the database cannot be reached; nothing was changed, try again soon",
            )),
            _ => Err(ApiError::Internal(anyhow::anyhow!(
                "the writer's transaction did not commit"
            ))),
        };
        // The caller may have gone; what it asked for is applied and it will learn so next time.
        let _ = self.reply.send(result);
    }
}

/// The thread's loop: a batch per wake-up until every handle is dropped and the queue is empty.
fn serve(w: &Writing<'_>, mut rx: mpsc::Receiver<Box<dyn Job>>) {
    let mut batch: Vec<Box<dyn Job>> = Vec::with_capacity(MAX_BATCH);
    // Whether the last batch had a failing job: then this one starts with savepoints.
    let mut careful = false;
    // How many jobs the last batch had.
    let mut last = 0;
    while let Some(first) = rx.blocking_recv() {
        batch.push(first);
        let drain = |batch: &mut Vec<Box<dyn Job>>, rx: &mut mpsc::Receiver<Box<dyn Job>>| {
            while batch.len() < MAX_BATCH {
                match rx.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
        };
        drain(&mut batch, &mut rx);
        if should_wait(last, batch.len()) {
            std::thread::sleep(COMMIT_DELAY);
            drain(&mut batch, &mut rx);
        }
        last = batch.len();
        // Jobs catch their own panics; this guards the few lines around them, so the thread
        // survives whatever happens (a transaction left open is rolled back below).
        // After PostgreSQL went away: a new connection first, or the batch is answered that
        // the database cannot be reached (nothing of it applied; the devices push it again).
        let mut unavailable = false;
        let committed = match catch_unwind(AssertUnwindSafe(|| {
            w.recover()?;
            commit_batch(w, &mut batch, careful)
        })) {
            Ok(Ok(failures)) => {
                careful = failures;
                true
            }
            Ok(Err(e)) if e.is_unavailable() => {
                tracing::warn!(error = %e, jobs = batch.len(), "the database cannot be reached; the batch was not applied");
                unavailable = true;
                careful = true;
                false
            }
            Ok(Err(e)) => {
                tracing::error!(error = %e, jobs = batch.len(), "writer batch failed; nothing was applied");
                careful = true;
                false
            }
            Err(_) => {
                tracing::error!(
                    jobs = batch.len(),
                    "writer batch panicked; nothing was applied"
                );
                careful = true;
                false
            }
        };
        if !w.is_autocommit() {
            // A batch that failed part-way: nothing of it stays.
            if let Err(e) = w.execute_batch("ROLLBACK") {
                tracing::error!(error = %e, "rolling back a failed batch failed");
            }
        }
        for job in batch.drain(..) {
            job.answer(committed, unavailable);
        }
    }
}

/// Whether a batch of `taken` jobs should wait [`COMMIT_DELAY`] for more before it runs, the
/// last batch having had `last`. Only under load (the last batch had company): then a short
/// wait fills the batch, and every job it gathers saves a commit's WAL writes and fsync; with
/// the CPU shared by the request handlers, fewer commits mean more requests served (the rush
/// on two cores: ≈ 20 % more per second, see docs/benchmarks.md). A lone request, the
/// everyday case, never waits.
fn should_wait(last: usize, taken: usize) -> bool {
    last > 1 && taken < MAX_BATCH
}

/// Runs and commits `batch`; whether a job failed. Optimistically first (no savepoints) unless
/// `careful`; when a job fails there, the transaction is rolled back and the batch runs again
/// carefully, without the failed job.
fn commit_batch(
    w: &Writing<'_>,
    batch: &mut [Box<dyn Job>],
    careful: bool,
) -> crate::db::sql::Result<bool> {
    // Plain SQL rather than rusqlite's `Transaction`, which needs the connection `&mut` while
    // the held statements borrow it. The caller rolls back whatever is left open on an error.
    if !careful {
        w.begin_write()?;
        // Stops at the first failure (`all` short-circuits).
        if batch.iter_mut().all(|job| job.run(w)) {
            w.execute_batch("COMMIT")?;
            return Ok(false);
        }
        w.execute_batch("ROLLBACK")?;
        // Then the careful run below leaves the failed job out; when it was the only one, that
        // transaction writes nothing and its commit costs nothing.
    }
    w.begin_write()?;
    let mut failures = false;
    for job in batch.iter_mut() {
        // A job that failed in the optimistic run keeps that answer and is not run again.
        if job.failed() {
            failures = true;
            continue;
        }
        w.execute_batch("SAVEPOINT job")?;
        if job.run(w) {
            w.execute_batch("RELEASE job")?;
        } else {
            failures = true;
            w.execute_batch("ROLLBACK TO job; RELEASE job")?;
        }
    }
    w.execute_batch("COMMIT")?;
    Ok(failures)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::audit;
    use crate::db::sql::Conn;
    use time::OffsetDateTime;

    use crate::db::test_database as database;

    /// Records `action` in the audit log: a write any job can make and a test can look for.
    fn mark(conn: &Conn, action: &str) -> Result<(), ApiError> {
        audit::record_on(
            conn,
            "test",
            action,
            "writer",
            &(),
            &(),
            OffsetDateTime::UNIX_EPOCH,
        )?;
        Ok(())
    }

    async fn marks(db: &crate::db::Db) -> Vec<String> {
        sqlx::query_scalar("SELECT action FROM audit_log WHERE target = 'writer' ORDER BY id")
            .fetch_all(&db.pool)
            .await
            .unwrap()
    }

    /// Holds the writer's thread in a job until the returned sender is used (or dropped), so the
    /// jobs queued meanwhile are taken into one batch after it (or into its own batch: the
    /// writer may take them with it). It waits on its first run only, so it may run again.
    fn hold(writer: &Writer) -> std::sync::mpsc::Sender<()> {
        let (release, held) = std::sync::mpsc::channel::<()>();
        let w = writer.clone();
        let mut waited = false;
        tokio::spawn(async move {
            w.run(move |_| {
                if !waited {
                    waited = true;
                    let _ = held.recv();
                }
                Ok(())
            })
            .await
        });
        release
    }

    #[tokio::test]
    async fn a_failing_or_panicking_job_rolls_back_only_itself() {
        let (_dir, db) = database().await;
        let (writer, _running) = Writer::start(&db.options).unwrap();
        let release = hold(&writer);
        let job = |action: &'static str, end: fn() -> Result<(), ApiError>| {
            let w = writer.clone();
            tokio::spawn(async move {
                w.run(move |conn| {
                    mark(conn, action)?;
                    end()
                })
                .await
            })
        };
        let first = job("first", || Ok(()));
        let fails = job("fails", || Err(ApiError::forbidden()));
        let panics = job("panics", || panic!("a bug in a rule"));
        let last = job("last", || Ok(()));
        tokio::time::sleep(Duration::from_millis(50)).await;
        release.send(()).unwrap();

        assert!(first.await.unwrap().is_ok());
        assert!(matches!(
            fails.await.unwrap(),
            Err(ApiError::Client {
                code: domain::ErrorCode::Forbidden,
                ..
            })
        ));
        assert!(matches!(panics.await.unwrap(), Err(ApiError::Internal(_))));
        assert!(last.await.unwrap().is_ok());
        assert_eq!(marks(&db).await, ["first", "last"]);
        // And the thread is still there.
        writer.run(|conn| mark(conn, "after")).await.unwrap();
        assert_eq!(marks(&db).await, ["first", "last", "after"]);
    }

    #[tokio::test]
    async fn after_a_failure_the_others_run_again_and_are_kept_once_the_failed_one_runs_once() {
        use std::sync::{
            Arc,
            atomic::{AtomicUsize, Ordering},
        };
        let (_dir, db) = database().await;
        let (writer, _running) = Writer::start(&db.options).unwrap();
        let runs: Arc<[AtomicUsize; 4]> = Arc::new(Default::default());
        let release = hold(&writer);
        // Four jobs in one batch; the third fails after writing.
        let jobs: Vec<_> = (0..4)
            .map(|i| {
                let (w, runs) = (writer.clone(), runs.clone());
                tokio::spawn(async move {
                    w.run(move |conn| {
                        runs[i].fetch_add(1, Ordering::SeqCst);
                        mark(conn, &format!("job {i}"))?;
                        if i == 2 {
                            return Err(ApiError::forbidden());
                        }
                        Ok(i)
                    })
                    .await
                })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(50)).await;
        release.send(()).unwrap();
        let mut answers = Vec::new();
        for job in jobs {
            answers.push(job.await.unwrap().ok());
        }
        assert_eq!(answers, [Some(0), Some(1), None, Some(3)]);
        let runs: Vec<usize> = runs.iter().map(|r| r.load(Ordering::SeqCst)).collect();
        // The optimistic run stopped at the failure; the careful run redid the first two,
        // left the failed one out, and ran the last.
        assert_eq!(runs, [2, 2, 1, 1]);
        assert_eq!(marks(&db).await, ["job 0", "job 1", "job 3"]);

        // The next batches are as before: a lone failing job runs once and leaves nothing.
        let lone = Arc::new(AtomicUsize::new(0));
        let counted = lone.clone();
        let err = writer
            .run(move |conn| {
                counted.fetch_add(1, Ordering::SeqCst);
                mark(conn, "lone")?;
                Err::<(), _>(ApiError::forbidden())
            })
            .await
            .unwrap_err();
        assert!(matches!(err, ApiError::Client { .. }), "{err:?}");
        assert_eq!(lone.load(Ordering::SeqCst), 1);
        writer.run(|conn| mark(conn, "after")).await.unwrap();
        assert_eq!(marks(&db).await, ["job 0", "job 1", "job 3", "after"]);
    }

    #[test]
    fn a_batch_waits_for_company_only_under_load_and_only_when_not_full() {
        // A lone request after a quiet spell, or after another lone one, runs at once.
        assert!(!should_wait(0, 1));
        assert!(!should_wait(1, 1));
        assert!(!should_wait(1, 5));
        // Under load, a batch that is not full waits for more.
        assert!(should_wait(2, 1));
        assert!(should_wait(40, 39));
        assert!(should_wait(MAX_BATCH, MAX_BATCH - 1));
        // A full batch never waits.
        assert!(!should_wait(MAX_BATCH, MAX_BATCH));
    }

    #[tokio::test]
    async fn a_database_error_in_a_job_is_an_internal_error_and_rolls_it_back() {
        let (_dir, db) = database().await;
        let (writer, _running) = Writer::start(&db.options).unwrap();
        let err = writer
            .run(|conn| {
                mark(conn, "before the error")?;
                conn.execute("INSERT INTO no_such_table VALUES (1)", [])?;
                Ok(())
            })
            .await
            .unwrap_err();
        assert!(matches!(err, ApiError::Sql(_)), "{err:?}");
        let body = axum::response::IntoResponse::into_response(err);
        assert_eq!(body.status(), 500);
        assert!(marks(&db).await.is_empty());
    }

    #[tokio::test]
    async fn a_commit_that_fails_answers_an_error_keeps_nothing_and_the_writer_goes_on() {
        let (_dir, db) = database().await;
        let (writer, _running) = Writer::start(&db.options).unwrap();
        // A foreign key checked only at COMMIT: the job succeeds, its commit fails, and SQLite
        // leaves that transaction open.
        let err = writer
            .run(|conn| {
                mark(conn, "in the failed commit")?;
                conn.execute_batch(
                    "PRAGMA defer_foreign_keys = ON;
                     INSERT INTO clients (id, user_id, created_at, last_seen_at)
                     VALUES ('c', 'nobody', 0, 0);",
                )?;
                Ok(())
            })
            .await
            .unwrap_err();
        assert!(matches!(err, ApiError::Internal(_)), "{err:?}");
        // The open transaction was rolled back: the next job has a transaction of its own.
        writer.run(|conn| mark(conn, "after")).await.unwrap();
        assert_eq!(marks(&db).await, ["after"]);
    }

    #[tokio::test]
    async fn jobs_queued_when_the_last_handle_goes_are_answered_then_the_thread_stops() {
        let (_dir, db) = database().await;
        let (writer, running) = Writer::start(&db.options).unwrap();
        let release = hold(&writer);
        let queued: Vec<_> = (0..3)
            .map(|i| {
                let w = writer.clone();
                tokio::spawn(async move { w.run(move |conn| mark(conn, &format!("{i}"))).await })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(50)).await;
        drop(writer);
        release.send(()).unwrap();
        for job in queued {
            job.await.unwrap().unwrap();
        }
        tokio::time::timeout(Duration::from_secs(5), running.stopped())
            .await
            .expect("the thread stops once every handle is gone");
        assert_eq!(marks(&db).await, ["0", "1", "2"]);
    }

    #[tokio::test]
    async fn a_busy_database_delays_the_writer_and_fails_nothing() {
        let (_dir, db) = database().await;
        let (writer, _running) = Writer::start(&db.options).unwrap();
        // Another connection holds the write lock for a moment.
        let pool = crate::db::pool::Pool::Sqlite(db.pool.clone());
        let mut tx = pool.begin_write().await.unwrap();
        tx.execute("UPDATE version_counter SET value = value + 1", vec![])
            .await
            .unwrap();
        let w = writer.clone();
        let job = tokio::spawn(async move { w.run(|conn| mark(conn, "waited")).await });
        tokio::time::sleep(Duration::from_millis(200)).await;
        tx.commit().await.unwrap();
        job.await.unwrap().unwrap();
        assert_eq!(marks(&db).await, ["waited"]);
    }

    /// Writes `rows` audit rows of 3 KB each: about `rows` WAL pages.
    fn bulk(conn: &Conn, rows: usize) -> Result<(), ApiError> {
        let text = "x".repeat(3000);
        let mut insert = conn.prepare_cached(
            "INSERT INTO audit_log (actor_id, action, target, before, at)
             VALUES ('test', 'bulk', 'bulk', ?1, 0)",
        )?;
        for _ in 0..rows {
            insert.execute([&text])?;
        }
        Ok(())
    }

    fn wal_bytes(db: &crate::db::Db) -> u64 {
        let mut wal = db.options.get_filename().as_os_str().to_owned();
        wal.push("-wal");
        std::fs::metadata(wal).map_or(0, |m| m.len())
    }

    #[tokio::test]
    async fn the_checkpoint_thread_copies_the_wal_back_and_the_wal_starts_over() {
        let (_dir, db) = database().await;
        let (writer, _running) = Writer::start(&db.options).unwrap();
        // ≈ 2,000 pages: past SQLite's default autocheckpoint, far below the writer's own.
        writer.run(|conn| bulk(conn, 2000)).await.unwrap();
        let written = wal_bytes(&db);
        assert!(written > 2000 * 4096, "{written}");
        // The thread copies those pages back within a period; the next write starts the WAL
        // over from its beginning, which it does only when every frame has been copied back.
        tokio::time::sleep(checkpoint::CHECKPOINT_EVERY * 4).await;
        writer.run(|conn| mark(conn, "after")).await.unwrap();
        let conn = crate::db::sql::Conn::Sqlite(crate::db::open_writer(&db.options).unwrap());
        let now = checkpoint::run(conn.sqlite().unwrap(), "PASSIVE").unwrap();
        assert!(!now.busy);
        assert!(now.log < 50, "the WAL did not start over: {now:?}");
        // The file is reused from its beginning, not grown.
        assert_eq!(wal_bytes(&db), written);
    }

    #[tokio::test]
    async fn the_wal_stays_bounded_under_writes_that_never_pause() {
        let (_dir, db) = database().await;
        // A small valve, so a short test writes many times past it.
        let valve = 500;
        let (writer, _running) =
            Writer::start_with(&db.options, checkpoint::CHECKPOINT_EVERY, valve).unwrap();
        // Four writers keep jobs queued the whole time: the writer never waits for work.
        let tasks: Vec<_> = (0..4)
            .map(|_| {
                let w = writer.clone();
                tokio::spawn(async move {
                    for _ in 0..50 {
                        w.run(|conn| bulk(conn, 40)).await.unwrap();
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
        // 8,000 pages written; the WAL never held much more than the valve plus one batch
        // (four jobs of ≈ 40 pages).
        let bound = (u64::from(valve) + 4 * 60 + 100) * 4096;
        assert!(wal_bytes(&db) <= bound, "{} > {bound}", wal_bytes(&db));
    }

    #[tokio::test]
    async fn stopping_the_writer_checkpoints_every_frame() {
        let (_dir, db) = database().await;
        let (writer, running) = Writer::start(&db.options).unwrap();
        for _ in 0..10 {
            writer.run(|conn| bulk(conn, 100)).await.unwrap();
        }
        drop(writer);
        tokio::time::timeout(Duration::from_secs(5), running.stopped())
            .await
            .expect("the writer stops");
        // The pool is still open, so the WAL is still there: every frame in it is copied back.
        let conn = crate::db::sql::Conn::Sqlite(crate::db::open_writer(&db.options).unwrap());
        let after = checkpoint::run(conn.sqlite().unwrap(), "PASSIVE").unwrap();
        assert!(!after.busy);
        assert!(after.log > 0, "{after:?}");
        assert_eq!(after.checkpointed, after.log);
    }
}
