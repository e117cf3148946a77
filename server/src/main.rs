//! `qingtuan-server`: reads settings, starts logging, binds, opens the database, and says it
//! runs only then; runs until SIGINT/SIGTERM. A failure to start is one line on stderr and a
//! non-zero exit.
//!
//! `qingtuan-server backup PATH` writes a consistent copy of the SQLite database to PATH
//! instead (`server::backup`), while a server may be running on it.

use anyhow::Context;
use clap::{Parser, Subcommand};
use server::{Config, demo, prepare, shutdown_signal, telemetry};
use std::{path::PathBuf, process::ExitCode};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The settings, and what to do instead of serving.
#[derive(Parser)]
#[command(name = "qingtuan-server", about = "Qingtuan (青团) server", version)]
struct Cli {
    #[command(flatten)]
    config: Config,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Write a consistent copy of the SQLite database (--database-url) to PATH, while a
    /// server may be running on it. PATH must not exist. PostgreSQL: use pg_dump.
    Backup {
        /// Where to write the copy (a new file).
        path: PathBuf,
    },
}

fn main() -> ExitCode {
    let Cli { config, command } = Cli::parse();
    match command {
        Some(Command::Backup { path }) => backup(&config.database_url, &path),
        None => serve(config),
    }
}

fn backup(database_url: &str, path: &std::path::Path) -> ExitCode {
    match server::backup::backup(database_url, path) {
        Ok(done) => {
            print!("{done}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!(
                "qingtuan-server: backup failed: {}",
                e.to_string().replace(['\n', '\r'], " ")
            );
            ExitCode::FAILURE
        }
    }
}

fn serve(config: Config) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("qingtuan-server: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(serve_until_stopped(config))
}

async fn serve_until_stopped(config: Config) -> ExitCode {
    telemetry::init(config.log_json);
    match run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("qingtuan-server: {}", one_line(&e));
            // Captured only when RUST_BACKTRACE or RUST_LIB_BACKTRACE asks for it.
            let backtrace = e.backtrace();
            if backtrace.status() == std::backtrace::BacktraceStatus::Captured {
                eprintln!("{backtrace}");
            }
            ExitCode::FAILURE
        }
    }
}

async fn run(config: Config) -> anyhow::Result<()> {
    tracing::info!(?config, "starting");
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .with_context(|| format!("cannot listen on {}", config.addr))?;
    let addr = listener.local_addr()?;
    let demo = config.demo;
    let server = prepare(config).await?;
    println!("青团 Qingtuan is running at http://{addr}/");
    if demo {
        println!("Demo accounts (password: {}):", demo::DEMO_PASSWORD);
        for (phone, name, roles) in demo::DEMO_ACCOUNTS {
            println!("  {phone}  {name}  ({})", roles.join(", "));
        }
    }
    server.serve(listener, shutdown_signal()).await
}

/// The error and its causes as `what failed: why: why`, on one line. A cause whose words end
/// the text before it is left out: many errors repeat their source in their own message.
fn one_line(e: &anyhow::Error) -> String {
    let mut line = String::new();
    let mut previous = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if !previous.ends_with(&text) {
            if !line.is_empty() {
                line.push_str(": ");
            }
            line.push_str(&text);
        }
        previous = text;
    }
    line.replace(['\n', '\r'], " ")
}
