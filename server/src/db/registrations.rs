//! The registration core on the database: every function runs inside the caller's write
//! transaction (one mutation = one savepoint), and seats are taken with a conditional update,
//! never by reading a count and writing it back.

use crate::db::next_versions;
use domain::registration::{
    Allocation, Decision, MutationError, RegistrationStatus, RejectReason, Route, Rules, admission,
    when_no_seat,
};
use domain::sync::RequestArgs;
use sqlx::SqliteConnection;

#[derive(sqlx::FromRow)]
struct RulesRow {
    status: String,
    capacity: i64,
    waitlist_enabled: bool,
    requires_approval: bool,
    allocation: String,
    signup_opens_at: Option<i64>,
    signup_closes_at: i64,
    questions: String,
}

impl RulesRow {
    fn rules(&self) -> Rules {
        Rules {
            open_for_signup: self.status == "published",
            capacity: u32::try_from(self.capacity).unwrap_or(0),
            waitlist_enabled: self.waitlist_enabled,
            requires_approval: self.requires_approval,
            allocation: Allocation::parse(&self.allocation).unwrap_or_default(),
            signup_opens_at: self.signup_opens_at,
            signup_closes_at: self.signup_closes_at,
        }
    }
}

#[derive(sqlx::FromRow)]
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

async fn find(conn: &mut SqliteConnection, id: &str) -> Result<Option<RegRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT user_id, offering_id, status, waitlist_position, reject_reason
           FROM registrations WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// `registration.request`: decides and records. A repeated request (same id, same person,
/// same offering) answers the registration's current state and changes nothing.
pub async fn request(
    conn: &mut SqliteConnection,
    user_id: &str,
    args: &RequestArgs,
    created_at_ms: i64,
    now: i64,
) -> Result<Result<Decision, MutationError>, sqlx::Error> {
    if let Some(existing) = find(conn, &args.registration_id).await? {
        let same = existing.user_id.as_deref() == Some(user_id)
            && existing.offering_id == args.offering_id;
        return Ok(if same {
            Ok(existing.decision())
        } else {
            Err(MutationError::IdConflict)
        });
    }
    let rules: Option<RulesRow> = sqlx::query_as(
        "SELECT status, capacity, waitlist_enabled, requires_approval, allocation,
                signup_opens_at, signup_closes_at, questions
           FROM offerings WHERE id = ? AND status <> 'draft'",
    )
    .bind(&args.offering_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = rules else {
        return Ok(Err(MutationError::UnknownOffering));
    };
    let questions: Vec<domain::activity::Question> =
        serde_json::from_str(&row.questions).unwrap_or_default();
    if domain::activity::check_answers(&questions, &args.answers).is_err() {
        return Ok(Err(MutationError::BadAnswers));
    }
    let rules = row.rules();
    let live: bool = sqlx::query_scalar(
        // The terms of `registrations_one_live`'s WHERE, verbatim, so SQLite may use that unique
        // index (two lookups) instead of reading every registration of the offering: without
        // it a rush is quadratic (found by the benchmark).
        "SELECT EXISTS (SELECT 1 FROM registrations
                         WHERE offering_id = ? AND user_id = ?
                           AND status NOT IN ('cancelled', 'rejected')
                           AND status <> 'not_drawn')",
    )
    .bind(&args.offering_id)
    .bind(user_id)
    .fetch_one(&mut *conn)
    .await?;
    let decision = match admission(&rules, now, live) {
        Err(reason) => Decision::rejected(reason),
        Ok(Route::Review) => Decision::status(RegistrationStatus::PendingReview),
        Ok(Route::Lottery) => Decision::status(RegistrationStatus::LotteryEntered),
        Ok(Route::Seat) => seat_or_wait(conn, &args.offering_id, rules.waitlist_enabled).await?,
    };
    let version = next_versions(conn, 1).await?;
    let answers = serde_json::to_string(&args.answers).unwrap_or_else(|_| "{}".into());
    sqlx::query(
        "INSERT INTO registrations (id, offering_id, user_id, status, waitlist_position,
                                    reject_reason, answers, created_at, received_at, updated_at,
                                    version)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&args.registration_id)
    .bind(&args.offering_id)
    .bind(user_id)
    .bind(decision.status.as_str())
    .bind(decision.waitlist_position)
    .bind(decision.reason.map(RejectReason::as_str))
    .bind(answers)
    .bind(created_at_ms)
    .bind(now)
    .bind(now)
    .bind(version)
    .execute(&mut *conn)
    .await?;
    Ok(Ok(decision))
}

/// Takes a seat with a conditional update; when none is free, a waitlist place (if the offering
/// has a waitlist) or a refusal as full.
pub async fn seat_or_wait(
    conn: &mut SqliteConnection,
    offering_id: &str,
    waitlist_enabled: bool,
) -> Result<Decision, sqlx::Error> {
    let version = next_versions(conn, 1).await?;
    let seat = sqlx::query(
        "UPDATE offerings SET seats_taken = seats_taken + 1, version = ?
          WHERE id = ? AND seats_taken < capacity",
    )
    .bind(version)
    .bind(offering_id)
    .execute(&mut *conn)
    .await?;
    if seat.rows_affected() == 1 {
        return Ok(Decision::status(RegistrationStatus::Confirmed));
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
            let position: i64 = sqlx::query_scalar(
                "UPDATE offerings SET waitlist_len = waitlist_len + 1, version = ?
                  WHERE id = ? RETURNING waitlist_len",
            )
            .bind(version)
            .bind(offering_id)
            .fetch_one(&mut *conn)
            .await?;
            Ok(Decision {
                status,
                waitlist_position: u32::try_from(position).ok(),
                reason: None,
            })
        }
        Err(reason) => Ok(Decision::rejected(reason)),
    }
}

/// `registration.cancel` by its owner (`Some(user)`) or by the system (`None`, e.g. when an
/// account is deleted). A seat given up goes to the head of the waitlist in the same
/// transaction; everyone behind a freed waitlist place moves up.
pub async fn cancel(
    conn: &mut SqliteConnection,
    owner: Option<&str>,
    registration_id: &str,
    now: i64,
) -> Result<Result<(), MutationError>, sqlx::Error> {
    let Some(reg) = find(conn, registration_id).await? else {
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
    let version = next_versions(conn, 1).await?;
    sqlx::query(
        "UPDATE registrations SET status = 'cancelled', waitlist_position = NULL, updated_at = ?,
                                  version = ?
          WHERE id = ?",
    )
    .bind(now)
    .bind(version)
    .bind(registration_id)
    .execute(&mut *conn)
    .await?;
    match status {
        RegistrationStatus::Confirmed => free_seat(conn, &reg.offering_id, now).await?,
        RegistrationStatus::Waitlisted => {
            if let Some(p) = reg.waitlist_position {
                leave_waitlist(conn, &reg.offering_id, p).await?;
            }
        }
        _ => {}
    }
    Ok(Ok(()))
}

/// Gives a freed seat to the head of the waitlist, or returns it to the pool.
async fn free_seat(
    conn: &mut SqliteConnection,
    offering_id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    let head: Option<(String, i64)> = sqlx::query_as(
        "SELECT id, waitlist_position FROM registrations
          WHERE offering_id = ? AND status = 'waitlisted'
          ORDER BY waitlist_position LIMIT 1",
    )
    .bind(offering_id)
    .fetch_optional(&mut *conn)
    .await?;
    match head {
        Some((id, position)) => {
            let version = next_versions(conn, 1).await?;
            sqlx::query(
                "UPDATE registrations SET status = 'confirmed', waitlist_position = NULL,
                                          updated_at = ?, version = ?
                  WHERE id = ?",
            )
            .bind(now)
            .bind(version)
            .bind(&id)
            .execute(&mut *conn)
            .await?;
            leave_waitlist(conn, offering_id, position).await
        }
        None => {
            let version = next_versions(conn, 1).await?;
            sqlx::query(
                "UPDATE offerings SET seats_taken = seats_taken - 1, version = ?
                  WHERE id = ? AND seats_taken > 0",
            )
            .bind(version)
            .bind(offering_id)
            .execute(&mut *conn)
            .await?;
            Ok(())
        }
    }
}

/// Closes the gap left at waitlist `position`: everyone behind moves up one place. Each moved
/// row takes its own version, so a pull page never splits rows of one version.
async fn leave_waitlist(
    conn: &mut SqliteConnection,
    offering_id: &str,
    position: i64,
) -> Result<(), sqlx::Error> {
    let behind: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM registrations
          WHERE offering_id = ? AND status = 'waitlisted' AND waitlist_position > ?",
    )
    .bind(offering_id)
    .bind(position)
    .fetch_one(&mut *conn)
    .await?;
    let first = next_versions(conn, behind + 1).await?;
    sqlx::query(
        "UPDATE registrations
            SET waitlist_position = waitlist_position - 1,
                version = ?1 + (waitlist_position - ?3)
          WHERE offering_id = ?2 AND status = 'waitlisted' AND waitlist_position > ?3",
    )
    .bind(first)
    .bind(offering_id)
    .bind(position)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE offerings SET waitlist_len = waitlist_len - 1, version = ?
          WHERE id = ? AND waitlist_len > 0",
    )
    .bind(first)
    .bind(offering_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
