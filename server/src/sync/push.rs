//! Applying one push inside the writer's transaction (on its synchronous connection).
//!
//! A one-mutation push is a handful of statements, all prepared once: the client's upsert
//! (which also answers its owner and progress), the mutation's own (for a registration request:
//! find, rules and live check, versions, seat, insert), its logged outcome, and the client's
//! progress. No savepoint per mutation: a refused mutation has written nothing (every rule
//! refuses before its first write), and a database error fails the whole push, which the writer
//! rolls back to the push's own savepoint.

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
use rusqlite::{Connection, OptionalExtension, params};

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
    // checked_add: an id of u64::MAX is refused like any other gap, not an overflow.
    if ids.windows(2).any(|w| w[0].checked_add(1) != Some(w[1])) || ids.first() == Some(&0) {
        return Err(ApiError::field("mutations", "ids_not_consecutive"));
    }
    Ok(())
}

/// Registers the client for `user_id` if new, in one statement that also answers its owner and
/// last mutation id; refuses a client that belongs to someone else.
fn claim_client(
    conn: &Connection,
    client_id: &str,
    user_id: &str,
    now: i64,
) -> Result<u64, ApiError> {
    // An insert, then a read, not `RETURNING` (see `db::take_versions`). Nothing is claimed
    // for an account that is gone.
    conn.prepare_cached(
        "INSERT INTO clients (id, user_id, visibility_epoch, created_at, last_seen_at)
         SELECT ?1, ?2, visibility_epoch, ?3, ?3 FROM users WHERE id = ?2
         ON CONFLICT (id) DO NOTHING",
    )?
    .execute(params![client_id, user_id, now])?;
    let row: Option<(String, i64)> = conn
        .prepare_cached(
            "SELECT user_id, last_mutation_id FROM clients
              WHERE id = ?1 AND EXISTS (SELECT 1 FROM users WHERE id = ?2)",
        )?
        .query_row(params![client_id, user_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match row {
        Some((owner, last)) if owner == user_id => Ok(u64::try_from(last).unwrap_or(0)),
        Some(_) => Err(ApiError::new(
            ErrorCode::Forbidden,
            "this device id belongs to another account",
        )),
        None => Err(ApiError::unauthenticated()),
    }
}

/// Applies a push by `actor` (whose roles the access layer read for this request):
/// already-applied mutations answer their stored outcome; a gap stops with 409; every other
/// mutation is applied or refused and advances `last_mutation_id` either way, so one bad
/// mutation never blocks the queue. On an error the caller rolls the push back.
pub fn apply(
    conn: &Connection,
    actor: &Actor,
    request: &PushRequest,
    now_ms: i64,
) -> Result<PushResponse, ApiError> {
    let now = now_ms.div_euclid(1000);
    let user_id = actor.user_id.as_str();
    let mut last = claim_client(conn, &request.client_id, user_id, now)?;
    let skew_ms = now_ms.saturating_sub(request.client_time);
    let mut outcomes = Vec::with_capacity(request.mutations.len());
    for m in &request.mutations {
        if m.id <= last {
            outcomes.push(stored_outcome(conn, &request.client_id, m.id)?);
            continue;
        }
        if m.id > last.saturating_add(1) {
            return Err(ApiError::mutation_gap(last.saturating_add(1)));
        }
        let outcome = match Op::parse(&m.name, &m.args) {
            Err(code) => Outcome::Rejected { code },
            Ok(Op::RegistrationRequest(args)) => decided(registrations::request(
                conn,
                user_id,
                &args,
                m.created_at,
                now,
            )?),
            Ok(Op::RegistrationCancel(args)) => unit(registrations::cancel(
                conn,
                Some(user_id),
                &args.registration_id,
                now,
            )?),
            Ok(Op::ReviewDecide(args)) => decided(venue::review(conn, actor, &args, now)?),
            Ok(Op::WalkIn(args)) => decided(venue::walk_in(conn, actor, &args, now)?),
            Ok(Op::CheckinRecord(args)) => unit(venue::checkin(
                conn,
                actor,
                &args,
                &request.client_id,
                skew_ms,
                now,
            )?),
            Ok(Op::HoursCorrect(args)) => unit(venue::correct_hours(conn, actor, &args, now)?),
        };
        conn.prepare_cached(
            "INSERT INTO client_mutations (client_id, mutation_id, name, outcome, created_at,
                                           received_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![
            request.client_id,
            i64::try_from(m.id).unwrap_or(i64::MAX),
            truncate(&m.name, 64),
            serde_json::to_string(&outcome).unwrap_or_default(),
            m.created_at,
            now_ms,
        ])?;
        last = m.id;
        outcomes.push(MutationOutcome { id: m.id, outcome });
    }
    conn.prepare_cached(
        "UPDATE clients SET last_mutation_id = ?1, last_seen_at = ?2, clock_skew_ms = ?3
          WHERE id = ?4",
    )?
    .execute(params![
        i64::try_from(last).unwrap_or(i64::MAX),
        now,
        skew_ms,
        request.client_id,
    ])?;
    Ok(PushResponse {
        last_mutation_id: last,
        outcomes,
    })
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

fn stored_outcome(
    conn: &Connection,
    client_id: &str,
    id: u64,
) -> rusqlite::Result<MutationOutcome> {
    let stored: Option<String> = conn
        .prepare_cached(
            "SELECT outcome FROM client_mutations WHERE client_id = ?1 AND mutation_id = ?2",
        )?
        .query_row(
            params![client_id, i64::try_from(id).unwrap_or(i64::MAX)],
            |r| r.get(0),
        )
        .optional()?;
    let outcome = stored
        .and_then(|s| serde_json::from_str(&s).ok())
        // Applied long ago and its record pruned: it was applied, that is all we know.
        .unwrap_or(Outcome::Applied { decision: None });
    Ok(MutationOutcome { id, outcome })
}
