//! The registration core on the database: every function runs on the sync writer's connection
//! inside its transaction, and seats are taken with a conditional update, never by reading a
//! count and writing it back.
//!
//! A refused mutation writes nothing: every refusal is decided before the first write, so a push
//! needs no savepoint per mutation (see `sync::push`).

use crate::db::writing::Writing;
use domain::registration::{
    Allocation, Decision, MutationError, RegistrationStatus, RejectReason, Route, Rules, admission,
    when_no_seat,
};
use domain::sync::RequestArgs;
use rusqlite::{OptionalExtension, Row, params};

/// An offering's sign-up rules, and whether the person asking already holds a live place, in one
/// statement. The live check writes the terms of `registrations_one_live`'s WHERE out, so SQLite
/// may use that unique index (two lookups) instead of reading every registration of the
/// offering: without it a rush is quadratic (found by the benchmark; `live_check_uses_its_index`
/// keeps it so).
pub(crate) const RULES_AND_LIVE: &str = "
    SELECT status, capacity, waitlist_enabled, requires_approval, allocation,
           signup_opens_at, signup_closes_at, questions, seats_taken, waitlist_len,
           EXISTS (SELECT 1 FROM registrations
                    WHERE offering_id = ?1 AND user_id = ?2
                      AND status NOT IN ('cancelled', 'rejected')
                      AND status <> 'not_drawn') AS live
      FROM offerings WHERE id = ?1 AND status <> 'draft'";

struct Offer {
    rules: Rules,
    questions: String,
    counters: Counters,
    live: bool,
}

impl Offer {
    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        let status: String = r.get(0)?;
        let allocation: String = r.get(4)?;
        Ok(Self {
            rules: Rules {
                open_for_signup: status == "published",
                capacity: u32::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
                waitlist_enabled: r.get(2)?,
                requires_approval: r.get(3)?,
                allocation: Allocation::parse(&allocation).unwrap_or_default(),
                signup_opens_at: r.get(5)?,
                signup_closes_at: r.get(6)?,
            },
            questions: r.get(7)?,
            counters: Counters {
                capacity: r.get(1)?,
                seats_taken: r.get(8)?,
                waitlist_len: r.get(9)?,
            },
            live: r.get(10)?,
        })
    }
}

struct RegRow {
    user_id: Option<String>,
    offering_id: String,
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
    "SELECT user_id, offering_id, status, waitlist_position, reject_reason
       FROM registrations WHERE id = ?1";

/// A new registration (held by [`Writing`]).
pub(crate) const INSERT: &str =
    "INSERT INTO registrations (id, offering_id, user_id, status, waitlist_position,
                                reject_reason, answers, created_at, received_at, updated_at,
                                version)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10)";

/// A seat, if one is free (held by [`Writing`]).
pub(crate) const TAKE_SEAT: &str =
    "UPDATE offerings SET seats_taken = seats_taken + 1, version = ?1
      WHERE id = ?2 AND seats_taken < capacity";

/// A waitlist place (held by [`Writing`]).
pub(crate) const JOIN_WAITLIST: &str =
    "UPDATE offerings SET waitlist_len = waitlist_len + 1, version = ?1 WHERE id = ?2";

fn find(w: &Writing<'_>, id: &str) -> rusqlite::Result<Option<RegRow>> {
    w.find_registration
        .borrow_mut()
        .query_row([id], |r| {
            Ok(RegRow {
                user_id: r.get(0)?,
                offering_id: r.get(1)?,
                status: r.get(2)?,
                waitlist_position: r.get(3)?,
                reject_reason: r.get(4)?,
            })
        })
        .optional()
}

/// `registration.request`: decides and records. A repeated request (same id, same person,
/// same offering) answers the registration's current state and changes nothing.
pub fn request(
    w: &Writing<'_>,
    user_id: &str,
    args: &RequestArgs,
    created_at_ms: i64,
    now: i64,
) -> rusqlite::Result<Result<Decision, MutationError>> {
    if let Some(existing) = find(w, &args.registration_id)? {
        let same = existing.user_id.as_deref() == Some(user_id)
            && existing.offering_id == args.offering_id;
        return Ok(if same {
            Ok(existing.decision())
        } else {
            Err(MutationError::IdConflict)
        });
    }
    let offer = w
        .rules_and_live
        .borrow_mut()
        .query_row(params![args.offering_id, user_id], Offer::from_row)
        .optional()?;
    let Some(offer) = offer else {
        return Ok(Err(MutationError::UnknownOffering));
    };
    let questions: Vec<domain::activity::Question> =
        serde_json::from_str(&offer.questions).unwrap_or_default();
    if domain::activity::check_answers(&questions, &args.answers).is_err() {
        return Ok(Err(MutationError::BadAnswers));
    }
    let route = admission(&offer.rules, now, offer.live);
    // Every version this request writes, taken at once: the offering's (for a seat) first,
    // then the registration's.
    let seats = matches!(route, Ok(Route::Seat));
    let first = w.take_versions(if seats { 2 } else { 1 })?;
    let decision = match route {
        Err(reason) => Decision::rejected(reason),
        Ok(Route::Review) => Decision::status(RegistrationStatus::PendingReview),
        Ok(Route::Lottery) => Decision::status(RegistrationStatus::LotteryEntered),
        Ok(Route::Seat) => seat_or_wait(
            w,
            &args.offering_id,
            offer.rules.waitlist_enabled,
            first,
            offer.counters,
        )?,
    };
    let version = if seats { first + 1 } else { first };
    let answers = serde_json::to_string(&args.answers).unwrap_or_else(|_| "{}".into());
    w.insert_registration.borrow_mut().execute(params![
        args.registration_id,
        args.offering_id,
        user_id,
        decision.status.as_str(),
        decision.waitlist_position,
        decision.reason.map(RejectReason::as_str),
        answers,
        created_at_ms,
        now,
        version,
    ])?;
    Ok(Ok(decision))
}

/// An offering's seat and waitlist counters, as read earlier in the same transaction.
#[derive(Debug, Clone, Copy)]
pub struct Counters {
    pub capacity: i64,
    pub seats_taken: i64,
    pub waitlist_len: i64,
}

impl Counters {
    /// The counters from columns `first`, `first + 1` and `first + 2` of `row`: `capacity`,
    /// `seats_taken`, `waitlist_len`.
    pub fn from_row(row: &Row<'_>, first: usize) -> rusqlite::Result<Self> {
        Ok(Self {
            capacity: row.get(first)?,
            seats_taken: row.get(first + 1)?,
            waitlist_len: row.get(first + 2)?,
        })
    }
}

/// Takes a seat with a conditional update; when none is free, a waitlist place (if the offering
/// has a waitlist) or a refusal as full. The offering is stamped with `version`, which the
/// caller has taken.
///
/// The caller has read the offering's `known` counters earlier in this transaction, which no
/// one else can write in: a full offering skips the seat update that would change nothing, and
/// the waitlist place is known without reading it back (in a rush, when nearly everyone is
/// waitlisted, two statements fewer per request).
pub fn seat_or_wait(
    w: &Writing<'_>,
    offering_id: &str,
    waitlist_enabled: bool,
    version: i64,
    known: Counters,
) -> rusqlite::Result<Decision> {
    if known.seats_taken < known.capacity {
        let seated = w
            .take_seat
            .borrow_mut()
            .execute(params![version, offering_id])?;
        if seated == 1 {
            return Ok(Decision::status(RegistrationStatus::Confirmed));
        }
    }
    let rules = Rules {
        open_for_signup: true,
        capacity: 0,
        waitlist_enabled,
        requires_approval: false,
        allocation: Allocation::FirstCome,
        signup_opens_at: None,
        signup_closes_at: i64::MAX,
    };
    match when_no_seat(&rules) {
        Ok(status) => {
            w.join_waitlist
                .borrow_mut()
                .execute(params![version, offering_id])?;
            Ok(Decision {
                status,
                waitlist_position: u32::try_from(known.waitlist_len + 1).ok(),
                reason: None,
            })
        }
        Err(reason) => Ok(Decision::rejected(reason)),
    }
}

/// `registration.cancel` by its owner (`Some(user)`) or by the system (`None`, e.g. when an
/// account is deleted). A seat given up goes to the head of the waitlist in the same
/// transaction; everyone behind a freed waitlist place moves up.
pub fn cancel(
    w: &Writing<'_>,
    owner: Option<&str>,
    registration_id: &str,
    now: i64,
) -> rusqlite::Result<Result<(), MutationError>> {
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
    let version = w.take_versions(1)?;
    w.prepare_cached(
        "UPDATE registrations SET status = 'cancelled', waitlist_position = NULL, updated_at = ?1,
                                  version = ?2
          WHERE id = ?3",
    )?
    .execute(params![now, version, registration_id])?;
    match status {
        RegistrationStatus::Confirmed => free_seat(w, &reg.offering_id, now)?,
        RegistrationStatus::Waitlisted => {
            if let Some(p) = reg.waitlist_position {
                leave_waitlist(w, &reg.offering_id, p)?;
            }
        }
        _ => {}
    }
    Ok(Ok(()))
}

/// The head of an offering's waitlist.
const WAITLIST_HEAD: &str = "SELECT id, waitlist_position FROM registrations
      WHERE offering_id = ?1 AND status = 'waitlisted'
      ORDER BY waitlist_position LIMIT 1";

/// How many wait behind a place on an offering's waitlist.
const WAITLIST_BEHIND: &str = "SELECT COUNT(*) FROM registrations
      WHERE offering_id = ?1 AND status = 'waitlisted' AND waitlist_position > ?2";

/// Everyone behind a place moves up one, each with a version of their own from `?1` on.
const WAITLIST_MOVE_UP: &str = "UPDATE registrations
        SET waitlist_position = waitlist_position - 1,
            version = ?1 + (waitlist_position - ?3)
      WHERE offering_id = ?2 AND status = 'waitlisted' AND waitlist_position > ?3";

/// Gives a freed seat to the head of the waitlist, or returns it to the pool.
fn free_seat(conn: &Writing<'_>, offering_id: &str, now: i64) -> rusqlite::Result<()> {
    let head: Option<(String, i64)> = conn
        .prepare_cached(WAITLIST_HEAD)?
        .query_row([offering_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let version = conn.take_versions(1)?;
    match head {
        Some((id, position)) => {
            conn.prepare_cached(
                "UPDATE registrations SET status = 'confirmed', waitlist_position = NULL,
                                          updated_at = ?1, version = ?2
                  WHERE id = ?3",
            )?
            .execute(params![now, version, id])?;
            leave_waitlist(conn, offering_id, position)
        }
        None => {
            conn.prepare_cached(
                "UPDATE offerings SET seats_taken = seats_taken - 1, version = ?1
                  WHERE id = ?2 AND seats_taken > 0",
            )?
            .execute(params![version, offering_id])?;
            Ok(())
        }
    }
}

/// Closes the gap left at waitlist `position`: everyone behind moves up one place. Each moved
/// row takes its own version, so a pull page never splits rows of one version.
fn leave_waitlist(conn: &Writing<'_>, offering_id: &str, position: i64) -> rusqlite::Result<()> {
    let behind: i64 = conn
        .prepare_cached(WAITLIST_BEHIND)?
        .query_row(params![offering_id, position], |r| r.get(0))?;
    let first = conn.take_versions(behind + 1)?;
    conn.prepare_cached(WAITLIST_MOVE_UP)?
        .execute(params![first, offering_id, position])?;
    conn.prepare_cached(
        "UPDATE offerings SET waitlist_len = waitlist_len - 1, version = ?1
          WHERE id = ?2 AND waitlist_len > 0",
    )?
    .execute(params![first, offering_id])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_live_check_uses_its_unique_index() {
        let plan = crate::db::query_plan(RULES_AND_LIVE).await;
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
                "registrations_by_offering_version",
                "registrations_by_user_version",
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
            crate::sync::pull::OWN_REGISTRATIONS,
            // What SQLite itself runs for the foreign keys: deleting a person (ON DELETE SET
            // NULL) and checking an offering has no registrations left before deleting it.
            "UPDATE registrations SET user_id = NULL WHERE user_id = ?1",
            "SELECT 1 FROM registrations WHERE offering_id = ?1",
        ] {
            assert_registrations_by_index(&query_plan(sql).await);
        }
    }
}
