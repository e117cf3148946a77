//! The server binary's start: it says it runs only once it can, and a failure to start is one
//! clear line and a non-zero exit.

use std::{
    io::{BufRead, BufReader, Read, Write},
    net::TcpStream,
    path::Path,
    process::{Command, Output, Stdio},
    time::{Duration, Instant},
};

/// The binary with `database_url`, a free port and an empty static folder, and nothing from
/// the environment that would change how it starts or what it prints.
fn server(database_url: &str, dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
    command
        .args(["--addr", "127.0.0.1:0", "--database-url", database_url])
        .arg("--static-dir")
        .arg(dir)
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE")
        .env_remove("RUST_LOG")
        .env_remove("DATABASE_URL")
        .env_remove("QINGTUAN_DEMO")
        .env_remove("QINGTUAN_LOG_JSON");
    command
}

/// Runs the binary, which must fail to start, and returns its stderr after checking what every
/// failure to start must be.
fn failed_start(database_url: &str, dir: &Path) -> String {
    let Output {
        status,
        stdout,
        stderr,
    } = server(database_url, dir)
        .stdin(Stdio::null())
        .output()
        .expect("the server binary runs");
    let stdout = String::from_utf8_lossy(&stdout);
    let stderr = String::from_utf8_lossy(&stderr).into_owned();
    assert!(!status.success(), "{status}; stderr: {stderr}");
    assert!(
        !stdout.contains("is running"),
        "said it runs: {stdout}\nstderr: {stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(
        stderr.starts_with("qingtuan-server: cannot open the database "),
        "{stderr}"
    );
    assert!(!stderr.to_lowercase().contains("backtrace"), "{stderr}");
    stderr
}

#[test]
fn a_database_whose_folder_cannot_be_created_stops_the_start_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    // A folder under a plain file cannot be created, even by root.
    std::fs::write(dir.path().join("plain-file"), "").unwrap();
    let url = format!("sqlite://{}/plain-file/data/x.db", dir.path().display());
    let stderr = failed_start(&url, dir.path());
    assert!(stderr.contains(&url), "names the database: {stderr}");
    assert!(
        stderr.contains("cannot create its folder") && stderr.contains("Not a directory"),
        "names the cause: {stderr}"
    );
}

#[test]
fn a_file_that_is_not_a_database_stops_the_start_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x.db");
    std::fs::write(
        &file,
        "these are not the pages of a SQLite database ".repeat(200),
    )
    .unwrap();
    let url = format!("sqlite://{}", file.display());
    let stderr = failed_start(&url, dir.path());
    assert!(stderr.contains(&url), "names the database: {stderr}");
    assert!(
        stderr.contains("file is not a database"),
        "names the cause: {stderr}"
    );
}

/// A TCP port on 127.0.0.1 nobody listens on (bound, then let go).
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn a_database_password_is_never_printed_when_the_start_fails() {
    let dir = tempfile::tempdir().unwrap();
    let port = closed_port();
    let stderr = failed_start(
        &format!("postgres://qt:s3cret@127.0.0.1:{port}/qt"),
        dir.path(),
    );
    assert!(!stderr.contains("s3cret"), "{stderr}");
    assert!(
        stderr.contains(&format!("postgres://qt:***@127.0.0.1:{port}/qt")),
        "{stderr}"
    );
}

#[test]
fn a_refused_postgres_connection_names_the_host_and_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let port = closed_port();
    let stderr = failed_start(
        &format!("postgres://qt:s3cret@127.0.0.1:{port}/nightschool"),
        dir.path(),
    );
    assert!(
        stderr.contains(&format!(
            "cannot connect to PostgreSQL at 127.0.0.1:{port}, database nightschool"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("refused"), "names the cause: {stderr}");
    assert!(!stderr.contains("s3cret"), "{stderr}");
}

#[test]
fn a_postgres_url_that_cannot_be_read_stops_the_start_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let stderr = failed_start("postgres://qt:s3cret@127.0.0.1:port/qt", dir.path());
    assert!(stderr.contains("not a valid PostgreSQL URL"), "{stderr}");
    assert!(!stderr.contains("s3cret"), "{stderr}");
}

#[test]
fn a_database_url_of_another_kind_says_which_kinds_there_are() {
    let dir = tempfile::tempdir().unwrap();
    let stderr = failed_start("mysql://qt:s3cret@127.0.0.1/qt", dir.path());
    assert!(stderr.contains("sqlite://"), "{stderr}");
    assert!(stderr.contains("postgres://"), "{stderr}");
    assert!(!stderr.contains("s3cret"), "{stderr}");
}

/// The throwaway cluster of `scripts/pg.sh`, when the test command started one: its URL (a
/// superuser trusted without a password) and its host and port. Tests that need it say so
/// and pass without it.
fn throwaway_cluster(test: &str) -> Option<(String, String)> {
    let Ok(url) = std::env::var("QT_PG_URL") else {
        // Straight to stderr: the test harness keeps what `eprintln!` says from a test
        // that passes, and a skip should be seen.
        let _ = writeln!(
            std::io::stderr(),
            "PostgreSQL test {test}: skipped, QT_PG_URL is not set (scripts/test sets it)"
        );
        return None;
    };
    let host_port = url
        .split_once('@')
        .and_then(|(_, rest)| rest.split('/').next())
        .expect("QT_PG_URL is postgres://user@host:port/db")
        .to_owned();
    Some((url, host_port))
}

#[test]
fn wrong_postgres_credentials_name_the_host_and_the_database_but_not_the_password() {
    let Some((_, host_port)) = throwaway_cluster("wrong_postgres_credentials") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // `qt_pw` must sign in with its password (`qt_pw`; scripts/pg.sh makes the role).
    let stderr = failed_start(
        &format!("postgres://qt_pw:not-the-password@{host_port}/qt"),
        dir.path(),
    );
    assert!(
        stderr.contains(&format!(
            "cannot connect to PostgreSQL at {host_port}, database qt"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("password authentication failed"),
        "{stderr}"
    );
    assert!(!stderr.contains("not-the-password"), "{stderr}");
}

/// Runs `sql` on the cluster's own database (`QT_PG_URL`).
fn on_cluster(url: &str, sql: &str) {
    use sqlx::{Connection, Executor};
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
        conn.execute(sqlx::AssertSqlSafe(sql.to_owned()))
            .await
            .unwrap();
        conn.close().await.unwrap();
    });
}

/// A fresh, empty database on the cluster: its URL.
fn fresh_database(url: &str, name: &str) -> String {
    on_cluster(url, &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
    on_cluster(url, &format!("CREATE DATABASE {name}"));
    format!("{}/{name}", url.rsplit_once('/').unwrap().0)
}

/// Starts the binary on `database_url`, waits until it says it runs, asks `/healthz`, stops
/// it: the answer's first line.
fn runs_and_answers(database_url: &str, dir: &Path) -> String {
    let mut child = server(database_url, dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server binary runs");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let deadline = Instant::now() + Duration::from_secs(30);
    let addr = loop {
        let line = lines
            .next()
            .expect("the server printed its address before it ended")
            .unwrap();
        if let Some(rest) = line.split_once("is running at http://").map(|(_, r)| r) {
            break rest.trim_end_matches('/').to_owned();
        }
        assert!(Instant::now() < deadline, "no address printed");
    };
    let mut stream = TcpStream::connect(&addr).expect("it listens");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: qingtuan\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    answer.lines().next().unwrap_or_default().to_owned()
}

#[test]
fn a_reachable_postgres_is_migrated_and_served() {
    let Some((url, _)) = throwaway_cluster("a_reachable_postgres") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let database = fresh_database(&url, "qt_start_served");
    assert_eq!(runs_and_answers(&database, dir.path()), "HTTP/1.1 200 OK");
    // Started again on the migrated database: nothing to migrate, it serves.
    assert_eq!(runs_and_answers(&database, dir.path()), "HTTP/1.1 200 OK");
    on_cluster(&url, "DROP DATABASE qt_start_served WITH (FORCE)");
}

#[test]
fn a_postgres_migration_that_was_changed_stops_the_start_with_one_line() {
    let Some((url, host_port)) = throwaway_cluster("a_postgres_migration_changed") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let database = fresh_database(&url, "qt_start_changed");
    assert_eq!(runs_and_answers(&database, dir.path()), "HTTP/1.1 200 OK");
    on_cluster(
        &database,
        "UPDATE _sqlx_migrations SET checksum = '\\x00'::bytea WHERE version = 1",
    );
    let stderr = failed_start(&database, dir.path());
    assert!(
        stderr.contains(&format!(
            "cannot migrate PostgreSQL at {host_port}, database qt_start_changed"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("modified"), "names the cause: {stderr}");
    on_cluster(&url, "DROP DATABASE qt_start_changed WITH (FORCE)");
}

#[test]
fn the_server_says_it_runs_once_it_answers() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/data/qt.db", dir.path().display());
    assert_eq!(runs_and_answers(&url, dir.path()), "HTTP/1.1 200 OK");
}
