//! The sync paths through the real client engine (`engine::SyncEngine` over the memory store
//! and the HTTP transport, as the integration tests use it): a device that queued many actions
//! while offline syncs them, and an organizer's new device downloads a big roster.

use crate::seed::{self, Account, ROSTER_OFFERING};
use anyhow::{Context, ensure};
use domain::sync::{
    CancelArgs, Op, PullResponse, PushRequest, PushResponse, RegistrationRow, RequestArgs,
};
use engine::{
    HttpTransport, Store, SyncEngine, Transport, TransportError, store::memory::MemoryStore,
};
use std::{
    cell::Cell,
    path::Path,
    time::{Duration, Instant},
};

/// A transport that times the calls it passes on.
struct Timed<T> {
    inner: T,
    push: Cell<Duration>,
    pushes: Cell<usize>,
    pull: Cell<Duration>,
    pulls: Cell<usize>,
}

impl<T> Timed<T> {
    fn new(inner: T) -> Self {
        Self {
            inner,
            push: Cell::default(),
            pushes: Cell::default(),
            pull: Cell::default(),
            pulls: Cell::default(),
        }
    }
}

impl<T: Transport> Transport for Timed<T> {
    async fn push(&self, request: &PushRequest) -> Result<PushResponse, TransportError> {
        let start = Instant::now();
        let answer = self.inner.push(request).await;
        self.push.set(self.push.get() + start.elapsed());
        self.pushes.set(self.pushes.get() + 1);
        answer
    }

    async fn pull(
        &self,
        client_id: &str,
        cursor: u64,
        limit: u32,
    ) -> Result<PullResponse, TransportError> {
        let start = Instant::now();
        let answer = self.inner.pull(client_id, cursor, limit).await;
        self.pull.set(self.pull.get() + start.elapsed());
        self.pulls.set(self.pulls.get() + 1);
        answer
    }
}

/// One timed `sync()`.
#[derive(Debug, Clone)]
pub struct SyncTiming {
    /// The whole `sync()` call: pushes, pulls and the store's work.
    pub total: Duration,
    /// Time inside push calls (HTTP round trips, server work, JSON).
    pub push: Duration,
    /// Push calls.
    pub pushes: usize,
    /// Time inside pull calls.
    pub pull: Duration,
    /// Pull calls (pages).
    pub pulls: usize,
    /// Changes received.
    pub pulled: usize,
}

impl SyncTiming {
    /// As JSON milliseconds, for `extra`.
    pub fn json(&self) -> serde_json::Value {
        let ms = |d: Duration| crate::stats::round(d.as_secs_f64() * 1000.0, 1);
        serde_json::json!({
            "total_ms": ms(self.total),
            "push_calls_ms": ms(self.push),
            "pushes": self.pushes,
            "pull_calls_ms": ms(self.pull),
            "pulls": self.pulls,
            "changes_pulled": self.pulled,
        })
    }
}

type Engine = SyncEngine<MemoryStore, Timed<HttpTransport>>;

fn engine(url: &str, account: &Account) -> Engine {
    SyncEngine::new(
        MemoryStore::new(),
        Timed::new(HttpTransport::new(url, Some(account.token.clone()))),
    )
}

async fn timed_sync(engine: &Engine) -> anyhow::Result<(SyncTiming, engine::SyncReport)> {
    let start = Instant::now();
    let report = engine.sync(seed::now_ms()).await?;
    let total = start.elapsed();
    let t = engine.transport();
    Ok((
        SyncTiming {
            total,
            push: t.push.get(),
            pushes: t.pushes.get(),
            pull: t.pull.get(),
            pulls: t.pulls.get(),
            pulled: report.pulled,
        },
        report,
    ))
}

/// A device that queued `mutations` actions offline (a request, then its cancellation, and so
/// on, for the push offering) syncs them all: every one applied, none left in the outbox.
pub async fn push(
    url: &str,
    db: &Path,
    device: &Account,
    offering: &str,
    mutations: usize,
) -> anyhow::Result<SyncTiming> {
    let engine = engine(url, device);
    let mut last_request = None;
    for i in 0..mutations {
        let op = match last_request.take() {
            Some(registration_id) if i % 2 == 1 => {
                Op::RegistrationCancel(CancelArgs { registration_id })
            }
            _ => {
                let registration_id = uuid::Uuid::new_v4().to_string();
                last_request = Some(registration_id.clone());
                Op::RegistrationRequest(RequestArgs {
                    registration_id,
                    offering_id: offering.to_owned(),
                    answers: Default::default(),
                })
            }
        };
        engine.enqueue(&op, seed::now_ms(), None).await?;
    }
    let (timing, report) = timed_sync(&engine).await?;
    ensure!(
        report.pushed == mutations,
        "pushed {} of {mutations}",
        report.pushed
    );
    ensure!(
        report.notices.is_empty(),
        "some queued actions were refused: {:?}",
        report.notices
    );
    ensure!(
        engine.store().outbox().await?.is_empty(),
        "the outbox is not settled after the sync"
    );
    // The server applied each exactly once, and the device shows what the server has.
    let mut conn = seed::open(db).await?;
    let logged: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM client_mutations m JOIN clients c ON c.id = m.client_id
          WHERE c.user_id = ? AND m.outcome LIKE '{\"outcome\":\"applied\"%'",
    )
    .bind(&device.user_id)
    .fetch_one(&mut conn)
    .await?;
    ensure!(
        logged == i64::try_from(mutations)?,
        "{logged} of {mutations} mutations applied on the server"
    );
    let on_server: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM registrations WHERE user_id = ?")
        .bind(&device.user_id)
        .fetch_one(&mut conn)
        .await?;
    let on_device = engine.store().rows("registration").await?;
    ensure!(
        on_server == i64::try_from(mutations.div_ceil(2))?
            && on_device.len() == mutations.div_ceil(2),
        "{on_server} registrations on the server, {} on the device",
        on_device.len()
    );
    let cancelled = on_device
        .iter()
        .map(|r| r.value::<RegistrationRow>())
        .collect::<Result<Vec<_>, _>>()?
        .iter()
        .filter(|r| r.status == domain::registration::RegistrationStatus::Cancelled)
        .count();
    ensure!(
        cancelled == mutations / 2,
        "{cancelled} cancelled on the device"
    );
    Ok(timing)
}

/// The organizer's new device downloads everything it may see, the big roster included.
pub async fn pull(url: &str, organizer: &Account, roster: usize) -> anyhow::Result<SyncTiming> {
    let engine = engine(url, organizer);
    let (timing, report) = timed_sync(&engine).await?;
    ensure!(!report.reset, "the first download was asked to reset");
    let entries = engine.store().rows("roster_entry").await?;
    let mut on_roster = 0;
    for row in &entries {
        let entry: serde_json::Value = row.value()?;
        if entry["offering_id"] == ROSTER_OFFERING {
            on_roster += 1;
            let phone = entry["phone"]
                .as_str()
                .context("a roster entry without a phone")?;
            ensure!(phone.contains("****"), "an unmasked phone on the roster");
        }
    }
    ensure!(
        on_roster == roster,
        "{on_roster} of {roster} roster entries on the device"
    );
    Ok(timing)
}
