//! Volunteers' correction requests (`hours.request`) and their answers by organizers of the
//! activity or admins (`hours.answer`), as sync mutations on the writer's connection. As in
//! `venue`, every refusal comes before the first write. An accepted request sets the corrected
//! minutes and recomputes through `hours::recompute_because`, which records the change with
//! who answered and both reasons.

use crate::db::sql::{OptionalExtension, params};
use crate::db::{
    audit,
    hours::{self, Why},
    venue::Actor,
    writing::Writing,
};
use domain::{
    registration::{MutationError, RegistrationStatus},
    sync::{HoursAnswerArgs, HoursRequestArgs, HoursRequestStatus},
};
use serde_json::json;
use time::OffsetDateTime;

struct Target {
    user_id: Option<String>,
    offering_id: String,
    status: String,
    credited: i64,
    kind: String,
    volunteer_hours: Option<i64>,
    ends_at: i64,
}

/// `hours.request`: the volunteer's own confirmed registration at an activity that credits
/// hours and has ended, with no request already open for it.
pub fn request(
    conn: &Writing<'_>,
    user_id: &str,
    args: &HoursRequestArgs,
    now: i64,
) -> crate::db::sql::Result<Result<(), MutationError>> {
    let taken: Option<(String, String)> = conn
        .prepare_cached("SELECT registration_id, user_id FROM hours_requests WHERE id = ?1")?
        .query_row([&args.request_id], |r| r.tuple())
        .optional()?;
    if taken.is_some() {
        // The same id twice is another action (a retried push is answered from the log).
        return Ok(Err(MutationError::IdConflict));
    }
    let target: Option<Target> = conn
        .prepare_cached(
            "SELECT r.user_id, r.offering_id, r.status, r.credited_minutes, o.kind,
                    a.volunteer_hours, o.ends_at
               FROM registrations r JOIN offerings o ON o.id = r.offering_id
               LEFT JOIN activity_settings a ON a.offering_id = o.id
              WHERE r.id = ?1",
        )?
        .query_row([&args.registration_id], |r| {
            Ok(Target {
                user_id: r.get(0)?,
                offering_id: r.get(1)?,
                status: r.get(2)?,
                credited: r.get(3)?,
                kind: r.get(4)?,
                volunteer_hours: r.get(5)?,
                ends_at: r.get(6)?,
            })
        })
        .optional()?;
    let Some(t) = target else {
        return Ok(Err(MutationError::UnknownRegistration));
    };
    if t.user_id.as_deref() != Some(user_id) {
        return Ok(Err(MutationError::Forbidden));
    }
    if t.kind != "activity" || t.volunteer_hours.unwrap_or(0) <= 0 {
        return Ok(Err(MutationError::NoHours));
    }
    if t.status != RegistrationStatus::Confirmed.as_str() {
        return Ok(Err(MutationError::WrongStatus));
    }
    if t.ends_at > now {
        return Ok(Err(MutationError::NotOverYet));
    }
    let open: bool = conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM hours_requests
                             WHERE registration_id = ?1 AND status = 'open')",
        )?
        .query_row([&args.registration_id], |r| r.get(0))?;
    if open {
        return Ok(Err(MutationError::RequestOpen));
    }
    let version = conn.take_versions(1)?;
    conn.prepare_cached(
        "INSERT INTO hours_requests (id, registration_id, offering_id, user_id, current_minutes,
                                     minutes, reason, status, created_at, version)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'open', ?8, ?9)",
    )?
    .execute(params![
        args.request_id,
        args.registration_id,
        t.offering_id,
        user_id,
        t.credited,
        i64::from(args.minutes),
        args.reason,
        now,
        version,
    ])?;
    Ok(Ok(()))
}

/// `hours.answer`: an organizer of the activity or an admin accepts (the credited minutes
/// become those asked for, recorded with both reasons) or declines with a reason. Only an open
/// request can be answered.
pub fn answer(
    conn: &Writing<'_>,
    actor: &Actor,
    args: &HoursAnswerArgs,
    now: i64,
) -> crate::db::sql::Result<Result<(), MutationError>> {
    let found: Option<(String, String, String, i64, String)> = conn
        .prepare_cached(
            "SELECT registration_id, offering_id, status, minutes, reason
               FROM hours_requests WHERE id = ?1",
        )?
        .query_row([&args.request_id], |r| r.tuple())
        .optional()?;
    let Some((registration_id, offering_id, status, minutes, reason)) = found else {
        return Ok(Err(MutationError::UnknownRegistration));
    };
    if !crate::db::users::runs(conn, &actor.user_id, &actor.roles, &offering_id)? {
        return Ok(Err(MutationError::Forbidden));
    }
    if HoursRequestStatus::parse(&status) != Some(HoursRequestStatus::Open) {
        return Ok(Err(MutationError::WrongStatus));
    }
    let outcome = if args.accept {
        HoursRequestStatus::Accepted
    } else {
        HoursRequestStatus::Declined
    };
    let version = conn.take_versions(1)?;
    conn.prepare_cached(
        "UPDATE hours_requests SET status = ?1, answer = ?2, answered_by = ?3, answered_at = ?4,
                                   version = ?5
          WHERE id = ?6",
    )?
    .execute(params![
        outcome.as_str(),
        args.reason,
        actor.user_id,
        now,
        version,
        args.request_id,
    ])?;
    if args.accept {
        conn.prepare_cached("UPDATE registrations SET corrected_minutes = ?1 WHERE id = ?2")?
            .execute(params![minutes, registration_id])?;
        let why = if args.reason.is_empty() {
            reason
        } else {
            format!("{reason}（{}）", args.reason)
        };
        hours::recompute_because(
            conn,
            &registration_id,
            now,
            Why {
                by: Some(&actor.user_id),
                cause: "request",
                reason: &why,
            },
        )?;
    }
    audit::record_on(
        conn,
        &actor.user_id,
        "hours.answer",
        &format!("hours_request:{}", args.request_id),
        &json!({ "status": "open", "minutes": minutes }),
        &json!({ "status": outcome.as_str(), "reason": args.reason }),
        OffsetDateTime::from_unix_timestamp(now).unwrap_or(OffsetDateTime::UNIX_EPOCH),
    )?;
    Ok(Ok(()))
}
