//! Qingtuan's server: a thin axum layer over SQLite that serves the API and the built client.
//!
//! `main` reads settings, starts tracing, binds, [`prepare`]s and serves, and says the server
//! runs only in between; tests call [`launch`] (both steps) on port 0.

pub mod auth;
pub mod backup;
pub mod config;
pub mod connections;
pub mod db;
pub mod demo;
pub mod error;
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
    /// The database pool.
    pub db: sqlx::SqlitePool,
    /// The settings the server started with.
    pub config: Arc<Config>,
    /// Sign-in limits.
    pub limits: Arc<auth::rate_limit::Limits>,
    /// The sync writer (group commit).
    pub writer: sync::writer::Writer,
    /// Session lookups on the request's own thread.
    pub sessions: auth::session::SessionReader,
    /// Signs tickets.
    pub tickets: Arc<db::keys::TicketSigner>,
}

/// A server that can answer: its database is open and migrated, the sync writer runs, the
/// ticket key is loaded and the demo data created if asked. [`Prepared::serve`] serves it.
pub struct Prepared {
    state: AppState,
    writer_thread: sync::writer::Running,
}

/// Opens the database, starts the sync writer, loads the ticket key and creates the demo data
/// if asked. Each failure says what failed in its first words ("cannot open the database
/// sqlite://…: …"), with any password in the URL redacted.
pub async fn prepare(config: Config) -> anyhow::Result<Prepared> {
    let database = db::open(&config.database_url).await.with_context(|| {
        format!(
            "cannot open the database {}",
            config::redact_url(&config.database_url)
        )
    })?;
    let (writer, writer_thread) =
        sync::writer::Writer::start(&database.options).context("cannot start the sync writer")?;
    let sessions = auth::session::SessionReader::new(database.options.get_filename());
    let db = database.pool;
    let tickets = db::keys::ensure(&db, time::OffsetDateTime::now_utc().unix_timestamp())
        .await
        .context("cannot load the ticket signing key")?;
    if config.demo {
        match demo::seed_if_empty(&db, time::OffsetDateTime::now_utc())
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
    let state = AppState(Arc::new(Shared {
        db,
        limits: Arc::new(auth::rate_limit::Limits::from_config(&config)),
        writer,
        sessions,
        tickets: Arc::new(tickets),
        config: Arc::new(config),
    }));
    Ok(Prepared {
        state,
        writer_thread,
    })
}

impl Prepared {
    /// Serves on `listener` until `shutdown` completes; in-flight requests are finished first.
    pub async fn serve(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let Self {
            state,
            writer_thread,
        } = self;
        let db = state.db.clone();
        let writer = state.writer.clone();
        let header_timeout = std::time::Duration::from_secs(state.config.header_timeout_secs);
        // Forgotten check-outs are closed at the activity's end (and flagged) within a minute,
        // by the writer, which owns the hours rules.
        let sweeper = tokio::spawn(async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
            loop {
                tick.tick().await;
                let now = time::OffsetDateTime::now_utc().unix_timestamp();
                let swept = writer.run(move |conn| Ok(db::hours::sweep_on(conn, now)?));
                match swept.await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(closed = n, "closed forgotten check-outs"),
                    Err(e) => tracing::warn!(error = %e, "closing forgotten check-outs failed"),
                }
                // Night school: entry lists frozen at their close, missed confirmations
                // passed on to the waitlist.
                let courses = writer.run(move |conn| Ok(db::course::sweep_on(conn, now)?));
                match courses.await {
                    Ok((0, 0)) => {}
                    Ok((frozen, missed)) => {
                        tracing::info!(frozen, missed, "froze course lists, passed on places")
                    }
                    Err(e) => tracing::warn!(error = %e, "the course sweep failed"),
                }
            }
        });
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
