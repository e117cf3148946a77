//! WAL checkpoints, off the sync writer's path.
//!
//! In WAL mode every commit appends pages to the `-wal` file; a checkpoint copies them back into
//! the database file (and fsyncs it), after which the next write transaction starts the WAL over
//! from its beginning. By default SQLite checkpoints inside the commit that takes the WAL past
//! 1,000 pages: on the writer's thread, before it can answer the jobs of that batch. Here the
//! writer's connection checkpoints only as a safety valve ([`WRITER_AUTOCHECKPOINT_PAGES`]), and
//! a thread of its own with a connection of its own runs a passive checkpoint every
//! [`CHECKPOINT_EVERY`], and a last one when it is stopped.
//!
//! A passive checkpoint never waits for a lock and never blocks the writer or readers; it copies
//! what no reader still needs. Its fsyncs follow the connection's `synchronous=FULL`: a frame
//! counts as checkpointed only once the database file holding it is on disk, so durability is
//! the same as with SQLite's own checkpoints.
//!
//! Why a safety valve and not `wal_autocheckpoint=0`: the WAL starts over only when a write
//! transaction begins with every frame already copied back. A writer that never pauses (a long
//! rush) always begins its next batch while the background checkpoint is still behind, so the
//! WAL would grow for as long as the rush lasts. Past the valve's size the writer checkpoints
//! once itself (cheap: the background thread has copied most frames already) and the WAL starts
//! over; a test checks that the WAL stays bounded under writes that never pause.

use rusqlite::Connection;
use std::{
    sync::mpsc::{self, RecvTimeoutError},
    thread::JoinHandle,
    time::Duration,
};

/// How often the checkpoint thread copies the WAL back into the database file.
pub const CHECKPOINT_EVERY: Duration = Duration::from_millis(250);

/// WAL pages past which the writer's own commit checkpoints (SQLite's `wal_autocheckpoint`,
/// 1,000 by default): only reached when the writer never pauses long enough for the
/// checkpoint thread to catch up. 4 KiB pages: ≈ 40 MB of WAL at most.
pub const WRITER_AUTOCHECKPOINT_PAGES: u32 = 10_000;

/// What one `PRAGMA wal_checkpoint` reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checkpoint {
    /// The checkpoint could not complete (a lock it needed was held).
    pub busy: bool,
    /// Frames in the WAL.
    pub log: i64,
    /// Frames of those copied into the database file.
    pub checkpointed: i64,
}

/// Runs `PRAGMA wal_checkpoint(mode)` on `conn` (`PASSIVE`, `FULL`, `RESTART` or `TRUNCATE`).
pub fn run(conn: &Connection, mode: &str) -> rusqlite::Result<Checkpoint> {
    conn.query_row(&format!("PRAGMA wal_checkpoint({mode})"), [], |r| {
        Ok(Checkpoint {
            busy: r.get::<_, i64>(0)? != 0,
            log: r.get(1)?,
            checkpointed: r.get(2)?,
        })
    })
}

/// The checkpoint thread. [`Checkpointer::stop`] (or dropping it) ends the thread after a last
/// passive checkpoint.
pub struct Checkpointer {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts a thread that checkpoints `conn`'s database every `every` (use
    /// [`CHECKPOINT_EVERY`]; tests pass their own). `conn` needs the writer's settings
    /// ([`super::open_writer`]): above all `synchronous=FULL`.
    pub fn start(conn: Connection, every: Duration) -> std::io::Result<Self> {
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("wal-checkpoint".into())
            .spawn(move || {
                // Until stopped, or the handle is gone.
                while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(every) {
                    passive(&conn);
                }
                passive(&conn);
            })?;
        Ok(Self {
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// Runs a last checkpoint and waits for the thread to end.
    pub fn stop(mut self) {
        self.end();
    }

    fn end(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            // A panic on that thread has been reported already; there is nothing left to do.
            let _ = thread.join();
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.end();
    }
}

fn passive(conn: &Connection) {
    match run(conn, "PASSIVE") {
        Ok(c) => tracing::trace!(log = c.log, checkpointed = c.checkpointed, "WAL checkpoint"),
        // Logged and retried next time: the WAL only grows meanwhile, up to the writer's valve.
        Err(e) => tracing::warn!(error = %e, "WAL checkpoint failed"),
    }
}
