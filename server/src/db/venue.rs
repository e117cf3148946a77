//! What admins and organizers do to other people's registrations, as sync mutations: reviews,
//! scans at the door, walk-ins, hour corrections. Every function runs inside the caller's write
//! transaction and answers the mutation's outcome.

use crate::db::{audit, hours, next_versions};
use domain::{
    hours::{ScanKind, corrected},
    registration::{Decision, MutationError, RegistrationStatus, RejectReason},
    sync::{CheckinArgs, HoursCorrectArgs, ReviewArgs, ReviewDecision, WalkInArgs},
};
use serde_json::json;
use sqlx::SqliteConnection;
use time::OffsetDateTime;

/// Who is acting.
#[derive(Debug, Clone)]
pub struct Actor {
    /// The user.
    pub user_id: String,
    /// Holds the admin role.
    pub admin: bool,
    /// Holds the organizer role.
    pub organizer: bool,
}

/// Whether the actor may run `offering_id` (admins run everything).
pub async fn runs(
    conn: &mut SqliteConnection,
    actor: &Actor,
    offering_id: &str,
) -> Result<bool, sqlx::Error> {
    if actor.admin {
        return Ok(true);
    }
    if !actor.organizer {
        return Ok(false);
    }
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM organizer_assignments a
          WHERE a.user_id = ?1
            AND (a.offering_id = ?2 OR a.venue_id = (SELECT venue_id FROM offerings WHERE id = ?2))",
    )
    .bind(&actor.user_id)
    .bind(offering_id)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

fn at(now: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(now).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// `review.decide` (admins): approve takes a seat (or a waitlist place, or refuses as full);
/// reject refuses with the admin's reason. Only registrations awaiting review can be decided.
pub async fn review(
    conn: &mut SqliteConnection,
    actor: &Actor,
    args: &ReviewArgs,
    now: i64,
) -> Result<Result<Decision, MutationError>, sqlx::Error> {
    if !actor.admin {
        return Ok(Err(MutationError::Forbidden));
    }
    let row: Option<(String, String, Option<String>)> =
        sqlx::query_as("SELECT offering_id, status, user_id FROM registrations WHERE id = ?")
            .bind(&args.registration_id)
            .fetch_optional(&mut *conn)
            .await?;
    let Some((offering_id, status, _)) = row else {
        return Ok(Err(MutationError::UnknownRegistration));
    };
    if status != RegistrationStatus::PendingReview.as_str() {
        return Ok(Err(MutationError::WrongStatus));
    }
    let note = Some(args.reason.trim().to_owned()).filter(|r| !r.is_empty());
    let decision = match args.decision {
        ReviewDecision::Reject => Decision::rejected(RejectReason::NotEligible),
        ReviewDecision::Approve => {
            let waitlist_enabled: bool =
                sqlx::query_scalar("SELECT waitlist_enabled FROM offerings WHERE id = ?")
                    .bind(&offering_id)
                    .fetch_one(&mut *conn)
                    .await?;
            super::registrations::seat_or_wait(conn, &offering_id, waitlist_enabled).await?
        }
    };
    let version = next_versions(conn, 1).await?;
    sqlx::query(
        "UPDATE registrations SET status = ?, waitlist_position = ?, reject_reason = ?, note = ?,
                                  updated_at = ?, version = ?
          WHERE id = ?",
    )
    .bind(decision.status.as_str())
    .bind(decision.waitlist_position)
    .bind(decision.reason.map(RejectReason::as_str))
    .bind(&note)
    .bind(now)
    .bind(version)
    .bind(&args.registration_id)
    .execute(&mut *conn)
    .await?;
    audit::record(
        conn,
        &actor.user_id,
        "review.decide",
        &format!("registration:{}", args.registration_id),
        &json!({ "status": status }),
        &json!({ "status": decision.status, "note": note }),
        at(now),
    )
    .await?;
    Ok(Ok(decision))
}

/// `walkin.register` (organizers): someone who turns up gets a seat if one is free.
pub async fn walk_in(
    conn: &mut SqliteConnection,
    actor: &Actor,
    args: &WalkInArgs,
    now: i64,
) -> Result<Result<Decision, MutationError>, sqlx::Error> {
    let existing: Option<(String, String)> =
        sqlx::query_as("SELECT offering_id, status FROM registrations WHERE id = ?")
            .bind(&args.registration_id)
            .fetch_optional(&mut *conn)
            .await?;
    if let Some((offering, status)) = existing {
        return Ok(if offering == args.offering_id {
            Ok(Decision::status(
                RegistrationStatus::parse(&status).unwrap_or(RegistrationStatus::Rejected),
            ))
        } else {
            Err(MutationError::IdConflict)
        });
    }
    let status: Option<String> = sqlx::query_scalar("SELECT status FROM offerings WHERE id = ?")
        .bind(&args.offering_id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(status) = status else {
        return Ok(Err(MutationError::UnknownOffering));
    };
    if !runs(conn, actor, &args.offering_id).await? {
        return Ok(Err(MutationError::Forbidden));
    }
    let decision = if status == "published" {
        super::registrations::seat_or_wait(conn, &args.offering_id, false).await?
    } else {
        Decision::rejected(RejectReason::Closed)
    };
    let version = next_versions(conn, 1).await?;
    sqlx::query(
        "INSERT INTO registrations (id, offering_id, user_id, status, reject_reason, walk_in_name,
                                    walk_in_last4, created_at, received_at, updated_at, version)
         VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&args.registration_id)
    .bind(&args.offering_id)
    .bind(decision.status.as_str())
    .bind(decision.reason.map(RejectReason::as_str))
    .bind(args.display_name.trim())
    .bind(Some(args.phone_last4.as_str()).filter(|s| !s.is_empty()))
    .bind(now * 1000)
    .bind(now)
    .bind(now)
    .bind(version)
    .execute(&mut *conn)
    .await?;
    Ok(Ok(decision))
}

/// `checkin.record` (organizers): every scan is stored once (by its id), never rejected for
/// having happened offline. A check-in while the person is already in (from any device) is kept
/// and points at the first one: organizers see it flagged. Hours are recomputed.
pub async fn checkin(
    conn: &mut SqliteConnection,
    actor: &Actor,
    args: &CheckinArgs,
    client_id: &str,
    skew_ms: i64,
    now: i64,
) -> Result<Result<(), MutationError>, sqlx::Error> {
    let seen: Option<String> =
        sqlx::query_scalar("SELECT registration_id FROM checkins WHERE id = ?")
            .bind(&args.checkin_id)
            .fetch_optional(&mut *conn)
            .await?;
    if let Some(reg) = seen {
        return Ok(if reg == args.registration_id {
            Ok(())
        } else {
            Err(MutationError::IdConflict)
        });
    }
    let offering: Option<String> =
        sqlx::query_scalar("SELECT offering_id FROM registrations WHERE id = ?")
            .bind(&args.registration_id)
            .fetch_optional(&mut *conn)
            .await?;
    let Some(offering_id) = offering else {
        return Ok(Err(MutationError::UnknownRegistration));
    };
    if !runs(conn, actor, &offering_id).await? {
        return Ok(Err(MutationError::Forbidden));
    }
    let at = corrected(args.scanned_at, skew_ms);
    let duplicate_of: Option<String> = if args.kind == ScanKind::In {
        // An earlier check-in with no check-out after it: the person is already in.
        sqlx::query_scalar(
            "SELECT i.id FROM checkins i
              WHERE i.registration_id = ?1 AND i.kind = 'in' AND i.duplicate_of IS NULL
                AND NOT EXISTS (SELECT 1 FROM checkins o
                                 WHERE o.registration_id = ?1 AND o.kind = 'out' AND o.at >= i.at
                                   AND o.at < ?2)
              ORDER BY i.at, i.id LIMIT 1",
        )
        .bind(&args.registration_id)
        .bind(at)
        .fetch_optional(&mut *conn)
        .await?
    } else {
        None
    };
    let version = next_versions(conn, 1).await?;
    sqlx::query(
        "INSERT INTO checkins (id, registration_id, offering_id, kind, scanned_at, at, received_at,
                               device_id, client_id, recorded_by, duplicate_of, version)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&args.checkin_id)
    .bind(&args.registration_id)
    .bind(&offering_id)
    .bind(if args.kind == ScanKind::In {
        "in"
    } else {
        "out"
    })
    .bind(args.scanned_at)
    .bind(at)
    .bind(now)
    .bind(&args.device_id)
    .bind(client_id)
    .bind(&actor.user_id)
    .bind(&duplicate_of)
    .bind(version)
    .execute(&mut *conn)
    .await?;
    hours::recompute(conn, &args.registration_id, now).await?;
    Ok(Ok(()))
}

/// `hours.correct` (organizers): sets the credited minutes by hand, with a reason, audited.
pub async fn correct_hours(
    conn: &mut SqliteConnection,
    actor: &Actor,
    args: &HoursCorrectArgs,
    now: i64,
) -> Result<Result<(), MutationError>, sqlx::Error> {
    let row: Option<(String, i64, Option<i64>)> = sqlx::query_as(
        "SELECT offering_id, credited_minutes, corrected_minutes FROM registrations WHERE id = ?",
    )
    .bind(&args.registration_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((offering_id, credited, corrected_before)) = row else {
        return Ok(Err(MutationError::UnknownRegistration));
    };
    if !runs(conn, actor, &offering_id).await? {
        return Ok(Err(MutationError::Forbidden));
    }
    sqlx::query("UPDATE registrations SET corrected_minutes = ? WHERE id = ?")
        .bind(i64::from(args.minutes))
        .bind(&args.registration_id)
        .execute(&mut *conn)
        .await?;
    hours::recompute(conn, &args.registration_id, now).await?;
    audit::record(
        conn,
        &actor.user_id,
        "hours.correct",
        &format!("registration:{}", args.registration_id),
        &json!({ "credited_minutes": credited, "corrected_minutes": corrected_before }),
        &json!({ "corrected_minutes": args.minutes, "reason": args.reason.trim() }),
        at(now),
    )
    .await?;
    Ok(Ok(()))
}
