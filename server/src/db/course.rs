//! Night school on the database: applications (a public number each, a limit per term), a
//! winner's place to confirm by a deadline (or to pass on), attendance per lesson, ratings.
//! Like the rest of the registration core, every function runs on the sync writer's connection
//! inside its transaction and refuses before its first write.

use crate::db::sql::{OptionalExtension, params};
use crate::db::writing::Writing;
use domain::draw;
use domain::{
    PoolKey,
    programme::course,
    registration::{MutationError, RegistrationStatus},
    sync::{ConfirmArgs, RateArgs},
};
use std::{cell::RefCell, sync::LazyLock};

/// The course's draw code as its applications' numbers spell it (their first four symbols),
/// `NULL` before its first application and for anything but a lottery course: a scalar over
/// the offering `o` and the offering id `?1`, read with the request's rules
/// (`registrations::RULES_AND_LIVE`) through the unique index on numbers.
pub(crate) const DRAW_CODE: &str = "CASE WHEN o.kind = 'course' AND o.allocation = 'lottery' THEN
           (SELECT substr(application_no, 1, 4) FROM registrations
             WHERE offering_id = ?1 AND application_no IS NOT NULL LIMIT 1) END";

/// Whether the person `?2` already holds as many live registrations in other courses of the
/// course `?1`'s term as the term allows: `NULL` for a course with no term (no limit) and for
/// anything but a course. A scalar read with the request's rules
/// (`registrations::RULES_AND_LIVE`), so it is decided inside the writer's transaction, where
/// no one else can apply in between; the person's registrations are found through
/// `registrations_by_user_version`.
pub(crate) static TERM_FULL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "CASE WHEN o.kind = 'course' THEN
           (SELECT (SELECT COUNT(*) FROM registrations r
                      JOIN course_settings other ON other.offering_id = r.offering_id
                     WHERE r.user_id = ?2 AND other.term = c.term AND r.offering_id <> ?1
                       AND r.status IN ({live})) >= c.per_term_limit
              FROM course_settings c WHERE c.offering_id = ?1 AND c.term <> '') END",
        live = RegistrationStatus::sql_list(&RegistrationStatus::LIVE)
    )
});

/// The draw code for a course's next application: the one its numbers already spell
/// ([`DRAW_CODE`]), or a random one for its first.
pub fn draw_code(spelled: Option<&str>) -> u32 {
    spelled.map_or_else(random_u32, code_of)
}

/// How many random applicant codes an application tries before it looks for a free one in
/// order ([`free_code`]). Until a course has used half of its 2^20 codes each try is taken with
/// a chance below 1 in 2, so the search is for courses of more than half a million
/// applications, or for bad luck below 2^-64.
const NUMBER_TRIES: usize = 64;

/// Records an application of the course `offering_id` under a new public number (`CCCC-AAAA`,
/// [`draw::ApplicationNumber`]): the course's `draw_code` and a random applicant code from
/// `applicant_codes`, so the number says nothing about the person or when they applied.
/// `insert` writes the row with the number it is given; the unique index
/// `registrations_application_no` refuses a number already taken in the course, and then the
/// next code is tried. A refused insert is undone by SQLite alone (the statement, not the
/// transaction), so a collision costs one more insert instead of every application paying for
/// a look-up first. After [`NUMBER_TRIES`] refusals the first free code from a random one on is
/// taken, so a course takes applications until all of its 2^20 codes are used; then the
/// application fails (the writer rolls the job back) rather than drawing for ever.
pub fn insert_numbered<T>(
    w: &Writing<'_>,
    offering_id: &str,
    draw_code: u32,
    mut applicant_codes: impl FnMut() -> u32,
    mut insert: impl FnMut(&str) -> crate::db::sql::Result<T>,
) -> crate::db::sql::Result<T> {
    for _ in 0..NUMBER_TRIES {
        let number = draw::ApplicationNumber::from_codes(draw_code, applicant_codes());
        // PostgreSQL aborts a transaction on a refused statement: the attempt runs in a
        // savepoint there, so a number taken costs only the attempt (as on SQLite).
        match w.attempt(|| insert(number.as_str())) {
            Err(e) if is_number_taken(&e) => continue,
            done => return done,
        }
    }
    let Some(code) = free_code(w, offering_id, draw_code, applicant_codes())? else {
        return Err(crate::db::sql::Error::Invalid(format!(
            "every application number of course {offering_id} is taken"
        )));
    };
    insert(draw::ApplicationNumber::from_codes(draw_code, code).as_str())
}

/// [`insert_numbered`] with random applicant codes.
pub fn insert_with_number<T>(
    w: &Writing<'_>,
    offering_id: &str,
    draw_code: u32,
    insert: impl FnMut(&str) -> crate::db::sql::Result<T>,
) -> crate::db::sql::Result<T> {
    insert_numbered(w, offering_id, draw_code, random_u32, insert)
}

/// Applicant codes are 20 bits.
const CODES: u32 = draw::MAX_APPLICANTS;

/// The first applicant code from `start` on (after the last, from the first) not taken under
/// `draw_code` in the course, reading its numbers in order through the unique index (numbers
/// sort as their codes: the alphabet is in ASCII order and every code has four symbols).
fn free_code(
    w: &Writing<'_>,
    offering_id: &str,
    draw_code: u32,
    start: u32,
) -> crate::db::sql::Result<Option<u32>> {
    let start = start % CODES;
    let mut taken = w.prepare_cached(
        "SELECT application_no FROM registrations
          WHERE offering_id = ?1 AND application_no BETWEEN ?2 AND ?3
          ORDER BY application_no",
    )?;
    let mut ranges = vec![(start, CODES - 1)];
    if start > 0 {
        ranges.push((0, start - 1));
    }
    for (from, to) in ranges {
        let number = |code| draw::ApplicationNumber::from_codes(draw_code, code);
        let mut next = from;
        let numbers = taken.query_map(
            params![offering_id, number(from).as_str(), number(to).as_str()],
            |r| r.get::<_, Option<String>>(0),
        )?;
        for taken_no in numbers {
            let taken_code = taken_no?
                .as_deref()
                .and_then(|n| n.get(5..))
                .map_or(next, code_of);
            if taken_code > next {
                return Ok(Some(next));
            }
            next = next.max(taken_code + 1);
        }
        if next <= to {
            return Ok(Some(next));
        }
    }
    Ok(None)
}

/// Whether `e` is the unique index on a course's numbers refusing a number already taken.
fn is_number_taken(e: &crate::db::sql::Error) -> bool {
    e.is_unique_violation()
        && (e.constraint() == Some("registrations_application_no")
            || e.message()
                .is_some_and(|m| m.contains("registrations.application_no")))
}

/// The 20-bit code four symbols of [`draw::ALPHABET`] spell.
fn code_of(symbols: &str) -> u32 {
    symbols.bytes().fold(0, |acc, b| {
        let digit = draw::ALPHABET.iter().position(|&a| a == b).unwrap_or(0) as u32;
        (acc << 5) | digit
    })
}

/// Random bits from the OS, taken a block at a time: one call to the kernel per 256 codes
/// instead of one per application (≈ 0.5 µs each on the writer's thread, measured).
fn random_u32() -> u32 {
    const BLOCK: usize = 1024;
    thread_local! {
        static RANDOM: RefCell<([u8; BLOCK], usize)> = const { RefCell::new(([0; BLOCK], BLOCK)) };
    }
    RANDOM.with_borrow_mut(|(bytes, used)| {
        if *used == BLOCK {
            // Without the OS's randomness (never on the platforms served) numbers stay unique
            // through the retry, only guessable.
            let _ = getrandom::fill(bytes);
            *used = 0;
        }
        let mut code = [0u8; 4];
        code.copy_from_slice(&bytes[*used..*used + 4]);
        *used += 4;
        u32::from_le_bytes(code)
    })
}

/// A freed place of a course goes to the head of its waitlist as a place won, to be confirmed
/// within the course's hours: `registration_id` gets the status and its deadline.
pub fn offer_place(
    w: &Writing<'_>,
    registration_id: &str,
    offering_id: &str,
    now: i64,
    version: i64,
) -> crate::db::sql::Result<()> {
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
pub fn is_course(w: &Writing<'_>, offering_id: &str) -> crate::db::sql::Result<bool> {
    Ok(super::offerings::kind_of(w, offering_id)? == Some(domain::OfferingKind::Course))
}

/// `course.confirm` by the learner: a place won is accepted (kept, confirmed) or declined
/// (given up: it goes to the next on the waitlist) before its deadline, by the server's clock.
pub fn confirm(
    w: &Writing<'_>,
    user_id: &str,
    args: &ConfirmArgs,
    now: i64,
) -> crate::db::sql::Result<Result<(), MutationError>> {
    let row: Option<(Option<String>, String, Option<i64>)> = w
        .prepare_cached("SELECT user_id, status, confirm_by FROM registrations WHERE id = ?1")?
        .query_row([&args.registration_id], |r| r.tuple())
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
pub fn sweep_deadlines(w: &Writing<'_>, now: i64) -> crate::db::sql::Result<usize> {
    let missed: Vec<(String, String)> = w
        .prepare_cached(
            "SELECT id, user_id FROM registrations
              WHERE confirm_by IS NOT NULL AND confirm_by < ?1 AND status = 'won'",
        )?
        .query_map([now], |r| {
            Ok((
                r.get(0)?,
                r.get::<_, Option<String>>(1)?.unwrap_or_default(),
            ))
        })?
        .collect::<crate::db::sql::Result<_>>()?;
    for (id, _) in &missed {
        if super::registrations::cancel(w, None, id, now)?.is_ok() {
            w.prepare_cached("UPDATE registrations SET note = 'confirm_missed' WHERE id = ?1")?
                .execute([id])?;
        }
    }
    Ok(missed.len())
}

/// The lessons a registration attended, by number, from its check-ins.
pub fn lessons_attended(
    w: &Writing<'_>,
    registration_id: &str,
) -> crate::db::sql::Result<Vec<u32>> {
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
) -> crate::db::sql::Result<Result<(), MutationError>> {
    let row: Option<(String, Option<i64>)> = w
        .prepare_cached(
            "SELECT r.offering_id,
                    (SELECT MAX(l.ends_at) FROM course_lessons l WHERE l.offering_id = r.offering_id)
               FROM registrations r WHERE r.id = ?1 AND r.user_id = ?2",
        )?
        .query_row(params![args.registration_id, user_id], |r| r.tuple())
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

// ---------------------------------------------------------------------------------------------
// The draw: frozen at the close, drawn once by an admin

/// How long before a course's close an earlier course counts as "the last term" for the
/// priority tier (about half a year: the League runs a spring and an autumn term).
pub const LAST_TERM_S: i64 = 183 * 86_400;

/// Freezes the entry list of every lottery course whose window has closed and that has no
/// frozen list yet: the entries' hash and a fresh secret seed's commitment are stored (and
/// published by the results route). Returns how many lists it froze.
pub fn freeze_closed(w: &Writing<'_>, now: i64) -> crate::db::sql::Result<usize> {
    let due: Vec<String> = w
        .prepare_cached(
            "SELECT o.id FROM offerings o
              WHERE o.kind = 'course' AND o.allocation = 'lottery' AND o.status = 'published'
                AND o.signup_closes_at <= ?1
                AND NOT EXISTS (SELECT 1 FROM course_draws d WHERE d.offering_id = o.id)",
        )?
        .query_map([now], |r| r.get(0))?
        .collect::<crate::db::sql::Result<_>>()?;
    for id in &due {
        freeze(w, id, now)?;
    }
    Ok(due.len())
}

/// The course's live applications as draw entries: number and tier (computed now).
fn applications(w: &Writing<'_>, offering_id: &str) -> crate::db::sql::Result<Vec<(String, u8)>> {
    let priority: String = w
        .prepare_cached("SELECT priority FROM course_settings WHERE offering_id = ?1")?
        .query_row([offering_id], |r| r.get(0))
        .optional()?
        .unwrap_or_default();
    let priority = course::Priority::parse(&priority).unwrap_or_default();
    w.prepare_cached(
        "SELECT r.application_no,
                EXISTS (SELECT 1 FROM registrations e
                          JOIN offerings eo ON eo.id = e.offering_id
                         WHERE e.user_id = r.user_id AND e.offering_id <> r.offering_id
                           AND eo.kind = 'course' AND e.status = 'confirmed'
                           AND eo.ends_at <= o.signup_closes_at
                           AND eo.ends_at > o.signup_closes_at - ?2)
           FROM registrations r JOIN offerings o ON o.id = r.offering_id
          WHERE r.offering_id = ?1 AND r.status = 'lottery_entered'
            AND r.application_no IS NOT NULL",
    )?
    .query_map(params![offering_id, LAST_TERM_S], |r| {
        let took: bool = r.get(1)?;
        Ok((r.get::<_, String>(0)?, draw::tier(priority, took)))
    })?
    .collect()
}

fn freeze(w: &Writing<'_>, offering_id: &str, now: i64) -> crate::db::sql::Result<()> {
    let pairs = applications(w, offering_id)?;
    let list = match draw::FrozenList::from_pairs(pairs.iter().map(|(n, t)| (n.as_str(), *t))) {
        Ok(list) => list,
        Err(e) => {
            // Numbers are made by this server and unique per course: never seen.
            tracing::error!(offering_id, error = %e, "a course's entries do not form a list");
            return Ok(());
        }
    };
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| crate::db::sql::Error::Invalid(format!("no randomness: {e}")))?;
    let seed = draw::Seed::from_bytes(bytes);
    let mut fix = w.prepare_cached(
        "UPDATE registrations SET draw_tier = ?1 WHERE offering_id = ?2 AND application_no = ?3",
    )?;
    for (number, tier) in &pairs {
        fix.execute(params![tier, offering_id, number])?;
    }
    let version = w.take_versions(1)?;
    w.prepare_cached(
        "INSERT INTO course_draws (offering_id, frozen_at, entries, list_hash, seed,
                                   seed_commitment, version)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        offering_id,
        now,
        list.len() as i64,
        list.hash().to_hex(),
        seed.as_bytes().to_vec(),
        seed.commitment(),
        version
    ])?;
    Ok(())
}

/// Why a draw was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DrawRefused {
    /// No such course (or not a lottery course).
    Unknown,
    /// Its window has not closed, or its list is not frozen yet (within the minute after).
    NotClosed,
    /// Drawn already: a draw is run once.
    AlreadyDrawn,
}

/// What a draw did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Drawn {
    /// Entries in the frozen list.
    pub entries: usize,
    /// Places won.
    pub winners: usize,
    /// On the waitlist.
    pub waitlisted: usize,
}

/// Runs a course's draw (admins), once, after its list was frozen: the committed seed with
/// `public_value`, the frozen entries, the course's capacity. The first `capacity` in draw order
/// win (each with a deadline to confirm); the rest wait in draw order if the course keeps a
/// waitlist, else are not drawn.
pub fn run_draw(
    w: &Writing<'_>,
    offering_id: &str,
    admin_id: &str,
    public_value: &draw::PublicValue,
    now: i64,
) -> crate::db::sql::Result<Result<Drawn, DrawRefused>> {
    let frozen: Option<(Vec<u8>, String, Option<i64>)> = w
        .prepare_cached(
            "SELECT seed, list_hash, drawn_at FROM course_draws WHERE offering_id = ?1",
        )?
        .query_row([offering_id], |r| r.tuple())
        .optional()?;
    let course: Option<(i64, bool, i64)> = w
        .prepare_cached(
            "SELECT p.capacity, o.waitlist_enabled, o.signup_closes_at
               FROM offerings o JOIN offering_pools p ON p.offering_id = o.id AND p.pool = 'all'
              WHERE o.id = ?1 AND o.kind = 'course' AND o.allocation = 'lottery'",
        )?
        .query_row([offering_id], |r| r.tuple())
        .optional()?;
    let Some((capacity, waitlist_enabled, closes_at)) = course else {
        return Ok(Err(DrawRefused::Unknown));
    };
    let Some((seed, list_hash, drawn_at)) = frozen.filter(|_| closes_at <= now) else {
        return Ok(Err(DrawRefused::NotClosed));
    };
    if drawn_at.is_some() {
        return Ok(Err(DrawRefused::AlreadyDrawn));
    }
    let pairs = frozen_entries(w, offering_id)?;
    let list = draw::FrozenList::from_pairs(pairs.iter().map(|(n, t)| (n.as_str(), *t)))
        .map_err(|e| crate::db::sql::Error::Invalid(e.to_string()))?;
    if list.hash().to_hex() != list_hash {
        // Applications cannot change after the freeze (withdrawals are refused then): a
        // mismatch is a fault to look into, never a draw over a different list.
        return Err(crate::db::sql::Error::Invalid(
            "the entries no longer match the frozen list".into(),
        ));
    }
    let seed: [u8; 32] = seed
        .try_into()
        .map_err(|_| crate::db::sql::Error::Invalid("a seed of the wrong size".into()))?;
    let seed = draw::Seed::from_bytes(seed);
    let capacity = u32::try_from(capacity).unwrap_or(0);
    let result = draw::DrawResult::run(&list, &seed, public_value, capacity);
    let hours: i64 = w
        .prepare_cached("SELECT confirm_hours FROM course_settings WHERE offering_id = ?1")?
        .query_row([offering_id], |r| r.get(0))
        .optional()?
        .unwrap_or(48);
    let n = list.len() as i64;
    let first = w.take_versions(n + 2)?;
    let mut set = w.prepare_cached(
        "UPDATE registrations SET status = ?1, waitlist_position = ?2, confirm_by = ?3,
                                  draw_position = ?4, updated_at = ?5, version = ?6
          WHERE offering_id = ?7 AND application_no = ?8 AND status = 'lottery_entered'",
    )?;
    let mut position = 0i64;
    for e in &result.winners {
        position += 1;
        set.execute(params![
            "won",
            None::<i64>,
            now + hours * 3600,
            position,
            now,
            first + position,
            offering_id,
            e.number.as_str()
        ])?;
    }
    let mut waiting = 0i64;
    for e in &result.waitlist {
        position += 1;
        let (status, place) = if waitlist_enabled {
            waiting += 1;
            ("waitlisted", Some(waiting))
        } else {
            ("not_drawn", None)
        };
        set.execute(params![
            status,
            place,
            None::<i64>,
            position,
            now,
            first + position,
            offering_id,
            e.number.as_str()
        ])?;
    }
    w.prepare_cached(
        "UPDATE offering_pools SET seats_taken = ?1, waitlist_len = ?2, version = ?3
          WHERE offering_id = ?4 AND pool = 'all'",
    )?
    .execute(params![
        result.winners.len() as i64,
        waiting,
        first + n + 1,
        offering_id
    ])?;
    w.prepare_cached(
        "UPDATE course_draws SET public_value = ?1, drawn_at = ?2, drawn_by = ?3, version = ?4
          WHERE offering_id = ?5",
    )?
    .execute(params![
        public_value.as_str(),
        now,
        admin_id,
        first,
        offering_id
    ])?;
    Ok(Ok(Drawn {
        entries: list.len(),
        winners: result.winners.len(),
        waitlisted: waiting as usize,
    }))
}

/// The frozen list's entries (numbers and tiers, as fixed at the close).
pub fn frozen_entries(
    w: &Writing<'_>,
    offering_id: &str,
) -> crate::db::sql::Result<Vec<(String, u8)>> {
    w.prepare_cached(FROZEN_ENTRIES)?
        .query_map([offering_id], |r| r.tuple())?
        .collect()
}

/// A course's frozen entries: number and tier.
pub const FROZEN_ENTRIES: &str = "SELECT application_no, draw_tier FROM registrations
      WHERE offering_id = ?1 AND draw_tier IS NOT NULL AND application_no IS NOT NULL";

/// Whether the course's entry list is frozen (applications can no longer be withdrawn).
pub fn is_frozen(w: &Writing<'_>, offering_id: &str) -> crate::db::sql::Result<bool> {
    w.prepare_cached("SELECT EXISTS (SELECT 1 FROM course_draws WHERE offering_id = ?1)")?
        .query_row([offering_id], |r| r.get(0))
}

/// The night school's writer job (beside the hours sweep): lists frozen at their close,
/// places won and not confirmed in time passed on. Returns (frozen, missed).
pub fn sweep_on(w: &Writing<'_>, now: i64) -> crate::db::sql::Result<(usize, usize)> {
    Ok((freeze_closed(w, now)?, sweep_deadlines(w, now)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::sync::RequestArgs;

    /// A lottery course open for applications (`course`, no term) and people `u0`…`u{n-1}`.
    fn arrange(conn: &crate::db::sql::Conn, people: usize) {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        conn.execute_batch(
            "INSERT INTO venues (id, name, address, version) VALUES ('v', '青年之家', '滨江', 1)",
        )
        .unwrap();
        for i in 0..people {
            conn.execute(
                "INSERT INTO users (id, phone, display_name, password_hash, birth_year,
                                    consent_version, consent_at, created_at, version)
                 VALUES (?1, ?2, '学员', '-', 1999, ?3, ?4, ?4, 1)",
                params![
                    format!("u{i}"),
                    format!("1370000{i:04}"),
                    domain::PRIVACY_NOTICE_VERSION,
                    now
                ],
            )
            .unwrap();
        }
        conn.execute(
            "INSERT INTO offerings (id, kind, title, summary, category, venue_id, starts_at,
                                    ends_at, signup_closes_at, waitlist_enabled,
                                    requires_approval, allocation, status, version)
             VALUES ('course', 'course', '书法', '夜校', '书法', 'v', ?1, ?2, ?3, 1, 0,
                     'lottery', 'published', 1)",
            params![now + 3 * 86_400, now + 3 * 86_400 + 5_400, now + 2 * 86_400],
        )
        .unwrap();
        conn.execute_batch(
            "INSERT INTO offering_pools (offering_id, pool, capacity, version)
             VALUES ('course', 'all', 5, 1);
             INSERT INTO course_settings (offering_id) VALUES ('course');",
        )
        .unwrap();
    }

    fn apply(w: &Writing<'_>, user: &str) -> String {
        let args = RequestArgs {
            registration_id: uuid::Uuid::new_v4().to_string(),
            offering_id: "course".into(),
            answers: Default::default(),
        };
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let decision = super::super::registrations::request(w, user, &args, now * 1000, now)
            .unwrap()
            .unwrap();
        assert_eq!(decision.status, RegistrationStatus::LotteryEntered);
        w.query_row(
            "SELECT application_no FROM registrations WHERE id = ?1",
            [&args.registration_id],
            |r| r.get(0),
        )
        .unwrap()
    }

    /// The unique index refuses a number taken in the course; the next code is tried, and what
    /// the transaction wrote before stays (SQLite undoes the refused statement only).
    #[tokio::test]
    async fn a_number_taken_is_drawn_again_and_the_transaction_goes_on() {
        let (_dir, db) = crate::db::test_database().await;
        let conn = crate::db::sql::Conn::Sqlite(crate::db::open_writer(&db.options).unwrap());
        arrange(&conn, 2);
        let w = Writing::new(&conn).unwrap();
        w.execute_batch("BEGIN IMMEDIATE").unwrap();
        let first = apply(&w, "u0");
        let (draw, applicant) = first.split_once('-').unwrap();
        let version = w.take_versions(1).unwrap();
        // The second applicant's first code is the first's: refused, then 7 is free.
        let mut codes = [code_of(applicant), 7].into_iter();
        let mut tries = 0;
        let inserted = insert_numbered(
            &w,
            "course",
            code_of(draw),
            || codes.next().unwrap(),
            |number| {
                tries += 1;
                w.execute(
                    "INSERT INTO registrations (id, offering_id, user_id, status, answers,
                                                created_at, received_at, updated_at, version,
                                                application_no)
                     VALUES ('second', 'course', 'u1', 'lottery_entered', '{}', 0, 0, 0, ?1, ?2)",
                    params![version, number],
                )
            },
        )
        .unwrap();
        assert_eq!((inserted, tries), (1, 2));
        w.execute_batch("COMMIT").unwrap();
        let numbers: Vec<String> = conn
            .prepare("SELECT application_no FROM registrations ORDER BY application_no")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<crate::db::sql::Result<_>>()
            .unwrap();
        let second = draw::ApplicationNumber::from_codes(code_of(draw), 7);
        let mut want = vec![first, second.as_str().to_owned()];
        want.sort();
        assert_eq!(numbers, want, "both applications, each once");
        let last: i64 = conn
            .query_row("SELECT value FROM version_counter", [], |r| r.get(0))
            .unwrap();
        assert_eq!(
            last, version,
            "the version taken before the refusal is kept"
        );
    }

    /// After [`NUMBER_TRIES`] taken codes the first free one is searched for in order, so no
    /// application draws for ever; an error other than a taken number is the caller's at once.
    #[tokio::test]
    async fn after_the_tries_a_free_code_is_found_and_other_errors_pass() {
        let (_dir, db) = crate::db::test_database().await;
        let conn = crate::db::sql::Conn::Sqlite(crate::db::open_writer(&db.options).unwrap());
        arrange(&conn, 2);
        let w = Writing::new(&conn).unwrap();
        let first = apply(&w, "u0");
        let (draw, applicant) = first.split_once('-').unwrap();
        let insert = |id: &str, user: &str, number: &str| {
            w.execute(
                "INSERT INTO registrations (id, offering_id, user_id, status, answers, created_at,
                                            received_at, updated_at, version, application_no)
                 VALUES (?1, 'course', ?2, 'lottery_entered', '{}', 0, 0, 0, 1, ?3)",
                [id, user, number],
            )
        };
        let mut tries = 0;
        insert_numbered(
            &w,
            "course",
            code_of(draw),
            || code_of(applicant),
            |number| {
                tries += 1;
                insert("second", "u1", number)
            },
        )
        .unwrap();
        assert_eq!(tries, NUMBER_TRIES + 1);
        let second: String = w
            .query_row(
                "SELECT application_no FROM registrations WHERE id = 'second'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let next = (code_of(applicant) + 1) % CODES;
        assert_eq!(
            second,
            draw::ApplicationNumber::from_codes(code_of(draw), next).as_str()
        );
        // Another constraint (no such person) is the caller's error at once.
        tries = 0;
        let other = insert_numbered(
            &w,
            "course",
            code_of(draw),
            || 9,
            |number| {
                tries += 1;
                insert("third", "nobody", number)
            },
        );
        assert!(other.is_err());
        assert_eq!(tries, 1);
        let rows: i64 = conn
            .query_row("SELECT COUNT(*) FROM registrations", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 2);
    }

    /// The search for a free code: from the code given, past the last to the first, under the
    /// course's own draw code only.
    #[tokio::test]
    async fn the_first_free_code_from_a_start_wraps_round() {
        let (_dir, db) = crate::db::test_database().await;
        let conn = crate::db::sql::Conn::Sqlite(crate::db::open_writer(&db.options).unwrap());
        arrange(&conn, 0);
        let w = Writing::new(&conn).unwrap();
        let (ours, other) = (0x5_1234, 0x5_1235);
        let taken = (0..10).chain([11, CODES - 2, CODES - 1]);
        let numbers = taken
            .map(|code| (ours, code))
            .chain([(other, 12)])
            .map(|(draw, code)| draw::ApplicationNumber::from_codes(draw, code));
        for (i, number) in numbers.enumerate() {
            w.execute(
                "INSERT INTO registrations (id, offering_id, status, answers, created_at,
                                            received_at, updated_at, version, application_no)
                 VALUES (?1, 'course', 'lottery_entered', '{}', 0, 0, 0, 1, ?2)",
                params![format!("r{i}"), number.as_str()],
            )
            .unwrap();
        }
        let free = |start| free_code(&w, "course", ours, start).unwrap();
        assert_eq!(free(0), Some(10));
        assert_eq!(free(10), Some(10));
        assert_eq!(free(11), Some(12));
        assert_eq!(free(12), Some(12), "another draw code's 12 is not ours");
        assert_eq!(free(CODES - 3), Some(CODES - 3));
        assert_eq!(
            free(CODES - 2),
            Some(10),
            "past the last code, from the first"
        );
        assert_eq!(
            free(CODES + 3),
            Some(10),
            "a start past the codes is taken modulo"
        );
    }

    /// Every application of a course carries the course's one draw code; the term limit and
    /// the draw code are read with the rules through indexes (`registrations_by_user_version`
    /// for the person's places, the unique index on numbers for the code).
    #[tokio::test]
    async fn applications_share_the_draw_code_read_with_the_rules() {
        let (_dir, db) = crate::db::test_database().await;
        let conn = crate::db::sql::Conn::Sqlite(crate::db::open_writer(&db.options).unwrap());
        arrange(&conn, 20);
        let w = Writing::new(&conn).unwrap();
        let numbers: Vec<String> = (0..20).map(|i| apply(&w, &format!("u{i}"))).collect();
        let codes: std::collections::BTreeSet<&str> = numbers
            .iter()
            .map(|n| n.split_once('-').unwrap().0)
            .collect();
        assert_eq!(codes.len(), 1, "{numbers:?}");
        let unique: std::collections::BTreeSet<&String> = numbers.iter().collect();
        assert_eq!(unique.len(), numbers.len());

        let plan = crate::db::query_plan(&super::super::registrations::RULES_AND_LIVE).await;
        for index in [
            "registrations_by_user_version",
            "registrations_application_no",
        ] {
            assert!(plan.iter().any(|step| step.contains(index)), "{plan:#?}");
        }
        assert!(
            !plan.iter().any(|step| step.starts_with("SCAN")),
            "{plan:#?}"
        );
    }
}
