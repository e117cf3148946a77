//! The committee's numbers, counted by SQL from the rows: the definitions are
//! `domain::numbers` (and its [`domain::numbers::count`] over plain facts, which the
//! integration test checks these figures against).

use crate::db::pool::{Pool, args};
use crate::db::sql::{Result, Value};
use domain::{
    OfferingKind,
    numbers::{Dashboard, Figures, Filter, Period, Programme, Ratio, Report, Row, month_of, top},
};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The offerings that count (`?1` kind, `?2` venue, `?3` category; NULL: any), as CTE `o`; the
/// events they held in the period by now (`?4` start, `?5` end, `?6` now), as CTE `events`
/// (with `hours_counted`: whether an activity's hours are in effect, `?7` the latest end whose
/// public notice is over):
/// an activity's or a mixer's one event (`lesson` NULL), a course's lessons.
const SCOPE: &str = "WITH o AS (
        SELECT id, id AS oid, kind, venue_id, category, starts_at, ends_at, allocation,
               ends_at <= ?7 AS hours_counted
          FROM offerings
         WHERE status = 'published'
           AND (?1 IS NULL OR kind = ?1) AND (?2 IS NULL OR venue_id = ?2)
           AND (?3 IS NULL OR category = ?3)),
    events AS (
        SELECT o.id AS offering_id, o.id AS oid, NULL AS lesson, o.starts_at AS at, o.kind,
               o.venue_id, o.category, o.ends_at
          FROM o WHERE o.kind <> 'course' AND o.starts_at >= ?4 AND o.starts_at < ?5
                   AND o.starts_at <= ?6
        UNION ALL
        SELECT o.id, o.id, l.number, l.starts_at, o.kind, o.venue_id, o.category, o.ends_at
          FROM o JOIN course_lessons l ON l.offering_id = o.id
         WHERE o.kind = 'course' AND l.starts_at >= ?4 AND l.starts_at < ?5
           AND l.starts_at <= ?6)";

/// How rows are grouped: the whole period, month by month (China time), venue, category,
/// offering.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum By {
    Total,
    Month,
    Venue,
    Category,
    Kind,
    Offering,
}

/// Where a row belongs: its moment (which places it in a month, China time), venue, category,
/// offering and kind.
struct Place<'a> {
    at: i64,
    venue_id: &'a str,
    category: &'a str,
    oid: &'a str,
    kind: &'a str,
}

impl By {
    /// The key of a row's group this way.
    fn key(self, p: &Place<'_>) -> String {
        match self {
            By::Total => String::new(),
            By::Month => {
                let (y, m) = month_of(p.at);
                format!("{y}-{m:02}")
            }
            By::Venue => p.venue_id.to_owned(),
            By::Category => p.category.to_owned(),
            By::Kind => p.kind.to_owned(),
            By::Offering => p.oid.to_owned(),
        }
    }
}

/// Each event in scope, one row each, with what the per-event figures read of it: the people
/// who attended it (from `attendances`, which the check-in triggers keep: one row per
/// registration and event, migrations 0013 and 0014), as their numbers (`people.no`) joined by
/// commas; from its offering's counts (`offering_counts`, kept by triggers too, migration
/// 0015): for an activity, the volunteer minutes credited, and for an activity's or a mixer's
/// event, its confirmed places without a check-in and its confirmed places; for a mixer, its
/// pairs (a range of `mixer_matches_by_offering`). Counted into 场次, 人次, 人, volunteer
/// minutes, no-shows and pairs by [`per_event`]. The people's numbers are aggregated by
/// [`PEOPLE`] (each database's own), between [`EVENTS`] and [`EVENTS_REST`].
const EVENTS: &str = "SELECT e.at, e.venue_id, e.category, e.oid, e.kind,
        (SELECT ";

/// The aggregate of an event's people's numbers, joined by commas: SQLite's, PostgreSQL's.
const PEOPLE: (&str, &str) = (
    "group_concat(a.person_no)",
    "string_agg(CAST(a.person_no AS TEXT), ',')",
);

/// The rest of [`EVENTS`], after the aggregate.
const EVENTS_REST: &str = " FROM attendances a
          WHERE a.offering_id = e.offering_id AND a.lesson = COALESCE(e.lesson, 0)) AS people,
        CASE WHEN e.kind = 'activity' AND e.ends_at <= ?7 THEN c.minutes END AS minutes,
        CASE WHEN e.lesson IS NULL THEN c.missed END AS missed,
        CASE WHEN e.lesson IS NULL THEN c.confirmed END AS confirmed,
        CASE WHEN e.kind = 'mixer' THEN
            (SELECT COUNT(*) FROM mixer_matches m WHERE m.offering_id = e.offering_id) END AS pairs
   FROM events e LEFT JOIN offering_counts c ON c.offering_id = e.offering_id";

/// What each of the other figures counts, one row per offering in scope (its moment `t`, which
/// places it in a month, and `venue_id`, `category`, `oid`, `kind`) with the figure's two
/// parts `a`, `b`, each a range of a covering index (or a key lookup) per offering: grouped
/// every way asked for in Rust ([`per_offering`]), as the events are.
const FIGURES: [(&str, &str); 3] = [
    (
        "applicants_per_place",
        "SELECT o.starts_at AS t, o.venue_id, o.category, o.oid, o.kind,
                (SELECT COUNT(*) FROM registrations r
                  WHERE r.offering_id = o.id AND r.application_no IS NOT NULL) AS a,
                (SELECT CAST(COALESCE(SUM(capacity), 0) AS BIGINT) FROM offering_pools p
                  WHERE p.offering_id = o.id) AS b
           FROM o WHERE o.kind = 'course' AND o.allocation = 'lottery'
                    AND o.starts_at >= ?4 AND o.starts_at < ?5",
    ),
    (
        "rating",
        "SELECT o.starts_at AS t, o.venue_id, o.category, o.oid, o.kind,
                (SELECT CAST(COALESCE(SUM(cr.stars), 0) AS BIGINT) FROM course_ratings cr
                  WHERE cr.offering_id = o.id) AS a,
                (SELECT COUNT(*) FROM course_ratings cr WHERE cr.offering_id = o.id) AS b
           FROM o WHERE o.kind = 'course' AND o.starts_at >= ?4 AND o.starts_at < ?5",
    ),
    (
        "completion",
        "SELECT o.ends_at AS t, o.venue_id, o.category, o.oid, o.kind,
                CASE WHEN n.lessons > 0 THEN
                    (SELECT COUNT(*) FROM registrations r
                      WHERE r.offering_id = o.id AND r.status = 'confirmed'
                        AND r.lessons_attended * 100 >= n.lessons * s.completion_percent)
                ELSE 0 END AS a,
                (SELECT COUNT(*) FROM registrations r
                  WHERE r.offering_id = o.id AND r.status = 'confirmed') AS b
           FROM o JOIN course_settings s ON s.offering_id = o.id
           LEFT JOIN (SELECT offering_id, COUNT(*) AS lessons FROM course_lessons
                       GROUP BY offering_id) n ON n.offering_id = o.id
          WHERE o.kind = 'course' AND o.ends_at >= ?4 AND o.ends_at < ?5 AND o.ends_at <= ?6",
    ),
];

fn add(f: &mut Figures, figure: &str, a: i64, b: i64) {
    let (a, b) = (u64::try_from(a).unwrap_or(0), u64::try_from(b).unwrap_or(0));
    let ratio = |r: &mut Ratio| {
        r.num += a;
        r.den += b;
    };
    match figure {
        "applicants_per_place" => ratio(&mut f.applicants_per_place),
        "rating" => ratio(&mut f.rating),
        "completion" => ratio(&mut f.completion),
        _ => {}
    }
}

/// A row of one of [`FIGURES`]: moment, venue, category, offering, kind, and the figure's two
/// parts.
type OfferingRow = (i64, String, String, String, String, i64, i64);

/// One of [`FIGURES`] from its rows, grouped each way in `by` into `tables`.
fn per_offering(
    figure: &str,
    rows: &[OfferingRow],
    by: &[By],
    tables: &mut [BTreeMap<String, Figures>],
) {
    for (b, table) in by.iter().zip(tables.iter_mut()) {
        for (at, venue_id, category, oid, kind, x, y) in rows {
            let key = b.key(&Place {
                at: *at,
                venue_id,
                category,
                oid,
                kind,
            });
            add(table.entry(key).or_default(), figure, *x, *y);
        }
    }
}

/// A row of [`EVENTS`]: start, venue, category, offering, kind, people, minutes, missed,
/// confirmed, pairs.
type EventRow = (
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

/// 场次, 人次, 人, volunteer minutes, no-shows and pairs from the events' rows, grouped each way
/// in `by` into `tables`: 人次 counts each event's distinct people, 人 the distinct people of
/// each group. Each person is numbered once, and each group keeps its people as a bit set.
fn per_event(rows: &[EventRow], by: &[By], tables: &mut [BTreeMap<String, Figures>]) {
    let n = |v: Option<i64>| u64::try_from(v.unwrap_or(0)).unwrap_or(0);
    let mut number: HashMap<u64, usize> = HashMap::new();
    let mut events: Vec<Vec<usize>> = Vec::with_capacity(rows.len());
    for row in rows {
        let mut persons: Vec<usize> = row
            .5
            .as_deref()
            .map(|p| {
                p.split(',')
                    .filter_map(|who| who.parse::<u64>().ok())
                    .map(|who| {
                        let next = number.len();
                        *number.entry(who).or_insert(next)
                    })
                    .collect()
            })
            .unwrap_or_default();
        persons.sort_unstable();
        persons.dedup();
        events.push(persons);
    }
    let words = number.len().div_ceil(64);
    for (b, table) in by.iter().zip(tables.iter_mut()) {
        let mut people: HashMap<String, Vec<u64>> = HashMap::new();
        for (row, persons) in rows.iter().zip(&events) {
            let (at, venue_id, category, oid, kind, _, minutes, missed, confirmed, pairs) = row;
            let key = b.key(&Place {
                at: *at,
                venue_id,
                category,
                oid,
                kind,
            });
            if !persons.is_empty() {
                let set = people.entry(key.clone()).or_insert_with(|| vec![0; words]);
                for p in persons {
                    if let Some(w) = set.get_mut(p / 64) {
                        *w |= 1 << (p % 64);
                    }
                }
            }
            let f = table.entry(key).or_default();
            f.events += 1;
            f.attendances += persons.len() as u64;
            f.volunteer_minutes += n(*minutes);
            f.no_show.num += n(*missed);
            f.no_show.den += n(*confirmed);
            f.pairs += n(*pairs);
        }
        for (key, set) in people {
            table.entry(key).or_default().people =
                set.iter().map(|w| u64::from(w.count_ones())).sum();
        }
    }
}

/// Every figure grouped each way in `by`, keyed as [`By::key`] says: one table per grouping,
/// in `by`'s order: the events' own figures from one statement ([`EVENTS`]), each of the
/// others one statement that reads its rows once. Volunteer hours count once their public
/// notice of `notice_days` working days is over (the latest end whose hours are in effect is
/// `domain::hours::counted_until`, `?7`).
async fn tables(
    db: &Pool,
    by: &[By],
    period: &Period,
    filter: &Filter,
    now: i64,
    notice_days: u32,
) -> Result<Vec<BTreeMap<String, Figures>>> {
    let counted_until = domain::hours::counted_until(now, notice_days);
    let (start, end) = period.bounds();
    let kind = filter.kind.map(|k| k.as_str());
    let params = || -> Vec<Value<'_>> {
        args![
            kind,
            filter.venue_id,
            filter.category,
            start,
            end,
            now,
            counted_until
        ]
    };
    let mut tables: Vec<BTreeMap<String, Figures>> = vec![BTreeMap::new(); by.len()];
    let people = db.backend().pick(PEOPLE.0, PEOPLE.1);
    let events: Vec<EventRow> = db
        .fetch_all(
            &format!("{SCOPE} {EVENTS}{people}{EVENTS_REST}"),
            params(),
            |r| r.tuple(),
        )
        .await?;
    per_event(&events, by, &mut tables);
    for (figure, rows) in FIGURES {
        let found: Vec<OfferingRow> = db
            .fetch_all(&format!("{SCOPE} {rows}"), params(), |r| r.tuple())
            .await?;
        per_offering(figure, &found, by, &mut tables);
    }
    Ok(tables)
}

/// The dashboard from its four tables (total, months, venues, categories).
fn assemble(period: &Period, tables: [BTreeMap<String, Figures>; 4]) -> Dashboard {
    let [total, mut months, venues, categories] = tables;
    let rows = |t: BTreeMap<String, Figures>| -> Vec<Row> {
        t.into_iter()
            .filter(|(_, f)| f.events > 0)
            .map(|(key, figures)| Row { key, figures })
            .collect()
    };
    Dashboard {
        period: Some(*period),
        total: total.into_values().next().unwrap_or_default(),
        months: period
            .months()
            .into_iter()
            .map(|(y, m)| {
                let key = format!("{y}-{m:02}");
                Row {
                    figures: months.remove(&key).unwrap_or_default(),
                    key,
                }
            })
            .collect(),
        venues: rows(venues),
        categories: rows(categories),
    }
}

/// The dashboard of `period` for the offerings `filter` lets through, by `now` (Unix seconds),
/// volunteer hours counted once their public notice of `notice_days` working days is over.
pub async fn dashboard(
    db: &Pool,
    period: &Period,
    filter: &Filter,
    now: i64,
    notice_days: u32,
) -> Result<Dashboard> {
    let by = [By::Total, By::Month, By::Venue, By::Category];
    let tables: [BTreeMap<String, Figures>; 4] = tables(db, &by, period, filter, now, notice_days)
        .await?
        .try_into()
        .unwrap_or_default();
    Ok(assemble(period, tables))
}

/// Each offering's own figures (those with any event or rating), as
/// `domain::numbers::by_programme` defines them: what the report's top lists rank.
fn programmes_of(mut each: BTreeMap<String, Figures>) -> BTreeMap<String, Figures> {
    each.retain(|_, f| f.events > 0 || f.rating.den > 0);
    each
}

/// Every venue's name by id.
pub async fn venue_names(db: &Pool) -> Result<BTreeMap<String, String>> {
    let rows: Vec<(String, String)> = db
        .fetch_all("SELECT id, name FROM venues", args![], |r| r.tuple())
        .await?;
    Ok(rows.into_iter().collect())
}

/// The year-end report of `year` (China time) by `now`: the year's dashboard, its figures by
/// kind, the venues' names, and the top programmes (`domain::numbers::top` over each
/// offering's figures), hours counted as in [`dashboard`].
pub async fn report(db: &Pool, year: i32, now: i64, notice_days: u32) -> Result<Report> {
    let period = Period::year(year);
    let by = [
        By::Total,
        By::Month,
        By::Venue,
        By::Category,
        By::Kind,
        By::Offering,
    ];
    let [total, months, venues, categories, mut by_kind, each]: [BTreeMap<String, Figures>; 6] =
        tables(db, &by, &period, &Filter::default(), now, notice_days)
            .await?
            .try_into()
            .unwrap_or_default();
    let dashboard = assemble(&period, [total, months, venues, categories]);
    let kinds = OfferingKind::ALL
        .into_iter()
        .map(|kind| Row {
            key: kind.as_str().to_owned(),
            figures: by_kind.remove(kind.as_str()).unwrap_or_default(),
        })
        .collect();
    let each = programmes_of(each);
    let about: Vec<(String, String, String, String, String)> = db
        .fetch_all(
            "SELECT id, title, kind, venue_id, category FROM offerings",
            args![],
            |r| r.tuple(),
        )
        .await?;
    let programmes: Vec<Programme> = about
        .into_iter()
        .filter_map(|(id, title, kind, venue_id, category)| {
            let f = each.get(&id)?;
            Some(Programme {
                kind: OfferingKind::parse(&kind)?,
                attendances: f.attendances,
                rating: f.rating,
                offering_id: id,
                title,
                venue_id,
                category,
            })
        })
        .collect();
    let (top_attendance, top_rating) = top(&programmes);
    let mut venue_names = venue_names(db).await?;
    let shown: BTreeSet<&str> = dashboard
        .venues
        .iter()
        .map(|r| r.key.as_str())
        .chain(top_attendance.iter().map(|p| p.venue_id.as_str()))
        .chain(top_rating.iter().map(|p| p.venue_id.as_str()))
        .collect();
    venue_names.retain(|id, _| shown.contains(id.as_str()));
    Ok(Report {
        year,
        dashboard,
        kinds,
        venue_names,
        top_attendance,
        top_rating,
    })
}
