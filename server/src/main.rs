//! `qingtuan-server`: reads settings, starts logging, binds, and runs until SIGINT/SIGTERM.

use anyhow::Context;
use clap::Parser;
use server::{Config, demo, launch, shutdown_signal, telemetry};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config = Config::parse();
    telemetry::init(config.log_json);
    tracing::info!(?config, "starting");
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .with_context(|| format!("binding {}", config.addr))?;
    let addr = listener.local_addr()?;
    println!("青团 Qingtuan is running at http://{addr}/");
    if config.demo {
        println!("Demo accounts (password: {}):", demo::DEMO_PASSWORD);
        for (phone, name, roles) in demo::DEMO_ACCOUNTS {
            println!("  {phone}  {name}  ({})", roles.join(", "));
        }
    }
    launch(config, listener, shutdown_signal()).await
}
