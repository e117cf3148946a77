//! A district's busy year for the committee's numbers: 3,000 offerings (activities, courses
//! with weekly lessons, mixers) over this year, 150,000 registrations of 20,000 people and
//! 400,000 scans, with ratings and matches, inserted directly in one transaction (rusqlite,
//! statements prepared once). Then, against the release server: the year's dashboard, the
//! year-end workbook and the year's hours workbook, each timed over HTTP from the request to
//! the last byte. The dashboard's events must equal what was seeded (wrong results fail).

use crate::seed::{self, now_s};
use anyhow::{Context, ensure};
use domain::sample::Lcg;
use rusqlite::params;
use std::{path::Path, time::Instant};

/// How big a year.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    /// Offerings.
    pub offerings: usize,
    /// Registrations, in all.
    pub registrations: usize,
    /// Scans, in all.
    pub scans: usize,
    /// People.
    pub people: usize,
}

impl Size {
    /// The full size, or `--quick`'s tenth.
    pub fn new(quick: bool) -> Self {
        if quick {
            Self {
                offerings: 300,
                registrations: 15_000,
                scans: 40_000,
                people: 2_000,
            }
        } else {
            Self {
                offerings: 3_000,
                registrations: 150_000,
                scans: 400_000,
                people: 20_000,
            }
        }
    }
}

/// What was seeded, to check the figures against.
#[derive(Debug, Clone, Copy, Default)]
pub struct Seeded {
    /// The year (China time).
    pub year: i32,
    /// Registrations inserted.
    pub registrations: usize,
    /// Scans inserted.
    pub scans: usize,
    /// Events held by the time of seeding: activities and mixers started, lessons started.
    pub events_held: u64,
    /// Seconds the seeding took.
    pub seconds: f64,
}

/// Strides coprime with any people count made of 2s and 5s (and most others): a person list
/// walked with one never repeats within an offering.
const STRIDES: [u64; 8] = [7, 11, 13, 17, 19, 23, 29, 31];

/// Seeds the year into `db` (a migrated database with the demo venues), in one transaction.
pub fn seed(db: &Path, size: Size) -> anyhow::Result<Seeded> {
    let started = Instant::now();
    let mut conn = rusqlite::Connection::open(db).with_context(|| format!("{}", db.display()))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    let now = now_s();
    // This year in China time, and its first second.
    let mut year = 1970;
    while jan_first(year + 1) <= now {
        year += 1;
    }
    let year_start = jan_first(year);
    // Everything starts before now (all held) or just after (not yet), within the year.
    let span = (now - year_start).max(86_400 * 30);
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let venues: Vec<String> = {
        let mut s = tx.prepare("SELECT id FROM venues ORDER BY id")?;
        s.query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    ensure!(!venues.is_empty(), "the demo venues are missing");
    let mut version: i64 =
        tx.query_row("SELECT value FROM version_counter WHERE id = 1", [], |r| {
            r.get(0)
        })?;
    let mut v = || {
        version += 1;
        version
    };
    let mut rng = Lcg(2026);
    let categories = [
        "河小青",
        "助老",
        "书法",
        "摄影",
        "编程",
        "望青团缘",
        "读书",
        "运动",
    ];
    {
        let mut user = tx.prepare(
            "INSERT INTO users (id, phone, display_name, password_hash, birth_year,
                                consent_version, consent_at, created_at, version)
             VALUES (?1, ?2, ?3, 'bench: no password', 1999, ?4, 0, 0, ?5)",
        )?;
        let mut role = tx.prepare("INSERT INTO user_roles (user_id, role) VALUES (?1, 'youth')")?;
        for i in 0..size.people {
            let phone = format!("138{i:08}");
            user.execute(params![
                format!("year-{phone}"),
                phone,
                format!("青年{i:05}"),
                domain::PRIVACY_NOTICE_VERSION,
                v()
            ])?;
            role.execute(params![format!("year-{phone}")])?;
        }
    }
    let mut offering = tx.prepare(
        "INSERT INTO offerings (id, kind, title, summary, category, venue_id, starts_at, ends_at,
                                signup_closes_at, waitlist_enabled, requires_approval,
                                allocation, status, version)
         VALUES (?1, ?2, ?3, '', ?4, ?5, ?6, ?7, ?8, 1, 0, ?9, 'published', ?10)",
    )?;
    let mut pool = tx.prepare(
        "INSERT INTO offering_pools (offering_id, pool, capacity, version) VALUES (?1, ?2, ?3, ?4)",
    )?;
    let mut activity =
        tx.prepare("INSERT INTO activity_settings (offering_id, volunteer_hours) VALUES (?1, 3)")?;
    let mut course = tx.prepare(
        "INSERT INTO course_settings (offering_id, term, completion_percent) VALUES (?1, '2026', 75)",
    )?;
    let mut lesson = tx.prepare(
        "INSERT INTO course_lessons (offering_id, number, starts_at, ends_at) VALUES (?1, ?2, ?3, ?4)",
    )?;
    let mut mixer = tx.prepare("INSERT INTO mixer_settings (offering_id) VALUES (?1)")?;
    let mut registration = tx.prepare(
        "INSERT INTO registrations (id, offering_id, user_id, pool, status, created_at,
                                    received_at, updated_at, version, application_no,
                                    checked_in_at, credited_minutes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?6, ?7, ?8, ?9, ?10)",
    )?;
    let mut scan = tx.prepare(
        "INSERT INTO checkins (id, registration_id, offering_id, kind, scanned_at, at,
                               received_at, device_id, client_id, version, lesson)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, 'door', 'bench', ?7, ?8)",
    )?;
    let mut rating = tx.prepare(
        "INSERT INTO course_ratings (registration_id, offering_id, stars, created_at, updated_at)
         VALUES (?1, ?2, ?3, 0, 0)",
    )?;
    let mut matched =
        tx.prepare("INSERT INTO mixer_matches (offering_id, a_id, b_id) VALUES (?1, ?2, ?3)")?;
    let mut seeded = Seeded {
        year,
        ..Seeded::default()
    };
    // The demo's own events held this year so far count too (the server seeds its demo
    // offerings around the day it first starts).
    let demo_held: i64 = tx.query_row(
        "SELECT (SELECT COUNT(*) FROM offerings
                  WHERE status = 'published' AND kind <> 'course'
                    AND starts_at >= ?1 AND starts_at <= ?2)
              + (SELECT COUNT(*) FROM course_lessons l JOIN offerings o ON o.id = l.offering_id
                  WHERE o.status = 'published' AND o.kind = 'course'
                    AND l.starts_at >= ?1 AND l.starts_at <= ?2)",
        params![year_start, now],
        |r| r.get(0),
    )?;
    seeded.events_held = u64::try_from(demo_held)?;
    // Course lessons attended, for the scans a door takes twice (to reach the scans asked for).
    let mut attended: Vec<(String, String, i64, i64)> = Vec::new();
    let per_offering = size.registrations / size.offerings.max(1);
    let people = size.people as u64;
    for i in 0..size.offerings {
        let kind = match i % 20 {
            0..=11 => "activity",
            12..=16 => "course",
            _ => "mixer",
        };
        let id = format!("year-{i:05}");
        let lessons: i64 = if kind == "course" {
            4 + i64::try_from(rng.below(5))?
        } else {
            1
        };
        let mut starts = year_start + i64::try_from(rng.below(u64::try_from(span)?))?;
        // Nothing starts while the benchmark runs, so what was held stays what was seeded.
        if (0..lessons).any(|n| (now - 60..now + 7_200).contains(&(starts + n * 7 * 86_400))) {
            starts -= 3 * 3600;
        }
        let ends = starts + (lessons - 1) * 7 * 86_400 + 7_200;
        let lottery = kind == "course" && rng.chance(60);
        offering.execute(params![
            id,
            kind,
            format!("{}·第{i}期", categories[i % categories.len()]),
            categories[rng.below(categories.len() as u64) as usize],
            venues[rng.below(venues.len() as u64) as usize],
            starts,
            ends,
            starts - 86_400,
            if lottery { "lottery" } else { "first_come" },
            v()
        ])?;
        let pools: &[&str] = if kind == "mixer" {
            &["male", "female"]
        } else {
            &["all"]
        };
        for p in pools {
            pool.execute(params![id, p, per_offering as i64, v()])?;
        }
        match kind {
            "activity" => {
                activity.execute(params![id])?;
            }
            "course" => {
                course.execute(params![id])?;
                for n in 1..=lessons {
                    let at = starts + (n - 1) * 7 * 86_400;
                    lesson.execute(params![id, n, at, at + 7_200])?;
                }
            }
            _ => {
                mixer.execute(params![id])?;
            }
        }
        let held = |t: i64| t <= now;
        seeded.events_held += if kind == "course" {
            (0..lessons)
                .filter(|n| held(starts + n * 7 * 86_400))
                .count() as u64
        } else {
            u64::from(held(starts))
        };
        // Registrations: distinct people (a stride through the list), mostly confirmed.
        let n = if i + 1 == size.offerings {
            size.registrations - seeded.registrations
        } else {
            per_offering
        };
        let first = rng.below(people);
        let stride = STRIDES[rng.below(STRIDES.len() as u64) as usize];
        let mut confirmed = Vec::new();
        for k in 0..n {
            let person = (first + k as u64 * stride) % people;
            let reg = format!("{id}-{k:03}");
            let status = if lottery {
                ["confirmed", "confirmed", "not_drawn", "lottery_entered"][rng.below(4) as usize]
            } else {
                [
                    "confirmed",
                    "confirmed",
                    "confirmed",
                    "waitlisted",
                    "cancelled",
                ][rng.below(5) as usize]
            };
            let pool_key = if kind == "mixer" {
                ["male", "female"][k % 2]
            } else {
                "all"
            };
            let checked_in =
                kind != "course" && held(starts) && status == "confirmed" && rng.chance(80);
            let minutes = if kind == "activity" && checked_in {
                60 + rng.below(180) as i64
            } else {
                0
            };
            registration.execute(params![
                reg,
                id,
                format!("year-138{person:08}"),
                pool_key,
                status,
                starts - 10 * 86_400,
                v(),
                lottery.then(|| format!("Y{i:05}-{k:04}")),
                checked_in.then_some(starts + 300),
                minutes
            ])?;
            seeded.registrations += 1;
            if status == "confirmed" {
                confirmed.push(reg.clone());
            }
            if checked_in {
                // In and, for activities, out.
                scan.execute(params![
                    format!("{reg}-in"),
                    reg,
                    id,
                    "in",
                    (starts + 300) * 1000,
                    starts + 300,
                    v(),
                    Option::<i64>::None
                ])?;
                seeded.scans += 1;
                if kind == "activity" {
                    scan.execute(params![
                        format!("{reg}-out"),
                        reg,
                        id,
                        "out",
                        (starts + 300 + minutes * 60) * 1000,
                        starts + 300 + minutes * 60,
                        v(),
                        Option::<i64>::None
                    ])?;
                    seeded.scans += 1;
                }
            }
            if kind == "course" && status == "confirmed" {
                let mut any = false;
                for l in 1..=lessons {
                    let at = starts + (l - 1) * 7 * 86_400;
                    if !held(at) || !rng.chance(85) {
                        continue;
                    }
                    any = true;
                    scan.execute(params![
                        format!("{reg}-l{l}"),
                        reg,
                        id,
                        "in",
                        at * 1000,
                        at,
                        v(),
                        l
                    ])?;
                    seeded.scans += 1;
                    attended.push((reg.clone(), id.clone(), l, at));
                }
                if any && rng.chance(50) {
                    rating.execute(params![reg, id, 1 + rng.below(5) as i64])?;
                }
            }
        }
        if kind == "mixer" && held(starts) {
            for pair in confirmed.chunks(2) {
                if let [a, b] = pair
                    && rng.chance(40)
                {
                    matched.execute(params![id, a, b])?;
                }
            }
        }
    }
    // The door scans some learners twice: second scans of lessons attended, to the size asked.
    let mut copy = 0usize;
    while seeded.scans < size.scans && !attended.is_empty() {
        let (reg, id, l, at) = &attended[copy % attended.len()];
        scan.execute(params![
            format!("{reg}-l{l}-again{}", copy / attended.len()),
            reg,
            id,
            "in",
            (at + 60) * 1000,
            at + 60,
            v(),
            l
        ])?;
        seeded.scans += 1;
        copy += 1;
    }
    let last = v();
    drop((
        offering,
        pool,
        activity,
        course,
        lesson,
        mixer,
        registration,
        scan,
        rating,
        matched,
    ));
    tx.execute(
        "UPDATE version_counter SET value = ?1 WHERE id = 1",
        params![last],
    )?;
    tx.commit()?;
    conn.execute_batch("PRAGMA optimize; PRAGMA wal_checkpoint(TRUNCATE);")?;
    seeded.seconds = started.elapsed().as_secs_f64();
    Ok(seeded)
}

/// Unix seconds of 1 January of `year`, 00:00 China time.
fn jan_first(year: i32) -> i64 {
    // Days from 1970-01-01 to `year`-01-01.
    let days: i64 = (1970..year)
        .map(|y| if is_leap(y) { 366 } else { 365 })
        .sum();
    days * 86_400 - 8 * 3600
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// A signed-in session for the demo admin.
pub async fn admin_token(db: &Path) -> anyhow::Result<String> {
    let mut conn = seed::open(db).await?;
    let token = seed::session(&mut conn, "user-13900000001").await?;
    sqlx::Connection::close(conn).await?;
    Ok(token)
}

/// Times of one download, milliseconds, and its size in bytes.
pub async fn time_get(
    http: &reqwest::Client,
    url: &str,
    token: &str,
) -> anyhow::Result<(f64, Vec<u8>)> {
    let t = Instant::now();
    let r = http.get(url).bearer_auth(token).send().await?;
    let status = r.status();
    let body = r.bytes().await?.to_vec();
    let ms = t.elapsed().as_secs_f64() * 1000.0;
    ensure!(
        status.is_success(),
        "{url}: {status}: {}",
        String::from_utf8_lossy(&body[..body.len().min(300)])
    );
    Ok((ms, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_year_starts_at_midnight_in_china() {
        // 2026-01-01 00:00 +08:00 = 2025-12-31 16:00 UTC.
        assert_eq!(jan_first(2026), 1_767_196_800);
        assert_eq!(jan_first(1970), -8 * 3600);
    }
}
