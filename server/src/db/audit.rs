//! The audit log: who did what to what, when, with the state before and after.

use serde::Serialize;
use sqlx::SqliteConnection;
use time::OffsetDateTime;

/// Records one admin action inside the caller's transaction.
pub async fn record(
    conn: &mut SqliteConnection,
    actor_id: &str,
    action: &str,
    target: &str,
    before: &impl Serialize,
    after: &impl Serialize,
    at: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (actor_id, action, target, before, after, at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(actor_id)
    .bind(action)
    .bind(target)
    .bind(serde_json::to_string(before).unwrap_or_default())
    .bind(serde_json::to_string(after).unwrap_or_default())
    .bind(at.unix_timestamp())
    .execute(conn)
    .await?;
    Ok(())
}
