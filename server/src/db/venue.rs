//! What admins and organizers do to other people's registrations, as sync mutations: reviews,
//! scans at the door, walk-ins, hour corrections. Every function runs inside the caller's write
//! transaction (on the sync writer's connection) and answers the mutation's outcome. As in
//! `registrations`, every refusal comes before the first write.

use crate::db::sql::{Conn as Connection, OptionalExtension, params};
use crate::db::{audit, hours, registrations::Counters, writing::Writing};
use domain::{
    OfferingStatus, PoolKey,
    hours::{ScanKind, corrected},
    registration::{Decision, MutationError, RegistrationStatus, RejectReason},
    sync::{CheckinArgs, HoursCorrectArgs, ReviewArgs, ReviewDecision, WalkInArgs},
};
use serde_json::json;
use time::OffsetDateTime;

/// Who is acting: the user and the roles the access layer read for this request. Which
/// mutations a role may run at all is decided before these rules run
/// (`auth::access::MUTATIONS`); here each rule checks that the actor runs the offering the
/// registration belongs to ([`runs`]).
#[derive(Debug, Clone)]
pub struct Actor {
    /// The user.
    pub user_id: String,
    /// Their roles.
    pub roles: Vec<domain::Role>,
}

impl Actor {
    /// `user_id` holding `roles`.
    pub fn new(user_id: String, roles: &[domain::Role]) -> Self {
        Self {
            user_id,
            roles: roles.to_vec(),
        }
    }
}

/// Whether the actor runs `offering_id` (admins run everything).
fn runs(conn: &Connection, actor: &Actor, offering_id: &str) -> crate::db::sql::Result<bool> {
    super::users::runs(conn, &actor.user_id, &actor.roles, offering_id)
}

fn at(now: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(now).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// `review.decide` (admins): approve takes a seat (or a waitlist place, or refuses as full);
/// reject refuses with the admin's reason. Only registrations awaiting review can be decided.
pub fn review(
    conn: &Writing<'_>,
    actor: &Actor,
    args: &ReviewArgs,
    now: i64,
) -> crate::db::sql::Result<Result<Decision, MutationError>> {
    let row: Option<(String, String, bool, String)> = conn
        .prepare_cached(
            "SELECT r.offering_id, r.status, o.waitlist_enabled, r.pool
               FROM registrations r JOIN offerings o ON o.id = r.offering_id WHERE r.id = ?1",
        )?
        .query_row([&args.registration_id], |r| r.tuple())
        .optional()?;
    let Some((offering_id, status, waitlist_enabled, pool)) = row else {
        return Ok(Err(MutationError::UnknownRegistration));
    };
    let pool = PoolKey::parse(&pool).unwrap_or(PoolKey::All);
    if status != RegistrationStatus::PendingReview.as_str() {
        return Ok(Err(MutationError::WrongStatus));
    }
    let note = Some(args.reason.trim().to_owned()).filter(|r| !r.is_empty());
    // The offering's version (for a seat) and the registration's, taken at once.
    let approve = args.decision == ReviewDecision::Approve;
    let first = conn.take_versions(if approve { 2 } else { 1 })?;
    let decision = match (approve, Counters::of(conn, &offering_id, pool)?) {
        (true, Some(counters)) => super::registrations::seat_or_wait(
            conn,
            &offering_id,
            pool,
            waitlist_enabled,
            first,
            counters,
        )?,
        // The pool is gone (an admin changed the quotas): nothing to approve into.
        (true, None) | (false, _) => Decision::rejected(RejectReason::NotEligible),
    };
    let version = if approve { first + 1 } else { first };
    conn.prepare_cached(
        "UPDATE registrations SET status = ?1, waitlist_position = ?2, reject_reason = ?3,
                                  note = ?4, updated_at = ?5, version = ?6
          WHERE id = ?7",
    )?
    .execute(params![
        decision.status.as_str(),
        decision.waitlist_position,
        decision.reason.map(RejectReason::as_str),
        note,
        now,
        version,
        args.registration_id,
    ])?;
    audit::record_on(
        conn,
        &actor.user_id,
        "review.decide",
        &format!("registration:{}", args.registration_id),
        &json!({ "status": status }),
        &json!({ "status": decision.status, "note": note }),
        at(now),
    )?;
    Ok(Ok(decision))
}

/// `walkin.register` (organizers): someone who turns up gets a seat if one is free.
pub fn walk_in(
    conn: &Writing<'_>,
    actor: &Actor,
    args: &WalkInArgs,
    now: i64,
) -> crate::db::sql::Result<Result<Decision, MutationError>> {
    // The right comes first: a caller who does not run the offering learns nothing, not even
    // whether the offering or the registration exists.
    if !runs(conn, actor, &args.offering_id)? {
        return Ok(Err(MutationError::Forbidden));
    }
    let existing: Option<(String, String)> = conn
        .prepare_cached("SELECT offering_id, status FROM registrations WHERE id = ?1")?
        .query_row([&args.registration_id], |r| r.tuple())
        .optional()?;
    if let Some((offering, status)) = existing {
        return Ok(if offering == args.offering_id {
            Ok(Decision::status(
                RegistrationStatus::parse(&status).unwrap_or(RegistrationStatus::Rejected),
            ))
        } else {
            Err(MutationError::IdConflict)
        });
    }
    let status: Option<String> = conn
        .prepare_cached("SELECT status FROM offerings WHERE id = ?1")?
        .query_row([&args.offering_id], |r| r.get(0))
        .optional()?;
    let Some(status) = status else {
        return Ok(Err(MutationError::UnknownOffering));
    };
    // A walk-in takes a place from the offering's one pool, or at a mixer from their gender's
    // (only within its quota: walk-ins never wait).
    let pool = args.gender.map_or(PoolKey::All, |g| g.pool());
    let counters = Counters::of(conn, &args.offering_id, pool)?;
    // The pool's version (for a place) and the registration's, taken at once.
    let open = OfferingStatus::parse(&status) == Some(OfferingStatus::Published);
    let first = conn.take_versions(if open { 2 } else { 1 })?;
    let decision = match (open, counters) {
        (true, Some(counters)) => super::registrations::seat_or_wait(
            conn,
            &args.offering_id,
            pool,
            false,
            first,
            counters,
        )?,
        (true, None) => Decision::rejected(RejectReason::NotEligible),
        (false, _) => Decision::rejected(RejectReason::Closed),
    };
    let version = if open { first + 1 } else { first };
    conn.prepare_cached(
        "INSERT INTO registrations (id, offering_id, user_id, pool, status, reject_reason,
                                    walk_in_name, walk_in_last4, created_at, received_at,
                                    updated_at, version)
         VALUES (?1, ?2, NULL, ?10, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9)",
    )?
    .execute(params![
        args.registration_id,
        args.offering_id,
        decision.status.as_str(),
        decision.reason.map(RejectReason::as_str),
        args.display_name.trim(),
        Some(args.phone_last4.as_str()).filter(|s| !s.is_empty()),
        now * 1000,
        now,
        version,
        pool.as_str(),
    ])?;
    Ok(Ok(decision))
}

/// `checkin.record` (organizers): every scan is stored once (by its id), never rejected for
/// having happened offline. A check-in while the person is already in (from any device) is kept
/// and points at the first one: organizers see it flagged. Hours are recomputed.
pub fn checkin(
    conn: &Writing<'_>,
    actor: &Actor,
    args: &CheckinArgs,
    client_id: &str,
    skew_ms: i64,
    now: i64,
) -> crate::db::sql::Result<Result<(), MutationError>> {
    let offering: Option<String> = conn
        .prepare_cached("SELECT offering_id FROM registrations WHERE id = ?1")?
        .query_row([&args.registration_id], |r| r.get(0))
        .optional()?;
    let Some(offering_id) = offering else {
        return Ok(Err(MutationError::UnknownRegistration));
    };
    if !runs(conn, actor, &offering_id)? {
        return Ok(Err(MutationError::Forbidden));
    }
    let seen: Option<String> = conn
        .prepare_cached("SELECT registration_id FROM checkins WHERE id = ?1")?
        .query_row([&args.checkin_id], |r| r.get(0))
        .optional()?;
    if let Some(reg) = seen {
        return Ok(if reg == args.registration_id {
            Ok(())
        } else {
            Err(MutationError::IdConflict)
        });
    }
    // Offline scans are never refused for having happened, but a scan dated decades away
    // (a broken clock, a forged push) did not happen: it would distort the hours.
    if !domain::moment::scan_time_ok(args.scanned_at.saturating_add(skew_ms), now * 1000) {
        return Ok(Err(MutationError::TimeOutOfRange));
    }
    let at = corrected(args.scanned_at, skew_ms);
    // A course's scan is for one of its lessons; other kinds' scans name none.
    let lessons: Option<i64> = conn
        .prepare_cached(
            "SELECT (SELECT COUNT(*) FROM course_lessons l WHERE l.offering_id = o.id)
               FROM offerings o WHERE o.id = ?1 AND o.kind = 'course'",
        )?
        .query_row([&offering_id], |r| r.get(0))
        .optional()?;
    match (lessons, args.lesson) {
        (Some(n), Some(l)) if i64::from(l) >= 1 && i64::from(l) <= n => {}
        (None, None) => {}
        _ => return Ok(Err(MutationError::BadArgs)),
    }
    let duplicate_of: Option<String> = if let Some(lesson) = args.lesson {
        // One attendance per lesson: an earlier check-in for the same lesson.
        conn.prepare_cached(
            "SELECT id FROM checkins
              WHERE registration_id = ?1 AND lesson = ?2 AND kind = 'in' AND duplicate_of IS NULL
              ORDER BY at, id LIMIT 1",
        )?
        .query_row(params![args.registration_id, lesson], |r| r.get(0))
        .optional()?
    } else if args.kind == ScanKind::In {
        // An earlier check-in with no check-out after it: the person is already in.
        conn.prepare_cached(
            "SELECT i.id FROM checkins i
              WHERE i.registration_id = ?1 AND i.kind = 'in' AND i.duplicate_of IS NULL
                AND NOT EXISTS (SELECT 1 FROM checkins o
                                 WHERE o.registration_id = ?1 AND o.kind = 'out' AND o.at >= i.at
                                   AND o.at < ?2)
              ORDER BY i.at, i.id LIMIT 1",
        )?
        .query_row(params![args.registration_id, at], |r| r.get(0))
        .optional()?
    } else {
        None
    };
    let version = conn.take_versions(1)?;
    conn.prepare_cached(
        "INSERT INTO checkins (id, registration_id, offering_id, kind, scanned_at, at, received_at,
                               device_id, client_id, recorded_by, duplicate_of, version, lesson)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        args.checkin_id,
        args.registration_id,
        offering_id,
        if args.kind == ScanKind::In {
            "in"
        } else {
            "out"
        },
        args.scanned_at,
        at,
        now,
        args.device_id,
        client_id,
        actor.user_id,
        duplicate_of,
        version,
        args.lesson,
    ])?;
    if args.lesson.is_some() {
        // A lesson attended: no volunteer hours, but the learner's devices show it (and the
        // certificate, once attendance reaches the threshold).
        let v = conn.take_versions(1)?;
        conn.prepare_cached(
            "UPDATE registrations SET version = ?1, updated_at = ?2 WHERE id = ?3",
        )?
        .execute(params![v, now, args.registration_id])?;
    } else {
        hours::recompute(conn, &args.registration_id, now)?;
        // At a mixer, a first arrival changes who the others checked in may pick from.
        if args.kind == ScanKind::In
            && duplicate_of.is_none()
            && super::mixer::is_mixer(conn, &offering_id)?
        {
            super::mixer::bump_participants(conn, &offering_id, now, true)?;
        }
    }
    Ok(Ok(()))
}

/// `hours.correct` (organizers): sets the credited minutes by hand, with a reason, audited.
pub fn correct_hours(
    conn: &Writing<'_>,
    actor: &Actor,
    args: &HoursCorrectArgs,
    now: i64,
) -> crate::db::sql::Result<Result<(), MutationError>> {
    let row: Option<(String, i64, Option<i64>)> = conn
        .prepare_cached(
            "SELECT offering_id, credited_minutes, corrected_minutes
               FROM registrations WHERE id = ?1",
        )?
        .query_row([&args.registration_id], |r| r.tuple())
        .optional()?;
    let Some((offering_id, credited, corrected_before)) = row else {
        return Ok(Err(MutationError::UnknownRegistration));
    };
    if !runs(conn, actor, &offering_id)? {
        return Ok(Err(MutationError::Forbidden));
    }
    conn.prepare_cached("UPDATE registrations SET corrected_minutes = ?1 WHERE id = ?2")?
        .execute(params![i64::from(args.minutes), args.registration_id])?;
    hours::recompute_because(
        conn,
        &args.registration_id,
        now,
        hours::Why {
            by: Some(&actor.user_id),
            cause: "correction",
            reason: args.reason.trim(),
        },
    )?;
    audit::record_on(
        conn,
        &actor.user_id,
        "hours.correct",
        &format!("registration:{}", args.registration_id),
        &json!({ "credited_minutes": credited, "corrected_minutes": corrected_before }),
        &json!({ "corrected_minutes": args.minutes, "reason": args.reason.trim() }),
        at(now),
    )?;
    Ok(Ok(()))
}
