//! The PostgreSQL section (issue 17): the enrollment rush against one and against two release
//! servers on one PostgreSQL database, the same writes directly on that PostgreSQL (its
//! limit), and an organizer's first pull of a big roster from a server on PostgreSQL.
//!
//! The cluster is named by `QT_PG_URL` (`scripts/bench` starts a throwaway one); each run makes
//! its own databases there, `qt_bench_{pid}_…`, and drops them. The arranged database is made
//! once, directly (the server's migrations, then the accounts, sessions, offerings and roster
//! as [`crate::seed`] makes them on SQLite), and every round runs on a fresh copy of it
//! (`CREATE DATABASE … TEMPLATE`), as the SQLite rounds run on copies of the file.
//!
//! The limit runs the rush's writes ([`crate::limit`]'s statements, rewritten for PostgreSQL
//! as the server rewrites its own) through the server's sync-writer connection
//! (`server::db::sql::Conn::Postgres`): each transaction opened as the writer opens it (the
//! version counter's row lock first), [`crate::limit::BATCH`] registrations per transaction
//! as the writer's largest group commit, one round trip per statement as the writer makes.

use crate::{
    limit::{self, LimitResult},
    seed::{self, Account, DEMO_ORGANIZER, Plan, ROSTER_OFFERING, RUSH_OFFERING, token_hash},
};
use anyhow::{Context, bail, ensure};
use server::db::sql::{Conn, PgSync, params};
use sqlx::{Connection, PgConnection, postgres::PgConnectOptions};
use std::{str::FromStr, time::Instant};

/// The environment variable naming the cluster.
pub const URL_VAR: &str = "QT_PG_URL";

/// The demo organizer's phone (`user-{phone}` is [`DEMO_ORGANIZER`]).
const ORGANIZER_PHONE: &str = "13900000002";

/// The venue the offerings are at (the demo's central venue on SQLite).
const VENUE: &str = "venue-center";

/// The cluster: where databases are made and dropped.
pub struct Cluster {
    url: String,
    admin: PgConnection,
    prefix: String,
    made: Vec<String>,
}

impl Cluster {
    /// Connects to the database `url` names, as the one databases are made from.
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        // Checked first: the messages below name the URL's host and database, never a password.
        let options = PgConnectOptions::from_str(url).context("QT_PG_URL is not a valid URL")?;
        let admin = PgConnection::connect_with(&options)
            .await
            .with_context(|| {
                format!(
                    "connecting to PostgreSQL at {}:{}",
                    options.get_host(),
                    options.get_port()
                )
            })?;
        Ok(Self {
            url: url.to_owned(),
            admin,
            prefix: format!("qt_bench_{}", std::process::id()),
            made: Vec::new(),
        })
    }

    /// The server's version (`SHOW server_version`).
    pub async fn version(&mut self) -> anyhow::Result<String> {
        Ok(sqlx::query_scalar("SHOW server_version")
            .fetch_one(&mut self.admin)
            .await?)
    }

    /// The URL of the database `name` on this cluster.
    pub fn url_of(&self, name: &str) -> String {
        with_database(&self.url, name)
    }

    /// Makes the database `{prefix}_{name}`, empty or a copy of `template`; its name.
    pub async fn create(&mut self, name: &str, template: Option<&str>) -> anyhow::Result<String> {
        let db = format!("{}_{name}", self.prefix);
        // Names made here, of [a-z0-9_] only: nothing to quote.
        let sql = match template {
            Some(t) => format!("CREATE DATABASE {db} TEMPLATE {t}"),
            None => format!("CREATE DATABASE {db}"),
        };
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(&mut self.admin)
            .await
            .with_context(|| format!("creating the database {db}"))?;
        self.made.push(db.clone());
        Ok(db)
    }

    /// Drops a database this run made, and any connection still on it.
    pub async fn drop_database(&mut self, db: &str) -> anyhow::Result<()> {
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {db} WITH (FORCE)"
        )))
        .execute(&mut self.admin)
        .await
        .with_context(|| format!("dropping the database {db}"))?;
        self.made.retain(|d| d != db);
        Ok(())
    }

    /// Drops every database this run made (best effort) and disconnects.
    pub async fn close(mut self) {
        for db in std::mem::take(&mut self.made) {
            if let Err(e) = self.drop_database(&db).await {
                eprintln!("warning: {e:#}");
            }
        }
        let _ = self.admin.close().await;
    }
}

/// `url` with its database (the path) replaced by `name`, its query kept.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let authority_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{name}", &base[..authority_end]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// Migrates the database at `url` with the server's migrator, then arranges what the rush and
/// the pull need, in one transaction: the venue, the demo organizer (signed in, assigned to
/// the roster offering), `plan.rush_users` accounts with sessions, the rush offering
/// (`plan.rush_seats` seats, a waitlist), and the roster offering with `plan.roster` confirmed
/// registrations. Every synced row takes its own version, as the server's writes do.
pub async fn arrange(url: &str, plan: &Plan) -> anyhow::Result<(Vec<Account>, Account)> {
    let mut conn = PgConnection::connect(url).await?;
    server::db::postgres::MIGRATOR
        .run(&mut conn)
        .await
        .context("running the server's PostgreSQL migrations")?;
    let mut tx = conn.begin().await?;
    let now = seed::now_s();
    let version = take_versions(&mut tx, 1).await?;
    sqlx::query("INSERT INTO venues (id, name, address, version) VALUES ($1, $2, $3, $4)")
        .bind(VENUE)
        .bind("压力测试中心")
        .bind("测试路 1 号")
        .bind(version)
        .execute(&mut *tx)
        .await?;
    let organizer = accounts(&mut tx, &[ORGANIZER_PHONE], "压测组织者", "organizer").await?;
    ensure!(organizer[0].user_id == DEMO_ORGANIZER, "the organizer's id");
    let rush_phones: Vec<String> = (0..plan.rush_users)
        .map(|i| format!("{}{i:08}", seed::RUSH_PHONES))
        .collect();
    let rush = accounts(&mut tx, &rush_phones, "抢位青年", "youth").await?;
    let member_phones: Vec<String> = (0..plan.roster).map(|i| format!("136{i:08}")).collect();
    let members = accounts(&mut tx, &member_phones, "名单青年", "youth").await?;
    offering(&mut tx, RUSH_OFFERING, plan.rush_seats, 0, true, now).await?;
    offering(
        &mut tx,
        ROSTER_OFFERING,
        plan.roster,
        plan.roster,
        false,
        now,
    )
    .await?;
    sqlx::query("INSERT INTO organizer_assignments (user_id, offering_id) VALUES ($1, $2)")
        .bind(DEMO_ORGANIZER)
        .bind(ROSTER_OFFERING)
        .execute(&mut *tx)
        .await?;
    let first = take_versions(&mut tx, members.len()).await?;
    let ids: Vec<String> = members
        .iter()
        .map(|_| uuid::Uuid::new_v4().to_string())
        .collect();
    let users: Vec<String> = members.iter().map(|m| m.user_id.clone()).collect();
    let versions: Vec<i64> = (first..).take(members.len()).collect();
    sqlx::query(
        "INSERT INTO registrations (id, offering_id, user_id, status, answers, created_at,
                                    received_at, updated_at, version)
         SELECT id, $1, user_id, 'confirmed', '{}', $2, $3, $3, version
           FROM UNNEST($4::text[], $5::text[], $6::bigint[]) AS t (id, user_id, version)",
    )
    .bind(ROSTER_OFFERING)
    .bind(now * 1000)
    .bind(now)
    .bind(&ids)
    .bind(&users)
    .bind(&versions)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    conn.close().await?;
    let organizer = organizer.into_iter().next().context("no organizer")?;
    Ok((rush, organizer))
}

/// Takes `n` consecutive versions; returns the first.
async fn take_versions(conn: &mut PgConnection, n: usize) -> anyhow::Result<i64> {
    let n = i64::try_from(n)?;
    let last: i64 = sqlx::query_scalar(
        "UPDATE version_counter SET value = value + $1 WHERE id = 1 RETURNING value",
    )
    .bind(n)
    .fetch_one(&mut *conn)
    .await?;
    Ok(last - n + 1)
}

/// Accounts `bench-{phone}` (the organizer's `user-{phone}`) with `role`, each with a live
/// session, as [`crate::seed`]'s, in three statements.
async fn accounts(
    conn: &mut PgConnection,
    phones: &[impl AsRef<str>],
    name: &str,
    role: &str,
) -> anyhow::Result<Vec<Account>> {
    let first = take_versions(conn, phones.len()).await?;
    let now = seed::now_s();
    let phones: Vec<String> = phones.iter().map(|p| p.as_ref().to_owned()).collect();
    let prefix = if role == "organizer" {
        "user-"
    } else {
        "bench-"
    };
    let ids: Vec<String> = phones.iter().map(|p| format!("{prefix}{p}")).collect();
    let names: Vec<String> = (0..phones.len()).map(|i| format!("{name}{i:05}")).collect();
    let versions: Vec<i64> = (first..).take(phones.len()).collect();
    sqlx::query(
        "INSERT INTO users (id, phone, display_name, password_hash, birth_year, consent_version,
                            consent_at, created_at, version)
         SELECT id, phone, display_name, 'bench: no password', 1999, $1, $2, $2, version
           FROM UNNEST($3::text[], $4::text[], $5::text[], $6::bigint[])
             AS t (id, phone, display_name, version)",
    )
    .bind(domain::PRIVACY_NOTICE_VERSION)
    .bind(now)
    .bind(&ids)
    .bind(&phones)
    .bind(&names)
    .bind(&versions)
    .execute(&mut *conn)
    .await?;
    sqlx::query("INSERT INTO user_roles (user_id, role) SELECT UNNEST($1::text[]), $2")
        .bind(&ids)
        .bind(role)
        .execute(&mut *conn)
        .await?;
    let tokens: Vec<String> = ids
        .iter()
        .map(|_| {
            format!(
                "{}{}",
                uuid::Uuid::new_v4().simple(),
                uuid::Uuid::new_v4().simple()
            )
        })
        .collect();
    let session_ids: Vec<String> = ids
        .iter()
        .map(|_| uuid::Uuid::new_v4().to_string())
        .collect();
    let hashes: Vec<String> = tokens.iter().map(|t| token_hash(t)).collect();
    sqlx::query(
        "INSERT INTO sessions (id, user_id, token_hash, created_at, last_used_at, expires_at)
         SELECT id, user_id, token_hash, $1, $1, $2
           FROM UNNEST($3::text[], $4::text[], $5::text[]) AS t (id, user_id, token_hash)",
    )
    .bind(now)
    .bind(now + 30 * 86_400)
    .bind(&session_ids)
    .bind(&ids)
    .bind(&hashes)
    .execute(&mut *conn)
    .await?;
    Ok(ids
        .into_iter()
        .zip(tokens)
        .map(|(user_id, token)| Account { user_id, token })
        .collect())
}

/// A published first-come activity at [`VENUE`], open for sign-up for two days, with its one
/// pool (`seats_taken` of `capacity` taken), as [`crate::seed`] makes it.
async fn offering(
    conn: &mut PgConnection,
    id: &str,
    capacity: usize,
    seats_taken: usize,
    waitlist: bool,
    now: i64,
) -> anyhow::Result<()> {
    let version = take_versions(conn, 1).await?;
    sqlx::query(
        "INSERT INTO offerings (id, kind, title, summary, category, venue_id, starts_at, ends_at,
                                signup_closes_at, waitlist_enabled, requires_approval,
                                allocation, status, version)
         VALUES ($1, 'activity', $2, '压力测试', '测试', $3, $4, $5, $6, $7, 0, 'first_come',
                 'published', $8)",
    )
    .bind(id)
    .bind(format!("压力测试 {id}"))
    .bind(VENUE)
    .bind(now + 3 * 86_400)
    .bind(now + 3 * 86_400 + 7_200)
    .bind(now + 2 * 86_400)
    .bind(i64::from(waitlist))
    .bind(version)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO offering_pools (offering_id, pool, capacity, seats_taken, version)
         VALUES ($1, 'all', $2, $3, $4)",
    )
    .bind(id)
    .bind(i64::try_from(capacity)?)
    .bind(i64::try_from(seats_taken)?)
    .bind(version)
    .execute(&mut *conn)
    .await?;
    sqlx::query("INSERT INTO activity_settings (offering_id) VALUES ($1)")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// PostgreSQL's limit: one registration per account for `offering` (`seats` seats, waitlist
/// on) through the sync writer's own connection, on this thread (not a runtime's: the
/// connection drives a runtime of its own).
pub fn direct(
    url: &str,
    accounts: &[Account],
    offering: &str,
    seats: usize,
) -> anyhow::Result<LimitResult> {
    let options = PgConnectOptions::from_str(url)?;
    let conn = Conn::Postgres(Box::new(PgSync::connect(&options)?));
    let now_ms = seed::now_ms();
    let now = now_ms / 1000;
    let start = Instant::now();
    for chunk in accounts.chunks(limit::BATCH) {
        conn.begin_write()?;
        for account in chunk {
            let client_id = uuid::Uuid::new_v4().to_string();
            let registration_id = uuid::Uuid::new_v4().to_string();
            conn.execute(
                limit::UPSERT_CLIENT,
                params![client_id, account.user_id, now],
            )?;
            conn.execute(limit::TAKE_VERSIONS, params![])?;
            let version: i64 = conn.query_row(limit::READ_VERSION, params![], |r| r.get(0))?;
            let seated = conn.execute(limit::TAKE_SEAT, params![version - 1, offering])? == 1;
            let position = if seated {
                None
            } else {
                conn.execute(limit::JOIN_WAITLIST, params![version - 1, offering])?;
                Some(
                    conn.query_row(limit::READ_WAITLIST, params![offering], |r| {
                        r.get::<_, i64>(0)
                    })?,
                )
            };
            conn.execute(
                limit::INSERT_REGISTRATION,
                params![
                    registration_id,
                    offering,
                    account.user_id,
                    limit::status(position),
                    position,
                    now_ms,
                    now,
                    version
                ],
            )?;
            conn.execute(
                limit::LOG_MUTATION,
                params![client_id, limit::outcome(position), now_ms],
            )?;
        }
        conn.execute_batch("COMMIT")?;
    }
    let wall = start.elapsed();
    let confirmed: i64 = conn.query_row(limit::CONFIRMED, params![offering], |r| r.get(0))?;
    limit::check(confirmed, seats, accounts.len())?;
    let positions: i64 = conn.query_row(
        "SELECT COUNT(DISTINCT waitlist_position) FROM registrations
          WHERE offering_id = ?1 AND status = 'waitlisted'",
        params![offering],
        |r| r.get(0),
    )?;
    let want = i64::try_from(accounts.len().saturating_sub(seats))?;
    if positions != want {
        bail!("the limit run gave {positions} waitlist places for {want} people");
    }
    Ok(LimitResult {
        registrations: accounts.len(),
        wall,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_gets_another_database_and_keeps_its_options() {
        assert_eq!(
            with_database("postgres://qt@127.0.0.1:5432/qt", "qt_bench_1_base"),
            "postgres://qt@127.0.0.1:5432/qt_bench_1_base"
        );
        assert_eq!(
            with_database("postgresql://u:p@db:6000/x?sslmode=disable", "y"),
            "postgresql://u:p@db:6000/y?sslmode=disable"
        );
        assert_eq!(
            with_database("postgres://qt@host", "y"),
            "postgres://qt@host/y"
        );
    }
}
