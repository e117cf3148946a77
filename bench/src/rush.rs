//! The enrollment rush: N devices push one `registration.request` each for the same offering,
//! all released at once, over the real protocol (`POST /api/v1/sync/push`, bearer tokens).
//! The same shape serves the night school's application window ([`Allocation::Lottery`]): N
//! applications to one lottery course, each entered with its public number.
//!
//! N requests at once cannot all be on the wire at once on a two-core machine; they go through
//! a pool of C keep-alive connections (opened before the start, like a reverse proxy's pool to
//! its upstream), each taking the next waiting request when it has its answer. Latency is
//! measured per request from the moment it has a connection to its full answer; the time spent
//! waiting for a connection is reported separately. The load generator is lean ([`http1`]):
//! it shares the two cores with the server it measures.

use crate::{
    http1,
    seed::{self, Account},
    stats::{percentile, round},
};
use anyhow::{Context, bail, ensure};
use domain::{
    registration::RegistrationStatus,
    sync::{MutationEnvelope, Outcome, PushRequest, PushResponse, SCHEMA_VERSION},
};
use serde_json::{Value, json};
use std::{
    collections::BTreeSet,
    path::Path,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};
use tokio::sync::Barrier;

/// How the offering under the rush gives its places, and so what every answer must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Allocation {
    /// First come, with this many seats and a waitlist: exactly `seats` confirmed, the rest
    /// waitlisted at places 1..n.
    FirstCome {
        /// Seats offered.
        seats: usize,
    },
    /// A lottery course's application window: every request `lottery_entered`, with its own
    /// application number (`CCCC-AAAA`, one draw code for the course).
    Lottery,
}

/// What the rush measured and checked.
#[derive(Debug, Clone)]
pub struct RushResult {
    /// Clients (one mutation each).
    pub users: usize,
    /// Seats offered (0 for a lottery: places are given at the draw).
    pub seats: usize,
    /// `confirmed` decisions in the answers (checked against the database).
    pub confirmed: usize,
    /// `waitlisted` decisions.
    pub waitlisted: usize,
    /// `lottery_entered` decisions.
    pub entered: usize,
    /// From the start signal to the last answer.
    pub wall: Duration,
    /// Per-request latency on a connection, milliseconds.
    pub latencies_ms: Vec<f64>,
    /// From the start signal to each answer (includes waiting for a connection), ms.
    pub since_start_ms: Vec<f64>,
}

impl RushResult {
    /// Mutations applied per second of wall time.
    pub fn per_s(&self) -> f64 {
        self.users as f64 / self.wall.as_secs_f64()
    }

    /// The keys this section reports.
    pub fn values(&self) -> Vec<(&'static str, Value)> {
        let p = |xs: &[f64], q| round(percentile(xs, q).unwrap_or(f64::NAN), 2);
        vec![
            ("rush_users", json!(self.users)),
            ("rush_seats", json!(self.seats)),
            ("rush_confirmed", json!(self.confirmed)),
            ("rush_mutations_per_s", json!(round(self.per_s(), 0))),
            ("rush_p50_ms", json!(p(&self.latencies_ms, 50.0))),
            ("rush_p99_ms", json!(p(&self.latencies_ms, 99.0))),
        ]
    }

    /// The application window's figures (its `extra`, and `apply_per_s` beside them).
    pub fn apply_json(&self) -> Value {
        let p = |xs: &[f64], q| round(percentile(xs, q).unwrap_or(f64::NAN), 2);
        json!({
            "apply_per_s": round(self.per_s(), 0),
            "applications": self.users,
            "entered": self.entered,
            "wall_ms": round(self.wall.as_secs_f64() * 1000.0, 1),
            "p50_ms": p(&self.latencies_ms, 50.0),
            "p90_ms": p(&self.latencies_ms, 90.0),
            "p99_ms": p(&self.latencies_ms, 99.0),
            "max_ms": p(&self.latencies_ms, 100.0),
            "p50_from_start_ms": p(&self.since_start_ms, 50.0),
            "p99_from_start_ms": p(&self.since_start_ms, 99.0),
        })
    }

    /// Breakdowns kept in the JSON's `extra`.
    pub fn extra(&self) -> Value {
        let p = |xs: &[f64], q| round(percentile(xs, q).unwrap_or(f64::NAN), 2);
        json!({
            "rush_waitlisted": self.waitlisted,
            "rush_wall_ms": round(self.wall.as_secs_f64() * 1000.0, 1),
            "rush_p90_ms": p(&self.latencies_ms, 90.0),
            "rush_max_ms": p(&self.latencies_ms, 100.0),
            "rush_p50_from_start_ms": p(&self.since_start_ms, 50.0),
            "rush_p99_from_start_ms": p(&self.since_start_ms, 99.0),
        })
    }
}

struct Sample {
    on_wire: Duration,
    finished: Instant,
    status: u16,
    body: Vec<u8>,
}

/// The database a rush's server runs on, where its results are checked afterwards.
#[derive(Debug, Clone, Copy)]
pub enum Database<'a> {
    /// A SQLite file.
    Sqlite(&'a Path),
    /// A PostgreSQL URL.
    Postgres(&'a str),
}

/// Runs the rush against the server at `url` for `offering` (given by `allocation`), then
/// checks the answers and the database `db`.
pub async fn run(
    url: &str,
    db: &Path,
    accounts: &[Account],
    offering: &str,
    allocation: Allocation,
    connections: usize,
) -> anyhow::Result<RushResult> {
    run_on(
        &[url],
        Database::Sqlite(db),
        accounts,
        offering,
        allocation,
        connections,
    )
    .await
}

/// [`run`] against one or more servers on the same database `db`: the pool's connections are
/// dealt out among `urls` in turn, as a reverse proxy's pool to its upstreams is, and every
/// request goes out on whichever connection is free next.
pub async fn run_on(
    urls: &[&str],
    db: Database<'_>,
    accounts: &[Account],
    offering: &str,
    allocation: Allocation,
    connections: usize,
) -> anyhow::Result<RushResult> {
    // Requests carry the first server's address as their host, as a proxy passes on the host
    // its clients asked for whichever upstream it picks.
    let url = *urls.first().context("no server to rush")?;
    // The connections are opened (and checked with a health request) before the start, like a
    // reverse proxy's pool to its upstream.
    let mut pool = Vec::with_capacity(connections);
    let health = http1::request("GET", url, "/healthz", &[], b"")?;
    for i in 0..connections.min(accounts.len()).max(1) {
        let mut conn = http1::Connection::open(urls[i % urls.len()]).await?;
        let answer = conn.send(&health).await?;
        ensure!(answer.status == 200, "healthz answered {}", answer.status);
        pool.push(conn);
    }

    // Every request is made before the start, so the clock measures the server, not serde.
    let now = seed::now_ms();
    let mut registration_ids = BTreeSet::new();
    let requests: Vec<Vec<u8>> = accounts
        .iter()
        .map(|a| {
            let registration_id = uuid::Uuid::new_v4().to_string();
            registration_ids.insert(registration_id.clone());
            let request = PushRequest {
                schema_version: SCHEMA_VERSION,
                client_id: uuid::Uuid::new_v4().to_string(),
                client_time: now,
                mutations: vec![MutationEnvelope {
                    id: 1,
                    name: "registration.request".into(),
                    args: json!({ "registration_id": registration_id, "offering_id": offering }),
                    created_at: now,
                }],
            };
            http1::request(
                "POST",
                url,
                "/api/v1/sync/push",
                &[
                    ("authorization", &format!("Bearer {}", a.token)),
                    ("content-type", "application/json"),
                ],
                &serde_json::to_vec(&request)?,
            )
        })
        .collect::<anyhow::Result<_>>()?;

    // The devices queue for the connections in order: each connection takes the next waiting
    // request as soon as it has its answer.
    let requests = Arc::new(requests);
    let next = Arc::new(AtomicUsize::new(0));
    let start_line = Arc::new(Barrier::new(pool.len() + 1));
    let mut workers = Vec::with_capacity(pool.len());
    for mut conn in pool {
        let (requests, next, start_line) = (requests.clone(), next.clone(), start_line.clone());
        workers.push(tokio::spawn(async move {
            start_line.wait().await;
            let mut samples = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(request) = requests.get(i) else {
                    break;
                };
                let sent = Instant::now();
                let answer = conn.send(request).await?;
                let finished = Instant::now();
                samples.push(Sample {
                    on_wire: finished - sent,
                    finished,
                    status: answer.status,
                    body: answer.body,
                });
            }
            anyhow::Ok(samples)
        }));
    }
    start_line.wait().await;
    let start = Instant::now();
    let mut samples = Vec::with_capacity(requests.len());
    for worker in workers {
        samples.extend(worker.await.context("a rush connection panicked")??);
    }
    let wall = samples
        .iter()
        .map(|s| s.finished - start)
        .max()
        .unwrap_or_default();

    // Every answer: 200, one outcome, applied, confirmed or waitlisted with a place (first
    // come) or entered in the draw (lottery).
    let lottery = allocation == Allocation::Lottery;
    let mut confirmed = 0;
    let mut entered = 0;
    let mut positions = Vec::new();
    for s in &samples {
        if s.status != 200 {
            bail!(
                "a push was answered {}: {}",
                s.status,
                String::from_utf8_lossy(&s.body)
            );
        }
        let answer: PushResponse = serde_json::from_slice(&s.body)?;
        ensure!(
            answer.last_mutation_id == 1 && answer.outcomes.len() == 1,
            "unexpected answer {answer:?}"
        );
        match &answer.outcomes[0].outcome {
            Outcome::Applied { decision: Some(d) }
                if lottery && d.status == RegistrationStatus::LotteryEntered =>
            {
                entered += 1;
            }
            Outcome::Applied { decision: Some(d) }
                if !lottery && d.status == RegistrationStatus::Confirmed =>
            {
                confirmed += 1;
            }
            Outcome::Applied { decision: Some(d) }
                if !lottery && d.status == RegistrationStatus::Waitlisted =>
            {
                positions.push(
                    d.waitlist_position
                        .context("a waitlist place without a number")?,
                );
            }
            other => bail!("a rush request was not answered as {allocation:?} gives: {other:?}"),
        }
    }
    let seats = match allocation {
        Allocation::FirstCome { seats } => seats,
        Allocation::Lottery => 0,
    };
    let result = RushResult {
        users: accounts.len(),
        seats,
        confirmed,
        waitlisted: positions.len(),
        entered,
        wall,
        latencies_ms: samples
            .iter()
            .map(|s| s.on_wire.as_secs_f64() * 1000.0)
            .collect(),
        since_start_ms: samples
            .iter()
            .map(|s| (s.finished - start).as_secs_f64() * 1000.0)
            .collect(),
    };
    if lottery {
        ensure!(
            entered == accounts.len(),
            "{entered} entered for {} applications",
            accounts.len()
        );
        let Database::Sqlite(db) = db else {
            bail!("the application window is checked on SQLite only");
        };
        verify_applications(db, offering, accounts.len(), &registration_ids).await?;
    } else {
        ensure!(
            confirmed == seats.min(accounts.len()),
            "{confirmed} confirmed answers for {seats} seats"
        );
        positions.sort_unstable();
        ensure!(
            positions
                .iter()
                .copied()
                .eq(1..=u32::try_from(positions.len())?),
            "waitlist places in the answers are not 1..n"
        );
        match db {
            Database::Sqlite(db) => {
                verify_database(db, offering, seats, accounts.len(), &registration_ids).await?;
            }
            Database::Postgres(url) => {
                verify_postgres(url, offering, seats, accounts.len(), &registration_ids).await?;
            }
        }
    }
    match db {
        Database::Sqlite(db) => verify_logged(db, accounts.len()).await?,
        Database::Postgres(url) => verify_logged_postgres(url, accounts.len()).await?,
    }
    Ok(result)
}

/// Every request recorded once for `offering`, from `users` different people.
async fn verify_registrations(
    conn: &mut sqlx::SqliteConnection,
    offering: &str,
    users: usize,
    registration_ids: &BTreeSet<String>,
) -> anyhow::Result<()> {
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM registrations WHERE offering_id = ?")
        .bind(offering)
        .fetch_all(&mut *conn)
        .await?;
    ensure!(
        ids.len() == users && ids.iter().cloned().collect::<BTreeSet<_>>() == *registration_ids,
        "{} registrations in the database for {users} requests",
        ids.len()
    );
    let people: i64 = sqlx::query_scalar(
        "SELECT COUNT(DISTINCT user_id) FROM registrations WHERE offering_id = ?",
    )
    .bind(offering)
    .fetch_one(&mut *conn)
    .await?;
    ensure!(
        people == i64::try_from(users)?,
        "{people} people hold the {users} registrations: a duplicate"
    );
    Ok(())
}

/// The database agrees with an application window: every application recorded once,
/// `lottery_entered`, each with its own application number, all under the course's one draw
/// code; no place taken, nobody waitlisted (places come at the draw).
async fn verify_applications(
    db: &Path,
    offering: &str,
    users: usize,
    registration_ids: &BTreeSet<String>,
) -> anyhow::Result<()> {
    let mut conn = seed::open(db).await?;
    verify_registrations(&mut conn, offering, users, registration_ids).await?;
    let rows: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT status, application_no FROM registrations WHERE offering_id = ?")
            .bind(offering)
            .fetch_all(&mut conn)
            .await?;
    let mut numbers = BTreeSet::new();
    let mut codes = BTreeSet::new();
    for (status, number) in rows {
        ensure!(
            status == "lottery_entered",
            "an application is {status}, not lottery_entered"
        );
        let number = number.context("an application without a number")?;
        let parsed = domain::draw::ApplicationNumber::parse(&number)
            .map_err(|e| anyhow::anyhow!("{number:?}: {e}"))?;
        codes.insert(parsed.as_str()[..4].to_owned());
        ensure!(numbers.insert(number.clone()), "{number} given twice");
    }
    ensure!(
        codes.len() <= 1,
        "{} draw codes in one course: {codes:?}",
        codes.len()
    );
    let (seats_taken, waitlist_len): (i64, i64) = sqlx::query_as(
        "SELECT seats_taken, waitlist_len FROM offering_pools
              WHERE offering_id = ? AND pool = 'all'",
    )
    .bind(offering)
    .fetch_one(&mut conn)
    .await?;
    ensure!(
        (seats_taken, waitlist_len) == (0, 0),
        "an application window took places: seats_taken {seats_taken}, waitlist_len {waitlist_len}"
    );
    Ok(())
}

/// One logged mutation per push of the rush's accounts.
async fn verify_logged(db: &Path, users: usize) -> anyhow::Result<()> {
    let mut conn = seed::open(db).await?;
    let logged: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM client_mutations m JOIN clients c ON c.id = m.client_id
          WHERE c.user_id LIKE ?",
    )
    .bind(format!("bench-{}%", seed::RUSH_PHONES))
    .fetch_one(&mut conn)
    .await?;
    ensure!(
        logged == i64::try_from(users)?,
        "{logged} mutations logged for {users} pushes"
    );
    Ok(())
}

/// The database agrees with the answers: exactly `seats` confirmed, every request recorded
/// once, the waitlist gapless, the counters in step.
async fn verify_database(
    db: &Path,
    offering: &str,
    seats: usize,
    users: usize,
    registration_ids: &BTreeSet<String>,
) -> anyhow::Result<()> {
    let mut conn = seed::open(db).await?;
    verify_registrations(&mut conn, offering, users, registration_ids).await?;
    let confirmed: i64 = sqlx::query_scalar(
        "SELECT SUM(status = 'confirmed') FROM registrations WHERE offering_id = ?",
    )
    .bind(offering)
    .fetch_one(&mut conn)
    .await?;
    let want_confirmed = i64::try_from(seats.min(users))?;
    ensure!(
        confirmed == want_confirmed,
        "{confirmed} confirmed in the database for {seats} seats"
    );
    let (seats_taken, waitlist_len): (i64, i64) = sqlx::query_as(
        "SELECT seats_taken, waitlist_len FROM offering_pools
              WHERE offering_id = ? AND pool = 'all'",
    )
    .bind(offering)
    .fetch_one(&mut conn)
    .await?;
    ensure!(
        seats_taken == confirmed,
        "seats_taken {seats_taken} ≠ {confirmed}"
    );
    let positions: Vec<i64> = sqlx::query_scalar(
        "SELECT waitlist_position FROM registrations
          WHERE offering_id = ? AND status = 'waitlisted' ORDER BY waitlist_position",
    )
    .bind(offering)
    .fetch_all(&mut conn)
    .await?;
    ensure!(
        positions.len() as i64 == waitlist_len && positions.iter().copied().eq(1..=waitlist_len),
        "the waitlist is not 1..{waitlist_len}"
    );
    Ok(())
}

/// [`verify_database`] and [`verify_registrations`] on PostgreSQL: every request recorded
/// once by as many people, exactly `seats` confirmed, the pool's counters in step, the
/// waitlist 1..n.
async fn verify_postgres(
    url: &str,
    offering: &str,
    seats: usize,
    users: usize,
    registration_ids: &BTreeSet<String>,
) -> anyhow::Result<()> {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(url)
        .await
        .context("connecting to PostgreSQL to check the rush")?;
    let rows: Vec<(String, String, String, Option<i64>)> = sqlx::query_as(
        "SELECT id, user_id, status, waitlist_position FROM registrations
          WHERE offering_id = $1",
    )
    .bind(offering)
    .fetch_all(&mut conn)
    .await?;
    ensure!(
        rows.len() == users
            && rows.iter().map(|r| r.0.clone()).collect::<BTreeSet<_>>() == *registration_ids,
        "{} registrations in the database for {users} requests",
        rows.len()
    );
    let people: BTreeSet<&str> = rows.iter().map(|r| r.1.as_str()).collect();
    ensure!(
        people.len() == users,
        "{} people hold the {users} registrations: a duplicate",
        people.len()
    );
    let confirmed = rows.iter().filter(|r| r.2 == "confirmed").count();
    ensure!(
        confirmed == seats.min(users),
        "{confirmed} confirmed in the database for {seats} seats"
    );
    let mut positions = Vec::new();
    for (_, _, status, position) in &rows {
        match status.as_str() {
            "confirmed" => {}
            "waitlisted" => positions.push(position.context("a waitlist place without a number")?),
            other => bail!("a rush registration is {other}"),
        }
    }
    positions.sort_unstable();
    let (seats_taken, waitlist_len): (i64, i64) = sqlx::query_as(
        "SELECT seats_taken, waitlist_len FROM offering_pools
          WHERE offering_id = $1 AND pool = 'all'",
    )
    .bind(offering)
    .fetch_one(&mut conn)
    .await?;
    ensure!(
        seats_taken == i64::try_from(confirmed)?,
        "seats_taken {seats_taken} ≠ {confirmed}"
    );
    ensure!(
        positions.len() as i64 == waitlist_len && positions.iter().copied().eq(1..=waitlist_len),
        "the waitlist is not 1..{waitlist_len}"
    );
    conn.close().await?;
    Ok(())
}

/// [`verify_logged`] on PostgreSQL.
async fn verify_logged_postgres(url: &str, users: usize) -> anyhow::Result<()> {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(url)
        .await
        .context("connecting to PostgreSQL to check the rush")?;
    let logged: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM client_mutations m JOIN clients c ON c.id = m.client_id
          WHERE c.user_id LIKE $1",
    )
    .bind(format!("bench-{}%", seed::RUSH_PHONES))
    .fetch_one(&mut conn)
    .await?;
    conn.close().await?;
    ensure!(
        logged == i64::try_from(users)?,
        "{logged} mutations logged for {users} pushes"
    );
    Ok(())
}
