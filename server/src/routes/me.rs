//! `/api/v1/me`: a person's own profile, a copy of all their data, and deleting the account.

use crate::{
    AppState,
    auth::Caller,
    db::{
        self,
        pool::{Pool, args},
        sql, users,
    },
    error::{ApiError, ApiJson},
    routes::auth::{ClientAddr, check_own_password},
};
use axum::{extract::State, http::StatusCode};
use domain::{ErrorCode, UserProfile, account::DeleteAccount};
use serde_json::{Value, json};
use time::OffsetDateTime;

/// `GET /api/v1/me`
pub async fn get_me(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<ApiJson<UserProfile>, ApiError> {
    users::profile(&state.store, &caller.user_id)
        .await?
        .map(ApiJson)
        .ok_or_else(ApiError::unauthenticated)
}

struct ExportUser {
    phone: String,
    display_name: String,
    birth_year: i64,
    consent_version: String,
    consent_at: i64,
    guardian_name: Option<String>,
    guardian_phone: Option<String>,
    guardian_consent_at: Option<i64>,
    created_at: i64,
}

/// `GET /api/v1/me/export`: everything the server keeps about the caller, as JSON (PIPL's right
/// to a copy). Passwords and tokens are kept only as hashes and are not included.
pub async fn export(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<ApiJson<Value>, ApiError> {
    export_of(&state.store, &caller.user_id)
        .await?
        .map(ApiJson)
        .ok_or_else(ApiError::unauthenticated)
}

/// [`export`]'s copy of `id`'s data; `None` if there is no such account.
pub async fn export_of(db: &Pool, id: &str) -> sql::Result<Option<Value>> {
    let user: Option<ExportUser> = db
        .fetch_optional(
            "SELECT phone, display_name, birth_year, consent_version, consent_at, guardian_name,
                    guardian_phone, guardian_consent_at, created_at
               FROM users WHERE id = ?1",
            args![id],
            |r| {
                Ok(ExportUser {
                    phone: r.get(0)?,
                    display_name: r.get(1)?,
                    birth_year: r.get(2)?,
                    consent_version: r.get(3)?,
                    consent_at: r.get(4)?,
                    guardian_name: r.get(5)?,
                    guardian_phone: r.get(6)?,
                    guardian_consent_at: r.get(7)?,
                    created_at: r.get(8)?,
                })
            },
        )
        .await?;
    let Some(u) = user else {
        return Ok(None);
    };
    let hours_changes = db::hours::changes_of_user(db, id).await?;
    let sessions: Vec<(i64, i64, i64)> = db
        .fetch_all(
            "SELECT created_at, last_used_at, expires_at FROM sessions WHERE user_id = ?1
              ORDER BY created_at",
            args![id],
            |r| r.tuple(),
        )
        .await?;
    let known_devices: Vec<(i64, i64)> = db
        .fetch_all(
            "SELECT created_at, last_used_at FROM known_devices WHERE user_id = ?1
              ORDER BY created_at",
            args![id],
            |r| r.tuple(),
        )
        .await?;
    let registrations: Vec<ExportRegistration> = db
        .fetch_all(
            "SELECT r.id, r.offering_id, o.title, r.status, r.created_at, r.received_at,
                    r.answers, r.waitlist_position, r.reject_reason, r.note, r.checked_in_at,
                    r.present_minutes, r.credited_minutes, r.hours_flags
               FROM registrations r JOIN offerings o ON o.id = r.offering_id
              WHERE r.user_id = ?1 ORDER BY r.received_at",
            args![id],
            |r| {
                Ok(ExportRegistration {
                    id: r.get(0)?,
                    offering_id: r.get(1)?,
                    title: r.get(2)?,
                    status: r.get(3)?,
                    created_at: r.get(4)?,
                    received_at: r.get(5)?,
                    answers: r.get(6)?,
                    waitlist_position: r.get(7)?,
                    reject_reason: r.get(8)?,
                    note: r.get(9)?,
                    checked_in_at: r.get(10)?,
                    present_minutes: r.get(11)?,
                    credited_minutes: r.get(12)?,
                    hours_flags: r.get(13)?,
                })
            },
        )
        .await?;
    let roles = crate::auth::access::roles_of(db, id).await?;
    let mixer_profile: Option<String> = db
        .fetch_optional(
            "SELECT profile FROM mixer_profiles WHERE user_id = ?1",
            args![id],
            |r| r.get(0),
        )
        .await?;
    let hours_requests: Vec<ExportHoursRequest> = db
        .fetch_all(
            "SELECT id, registration_id, current_minutes, minutes, reason, status, answer,
                    created_at
               FROM hours_requests WHERE user_id = ?1 ORDER BY created_at, id",
            args![id],
            |r| {
                Ok(ExportHoursRequest {
                    id: r.get(0)?,
                    registration_id: r.get(1)?,
                    current_minutes: r.get(2)?,
                    minutes: r.get(3)?,
                    reason: r.get(4)?,
                    status: r.get(5)?,
                    answer: r.get(6)?,
                    created_at: r.get(7)?,
                })
            },
        )
        .await?;
    Ok(Some(json!({
        "exported_at": OffsetDateTime::now_utc().unix_timestamp(),
        "user": {
            "id": id, "phone": u.phone, "display_name": u.display_name,
            "birth_year": u.birth_year, "created_at": u.created_at, "roles": roles,
            "consent": { "privacy_notice_version": u.consent_version, "agreed_at": u.consent_at },
            "guardian": u.guardian_name.map(|n| json!({
                "name": n, "phone": u.guardian_phone, "consented_at": u.guardian_consent_at
            })),
        },
        "sessions": sessions.iter().map(|(c, u, e)| json!({
            "created_at": c, "last_used_at": u, "expires_at": e
        })).collect::<Vec<_>>(),
        "known_devices": known_devices.iter().map(|(c, u)| json!({
            "created_at": c, "last_used_at": u
        })).collect::<Vec<_>>(),
        // What the person answered at sign-up is theirs too (stored as checked JSON; a row that
        // somehow is not is given as the text it is).
        "registrations": registrations.into_iter().map(|r| json!({
            "id": r.id, "offering_id": r.offering_id, "offering_title": r.title,
            "status": r.status, "created_at": r.created_at, "received_at": r.received_at,
            "answers": serde_json::from_str::<Value>(&r.answers).unwrap_or(Value::String(r.answers)),
            "waitlist_position": r.waitlist_position, "reject_reason": r.reject_reason,
            "note": r.note, "checked_in_at": r.checked_in_at, "present_minutes": r.present_minutes,
            "credited_minutes": r.credited_minutes, "hours_flags": serde_json::from_str::<Value>(&r.hours_flags)
                .unwrap_or(Value::String(r.hours_flags)),
        })).collect::<Vec<_>>(),
        "hours_requests": hours_requests,
        "hours_changes": hours_changes,
        "mixer_profile": mixer_profile.map(|p| serde_json::from_str::<Value>(&p).unwrap_or(Value::String(p))),
    })))
}

/// A correction request of the person's hours, as their copy of their data gives it.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct ExportHoursRequest {
    id: String,
    registration_id: String,
    current_minutes: i64,
    minutes: i64,
    reason: String,
    status: String,
    answer: String,
    created_at: i64,
}

struct ExportRegistration {
    id: String,
    offering_id: String,
    title: String,
    status: String,
    created_at: i64,
    received_at: i64,
    answers: String,
    waitlist_position: Option<i64>,
    reject_reason: Option<String>,
    note: Option<String>,
    checked_in_at: Option<i64>,
    present_minutes: i64,
    credited_minutes: i64,
    hours_flags: String,
}

/// `DELETE /api/v1/me`: deletes the account after checking the password. Upcoming places are
/// given up (the waitlist moves up); registrations stay, anonymised, so statistics still count
/// them; sessions, devices, known devices, roles and assignments go.
pub async fn delete_account(
    State(state): State<AppState>,
    caller: Caller,
    ClientAddr(addr): ClientAddr,
    ApiJson(request): ApiJson<DeleteAccount>,
) -> Result<StatusCode, ApiError> {
    if !check_own_password(&state, &caller.user_id, &addr, request.password).await? {
        return Err(ApiError::new(
            ErrorCode::InvalidCredentials,
            "the password is wrong",
        ));
    }
    let now = OffsetDateTime::now_utc();
    // Giving places up runs the registration rules, which live on the sync writer.
    let user_id = caller.user_id.clone();
    state
        .writer
        .run(move |conn| Ok(delete_user(conn, &user_id, now)?))
        .await?;
    tracing::info!(user.id = %caller.user_id, "account deleted");
    Ok(StatusCode::NO_CONTENT)
}

/// A person's places at offerings still to come.
const UPCOMING_PLACES: &str =
    "SELECT r.id FROM registrations r JOIN offerings o ON o.id = r.offering_id
      WHERE r.user_id = ?1 AND o.ends_at > ?2
        AND r.status IN ('pending_review', 'confirmed', 'waitlisted', 'lottery_entered', 'won')";

/// A person's registrations, to keep without them.
const THEIR_REGISTRATIONS: &str = "SELECT id FROM registrations WHERE user_id = ?1 ORDER BY id";

/// One of them, kept without them.
const ANONYMISE: &str =
    "UPDATE registrations SET user_id = NULL, answers = '{}', updated_at = ?1, version = ?2
      WHERE id = ?3";

/// Deletes `user_id` inside the writer's transaction. Places still to come go back to others
/// (the waitlist moves up); the past stays counted, anonymised.
fn delete_user(
    conn: &db::writing::Writing<'_>,
    user_id: &str,
    now: OffsetDateTime,
) -> crate::db::sql::Result<()> {
    let upcoming: Vec<String> = conn
        .prepare_cached(UPCOMING_PLACES)?
        .query_map(
            crate::db::sql::params![user_id, now.unix_timestamp()],
            |r| r.get(0),
        )?
        .collect::<crate::db::sql::Result<_>>()?;
    for id in upcoming {
        // Cancellable by construction; a refusal would only mean it changed meanwhile.
        let _ = db::registrations::cancel(conn, None, &id, now.unix_timestamp())?;
    }
    // What they picked at mixers goes with them (their profile goes with the account row).
    conn.prepare_cached(
        "DELETE FROM mixer_picks
          WHERE registration_id IN (SELECT id FROM registrations WHERE user_id = ?1)",
    )?
    .execute([user_id])?;
    // Each row its own version: a pull page never splits a version, so two rows sharing one
    // could leave the second behind an organizer's cursor.
    let theirs: Vec<String> = conn
        .prepare_cached(THEIR_REGISTRATIONS)?
        .query_map([user_id], |r| r.get(0))?
        .collect::<crate::db::sql::Result<_>>()?;
    if !theirs.is_empty() {
        let first = conn.take_versions(theirs.len() as i64)?;
        for (i, id) in theirs.iter().enumerate() {
            conn.prepare_cached(ANONYMISE)?
                .execute(crate::db::sql::params![
                    now.unix_timestamp(),
                    first + i as i64,
                    id
                ])?;
        }
    }
    conn.prepare_cached("DELETE FROM users WHERE id = ?1")?
        .execute([user_id])?;
    db::audit::record_on(
        conn,
        user_id,
        "account.delete",
        &format!("user:{user_id}"),
        &Value::Null,
        &Value::Null,
        now,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn deleting_an_account_finds_its_registrations_by_index() {
        for sql in [UPCOMING_PLACES, THEIR_REGISTRATIONS] {
            db::assert_registrations_by_index(&db::query_plan(sql).await);
        }
    }
}
