//! The audit log: who did what to what, when, with the state before and after.
//!
//! One entry, two drivers: the admin routes record with [`record`] (in their transaction of the
//! store interface), the
//! writer's rules (reviews, hour corrections, account deletion) with [`record_on`]. Both go
//! through [`Entry`], so what is recorded and how is written once.

use crate::db::pool::{On, args};
use serde::Serialize;
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

/// Records one admin action inside the caller's transaction (the store interface's).
pub async fn record(
    on: impl Into<On<'_>>,
    actor_id: &str,
    action: &str,
    target: &str,
    before: &impl Serialize,
    after: &impl Serialize,
    at: OffsetDateTime,
) -> crate::db::sql::Result<()> {
    let e = Entry::new(actor_id, action, target, before, after, at);
    on.into()
        .execute(
            INSERT,
            args![e.actor_id, e.action, e.target, e.before, e.after, e.at],
        )
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

/// The newest 200 entries (about `target` only, when given), newest first, each as the admin
/// screen reads it: `before` and `after` as JSON (`null` when unreadable).
pub async fn list(
    db: &crate::db::pool::Pool,
    target: Option<&str>,
) -> crate::db::sql::Result<Vec<serde_json::Value>> {
    use serde_json::{Value, json};
    let parse = |s: Option<String>| {
        s.and_then(|s| serde_json::from_str::<Value>(&s).ok())
            .unwrap_or(Value::Null)
    };
    db.fetch_all(
        "SELECT id, actor_id, action, target, before, after, at FROM audit_log
              WHERE CAST(?1 AS TEXT) IS NULL OR target = ?1 ORDER BY id DESC LIMIT 200",
        args![target],
        |r| {
            Ok(json!({
                "id": r.get::<_, i64>(0)?,
                "actor_id": r.get::<_, Option<String>>(1)?,
                "action": r.get::<_, String>(2)?,
                "target": r.get::<_, String>(3)?,
                "before": parse(r.get(4)?),
                "after": parse(r.get(5)?),
                "at": r.get::<_, i64>(6)?,
            }))
        },
    )
    .await
}
