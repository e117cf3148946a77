//! Settings, from command-line flags or the same-named environment variables.

use clap::Parser;
use std::{
    fmt,
    net::{IpAddr, SocketAddr},
    path::PathBuf,
};

/// How the server runs. Every flag has an environment variable of the same meaning.
#[derive(Clone, Parser)]
#[command(name = "qingtuan-server", about = "Qingtuan (青团) server", version)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "QINGTUAN_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,

    /// Database URL: `sqlite://path/to/file.db` (created if missing) or
    /// `postgres://user:password@host:port/database` (migrated at start; several server
    /// processes may share it). Also the database `backup` copies (SQLite; given before or
    /// after the subcommand).
    #[arg(
        long,
        global = true,
        env = "DATABASE_URL",
        default_value = "sqlite://data/qingtuan.db"
    )]
    pub database_url: String,

    /// Folder with the built client (Trunk's output).
    #[arg(long, env = "QINGTUAN_STATIC_DIR", default_value = "dist")]
    pub static_dir: PathBuf,

    /// Create the demo data when the database is empty.
    #[arg(long, env = "QINGTUAN_DEMO", default_value_t = false)]
    pub demo: bool,

    /// Largest request body accepted, in bytes.
    #[arg(long, env = "QINGTUAN_BODY_LIMIT", default_value_t = 1024 * 1024)]
    pub body_limit: usize,

    /// Failed password checks per account per window before each further attempt on the
    /// account waits (from any address; known devices do not); also the hard limit of failures
    /// per account from one address or one known device (0: neither).
    #[arg(long, env = "QINGTUAN_LOGIN_LIMIT_ACCOUNT", default_value_t = 10)]
    pub login_limit_account: u32,

    /// Sign-in, sign-up and password-check attempts allowed per client address per window,
    /// a hard limit (0: no limit).
    #[arg(long, env = "QINGTUAN_LOGIN_LIMIT_ADDR", default_value_t = 100)]
    pub login_limit_addr: u32,

    /// The window of the sign-in limits, in seconds; an account's slow-down ends after a
    /// window without attempts.
    #[arg(long, env = "QINGTUAN_LOGIN_WINDOW_SECS", default_value_t = 900)]
    pub login_window_secs: u64,

    /// The first wait once an account is over `--login-limit-account`, in milliseconds; each
    /// further failure doubles it, up to 60 times this (0: no slow-down).
    #[arg(long, env = "QINGTUAN_LOGIN_SLOWDOWN_BASE_MS", default_value_t = 1000)]
    pub login_slowdown_base_ms: u64,

    /// Addresses of reverse proxies in front of the server (comma-separated IPs). A request
    /// from one of them is counted, for the per-address sign-in limit, against the address
    /// its `X-Forwarded-For` names (the last one that is not itself a trusted proxy); from
    /// anyone else the header is ignored.
    #[arg(long, env = "QINGTUAN_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<IpAddr>,

    /// Seconds a client has to send a request's headers, counted from when the server starts
    /// waiting for them: on a new connection, and on a kept-alive one after each answer (so
    /// it also closes a keep-alive connection idle this long).
    #[arg(
        long,
        env = "QINGTUAN_HEADER_TIMEOUT_SECS",
        default_value_t = 10,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub header_timeout_secs: u64,

    /// The public notice period (公示) of an activity's volunteer hours, in working days
    /// (Monday to Friday, China time; public holidays are not known): the hours are posted on
    /// the public notice page and count from 00:00 after the last of these days (0: no notice,
    /// they count as soon as they are credited).
    #[arg(
        long,
        env = "QINGTUAN_HOURS_NOTICE_DAYS",
        default_value_t = domain::hours::DEFAULT_NOTICE_DAYS,
        value_parser = clap::value_parser!(u32).range(0..=i64::from(domain::hours::MAX_NOTICE_DAYS))
    )]
    pub hours_notice_days: u32,

    /// The period of the periodic jobs (closing forgotten check-outs, night school's
    /// deadlines, expiring old sign-in counts), in seconds: each runs once per period, on one
    /// of the server processes sharing the database.
    #[arg(
        long,
        env = "QINGTUAN_JOBS_PERIOD_SECS",
        default_value_t = 60,
        value_parser = clap::value_parser!(u64).range(1..=86_400)
    )]
    pub jobs_period_secs: u64,

    /// Log as JSON lines instead of human-readable text.
    #[arg(long, env = "QINGTUAN_LOG_JSON", default_value_t = false)]
    pub log_json: bool,
}

impl Config {
    /// Settings for tests: a given database and static folder, everything else default.
    pub fn for_tests(database_url: String, static_dir: PathBuf) -> Self {
        Self {
            addr: ([127, 0, 0, 1], 0).into(),
            database_url,
            static_dir,
            demo: false,
            body_limit: 1024 * 1024,
            login_limit_account: 10,
            login_limit_addr: 100,
            login_window_secs: 900,
            login_slowdown_base_ms: 1000,
            trusted_proxies: Vec::new(),
            header_timeout_secs: 10,
            hours_notice_days: domain::hours::DEFAULT_NOTICE_DAYS,
            jobs_period_secs: 60,
            log_json: false,
        }
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("addr", &self.addr)
            .field("database_url", &redact_url(&self.database_url))
            .field("static_dir", &self.static_dir)
            .field("demo", &self.demo)
            .field("body_limit", &self.body_limit)
            .field("login_limit_account", &self.login_limit_account)
            .field("login_limit_addr", &self.login_limit_addr)
            .field("login_window_secs", &self.login_window_secs)
            .field("login_slowdown_base_ms", &self.login_slowdown_base_ms)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("header_timeout_secs", &self.header_timeout_secs)
            .field("hours_notice_days", &self.hours_notice_days)
            .field("jobs_period_secs", &self.jobs_period_secs)
            .finish()
    }
}

/// Hides a password in `scheme://user:password@host/…`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _password)) => format!("{scheme}://{user}:***@{host}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_a_database_password() {
        let mut c = Config::for_tests("postgres://qt:s3cret@db/qt".into(), "dist".into());
        c.demo = true;
        let shown = format!("{c:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("postgres://qt:***@db/qt"));
    }

    #[test]
    fn flags_have_the_documented_defaults() {
        let c = Config::try_parse_from(["server"]).unwrap();
        assert_eq!(c.addr.to_string(), "127.0.0.1:8080");
        assert_eq!(c.static_dir, PathBuf::from("dist"));
        assert!(!c.demo);
        assert_eq!(
            (
                c.login_limit_account,
                c.login_limit_addr,
                c.login_window_secs,
                c.login_slowdown_base_ms
            ),
            (10, 100, 900, 1000)
        );
        assert_eq!(c.header_timeout_secs, 10);
        assert_eq!(c.hours_notice_days, 3);
        assert!(Config::try_parse_from(["server", "--hours-notice-days", "31"]).is_err());
        let off = Config::try_parse_from(["server", "--hours-notice-days", "0"]).unwrap();
        assert_eq!(off.hours_notice_days, 0);
        assert_eq!(c.jobs_period_secs, 60);
        assert!(Config::try_parse_from(["server", "--jobs-period-secs", "0"]).is_err());
    }

    #[test]
    fn a_header_timeout_of_zero_is_refused() {
        assert!(Config::try_parse_from(["server", "--header-timeout-secs", "0"]).is_err());
        let c = Config::try_parse_from(["server", "--header-timeout-secs", "1"]).unwrap();
        assert_eq!(c.header_timeout_secs, 1);
    }
}
