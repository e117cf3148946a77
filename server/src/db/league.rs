//! 入团 progress on the database (`domain::league`): each young person's volunteer hours in
//! effect this year and their League-lesson (团课) class hours, for the admin's list and its
//! export.

use crate::db::pool::{Pool, args};
use domain::{
    PhoneNumber,
    league::{self, Progress, ProgressRow},
};
use std::collections::BTreeMap;
use time::{Date, Month, PrimitiveDateTime, Time};

/// The year's bounds (China time) as Unix seconds, `[start, end)`.
fn year_bounds(year: i32) -> Option<(i64, i64)> {
    let start = |y: i32| {
        Date::from_calendar_date(y, Month::January, 1)
            .ok()
            .map(|d| {
                PrimitiveDateTime::new(d, Time::MIDNIGHT)
                    .assume_offset(domain::moment::CHINA)
                    .unix_timestamp()
            })
    };
    Some((start(year)?, start(year + 1)?))
}

/// Every person aged 14–28 in `year` (by birth year) with their progress that year at `now`:
/// volunteer minutes of activities that started that year and whose hours are in effect
/// (after the public notice of `notice_days`), and class hours of 团课 events attended that
/// year (`domain::league::class_hours`). Sorted by name.
pub async fn league_progress(
    db: &Pool,
    year: i32,
    now: i64,
    notice_days: u32,
) -> crate::db::sql::Result<Vec<ProgressRow>> {
    let Some((start, end)) = year_bounds(year) else {
        return Ok(Vec::new());
    };
    let people: Vec<(String, String, String, i32)> = db
        .fetch_all(
            "SELECT id, display_name, phone, birth_year FROM users
              WHERE ?1 - birth_year BETWEEN ?2 AND ?3 ORDER BY display_name, id",
            args![year, league::MIN_AGE, league::MAX_AGE],
            |r| r.tuple(),
        )
        .await?;
    let minutes: Vec<(String, i64)> = db
        .fetch_all(
            "SELECT r.user_id, CAST(SUM(r.credited_minutes) AS BIGINT) FROM registrations r
           JOIN offerings o ON o.id = r.offering_id
          WHERE o.kind = 'activity' AND r.user_id IS NOT NULL
            AND o.starts_at >= ?1 AND o.starts_at < ?2 AND o.ends_at <= ?3
          GROUP BY r.user_id",
            args![start, end, domain::hours::counted_until(now, notice_days)],
            |r| r.tuple(),
        )
        .await?;
    // 团课 events attended: an activity checked in at, a course's lesson with a check-in; each
    // with its scheduled length.
    let lessons: Vec<(String, i64)> = db
        .fetch_all(
            "SELECT r.user_id, o.ends_at - o.starts_at FROM registrations r
           JOIN offerings o ON o.id = r.offering_id
          WHERE o.category = ?1 AND o.kind <> 'course' AND r.user_id IS NOT NULL
            AND r.checked_in_at IS NOT NULL AND o.starts_at >= ?2 AND o.starts_at < ?3
         UNION ALL
         SELECT user_id, length FROM (
           SELECT DISTINCT r.user_id, l.number, r.offering_id, l.ends_at - l.starts_at AS length
             FROM checkins c JOIN registrations r ON r.id = c.registration_id
             JOIN offerings o ON o.id = r.offering_id
             JOIN course_lessons l ON l.offering_id = o.id AND l.number = c.lesson
            WHERE o.category = ?1 AND c.kind = 'in' AND r.user_id IS NOT NULL
              AND l.starts_at >= ?2 AND l.starts_at < ?3) AS attended",
            args![league::LESSON_CATEGORY, start, end],
            |r| r.tuple(),
        )
        .await?;
    let mut progress: BTreeMap<String, Progress> = BTreeMap::new();
    for (user, m) in minutes {
        progress.entry(user).or_default().volunteer_minutes = u32::try_from(m).unwrap_or(0);
    }
    for (user, length) in lessons {
        let p = progress.entry(user).or_default();
        p.class_hours = p.class_hours.saturating_add(league::class_hours(length));
    }
    Ok(people
        .into_iter()
        .map(|(id, display_name, phone, birth_year)| ProgressRow {
            progress: progress.get(&id).copied().unwrap_or_default(),
            user_id: id,
            display_name,
            phone: PhoneNumber::parse(&phone)
                .map(|p| p.masked())
                .unwrap_or_default(),
            birth_year,
        })
        .collect())
}
