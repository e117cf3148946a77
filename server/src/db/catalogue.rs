//! The public catalogue: published offerings that have not ended, and their venues.

use super::{
    pool::{Pool, args},
    sql,
};
pub use domain::moment::CHINA;
use domain::{Catalogue, Venue};
use time::OffsetDateTime;

/// A Unix time as a China-time timestamp; a time outside 1970–2099 (only ever stored before
/// the wire refused them) clamps to the epoch, so whatever formats it cannot panic.
pub fn china_time(unix: i64) -> OffsetDateTime {
    domain::moment::in_china(
        domain::moment::from_unix_s(unix).unwrap_or(OffsetDateTime::UNIX_EPOCH),
    )
}

/// Published offerings that end after `now`, soonest first, with the venues they use.
pub async fn published(db: &Pool, now: OffsetDateTime) -> sql::Result<Catalogue> {
    let now = now.unix_timestamp();
    let rows = db
        .fetch_all(
            concat!(
                "SELECT ",
                offering_columns!(),
                " FROM offerings o WHERE o.status = 'published' AND o.ends_at > ?1
                  ORDER BY o.starts_at, o.id"
            ),
            args![now],
            super::offerings::Common::read,
        )
        .await?;
    let venues = db
        .fetch_all(
            "SELECT id, name, address FROM venues
              WHERE id IN (SELECT venue_id FROM offerings
                            WHERE status = 'published' AND ends_at > ?1)
              ORDER BY name",
            args![now],
            |r| {
                Ok(Venue {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    address: r.get(2)?,
                })
            },
        )
        .await?;
    Ok(Catalogue {
        venues,
        offerings: super::offerings::assemble(db, rows)
            .await?
            .into_iter()
            .map(|(o, _)| o)
            .collect(),
    })
}
