//! Test harness: the real server on port 0 with a temporary database and static folder.

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
};
use tokio::{sync::oneshot, task::JoinHandle};

/// A running server, stopped and its files removed on drop.
pub struct TestServer {
    /// `http://127.0.0.1:PORT`
    pub base_url: String,
    /// The bound address.
    pub addr: SocketAddr,
    /// A client for the tests to use.
    pub http: reqwest::Client,
    dir: tempfile::TempDir,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<anyhow::Result<()>>>,
}

/// Settings for a test server.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Create the demo data.
    pub demo: bool,
    /// Largest body, if not the default.
    pub body_limit: Option<usize>,
}

impl TestServer {
    /// Starts a server with a fresh database and a small fake client build.
    pub async fn spawn() -> Self {
        Self::spawn_with(Options::default()).await
    }

    /// Starts a server with the given options.
    pub async fn spawn_with(options: Options) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        write_fake_client(&dir.path().join("static"));
        Self::start(dir, options).await
    }

    async fn start(dir: tempfile::TempDir, options: Options) -> Self {
        let mut config = server::Config::for_tests(
            format!("sqlite://{}", dir.path().join("data/qt.db").display()),
            dir.path().join("static"),
        );
        config.demo = options.demo;
        if let Some(limit) = options.body_limit {
            config.body_limit = limit;
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind port 0");
        let addr = listener.local_addr().expect("local addr");
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(server::launch(config, listener, async {
            let _ = stopped.await;
        }));
        let server = Self {
            base_url: format!("http://{addr}"),
            addr,
            http: reqwest::Client::new(),
            dir,
            stop: Some(stop),
            task: Some(task),
        };
        server.wait_until_healthy().await;
        server
    }

    async fn wait_until_healthy(&self) {
        for _ in 0..200 {
            if let Ok(r) = self.http.get(self.url("/healthz")).send().await
                && r.status().is_success()
            {
                return;
            }
            if self.task.as_ref().is_some_and(JoinHandle::is_finished) {
                panic!("the server stopped while starting");
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        panic!("the server did not become healthy");
    }

    /// An absolute URL for `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// The folder holding the database and static files.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The SQLite file.
    pub fn db_path(&self) -> PathBuf {
        self.dir.path().join("data/qt.db")
    }

    /// Stops the server gracefully and starts it again on the same database.
    pub async fn restart(mut self, options: Options) -> Self {
        self.stop_and_wait().await;
        let dir = std::mem::replace(&mut self.dir, tempfile::tempdir().expect("temp dir"));
        Self::start(dir, options).await
    }

    /// Stops the server and waits until it has shut down.
    pub async fn stop_and_wait(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.expect("server task").expect("server result");
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// A stand-in for Trunk's output with the same kinds of names: enough to test how the server
/// serves files. The real build is tested end to end in the browser suite.
pub fn write_fake_client(dir: &Path) {
    std::fs::create_dir_all(dir).expect("static dir");
    let files = [
        (
            "index.html",
            "<!doctype html><title>青团</title><div id=app></div>",
        ),
        (
            "app-0123456789abcdef.js",
            "export default function init() {}",
        ),
        ("app-0123456789abcdef_bg.wasm", "\0asm"),
        ("style-fedcba9876543210.css", "body { margin: 0 }"),
        ("sw.js", "self.addEventListener('fetch', () => {});"),
        ("manifest.webmanifest", r#"{"name":"青团"}"#),
        ("icon-192.png", "png"),
    ];
    for (name, body) in files {
        std::fs::write(dir.join(name), body).expect("write static file");
    }
}
