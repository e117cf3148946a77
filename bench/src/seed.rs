//! Arranging the database directly, while the server is stopped: thousands of accounts with
//! live sessions (signing up over HTTP would cost one argon2 hash each), the offerings the
//! benchmarks use, and an organizer's roster. Every synced row takes its own value of the
//! global version counter, as the server's writes do.

use anyhow::Context;
use sha2::{Digest, Sha256};
use sqlx::{
    ConnectOptions, Connection, SqliteConnection,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous},
};
use std::{path::Path, time::Duration};

/// An account with a live session.
#[derive(Debug, Clone)]
pub struct Account {
    /// `users.id`
    pub user_id: String,
    /// A bearer token for it.
    pub token: String,
}

/// The demo organizer (see `server/src/demo.rs`).
pub const DEMO_ORGANIZER: &str = "user-13900000002";

/// The server's connection settings: WAL, `synchronous=FULL`, foreign keys on.
pub fn options(db: &Path) -> SqliteConnectOptions {
    SqliteConnectOptions::new()
        .filename(db)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10))
}

/// Opens an existing database with the server's settings.
pub async fn open(db: &Path) -> anyhow::Result<SqliteConnection> {
    options(db)
        .connect()
        .await
        .with_context(|| format!("opening {}", db.display()))
}

/// Unix seconds now.
pub fn now_s() -> i64 {
    now_ms() / 1000
}

/// Unix milliseconds now.
pub fn now_ms() -> i64 {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
}

/// What the server stores of a token (`server/src/auth/session.rs`): lowercase hex SHA-256.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Takes `n` consecutive versions; returns the first.
async fn take_versions(conn: &mut SqliteConnection, n: usize) -> anyhow::Result<i64> {
    let n = i64::try_from(n)?;
    let last: i64 = sqlx::query_scalar(
        "UPDATE version_counter SET value = value + ? WHERE id = 1 RETURNING value",
    )
    .bind(n)
    .fetch_one(&mut *conn)
    .await?;
    Ok(last - n + 1)
}

/// What one benchmark run needs in the database.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The rush: this many youth accounts …
    pub rush_users: usize,
    /// … for one first-come offering with this many seats and a waitlist (and the same
    /// accounts apply to a lottery course with as many places: the application window).
    pub rush_seats: usize,
    /// People on the organizer's roster offering.
    pub roster: usize,
    /// Seats of the offering the push benchmark requests and cancels.
    pub push_seats: usize,
}

/// Ids of what [`arrange`] made.
#[derive(Debug, Clone)]
pub struct Arranged {
    /// One account per rush client.
    pub rush: Vec<Account>,
    /// The youth whose device pushes the queued mutations.
    pub pusher: Account,
    /// The demo organizer, signed in.
    pub organizer: Account,
}

/// Phones (and so user ids, `bench-{phone}`) of the rush's accounts start with this.
pub const RUSH_PHONES: &str = "135";

/// The rush offering.
pub const RUSH_OFFERING: &str = "bench-rush";
/// The lottery course of the application window: the rush's accounts apply to it.
pub const APPLY_OFFERING: &str = "bench-course";
/// The offering the push benchmark's mutations are about.
pub const PUSH_OFFERING: &str = "bench-push";
/// The organizer's big roster.
pub const ROSTER_OFFERING: &str = "bench-roster";

/// Adds the accounts, sessions, offerings and roster of `plan` in one transaction.
pub async fn arrange(db: &Path, plan: &Plan) -> anyhow::Result<Arranged> {
    let mut conn = open(db).await?;
    let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
    let rush = accounts(&mut tx, RUSH_PHONES, "抢位青年", plan.rush_users).await?;
    let pusher = accounts(&mut tx, "137", "离线青年", 1)
        .await?
        .pop()
        .context("no pusher")?;
    let members = accounts(&mut tx, "136", "名单青年", plan.roster).await?;
    let organizer = Account {
        user_id: DEMO_ORGANIZER.to_owned(),
        token: session(&mut tx, DEMO_ORGANIZER).await?,
    };
    // Waitlist on: every request past the seats is also a write (its waitlist place), the
    // heavier and the usual case for popular activities.
    offering(
        &mut tx,
        RUSH_OFFERING,
        Shape::FirstCome,
        plan.rush_seats,
        0,
        true,
    )
    .await?;
    offering(
        &mut tx,
        APPLY_OFFERING,
        Shape::Lottery,
        plan.rush_seats,
        0,
        true,
    )
    .await?;
    offering(
        &mut tx,
        PUSH_OFFERING,
        Shape::FirstCome,
        plan.push_seats,
        0,
        true,
    )
    .await?;
    offering(
        &mut tx,
        ROSTER_OFFERING,
        Shape::FirstCome,
        plan.roster,
        plan.roster,
        false,
    )
    .await?;
    sqlx::query("INSERT INTO organizer_assignments (user_id, offering_id) VALUES (?, ?)")
        .bind(DEMO_ORGANIZER)
        .bind(ROSTER_OFFERING)
        .execute(&mut *tx)
        .await?;
    roster(&mut tx, ROSTER_OFFERING, &members).await?;
    tx.commit().await?;
    conn.close().await?;
    Ok(Arranged {
        rush,
        pusher,
        organizer,
    })
}

/// `count` youth accounts with phones `{prefix}00000000…`, each with a live session.
async fn accounts(
    conn: &mut SqliteConnection,
    prefix: &str,
    name: &str,
    count: usize,
) -> anyhow::Result<Vec<Account>> {
    let first = take_versions(conn, count).await?;
    let now = now_s();
    let mut made = Vec::with_capacity(count);
    for i in 0..count {
        let phone = format!("{prefix}{i:08}");
        let user_id = format!("bench-{phone}");
        sqlx::query(
            "INSERT INTO users (id, phone, display_name, password_hash, birth_year,
                                consent_version, consent_at, created_at, version)
             VALUES (?, ?, ?, 'bench: no password', 1999, ?, ?, ?, ?)",
        )
        .bind(&user_id)
        .bind(&phone)
        .bind(format!("{name}{i:05}"))
        .bind(domain::PRIVACY_NOTICE_VERSION)
        .bind(now)
        .bind(now)
        .bind(first + i64::try_from(i)?)
        .execute(&mut *conn)
        .await?;
        sqlx::query("INSERT INTO user_roles (user_id, role) VALUES (?, 'youth')")
            .bind(&user_id)
            .execute(&mut *conn)
            .await?;
        let token = session(conn, &user_id).await?;
        made.push(Account { user_id, token });
    }
    Ok(made)
}

/// A session for `user_id`, used just now (so authenticating does not write), for 30 days.
pub async fn session(conn: &mut SqliteConnection, user_id: &str) -> anyhow::Result<String> {
    let token = format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    let now = now_s();
    sqlx::query(
        "INSERT INTO sessions (id, user_id, token_hash, created_at, last_used_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(user_id)
    .bind(token_hash(&token))
    .bind(now)
    .bind(now)
    .bind(now + 30 * 86_400)
    .execute(&mut *conn)
    .await?;
    Ok(token)
}

/// How an offering made by [`offering`] gives its places.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// An activity: places first come, first served (the rush).
    FirstCome,
    /// A night-school course: an application window, then a draw (`allocation = 'lottery'`);
    /// no term (so no limit per term), the default priority (new learners first), one lesson.
    Lottery,
}

/// A published offering at the demo's central venue, open for sign-up for two days, with its
/// one pool (the same rows as `tests::TestServer::add_offering`): a first-come activity or a
/// lottery course.
async fn offering(
    conn: &mut SqliteConnection,
    id: &str,
    shape: Shape,
    capacity: usize,
    seats_taken: usize,
    waitlist: bool,
) -> anyhow::Result<()> {
    let version = take_versions(conn, 1).await?;
    let now = now_s();
    let (kind, allocation) = match shape {
        Shape::FirstCome => ("activity", "first_come"),
        Shape::Lottery => ("course", "lottery"),
    };
    sqlx::query(
        "INSERT INTO offerings (id, kind, title, summary, category, venue_id, starts_at, ends_at,
                                signup_closes_at, waitlist_enabled, requires_approval,
                                allocation, status, version)
         VALUES (?, ?, ?, '压力测试', '测试', 'venue-center', ?, ?, ?, ?, 0, ?, 'published', ?)",
    )
    .bind(id)
    .bind(kind)
    .bind(format!("压力测试 {id}"))
    .bind(now + 3 * 86_400)
    .bind(now + 3 * 86_400 + 7_200)
    .bind(now + 2 * 86_400)
    .bind(waitlist)
    .bind(allocation)
    .bind(version)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO offering_pools (offering_id, pool, capacity, seats_taken, version)
         VALUES (?, 'all', ?, ?, ?)",
    )
    .bind(id)
    .bind(i64::try_from(capacity)?)
    .bind(i64::try_from(seats_taken)?)
    .bind(version)
    .execute(&mut *conn)
    .await?;
    match shape {
        Shape::FirstCome => {
            sqlx::query("INSERT INTO activity_settings (offering_id) VALUES (?)")
                .bind(id)
                .execute(&mut *conn)
                .await?;
        }
        Shape::Lottery => {
            sqlx::query("INSERT INTO course_settings (offering_id) VALUES (?)")
                .bind(id)
                .execute(&mut *conn)
                .await?;
            sqlx::query(
                "INSERT INTO course_lessons (offering_id, number, starts_at, ends_at)
                 VALUES (?, 1, ?, ?)",
            )
            .bind(id)
            .bind(now + 3 * 86_400)
            .bind(now + 3 * 86_400 + 7_200)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

/// A confirmed registration of each member for `offering_id` (the offering's `seats_taken`
/// already counts them).
async fn roster(
    conn: &mut SqliteConnection,
    offering_id: &str,
    members: &[Account],
) -> anyhow::Result<()> {
    let first = take_versions(conn, members.len()).await?;
    let now = now_s();
    for (i, member) in members.iter().enumerate() {
        sqlx::query(
            "INSERT INTO registrations (id, offering_id, user_id, status, answers, created_at,
                                        received_at, updated_at, version)
             VALUES (?, ?, ?, 'confirmed', '{}', ?, ?, ?, ?)",
        )
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(offering_id)
        .bind(&member.user_id)
        .bind(now * 1000)
        .bind(now)
        .bind(now)
        .bind(first + i64::try_from(i)?)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_hashes_are_lowercase_hex_sha256() {
        // SHA-256("abc"), a published test vector.
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
