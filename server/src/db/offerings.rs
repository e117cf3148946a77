//! Offerings on the database. A [`Plan`] is written in one place ([`insert`], [`update`]):
//! what all kinds share to `offerings`, what belongs to its kind to that kind's table
//! (`activity_settings`, `course_settings` and `course_lessons`, `mixer_settings`), its quotas
//! to `offering_pools`. It is read back whole in one place ([`assemble`]) for the catalogue, the
//! pull and the admin screens.

use super::pool::{Pool, args};
use super::sql::{self, Row};
use domain::{
    Offering, OfferingKind, OfferingStatus, Plan, PoolCount, PoolKey, Programme, Quota,
    programme::{
        activity::ActivityRules,
        course::{CourseRules, Lesson, Priority},
        mixer::MixerRules,
    },
    registration::Allocation,
};
use sqlx::SqliteConnection;
use std::collections::HashMap;
use time::OffsetDateTime;

/// The columns [`Common`] reads, to put in front of a `FROM offerings o` and a `WHERE`.
pub const COMMON: &str = "o.id, o.kind, o.title, o.summary, o.category, o.venue_id, o.starts_at,
        o.ends_at, o.signup_opens_at, o.signup_closes_at, o.requires_approval,
        o.waitlist_enabled, o.allocation, o.questions, o.status, o.cancel_reason, o.version";

/// What every offering has, as stored.
#[derive(sqlx::FromRow)]
pub struct Common {
    id: String,
    kind: String,
    title: String,
    summary: String,
    category: String,
    venue_id: String,
    starts_at: i64,
    ends_at: i64,
    signup_opens_at: Option<i64>,
    signup_closes_at: i64,
    requires_approval: bool,
    waitlist_enabled: bool,
    allocation: String,
    questions: String,
    status: String,
    cancel_reason: Option<String>,
    /// The global version the row was last written at.
    pub version: i64,
}

/// A stored schedule as China time, if it is one the wire accepts (2000–2099).
fn schedule(unix: i64) -> Option<OffsetDateTime> {
    let t = domain::moment::from_unix_s(unix).map(domain::moment::in_china)?;
    domain::moment::is_schedule(t).then_some(t)
}

fn to_u32(v: i64) -> u32 {
    u32::try_from(v.max(0)).unwrap_or(u32::MAX)
}

fn to_u8(v: i64) -> u8 {
    u8::try_from(v.clamp(0, 255)).unwrap_or(u8::MAX)
}

fn unix(t: OffsetDateTime) -> i64 {
    t.unix_timestamp()
}

/// The JSON array `ids` as one bind, for `IN (SELECT value FROM json_each(?))`.
fn id_list(rows: &[Common]) -> String {
    serde_json::to_string(&rows.iter().map(|r| r.id.as_str()).collect::<Vec<_>>())
        .unwrap_or_else(|_| "[]".into())
}

/// What [`build`] reads besides the offerings' own rows, each table's rows for those offerings.
struct Tables {
    /// (offering, pool, capacity, seats taken, waitlist length, version)
    pools: Vec<(String, String, i64, i64, i64, i64)>,
    /// (offering, volunteer hours, planned hours, minimum share)
    activities: Vec<(String, Option<i64>, Option<i64>, i64)>,
    /// (offering, term, teacher, confirm hours, completion, per-term limit, priority)
    courses: Vec<(String, String, String, i64, i64, i64, String)>,
    /// (offering, starts at, ends at), by offering and number
    lessons: Vec<(String, i64, i64)>,
    /// (offering, minimum age, maximum age, picks)
    mixers: Vec<(String, i64, i64, i64)>,
}

/// Reads whole offerings for `rows` (their pools, their kind's settings, a course's lessons),
/// each with the version it last changed at (its row's, or a pool's when that is later). A row
/// this build cannot read, or whose schedule lies outside 2000–2099 (stored before the wire
/// refused such times), is left out with a warning.
pub async fn assemble(
    conn: &mut SqliteConnection,
    rows: Vec<Common>,
) -> Result<Vec<(Offering, i64)>, sqlx::Error> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids = id_list(&rows);
    let pools: Vec<(String, String, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT offering_id, pool, capacity, seats_taken, waitlist_len, version
           FROM offering_pools WHERE offering_id IN (SELECT value FROM json_each(?))
          ORDER BY offering_id, pool",
    )
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await?;
    let activities: Vec<(String, Option<i64>, Option<i64>, i64)> = sqlx::query_as(
        "SELECT offering_id, volunteer_hours, planned_hours, min_share_percent
           FROM activity_settings WHERE offering_id IN (SELECT value FROM json_each(?))",
    )
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await?;
    let courses: Vec<(String, String, String, i64, i64, i64, String)> = sqlx::query_as(
        "SELECT offering_id, term, teacher, confirm_hours, completion_percent, per_term_limit,
                priority
           FROM course_settings WHERE offering_id IN (SELECT value FROM json_each(?))",
    )
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await?;
    let lessons: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT offering_id, starts_at, ends_at FROM course_lessons
          WHERE offering_id IN (SELECT value FROM json_each(?)) ORDER BY offering_id, number",
    )
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await?;
    let mixers: Vec<(String, i64, i64, i64)> = sqlx::query_as(
        "SELECT offering_id, min_age, max_age, picks
           FROM mixer_settings WHERE offering_id IN (SELECT value FROM json_each(?))",
    )
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await?;
    Ok(build(
        &rows,
        Tables {
            pools,
            activities,
            courses,
            lessons,
            mixers,
        },
    ))
}

impl Common {
    /// The columns of [`COMMON`], from column 0 of `r`.
    pub fn read(r: &Row<'_>) -> sql::Result<Self> {
        Ok(Self {
            id: r.get(0)?,
            kind: r.get(1)?,
            title: r.get(2)?,
            summary: r.get(3)?,
            category: r.get(4)?,
            venue_id: r.get(5)?,
            starts_at: r.get(6)?,
            ends_at: r.get(7)?,
            signup_opens_at: r.get(8)?,
            signup_closes_at: r.get(9)?,
            requires_approval: r.get(10)?,
            waitlist_enabled: r.get(11)?,
            allocation: r.get(12)?,
            questions: r.get(13)?,
            status: r.get(14)?,
            cancel_reason: r.get(15)?,
            version: r.get(16)?,
        })
    }
}

/// [`assemble`] through the store interface, on either database: the offerings' ids go as one
/// JSON array (`json_each` on SQLite, `jsonb_array_elements_text` on PostgreSQL).
pub async fn assemble_from(db: &Pool, rows: Vec<Common>) -> sql::Result<Vec<(Offering, i64)>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids = id_list(&rows);
    let within = db.backend().pick(
        "SELECT value FROM json_each(?1)",
        "SELECT jsonb_array_elements_text(CAST(?1 AS JSONB))",
    );
    let pools = db
        .fetch_all(
            &format!(
                "SELECT offering_id, pool, capacity, seats_taken, waitlist_len, version
                   FROM offering_pools WHERE offering_id IN ({within})
                  ORDER BY offering_id, pool"
            ),
            args![ids],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            },
        )
        .await?;
    let activities = db
        .fetch_all(
            &format!(
                "SELECT offering_id, volunteer_hours, planned_hours, min_share_percent
                   FROM activity_settings WHERE offering_id IN ({within})"
            ),
            args![ids],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .await?;
    let courses = db
        .fetch_all(
            &format!(
                "SELECT offering_id, term, teacher, confirm_hours, completion_percent,
                        per_term_limit, priority
                   FROM course_settings WHERE offering_id IN ({within})"
            ),
            args![ids],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            },
        )
        .await?;
    let lessons = db
        .fetch_all(
            &format!(
                "SELECT offering_id, starts_at, ends_at FROM course_lessons
                  WHERE offering_id IN ({within}) ORDER BY offering_id, number"
            ),
            args![ids],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .await?;
    let mixers = db
        .fetch_all(
            &format!(
                "SELECT offering_id, min_age, max_age, picks
                   FROM mixer_settings WHERE offering_id IN ({within})"
            ),
            args![ids],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .await?;
    Ok(build(
        &rows,
        Tables {
            pools,
            activities,
            courses,
            lessons,
            mixers,
        },
    ))
}

/// Puts whole offerings together from their rows and `tables` (see [`assemble`]).
fn build(rows: &[Common], tables: Tables) -> Vec<(Offering, i64)> {
    let Tables {
        pools,
        activities,
        courses,
        lessons,
        mixers,
    } = tables;
    let mut pools_of: HashMap<&str, Vec<(Quota, PoolCount, i64)>> = HashMap::new();
    for (id, pool, capacity, seats_taken, waitlist_len, version) in &pools {
        let Some(pool) = PoolKey::parse(pool) else {
            continue;
        };
        pools_of.entry(id.as_str()).or_default().push((
            Quota {
                pool,
                capacity: to_u32(*capacity),
            },
            PoolCount {
                pool,
                seats_taken: to_u32(*seats_taken),
                waitlist_len: to_u32(*waitlist_len),
            },
            *version,
        ));
    }
    let activity_of: HashMap<&str, ActivityRules> = activities
        .iter()
        .map(|(id, hours, planned, share)| {
            (
                id.as_str(),
                ActivityRules {
                    volunteer_hours: hours.map(to_u32),
                    planned_hours: planned.map(to_u32),
                    min_share_percent: to_u8(*share),
                },
            )
        })
        .collect();
    let mut lessons_of: HashMap<&str, Vec<Lesson>> = HashMap::new();
    let mut bad_lessons: Vec<&str> = Vec::new();
    for (id, starts, ends) in &lessons {
        match (schedule(*starts), schedule(*ends)) {
            (Some(starts_at), Some(ends_at)) => lessons_of
                .entry(id.as_str())
                .or_default()
                .push(Lesson { starts_at, ends_at }),
            _ => bad_lessons.push(id.as_str()),
        }
    }
    let mut course_of: HashMap<&str, CourseRules> = HashMap::new();
    for (id, term, teacher, confirm, completion, limit, priority) in &courses {
        course_of.insert(
            id.as_str(),
            CourseRules {
                term: term.clone(),
                teacher: teacher.clone(),
                lessons: lessons_of.remove(id.as_str()).unwrap_or_default(),
                confirm_hours: to_u32(*confirm),
                completion_percent: to_u8(*completion),
                per_term_limit: to_u8(*limit),
                priority: if priority == "none" {
                    Priority::None
                } else {
                    Priority::NewLearnersFirst
                },
            },
        );
    }
    let mixer_of: HashMap<&str, MixerRules> = mixers
        .iter()
        .map(|(id, min_age, max_age, picks)| {
            (
                id.as_str(),
                MixerRules {
                    min_age: to_u8(*min_age),
                    max_age: to_u8(*max_age),
                    picks: to_u8(*picks),
                },
            )
        })
        .collect();

    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let id = row.id.as_str();
        let kind = OfferingKind::parse(&row.kind);
        let programme = match kind {
            Some(OfferingKind::Activity) => activity_of.get(id).cloned().map(Programme::Activity),
            Some(OfferingKind::Course) => course_of.remove(id).map(Programme::Course),
            Some(OfferingKind::Mixer) => mixer_of.get(id).cloned().map(Programme::Mixer),
            None => None,
        };
        let times = (|| {
            let opens = match row.signup_opens_at {
                Some(t) => Some(schedule(t)?),
                None => None,
            };
            Some((
                schedule(row.starts_at)?,
                schedule(row.ends_at)?,
                schedule(row.signup_closes_at)?,
                opens,
            ))
        })();
        let (Some(programme), Some(status), Some(times)) = (
            programme,
            OfferingStatus::parse(&row.status),
            times.filter(|_| !bad_lessons.contains(&id)),
        ) else {
            tracing::warn!(offering.id = %id, "an offering this build cannot read, or whose schedule is out of range: left out");
            continue;
        };
        let (starts_at, ends_at, signup_closes_at, signup_opens_at) = times;
        let pools = pools_of.remove(id).unwrap_or_default();
        let version = pools.iter().map(|(_, _, v)| *v).fold(row.version, i64::max);
        let offering = Offering {
            id: row.id.clone(),
            status,
            cancel_reason: row.cancel_reason.clone(),
            plan: Plan {
                title: row.title.clone(),
                summary: row.summary.clone(),
                category: row.category.clone(),
                venue_id: row.venue_id.clone(),
                starts_at,
                ends_at,
                signup_opens_at,
                signup_closes_at,
                requires_approval: row.requires_approval,
                waitlist_enabled: row.waitlist_enabled,
                allocation: Allocation::parse(&row.allocation).unwrap_or_default(),
                questions: serde_json::from_str(&row.questions).unwrap_or_default(),
                quotas: pools.iter().map(|(q, _, _)| *q).collect(),
                programme,
            },
            counts: pools.iter().map(|(_, c, _)| *c).collect(),
        };
        out.push((offering, version));
    }
    out
}

/// The offering with `id`, drafts included.
pub async fn load(conn: &mut SqliteConnection, id: &str) -> Result<Option<Offering>, sqlx::Error> {
    let rows: Vec<Common> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COMMON} FROM offerings o WHERE o.id = ?"
    )))
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(assemble(conn, rows).await?.pop().map(|(o, _)| o))
}

/// Writes a new offering with `plan` (already validated and normalized).
pub async fn insert(
    conn: &mut SqliteConnection,
    id: &str,
    plan: &Plan,
    status: OfferingStatus,
    created_at: i64,
) -> Result<(), sqlx::Error> {
    let version = super::next_version(conn).await?;
    sqlx::query(
        "INSERT INTO offerings (id, kind, title, summary, category, venue_id, starts_at, ends_at,
                                signup_opens_at, signup_closes_at, requires_approval,
                                waitlist_enabled, allocation, questions, status, created_at,
                                version)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id)
    .bind(plan.kind().as_str())
    .bind(&plan.title)
    .bind(&plan.summary)
    .bind(&plan.category)
    .bind(&plan.venue_id)
    .bind(unix(plan.starts_at))
    .bind(unix(plan.ends_at))
    .bind(plan.signup_opens_at.map(unix))
    .bind(unix(plan.signup_closes_at))
    .bind(plan.requires_approval)
    .bind(plan.waitlist_enabled)
    .bind(plan.allocation.as_str())
    .bind(serde_json::to_string(&plan.questions).unwrap_or_else(|_| "[]".into()))
    .bind(status.as_str())
    .bind(created_at)
    .bind(version)
    .execute(&mut *conn)
    .await?;
    write_programme(conn, id, &plan.programme).await?;
    write_quotas(conn, id, &plan.quotas, version).await
}

/// Why a plan cannot replace an offering's.
#[derive(Debug, PartialEq, Eq)]
pub enum UpdateRefused {
    /// The kind of an offering never changes.
    Kind,
    /// A pool's places below those already taken.
    BelowTaken,
    /// A pool with registrations in it cannot go.
    PoolInUse,
}

/// Replaces the offering's plan (already validated and normalized), in `status`. Pools keep
/// what they hold: a quota may not go below the places taken, and a pool with registrations in
/// it may not go.
pub async fn update(
    conn: &mut SqliteConnection,
    before: &Offering,
    plan: &Plan,
    status: OfferingStatus,
) -> Result<Result<(), UpdateRefused>, sqlx::Error> {
    if plan.kind() != before.kind() {
        return Ok(Err(UpdateRefused::Kind));
    }
    for q in &plan.quotas {
        if before
            .pool(q.pool)
            .is_some_and(|p| q.capacity < p.seats_taken)
        {
            return Ok(Err(UpdateRefused::BelowTaken));
        }
    }
    for gone in before
        .plan
        .quotas
        .iter()
        .filter(|q| plan.capacity(q.pool).is_none())
    {
        let used: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM registrations WHERE offering_id = ? AND pool = ?)",
        )
        .bind(&before.id)
        .bind(gone.pool.as_str())
        .fetch_one(&mut *conn)
        .await?;
        if used {
            return Ok(Err(UpdateRefused::PoolInUse));
        }
    }
    let version = super::next_version(conn).await?;
    sqlx::query(
        "UPDATE offerings SET title = ?, summary = ?, category = ?, venue_id = ?, starts_at = ?,
                ends_at = ?, signup_opens_at = ?, signup_closes_at = ?, requires_approval = ?,
                waitlist_enabled = ?, allocation = ?, questions = ?, status = ?, version = ?
          WHERE id = ?",
    )
    .bind(&plan.title)
    .bind(&plan.summary)
    .bind(&plan.category)
    .bind(&plan.venue_id)
    .bind(unix(plan.starts_at))
    .bind(unix(plan.ends_at))
    .bind(plan.signup_opens_at.map(unix))
    .bind(unix(plan.signup_closes_at))
    .bind(plan.requires_approval)
    .bind(plan.waitlist_enabled)
    .bind(plan.allocation.as_str())
    .bind(serde_json::to_string(&plan.questions).unwrap_or_else(|_| "[]".into()))
    .bind(status.as_str())
    .bind(version)
    .bind(&before.id)
    .execute(&mut *conn)
    .await?;
    write_programme(conn, &before.id, &plan.programme).await?;
    sqlx::query(
        "DELETE FROM offering_pools WHERE offering_id = ?
            AND pool NOT IN (SELECT json_extract(value, '$.pool') FROM json_each(?))",
    )
    .bind(&before.id)
    .bind(serde_json::to_string(&plan.quotas).unwrap_or_else(|_| "[]".into()))
    .execute(&mut *conn)
    .await?;
    write_quotas(conn, &before.id, &plan.quotas, version).await?;
    if plan.ends_at != before.plan.ends_at {
        // Each registration's row says when its hours take effect (after the public notice,
        // counted from the end): its owner's devices pull it again.
        let ids: Vec<String> =
            sqlx::query_scalar("SELECT id FROM registrations WHERE offering_id = ?")
                .bind(&before.id)
                .fetch_all(&mut *conn)
                .await?;
        for id in ids {
            let v = super::next_version(conn).await?;
            sqlx::query("UPDATE registrations SET version = ? WHERE id = ?")
                .bind(v)
                .bind(&id)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(Ok(()))
}

/// Each quota's places; a pool already there keeps its counts.
async fn write_quotas(
    conn: &mut SqliteConnection,
    id: &str,
    quotas: &[Quota],
    version: i64,
) -> Result<(), sqlx::Error> {
    for q in quotas {
        sqlx::query(
            "INSERT INTO offering_pools (offering_id, pool, capacity, version) VALUES (?, ?, ?, ?)
             ON CONFLICT (offering_id, pool) DO UPDATE SET capacity = excluded.capacity,
                                                           version = excluded.version",
        )
        .bind(id)
        .bind(q.pool.as_str())
        .bind(q.capacity)
        .bind(version)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The kind's own settings (and a course's lessons), replacing what was there.
async fn write_programme(
    conn: &mut SqliteConnection,
    id: &str,
    programme: &Programme,
) -> Result<(), sqlx::Error> {
    match programme {
        Programme::Activity(a) => {
            sqlx::query(
                "INSERT INTO activity_settings (offering_id, volunteer_hours, planned_hours,
                                                min_share_percent)
                 VALUES (?, ?, ?, ?)
                 ON CONFLICT (offering_id) DO UPDATE SET volunteer_hours = excluded.volunteer_hours,
                     planned_hours = excluded.planned_hours,
                     min_share_percent = excluded.min_share_percent",
            )
            .bind(id)
            .bind(a.volunteer_hours)
            .bind(a.planned_hours)
            .bind(a.min_share_percent)
            .execute(&mut *conn)
            .await?;
        }
        Programme::Course(c) => {
            sqlx::query(
                "INSERT INTO course_settings (offering_id, term, teacher, confirm_hours,
                                              completion_percent, per_term_limit, priority)
                 VALUES (?, ?, ?, ?, ?, ?, ?)
                 ON CONFLICT (offering_id) DO UPDATE SET term = excluded.term,
                     teacher = excluded.teacher, confirm_hours = excluded.confirm_hours,
                     completion_percent = excluded.completion_percent,
                     per_term_limit = excluded.per_term_limit, priority = excluded.priority",
            )
            .bind(id)
            .bind(&c.term)
            .bind(&c.teacher)
            .bind(c.confirm_hours)
            .bind(c.completion_percent)
            .bind(c.per_term_limit)
            .bind(match c.priority {
                Priority::NewLearnersFirst => "new_learners_first",
                Priority::None => "none",
            })
            .execute(&mut *conn)
            .await?;
            sqlx::query("DELETE FROM course_lessons WHERE offering_id = ?")
                .bind(id)
                .execute(&mut *conn)
                .await?;
            for (i, l) in c.lessons.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO course_lessons (offering_id, number, starts_at, ends_at)
                     VALUES (?, ?, ?, ?)",
                )
                .bind(id)
                .bind(i as i64 + 1)
                .bind(unix(l.starts_at))
                .bind(unix(l.ends_at))
                .execute(&mut *conn)
                .await?;
            }
        }
        Programme::Mixer(m) => {
            sqlx::query(
                "INSERT INTO mixer_settings (offering_id, min_age, max_age, picks)
                 VALUES (?, ?, ?, ?)
                 ON CONFLICT (offering_id) DO UPDATE SET min_age = excluded.min_age,
                     max_age = excluded.max_age, picks = excluded.picks",
            )
            .bind(id)
            .bind(m.min_age)
            .bind(m.max_age)
            .bind(m.picks)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

/// An offering's kind, read on the caller's connection (inside its transaction); `None` if
/// there is no such offering.
pub fn kind_of(
    conn: &crate::db::sql::Conn,
    offering_id: &str,
) -> crate::db::sql::Result<Option<OfferingKind>> {
    use crate::db::sql::OptionalExtension;
    let kind: Option<String> = conn
        .prepare_cached("SELECT kind FROM offerings WHERE id = ?1")?
        .query_row([offering_id], |r| r.get(0))
        .optional()?;
    Ok(kind.as_deref().and_then(OfferingKind::parse))
}
