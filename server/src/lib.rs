//! Qingtuan's server: a thin axum layer over SQLite that serves the API and the built client.
//!
//! `main` reads settings, starts tracing, binds, [`prepare`]s and serves, and says the server
//! runs only in between; tests call [`launch`] (both steps) on port 0.

pub mod auth;
pub mod backup;
pub mod config;
pub mod connections;
#[macro_use]
pub mod db;
pub mod demo;
pub mod error;
pub mod jobs;
pub mod routes;
pub mod sync;
pub mod telemetry;
pub mod xlsx;

use anyhow::Context;
use std::{future::Future, sync::Arc};
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;

pub use config::Config;
pub use routes::router;

/// What every handler can reach: one shared allocation, so the clone axum makes for every
/// request (and every middleware) is one reference count, not one per field.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The contents of [`AppState`].
pub struct Shared {
    /// The database, through the store interface (`db::pool`): SQLite or PostgreSQL.
    pub store: db::pool::Pool,
    /// The settings the server started with.
    pub config: Arc<Config>,
    /// Sign-in limits.
    pub limits: Arc<auth::rate_limit::Limits>,
    /// The sync writer (group commit).
    pub writer: sync::writer::Writer,
    /// Session lookups on the request's own thread (SQLite only: PostgreSQL's go through the
    /// pool).
    pub sessions: Option<auth::session::SessionReader>,
    /// Signs tickets.
    pub tickets: Arc<db::keys::TicketSigner>,
}

/// A server that can answer: its database is open and migrated, the sync writer runs, the
/// ticket key is loaded and the demo data created if asked. [`Prepared::serve`] serves it.
pub struct Prepared {
    state: AppState,
    writer_thread: sync::writer::Running,
    jobs: jobs::Jobs,
}

/// Opens the database, starts the sync writer, loads the ticket key and creates the demo data
/// if asked. Each failure says what failed in its first words ("cannot open the database
/// sqlite://…: …"), with any password in the URL redacted.
pub async fn prepare(config: Config) -> anyhow::Result<Prepared> {
    let database = db::open_store(&config.database_url)
        .await
        .with_context(|| {
            format!(
                "cannot open the database {}",
                config::redact_url(&config.database_url)
            )
        })?;
    let (store, writer, writer_thread, sessions) = match database {
        db::Store::Sqlite(database) => {
            let (writer, writer_thread) = sync::writer::Writer::start(&database.options)
                .context("cannot start the sync writer")?;
            let sessions = auth::session::SessionReader::new(database.options.get_filename());
            (
                db::pool::Pool::Sqlite(database.pool),
                writer,
                writer_thread,
                Some(sessions),
            )
        }
        db::Store::Postgres(database) => {
            let (writer, writer_thread) =
                sync::writer::Writer::start_postgres(database.options.clone())
                    .await
                    .context("cannot start the sync writer")?;
            (
                db::pool::Pool::Postgres(database.pool),
                writer,
                writer_thread,
                None,
            )
        }
    };
    let tickets = db::keys::ensure(&store, time::OffsetDateTime::now_utc().unix_timestamp())
        .await
        .context("cannot load the ticket signing key")?;
    if config.demo {
        match demo::seed_if_empty(&store, time::OffsetDateTime::now_utc())
            .await
            .context("cannot create the demo data")?
        {
            Some(counts) => tracing::info!(?counts, "demo data created"),
            None => tracing::info!("database has data already; demo data left as it is"),
        }
    }
    if !config.static_dir.join("index.html").is_file() {
        tracing::warn!(
            dir = %config.static_dir.display(),
            "no built client found (index.html missing): only the API is served"
        );
    }
    let jobs = jobs::Jobs::from_config(&config);
    let state = AppState(Arc::new(Shared {
        limits: Arc::new(auth::rate_limit::Limits::from_config(
            &config,
            store.clone(),
        )),
        store,
        writer,
        sessions,
        tickets: Arc::new(tickets),
        config: Arc::new(config),
    }));
    Ok(Prepared {
        state,
        writer_thread,
        jobs,
    })
}

impl Prepared {
    /// The periodic jobs' runs this process makes once it serves (for tests to count).
    pub fn job_runs(&self) -> Arc<jobs::Log> {
        self.jobs.log()
    }

    /// Serves on `listener` until `shutdown` completes; in-flight requests are finished first.
    pub async fn serve(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let Self {
            state,
            writer_thread,
            jobs,
        } = self;
        let db = state.store.clone();
        let writer = state.writer.clone();
        let header_timeout = std::time::Duration::from_secs(state.config.header_timeout_secs);
        // The periodic jobs (forgotten check-outs, night school's deadlines, old sign-in
        // counts), on the writer, once per period across every process on the database.
        let sweeper = tokio::spawn(jobs.run(writer));
        let app = router(state)
            .layer(telemetry::LogServerErrors)
            .layer(telemetry::trace_layer())
            .layer(CompressionLayer::new());
        connections::serve(listener, app, header_timeout, shutdown).await;
        sweeper.abort();
        let _ = sweeper.await;
        // Every handle to the writer went with the router and the sweeper: it answers what is
        // queued and stops.
        let _ =
            tokio::time::timeout(std::time::Duration::from_secs(10), writer_thread.stopped()).await;
        db.close().await;
        Ok(())
    }
}

/// [`prepare`], then [`Prepared::serve`].
pub async fn launch(
    config: Config,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    prepare(config).await?.serve(listener, shutdown).await
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
