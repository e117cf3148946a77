//! `qingtuan-server backup PATH`: a consistent copy of the SQLite database, taken while a
//! server may be running and writing.
//!
//! The copy is made with `VACUUM INTO` rather than the online backup API
//! (`sqlite3_backup_*`, rusqlite's `backup` feature):
//! - it reads the database in one read transaction, so the copy is one snapshot (every
//!   transaction committed before it began, none after). In WAL mode a reader never blocks the
//!   server's writer, nor the writer it, so the server keeps answering while the copy is made.
//!   The backup API copies page by page and starts over when another connection writes
//!   between its steps; it is only one snapshot if it copies everything in one step, which is
//!   then the same read transaction without the other benefits;
//! - the copy is rebuilt table by table, so it is compact (no free pages) and a damaged page
//!   in the source fails the copy instead of being copied;
//! - it needs no extra feature of the driver.
//!
//! SQLite does not fsync what `VACUUM INTO` wrote, and it writes in place: the copy goes to a
//! temporary name beside PATH, is checked (`PRAGMA integrity_check`), switched to a rollback
//! journal (a backup is one self-contained file), fsynced, and only then given its name, by a
//! hard link that fails if PATH exists (no check-then-rename race). On any failure the
//! temporary file is removed: PATH is either the whole, checked copy or absent.

use crate::config::redact_url;
use rusqlite::{Connection, OpenFlags};
use std::{
    fmt,
    path::{Path, PathBuf},
    time::Duration,
};

/// How long the copy waits for a lock (a WAL reader rarely waits: only while another
/// connection recovers or restarts the WAL).
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// What a finished backup holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backup {
    /// Where it was written.
    pub path: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
    /// The database's version counter in the copy: the last change it holds.
    pub version: i64,
    /// The last migration applied to it (its schema).
    pub schema: i64,
    /// Every table and its number of rows, by name.
    pub tables: Vec<(String, i64)>,
}

impl fmt::Display for Backup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rows: i64 = self.tables.iter().map(|(_, n)| n).sum();
        writeln!(
            f,
            "backup written to {} ({} bytes, version {}, schema {}, {} rows in {} tables, integrity ok)",
            self.path.display(),
            self.bytes,
            self.version,
            self.schema,
            rows,
            self.tables.len()
        )?;
        let width = self.tables.iter().map(|(t, _)| t.len()).max().unwrap_or(0);
        for (table, n) in &self.tables {
            writeln!(f, "  {table:<width$}  {n}")?;
        }
        Ok(())
    }
}

/// Why a backup was not written. Each is one line; none shows a password.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// A PostgreSQL database: its own tools back it up.
    #[error(
        "{0} is a PostgreSQL database: back it up with pg_dump or pg_basebackup (see docs/operations.md)"
    )]
    Postgres(String),
    /// A URL that names no SQLite file.
    #[error("{0} is not a SQLite database URL: use sqlite://path/to/file.db")]
    NotSqlite(String),
    /// The database file is not there.
    #[error("there is no database at {0}")]
    Missing(String),
    /// SQLite could not read the source.
    #[error("cannot read the database {url}: {message}")]
    Source {
        /// The source, redacted.
        url: String,
        /// SQLite's words.
        message: String,
    },
    /// The source is a SQLite file, but not Qingtuan's.
    #[error("{0} holds no Qingtuan data (it has no version_counter table)")]
    NotQingtuan(String),
    /// The destination exists.
    #[error("{0} already exists: a backup never replaces a file, choose a new name")]
    Exists(String),
    /// The destination cannot be written.
    #[error("cannot write {path}: {message}")]
    Write {
        /// The destination.
        path: String,
        /// Why.
        message: String,
    },
    /// The copy itself failed (a damaged source, a full disk).
    #[error("cannot copy {url} to {path}: {message}")]
    Copy {
        /// The source, redacted.
        url: String,
        /// The destination.
        path: String,
        /// SQLite's words.
        message: String,
    },
    /// The copy did not pass its check.
    #[error("the copy did not pass its integrity check: {0}")]
    Check(String),
}

/// The file behind a `sqlite://` (or `sqlite:`) URL, without its query.
fn sqlite_file(url: &str) -> Option<&str> {
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let file = path.split('?').next().unwrap_or(path);
    (!file.is_empty() && file != ":memory:").then_some(file)
}

/// Writes a consistent copy of the SQLite database at `database_url` to `dest`, which must not
/// exist. A server may be running on the database and writing meanwhile.
pub fn backup(database_url: &str, dest: &Path) -> Result<Backup, BackupError> {
    let shown = redact_url(database_url);
    if crate::db::postgres::is_postgres_url(database_url) {
        return Err(BackupError::Postgres(shown));
    }
    let Some(file) = sqlite_file(database_url) else {
        return Err(BackupError::NotSqlite(shown));
    };
    if !Path::new(file).is_file() {
        return Err(BackupError::Missing(file.to_owned()));
    }
    let dest_shown = dest.display().to_string();
    if dest.symlink_metadata().is_ok() {
        return Err(BackupError::Exists(dest_shown));
    }
    let write_error = |e: &dyn fmt::Display| BackupError::Write {
        path: dest_shown.clone(),
        message: e.to_string(),
    };
    let temp = temporary_name(dest).ok_or_else(|| write_error(&"not a file name"))?;
    let temp_text = temp
        .to_str()
        .ok_or_else(|| write_error(&"the path is not UTF-8"))?
        .to_owned();
    let source_error = |e: rusqlite::Error| BackupError::Source {
        url: shown.clone(),
        message: sqlite_words(&e),
    };

    // The temporary file is made first (empty, which `VACUUM INTO` accepts), so that a
    // folder that is missing or not writable is named as such, before the source is opened.
    std::fs::File::create_new(&temp).map_err(|e| write_error(&e))?;
    let guard = Remove(temp.clone());
    // Without SQLITE_OPEN_CREATE: a file that vanished is an error, not a new empty database.
    // Read-write (it falls back to read-only on a write-protected file) so that a WAL
    // database's shared memory can be set up; nothing is written to the source.
    let source = Connection::open_with_flags(
        file,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(source_error)?;
    source.busy_timeout(BUSY_TIMEOUT).map_err(source_error)?;
    let has_counter: bool = source
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'version_counter')",
            [],
            |r| r.get(0),
        )
        .map_err(source_error)?;
    if !has_counter {
        return Err(BackupError::NotQingtuan(shown));
    }
    source
        .execute("VACUUM INTO ?1", [&temp_text])
        .map_err(|e| BackupError::Copy {
            url: shown.clone(),
            path: dest_shown.clone(),
            message: sqlite_words(&e),
        })?;
    drop(source);

    let mut backup = check(&temp).map_err(|e| match e {
        Checked::Sqlite(e) => write_error(&sqlite_words(&e)),
        Checked::Failed(why) => BackupError::Check(why),
    })?;
    let copy = std::fs::File::open(&temp).map_err(|e| write_error(&e))?;
    copy.sync_all().map_err(|e| write_error(&e))?;
    backup.bytes = copy.metadata().map_err(|e| write_error(&e))?.len();
    drop(copy);

    // A hard link never replaces an existing file (rename would).
    match std::fs::hard_link(&temp, dest) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(BackupError::Exists(dest_shown));
        }
        Err(e) => return Err(write_error(&e)),
    }
    drop(guard);
    // The new name is on disk too.
    if let Some(dir) = folder(dest)
        && let Ok(dir) = std::fs::File::open(dir)
    {
        let _ = dir.sync_all();
    }
    backup.path = dest.to_owned();
    Ok(backup)
}

/// Why a copy failed its check.
enum Checked {
    Sqlite(rusqlite::Error),
    Failed(String),
}

impl From<rusqlite::Error> for Checked {
    fn from(e: rusqlite::Error) -> Self {
        Self::Sqlite(e)
    }
}

/// Checks the copy at `path` and reads what it holds; makes it one self-contained file.
fn check(path: &Path) -> Result<Backup, Checked> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    // The copy carries the source's WAL mode in its header; a backup is safer as one file.
    let _: String = conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
    let problems: Vec<String> = conn
        .prepare("PRAGMA integrity_check")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if problems != ["ok"] {
        return Err(Checked::Failed(problems.join("; ")));
    }
    let version: i64 = conn.query_row(
        "SELECT COALESCE(MAX(value), 0) FROM version_counter",
        [],
        |r| r.get(0),
    )?;
    let schema: i64 = conn
        .query_row(
            "SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success",
            [],
            |r| r.get(0),
        )
        .unwrap_or(0);
    let names: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
              ORDER BY name",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut tables = Vec::with_capacity(names.len());
    for name in names {
        let quoted = name.replace('"', "\"\"");
        let n: i64 = conn.query_row(&format!("SELECT COUNT(*) FROM \"{quoted}\""), [], |r| {
            r.get(0)
        })?;
        tables.push((name, n));
    }
    conn.close().map_err(|(_, e)| e)?;
    Ok(Backup {
        path: path.to_owned(),
        bytes: 0,
        version,
        schema,
        tables,
    })
}

/// `dir/.name.partial-<pid>-<nanos>` beside `dest`.
fn temporary_name(dest: &Path) -> Option<PathBuf> {
    let name = dest.file_name()?.to_str()?;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let temp = format!(".{name}.partial-{}-{nanos}", std::process::id());
    Some(match folder(dest) {
        Some(dir) => dir.join(temp),
        None => PathBuf::from(temp),
    })
}

/// The folder `path` is in, if it names one.
fn folder(path: &Path) -> Option<&Path> {
    path.parent().filter(|p| !p.as_os_str().is_empty())
}

/// SQLite's own words for an error.
fn sqlite_words(e: &rusqlite::Error) -> String {
    match e {
        rusqlite::Error::SqliteFailure(_, Some(message)) => message.clone(),
        other => other.to_string(),
    }
}

/// Removes a temporary file (and any journal SQLite left beside it) when dropped: on a
/// failure, and after the backup took its name (the hard link keeps the file).
struct Remove(PathBuf);

impl Drop for Remove {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
        for suffix in ["-journal", "-wal", "-shm"] {
            let mut side = self.0.clone().into_os_string();
            side.push(suffix);
            let _ = std::fs::remove_file(side);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sqlite_url_names_its_file() {
        assert_eq!(sqlite_file("sqlite://data/qt.db"), Some("data/qt.db"));
        assert_eq!(
            sqlite_file("sqlite:/abs/qt.db?mode=rwc"),
            Some("/abs/qt.db")
        );
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("sqlite://"), None);
        assert_eq!(sqlite_file("mysql://x/y"), None);
    }

    #[test]
    fn the_temporary_file_is_hidden_beside_the_backup() {
        let t = temporary_name(Path::new("/srv/backups/qt.db")).unwrap();
        assert_eq!(t.parent(), Some(Path::new("/srv/backups")));
        let name = t.file_name().unwrap().to_str().unwrap();
        assert!(name.starts_with(".qt.db.partial-"), "{name}");
        let here = temporary_name(Path::new("qt.db")).unwrap();
        assert!(here.parent().is_none_or(|p| p.as_os_str().is_empty()));
    }
}
