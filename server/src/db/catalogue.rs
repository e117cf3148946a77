//! The public catalogue: published offerings that have not ended, and their venues.

pub use domain::moment::CHINA;
use domain::{Catalogue, Venue};
use sqlx::SqlitePool;
use time::OffsetDateTime;

/// A Unix time as a China-time timestamp; a time outside 1970–2099 (only ever stored before
/// the wire refused them) clamps to the epoch, so whatever formats it cannot panic.
pub fn china_time(unix: i64) -> OffsetDateTime {
    domain::moment::in_china(
        domain::moment::from_unix_s(unix).unwrap_or(OffsetDateTime::UNIX_EPOCH),
    )
}

/// Published offerings that end after `now`, soonest first, with the venues they use.
pub async fn published(pool: &SqlitePool, now: OffsetDateTime) -> Result<Catalogue, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let rows: Vec<super::offerings::Common> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {} FROM offerings o WHERE o.status = 'published' AND o.ends_at > ?
          ORDER BY o.starts_at, o.id",
        super::offerings::COMMON
    )))
    .bind(now.unix_timestamp())
    .fetch_all(&mut *conn)
    .await?;
    let venues: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT id, name, address FROM venues
          WHERE id IN (SELECT venue_id FROM offerings WHERE status = 'published' AND ends_at > ?)
          ORDER BY name",
    )
    .bind(now.unix_timestamp())
    .fetch_all(&mut *conn)
    .await?;
    Ok(Catalogue {
        venues: venues
            .into_iter()
            .map(|(id, name, address)| Venue { id, name, address })
            .collect(),
        offerings: super::offerings::assemble(&mut conn, rows)
            .await
            .map_err(super::pool::into_sqlx)?
            .into_iter()
            .map(|(o, _)| o)
            .collect(),
    })
}
