//! The public catalogue: published offerings that have not ended, and their venues.

pub use domain::moment::CHINA;
use domain::{Catalogue, OfferingKind, OfferingSummary, Venue};
use sqlx::SqlitePool;
use time::OffsetDateTime;

/// The columns [`OfferingRow`] reads, to put in front of a `WHERE`.
pub const OFFERING_SELECT: &str = "SELECT id, kind, title, summary, category, venue_id, starts_at,
        ends_at, sessions, capacity, seats_taken, signup_opens_at, signup_closes_at,
        volunteer_hours, status, requires_approval, waitlist_enabled, allocation, waitlist_len,
        questions, cancel_reason, version
   FROM offerings";

/// An offering as stored.
#[derive(sqlx::FromRow)]
pub struct OfferingRow {
    id: String,
    kind: String,
    title: String,
    summary: String,
    category: String,
    venue_id: String,
    starts_at: i64,
    ends_at: i64,
    sessions: i64,
    capacity: i64,
    seats_taken: i64,
    signup_opens_at: Option<i64>,
    signup_closes_at: i64,
    volunteer_hours: Option<i64>,
    status: String,
    requires_approval: bool,
    waitlist_enabled: bool,
    allocation: String,
    waitlist_len: i64,
    questions: String,
    cancel_reason: Option<String>,
    /// The global version it was last written at.
    pub version: i64,
}

/// A Unix time as a China-time timestamp; a time outside 1970–2099 (only ever stored before
/// the wire refused them) clamps to the epoch, so whatever formats it cannot panic.
pub fn china_time(unix: i64) -> OffsetDateTime {
    domain::moment::in_china(
        domain::moment::from_unix_s(unix).unwrap_or(OffsetDateTime::UNIX_EPOCH),
    )
}

/// A stored schedule as China time, if it is one the wire accepts (2000–2099).
fn schedule(unix: i64) -> Option<OffsetDateTime> {
    let t = domain::moment::from_unix_s(unix).map(domain::moment::in_china)?;
    domain::moment::is_schedule(t).then_some(t)
}

fn to_u32(v: i64) -> u32 {
    u32::try_from(v.max(0)).unwrap_or(u32::MAX)
}

impl OfferingRow {
    /// The wire shape; `None` for a row this build cannot read, or one whose schedule lies
    /// outside 2000–2099 (stored before the wire refused such times: no device could read it).
    pub fn into_summary(self) -> Option<OfferingSummary> {
        let times = (|| {
            let opens = match self.signup_opens_at {
                Some(t) => Some(schedule(t)?),
                None => None,
            };
            Some((
                schedule(self.starts_at)?,
                schedule(self.ends_at)?,
                schedule(self.signup_closes_at)?,
                opens,
            ))
        })();
        let Some((starts_at, ends_at, signup_closes_at, signup_opens_at)) = times else {
            tracing::warn!(offering.id = %self.id, "an offering's schedule is out of range: left out");
            return None;
        };
        Some(OfferingSummary {
            kind: OfferingKind::parse(&self.kind)?,
            id: self.id,
            title: self.title,
            summary: self.summary,
            category: self.category,
            venue_id: self.venue_id,
            starts_at,
            ends_at,
            sessions: to_u32(self.sessions),
            capacity: to_u32(self.capacity),
            seats_taken: to_u32(self.seats_taken),
            signup_closes_at,
            volunteer_hours: self.volunteer_hours.map(to_u32),
            status: self.status,
            signup_opens_at,
            requires_approval: self.requires_approval,
            waitlist_enabled: self.waitlist_enabled,
            allocation: domain::registration::Allocation::parse(&self.allocation)
                .unwrap_or_default(),
            waitlist_len: to_u32(self.waitlist_len),
            questions: serde_json::from_str(&self.questions).unwrap_or_default(),
            cancel_reason: self.cancel_reason,
        })
    }
}

/// Published offerings that end after `now`, soonest first, with the venues they use.
pub async fn published(pool: &SqlitePool, now: OffsetDateTime) -> Result<Catalogue, sqlx::Error> {
    let rows: Vec<OfferingRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{OFFERING_SELECT} WHERE status = 'published' AND ends_at > ? ORDER BY starts_at, id"
    )))
    .bind(now.unix_timestamp())
    .fetch_all(pool)
    .await?;
    let venues: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT id, name, address FROM venues
          WHERE id IN (SELECT venue_id FROM offerings WHERE status = 'published' AND ends_at > ?)
          ORDER BY name",
    )
    .bind(now.unix_timestamp())
    .fetch_all(pool)
    .await?;
    Ok(Catalogue {
        venues: venues
            .into_iter()
            .map(|(id, name, address)| Venue { id, name, address })
            .collect(),
        offerings: rows
            .into_iter()
            .filter_map(OfferingRow::into_summary)
            .collect(),
    })
}
