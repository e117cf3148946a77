//! `qingtuan-server backup PATH`, run as the built binary: a consistent copy taken while a
//! server runs and another connection keeps writing; and each refusal is one line, a non-zero
//! exit and no file left behind.

use std::{
    io::{BufRead, BufReader},
    path::{Path, PathBuf},
    process::{Child, Command, Output, Stdio},
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

/// The binary with nothing from the environment that would change what it does or prints.
fn binary() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
    command
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE")
        .env_remove("RUST_LOG")
        .env_remove("DATABASE_URL")
        .env_remove("QINGTUAN_DEMO")
        .env_remove("QINGTUAN_LOG_JSON")
        .stdin(Stdio::null());
    command
}

fn url(file: &Path) -> String {
    format!("sqlite://{}", file.display())
}

/// A server running on `db` (created and migrated by it), once it says it runs.
struct Running(Child);

impl Running {
    fn start(db: &Path, dir: &Path) -> Self {
        let mut child = binary()
            .args(["--addr", "127.0.0.1:0", "--database-url", &url(db)])
            .arg("--static-dir")
            .arg(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server binary runs");
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            assert!(Instant::now() < deadline, "the server did not start");
            match lines.next() {
                Some(Ok(line)) if line.contains("is running") => break,
                Some(_) => {}
                None => panic!("the server stopped before it ran"),
            }
        }
        Self(child)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A connection like the server's own: WAL, waits for the write lock.
fn connect(db: &Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.busy_timeout(Duration::from_secs(10)).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn
}

/// Inserts venue `w-<n>` with the next version, n = 0, 1, 2 … each in its own transaction,
/// until `stop`; `committed` counts those committed.
fn keep_writing(db: PathBuf, committed: Arc<AtomicU64>, stop: Arc<AtomicBool>) {
    let mut conn = connect(&db);
    let mut n = 0u64;
    while !stop.load(Ordering::Relaxed) {
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .unwrap();
        let version: i64 = tx
            .query_row(
                "UPDATE version_counter SET value = value + 1 WHERE id = 1 RETURNING value",
                [],
                |r| r.get(0),
            )
            .unwrap();
        tx.execute(
            "INSERT INTO venues (id, name, address, version) VALUES (?1, ?1, 'by the writer', ?2)",
            rusqlite::params![format!("w-{n}"), version],
        )
        .unwrap();
        tx.commit().unwrap();
        n += 1;
        committed.store(n, Ordering::SeqCst);
    }
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_backup_taken_while_the_server_runs_and_rows_are_written_holds_every_committed_row() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("qt.db");
    let _server = Running::start(&db, dir.path());
    let backups = tempfile::tempdir().unwrap();
    let copy = backups.path().join("qt-backup.db");

    let committed = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let writer = std::thread::spawn({
        let (db, committed, stop) = (db.clone(), committed.clone(), stop.clone());
        move || keep_writing(db, committed, stop)
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    while committed.load(Ordering::SeqCst) < 200 {
        assert!(Instant::now() < deadline, "the writer is stuck");
        std::thread::sleep(Duration::from_millis(5));
    }
    let before = committed.load(Ordering::SeqCst);
    let Output {
        status,
        stdout,
        stderr,
    } = binary()
        .args([
            "backup",
            copy.to_str().unwrap(),
            "--database-url",
            &url(&db),
        ])
        .output()
        .unwrap();
    let after = committed.load(Ordering::SeqCst);
    stop.store(true, Ordering::Relaxed);
    writer.join().unwrap();
    let stdout = String::from_utf8_lossy(&stdout);
    assert!(
        status.success(),
        "{status}: {}",
        String::from_utf8_lossy(&stderr)
    );
    assert!(
        after > before,
        "the writer went on during the backup ({before} rows before, {after} after)"
    );

    // Says what it wrote.
    let first = stdout.lines().next().unwrap_or_default();
    assert!(
        first.starts_with(&format!("backup written to {}", copy.display())),
        "{stdout}"
    );
    assert!(first.contains("integrity ok"), "{stdout}");
    assert!(
        stdout
            .lines()
            .any(|l| l.split_whitespace().next() == Some("venues")),
        "counts the rows of each table: {stdout}"
    );
    assert_eq!(
        files_in(backups.path()),
        ["qt-backup.db"],
        "nothing else left"
    );

    // A sound database, one file, with every row committed before the backup began, and no
    // row without every row committed before it (one snapshot).
    let conn =
        rusqlite::Connection::open_with_flags(&copy, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "delete", "a backup is one self-contained file");
    let written: Vec<i64> = conn
        .prepare("SELECT CAST(substr(id, 3) AS INTEGER) FROM venues WHERE id LIKE 'w-%' ORDER BY 1")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let held = written.len() as u64;
    let written: Vec<u64> = written.into_iter().map(|n| n as u64).collect();
    assert!(
        held >= before,
        "{held} rows: lost some of the {before} committed before the backup"
    );
    assert!(held <= after, "{held} rows, more than were ever written");
    assert_eq!(
        written,
        (0..held).collect::<Vec<_>>(),
        "the rows are one prefix of the writes"
    );
    let (counter, newest): (i64, i64) = conn
        .query_row(
            "SELECT (SELECT value FROM version_counter), (SELECT MAX(version) FROM venues)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        counter, newest,
        "the counter is where its last write left it"
    );
    assert!(
        first.contains(&format!("version {counter}")),
        "names the version it holds: {first}"
    );
}

/// Runs `backup` with `args` and checks what every refusal must be: a non-zero exit, one line
/// on stderr, nothing on stdout, no file created in `dir`. Returns the line.
fn refused(args: &[&str], dir: &Path) -> String {
    let files = files_in(dir);
    let Output {
        status,
        stdout,
        stderr,
    } = binary().arg("backup").args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&stderr).into_owned();
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(stdout.is_empty(), "{}", String::from_utf8_lossy(&stdout));
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(
        stderr.starts_with("qingtuan-server: backup failed: "),
        "{stderr}"
    );
    assert_eq!(files_in(dir), files, "nothing created or removed");
    stderr
}

/// A migrated database in `dir`, made by the server (started, then stopped).
fn database(dir: &Path) -> PathBuf {
    let db = dir.join("qt.db");
    drop(Running::start(&db, dir));
    db
}

#[test]
fn an_existing_file_is_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());
    let dest = dir.path().join("old-backup.db");
    std::fs::write(&dest, "keep me").unwrap();
    let line = refused(
        &[dest.to_str().unwrap(), "--database-url", &url(&db)],
        dir.path(),
    );
    assert!(line.contains("already exists"), "{line}");
    assert_eq!(std::fs::read_to_string(&dest).unwrap(), "keep me");
}

#[test]
fn a_missing_database_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("gone.db");
    let dest = dir.path().join("b.db");
    let line = refused(
        &[dest.to_str().unwrap(), "--database-url", &url(&missing)],
        dir.path(),
    );
    assert!(
        line.contains(&format!("there is no database at {}", missing.display())),
        "{line}"
    );
    assert!(!missing.exists(), "the backup did not create the source");
}

#[test]
fn a_file_that_is_not_a_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notes.db");
    std::fs::write(&file, "not the pages of a SQLite database ".repeat(200)).unwrap();
    let dest = dir.path().join("b.db");
    let line = refused(
        &[dest.to_str().unwrap(), "--database-url", &url(&file)],
        dir.path(),
    );
    assert!(line.contains("file is not a database"), "{line}");
    // An empty file is a SQLite database, but not ours.
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, "").unwrap();
    let line = refused(
        &[dest.to_str().unwrap(), "--database-url", &url(&empty)],
        dir.path(),
    );
    assert!(line.contains("holds no Qingtuan data"), "{line}");
}

#[test]
fn a_destination_that_cannot_be_written_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());
    // A file under a plain file cannot be created, even by root.
    std::fs::write(dir.path().join("plain-file"), "").unwrap();
    let dest = dir.path().join("plain-file").join("b.db");
    let line = refused(
        &[dest.to_str().unwrap(), "--database-url", &url(&db)],
        dir.path(),
    );
    assert!(
        line.contains(&format!("cannot write {}", dest.display())),
        "{line}"
    );
    assert!(line.contains("Not a directory"), "names the cause: {line}");
}

#[test]
fn a_postgres_database_is_sent_to_pg_dump_without_showing_its_password() {
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("b.db");
    let line = refused(
        &[
            dest.to_str().unwrap(),
            "--database-url",
            "postgres://qt:s3cret@db.example/qingtuan",
        ],
        dir.path(),
    );
    assert!(!line.contains("s3cret"), "{line}");
    assert!(
        line.contains("postgres://qt:***@db.example/qingtuan"),
        "{line}"
    );
    assert!(line.contains("pg_dump"), "{line}");
    assert!(line.contains("docs/operations.md"), "{line}");
}

#[test]
fn the_database_url_comes_from_the_environment_or_either_side_of_the_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());
    for (i, how) in ["env", "before", "after"].into_iter().enumerate() {
        let dest = dir.path().join(format!("b{i}.db"));
        let mut command = binary();
        match how {
            "env" => command
                .env("DATABASE_URL", url(&db))
                .arg("backup")
                .arg(&dest),
            "before" => command
                .args(["--database-url", &url(&db), "backup"])
                .arg(&dest),
            _ => command
                .arg("backup")
                .arg(&dest)
                .args(["--database-url", &url(&db)]),
        };
        let out = command.output().unwrap();
        assert!(
            out.status.success(),
            "{how}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(dest.is_file(), "{how}");
    }
}
