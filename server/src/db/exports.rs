//! The exports' own reads (`routes::exports`): a course's attendance, its draw and a year's
//! volunteer hours. The figures come from [`super::numbers`].

use crate::db::pool::{Pool, args};
use crate::db::sql::Result;

/// [`ATTENDANCE`] around each database's lessons attended.
macro_rules! attendance {
    ($db:ident) => {
        concat!(
            "SELECT u.display_name, u.phone, ",
            lessons_attended!($db),
            " FROM registrations r LEFT JOIN users u ON u.id = r.user_id
              WHERE r.offering_id = ?1 AND r.status = 'confirmed'
              ORDER BY r.draw_position IS NULL, r.draw_position, r.received_at, r.id"
        )
    };
}

/// A course's learners (confirmed places) in the roster's order: name, phone, and the lessons
/// they were checked in at, in order, joined by commas.
const ATTENDANCE: &str = attendance!(sqlite);

/// [`ATTENDANCE`] on PostgreSQL (its own text aggregate).
const ATTENDANCE_PG: &str = attendance!(postgres);

/// [`COURSE_CSV`] around each database's lessons attended.
macro_rules! course_csv {
    ($db:ident) => {
        concat!(
            "SELECT u.display_name, u.phone, r.application_no, r.status, r.draw_position,
                    r.confirm_by, ",
            lessons_attended!($db),
            " FROM registrations r LEFT JOIN users u ON u.id = r.user_id
              WHERE r.offering_id = ?1
              ORDER BY r.draw_position IS NULL, r.draw_position, r.received_at, r.id"
        )
    };
}

/// A course's applications for its CSV export, in draw order, then as received.
const COURSE_CSV: &str = course_csv!(sqlite);

/// [`COURSE_CSV`] on PostgreSQL.
const COURSE_CSV_PG: &str = course_csv!(postgres);

/// An application of [`course_csv_rows`]: name, phone, number, status, draw position, the
/// deadline to confirm, the lessons attended (joined by commas).
pub type CourseCsvRow = (
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    Option<i64>,
    Option<i64>,
    Option<String>,
);

/// A course's applications (every status) for its CSV export, in draw order, then as received.
pub async fn course_csv_rows(db: &Pool, offering_id: &str) -> Result<Vec<CourseCsvRow>> {
    db.fetch_all(
        db.backend().pick(COURSE_CSV, COURSE_CSV_PG),
        args![offering_id],
        |r| r.tuple(),
    )
    .await
}

/// A learner of [`attendance`]: name, phone, the lessons checked in at (joined by commas).
pub type AttendanceRow = (Option<String>, Option<String>, Option<String>);

/// A course's learners (confirmed places), in the roster's order.
pub async fn attendance(db: &Pool, offering_id: &str) -> Result<Vec<AttendanceRow>> {
    db.fetch_all(
        db.backend().pick(ATTENDANCE, ATTENDANCE_PG),
        args![offering_id],
        |r| r.tuple(),
    )
    .await
}

/// An application in draw order: position, number, name, phone, status.
pub type DrawnRow = (i64, Option<String>, Option<String>, Option<String>, String);

/// A course's draw, if it was drawn: its places (the pools' capacities added up) and the
/// applications in draw order.
pub async fn draw(db: &Pool, offering_id: &str) -> Result<Option<(i64, Vec<DrawnRow>)>> {
    let drawn: Option<Option<i64>> = db
        .fetch_optional(
            "SELECT drawn_at FROM course_draws WHERE offering_id = ?1",
            args![offering_id],
            |r| r.get(0),
        )
        .await?;
    if drawn.flatten().is_none() {
        return Ok(None);
    }
    let capacity: i64 = db
        .fetch_one(
            "SELECT CAST(COALESCE(SUM(capacity), 0) AS BIGINT) FROM offering_pools
              WHERE offering_id = ?1",
            args![offering_id],
            |r| r.get(0),
        )
        .await?;
    let rows = db
        .fetch_all(
            "SELECT r.draw_position, r.application_no, u.display_name, u.phone, r.status
               FROM registrations r LEFT JOIN users u ON u.id = r.user_id
              WHERE r.offering_id = ?1 AND r.draw_position IS NOT NULL
              ORDER BY r.draw_position",
            args![offering_id],
            |r| r.tuple(),
        )
        .await?;
    Ok(Some((capacity, rows)))
}

/// One credited activity of a person: name, phone, a walk-in's last four digits, the
/// activity, its venue, when it started, the minutes.
pub type HoursRow = (
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
    i64,
    i64,
);

/// Every credited activity held in `[start, end)` by `now`: who, their phone, the activity,
/// its venue, when, the minutes; by person, then date.
pub(crate) const HOURS_ROWS: &str =
    "SELECT COALESCE(u.display_name, r.walk_in_name) AS name, u.phone, r.walk_in_last4, o.title,
            v.name AS venue, o.starts_at, r.credited_minutes
       FROM offerings o
       JOIN registrations r ON r.offering_id = o.id
       LEFT JOIN users u ON u.id = r.user_id
       LEFT JOIN venues v ON v.id = o.venue_id
      WHERE o.kind = 'activity' AND o.status = 'published'
        AND o.starts_at >= ?1 AND o.starts_at < ?2 AND o.starts_at <= ?3
        AND r.credited_minutes > 0
      ORDER BY name, u.phone, COALESCE(r.user_id, r.id), o.starts_at, o.id";

/// The rows of [`HOURS_ROWS`].
pub async fn hours(db: &Pool, start: i64, end: i64, now: i64) -> Result<Vec<HoursRow>> {
    db.fetch_all(HOURS_ROWS, args![start, end, now], |r| r.tuple())
        .await
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn the_hours_find_registrations_by_index() {
        crate::db::assert_registrations_by_index(&crate::db::query_plan(super::HOURS_ROWS).await);
    }
}
