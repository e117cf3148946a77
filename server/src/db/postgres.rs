//! PostgreSQL, as far as it goes today (issue 17, docs/postgres.md): its migrations
//! (`server/migrations-pg/`, paired one for one with SQLite's and checked by the conformance
//! test) and a start that reaches the database and then refuses to serve it, clearly, because
//! the queries and the sync writer exist for SQLite only.

use sqlx::{
    Connection,
    migrate::Migrator,
    postgres::{PgConnectOptions, PgConnection},
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
    /// Reached and signed in: the server cannot serve it yet.
    #[error(
        "PostgreSQL support is not complete: migrations only (issue 17); \
         reached {target}, but the server serves SQLite only for now (sqlite://path/to/file.db)"
    )]
    NotYetSupported {
        /// Host, port and database.
        target: Target,
    },
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

/// Connects to the database at `url` (checking the URL, the connection and the credentials),
/// then refuses: serving PostgreSQL is not built yet. Always an error; which one says what to
/// fix.
pub async fn refuse(url: &str) -> PgStartError {
    let options = match PgConnectOptions::from_str(url) {
        Ok(options) => options,
        // The URL parser's words name the part that is wrong, not the URL itself.
        Err(e) => return PgStartError::Url(driver_words(&e)),
    };
    let target = Target::of(&options);
    match tokio::time::timeout(CONNECT_TIMEOUT, PgConnection::connect_with(&options)).await {
        Err(_) => PgStartError::Connect {
            target,
            cause: format!("no answer within {} s", CONNECT_TIMEOUT.as_secs()),
        },
        Ok(Err(e)) => PgStartError::Connect {
            target,
            cause: driver_words(&e),
        },
        Ok(Ok(conn)) => {
            let _ = conn.close().await;
            PgStartError::NotYetSupported { target }
        }
    }
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
        let e = refuse(&format!("postgres://qt:s3cret@127.0.0.1:{port}/night")).await;
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
        let e = refuse("postgres://qt:s3cret@127.0.0.1:notaport/night").await;
        let shown = e.to_string();
        assert!(matches!(e, PgStartError::Url(_)), "{shown}");
        assert!(!shown.contains("s3cret"), "{shown}");
    }
}
