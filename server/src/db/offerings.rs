//! Offerings on the database. A [`Plan`] is written in one place ([`insert`], [`update`]):
//! what all kinds share to `offerings`, what belongs to its kind to that kind's table
//! (`activity_settings`, `course_settings` and `course_lessons`, `mixer_settings`), its quotas
//! to `offering_pools`. It is read back whole in one place ([`assemble`]) for the catalogue, the
//! pull and the admin screens.

use super::pool::{On, args};
use super::sql::{Backend, Result, Row};
use domain::{
    Offering, OfferingKind, OfferingStatus, Plan, PoolCount, PoolKey, Programme, Quota,
    programme::{
        activity::ActivityRules,
        course::{CourseRules, Lesson, Priority},
        mixer::MixerRules,
    },
    registration::Allocation,
};
use std::collections::HashMap;
use time::OffsetDateTime;

/// The columns `offering_columns!` gives, as a constant.
pub const COMMON: &str = offering_columns!();

/// What every offering has, as stored ([`Common::read`] reads it).
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

impl Common {
    /// The row of a statement that selects [`COMMON`] first.
    pub fn read(r: &Row<'_>) -> Result<Self> {
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

/// The JSON array `ids` as one bind, for [`in_list`].
fn id_list(rows: &[Common]) -> String {
    serde_json::to_string(&rows.iter().map(|r| r.id.as_str()).collect::<Vec<_>>())
        .unwrap_or_else(|_| "[]".into())
}

/// `IN` the strings of the JSON array bound as `?1`, in each database's words.
fn in_list(backend: Backend) -> &'static str {
    backend.pick(
        "IN (SELECT value FROM json_each(?1))",
        "IN (SELECT jsonb_array_elements_text(CAST(?1 AS JSONB)))",
    )
}

/// Reads whole offerings for `rows` (their pools, their kind's settings, a course's lessons),
/// each with the version it last changed at (its row's, or a pool's when that is later). A row
/// this build cannot read, or whose schedule lies outside 2000–2099 (stored before the wire
/// refused such times), is left out with a warning.
pub async fn assemble(on: impl Into<On<'_>>, rows: Vec<Common>) -> Result<Vec<(Offering, i64)>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let mut on = on.into();
    let ids = id_list(&rows);
    let in_ids = in_list(on.backend());
    let pools: Vec<(String, String, i64, i64, i64, i64)> = on
        .fetch_all(
            &format!(
                "SELECT offering_id, pool, capacity, seats_taken, waitlist_len, version
                   FROM offering_pools WHERE offering_id {in_ids}
                  ORDER BY offering_id, pool"
            ),
            args![ids],
            |r| r.tuple(),
        )
        .await?;
    let activities: Vec<(String, Option<i64>, Option<i64>, i64)> = on
        .fetch_all(
            &format!(
                "SELECT offering_id, volunteer_hours, planned_hours, min_share_percent
                   FROM activity_settings WHERE offering_id {in_ids}"
            ),
            args![ids],
            |r| r.tuple(),
        )
        .await?;
    let courses: Vec<(String, String, String, i64, i64, i64, String)> = on
        .fetch_all(
            &format!(
                "SELECT offering_id, term, teacher, confirm_hours, completion_percent,
                        per_term_limit, priority
                   FROM course_settings WHERE offering_id {in_ids}"
            ),
            args![ids],
            |r| r.tuple(),
        )
        .await?;
    let lessons: Vec<(String, i64, i64)> = on
        .fetch_all(
            &format!(
                "SELECT offering_id, starts_at, ends_at FROM course_lessons
                  WHERE offering_id {in_ids} ORDER BY offering_id, number"
            ),
            args![ids],
            |r| r.tuple(),
        )
        .await?;
    let mixers: Vec<(String, i64, i64, i64)> = on
        .fetch_all(
            &format!(
                "SELECT offering_id, min_age, max_age, picks
                   FROM mixer_settings WHERE offering_id {in_ids}"
            ),
            args![ids],
            |r| r.tuple(),
        )
        .await?;

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
    for row in &rows {
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
    Ok(out)
}

/// The offering with `id`, drafts included.
pub async fn load(on: impl Into<On<'_>>, id: &str) -> Result<Option<Offering>> {
    let mut on = on.into();
    let rows = on
        .fetch_all(
            concat!(
                "SELECT ",
                offering_columns!(),
                " FROM offerings o WHERE o.id = ?1"
            ),
            args![id],
            Common::read,
        )
        .await?;
    Ok(assemble(on, rows).await?.pop().map(|(o, _)| o))
}

/// Writes a new offering with `plan` (already validated and normalized).
pub async fn insert(
    on: impl Into<On<'_>>,
    id: &str,
    plan: &Plan,
    status: OfferingStatus,
    created_at: i64,
) -> Result<()> {
    let mut on = on.into();
    let version = on.take_versions(1).await?;
    on.execute(
        "INSERT INTO offerings (id, kind, title, summary, category, venue_id, starts_at, ends_at,
                                signup_opens_at, signup_closes_at, requires_approval,
                                waitlist_enabled, allocation, questions, status, created_at,
                                version)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
        args![
            id,
            plan.kind().as_str(),
            plan.title,
            plan.summary,
            plan.category,
            plan.venue_id,
            unix(plan.starts_at),
            unix(plan.ends_at),
            plan.signup_opens_at.map(unix),
            unix(plan.signup_closes_at),
            plan.requires_approval,
            plan.waitlist_enabled,
            plan.allocation.as_str(),
            serde_json::to_string(&plan.questions).unwrap_or_else(|_| "[]".into()),
            status.as_str(),
            created_at,
            version
        ],
    )
    .await?;
    write_programme(on.reborrow(), id, &plan.programme).await?;
    write_quotas(on, id, &plan.quotas, version).await
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
    on: impl Into<On<'_>>,
    before: &Offering,
    plan: &Plan,
    status: OfferingStatus,
) -> Result<Result<(), UpdateRefused>> {
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
    let mut on = on.into();
    for gone in before
        .plan
        .quotas
        .iter()
        .filter(|q| plan.capacity(q.pool).is_none())
    {
        let used: bool = on
            .fetch_one(
                "SELECT EXISTS (SELECT 1 FROM registrations WHERE offering_id = ?1 AND pool = ?2)",
                args![before.id, gone.pool.as_str()],
                |r| r.get(0),
            )
            .await?;
        if used {
            return Ok(Err(UpdateRefused::PoolInUse));
        }
    }
    let version = on.take_versions(1).await?;
    on.execute(
        "UPDATE offerings SET title = ?1, summary = ?2, category = ?3, venue_id = ?4,
                starts_at = ?5, ends_at = ?6, signup_opens_at = ?7, signup_closes_at = ?8,
                requires_approval = ?9, waitlist_enabled = ?10, allocation = ?11,
                questions = ?12, status = ?13, version = ?14
          WHERE id = ?15",
        args![
            plan.title,
            plan.summary,
            plan.category,
            plan.venue_id,
            unix(plan.starts_at),
            unix(plan.ends_at),
            plan.signup_opens_at.map(unix),
            unix(plan.signup_closes_at),
            plan.requires_approval,
            plan.waitlist_enabled,
            plan.allocation.as_str(),
            serde_json::to_string(&plan.questions).unwrap_or_else(|_| "[]".into()),
            status.as_str(),
            version,
            before.id
        ],
    )
    .await?;
    write_programme(on.reborrow(), &before.id, &plan.programme).await?;
    let kept = serde_json::to_string(
        &plan
            .quotas
            .iter()
            .map(|q| q.pool.as_str())
            .collect::<Vec<_>>(),
    )
    .unwrap_or_else(|_| "[]".into());
    on.execute(
        &format!(
            "DELETE FROM offering_pools WHERE pool NOT {} AND offering_id = ?2",
            in_list(on.backend())
        ),
        args![kept, before.id],
    )
    .await?;
    write_quotas(on.reborrow(), &before.id, &plan.quotas, version).await?;
    if plan.ends_at != before.plan.ends_at {
        // Each registration's row says when its hours take effect (after the public notice,
        // counted from the end): its owner's devices pull it again.
        // A version each (a pull pages by version), taken in one step.
        let ids: Vec<String> = on
            .fetch_all(
                "SELECT id FROM registrations WHERE offering_id = ?1 ORDER BY id",
                args![before.id],
                |r| r.get(0),
            )
            .await?;
        if !ids.is_empty() {
            let first = on.take_versions(ids.len() as i64).await?;
            for (v, id) in (first..).zip(ids) {
                on.execute(
                    "UPDATE registrations SET version = ?1 WHERE id = ?2",
                    args![v, id],
                )
                .await?;
            }
        }
    }
    Ok(Ok(()))
}

/// Each quota's places; a pool already there keeps its counts.
async fn write_quotas(mut on: On<'_>, id: &str, quotas: &[Quota], version: i64) -> Result<()> {
    for q in quotas {
        on.execute(
            "INSERT INTO offering_pools (offering_id, pool, capacity, version)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (offering_id, pool) DO UPDATE SET capacity = excluded.capacity,
                                                           version = excluded.version",
            args![id, q.pool.as_str(), q.capacity, version],
        )
        .await?;
    }
    Ok(())
}

/// The kind's own settings (and a course's lessons), replacing what was there.
async fn write_programme(mut on: On<'_>, id: &str, programme: &Programme) -> Result<()> {
    match programme {
        Programme::Activity(a) => {
            on.execute(
                "INSERT INTO activity_settings (offering_id, volunteer_hours, planned_hours,
                                                min_share_percent)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (offering_id) DO UPDATE SET volunteer_hours = excluded.volunteer_hours,
                     planned_hours = excluded.planned_hours,
                     min_share_percent = excluded.min_share_percent",
                args![id, a.volunteer_hours, a.planned_hours, a.min_share_percent],
            )
            .await?;
        }
        Programme::Course(c) => {
            on.execute(
                "INSERT INTO course_settings (offering_id, term, teacher, confirm_hours,
                                              completion_percent, per_term_limit, priority)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (offering_id) DO UPDATE SET term = excluded.term,
                     teacher = excluded.teacher, confirm_hours = excluded.confirm_hours,
                     completion_percent = excluded.completion_percent,
                     per_term_limit = excluded.per_term_limit, priority = excluded.priority",
                args![
                    id,
                    c.term,
                    c.teacher,
                    c.confirm_hours,
                    c.completion_percent,
                    c.per_term_limit,
                    match c.priority {
                        Priority::NewLearnersFirst => "new_learners_first",
                        Priority::None => "none",
                    }
                ],
            )
            .await?;
            on.execute(
                "DELETE FROM course_lessons WHERE offering_id = ?1",
                args![id],
            )
            .await?;
            for (i, l) in c.lessons.iter().enumerate() {
                on.execute(
                    "INSERT INTO course_lessons (offering_id, number, starts_at, ends_at)
                     VALUES (?1, ?2, ?3, ?4)",
                    args![id, i as i64 + 1, unix(l.starts_at), unix(l.ends_at)],
                )
                .await?;
            }
        }
        Programme::Mixer(m) => {
            on.execute(
                "INSERT INTO mixer_settings (offering_id, min_age, max_age, picks)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (offering_id) DO UPDATE SET min_age = excluded.min_age,
                     max_age = excluded.max_age, picks = excluded.picks",
                args![id, m.min_age, m.max_age, m.picks],
            )
            .await?;
        }
    }
    Ok(())
}

/// One registration in the exports (CSV and .xlsx), as [`CsvRow::read`] reads it.
pub struct CsvRow {
    pub display_name: Option<String>,
    pub phone: Option<String>,
    pub walk_in_last4: Option<String>,
    pub status: String,
    pub received_at: i64,
    pub checked_in_at: Option<i64>,
    pub credited_minutes: i64,
    pub answers: String,
}

impl CsvRow {
    /// A row of [`CSV_ROWS`].
    pub fn read(r: &super::sql::Row<'_>) -> Result<Self> {
        Ok(Self {
            display_name: r.get(0)?,
            phone: r.get(1)?,
            walk_in_last4: r.get(2)?,
            status: r.get(3)?,
            received_at: r.get(4)?,
            checked_in_at: r.get(5)?,
            credited_minutes: r.get(6)?,
            answers: r.get(7)?,
        })
    }
}

/// Every registration of an offering, for the CSV and .xlsx exports.
pub const CSV_ROWS: &str =
    "SELECT COALESCE(u.display_name, r.walk_in_name) AS display_name, u.phone, r.walk_in_last4,
            r.status, r.received_at, r.checked_in_at, r.credited_minutes, r.answers
       FROM registrations r LEFT JOIN users u ON u.id = r.user_id
      WHERE r.offering_id = ?1 ORDER BY r.received_at, r.id";

/// Every registration of an offering, for the exports ([`CSV_ROWS`]).
pub async fn export_rows(db: &super::pool::Pool, offering_id: &str) -> Result<Vec<CsvRow>> {
    db.fetch_all(CSV_ROWS, args![offering_id], CsvRow::read)
        .await
}

/// Whether the offering exists (drafts included).
pub async fn exists(on: impl Into<On<'_>>, id: &str) -> Result<bool> {
    on.into()
        .fetch_one(
            "SELECT EXISTS (SELECT 1 FROM offerings WHERE id = ?1)",
            args![id],
            |r| r.get(0),
        )
        .await
}

/// Whether the venue exists.
pub async fn venue_exists(on: impl Into<On<'_>>, id: &str) -> Result<bool> {
    Ok(on
        .into()
        .fetch_optional("SELECT id FROM venues WHERE id = ?1", args![id], |r| {
            r.get::<_, String>(0)
        })
        .await?
        .is_some())
}

/// How many of an offering's registrations wait for review.
pub(crate) const PENDING: &str =
    "SELECT COUNT(*) FROM registrations WHERE offering_id = ?1 AND status = 'pending_review'";

/// What only admins see beside an offering: its pending reviews and its organizers.
pub async fn for_admin(
    on: impl Into<On<'_>>,
    offering: Offering,
) -> Result<domain::admin::AdminOffering> {
    let mut on = on.into();
    let pending: i64 = on
        .fetch_one(PENDING, args![offering.id], |r| r.get(0))
        .await?;
    let organizer_ids: Vec<String> = on
        .fetch_all(
            "SELECT user_id FROM organizer_assignments WHERE offering_id = ?1 ORDER BY user_id",
            args![offering.id],
            |r| r.get(0),
        )
        .await?;
    Ok(domain::admin::AdminOffering {
        offering,
        pending_reviews: u32::try_from(pending).unwrap_or(0),
        organizer_ids,
    })
}

/// Every offering, drafts and cancelled ones too, soonest first, each with what only admins
/// see beside it (as [`for_admin`] gives one): four statements whatever the number.
pub async fn all_for_admin(db: &super::pool::Pool) -> Result<Vec<domain::admin::AdminOffering>> {
    const ALL: &str = concat!(
        "SELECT ",
        offering_columns!(),
        " FROM offerings o ORDER BY o.starts_at, o.id"
    );
    let rows = db.fetch_all(ALL, args![], Common::read).await?;
    let offerings = assemble(db, rows).await?;
    let mut pending: HashMap<String, i64> = db
        .fetch_all(
            "SELECT offering_id, COUNT(*) FROM registrations WHERE status = 'pending_review'
              GROUP BY offering_id",
            args![],
            |r| r.tuple(),
        )
        .await?
        .into_iter()
        .collect();
    let mut organizers: HashMap<String, Vec<String>> = HashMap::new();
    let assignments: Vec<(String, String)> = db
        .fetch_all(
            "SELECT offering_id, user_id FROM organizer_assignments
              WHERE offering_id IS NOT NULL ORDER BY offering_id, user_id",
            args![],
            |r| r.tuple(),
        )
        .await?;
    for (offering_id, user_id) in assignments {
        organizers.entry(offering_id).or_default().push(user_id);
    }
    Ok(offerings
        .into_iter()
        .map(|(offering, _)| domain::admin::AdminOffering {
            pending_reviews: u32::try_from(pending.remove(&offering.id).unwrap_or(0)).unwrap_or(0),
            organizer_ids: organizers.remove(&offering.id).unwrap_or_default(),
            offering,
        })
        .collect())
}

/// Every venue, by name.
pub async fn venues(db: &super::pool::Pool) -> Result<Vec<domain::Venue>> {
    db.fetch_all(
        "SELECT id, name, address FROM venues ORDER BY name",
        args![],
        |r| {
            Ok(domain::Venue {
                id: r.get(0)?,
                name: r.get(1)?,
                address: r.get(2)?,
            })
        },
    )
    .await
}

/// The organizers who run either venue (each once).
pub async fn venue_organizers(on: impl Into<On<'_>>, a: &str, b: &str) -> Result<Vec<String>> {
    on.into()
        .fetch_all(
            "SELECT DISTINCT user_id FROM organizer_assignments WHERE venue_id IN (?1, ?2)
              ORDER BY user_id",
            args![a, b],
            |r| r.get(0),
        )
        .await
}

/// Publishes the offering (its devices pull it again).
pub async fn publish(on: impl Into<On<'_>>, id: &str) -> Result<()> {
    let mut on = on.into();
    let version = on.take_versions(1).await?;
    on.execute(
        "UPDATE offerings SET status = 'published', version = ?1 WHERE id = ?2",
        args![version, id],
    )
    .await?;
    Ok(())
}

/// Writes the offering's organizers; everyone whose rosters change downloads again.
pub async fn assign(
    on: impl Into<On<'_>>,
    offering_id: &str,
    organizer_ids: &[String],
) -> Result<()> {
    let mut on = on.into();
    let before: Vec<String> = on
        .fetch_all(
            "SELECT user_id FROM organizer_assignments WHERE offering_id = ?1",
            args![offering_id],
            |r| r.get(0),
        )
        .await?;
    on.execute(
        "DELETE FROM organizer_assignments WHERE offering_id = ?1",
        args![offering_id],
    )
    .await?;
    for id in organizer_ids {
        on.execute(
            "INSERT INTO organizer_assignments (user_id, offering_id) VALUES (?1, ?2)
             ON CONFLICT DO NOTHING",
            args![id, offering_id],
        )
        .await?;
    }
    let mut changed: Vec<&String> = before.iter().chain(organizer_ids).collect();
    changed.sort();
    changed.dedup();
    for user in changed {
        let in_before = before.contains(user);
        let in_after = organizer_ids.contains(user);
        if in_before != in_after {
            super::users::see_anew(on.reborrow(), user).await?;
        }
    }
    Ok(())
}

/// Registrations in `status` (of one offering, or of all), oldest first, at most 1000, with the
/// answers and who the person is; a row in a status this build cannot read is left out.
pub async fn reviews(
    db: &super::pool::Pool,
    status: &str,
    offering_id: Option<&str>,
) -> Result<Vec<domain::admin::ReviewItem>> {
    use domain::programme::mixer::{MixerProfile, ReviewProfile};
    use domain::registration::RegistrationStatus;
    let rows = db
        .fetch_all(
            "SELECT r.id, r.offering_id, o.title, COALESCE(u.display_name, r.walk_in_name),
                    u.phone, u.birth_year, r.answers, r.status, r.received_at,
                    CASE WHEN o.kind = 'mixer' THEN mp.profile END
               FROM registrations r JOIN offerings o ON o.id = r.offering_id
               LEFT JOIN users u ON u.id = r.user_id
               LEFT JOIN mixer_profiles mp ON mp.user_id = r.user_id
              WHERE r.status = ?1 AND (CAST(?2 AS TEXT) IS NULL OR r.offering_id = ?2)
              ORDER BY r.received_at, r.id LIMIT 1000",
            args![status, offering_id],
            |r| {
                let status: String = r.get(7)?;
                let Some(status) = RegistrationStatus::parse(&status) else {
                    return Ok(None);
                };
                Ok(Some(domain::admin::ReviewItem {
                    registration_id: r.get(0)?,
                    offering_id: r.get(1)?,
                    offering_title: r.get(2)?,
                    display_name: r
                        .get::<_, Option<String>>(3)?
                        .unwrap_or_else(|| "已注销".into()),
                    phone: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
                    birth_year: r
                        .get::<_, Option<i64>>(5)?
                        .and_then(|y| i32::try_from(y).ok())
                        .unwrap_or(0),
                    answers: serde_json::from_str(&r.get::<_, String>(6)?).unwrap_or_default(),
                    status,
                    received_at: r.get(8)?,
                    // A mixer's reviewer reads the profile; never its contact.
                    profile: r
                        .get::<_, Option<String>>(9)?
                        .and_then(|p| serde_json::from_str::<MixerProfile>(&p).ok())
                        .map(|p| ReviewProfile::from(&p)),
                }))
            },
        )
        .await?;
    Ok(rows.into_iter().flatten().collect())
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
