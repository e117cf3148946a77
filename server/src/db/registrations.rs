//! The registration core on the database: every function runs on the sync writer's connection
//! inside its transaction, and seats are taken with a conditional update, never by reading a
//! count and writing it back.
//!
//! A refused mutation writes nothing: every refusal is decided before the first write, so a push
//! needs no savepoint per mutation (see `sync::push`).

use crate::db::sql::{OptionalExtension, Row, params};
use crate::db::writing::Writing;
use domain::registration::{Allocation, Decision, MutationError, RegistrationStatus, RejectReason};
use domain::signup::{Applicant, Route, Rules, admission, when_full};
use domain::sync::RequestArgs;
use domain::{OfferingKind, OfferingStatus, PoolKey};
use std::sync::LazyLock;

/// `status IN (…)` for the statuses that are still in play, written from domain's one
/// definition (`RegistrationStatus::LIVE`); `registrations_one_live` indexes the same list.
pub static LIVE_STATUS: LazyLock<String> = LazyLock::new(|| {
    format!(
        "status IN ({})",
        RegistrationStatus::sql_list(&RegistrationStatus::LIVE)
    )
});

/// An offering's sign-up rules, the state of the pool a request would take its place from
/// (`?3`, or the offering's one pool when none is given), whether the person asking (`?2`)
/// already holds a live place, and for a course the person's term limit and the course's draw
/// code (`course::TERM_FULL`, `course::DRAW_CODE`; `NULL` for other kinds), in one statement:
/// an application reads nothing else before its insert. The live check writes out the
/// predicate of `registrations_one_live`, so SQLite may use that unique index (two lookups)
/// instead of reading every registration of the offering: without it a rush is quadratic
/// (found by the benchmark; `live_check_uses_its_index` keeps it so).
pub(crate) static RULES_AND_LIVE: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT o.status, o.kind, o.waitlist_enabled, o.requires_approval, o.allocation,
                o.signup_opens_at, o.signup_closes_at, o.questions,
                p.pool, p.capacity, p.seats_taken, p.waitlist_len,
                EXISTS (SELECT 1 FROM registrations
                         WHERE offering_id = ?1 AND user_id = ?2 AND {live}) AS live,
                {term_full} AS term_full,
                {draw_code} AS draw_code
           FROM offerings o
           LEFT JOIN offering_pools p ON p.offering_id = o.id AND p.pool = COALESCE(?3, 'all')
          WHERE o.id = ?1 AND o.status <> 'draft'",
        live = *LIVE_STATUS,
        term_full = *super::course::TERM_FULL,
        draw_code = super::course::DRAW_CODE,
    )
});

/// The sign-up rules of an offering as its columns hold them, from column `first` on:
/// `status, kind, waitlist_enabled, requires_approval, allocation, signup_opens_at,
/// signup_closes_at`.
pub(crate) fn rules_from_row(r: &Row<'_>, first: usize) -> crate::db::sql::Result<Rules> {
    let status: String = r.get(first)?;
    let kind: String = r.get(first + 1)?;
    let allocation: String = r.get(first + 4)?;
    Ok(Rules {
        kind: OfferingKind::parse(&kind).unwrap_or(OfferingKind::Activity),
        // An unknown status is not open.
        status: OfferingStatus::parse(&status).unwrap_or(OfferingStatus::Draft),
        waitlist_enabled: r.get(first + 2)?,
        requires_approval: r.get(first + 3)?,
        allocation: Allocation::parse(&allocation).unwrap_or_default(),
        opens_at: r.get(first + 5)?,
        closes_at: r.get(first + 6)?,
    })
}

struct Offer {
    rules: Rules,
    questions: String,
    /// The pool the request is for, with its counters; `None`: the offering has no pool for
    /// the person.
    pool: Option<(PoolKey, Counters)>,
    live: bool,
    /// A course's: the person holds as many places in its term as the term allows.
    term_full: bool,
    /// A lottery course's draw code as its numbers spell it (none before its first).
    draw_code: Option<String>,
}

impl Offer {
    fn from_row(r: &Row<'_>) -> crate::db::sql::Result<Self> {
        let pool: Option<String> = r.get(8)?;
        let pool = match pool.as_deref().and_then(PoolKey::parse) {
            Some(key) => Some((key, Counters::from_row(r, 9)?)),
            None => None,
        };
        Ok(Self {
            rules: rules_from_row(r, 0)?,
            questions: r.get(7)?,
            pool,
            live: r.get(12)?,
            term_full: r.get::<_, Option<bool>>(13)?.unwrap_or(false),
            draw_code: r.get(14)?,
        })
    }
}

struct RegRow {
    user_id: Option<String>,
    offering_id: String,
    pool: PoolKey,
    status: String,
    waitlist_position: Option<i64>,
    reject_reason: Option<String>,
}

impl RegRow {
    fn status(&self) -> RegistrationStatus {
        RegistrationStatus::parse(&self.status).unwrap_or(RegistrationStatus::Rejected)
    }

    fn decision(&self) -> Decision {
        Decision {
            status: self.status(),
            waitlist_position: self.waitlist_position.and_then(|p| u32::try_from(p).ok()),
            reason: self.reject_reason.as_deref().and_then(RejectReason::parse),
        }
    }
}

/// A registration by id (held by [`Writing`]).
pub(crate) const FIND: &str =
    "SELECT user_id, offering_id, pool, status, waitlist_position, reject_reason
       FROM registrations WHERE id = ?1";

/// A new registration (held by [`Writing`]).
pub(crate) const INSERT: &str =
    "INSERT INTO registrations (id, offering_id, user_id, pool, status, waitlist_position,
                                reject_reason, answers, created_at, received_at, updated_at,
                                version, application_no)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11, ?12)";

/// A place from a pool, if one is free (held by [`Writing`]).
pub(crate) const TAKE_SEAT: &str =
    "UPDATE offering_pools SET seats_taken = seats_taken + 1, version = ?1
      WHERE offering_id = ?2 AND pool = ?3 AND seats_taken < capacity";

/// A place on a pool's waitlist (held by [`Writing`]).
pub(crate) const JOIN_WAITLIST: &str = "UPDATE offering_pools
        SET waitlist_len = waitlist_len + 1, version = ?1 WHERE offering_id = ?2 AND pool = ?3";

/// [`OWN_REGISTRATIONS`] around the expression of a registration's lessons attended.
macro_rules! own_registrations {
    ($db:ident) => {
        concat!(
            "SELECT r.id, r.offering_id, r.status, r.waitlist_position, r.reject_reason,
            r.created_at, r.received_at, r.note, r.checked_in_at, r.present_minutes,
            r.credited_minutes, r.hours_flags, u.display_name, r.version, r.application_no,
            r.confirm_by, ",
            lessons_attended!($db),
            " AS lessons_attended,
            (SELECT COUNT(*) FROM course_lessons l WHERE l.offering_id = r.offering_id)
              AS lesson_count,
            cs.completion_percent, cs.term, o.title, cr.stars, cr.comment, r.pool, o.kind,
            o.ends_at
       FROM registrations r JOIN users u ON u.id = r.user_id
       JOIN offerings o ON o.id = r.offering_id
       LEFT JOIN course_settings cs ON cs.offering_id = r.offering_id
       LEFT JOIN course_ratings cr ON cr.registration_id = r.id
      WHERE r.user_id = ?1 AND r.version > ?2 ORDER BY r.version LIMIT ?3"
        )
    };
}

/// A page of a person's own registrations changed after a cursor (`?1` the person, `?2` the
/// cursor, `?3` the page's size), each with the lessons attended as `1,2,5`.
pub(crate) const OWN_REGISTRATIONS: &str = own_registrations!(sqlite);

/// [`OWN_REGISTRATIONS`] for PostgreSQL (`string_agg` for `group_concat`).
pub(crate) const OWN_REGISTRATIONS_PG: &str = own_registrations!(postgres);

/// An offering's live registrations, in the order they arrived (`GET …/roster`): the
/// registration, the person's name and phone (none once the account is deleted), the status.
pub const ROSTER: &str = "SELECT r.id, u.display_name, u.phone, r.status
       FROM registrations r LEFT JOIN users u ON u.id = r.user_id
      WHERE r.offering_id = ?1 AND r.status NOT IN ('cancelled', 'rejected')
      ORDER BY r.received_at, r.id";

fn find(w: &Writing<'_>, id: &str) -> crate::db::sql::Result<Option<RegRow>> {
    w.find_registration
        .borrow_mut()
        .query_row([id], |r| {
            let pool: String = r.get(2)?;
            Ok(RegRow {
                user_id: r.get(0)?,
                offering_id: r.get(1)?,
                pool: PoolKey::parse(&pool).unwrap_or(PoolKey::All),
                status: r.get(3)?,
                waitlist_position: r.get(4)?,
                reject_reason: r.get(5)?,
            })
        })
        .optional()
}

/// `registration.request`: decides with `domain::signup` and records. A repeated request
/// (same id, same person, same offering) answers the registration's current state and changes
/// nothing.
pub fn request(
    w: &Writing<'_>,
    user_id: &str,
    args: &RequestArgs,
    created_at_ms: i64,
    now: i64,
) -> crate::db::sql::Result<Result<Decision, MutationError>> {
    if let Some(existing) = find(w, &args.registration_id)? {
        let same = existing.user_id.as_deref() == Some(user_id)
            && existing.offering_id == args.offering_id;
        return Ok(if same {
            Ok(existing.decision())
        } else {
            Err(MutationError::IdConflict)
        });
    }
    // The pool for the person: the offering's one pool; a mixer's, the pool of the gender in
    // the person's mixer profile (read again for that pool, for mixers only), unless the
    // mixer's conditions keep them out.
    let read = |wanted: Option<&str>| {
        w.rules_and_live
            .borrow_mut()
            .query_row(params![args.offering_id, user_id, wanted], Offer::from_row)
            .optional()
    };
    let Some(mut offer) = read(None)? else {
        return Ok(Err(MutationError::UnknownOffering));
    };
    let mut ineligible = None;
    if offer.rules.kind == OfferingKind::Mixer {
        let year = time::OffsetDateTime::from_unix_timestamp(now).map_or(1970, |t| t.year());
        match super::mixer::eligibility(w, &args.offering_id, user_id, year)? {
            Ok(pool) => match read(Some(pool.as_str()))? {
                Some(o) => offer = o,
                None => return Ok(Err(MutationError::UnknownOffering)),
            },
            Err(reason) => ineligible = Some(reason),
        }
    }
    let questions: Vec<domain::questions::Question> =
        serde_json::from_str(&offer.questions).unwrap_or_default();
    if domain::questions::check_answers(&questions, &args.answers).is_err() {
        return Ok(Err(MutationError::BadAnswers));
    }
    let applicant = Applicant {
        has_live: offer.live,
        pool: offer.pool.map(|(key, _)| key),
        // Only a course has a limit per term (read with the rules).
        term_full: offer.term_full,
        ineligible,
    };
    let route = admission(&offer.rules, &applicant, now);
    // An application for a draw gets its public number, under the course's draw code.
    let draw_code = match route {
        Ok(Route::Lottery(_)) => Some(super::course::draw_code(offer.draw_code.as_deref())),
        _ => None,
    };
    // Every version this request writes, taken at once: the pool's (for a place) first, then
    // the registration's.
    let seats = matches!(route, Ok(Route::Seat(_)));
    let first = w.take_versions(if seats { 2 } else { 1 })?;
    let decision = match (route, offer.pool) {
        (Err(reason), _) => Decision::rejected(reason),
        (Ok(Route::Review(_)), _) => Decision::status(RegistrationStatus::PendingReview),
        (Ok(Route::Lottery(_)), _) => Decision::status(RegistrationStatus::LotteryEntered),
        (Ok(Route::Seat(pool)), Some((_, counters))) => seat_or_wait(
            w,
            &args.offering_id,
            pool,
            offer.rules.waitlist_enabled,
            first,
            counters,
        )?,
        (Ok(Route::Seat(_)), None) => Decision::rejected(RejectReason::NotEligible),
    };
    let version = if seats { first + 1 } else { first };
    let answers = serde_json::to_string(&args.answers).unwrap_or_else(|_| "{}".into());
    let pool = applicant.pool.unwrap_or(PoolKey::All);
    let insert = |application_no: Option<&str>| {
        w.insert_registration.borrow_mut().execute(params![
            args.registration_id,
            args.offering_id,
            user_id,
            pool.as_str(),
            decision.status.as_str(),
            decision.waitlist_position,
            decision.reason.map(RejectReason::as_str),
            answers,
            created_at_ms,
            now,
            version,
            application_no,
        ])
    };
    match draw_code {
        Some(code) => super::course::insert_with_number(w, &args.offering_id, code, |number| {
            insert(Some(number))
        })?,
        None => insert(None)?,
    };
    Ok(Ok(decision))
}

/// A pool's counters, as read earlier in the same transaction.
#[derive(Debug, Clone, Copy)]
pub struct Counters {
    pub capacity: i64,
    pub seats_taken: i64,
    pub waitlist_len: i64,
}

impl Counters {
    /// The counters from columns `first`, `first + 1` and `first + 2` of `row`: `capacity`,
    /// `seats_taken`, `waitlist_len`.
    pub fn from_row(row: &Row<'_>, first: usize) -> crate::db::sql::Result<Self> {
        Ok(Self {
            capacity: row.get(first)?,
            seats_taken: row.get(first + 1)?,
            waitlist_len: row.get(first + 2)?,
        })
    }

    /// A pool's counters, read in the caller's transaction.
    pub fn of(
        w: &Writing<'_>,
        offering_id: &str,
        pool: PoolKey,
    ) -> crate::db::sql::Result<Option<Self>> {
        w.prepare_cached(
            "SELECT capacity, seats_taken, waitlist_len FROM offering_pools
              WHERE offering_id = ?1 AND pool = ?2",
        )?
        .query_row(params![offering_id, pool.as_str()], |r| {
            Self::from_row(r, 0)
        })
        .optional()
    }
}

/// Takes a place from `pool` with a conditional update; when none is free, a place on the
/// pool's waitlist (if the offering has one) or a refusal as full. The pool is stamped with
/// `version`, which the caller has taken.
///
/// The caller has read the pool's `known` counters earlier in this transaction, which no one
/// else can write in: a full pool skips the update that would change nothing, and the waitlist
/// place is known without reading it back (in a rush, when nearly everyone is waitlisted, two
/// statements fewer per request).
pub fn seat_or_wait(
    w: &Writing<'_>,
    offering_id: &str,
    pool: PoolKey,
    waitlist_enabled: bool,
    version: i64,
    known: Counters,
) -> crate::db::sql::Result<Decision> {
    if known.seats_taken < known.capacity {
        let seated =
            w.take_seat
                .borrow_mut()
                .execute(params![version, offering_id, pool.as_str()])?;
        if seated == 1 {
            return Ok(Decision::status(RegistrationStatus::Confirmed));
        }
    }
    let decision = when_full(
        waitlist_enabled,
        u32::try_from(known.waitlist_len + 1).unwrap_or(u32::MAX),
    );
    if decision.status == RegistrationStatus::Waitlisted {
        w.join_waitlist
            .borrow_mut()
            .execute(params![version, offering_id, pool.as_str()])?;
    }
    Ok(decision)
}

/// `registration.cancel` by its owner (`Some(user)`) or by the system (`None`, e.g. when an
/// account is deleted). A place given up goes to the head of its pool's waitlist in the same
/// transaction; everyone behind a freed waitlist place moves up.
pub fn cancel(
    w: &Writing<'_>,
    owner: Option<&str>,
    registration_id: &str,
    now: i64,
) -> crate::db::sql::Result<Result<(), MutationError>> {
    let Some(reg) = find(w, registration_id)? else {
        return Ok(Err(MutationError::UnknownRegistration));
    };
    if owner.is_some_and(|o| reg.user_id.as_deref() != Some(o)) {
        return Ok(Err(MutationError::UnknownRegistration));
    }
    let status = reg.status();
    if status == RegistrationStatus::Cancelled {
        return Ok(Ok(()));
    }
    if !status.is_cancellable() {
        return Ok(Err(MutationError::NotCancellable));
    }
    // An application stays in its course's frozen list: the list's hash is published.
    if status == RegistrationStatus::LotteryEntered
        && super::course::is_frozen(w, &reg.offering_id)?
    {
        return Ok(Err(MutationError::NotCancellable));
    }
    let version = w.take_versions(1)?;
    w.prepare_cached(
        "UPDATE registrations SET status = 'cancelled', waitlist_position = NULL,
                                  confirm_by = NULL, updated_at = ?1, version = ?2
          WHERE id = ?3",
    )?
    .execute(params![now, version, registration_id])?;
    match status {
        // A place won holds its place like a confirmed one.
        RegistrationStatus::Confirmed | RegistrationStatus::Won => {
            free_seat(w, &reg.offering_id, reg.pool, now)?
        }
        RegistrationStatus::Waitlisted => {
            if let Some(p) = reg.waitlist_position {
                leave_waitlist(w, &reg.offering_id, reg.pool, p)?;
            }
        }
        _ => {}
    }
    Ok(Ok(()))
}

/// What cancelling an offering did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfferingCancelled {
    /// There is no such offering.
    Unknown,
    /// It was cancelled already: nothing changed.
    Already,
    /// Cancelled, with this many registrations.
    Now(usize),
}

/// Cancels an offering (admins): every live registration is cancelled with the reason as its
/// note (each registrant's devices get it by pull), every pool emptied, the offering marked
/// cancelled with the reason.
pub fn cancel_offering(
    w: &Writing<'_>,
    offering_id: &str,
    reason: &str,
    now: i64,
) -> crate::db::sql::Result<OfferingCancelled> {
    let status: Option<String> = w
        .prepare_cached("SELECT status FROM offerings WHERE id = ?1")?
        .query_row([offering_id], |r| r.get(0))
        .optional()?;
    match status.as_deref().and_then(OfferingStatus::parse) {
        None => return Ok(OfferingCancelled::Unknown),
        Some(OfferingStatus::Cancelled) => return Ok(OfferingCancelled::Already),
        Some(_) => {}
    }
    let live: Vec<String> = w
        .prepare_cached(&LIVE_OF_OFFERING)?
        .query_map([offering_id], |r| r.get(0))?
        .collect::<crate::db::sql::Result<_>>()?;
    let first = w.take_versions(live.len() as i64 + 1)?;
    for (i, id) in live.iter().enumerate() {
        w.prepare_cached(
            "UPDATE registrations SET status = 'cancelled', waitlist_position = NULL, note = ?1,
                                      updated_at = ?2, version = ?3
              WHERE id = ?4",
        )?
        .execute(params![reason, now, first + 1 + i as i64, id])?;
    }
    w.prepare_cached(
        "UPDATE offerings SET status = 'cancelled', cancel_reason = ?1, version = ?2 WHERE id = ?3",
    )?
    .execute(params![reason, first, offering_id])?;
    w.prepare_cached(
        "UPDATE offering_pools SET seats_taken = 0, waitlist_len = 0, version = ?1
          WHERE offering_id = ?2",
    )?
    .execute(params![first, offering_id])?;
    Ok(OfferingCancelled::Now(live.len()))
}

/// An offering's registrations still holding or waiting for a place.
pub(crate) static LIVE_OF_OFFERING: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT id FROM registrations WHERE offering_id = ?1 AND {} ORDER BY id",
        *LIVE_STATUS
    )
});

/// The head of a pool's waitlist.
const WAITLIST_HEAD: &str = "SELECT id, waitlist_position FROM registrations
      WHERE offering_id = ?1 AND pool = ?2 AND status = 'waitlisted'
      ORDER BY waitlist_position LIMIT 1";

/// How many wait behind a place on a pool's waitlist.
const WAITLIST_BEHIND: &str = "SELECT COUNT(*) FROM registrations
      WHERE offering_id = ?1 AND pool = ?2 AND status = 'waitlisted' AND waitlist_position > ?3";

/// Everyone behind a place moves up one, each with a version of their own from `?1` on.
const WAITLIST_MOVE_UP: &str = "UPDATE registrations
        SET waitlist_position = waitlist_position - 1,
            version = ?1 + (waitlist_position - ?4)
      WHERE offering_id = ?2 AND pool = ?3 AND status = 'waitlisted' AND waitlist_position > ?4";

/// Gives a freed place to the head of its pool's waitlist, or returns it to the pool.
fn free_seat(
    conn: &Writing<'_>,
    offering_id: &str,
    pool: PoolKey,
    now: i64,
) -> crate::db::sql::Result<()> {
    let head: Option<(String, i64)> = conn
        .prepare_cached(WAITLIST_HEAD)?
        .query_row(params![offering_id, pool.as_str()], |r| r.tuple())
        .optional()?;
    let version = conn.take_versions(1)?;
    match head {
        // A course offers the place, to be confirmed by a deadline; other kinds give it.
        Some((id, position)) if super::course::is_course(conn, offering_id)? => {
            super::course::offer_place(conn, &id, offering_id, now, version)?;
            leave_waitlist(conn, offering_id, pool, position)
        }
        Some((id, position)) => {
            conn.prepare_cached(
                "UPDATE registrations SET status = 'confirmed', waitlist_position = NULL,
                                          updated_at = ?1, version = ?2
                  WHERE id = ?3",
            )?
            .execute(params![now, version, id])?;
            leave_waitlist(conn, offering_id, pool, position)
        }
        None => {
            conn.prepare_cached(
                "UPDATE offering_pools SET seats_taken = seats_taken - 1, version = ?1
                  WHERE offering_id = ?2 AND pool = ?3 AND seats_taken > 0",
            )?
            .execute(params![version, offering_id, pool.as_str()])?;
            Ok(())
        }
    }
}

/// Closes the gap left at `position` on a pool's waitlist: everyone behind moves up one place.
/// Each moved row takes its own version, so a pull page never splits rows of one version.
fn leave_waitlist(
    conn: &Writing<'_>,
    offering_id: &str,
    pool: PoolKey,
    position: i64,
) -> crate::db::sql::Result<()> {
    let behind: i64 = conn
        .prepare_cached(WAITLIST_BEHIND)?
        .query_row(params![offering_id, pool.as_str(), position], |r| r.get(0))?;
    let first = conn.take_versions(behind + 1)?;
    conn.prepare_cached(WAITLIST_MOVE_UP)?.execute(params![
        first,
        offering_id,
        pool.as_str(),
        position
    ])?;
    conn.prepare_cached(
        "UPDATE offering_pools SET waitlist_len = waitlist_len - 1, version = ?1
          WHERE offering_id = ?2 AND pool = ?3 AND waitlist_len > 0",
    )?
    .execute(params![first, offering_id, pool.as_str()])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_live_check_uses_its_unique_index() {
        let plan = crate::db::query_plan(&RULES_AND_LIVE).await;
        assert!(
            plan.iter()
                .any(|step| step.contains("registrations_one_live")),
            "{plan:#?}"
        );
    }

    #[tokio::test]
    async fn the_indexes_that_repeated_others_are_gone() {
        let (_dir, db) = crate::db::test_database().await;
        let indexes: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'registrations'
              ORDER BY name",
        )
        .fetch_all(&db.pool)
        .await
        .unwrap();
        assert_eq!(
            indexes,
            [
                // Night school (0009), both partial: a course's numbers unique within it, and
                // the deadline sweep's places still to confirm.
                "registrations_application_no",
                // Mixers (0010), partial: badge numbers unique per gender in a mixer.
                "registrations_badge",
                "registrations_by_offering_version",
                "registrations_by_user_version",
                "registrations_confirm_by",
                // The committee's numbers (0013): an offering's registrations by status with
                // check-in and minutes, read from the index alone.
                "registrations_numbers",
                "registrations_one_live",
                "registrations_open_checkin",
                "registrations_waitlist",
                "sqlite_autoindex_registrations_1",
            ]
        );
    }

    /// Every lookup of registrations by offering or by person goes through an index (after
    /// migration 0006 dropped the two that only repeated others' leading columns).
    #[tokio::test]
    async fn registrations_use_their_indexes() {
        use crate::db::{assert_registrations_by_index, query_plan};
        for sql in [
            WAITLIST_HEAD,
            WAITLIST_BEHIND,
            WAITLIST_MOVE_UP,
            OWN_REGISTRATIONS,
            // What SQLite itself runs for the foreign keys: deleting a person (ON DELETE SET
            // NULL) and checking an offering has no registrations left before deleting it.
            "UPDATE registrations SET user_id = NULL WHERE user_id = ?1",
            "SELECT 1 FROM registrations WHERE offering_id = ?1",
            &LIVE_OF_OFFERING,
        ] {
            assert_registrations_by_index(&query_plan(sql).await);
        }
    }

    /// "Live" is defined once, in domain: the index that keeps one live registration per
    /// person and offering (a migration, written by hand) must say the same.
    #[tokio::test]
    async fn the_one_live_index_uses_domains_definition_of_live() {
        let (_dir, db) = crate::db::test_database().await;
        let sql: String = sqlx::query_scalar(
            "SELECT sql FROM sqlite_master WHERE name = 'registrations_one_live'",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        let squeezed: String = sql.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(squeezed.ends_with(&*LIVE_STATUS), "{squeezed}");
    }
}
