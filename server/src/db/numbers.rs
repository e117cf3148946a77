//! The committee's numbers, counted by SQL from the rows: the definitions are
//! `domain::numbers` (and its [`domain::numbers::count`] over plain facts, which the
//! integration test checks these figures against).

use domain::numbers::{Dashboard, Figures, Filter, Period, Ratio, Row};
use sqlx::SqlitePool;
use std::collections::BTreeMap;

/// The offerings that count (`?1` kind, `?2` venue, `?3` category; NULL: any), as CTE `o`; the
/// events they held in the period by now (`?4` start, `?5` end, `?6` now), as CTE `events`
/// (with `hours_counted`: whether an activity's hours are in effect, `?7` the latest end whose
/// public notice is over):
/// an activity's or a mixer's one event (`lesson` NULL), a course's lessons.
const SCOPE: &str = "WITH o AS (
        SELECT id, kind, venue_id, category, starts_at, ends_at, allocation,
               ends_at <= ?7 AS hours_counted FROM offerings
         WHERE status = 'published'
           AND (?1 IS NULL OR kind = ?1) AND (?2 IS NULL OR venue_id = ?2)
           AND (?3 IS NULL OR category = ?3)),
    events AS (
        SELECT o.id AS offering_id, NULL AS lesson, o.starts_at AS at, o.kind, o.venue_id,
               o.category
          FROM o WHERE o.kind <> 'course' AND o.starts_at >= ?4 AND o.starts_at < ?5
                   AND o.starts_at <= ?6
        UNION ALL
        SELECT o.id, l.number, l.starts_at, o.kind, o.venue_id, o.category
          FROM o JOIN course_lessons l ON l.offering_id = o.id
         WHERE o.kind = 'course' AND l.starts_at >= ?4 AND l.starts_at < ?5
           AND l.starts_at <= ?6)";

/// How rows are grouped: the whole period, month by month (China time), venue, category.
#[derive(Clone, Copy, PartialEq, Eq)]
enum By {
    Total,
    Month,
    Venue,
    Category,
}

impl By {
    /// The key of a row whose moment is the column `at`.
    fn key(self, at: &str) -> String {
        match self {
            By::Total => "''".into(),
            By::Month => format!("strftime('%Y-%m', {at} + 28800, 'unixepoch')"),
            By::Venue => "venue_id".into(),
            By::Category => "category".into(),
        }
    }
}

/// What each figure counts, as `SELECT key, a, b FROM …` over the scope; `{key}` is replaced
/// by the grouping.
fn queries(by: By) -> Vec<(&'static str, String)> {
    let event_key = by.key("at");
    vec![
        (
            "events",
            format!("SELECT {event_key} AS k, COUNT(*), 0 FROM events GROUP BY k"),
        ),
        (
            "attendances",
            format!(
                "SELECT {event_key} AS k, COUNT(*), COUNT(DISTINCT person) FROM (
                   SELECT DISTINCT e.offering_id, e.lesson, e.at, e.venue_id, e.category,
                          COALESCE(r.user_id, r.id) AS person
                     FROM events e JOIN registrations r ON r.offering_id = e.offering_id
                    WHERE e.lesson IS NULL AND r.checked_in_at IS NOT NULL
                   UNION
                   SELECT DISTINCT e.offering_id, e.lesson, e.at, e.venue_id, e.category,
                          COALESCE(r.user_id, r.id)
                     FROM events e
                     JOIN checkins c ON c.offering_id = e.offering_id AND c.lesson = e.lesson
                                    AND c.kind = 'in'
                     JOIN registrations r ON r.id = c.registration_id
                    WHERE e.lesson IS NOT NULL)
                 GROUP BY k"
            ),
        ),
        (
            "volunteer_minutes",
            format!(
                "SELECT {event_key} AS k, COALESCE(SUM(r.credited_minutes), 0), 0
                   FROM events e JOIN registrations r ON r.offering_id = e.offering_id
                  WHERE e.kind = 'activity'
                    AND e.offering_id IN (SELECT id FROM o WHERE hours_counted) GROUP BY k"
            ),
        ),
        (
            "no_show",
            format!(
                "SELECT {event_key} AS k, COUNT(*) FILTER (WHERE r.checked_in_at IS NULL), COUNT(*)
                   FROM events e JOIN registrations r ON r.offering_id = e.offering_id
                  WHERE e.lesson IS NULL AND r.status = 'confirmed' GROUP BY k"
            ),
        ),
        (
            "pairs",
            format!(
                "SELECT {event_key} AS k, COUNT(*), 0
                   FROM events e JOIN mixer_matches m ON m.offering_id = e.offering_id
                  WHERE e.kind = 'mixer' GROUP BY k"
            ),
        ),
        (
            "applicants_per_place",
            format!(
                "SELECT {k} AS k,
                        (SELECT COUNT(*) FROM registrations r
                          WHERE r.offering_id = o.id AND r.application_no IS NOT NULL),
                        (SELECT COALESCE(SUM(capacity), 0) FROM offering_pools p
                          WHERE p.offering_id = o.id)
                   FROM o WHERE o.kind = 'course' AND o.allocation = 'lottery'
                            AND o.starts_at >= ?4 AND o.starts_at < ?5",
                k = by.key("o.starts_at")
            ),
        ),
        (
            "rating",
            format!(
                "SELECT {k} AS k, COALESCE(SUM(cr.stars), 0), COUNT(cr.stars)
                   FROM o JOIN course_ratings cr ON cr.offering_id = o.id
                  WHERE o.kind = 'course' AND o.starts_at >= ?4 AND o.starts_at < ?5
                  GROUP BY k",
                k = by.key("o.starts_at")
            ),
        ),
        (
            "completion",
            format!(
                "SELECT {k} AS k,
                        COUNT(*) FILTER (WHERE (SELECT COUNT(DISTINCT c.lesson) FROM checkins c
                                                 WHERE c.registration_id = r.id AND c.kind = 'in'
                                                   AND c.lesson IS NOT NULL) * 100
                                               >= (SELECT COUNT(*) FROM course_lessons l
                                                    WHERE l.offering_id = o.id)
                                                  * s.completion_percent
                                          AND (SELECT COUNT(*) FROM course_lessons l
                                                WHERE l.offering_id = o.id) > 0),
                        COUNT(*)
                   FROM o JOIN course_settings s ON s.offering_id = o.id
                   JOIN registrations r ON r.offering_id = o.id AND r.status = 'confirmed'
                  WHERE o.kind = 'course' AND o.ends_at >= ?4 AND o.ends_at < ?5
                    AND o.ends_at <= ?6
                  GROUP BY k",
                k = by.key("o.ends_at")
            ),
        ),
    ]
}

fn add(f: &mut Figures, figure: &str, a: i64, b: i64) {
    let (a, b) = (u64::try_from(a).unwrap_or(0), u64::try_from(b).unwrap_or(0));
    let ratio = |r: &mut Ratio| {
        r.num += a;
        r.den += b;
    };
    match figure {
        "events" => f.events += a,
        "attendances" => {
            f.attendances += a;
            f.people += b;
        }
        "volunteer_minutes" => f.volunteer_minutes += a,
        "no_show" => ratio(&mut f.no_show),
        "pairs" => f.pairs += a,
        "applicants_per_place" => ratio(&mut f.applicants_per_place),
        "rating" => ratio(&mut f.rating),
        "completion" => ratio(&mut f.completion),
        _ => {}
    }
}

/// The dashboard of `period` for the offerings `filter` lets through, by `now` (Unix seconds),
/// volunteer hours counted once their public notice of `notice_days` working days is over
/// (the latest end whose hours are in effect is `domain::hours::counted_until`).
pub async fn dashboard(
    db: &SqlitePool,
    period: &Period,
    filter: &Filter,
    now: i64,
    notice_days: u32,
) -> Result<Dashboard, sqlx::Error> {
    let counted_until = domain::hours::counted_until(now, notice_days);
    let (start, end) = period.bounds();
    let mut conn = db.acquire().await?;
    let mut tables: Vec<BTreeMap<String, Figures>> = Vec::new();
    for by in [By::Total, By::Month, By::Venue, By::Category] {
        let mut rows: BTreeMap<String, Figures> = BTreeMap::new();
        for (figure, sql) in queries(by) {
            let found: Vec<(Option<String>, i64, i64)> =
                sqlx::query_as(sqlx::AssertSqlSafe(format!("{SCOPE} {sql}")))
                    .bind(filter.kind.map(|k| k.as_str()))
                    .bind(filter.venue_id.as_deref())
                    .bind(filter.category.as_deref())
                    .bind(start)
                    .bind(end)
                    .bind(now)
                    .bind(counted_until)
                    .fetch_all(&mut *conn)
                    .await?;
            for (key, a, b) in found {
                add(
                    rows.entry(key.unwrap_or_default()).or_default(),
                    figure,
                    a,
                    b,
                );
            }
        }
        tables.push(rows);
    }
    let [total, months, venues, categories]: [BTreeMap<String, Figures>; 4] =
        tables.try_into().unwrap_or_default();
    let rows = |t: BTreeMap<String, Figures>| -> Vec<Row> {
        t.into_iter()
            .filter(|(_, f)| f.events > 0)
            .map(|(key, figures)| Row { key, figures })
            .collect()
    };
    let mut months_by_key = months;
    Ok(Dashboard {
        period: Some(*period),
        total: total.into_values().next().unwrap_or_default(),
        months: period
            .months()
            .into_iter()
            .map(|(y, m)| {
                let key = format!("{y}-{m:02}");
                Row {
                    figures: months_by_key.remove(&key).unwrap_or_default(),
                    key,
                }
            })
            .collect(),
        venues: rows(venues),
        categories: rows(categories),
    })
}
