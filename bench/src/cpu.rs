//! Where the CPU went during a benchmark: this process (the clients), the server, and anything
//! else on the machine (which would make the numbers noisy: it is reported, not hidden).
//! Linux `/proc` clock ticks, `USER_HZ` = 100.

use anyhow::Context;
use serde_json::{Value, json};

const TICKS_PER_S: f64 = 100.0;

/// A snapshot of CPU ticks.
#[derive(Debug, Clone, Copy)]
pub struct Cpu {
    busy: u64,
    total: u64,
    client: u64,
    server: u64,
}

impl Cpu {
    /// Now, for this process and the server `server_pid`.
    pub fn now(server_pid: u32) -> anyhow::Result<Self> {
        let (busy, total) = machine()?;
        Ok(Self {
            busy,
            total,
            client: process(std::process::id())?,
            server: process(server_pid)?,
        })
    }

    /// What was spent between `self` and `later`, as JSON seconds.
    pub fn since(&self, later: &Self) -> Value {
        let s = |a: u64, b: u64| crate::stats::round(b.saturating_sub(a) as f64 / TICKS_PER_S, 2);
        let busy = later.busy.saturating_sub(self.busy);
        let ours =
            later.client.saturating_sub(self.client) + later.server.saturating_sub(self.server);
        let total = later.total.saturating_sub(self.total).max(1);
        json!({
            "client_cpu_s": s(self.client, later.client),
            "server_cpu_s": s(self.server, later.server),
            "other_cpu_s": crate::stats::round(busy.saturating_sub(ours) as f64 / TICKS_PER_S, 2),
            "machine_busy_pct": crate::stats::round(100.0 * busy as f64 / total as f64, 1),
        })
    }
}

/// User + system ticks of a process (all its threads).
fn process(pid: u32) -> anyhow::Result<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .with_context(|| format!("reading /proc/{pid}/stat"))?;
    parse_process(&stat).context("unexpected /proc/PID/stat")
}

fn parse_process(stat: &str) -> Option<u64> {
    // The command name may hold spaces: count fields after its closing parenthesis.
    // Fields 14 and 15 (utime, stime) are the 12th and 13th after it.
    let rest = &stat[stat.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace().skip(11);
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some(utime + stime)
}

/// (busy, total) ticks of all CPUs.
fn machine() -> anyhow::Result<(u64, u64)> {
    let stat = std::fs::read_to_string("/proc/stat").context("reading /proc/stat")?;
    parse_machine(&stat).context("unexpected /proc/stat")
}

fn parse_machine(stat: &str) -> Option<(u64, u64)> {
    let line = stat.lines().find(|l| l.starts_with("cpu "))?;
    let ticks: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .filter_map(|t| t.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal (guest time is already in user).
    let total: u64 = ticks.iter().take(8).sum();
    let idle = ticks.get(3)? + ticks.get(4)?;
    Some((total - idle, total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_proc_stat_lines() {
        let p = "1234 (tokio rt) S 1 2 3 4 5 6 7 8 9 10 250 50 0 0 20 0";
        assert_eq!(parse_process(p), Some(300));
        let m = "cpu  100 5 50 800 20 1 2 3 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n";
        assert_eq!(parse_machine(m), Some((161, 981)));
    }

    #[test]
    fn reads_this_process() {
        let a = Cpu::now(std::process::id()).unwrap();
        let b = Cpu::now(std::process::id()).unwrap();
        assert!(b.total >= a.total);
        assert!(a.since(&b)["client_cpu_s"].as_f64().unwrap() >= 0.0);
    }
}
