//! The periodic jobs, each run once per period across every server process on the database:
//! the sweep of forgotten check-outs (`db::hours::sweep_on`), night school's sweep (lists
//! frozen at their close, missed confirmations passed on: `db::course::sweep_on`) and the
//! expiry of old sign-in counts (`auth::rate_limit::expire_on`).
//!
//! Periods are the Unix time divided by the period's length (`--jobs-period-secs`, 60 by
//! default), the same on every process. Each process runs every job at its start and then at
//! the start of each period, on its sync writer; a job's run claims the period in the same
//! transaction as its work (`db::jobs::claim_on`), so the first process to commit runs it and
//! the others find it taken and do nothing. A failed run (an error, a crash before the commit)
//! takes its claim with it: the period is claimed again by the next try, retried within
//! [`RETRY`] by the process that failed, or by any process at the next period.
//!
//! Each process keeps the last runs it made ([`Log`]), for the tests to count.

use crate::{auth::rate_limit, db, sync::writer::Writer};
use std::{
    collections::VecDeque,
    sync::{Arc, Mutex},
    time::Duration,
};

/// The jobs, by the name their row in `job_runs` has.
pub const HOURS_SWEEP: &str = "hours_sweep";
/// Night school's sweep.
pub const COURSE_SWEEP: &str = "course_sweep";
/// The expiry of old sign-in counts.
pub const SIGN_IN_LIMITS_EXPIRY: &str = "sign_in_limits_expiry";

/// After a failed run, the next try comes this soon (or at the next period if sooner).
pub const RETRY: Duration = Duration::from_secs(5);

/// How many runs a [`Log`] keeps.
const LOG_LENGTH: usize = 4096;

/// One run of a job by this process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Run {
    /// The job's name.
    pub job: &'static str,
    /// The period it ran for.
    pub period: i64,
}

/// The last runs this process made (committed), oldest first.
#[derive(Debug, Default)]
pub struct Log(Mutex<VecDeque<Run>>);

impl Log {
    fn push(&self, run: Run) {
        let mut runs = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if runs.len() == LOG_LENGTH {
            runs.pop_front();
        }
        runs.push_back(run);
    }

    /// The runs kept, oldest first.
    pub fn runs(&self) -> Vec<Run> {
        let runs = self.0.lock().unwrap_or_else(|e| e.into_inner());
        runs.iter().copied().collect()
    }
}

/// The periodic jobs of one process.
pub struct Jobs {
    /// The length of a period, in seconds (at least 1).
    period_secs: i64,
    /// This process, as `job_runs.ran_by` names it: a random id per start.
    ran_by: Arc<str>,
    /// The window of the sign-in limits: counts quiet this long are deleted.
    limits_window: Duration,
    log: Arc<Log>,
}

fn now_ms() -> i64 {
    rate_limit::now_ms()
}

impl Jobs {
    /// The jobs the settings ask for.
    pub fn from_config(config: &crate::Config) -> Self {
        Self {
            period_secs: i64::try_from(config.jobs_period_secs.max(1)).unwrap_or(i64::MAX),
            ran_by: uuid::Uuid::new_v4().to_string().into(),
            limits_window: rate_limit::Settings::from_config(config).window,
            log: Arc::default(),
        }
    }

    /// This process's runs.
    pub fn log(&self) -> Arc<Log> {
        self.log.clone()
    }

    /// Runs the jobs now and at the start of every period after, until dropped (aborted).
    pub async fn run(self, writer: Writer) {
        loop {
            let started = now_ms();
            let period = started / 1000 / self.period_secs;
            let all_ran = self.run_period(&writer, period, started).await;
            let next_ms = (period + 1)
                .saturating_mul(self.period_secs)
                .saturating_mul(1000);
            // A little past the boundary, so a clock read a hair early still sees the new period.
            let mut wait = Duration::from_millis(
                u64::try_from(next_ms.saturating_sub(now_ms())).unwrap_or(0) + 10,
            );
            if !all_ran {
                wait = wait.min(RETRY);
            }
            tokio::time::sleep(wait).await;
        }
    }

    /// Every job's run for `period`; whether none failed.
    async fn run_period(&self, writer: &Writer, period: i64, now_ms: i64) -> bool {
        let now = now_ms / 1000;
        let mut all_ran = true;
        match self
            .once(writer, HOURS_SWEEP, period, now, move |w| {
                db::hours::sweep_on(w, now)
            })
            .await
        {
            Ok(None | Some(0)) => {}
            Ok(Some(n)) => tracing::info!(closed = n, "closed forgotten check-outs"),
            Err(e) => {
                all_ran = false;
                tracing::warn!(error = %e, "closing forgotten check-outs failed");
            }
        }
        match self
            .once(writer, COURSE_SWEEP, period, now, move |w| {
                db::course::sweep_on(w, now)
            })
            .await
        {
            Ok(None | Some((0, 0))) => {}
            Ok(Some((frozen, missed))) => {
                tracing::info!(frozen, missed, "froze course lists, passed on places")
            }
            Err(e) => {
                all_ran = false;
                tracing::warn!(error = %e, "the course sweep failed");
            }
        }
        let window = self.limits_window;
        match self
            .once(writer, SIGN_IN_LIMITS_EXPIRY, period, now, move |w| {
                rate_limit::expire_on(w, now_ms, window)
            })
            .await
        {
            Ok(_) => {}
            Err(e) => {
                all_ran = false;
                tracing::warn!(error = %e, "the expiry of old sign-in counts failed");
            }
        }
        all_ran
    }

    /// Runs `work` for `job` and `period` on the writer if this process claims the period:
    /// its result, or `None` when another run had it.
    async fn once<T, F>(
        &self,
        writer: &Writer,
        job: &'static str,
        period: i64,
        now: i64,
        mut work: F,
    ) -> Result<Option<T>, crate::error::ApiError>
    where
        T: Send + 'static,
        F: FnMut(&db::writing::Writing<'_>) -> crate::db::sql::Result<T> + Send + 'static,
    {
        let ran_by = self.ran_by.clone();
        let done = writer
            .run(move |w| {
                if !db::jobs::claim_on(w, job, period, &ran_by, now)? {
                    return Ok(None);
                }
                Ok(Some(work(w)?))
            })
            .await?;
        if done.is_some() {
            self.log.push(Run { job, period });
        }
        Ok(done)
    }
}
