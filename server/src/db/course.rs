//! Night school on the database: applications (a public number each, a limit per term), a
//! winner's place to confirm by a deadline (or to pass on), attendance per lesson, ratings.
//! Like the rest of the registration core, every function runs on the sync writer's connection
//! inside its transaction and refuses before its first write.

use crate::db::writing::Writing;
use domain::{
    PoolKey,
    programme::course,
    registration::{MutationError, RegistrationStatus},
    sync::{ConfirmArgs, RateArgs},
};
use rusqlite::{OptionalExtension, params};

/// The next public application number for a course: its applications counted, zero-padded
/// (numbers are never reused: a withdrawn application keeps its own). Safe to publish: it says
/// nothing about the person.
pub fn next_application_no(w: &Writing<'_>, offering_id: &str) -> rusqlite::Result<String> {
    let n: i64 = w
        .prepare_cached(
            "SELECT COUNT(*) FROM registrations
              WHERE offering_id = ?1 AND application_no IS NOT NULL",
        )?
        .query_row([offering_id], |r| r.get(0))?;
    Ok(format!("{:05}", n + 1))
}

/// Whether `user_id` already holds as many live registrations in other courses of this
/// course's term as the term allows (a course with no term has no limit).
pub fn term_full(w: &Writing<'_>, offering_id: &str, user_id: &str) -> rusqlite::Result<bool> {
    let live = RegistrationStatus::sql_list(&RegistrationStatus::LIVE);
    let found: Option<(i64, i64)> = w
        .prepare_cached(&format!(
            "SELECT c.per_term_limit,
                    (SELECT COUNT(*) FROM registrations r
                       JOIN course_settings other ON other.offering_id = r.offering_id
                      WHERE r.user_id = ?2 AND other.term = c.term AND r.offering_id <> ?1
                        AND r.status IN ({live}))
               FROM course_settings c WHERE c.offering_id = ?1 AND c.term <> ''"
        ))?
        .query_row(params![offering_id, user_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(found.is_some_and(|(limit, held)| held >= limit))
}

/// A freed place of a course goes to the head of its waitlist as a place won, to be confirmed
/// within the course's hours: `registration_id` gets the status and its deadline.
pub fn offer_place(
    w: &Writing<'_>,
    registration_id: &str,
    offering_id: &str,
    now: i64,
    version: i64,
) -> rusqlite::Result<()> {
    let hours: i64 = w
        .prepare_cached("SELECT confirm_hours FROM course_settings WHERE offering_id = ?1")?
        .query_row([offering_id], |r| r.get(0))
        .optional()?
        .unwrap_or(48);
    w.prepare_cached(
        "UPDATE registrations SET status = 'won', waitlist_position = NULL, confirm_by = ?1,
                                  updated_at = ?2, version = ?3
          WHERE id = ?4",
    )?
    .execute(params![now + hours * 3600, now, version, registration_id])?;
    Ok(())
}

/// Whether the offering is a course (its freed places are offered, not given).
pub fn is_course(w: &Writing<'_>, offering_id: &str) -> rusqlite::Result<bool> {
    let kind: Option<String> = w
        .prepare_cached("SELECT kind FROM offerings WHERE id = ?1")?
        .query_row([offering_id], |r| r.get(0))
        .optional()?;
    Ok(kind.as_deref() == Some("course"))
}

/// `course.confirm` by the learner: a place won is accepted (kept, confirmed) or declined
/// (given up: it goes to the next on the waitlist) before its deadline, by the server's clock.
pub fn confirm(
    w: &Writing<'_>,
    user_id: &str,
    args: &ConfirmArgs,
    now: i64,
) -> rusqlite::Result<Result<(), MutationError>> {
    let row: Option<(Option<String>, String, Option<i64>)> = w
        .prepare_cached("SELECT user_id, status, confirm_by FROM registrations WHERE id = ?1")?
        .query_row([&args.registration_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    let Some((owner, status, confirm_by)) = row.filter(|(o, _, _)| o.as_deref() == Some(user_id))
    else {
        return Ok(Err(MutationError::UnknownRegistration));
    };
    let _ = owner;
    let status = RegistrationStatus::parse(&status);
    if status == Some(RegistrationStatus::Confirmed) && args.accept {
        return Ok(Ok(()));
    }
    if status != Some(RegistrationStatus::Won) {
        return Ok(Err(MutationError::WrongStatus));
    }
    if confirm_by.is_some_and(|deadline| now > deadline) {
        return Ok(Err(MutationError::DeadlinePassed));
    }
    if !args.accept {
        return super::registrations::cancel(w, Some(user_id), &args.registration_id, now);
    }
    let version = w.take_versions(1)?;
    w.prepare_cached(
        "UPDATE registrations SET status = 'confirmed', confirm_by = NULL, updated_at = ?1,
                                  version = ?2
          WHERE id = ?3",
    )?
    .execute(params![now, version, args.registration_id])?;
    Ok(Ok(()))
}

/// Places won and not confirmed by their deadline: each given up (noted), and passed on to the
/// next on its waitlist. Returns how many.
pub fn sweep_deadlines(w: &Writing<'_>, now: i64) -> rusqlite::Result<usize> {
    let missed: Vec<(String, String)> = w
        .prepare_cached(
            "SELECT id, user_id FROM registrations
              WHERE confirm_by IS NOT NULL AND confirm_by < ?1 AND status = 'won'",
        )?
        .query_map([now], |r| {
            Ok((r.get(0)?, r.get::<_, Option<String>>(1)?.unwrap_or_default()))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (id, _) in &missed {
        if super::registrations::cancel(w, None, id, now)?.is_ok() {
            w.prepare_cached("UPDATE registrations SET note = 'confirm_missed' WHERE id = ?1")?
                .execute([id])?;
        }
    }
    Ok(missed.len())
}

/// The lessons a registration attended, by number, from its check-ins.
pub fn lessons_attended(w: &Writing<'_>, registration_id: &str) -> rusqlite::Result<Vec<u32>> {
    w.prepare_cached(
        "SELECT DISTINCT lesson FROM checkins
          WHERE registration_id = ?1 AND lesson IS NOT NULL AND kind = 'in'
          ORDER BY lesson",
    )?
    .query_map([registration_id], |r| r.get::<_, u32>(0))?
    .collect()
}

/// `course.rate` by the learner: after the last lesson, having attended at least one; a rating
/// can be changed for a week after it was first given.
pub fn rate(
    w: &Writing<'_>,
    user_id: &str,
    args: &RateArgs,
    now: i64,
) -> rusqlite::Result<Result<(), MutationError>> {
    let row: Option<(String, Option<i64>)> = w
        .prepare_cached(
            "SELECT r.offering_id,
                    (SELECT MAX(l.ends_at) FROM course_lessons l WHERE l.offering_id = r.offering_id)
               FROM registrations r WHERE r.id = ?1 AND r.user_id = ?2",
        )?
        .query_row(params![args.registration_id, user_id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    let Some((offering_id, Some(last_end))) = row else {
        return Ok(Err(MutationError::UnknownRegistration));
    };
    let attended = lessons_attended(w, &args.registration_id)?.len();
    let rated_at: Option<i64> = w
        .prepare_cached("SELECT created_at FROM course_ratings WHERE registration_id = ?1")?
        .query_row([&args.registration_id], |r| r.get(0))
        .optional()?;
    if let Err(e) = course::may_rate(attended, last_end, rated_at, now) {
        return Ok(Err(e));
    }
    let version = w.take_versions(1)?;
    w.prepare_cached(
        "INSERT INTO course_ratings (registration_id, offering_id, stars, comment, created_at,
                                     updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5)
         ON CONFLICT (registration_id) DO UPDATE SET stars = excluded.stars,
             comment = excluded.comment, updated_at = excluded.updated_at",
    )?
    .execute(params![
        args.registration_id,
        offering_id,
        args.stars,
        args.comment.trim(),
        now
    ])?;
    // The learner's devices see their rating with the registration.
    w.prepare_cached("UPDATE registrations SET version = ?1, updated_at = ?2 WHERE id = ?3")?
        .execute(params![version, now, args.registration_id])?;
    Ok(Ok(()))
}

/// The pool a course's places are in (a course has one).
pub const POOL: PoolKey = PoolKey::All;
