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

#[test]
fn a_database_password_is_never_printed_when_the_start_fails() {
    let dir = tempfile::tempdir().unwrap();
    let stderr = failed_start("postgres://qt:s3cret@localhost/qt", dir.path());
    assert!(!stderr.contains("s3cret"), "{stderr}");
    assert!(
        stderr.contains("postgres://qt:***@localhost/qt"),
        "{stderr}"
    );
    assert!(stderr.contains("unsupported database URL"), "{stderr}");
}

#[test]
fn the_server_says_it_runs_once_it_answers() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/data/qt.db", dir.path().display());
    let mut child = server(&url, dir.path())
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
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}
