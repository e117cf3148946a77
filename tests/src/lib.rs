//! Test harness: the real server on port 0 with a temporary database and static folder.

pub mod proxy;

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    sync::Arc,
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
    /// Shared by the servers started [`TestServer::beside`] this one.
    dir: Arc<tempfile::TempDir>,
    /// The database, shared the same way.
    database: Arc<Database>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<anyhow::Result<()>>>,
    jobs: Arc<server::jobs::Log>,
}

/// Settings for a test server.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Create the demo data.
    pub demo: bool,
    /// Largest body, if not the default.
    pub body_limit: Option<usize>,
    /// Failed sign-ins per account (default: the server's).
    pub login_limit_account: Option<u32>,
    /// Attempts per address (default: unlimited in tests, so suites can sign in freely).
    pub login_limit_addr: Option<u32>,
    /// The first wait of an account's slow-down, in milliseconds (default: the server's).
    pub login_slowdown_base_ms: Option<u64>,
    /// Seconds a client has to send a request's headers, if not the default.
    pub header_timeout_secs: Option<u64>,
    /// The hours' public notice period in working days, if not the default (3).
    pub hours_notice_days: Option<u32>,
    /// The periodic jobs' period in seconds, if not the default (60).
    pub jobs_period_secs: Option<u64>,
    /// Reverse proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// The fake client's page has a `<body>`, as Trunk's does: the server then draws the main
    /// build's pages for a first visit (the plain fake page has none, and is sent as it is).
    pub drawn_pages: bool,
}

/// The fake main build's page with a `<body>`, where the server draws a first visit's page.
pub const PAGE_WITH_BODY: &str = "<!doctype html><html><head><title>青团</title><script \
    type=\"module\">\nimport init from '/app-0123456789abcdef.js';\nawait init();\n</script>\
    </head><body><noscript>JS</noscript></body></html>";

/// Which database test servers run on: SQLite in a temporary folder, unless
/// `QT_TEST_DATABASE=postgres`, which gives each a fresh database on the cluster of
/// `QT_PG_URL` (scripts/test runs the integration suite both ways).
pub fn on_postgres() -> bool {
    std::env::var("QT_TEST_DATABASE").is_ok_and(|v| v == "postgres")
}

/// A test server's database.
enum Database {
    /// `data/qt.db` in the server's folder.
    Sqlite,
    /// A database of its own on the throwaway cluster, dropped with the last server on it.
    Postgres {
        /// `postgres://…/name`.
        url: String,
        /// The cluster's URL (its superuser's database), to drop it.
        admin: String,
        name: String,
    },
}

impl Database {
    async fn fresh() -> Self {
        if !on_postgres() {
            return Self::Sqlite;
        }
        Self::fresh_postgres().await
    }

    async fn fresh_postgres() -> Self {
        use sqlx::{Connection, Executor};
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let admin = std::env::var("QT_PG_URL")
            .expect("QT_TEST_DATABASE=postgres needs QT_PG_URL (scripts/pg.sh's cluster)");
        let name = format!(
            "qt_t{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        let mut conn = sqlx::PgConnection::connect(&admin)
            .await
            .expect("connect to the cluster");
        conn.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .await
            .expect("create a database");
        let _ = conn.close().await;
        let base = admin.rsplit_once('/').expect("postgres://…/db").0;
        Self::Postgres {
            url: format!("{base}/{name}"),
            admin,
            name,
        }
    }

    fn url(&self, dir: &Path) -> String {
        match self {
            Self::Sqlite => format!("sqlite://{}", dir.join("data/qt.db").display()),
            Self::Postgres { url, .. } => url.clone(),
        }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Self::Postgres { admin, name, .. } = self {
            // Dropped from a thread of its own: a test's runtime may be ending.
            let (admin, name) = (admin.clone(), name.clone());
            let _ = std::thread::spawn(move || {
                use sqlx::{Connection, Executor};
                let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                else {
                    return;
                };
                rt.block_on(async {
                    if let Ok(mut conn) = sqlx::PgConnection::connect(&admin).await {
                        let _ = conn
                            .execute(sqlx::AssertSqlSafe(format!(
                                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                            )))
                            .await;
                        let _ = conn.close().await;
                    }
                });
            })
            .join();
        }
    }
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
        Self::start(Arc::new(dir), Arc::new(Database::fresh().await), options).await
    }

    /// Starts a server on a fresh PostgreSQL database whatever `QT_TEST_DATABASE` says; `None`
    /// (and a line on stderr) without the run's cluster (`QT_PG_URL`).
    pub async fn spawn_postgres(options: Options) -> Option<Self> {
        if std::env::var("QT_PG_URL").is_err() {
            eprintln!("skipped: QT_PG_URL is not set (scripts/test sets it)");
            return None;
        }
        let dir = tempfile::tempdir().expect("temp dir");
        write_fake_client(&dir.path().join("static"));
        let database = Database::fresh_postgres().await;
        Some(Self::start(Arc::new(dir), Arc::new(database), options).await)
    }

    /// Starts another server process on this one's database (and static folder), as a second
    /// replica would run: its own pool, sync writer and periodic jobs.
    pub async fn beside(&self, options: Options) -> Self {
        Self::start(self.dir.clone(), self.database.clone(), options).await
    }

    /// Whether it runs on PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        matches!(*self.database, Database::Postgres { .. })
    }

    /// Its database's URL.
    pub fn database_url(&self) -> String {
        self.database.url(self.dir.path())
    }

    /// The server's database through the server's own store interface, for arranging and
    /// checking on either database (`?N` parameters, `args![…]`).
    pub async fn store(&self) -> server::db::pool::Pool {
        use server::db::pool::Pool;
        match &*self.database {
            Database::Sqlite => Pool::Sqlite(self.pool().await),
            Database::Postgres { url, .. } => Pool::Postgres(
                sqlx::postgres::PgPoolOptions::new()
                    .max_connections(2)
                    .connect(url)
                    .await
                    .expect("open the test database"),
            ),
        }
    }

    /// Runs `work` in a write transaction of its own on a writer connection of its own to the
    /// server's database (either kind), as tools do (`server::db::in_write_transaction`): for
    /// running a writer job (a sweep) at a time of the test's choosing.
    pub async fn in_writer<T: Send + 'static>(
        &self,
        work: impl FnOnce(&server::db::writing::Writing<'_>) -> server::db::sql::Result<T>
        + Send
        + 'static,
    ) -> T {
        let store = self.store().await;
        let done = store.in_writer(work).await.expect("the writer's work");
        store.close().await;
        done
    }

    /// The night school's writer job (`server::db::course::sweep_on`) at `now`: (frozen, missed).
    pub async fn sweep_courses(&self, now: i64) -> (usize, usize) {
        self.in_writer(move |w| server::db::course::sweep_on(w, now))
            .await
    }

    /// The hours' writer job (`server::db::hours::sweep_on`) at `now`: the registrations it
    /// credited.
    pub async fn sweep_hours(&self, now: i64) -> usize {
        self.in_writer(move |w| server::db::hours::sweep_on(w, now))
            .await
    }

    /// The periodic jobs this server ran, oldest first.
    pub fn job_runs(&self) -> Vec<server::jobs::Run> {
        self.jobs.runs()
    }

    async fn start(dir: Arc<tempfile::TempDir>, database: Arc<Database>, options: Options) -> Self {
        if options.drawn_pages {
            std::fs::write(dir.path().join("static/index.html"), PAGE_WITH_BODY)
                .expect("write the page");
        }
        let mut config =
            server::Config::for_tests(database.url(dir.path()), dir.path().join("static"));
        config.demo = options.demo;
        if let Some(limit) = options.body_limit {
            config.body_limit = limit;
        }
        if let Some(limit) = options.login_limit_account {
            config.login_limit_account = limit;
        }
        config.login_limit_addr = options.login_limit_addr.unwrap_or(0);
        if let Some(ms) = options.login_slowdown_base_ms {
            config.login_slowdown_base_ms = ms;
        }
        if let Some(secs) = options.header_timeout_secs {
            config.header_timeout_secs = secs;
        }
        if let Some(days) = options.hours_notice_days {
            config.hours_notice_days = days;
        }
        if let Some(secs) = options.jobs_period_secs {
            config.jobs_period_secs = secs;
        }
        config.trusted_proxies = options.trusted_proxies.clone();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind port 0");
        let addr = listener.local_addr().expect("local addr");
        let (stop, stopped) = oneshot::channel::<()>();
        let prepared = server::prepare(config).await.expect("the server starts");
        let jobs = prepared.job_runs();
        let task = tokio::spawn(prepared.serve(listener, async {
            let _ = stopped.await;
        }));
        let server = Self {
            base_url: format!("http://{addr}"),
            addr,
            http: reqwest::Client::new(),
            dir,
            database,
            stop: Some(stop),
            task: Some(task),
            jobs,
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

    /// A server of its own on a copy of this one's database as it is now (accounts, sessions
    /// and all): for a test that needs the same world many times over, without making it again.
    pub async fn copy(&self, options: Options) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        write_fake_client(&dir.path().join("static"));
        std::fs::create_dir_all(dir.path().join("data")).expect("data folder");
        let database = Database::fresh().await;
        match (&*self.database, &database) {
            (Database::Postgres { url: from, .. }, Database::Postgres { url: to, .. }) => {
                copy_postgres(from, to).await;
            }
            _ => {
                let target = dir.path().join("data/qt.db");
                let source = self.pool().await;
                // VACUUM INTO: one consistent copy, taken while this server runs.
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "VACUUM INTO '{}'",
                    target.display().to_string().replace('\'', "''")
                )))
                .execute(&source)
                .await
                .expect("copy the database");
                source.close().await;
            }
        }
        Self::start(Arc::new(dir), Arc::new(database), options).await
    }

    /// A backup of the database taken while the server runs, as an operator takes one
    /// (docs/operations.md): `server backup` on SQLite, `pg_dump` on PostgreSQL.
    pub async fn backup(&self) -> Backup {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let path = self.dir().join(format!(
            "backup-{}",
            NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        ));
        let url = self.database_url();
        if self.is_postgres() {
            // The test writes nothing while it backs up: the counter read now is the dump's.
            let store = self.store().await;
            let version: i64 = store
                .fetch_one("SELECT value FROM version_counter", vec![], |r| r.get(0))
                .await
                .expect("the version counter");
            store.close().await;
            pg_tool(
                "pg_dump",
                &[
                    "--format=custom",
                    "--file",
                    &path.display().to_string(),
                    &url,
                ],
            );
            Backup { path, version }
        } else {
            let written = tokio::task::spawn_blocking({
                let path = path.clone();
                move || server::backup::backup(&url, &path)
            })
            .await
            .expect("the backup's thread")
            .expect("the backup");
            Backup {
                path,
                version: written.version,
            }
        }
    }

    /// Stops the server, puts `backup` in its database's place (`pg_restore --clean` on
    /// PostgreSQL) and starts it again.
    pub async fn restore(mut self, backup: &Backup, options: Options) -> Self {
        self.stop_and_wait().await;
        if self.is_postgres() {
            pg_tool(
                "pg_restore",
                &[
                    "--clean",
                    "--if-exists",
                    "--single-transaction",
                    "--dbname",
                    &self.database_url(),
                    &backup.path.display().to_string(),
                ],
            );
        } else {
            let db = self.db_path();
            for suffix in ["-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
            }
            std::fs::copy(&backup.path, &db).expect("put the backup in place");
        }
        self.restart(options).await
    }

    /// Stops the server gracefully and starts it again on the same database.
    pub async fn restart(mut self, options: Options) -> Self {
        self.stop_and_wait().await;
        let dir = std::mem::replace(
            &mut self.dir,
            Arc::new(tempfile::tempdir().expect("temp dir")),
        );
        let database = std::mem::replace(&mut self.database, Arc::new(Database::Sqlite));
        Self::start(dir, database, options).await
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

/// The demo accounts' password.
pub const DEMO_PASSWORD: &str = "qingtuan-demo";
/// A password the sign-up rules accept.
pub const GOOD_PASSWORD: &str = "river-patrol-2026";

impl TestServer {
    /// `POST` JSON to an API path, with an optional bearer token.
    pub async fn post(
        &self,
        path: &str,
        token: Option<&str>,
        body: &serde_json::Value,
    ) -> reqwest::Response {
        let mut request = self.http.post(self.url(path)).json(body);
        if let Some(t) = token {
            request = request.bearer_auth(t);
        }
        request.send().await.expect("request sent")
    }

    /// A client whose requests come from the address 127.0.0.`n` (Linux routes all of
    /// 127.0.0.0/8 to the loopback), for the limits per address: a real peer address, not a
    /// header anyone could send.
    pub fn client_from(&self, n: u8) -> reqwest::Client {
        reqwest::Client::builder()
            .local_address(std::net::IpAddr::from([127, 0, 0, n]))
            .build()
            .expect("a client")
    }

    /// `GET` an API path, with an optional bearer token.
    pub async fn get(&self, path: &str, token: Option<&str>) -> reqwest::Response {
        let mut request = self.http.get(self.url(path));
        if let Some(t) = token {
            request = request.bearer_auth(t);
        }
        request.send().await.expect("request sent")
    }

    /// Signs in; panics unless it works.
    pub async fn login(&self, phone: &str, password: &str) -> domain::AuthResponse {
        let r = self
            .post(
                "/api/v1/auth/login",
                None,
                &serde_json::json!({ "phone": phone, "password": password }),
            )
            .await;
        assert_eq!(
            r.status(),
            200,
            "login {phone}: {}",
            r.text().await.unwrap_or_default()
        );
        r.json().await.expect("auth response")
    }

    /// Creates an adult youth account; panics unless it works.
    pub async fn signup(&self, phone: &str, name: &str) -> domain::AuthResponse {
        let r = self
            .post("/api/v1/auth/signup", None, &signup_body(phone, name))
            .await;
        assert_eq!(
            r.status(),
            201,
            "signup {phone}: {}",
            r.text().await.unwrap_or_default()
        );
        r.json().await.expect("auth response")
    }
}

/// A valid adult sign-up body.
pub fn signup_body(phone: &str, name: &str) -> serde_json::Value {
    serde_json::json!({
        "phone": phone,
        "password": GOOD_PASSWORD,
        "display_name": name,
        "birth_year": 1999,
        "consent": { "version": domain::PRIVACY_NOTICE_VERSION, "accepted": true },
    })
}

/// A stand-in for Trunk's output with the same kinds of names and, like Trunk's, an inline
/// module script in each build's `index.html`: enough to test how the server serves files and
/// which scripts its policy allows. The real `robots.txt` is copied in. The real build is
/// tested end to end in the browser suite.
pub fn write_fake_client(dir: &Path) {
    std::fs::create_dir_all(dir).expect("static dir");
    let files = [
        (
            "index.html",
            "<!doctype html><title>青团</title><script type=\"module\">\nimport init from \
             '/app-0123456789abcdef.js';\nawait init();\n</script><div id=app></div>",
        ),
        ("robots.txt", include_str!("../../app/public/robots.txt")),
        (
            "app-0123456789abcdef.js",
            "export default function init() {}",
        ),
        ("app-0123456789abcdef_bg.wasm", "\0asm"),
        ("style-fedcba9876543210.css", "body { margin: 0 }"),
        ("sw.js", "self.addEventListener('fetch', () => {});"),
        ("manifest.webmanifest", r#"{"name":"青团"}"#),
        ("icon-192.png", "png"),
        (
            "staff/index.html",
            "<!doctype html><title>青团</title><script type=\"module\">\nimport init from \
             '/staff/staff-0123456789abcdef.js';\nawait init();\n</script><div id=staff></div>",
        ),
        ("staff/staff-0123456789abcdef.js", "export default 1"),
    ];
    for (name, body) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("static dir");
        std::fs::write(path, body).expect("write static file");
    }
}

/// An offering for a test, with the rules that matter for registration.
#[derive(Debug, Clone)]
pub struct OfferingSpec {
    /// Id.
    pub id: String,
    /// Seats.
    pub capacity: u32,
    /// A waitlist when full.
    pub waitlist: bool,
    /// Admin approval.
    pub approval: bool,
    /// `first_come` or `lottery`.
    pub allocation: &'static str,
}

impl OfferingSpec {
    /// First come, first served, with a waitlist.
    pub fn seats(id: &str, capacity: u32) -> Self {
        Self {
            id: id.into(),
            capacity,
            waitlist: true,
            approval: false,
            allocation: "first_come",
        }
    }
}

impl TestServer {
    /// A pool on the server's SQLite database, for arranging and checking what only SQLite
    /// has (its file, its pragmas); [`TestServer::store`] reaches either database.
    pub async fn pool(&self) -> sqlx::SqlitePool {
        assert!(
            !self.is_postgres(),
            "this test reads the SQLite file: use TestServer::store on PostgreSQL"
        );
        sqlx::SqlitePool::connect(&format!("sqlite://{}", self.db_path().display()))
            .await
            .expect("open the test database")
    }

    /// Adds a published offering open for sign-up (the server must have the demo venues).
    pub async fn add_offering(&self, spec: &OfferingSpec) {
        use server::db::pool::args;
        let store = self.store().await;
        let mut tx = store.begin_write().await.expect("begin");
        let version = tx.take_versions(1).await.expect("version");
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let kind = if spec.allocation == "lottery" {
            "course"
        } else {
            "activity"
        };
        tx.execute(
            "INSERT INTO offerings (id, kind, title, summary, category, venue_id, starts_at, ends_at,
                                    signup_closes_at, waitlist_enabled, requires_approval,
                                    allocation, status, version)
             VALUES (?1, ?2, ?3, '测试', '测试', 'venue-center', ?4, ?5, ?6, ?7, ?8, ?9,
                     'published', ?10)",
            args![
                spec.id,
                kind,
                format!("测试活动 {}", spec.id),
                now + 86_400,
                now + 90_000,
                now + 80_000,
                spec.waitlist,
                spec.approval,
                spec.allocation,
                version
            ],
        )
        .await
        .expect("insert offering");
        tx.execute(
            "INSERT INTO offering_pools (offering_id, pool, capacity, version)
             VALUES (?1, 'all', ?2, ?3)",
            args![spec.id, spec.capacity, version],
        )
        .await
        .expect("insert the offering's pool");
        let settings = if kind == "course" {
            "INSERT INTO course_settings (offering_id) VALUES (?1)"
        } else {
            "INSERT INTO activity_settings (offering_id) VALUES (?1)"
        };
        tx.execute(settings, args![spec.id])
            .await
            .expect("insert the offering's settings");
        if kind == "course" {
            tx.execute(
                "INSERT INTO course_lessons (offering_id, number, starts_at, ends_at)
                 VALUES (?1, 1, ?2, ?3)",
                args![spec.id, now + 86_400, now + 90_000],
            )
            .await
            .expect("insert the course's lesson");
        }
        tx.commit().await.expect("commit");
        store.close().await;
    }
}

impl TestServer {
    /// `count` adult youth accounts written straight into the database, each signed in: (user
    /// id, session token). For tests of thousands of people: signing up over HTTP costs an
    /// argon2 hash each. Phones are `{prefix}` followed by the number, 11 digits in all.
    pub async fn add_youths(&self, prefix: &str, count: usize) -> Vec<(String, String)> {
        use server::auth::session::{new_token, token_hash};
        use server::db::pool::args;
        let store = self.store().await;
        let mut tx = store.begin_write().await.expect("begin");
        let n = i64::try_from(count).expect("a count");
        let first = tx.take_versions(n).await.expect("versions");
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let width = 11usize.saturating_sub(prefix.len());
        let mut made = Vec::with_capacity(count);
        for i in 0..count {
            let phone = format!("{prefix}{i:0width$}");
            let user_id = format!("user-{phone}");
            tx.execute(
                "INSERT INTO users (id, phone, display_name, password_hash, birth_year,
                                    consent_version, consent_at, created_at, version)
                 VALUES (?1, ?2, ?3, 'made by the test: no password', 1999, ?4, ?5, ?5, ?6)",
                args![
                    user_id,
                    phone,
                    format!("青年{i}"),
                    domain::PRIVACY_NOTICE_VERSION,
                    now,
                    first + i as i64
                ],
            )
            .await
            .expect("insert a person");
            tx.execute(
                "INSERT INTO user_roles (user_id, role) VALUES (?1, 'youth')",
                args![user_id],
            )
            .await
            .expect("insert a role");
            let token = new_token().expect("a token");
            tx.execute(
                "INSERT INTO sessions (id, user_id, token_hash, created_at, last_used_at,
                                       expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?4, ?5)",
                args![
                    uuid::Uuid::new_v4().to_string(),
                    user_id,
                    token_hash(&token),
                    now,
                    now + 30 * 86_400
                ],
            )
            .await
            .expect("insert a session");
            made.push((user_id, token));
        }
        tx.commit().await.expect("commit");
        store.close().await;
        made
    }
}

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> i64 {
    (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

/// A valid activity plan starting in two days, as the admin API takes it (its `draft`).
pub fn draft_json(title: &str) -> serde_json::Value {
    use time::format_description::well_known::Rfc3339;
    let now = time::OffsetDateTime::now_utc();
    let t = |d: time::Duration| (now + d).format(&Rfc3339).expect("formattable");
    serde_json::json!({
        "title": title,
        "summary": "测试用活动",
        "category": "河小青",
        "venue_id": "venue-station",
        "starts_at": t(time::Duration::days(2)),
        "ends_at": t(time::Duration::days(2) + time::Duration::hours(2)),
        "signup_closes_at": t(time::Duration::days(1)),
        "quotas": [{ "pool": "all", "capacity": 10 }],
        "programme": { "kind": "activity", "volunteer_hours": 2 },
    })
}

/// A valid course plan: four weekly lessons from three days on, applications closing in two,
/// places by a draw.
pub fn course_draft_json(title: &str) -> serde_json::Value {
    use time::format_description::well_known::Rfc3339;
    let now = time::OffsetDateTime::now_utc();
    let t = |d: time::Duration| (now + d).format(&Rfc3339).expect("formattable");
    let lessons: Vec<serde_json::Value> = (0..4)
        .map(|w| {
            let start = time::Duration::days(3 + 7 * w);
            serde_json::json!({ "starts_at": t(start), "ends_at": t(start + time::Duration::minutes(90)) })
        })
        .collect();
    serde_json::json!({
        "title": title,
        "summary": "测试用课程",
        "category": "书法",
        "venue_id": "venue-binjiang",
        "starts_at": lessons[0]["starts_at"],
        "ends_at": lessons[3]["ends_at"],
        "signup_closes_at": t(time::Duration::days(2)),
        "allocation": "lottery",
        "quotas": [{ "pool": "all", "capacity": 20 }],
        "programme": { "kind": "course", "term": "测试学期", "teacher": "王老师", "lessons": lessons },
    })
}

/// A person's device in the tests: the real engine over memory, and the few things the
/// integration tests do with it.
pub mod device {
    use crate::now_ms;
    use domain::sync::{Op, RegistrationRow};
    use engine::{HttpTransport, Store, SyncEngine, store::memory::MemoryStore, sync::NoticeKind};

    /// The engine as the tests run it.
    pub type Engine = SyncEngine<MemoryStore, HttpTransport>;

    /// A new device signed in with `token`, talking to `url` (a server or a proxy).
    pub fn engine(url: &str, token: &str) -> Engine {
        SyncEngine::new(
            MemoryStore::new(),
            HttpTransport::new(url, Some(token.to_owned())),
        )
    }

    /// A new UUID.
    pub fn uuid() -> String {
        uuid::Uuid::new_v4().to_string()
    }

    /// The registrations on the device, as the server last sent them.
    pub async fn own(e: &Engine) -> Vec<RegistrationRow> {
        e.store()
            .rows("registration")
            .await
            .unwrap()
            .iter()
            .map(|r| r.value().unwrap())
            .collect()
    }

    /// The registration `id` on the device (it must be there).
    pub async fn row(e: &Engine, id: &str) -> RegistrationRow {
        own(e)
            .await
            .into_iter()
            .find(|r| r.id == id)
            .unwrap_or_else(|| panic!("no registration {id} on the device"))
    }

    /// Pushes `op` from `e` and syncs; the code of a rejection, if it was rejected.
    pub async fn act(e: &Engine, op: Op) -> Option<String> {
        e.enqueue(&op, now_ms(), None).await.unwrap();
        let report = e.sync(now_ms()).await.unwrap();
        report.notices.iter().find_map(|n| match &n.kind {
            NoticeKind::Rejected { code } => Some(code.code().to_owned()),
            _ => None,
        })
    }
}

/// Copies every row of the PostgreSQL database at `from` into the freshly made one at `to`
/// (migrated here first, so both have the same tables): `COPY` out and in, table by table, with
/// triggers and foreign keys held off (the rows are already consistent), then each identity
/// column's sequence set past its largest value.
async fn copy_postgres(from: &str, to: &str) {
    use futures::TryStreamExt;
    use sqlx::{Connection, Executor, PgConnection};
    let mut source = PgConnection::connect(from).await.expect("open the source");
    let mut target = PgConnection::connect(to).await.expect("open the copy");
    server::db::postgres::MIGRATOR
        .run(&mut target)
        .await
        .expect("migrate the copy");
    target
        .execute("SET session_replication_role = replica")
        .await
        .expect("hold off triggers");
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT tablename::text FROM pg_tables
          WHERE schemaname = 'public' AND tablename <> '_sqlx_migrations' ORDER BY 1",
    )
    .fetch_all(&mut source)
    .await
    .expect("list the tables");
    // One snapshot of the source for every table.
    source
        .execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .await
        .expect("begin");
    for table in &tables {
        target
            .execute(sqlx::AssertSqlSafe(format!("DELETE FROM {table}")))
            .await
            .expect("empty the copy's table");
        let data: Vec<u8> = source
            .copy_out_raw(&format!("COPY {table} TO STDOUT"))
            .await
            .expect("copy out")
            .try_fold(Vec::new(), |mut all, chunk| async move {
                all.extend_from_slice(&chunk);
                Ok(all)
            })
            .await
            .expect("read the rows");
        let mut copy_in = target
            .copy_in_raw(&format!("COPY {table} FROM STDIN"))
            .await
            .expect("copy in");
        copy_in.send(data).await.expect("send the rows");
        copy_in.finish().await.expect("finish the copy");
    }
    source.execute("COMMIT").await.expect("commit");
    let identities: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text FROM information_schema.columns
          WHERE table_schema = 'public' AND is_identity = 'YES'",
    )
    .fetch_all(&mut target)
    .await
    .expect("list the identity columns");
    for (table, column) in identities {
        target
            .execute(sqlx::AssertSqlSafe(format!(
                "SELECT setval(pg_get_serial_sequence('{table}', '{column}'),
                               COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, false)"
            )))
            .await
            .expect("move the sequence on");
    }
    let _ = source.close().await;
    let _ = target.close().await;
}

/// A backup taken by [`TestServer::backup`].
pub struct Backup {
    /// Its file.
    pub path: PathBuf,
    /// The last version it holds.
    pub version: i64,
}

/// Runs one of PostgreSQL's client programs (from `QT_PG_BIN`, scripts/pg.sh), which must
/// succeed.
pub fn pg_tool(tool: &str, args: &[&str]) {
    let bin =
        std::env::var("QT_PG_BIN").expect("QT_PG_BIN (scripts/pg.sh) names PostgreSQL's programs");
    let out = std::process::Command::new(Path::new(&bin).join(tool))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{tool} runs: {e}"));
    assert!(
        out.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
