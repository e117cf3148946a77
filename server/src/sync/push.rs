//! Applying one push inside the writer's transaction (on its synchronous connection).
//!
//! A one-mutation push is a handful of statements, all prepared once: the client's claim (one
//! statement, see [`claim_client`]), the mutation's own (for a registration request: find, rules
//! and live check, versions, seat or waitlist place, insert), its logged outcome, and for a
//! known device its progress. No savepoint per mutation: a refused mutation has written nothing
//! (every rule refuses before its first write), and a database error fails the whole push, which
//! the writer rolls back on its own.

use crate::db::sql::{Conn as Connection, OptionalExtension, params};
use crate::{
    auth::access,
    db::{
        corrections, course, mixer, registrations,
        venue::{self, Actor},
        writing::Writing,
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
    // The device's clock corrects its scans; one decades off (or forged) would move them
    // anywhere. Refused as a whole: the device must set its clock, and keeps its queue.
    if !domain::moment::is_unix_ms(request.client_time) {
        return Err(ApiError::field("client_time", "out_of_range"));
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

/// Where the pushing device stands before its mutations run.
struct Claim {
    /// Its last applied mutation id.
    last: u64,
    /// Whether its row already holds what the push ends with (a first push, registered with
    /// its final progress), so the closing update can be left out.
    settled: bool,
}

/// Finds the pushing device, or registers it for `user_id` if new; refuses a device that belongs
/// to someone else. Nothing is claimed for an account that is gone.
///
/// A device's first push (its mutations start at 1) is registered in one insert that already
/// holds the progress the push will end with: if any of its mutations fails the whole push is
/// rolled back, the insert with it. Other pushes look the device up first: it is nearly always
/// known. Either way a push costs one statement here, where an insert, a read and an update
/// cost three (measured in the rush: a quarter of the writer's statements).
fn claim_client(
    w: &Writing<'_>,
    request: &PushRequest,
    user_id: &str,
    now: i64,
    skew_ms: i64,
) -> Result<Claim, ApiError> {
    let client_id = request.client_id.as_str();
    let first_push = request.mutations.first().is_some_and(|m| m.id == 1);
    if !first_push && let Some(claim) = known_client(w, client_id, user_id)? {
        return Ok(claim);
    }
    let progress = if first_push {
        request.mutations.last().map_or(0, |m| m.id)
    } else {
        0
    };
    // An insert, then (if it inserted nothing) a read, not `RETURNING` (see `db::take_versions`).
    let inserted = w.claim_client.borrow_mut().execute(params![
        client_id,
        user_id,
        i64::try_from(progress).unwrap_or(i64::MAX),
        skew_ms,
        now
    ])?;
    if inserted == 1 {
        return Ok(Claim {
            last: 0,
            settled: first_push,
        });
    }
    known_client(w, client_id, user_id)?.ok_or_else(ApiError::unauthenticated)
}

/// The device's progress if it is registered to `user_id` (and the account still exists).
fn known_client(
    w: &Writing<'_>,
    client_id: &str,
    user_id: &str,
) -> Result<Option<Claim>, ApiError> {
    let row: Option<(String, i64)> = w
        .known_client
        .borrow_mut()
        .query_row(params![client_id, user_id], |r| r.tuple())
        .optional()?;
    match row {
        Some((owner, last)) if owner == user_id => Ok(Some(Claim {
            last: u64::try_from(last).unwrap_or(0),
            settled: false,
        })),
        Some(_) => Err(ApiError::new(
            ErrorCode::Forbidden,
            "this device id belongs to another account",
        )),
        None => Ok(None),
    }
}

/// Applies a push by `actor` (whose roles the access layer read for this request):
/// already-applied mutations answer their stored outcome; a gap stops with 409; every other
/// mutation is applied or refused and advances `last_mutation_id` either way, so one bad
/// mutation never blocks the queue. On an error the caller rolls the push back.
pub fn apply(
    w: &Writing<'_>,
    actor: &Actor,
    request: &PushRequest,
    now_ms: i64,
) -> Result<PushResponse, ApiError> {
    let now = now_ms.div_euclid(1000);
    let user_id = actor.user_id.as_str();
    let skew_ms = now_ms.saturating_sub(request.client_time);
    let claim = claim_client(w, request, user_id, now, skew_ms)?;
    let mut last = claim.last;
    let mut outcomes = Vec::with_capacity(request.mutations.len());
    for m in &request.mutations {
        if m.id <= last {
            outcomes.push(stored_outcome(w, &request.client_id, m.id)?);
            continue;
        }
        if m.id > last.saturating_add(1) {
            return Err(ApiError::mutation_gap(last.saturating_add(1)));
        }
        // Who may run it is declared once (`auth::access::MUTATIONS`) and decided first: a
        // caller without the role learns nothing from its arguments.
        let parsed = match access::mutation_access(&m.name) {
            None => Err(MutationError::UnknownMutation),
            Some(rule) if !access::may_run(rule, &actor.roles) => Err(MutationError::Forbidden),
            Some(_) if !domain::moment::is_unix_ms(m.created_at) => {
                Err(MutationError::TimeOutOfRange)
            }
            Some(_) => Op::parse(&m.name, &m.args),
        };
        let outcome = match parsed {
            Err(code) => Outcome::Rejected { code },
            Ok(Op::RegistrationRequest(args)) => decided(registrations::request(
                w,
                user_id,
                &args,
                m.created_at,
                now,
            )?),
            Ok(Op::RegistrationCancel(args)) => unit(registrations::cancel(
                w,
                Some(user_id),
                &args.registration_id,
                now,
            )?),
            Ok(Op::ReviewDecide(args)) => decided(venue::review(w, actor, &args, now)?),
            Ok(Op::WalkIn(args)) => decided(venue::walk_in(w, actor, &args, now)?),
            Ok(Op::CheckinRecord(args)) => unit(venue::checkin(
                w,
                actor,
                &args,
                &request.client_id,
                skew_ms,
                now,
            )?),
            Ok(Op::HoursCorrect(args)) => unit(venue::correct_hours(w, actor, &args, now)?),
            Ok(Op::CourseConfirm(args)) => unit(course::confirm(w, user_id, &args, now)?),
            Ok(Op::CourseRate(args)) => unit(course::rate(w, user_id, &args, now)?),
            Ok(Op::MixerProfile(args)) => unit(mixer::save_profile(w, user_id, &args, now)?),
            Ok(Op::MixerPick(args)) => unit(mixer::pick(w, user_id, &args, now)?),
            Ok(Op::MixerOpen(args)) => unit(mixer::open(w, actor, &args, now)?),
            Ok(Op::HoursRequest(args)) => unit(corrections::request(w, user_id, &args, now)?),
            Ok(Op::HoursAnswer(args)) => unit(corrections::answer(w, actor, &args, now)?),
        };
        w.log_mutation.borrow_mut().execute(params![
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
    if !claim.settled {
        w.client_progress.borrow_mut().execute(params![
            i64::try_from(last).unwrap_or(i64::MAX),
            now,
            skew_ms,
            request.client_id,
        ])?;
    }
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
) -> crate::db::sql::Result<MutationOutcome> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use domain::sync::MutationEnvelope;
    use serde_json::json;

    fn user(conn: &Connection, id: &str) {
        conn.execute(
            "INSERT INTO users (id, phone, display_name, password_hash, birth_year,
                                consent_version, consent_at, created_at, version)
             VALUES (?1, ?1, ?1, 'x', 2000, 'v1', 0, 0, 0)",
            [id],
        )
        .unwrap();
    }

    fn actor(id: &str) -> Actor {
        Actor::new(id.into(), &[domain::Role::Youth])
    }

    /// A push of mutations `ids` (unknown names: refused, but applied in order all the same).
    fn push(client: &str, ids: std::ops::RangeInclusive<u64>) -> PushRequest {
        PushRequest {
            schema_version: SCHEMA_VERSION,
            client_id: client.into(),
            client_time: 1_000,
            mutations: ids
                .map(|id| MutationEnvelope {
                    id,
                    name: "test.nothing".into(),
                    args: json!({}),
                    created_at: 0,
                })
                .collect(),
        }
    }

    fn client_row(conn: &Connection, client: &str) -> Option<(String, i64, Option<i64>, i64)> {
        conn.query_row(
            "SELECT user_id, last_mutation_id, clock_skew_ms, last_seen_at FROM clients
              WHERE id = ?1",
            [client],
            |r| r.tuple(),
        )
        .optional()
        .unwrap()
    }

    const DEVICE: &str = "00000000-0000-4000-8000-000000000001";

    #[tokio::test]
    async fn a_first_push_registers_the_device_with_its_final_progress() {
        let (_dir, db) = crate::db::test_database().await;
        let conn = crate::db::sql::Conn::Sqlite(crate::db::open_writer(&db.options).unwrap());
        let conn = Writing::new(&conn).unwrap();
        user(&conn, "u1");
        let answer = apply(&conn, &actor("u1"), &push(DEVICE, 1..=3), 61_000).unwrap();
        assert_eq!(answer.last_mutation_id, 3);
        assert_eq!(answer.outcomes.len(), 3);
        assert_eq!(
            client_row(&conn, DEVICE),
            Some(("u1".into(), 3, Some(60_000), 61))
        );
        // The same push again (its answer was lost): the stored outcomes, nothing new.
        let again = apply(&conn, &actor("u1"), &push(DEVICE, 1..=3), 62_000).unwrap();
        assert_eq!(again, answer);
        // A later push from the known device moves its progress on.
        let later = apply(&conn, &actor("u1"), &push(DEVICE, 4..=4), 63_000).unwrap();
        assert_eq!(later.last_mutation_id, 4);
        assert_eq!(
            client_row(&conn, DEVICE),
            Some(("u1".into(), 4, Some(62_000), 63))
        );
    }

    #[tokio::test]
    async fn a_device_is_refused_to_another_account_and_to_a_deleted_one() {
        let (_dir, db) = crate::db::test_database().await;
        let conn = crate::db::sql::Conn::Sqlite(crate::db::open_writer(&db.options).unwrap());
        let conn = Writing::new(&conn).unwrap();
        user(&conn, "u1");
        user(&conn, "u2");
        apply(&conn, &actor("u1"), &push(DEVICE, 1..=1), 1_000).unwrap();
        for pushed in [push(DEVICE, 1..=1), push(DEVICE, 2..=2)] {
            let err = apply(&conn, &actor("u2"), &pushed, 2_000).unwrap_err();
            assert!(
                matches!(
                    &err,
                    ApiError::Client {
                        code: ErrorCode::Forbidden,
                        ..
                    }
                ),
                "{err:?}"
            );
        }
        // An account that is gone claims nothing, first push or not.
        let other = "00000000-0000-4000-8000-000000000002";
        for pushed in [push(other, 1..=1), push(other, 2..=2)] {
            let err = apply(&conn, &actor("gone"), &pushed, 2_000).unwrap_err();
            assert!(
                matches!(
                    &err,
                    ApiError::Client {
                        code: ErrorCode::Unauthenticated,
                        ..
                    }
                ),
                "{err:?}"
            );
            assert_eq!(client_row(&conn, other), None);
        }
        assert_eq!(client_row(&conn, DEVICE).unwrap().1, 1);
    }
}
