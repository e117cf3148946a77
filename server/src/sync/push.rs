//! Applying one push inside the writer's transaction.

use crate::{
    db::{
        registrations,
        venue::{self, Actor},
    },
    error::ApiError,
};
use domain::{
    ErrorCode,
    registration::{Decision, MutationError},
    sync::{
        MAX_PUSH, MutationOutcome, Op, Outcome, PushRequest, PushResponse, SCHEMA_VERSION, is_uuid,
    },
};
use sqlx::{Connection, SqliteConnection};

/// Checks a push before it reaches the writer: nothing here touches the database.
pub fn validate(request: &PushRequest) -> Result<(), ApiError> {
    if request.schema_version != SCHEMA_VERSION {
        return Err(ApiError::new(
            ErrorCode::VersionNotSupported,
            format!("this server speaks sync schema {SCHEMA_VERSION}: reload the app"),
        ));
    }
    if !is_uuid(&request.client_id) {
        return Err(ApiError::field("client_id", "not_a_uuid"));
    }
    if request.mutations.len() > MAX_PUSH {
        return Err(ApiError::field("mutations", "too_many"));
    }
    let ids: Vec<u64> = request.mutations.iter().map(|m| m.id).collect();
    if ids.windows(2).any(|w| w[1] != w[0] + 1) || ids.first() == Some(&0) {
        return Err(ApiError::field("mutations", "ids_not_consecutive"));
    }
    Ok(())
}

/// Registers the client for `user_id` if new; refuses a client that belongs to someone else.
/// Returns its last mutation id.
pub async fn claim_client(
    conn: &mut SqliteConnection,
    client_id: &str,
    user_id: &str,
    now: i64,
) -> Result<Result<u64, ApiError>, sqlx::Error> {
    sqlx::query(
        "INSERT INTO clients (id, user_id, visibility_epoch, created_at, last_seen_at)
         SELECT ?, ?, visibility_epoch, ?, ? FROM users WHERE id = ?
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(client_id)
    .bind(user_id)
    .bind(now)
    .bind(now)
    .bind(user_id)
    .execute(&mut *conn)
    .await?;
    let row: Option<(String, i64)> =
        sqlx::query_as("SELECT user_id, last_mutation_id FROM clients WHERE id = ?")
            .bind(client_id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(match row {
        Some((owner, last)) if owner == user_id => Ok(u64::try_from(last).unwrap_or(0)),
        Some(_) => Err(ApiError::new(
            ErrorCode::Forbidden,
            "this device id belongs to another account",
        )),
        None => Err(ApiError::unauthenticated()),
    })
}

/// Applies a push: already-applied mutations answer their stored outcome; a gap stops with
/// 409; every other mutation runs in its own savepoint and advances `last_mutation_id` even
/// when rejected, so one bad mutation never blocks the queue.
pub async fn apply(
    conn: &mut SqliteConnection,
    user_id: &str,
    request: &PushRequest,
    now_ms: i64,
) -> Result<Result<PushResponse, ApiError>, sqlx::Error> {
    let now = now_ms.div_euclid(1000);
    let mut last = match claim_client(conn, &request.client_id, user_id, now).await? {
        Ok(last) => last,
        Err(e) => return Ok(Err(e)),
    };
    let skew_ms = now_ms.saturating_sub(request.client_time);
    let roles: Vec<String> = sqlx::query_scalar("SELECT role FROM user_roles WHERE user_id = ?")
        .bind(user_id)
        .fetch_all(&mut *conn)
        .await?;
    let actor = Actor {
        user_id: user_id.to_owned(),
        admin: roles.iter().any(|r| r == "admin"),
        organizer: roles.iter().any(|r| r == "organizer"),
    };
    let mut outcomes = Vec::with_capacity(request.mutations.len());
    for m in &request.mutations {
        if m.id <= last {
            outcomes.push(stored_outcome(conn, &request.client_id, m.id).await?);
            continue;
        }
        if m.id > last + 1 {
            return Ok(Err(ApiError::mutation_gap(last + 1)));
        }
        let mut sp = conn.begin().await?;
        let outcome = match Op::parse(&m.name, &m.args) {
            Err(code) => Outcome::Rejected { code },
            Ok(Op::RegistrationRequest(args)) => {
                match registrations::request(&mut sp, user_id, &args, m.created_at, now).await? {
                    Ok(decision) => Outcome::Applied {
                        decision: Some(decision),
                    },
                    Err(code) => Outcome::Rejected { code },
                }
            }
            Ok(Op::RegistrationCancel(args)) => unit(
                registrations::cancel(&mut sp, Some(user_id), &args.registration_id, now).await?,
            ),
            Ok(Op::ReviewDecide(args)) => {
                decided(venue::review(&mut sp, &actor, &args, now).await?)
            }
            Ok(Op::WalkIn(args)) => decided(venue::walk_in(&mut sp, &actor, &args, now).await?),
            Ok(Op::CheckinRecord(args)) => unit(
                venue::checkin(&mut sp, &actor, &args, &request.client_id, skew_ms, now).await?,
            ),
            Ok(Op::HoursCorrect(args)) => {
                unit(venue::correct_hours(&mut sp, &actor, &args, now).await?)
            }
        };
        sqlx::query(
            "INSERT INTO client_mutations (client_id, mutation_id, name, outcome, created_at,
                                           received_at)
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(&request.client_id)
        .bind(i64::try_from(m.id).unwrap_or(i64::MAX))
        .bind(truncate(&m.name, 64))
        .bind(serde_json::to_string(&outcome).unwrap_or_default())
        .bind(m.created_at)
        .bind(now_ms)
        .execute(&mut *sp)
        .await?;
        sp.commit().await?;
        last = m.id;
        outcomes.push(MutationOutcome { id: m.id, outcome });
    }
    sqlx::query(
        "UPDATE clients SET last_mutation_id = ?, last_seen_at = ?, clock_skew_ms = ? WHERE id = ?",
    )
    .bind(i64::try_from(last).unwrap_or(i64::MAX))
    .bind(now)
    .bind(skew_ms)
    .bind(&request.client_id)
    .execute(&mut *conn)
    .await?;
    Ok(Ok(PushResponse {
        last_mutation_id: last,
        outcomes,
    }))
}

fn decided(result: Result<Decision, MutationError>) -> Outcome {
    match result {
        Ok(decision) => Outcome::Applied {
            decision: Some(decision),
        },
        Err(code) => Outcome::Rejected { code },
    }
}

fn unit(result: Result<(), MutationError>) -> Outcome {
    match result {
        Ok(()) => Outcome::Applied { decision: None },
        Err(code) => Outcome::Rejected { code },
    }
}

fn truncate(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

async fn stored_outcome(
    conn: &mut SqliteConnection,
    client_id: &str,
    id: u64,
) -> Result<MutationOutcome, sqlx::Error> {
    let stored: Option<String> = sqlx::query_scalar(
        "SELECT outcome FROM client_mutations WHERE client_id = ? AND mutation_id = ?",
    )
    .bind(client_id)
    .bind(i64::try_from(id).unwrap_or(i64::MAX))
    .fetch_optional(conn)
    .await?;
    let outcome = stored
        .and_then(|s| serde_json::from_str(&s).ok())
        // Applied long ago and its record pruned: it was applied, that is all we know.
        .unwrap_or(Outcome::Applied { decision: None });
    Ok(MutationOutcome { id, outcome })
}
