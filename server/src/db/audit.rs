//! The audit log: who did what to what, when, with the state before and after.
//!
//! One entry, two drivers: the admin routes that stay on the pool record with [`record`], the
//! writer's rules (reviews, hour corrections, account deletion) with [`record_on`]. Both go
//! through [`Entry`], so what is recorded and how is written once.

use serde::Serialize;
use sqlx::SqliteConnection;
use time::OffsetDateTime;

const INSERT: &str = "INSERT INTO audit_log (actor_id, action, target, before, after, at)
                      VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

/// One audit entry, ready to insert.
struct Entry<'a> {
    actor_id: &'a str,
    action: &'a str,
    target: &'a str,
    before: String,
    after: String,
    at: i64,
}

impl<'a> Entry<'a> {
    fn new(
        actor_id: &'a str,
        action: &'a str,
        target: &'a str,
        before: &impl Serialize,
        after: &impl Serialize,
        at: OffsetDateTime,
    ) -> Self {
        Self {
            actor_id,
            action,
            target,
            before: serde_json::to_string(before).unwrap_or_default(),
            after: serde_json::to_string(after).unwrap_or_default(),
            at: at.unix_timestamp(),
        }
    }
}

/// Records one admin action inside the caller's transaction (on the pool).
pub async fn record(
    conn: &mut SqliteConnection,
    actor_id: &str,
    action: &str,
    target: &str,
    before: &impl Serialize,
    after: &impl Serialize,
    at: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let e = Entry::new(actor_id, action, target, before, after, at);
    sqlx::query(INSERT)
        .bind(e.actor_id)
        .bind(e.action)
        .bind(e.target)
        .bind(e.before)
        .bind(e.after)
        .bind(e.at)
        .execute(conn)
        .await?;
    Ok(())
}

/// Records one action inside the sync writer's transaction.
pub fn record_on(
    conn: &crate::db::sql::Conn,
    actor_id: &str,
    action: &str,
    target: &str,
    before: &impl Serialize,
    after: &impl Serialize,
    at: OffsetDateTime,
) -> crate::db::sql::Result<()> {
    let e = Entry::new(actor_id, action, target, before, after, at);
    conn.prepare_cached(INSERT)?
        .execute(crate::db::sql::params![
            e.actor_id, e.action, e.target, e.before, e.after, e.at
        ])?;
    Ok(())
}
