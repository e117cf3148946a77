//! `bench`: the benchmark command (see the README). It drives the release server as a child
//! process, the real sync engine, and headless Chromium, prints a table and writes
//! `target/bench/results.json` (`results-quick.json` for `--quick`).
//!
//! Everything runs natively; the IndexedDB comparison lives in `tests/idb_vs_dexie.rs`, built
//! for wasm32 and run by `wasm-bindgen-test-runner` (this binary starts it).

#[cfg(not(target_arch = "wasm32"))]
mod browser;
#[cfg(not(target_arch = "wasm32"))]
mod busy_year;
#[cfg(not(target_arch = "wasm32"))]
mod cpu;
#[cfg(not(target_arch = "wasm32"))]
mod draw_bench;
#[cfg(not(target_arch = "wasm32"))]
mod draw_data;
#[cfg(not(target_arch = "wasm32"))]
mod http1;
#[cfg(not(target_arch = "wasm32"))]
mod lighthouse;
#[cfg(not(target_arch = "wasm32"))]
mod limit;
#[cfg(not(target_arch = "wasm32"))]
mod pg;
#[cfg(not(target_arch = "wasm32"))]
mod report;
#[cfg(not(target_arch = "wasm32"))]
mod run;
#[cfg(not(target_arch = "wasm32"))]
mod rush;
#[cfg(not(target_arch = "wasm32"))]
mod seed;
#[cfg(not(target_arch = "wasm32"))]
mod server;
#[cfg(not(target_arch = "wasm32"))]
mod size;
#[cfg(not(target_arch = "wasm32"))]
mod stats;
#[cfg(not(target_arch = "wasm32"))]
mod sync_paths;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    use clap::Parser;
    let args = run::Args::parse().resolved();
    // Two workers: the machine has two cores, shared with the server under test.
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(args.client_threads)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("bench: cannot start the runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run::main(args)) {
        Ok(true) => std::process::ExitCode::SUCCESS,
        Ok(false) => std::process::ExitCode::FAILURE,
        Err(e) => {
            eprintln!("bench failed: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// The crate is built for wasm32 only for its browser test; there is nothing to run there.
#[cfg(target_arch = "wasm32")]
fn main() {}
