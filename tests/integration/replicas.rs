//! Several server processes on one database behave as one: the periodic jobs run once per
//! period across them, and the sign-in limits are counted in the database, shared by all of
//! them and kept over a restart. Two servers in one test on one SQLite file (WAL) stand for
//! two replicas: each has its own pool, sync writer, jobs and memory.

use serde_json::json;
use server::jobs::{COURSE_SWEEP, HOURS_SWEEP, Run, SIGN_IN_LIMITS_EXPIRY};
use std::{collections::BTreeSet, time::Duration};
use tests::{DEMO_PASSWORD, Options, TestServer};

const PERIOD_SECS: u64 = 2;
const JOBS: [&str; 3] = [HOURS_SWEEP, COURSE_SWEEP, SIGN_IN_LIMITS_EXPIRY];

fn period_now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp() / i64::try_from(PERIOD_SECS).unwrap()
}

/// The periods `runs` holds for `job`, in order, each as often as it ran.
fn periods(runs: &[Run], job: &str) -> Vec<i64> {
    let mut p: Vec<i64> = runs
        .iter()
        .filter(|r| r.job == job)
        .map(|r| r.period)
        .collect();
    p.sort_unstable();
    p
}

#[tokio::test]
async fn two_processes_run_each_periods_jobs_once_and_one_alone_runs_every_period() {
    let fast = Options {
        jobs_period_secs: Some(PERIOD_SECS),
        ..Options::default()
    };
    let mut a = TestServer::spawn_with(fast.clone()).await;
    let b = a.beside(fast).await;
    let first = period_now();
    tokio::time::sleep(Duration::from_secs(4 * PERIOD_SECS)).await;
    let last = period_now();
    // Every job of every period from the first to the last ran, and ran once: on one
    // process, never on both.
    let (runs_a, runs_b) = (a.job_runs(), b.job_runs());
    for job in JOBS {
        let mut both = periods(&runs_a, job);
        both.extend(periods(&runs_b, job));
        both.sort_unstable();
        let distinct: BTreeSet<i64> = both.iter().copied().collect();
        assert_eq!(
            both.len(),
            distinct.len(),
            "{job}: a period ran twice: {runs_a:?} {runs_b:?}"
        );
        for p in first..last {
            assert!(
                distinct.contains(&p),
                "{job}: period {p} never ran: {runs_a:?} {runs_b:?}"
            );
        }
        assert!(distinct.len() >= 4, "{job}: {distinct:?}");
    }
    let pool = b.store().await;
    let rows: Vec<(String, i64, String)> = pool
        .fetch_all(
            "SELECT job, period, ran_by FROM job_runs ORDER BY job",
            server::db::pool::args![],
            |r| r.tuple(),
        )
        .await
        .unwrap();
    assert_eq!(rows.len(), 3, "{rows:?}");
    let mut runners = BTreeSet::new();
    for (job, period, ran_by) in &rows {
        let latest = periods(&runs_a, job)
            .into_iter()
            .chain(periods(&runs_b, job))
            .max();
        assert_eq!(Some(*period), latest, "{job}");
        runners.insert(ran_by.clone());
    }
    // One process alone: it runs every period from now on.
    a.stop_and_wait().await;
    let alone_from = period_now() + 1;
    tokio::time::sleep(Duration::from_secs(3 * PERIOD_SECS)).await;
    let alone_to = period_now();
    // Time for the last period's run to commit, even on a busy machine.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let runs_b = b.job_runs();
    for job in JOBS {
        let ran = periods(&runs_b, job);
        for p in alone_from..=alone_to {
            assert!(ran.contains(&p), "{job}: period {p} not run alone: {ran:?}");
        }
    }
    assert!(alone_to - alone_from >= 2, "{alone_from}..={alone_to}");
}

/// A wrong password for 王青青's demo account, sent to `server` from 127.0.0.`n`.
async fn guess(server: &TestServer, n: u8) -> u16 {
    server
        .client_from(n)
        .post(server.url("/api/v1/auth/login"))
        .json(&json!({ "phone": "13900000003", "password": "wrong-password" }))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn two_processes_count_one_addresss_attempts_together() {
    let limited = Options {
        demo: true,
        login_limit_addr: Some(4),
        ..Options::default()
    };
    let a = TestServer::spawn_with(limited.clone()).await;
    let b = a.beside(limited).await;
    let mut statuses = Vec::new();
    for i in 0..8 {
        let server = if i % 2 == 0 { &a } else { &b };
        statuses.push(guess(server, 7).await);
    }
    assert_eq!(
        statuses,
        [401, 401, 401, 401, 429, 429, 429, 429],
        "four attempts in all, not four on each"
    );
    // Another address is not affected, on either.
    assert_eq!(guess(&b, 8).await, 401);
}

#[tokio::test]
async fn a_restart_keeps_the_sign_in_counts() {
    let limited = Options {
        demo: true,
        login_limit_account: Some(3),
        login_slowdown_base_ms: Some(60_000),
        ..Options::default()
    };
    let server = TestServer::spawn_with(limited.clone()).await;
    for _ in 0..3 {
        assert_eq!(guess(&server, 7).await, 401);
    }
    let server = server.restart(limited).await;
    let r = server
        .client_from(7)
        .post(server.url("/api/v1/auth/login"))
        .json(&json!({ "phone": "13900000003", "password": DEMO_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429, "the three failures outlived the restart");
    let retry: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        retry > 60,
        "this address's hard limit: the window's rest, {retry} s"
    );
}
