//! The browser benchmarks, in Debian's headless Chromium:
//!
//! - IndexedDB: `tests/idb_vs_dexie.rs`, built for wasm32 and run by `wasm-bindgen-test-runner`
//!   (through `cargo test`, which builds it if needed). It prints one `BENCH_IDB {json}` line.
//! - The offline reload: `web/offline_reload.js` (Playwright) against the release build served
//!   by the release server. It prints one `BENCH_RELOAD {json}` line.
//! - The draw's recompute: `tests/verify_draw.rs`, wasm32 like the IndexedDB comparison. It
//!   prints one `BENCH_VERIFY {json}` line.

use crate::server::{ServerProcess, ServerSpec};
use anyhow::{Context, bail};
use serde::Deserialize;
use std::{path::Path, process::Stdio};
use tokio::process::Command;

/// The crate's folder (the runner finds `webdriver.json` there).
fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// What the IndexedDB comparison printed.
#[derive(Debug, Clone, Deserialize)]
pub struct IdbResult {
    /// Rows written per run.
    pub rows: usize,
    /// Median `IdbStore::replace_kind` time, ms.
    pub idb_ms: f64,
    /// Median Dexie `bulkPut` time, ms.
    pub dexie_ms: f64,
    /// Every run, ms.
    pub idb_runs: Vec<f64>,
    /// Every run, ms.
    pub dexie_runs: Vec<f64>,
    /// Median time of the same puts by hand (no library), ms.
    pub raw_ms: f64,
    /// Every run, ms.
    pub raw_runs: Vec<f64>,
    /// Median time of putting only each row's JSON text by hand (out-of-line keys), ms.
    pub raw_text_ms: f64,
    /// Every run, ms.
    pub raw_text_runs: Vec<f64>,
    /// Median time of putting the JSON texts 500 rows to a record by hand, ms.
    pub raw_chunks_ms: f64,
    /// Every run, ms.
    pub raw_chunks_runs: Vec<f64>,
    /// The browser's user agent.
    pub user_agent: String,
}

/// Runs the IndexedDB comparison (`quick`: 1,000 rows once; else 10,000 rows, seven runs each).
pub async fn idb_vs_dexie(quick: bool) -> anyhow::Result<IdbResult> {
    let test = if quick {
        "idb_vs_dexie_quick"
    } else {
        "idb_vs_dexie_full"
    };
    let stdout = wasm_test("idb_vs_dexie", test).await?;
    tagged_json(&stdout, "BENCH_IDB ")
        .with_context(|| format!("no BENCH_IDB line in the runner's output:\n{stdout}"))
}

/// What the recompute of a published draw in the browser measured.
#[derive(Debug, Clone, Deserialize)]
pub struct VerifyResult {
    /// Applications in the course.
    pub applications: usize,
    /// Median `domain::draw::verify` time, ms.
    pub verify_ms: f64,
    /// Every measured run, ms (after one unmeasured warm-up).
    pub runs: Vec<f64>,
    /// The published draw's JSON text, bytes (what the results page downloads).
    pub json_bytes: usize,
    /// Reading that text into a `PublishedDraw` (`serde_json::from_str`), median, ms.
    pub parse_ms: f64,
}

/// Recomputes a published draw in headless Chromium (`quick`: 1,000 applications, three runs;
/// else 10,000, seven runs), after a warm-up.
pub async fn verify_draw(quick: bool) -> anyhow::Result<VerifyResult> {
    let test = if quick {
        "verify_draw_quick"
    } else {
        "verify_draw_full"
    };
    let stdout = wasm_test("verify_draw", test).await?;
    tagged_json(&stdout, "BENCH_VERIFY ")
        .with_context(|| format!("no BENCH_VERIFY line in the runner's output:\n{stdout}"))
}

/// Runs the wasm32 test `test` of the test target `target` in headless Chromium (through
/// `cargo test`, which builds it if needed); its standard output.
async fn wasm_test(target: &str, test: &str) -> anyhow::Result<String> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(crate_dir())
        .args([
            "test",
            "-p",
            "bench",
            "--target",
            "wasm32-unknown-unknown",
            "--release",
            "--locked",
            "--test",
            target,
            "--",
            "--nocapture",
            test,
        ])
        // The runner's default limit is 20 s per test; each of these takes less, but a slow
        // machine should get an answer, not a timeout.
        .env("WASM_BINDGEN_TEST_TIMEOUT", "300")
        .stdin(Stdio::null())
        .output()
        .await
        .context("running cargo test for wasm32 (is the wasm32 target installed?)")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        bail!("the browser benchmark {target}::{test} failed:\n{stdout}\n{stderr}");
    }
    Ok(stdout.into_owned())
}

/// What the offline reload measured.
#[derive(Debug, Clone, Deserialize)]
pub struct ReloadResult {
    /// From `page.reload()` to the first offering card visible, ms, per reload.
    pub reload_ms: Vec<f64>,
    /// The same moment as the page saw it (navigation start to the card in the DOM), ms.
    pub in_page_ms: Vec<Option<f64>>,
    /// Cards shown online, and offline after each reload (the same count).
    pub cards: usize,
}

/// Serves the build in `spec` from a fresh demo database in `dir` and measures `reloads`
/// offline reloads in Chromium.
pub async fn offline_reload(
    spec: &ServerSpec,
    dir: &Path,
    reloads: usize,
) -> anyhow::Result<ReloadResult> {
    let server =
        ServerProcess::start(spec, &dir.join("reload.db"), &dir.join("reload.log")).await?;
    let web = crate_dir().join("web");
    let output = Command::new("node")
        .current_dir(&web)
        .arg("offline_reload.js")
        .arg(&server.url)
        .arg(reloads.to_string())
        .stdin(Stdio::null())
        .output()
        .await
        .context("running node (is Node installed?)");
    server.stop().await?;
    let output = output?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        bail!(
            "the offline reload benchmark failed (npm ci in {} first?):\n{stdout}\n{stderr}",
            web.display()
        );
    }
    tagged_json(&stdout, "BENCH_RELOAD ")
        .with_context(|| format!("no BENCH_RELOAD line in its output:\n{stdout}\n{stderr}"))
}

/// The JSON after `tag` on the first line that carries it (anywhere in the line: the test
/// runner may prefix console output).
fn tagged_json<T: serde::de::DeserializeOwned>(output: &str, tag: &str) -> anyhow::Result<T> {
    let line = output
        .lines()
        .find_map(|l| l.split_once(tag).map(|(_, json)| json))
        .context("tag not found")?;
    Ok(serde_json::from_str(line.trim())?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_tagged_json_lines() {
        let out = "running 1 test\nlog output:\n    BENCH_IDB {\"rows\":3,\"idb_ms\":1.5,\"dexie_ms\":2.0,\"idb_runs\":[1.5],\"dexie_runs\":[2.0],\"raw_ms\":1.0,\"raw_runs\":[1.0],\"raw_text_ms\":0.5,\"raw_text_runs\":[0.5],\"raw_chunks_ms\":0.1,\"raw_chunks_runs\":[0.1],\"user_agent\":\"x\"}\ntest ok\n";
        let r: IdbResult = tagged_json(out, "BENCH_IDB ").unwrap();
        assert_eq!(r.rows, 3);
        assert_eq!(r.dexie_runs, vec![2.0]);
        assert!(tagged_json::<IdbResult>("nothing here", "BENCH_IDB ").is_err());
    }
}
