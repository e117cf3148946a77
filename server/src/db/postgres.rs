//! PostgreSQL (issue 17, docs/postgres.md): opening a database by URL, with a start that says
//! clearly what is wrong (the URL, the connection, the credentials, the database), naming the
//! host and the database but never the password; and its migrations (`server/migrations-pg/`,
//! paired one for one with SQLite's and checked by the conformance test).

use sqlx::{
    Connection, PgPool,
    migrate::Migrator,
    postgres::{PgConnectOptions, PgConnection, PgPoolOptions},
};
use std::{fmt, str::FromStr, time::Duration};

/// PostgreSQL's migrations, numbered and named as SQLite's (`server/migrations/`).
pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations-pg");

/// How long the start waits for PostgreSQL to answer before it gives up.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Whether `url` names a PostgreSQL database.
pub fn is_postgres_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// Why the server does not run on the PostgreSQL database it was given. Each message names the
/// host and the database, never the password.
#[derive(Debug, thiserror::Error)]
pub enum PgStartError {
    /// The URL cannot be read.
    #[error("not a valid PostgreSQL URL ({0})")]
    Url(String),
    /// No answer, or a refusal: the connection, the credentials, the database.
    #[error("cannot connect to PostgreSQL at {target}: {cause}")]
    Connect {
        /// Host, port and database.
        target: Target,
        /// The driver's words (they never hold the password).
        cause: String,
    },
    /// Reached, but its migrations could not be run.
    #[error("cannot migrate PostgreSQL at {target}: {cause}")]
    Migrate {
        /// Host, port and database.
        target: Target,
        /// The migrator's words.
        cause: String,
    },
}

/// Connections each process keeps to PostgreSQL for its request handlers (the sync writer has
/// one more of its own). Several replicas share the cluster's `max_connections` (100 by
/// default): ten replicas fit.
pub const POOL_CONNECTIONS: u32 = 8;

/// How long a request waits for a free connection (or for a database that went away) before
/// it is answered 503.
pub const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// A PostgreSQL database, opened and migrated.
pub struct PgDb {
    /// The handlers' connections.
    pub pool: PgPool,
    /// How to open another connection (the sync writer's).
    pub options: PgConnectOptions,
}

/// Where a connection goes, as the messages say it: `host:port, database name`.
#[derive(Debug)]
pub struct Target {
    host: String,
    port: u16,
    database: String,
}

impl Target {
    fn of(options: &PgConnectOptions) -> Self {
        Self {
            host: options.get_host().to_owned(),
            port: options.get_port(),
            // PostgreSQL's own default: the database named as the user.
            database: options
                .get_database()
                .unwrap_or(options.get_username())
                .to_owned(),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}, database {}", self.host, self.port, self.database)
    }
}

/// Opens the database at `url`: checks the URL, connects (waiting at most
/// [`CONNECT_TIMEOUT`]), signs in and runs the migrations that are new. Each failure says which
/// of these it was. Several replicas starting at once migrate once: the migrator holds an
/// advisory lock while it runs.
pub async fn open(url: &str) -> Result<PgDb, PgStartError> {
    let options = match PgConnectOptions::from_str(url) {
        Ok(options) => options,
        // The URL parser's words name the part that is wrong, not the URL itself.
        Err(e) => return Err(PgStartError::Url(driver_words(&e))),
    };
    let target = Target::of(&options);
    // One connection first: its failure says why (the pool's would only say it timed out).
    match tokio::time::timeout(CONNECT_TIMEOUT, PgConnection::connect_with(&options)).await {
        Err(_) => {
            return Err(PgStartError::Connect {
                target,
                cause: format!("no answer within {} s", CONNECT_TIMEOUT.as_secs()),
            });
        }
        Ok(Err(e)) => {
            return Err(PgStartError::Connect {
                target,
                cause: driver_words(&e),
            });
        }
        Ok(Ok(conn)) => {
            let _ = conn.close().await;
        }
    }
    let pool = PgPoolOptions::new()
        .max_connections(POOL_CONNECTIONS)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .connect_lazy_with(options.clone());
    if let Err(e) = MIGRATOR.run(&pool).await {
        pool.close().await;
        return Err(PgStartError::Migrate {
            target,
            cause: e.to_string(),
        });
    }
    Ok(PgDb { pool, options })
}

/// PostgreSQL's own message for a database error ("password authentication failed for user
/// …", "database … does not exist"), sqlx's text for anything else.
fn driver_words(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::Database(db) => db.message().to_owned(),
        other => other.to_string(),
    }
}

/// Whether `e` says PostgreSQL cannot be reached now (gone, shutting down, starting, out of
/// connections): nothing of the request was applied, and it may be tried again.
pub fn is_unavailable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|code| {
            // Class 08: connection exceptions; 57P01–57P03: shut down, crashed, starting;
            // 53300: too many connections.
            code.starts_with("08") || matches!(&*code, "57P01" | "57P02" | "57P03" | "53300")
        }),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_refused_connection_names_host_and_database_but_not_the_password() {
        // A port nobody listens on: bound, then let go.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let Err(e) = open(&format!("postgres://qt:s3cret@127.0.0.1:{port}/night")).await else {
            panic!("nobody listens there");
        };
        let shown = e.to_string();
        assert!(matches!(e, PgStartError::Connect { .. }), "{shown}");
        assert!(
            shown.contains(&format!("127.0.0.1:{port}, database night")),
            "{shown}"
        );
        assert!(!shown.contains("s3cret"), "{shown}");
    }

    #[tokio::test]
    async fn a_url_that_cannot_be_read_says_so() {
        let Err(e) = open("postgres://qt:s3cret@127.0.0.1:notaport/night").await else {
            panic!("not a port");
        };
        let shown = e.to_string();
        assert!(matches!(e, PgStartError::Url(_)), "{shown}");
        assert!(!shown.contains("s3cret"), "{shown}");
    }
}
