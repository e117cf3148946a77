//! `qingtuan-server`: reads settings, starts logging, binds, opens the database, and says it
//! runs only then; runs until SIGINT/SIGTERM. A failure to start is one line on stderr and a
//! non-zero exit.

use anyhow::Context;
use clap::Parser;
use server::{Config, demo, prepare, shutdown_signal, telemetry};
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let config = Config::parse();
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
