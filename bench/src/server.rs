//! The release server as a child process: started on 127.0.0.1:0, its address read from its
//! first line, its peak memory read from `/proc`, stopped with SIGTERM (a graceful stop
//! checkpoints the WAL, so the database file can be copied afterwards).

use anyhow::{Context, bail};
use std::{
    path::{Path, PathBuf},
    process::Stdio,
    time::Duration,
};
use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    process::{Child, Command},
};

/// What to start.
#[derive(Debug, Clone)]
pub struct ServerSpec {
    /// `target/release/server`.
    pub bin: PathBuf,
    /// The built client.
    pub static_dir: PathBuf,
}

/// A running server; killed if dropped without [`ServerProcess::stop`].
pub struct ServerProcess {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub url: String,
    pid: u32,
}

impl ServerProcess {
    /// Starts the server on the SQLite file `db`, with the demo data (created only when the
    /// database is empty) and with sign-in rate limits lifted; its output goes to `log`
    /// (`RUST_LOG` passes through, e.g. `sqlx::query=debug` for every statement's time).
    pub async fn start(spec: &ServerSpec, db: &Path, log: &Path) -> anyhow::Result<Self> {
        Self::start_at(spec, &format!("sqlite://{}", db.display()), true, log).await
    }

    /// Starts the server on the database at `database_url` (`sqlite://…` or `postgres://…`),
    /// with the demo data if `demo`, otherwise as [`ServerProcess::start`] does.
    pub async fn start_at(
        spec: &ServerSpec,
        database_url: &str,
        demo: bool,
        log: &Path,
    ) -> anyhow::Result<Self> {
        let log_file = std::fs::File::create(log)
            .with_context(|| format!("creating the server log {}", log.display()))?;
        // Logs go to stdout (tracing's default) and panics to stderr: both into `log`.
        let mut log_out = tokio::fs::File::from_std(log_file.try_clone()?);
        let mut child = Command::new(&spec.bin)
            .args(["--addr", "127.0.0.1:0", "--database-url", database_url])
            .arg("--static-dir")
            .arg(&spec.static_dir)
            .args(demo.then_some("--demo"))
            .args(["--login-limit-account", "0", "--login-limit-addr", "0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log_file))
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("starting {}", spec.bin.display()))?;
        let pid = child.id().context("the server has no pid")?;
        let stdout = child.stdout.take().context("no stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let url = tokio::time::timeout(Duration::from_secs(30), async {
            while let Some(line) = lines.next_line().await? {
                log_out.write_all(format!("{line}\n").as_bytes()).await?;
                if let Some(rest) = line.split("running at ").nth(1) {
                    return Ok(rest.trim().trim_end_matches('/').to_owned());
                }
            }
            bail!(
                "the server stopped before saying where it runs (see {})",
                log.display()
            )
        })
        .await
        .context("the server did not start within 30 s")??;
        // Keep reading stdout so the server never blocks on a full pipe.
        tokio::spawn(async move {
            while let Ok(Some(line)) = lines.next_line().await {
                if log_out
                    .write_all(format!("{line}\n").as_bytes())
                    .await
                    .is_err()
                {
                    break;
                }
            }
        });
        let server = Self { child, url, pid };
        server.wait_until_healthy().await?;
        Ok(server)
    }

    async fn wait_until_healthy(&self) -> anyhow::Result<()> {
        let http = reqwest::Client::new();
        for _ in 0..400 {
            if let Ok(r) = http.get(format!("{}/healthz", self.url)).send().await
                && r.status().is_success()
            {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        bail!("the server at {} did not become healthy", self.url)
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// The most resident memory the process has had (`VmHWM`), in KiB.
    pub fn peak_rss_kib(&self) -> anyhow::Result<u64> {
        proc_status_kib(self.pid, "VmHWM")
    }

    /// Stops the server with SIGTERM and waits for it to finish (graceful: in-flight requests
    /// end, the writer commits, the pool closes).
    pub async fn stop(mut self) -> anyhow::Result<()> {
        let status = std::process::Command::new("kill")
            .args(["-TERM", &self.pid.to_string()])
            .status()
            .context("running kill")?;
        if !status.success() {
            bail!("kill -TERM {} failed", self.pid);
        }
        let exit = tokio::time::timeout(Duration::from_secs(30), self.child.wait())
            .await
            .context("the server did not stop within 30 s")??;
        if !exit.success() {
            bail!("the server exited with {exit}");
        }
        Ok(())
    }
}

/// A `kB` field of `/proc/PID/status`.
fn proc_status_kib(pid: u32, field: &str) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .with_context(|| format!("reading /proc/{pid}/status"))?;
    parse_status_kib(&status, field).with_context(|| format!("no {field} in /proc/{pid}/status"))
}

fn parse_status_kib(status: &str, field: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_kib_fields_of_proc_status() {
        let status =
            "Name:\tserver\nVmPeak:\t  123456 kB\nVmHWM:\t   45678 kB\nVmRSS:\t 40000 kB\n";
        assert_eq!(parse_status_kib(status, "VmHWM"), Some(45678));
        assert_eq!(parse_status_kib(status, "VmRSS"), Some(40000));
        assert_eq!(parse_status_kib(status, "VmSwap"), None);
    }

    #[test]
    fn this_process_has_a_peak_rss() {
        assert!(proc_status_kib(std::process::id(), "VmHWM").unwrap() > 0);
    }
}
