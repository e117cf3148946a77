//! The committee's numbers: a seeded year (activities, courses, mixers; sign-ups, scans,
//! ratings, matches; cancellations and walk-ins; some of it just outside the year) read through
//! the dashboard, and checked against the definition (`domain::numbers::count`) over facts loaded
//! independently from the rows. Bad periods and filters are refused.

use domain::sample::Lcg;
use domain::{
    OfferingKind,
    numbers::{Dashboard, Filter, OfferingFact, Period, RegistrationFact, count},
};
use serde_json::Value;
use server::db::pool::{Pool, args};
use tests::{DEMO_PASSWORD, GOOD_PASSWORD, Options, TestServer};
use time::OffsetDateTime;

/// Seeds offerings of every kind across `year` (and a few just outside it) with their
/// registrations, scans, ratings and matches, straight into the rows.
pub(crate) async fn seed(pool: &Pool, people: &[String], year: i32, now: i64) {
    let mut rng = Lcg(2026);
    let venues: Vec<String> = pool
        .fetch_all("SELECT id FROM venues ORDER BY id", args![], |r| r.get(0))
        .await
        .unwrap();
    let categories = ["环保", "助老", "书法", "联谊"];
    let (start, end) = Period::year(year).bounds();
    let mut version: i64 = pool
        .fetch_one(
            "SELECT value FROM version_counter WHERE id = 1",
            args![],
            |r| r.get(0),
        )
        .await
        .unwrap();
    let mut v = || {
        version += 1;
        version
    };
    for i in 0..60 {
        let kind = ["activity", "course", "mixer"][i % 3];
        let id = format!("seed-{i:02}");
        // Mostly in the year; a few in the month before or after.
        let span = end - start + 60 * 86_400;
        let starts = start - 30 * 86_400 + i64::try_from(rng.below(span as u64)).unwrap();
        let lessons = if kind == "course" {
            2 + rng.below(5) as i64
        } else {
            1
        };
        let ends = starts + (lessons - 1) * 7 * 86_400 + 7200;
        let status = if rng.chance(10) {
            "cancelled"
        } else {
            "published"
        };
        let lottery = kind == "course" && rng.chance(60);
        pool.execute(
            "INSERT INTO offerings (id, kind, title, summary, category, venue_id, starts_at, ends_at,
                                    signup_closes_at, waitlist_enabled, requires_approval,
                                    allocation, status, version)
             VALUES (?1, ?2, ?3, '', ?4, ?5, ?6, ?7, ?8, 1, 0, ?9, ?10, ?11)",
            args![
                id,
                kind,
                format!("种子 {i}"),
                categories[rng.below(4) as usize],
                venues[rng.below(venues.len() as u64) as usize],
                starts,
                ends,
                starts - 86_400,
                if lottery { "lottery" } else { "first_come" },
                status,
                v()
            ],
        )
        .await
        .unwrap();
        let pools: &[&str] = if kind == "mixer" {
            &["male", "female"]
        } else {
            &["all"]
        };
        for p in pools {
            pool.execute(
                "INSERT INTO offering_pools (offering_id, pool, capacity, version)
                 VALUES (?1, ?2, ?3, ?4)",
                args![id, p, 3 + rng.below(8) as i64, v()],
            )
            .await
            .unwrap();
        }
        match kind {
            "activity" => {
                pool.execute(
                    "INSERT INTO activity_settings (offering_id, volunteer_hours) VALUES (?1, 2)",
                    args![id],
                )
                .await
                .unwrap();
            }
            "course" => {
                pool.execute(
                    "INSERT INTO course_settings (offering_id, term, completion_percent)
                     VALUES (?1, '种子', ?2)",
                    args![id, [50, 75, 100][rng.below(3) as usize]],
                )
                .await
                .unwrap();
                for n in 1..=lessons {
                    let at = starts + (n - 1) * 7 * 86_400;
                    pool.execute(
                        "INSERT INTO course_lessons (offering_id, number, starts_at, ends_at)
                         VALUES (?1, ?2, ?3, ?4)",
                        args![id, n, at, at + 7200],
                    )
                    .await
                    .unwrap();
                }
            }
            _ => {
                pool.execute(
                    "INSERT INTO mixer_settings (offering_id) VALUES (?1)",
                    args![id],
                )
                .await
                .unwrap();
            }
        }
        // Sign-ups: distinct people, and now and then a walk-in without an account.
        let mut confirmed: Vec<String> = Vec::new();
        let n = rng.below(12);
        let mut taken = std::collections::BTreeSet::new();
        for k in 0..n {
            let who = rng.below(people.len() as u64) as usize;
            let walk_in = rng.chance(10);
            if !walk_in && !taken.insert(who) {
                continue;
            }
            let reg = format!("{id}-r{k:02}");
            let status = if lottery {
                [
                    "lottery_entered",
                    "not_drawn",
                    "confirmed",
                    "confirmed",
                    "won",
                ][rng.below(5) as usize]
            } else {
                [
                    "confirmed",
                    "confirmed",
                    "confirmed",
                    "waitlisted",
                    "cancelled",
                ][rng.below(5) as usize]
            };
            let pool_key = match kind {
                "mixer" => ["male", "female"][rng.below(2) as usize],
                _ => "all",
            };
            let held = starts <= now;
            let checked_in =
                kind != "course" && held && rng.chance(if status == "confirmed" { 75 } else { 15 });
            pool.execute(
                "INSERT INTO registrations (id, offering_id, user_id, pool, status, created_at,
                                            received_at, updated_at, version, application_no,
                                            walk_in_name, checked_in_at, credited_minutes)
                 VALUES (?1, ?2, ?3, ?4, ?5, 0, 0, 0, ?6, ?7, ?8, ?9, ?10)",
                args![
                    reg,
                    id,
                    (!walk_in).then(|| people[who].clone()),
                    pool_key,
                    status,
                    v(),
                    lottery.then(|| format!("SEED-{i:02}{k:02}")),
                    walk_in.then_some("路人"),
                    checked_in.then_some(starts + 60),
                    if checked_in { rng.below(180) as i64 } else { 0 }
                ],
            )
            .await
            .unwrap();
            if status == "confirmed" {
                confirmed.push(reg.clone());
            }
            if kind == "course" {
                // Lessons attended (a scan now and then twice), and a rating.
                let mut any = false;
                for l in 1..=lessons {
                    let at = starts + (l - 1) * 7 * 86_400;
                    if at > now || !rng.chance(if status == "confirmed" { 70 } else { 10 }) {
                        continue;
                    }
                    any = true;
                    for copy in 0..(1 + u64::from(rng.chance(15))) {
                        pool.execute(
                            "INSERT INTO checkins (id, registration_id, offering_id, kind, scanned_at, at,
                                                   received_at, device_id, client_id, version, lesson)
                             VALUES (?1, ?2, ?3, 'in', ?4, ?5, ?6, 'door', 'seed', ?7, ?8)",
                            args![
                                format!("{reg}-l{l}-{copy}"),
                                reg,
                                id,
                                at * 1000,
                                at + 30,
                                at + 30,
                                v(),
                                l
                            ],
                        )
                        .await
                        .unwrap();
                    }
                }
                if any && rng.chance(60) {
                    pool.execute(
                        "INSERT INTO course_ratings (registration_id, offering_id, stars, created_at, updated_at)
                         VALUES (?1, ?2, ?3, 0, 0)",
                        args![reg, id, 1 + rng.below(5) as i64],
                    )
                    .await
                    .unwrap();
                }
            }
        }
        if kind == "mixer" {
            confirmed.sort();
            for pair in confirmed.chunks(2) {
                if let [a, b] = pair
                    && rng.chance(50)
                {
                    pool.execute(
                        "INSERT INTO mixer_matches (offering_id, a_id, b_id) VALUES (?1, ?2, ?3)",
                        args![id, a, b],
                    )
                    .await
                    .unwrap();
                }
            }
        }
    }
    pool.execute(
        "UPDATE version_counter SET value = ?1 WHERE id = 1",
        args![v()],
    )
    .await
    .unwrap();
}

/// The facts, read from the rows on their own terms (not with the dashboard's SQL).
pub(crate) async fn facts(pool: &Pool) -> (Vec<OfferingFact>, Vec<RegistrationFact>) {
    type O = (String, String, String, String, i64, i64, String, String);
    let rows: Vec<O> = pool
        .fetch_all(
            "SELECT id, kind, venue_id, category, starts_at, ends_at, status, allocation
               FROM offerings WHERE status <> 'draft'",
            args![],
            |r| r.tuple(),
        )
        .await
        .unwrap();
    let mut offerings = Vec::new();
    let mut percent = std::collections::HashMap::new();
    for (id, kind, venue_id, category, starts_at, ends_at, status, allocation) in rows {
        let capacity: i64 = pool
            .fetch_one(
                "SELECT CAST(COALESCE(SUM(capacity), 0) AS BIGINT) FROM offering_pools
                  WHERE offering_id = ?1",
                args![id],
                |r| r.get(0),
            )
            .await
            .unwrap();
        let lessons: Vec<(i64, i64)> = pool
            .fetch_all(
                "SELECT number, starts_at FROM course_lessons WHERE offering_id = ?1
                  ORDER BY number",
                args![id],
                |r| r.tuple(),
            )
            .await
            .unwrap();
        let pairs: i64 = pool
            .fetch_one(
                "SELECT COUNT(*) FROM mixer_matches WHERE offering_id = ?1",
                args![id],
                |r| r.get(0),
            )
            .await
            .unwrap();
        let p: Option<i64> = pool
            .fetch_optional(
                "SELECT completion_percent FROM course_settings WHERE offering_id = ?1",
                args![id],
                |r| r.get(0),
            )
            .await
            .unwrap();
        percent.insert(id.clone(), (p.unwrap_or(75), lessons.len()));
        offerings.push(OfferingFact {
            kind: OfferingKind::parse(&kind).unwrap(),
            venue_id,
            category,
            starts_at,
            ends_at,
            cancelled: status == "cancelled",
            capacity: capacity as u32,
            lottery: allocation == "lottery",
            lessons: lessons.into_iter().map(|(n, t)| (n as u32, t)).collect(),
            pairs: pairs as u32,
            id,
        });
    }
    type R = (
        String,
        String,
        String,
        String,
        bool,
        Option<i64>,
        i64,
        Option<i64>,
    );
    let rows: Vec<R> = pool
        .fetch_all(
            "SELECT r.id, r.offering_id, COALESCE(r.user_id, r.id), r.status,
                    r.application_no IS NOT NULL, r.checked_in_at, r.credited_minutes, cr.stars
               FROM registrations r JOIN offerings o ON o.id = r.offering_id
               LEFT JOIN course_ratings cr ON cr.registration_id = r.id
              WHERE o.status <> 'draft'",
            args![],
            |r| r.tuple(),
        )
        .await
        .unwrap();
    let mut registrations = Vec::new();
    for (id, offering_id, person, status, applied, checked_in_at, minutes, stars) in rows {
        let lessons: Vec<i64> = pool
            .fetch_all(
                "SELECT lesson FROM checkins
                  WHERE registration_id = ?1 AND kind = 'in' AND lesson IS NOT NULL",
                args![id],
                |r| r.get(0),
            )
            .await
            .unwrap();
        let (p, count) = percent.get(&offering_id).copied().unwrap_or((75, 0));
        let mut distinct = lessons.clone();
        distinct.sort_unstable();
        distinct.dedup();
        let mut attended: Vec<Option<u32>> = lessons.iter().map(|l| Some(*l as u32)).collect();
        if checked_in_at.is_some() {
            attended.push(None);
        }
        registrations.push(RegistrationFact {
            offering_id,
            person,
            confirmed: status == "confirmed",
            applied,
            attended,
            credited_minutes: minutes as u32,
            completed: domain::programme::course::completed(distinct.len(), count, p as u8),
            stars: stars.map(|s| s as u8),
        });
    }
    (offerings, registrations)
}

/// The attendance the server keeps as check-ins happen (`attendances`, migrations 0013 and
/// 0014), each registration's lessons attended and each offering's counts of its registrations
/// (migration 0015) are exactly what the rows say, recounted from scratch: an activity's or a mixer's registration
/// checked in, a course's lesson with any 'in' scan; the person its account, or the
/// registration itself without one.
pub(crate) async fn assert_attendance_kept(pool: &Pool) {
    type A = (String, i64, String, String);
    fn four(r: &server::db::sql::Row<'_>) -> server::db::sql::Result<A> {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
    }
    let kept: Vec<A> = pool
        .fetch_all(
            "SELECT a.registration_id, a.lesson, a.offering_id, p.person
               FROM attendances a JOIN people p ON p.no = a.person_no
              ORDER BY a.registration_id, a.lesson",
            args![],
            four,
        )
        .await
        .unwrap();
    let recounted: Vec<A> = pool
        .fetch_all(
            "SELECT id, 0, offering_id, COALESCE(user_id, id) FROM registrations
              WHERE checked_in_at IS NOT NULL
             UNION
             SELECT r.id, c.lesson, c.offering_id, COALESCE(r.user_id, r.id)
               FROM checkins c JOIN registrations r ON r.id = c.registration_id
              WHERE c.kind = 'in' AND c.lesson IS NOT NULL
              ORDER BY 1, 2",
            args![],
            four,
        )
        .await
        .unwrap();
    assert_eq!(kept, recounted, "the kept attendance drifted from the rows");
    // Each registration's lessons attended, kept beside it.
    let drifted: Vec<(String, i64, i64)> = pool
        .fetch_all(
            "SELECT r.id, r.lessons_attended,
                    (SELECT COUNT(DISTINCT c.lesson) FROM checkins c
                      WHERE c.registration_id = r.id AND c.kind = 'in' AND c.lesson IS NOT NULL)
               FROM registrations r
              WHERE r.lessons_attended <> (SELECT COUNT(DISTINCT c.lesson) FROM checkins c
                      WHERE c.registration_id = r.id AND c.kind = 'in' AND c.lesson IS NOT NULL)",
            args![],
            |r| r.tuple(),
        )
        .await
        .unwrap();
    assert_eq!(
        drifted,
        vec![],
        "the kept lessons attended drifted from the scans"
    );
}

async fn dashboard(server: &TestServer, token: &str, query: &str) -> Dashboard {
    let r = server
        .get(&format!("/api/v1/admin/dashboard{query}"), Some(token))
        .await;
    assert_eq!(r.status(), 200, "{query}");
    r.json().await.unwrap()
}

#[tokio::test]
async fn the_dashboard_counts_what_the_definitions_say_from_the_rows() {
    let server = TestServer::spawn_with(Options {
        demo: true,
        ..Options::default()
    })
    .await;
    let admin = server.login("13900000001", DEMO_PASSWORD).await.token;
    let mut people = Vec::new();
    for i in 0..25 {
        server
            .signup(&format!("1373300{i:04}"), &format!("统计{i:02}"))
            .await;
        people.push(format!("1373300{i:04}"));
    }
    let pool = server.store().await;
    let mut ids = Vec::new();
    for phone in &people {
        let id: String = pool
            .fetch_one("SELECT id FROM users WHERE phone = ?1", args![phone], |r| {
                r.get(0)
            })
            .await
            .unwrap();
        ids.push(id);
    }
    let now = OffsetDateTime::now_utc();
    let year = domain::moment::in_china(now).year();
    seed(&pool, &ids, year, now.unix_timestamp()).await;
    assert_attendance_kept(&pool).await;
    // One activity with hours ended an hour ago: in its public notice (3 working days, the
    // default), its hours are not counted yet.
    let recent: String = pool
        .fetch_one(
            "SELECT o.id FROM offerings o JOIN registrations r ON r.offering_id = o.id
              WHERE o.kind = 'activity' AND o.status = 'published' AND r.credited_minutes > 0
              ORDER BY o.id LIMIT 1",
            args![],
            |r| r.get(0),
        )
        .await
        .unwrap();
    let t = now.unix_timestamp();
    pool.execute(
        "UPDATE offerings SET starts_at = ?1, ends_at = ?2 WHERE id = ?3",
        args![t - 3 * 3600, t - 3600, recent],
    )
    .await
    .unwrap();
    let (offerings, registrations) = facts(&pool).await;
    let pending = |days: u32| {
        count(
            &Period::year(year),
            &Filter::default(),
            t,
            days,
            &offerings,
            &registrations,
        )
        .total
        .volunteer_minutes
    };
    assert!(
        pending(3) < pending(0),
        "the recent activity's hours wait for their notice"
    );

    // This year (the default), and the year's figures under each filter.
    let year_period = Period::year(year);
    let venue: String = offerings[0].venue_id.clone();
    for (query, filter) in [
        (String::new(), Filter::default()),
        (
            format!("?from={year}-01-01&to={year}-12-31&kind=course"),
            Filter {
                kind: Some(OfferingKind::Course),
                ..Filter::default()
            },
        ),
        (
            format!("?from={year}-01-01&to={year}-12-31&kind=mixer"),
            Filter {
                kind: Some(OfferingKind::Mixer),
                ..Filter::default()
            },
        ),
        (
            format!("?from={year}-01-01&to={year}-12-31&venue_id={venue}"),
            Filter {
                venue_id: Some(venue.clone()),
                ..Filter::default()
            },
        ),
        (
            format!("?from={year}-01-01&to={year}-12-31&category=%E7%8E%AF%E4%BF%9D"),
            Filter {
                category: Some("环保".into()),
                ..Filter::default()
            },
        ),
    ] {
        // `now` moves on between the two reads only by the test's own seconds: nothing seeded
        // starts within them.
        let got = dashboard(&server, &admin, &query).await;
        let want = count(
            &year_period,
            &filter,
            OffsetDateTime::now_utc().unix_timestamp(),
            domain::hours::DEFAULT_NOTICE_DAYS,
            &offerings,
            &registrations,
        );
        assert_eq!(got, want, "{query}");
    }
    let whole = dashboard(&server, &admin, "").await.total;
    assert!(whole.events > 20 && whole.attendances > 20, "{whole:?}");
    assert!(whole.no_show.den > 0 && whole.applicants_per_place.den > 0 && whole.rating.den > 0);

    // A quarter crossing into the next year, and a single month.
    for (from, to) in [
        (format!("{year}-11-01"), format!("{}-01-31", year + 1)),
        (format!("{year}-03-01"), format!("{year}-03-31")),
    ] {
        let got = dashboard(&server, &admin, &format!("?from={from}&to={to}")).await;
        let p = Period::parse(&from, &to).unwrap();
        let want = count(
            &p,
            &Filter::default(),
            OffsetDateTime::now_utc().unix_timestamp(),
            domain::hours::DEFAULT_NOTICE_DAYS,
            &offerings,
            &registrations,
        );
        assert_eq!(got, want, "{from}–{to}");
    }

    // Bad periods and filters: a clear error, nothing else.
    for (query, field) in [
        (format!("?from={year}-12-31&to={year}-01-01"), "to"),
        ("?from=2020-01-01&to=2026-01-01".to_owned(), "to"),
        (format!("?from={year}-02-30&to={year}-03-01"), "from"),
        (format!("?from={year}-01-01"), "to"),
        (
            format!("?from={year}-01-01&to={year}-12-31&kind=party"),
            "kind",
        ),
    ] {
        let r = server
            .get(&format!("/api/v1/admin/dashboard{query}"), Some(&admin))
            .await;
        assert_eq!(r.status(), 400, "{query}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["field"], field, "{query}");
    }
}

/// The attendance kept as it happens follows every change to the rows it is made of: a
/// duplicate scan, a scan arriving later for a course's lesson, a walk-in checked in, a check-in
/// taken back, a scan deleted, a cancellation, and an account deleted through the server (its
/// registrations become their own people). After each, the kept table is recounted from the rows
/// and the dashboard still says what the definition says.
#[tokio::test]
async fn the_attendance_kept_as_it_happens_follows_every_change() {
    let server = TestServer::spawn_with(Options {
        demo: true,
        ..Options::default()
    })
    .await;
    let admin = server.login("13900000001", DEMO_PASSWORD).await.token;
    let mut people = Vec::new();
    let mut tokens = Vec::new();
    for i in 0..25 {
        let auth = server
            .signup(&format!("1374400{i:04}"), &format!("留存{i:02}"))
            .await;
        tokens.push(auth.token);
        people.push(format!("1374400{i:04}"));
    }
    let pool = server.store().await;
    let mut ids = Vec::new();
    for phone in &people {
        let id: String = pool
            .fetch_one("SELECT id FROM users WHERE phone = ?1", args![phone], |r| {
                r.get(0)
            })
            .await
            .unwrap();
        ids.push(id);
    }
    let now = OffsetDateTime::now_utc();
    let year = domain::moment::in_china(now).year();
    seed(&pool, &ids, year, now.unix_timestamp()).await;
    let period = Period::year(year);
    let query = format!("?from={year}-01-01&to={year}-12-31");
    let check = |step: &'static str| {
        let (server, admin, pool, query) = (&server, &admin, &pool, &query);
        async move {
            assert_attendance_kept(pool).await;
            let (offerings, registrations) = facts(pool).await;
            let got = dashboard(server, admin, query).await;
            let want = count(
                &period,
                &Filter::default(),
                OffsetDateTime::now_utc().unix_timestamp(),
                domain::hours::DEFAULT_NOTICE_DAYS,
                &offerings,
                &registrations,
            );
            assert_eq!(got, want, "{step}");
            got.total
        }
    };
    let before = check("seeded").await;

    // A course lesson held and a registration of it, scanned: once, then again at another door.
    let (course, lesson, reg): (String, i64, String) = pool
        .fetch_one(
            "SELECT l.offering_id, l.number, r.id FROM course_lessons l
               JOIN offerings o ON o.id = l.offering_id AND o.status = 'published'
               JOIN registrations r ON r.offering_id = l.offering_id AND r.user_id IS NOT NULL
              WHERE l.starts_at <= ?1 AND l.starts_at >= ?2
                AND NOT EXISTS (SELECT 1 FROM checkins c WHERE c.registration_id = r.id
                                 AND c.lesson = l.number)
              ORDER BY l.offering_id, l.number, r.id LIMIT 1",
            args![now.unix_timestamp(), period.bounds().0],
            |r| r.tuple(),
        )
        .await
        .unwrap();
    let scan = |id: &'static str| {
        let (pool, course, reg) = (&pool, &course, &reg);
        async move {
            pool.execute(
                "INSERT INTO checkins (id, registration_id, offering_id, kind, scanned_at, at,
                                       received_at, device_id, client_id, version, lesson)
                 VALUES (?1, ?2, ?3, 'in', 0, 0, 0, 'door', 'drift', 0, ?4)",
                args![id, reg, course, lesson],
            )
            .await
            .unwrap();
        }
    };
    scan("drift-1").await;
    let once = check("a scan for a course lesson").await;
    assert_eq!(once.attendances, before.attendances + 1);
    scan("drift-2").await;
    assert_eq!(
        check("the same lesson scanned twice").await.attendances,
        once.attendances
    );
    pool.execute("DELETE FROM checkins WHERE id = 'drift-1'", args![])
        .await
        .unwrap();
    assert_eq!(
        check("one of two scans deleted").await.attendances,
        once.attendances
    );
    pool.execute("DELETE FROM checkins WHERE id = 'drift-2'", args![])
        .await
        .unwrap();
    assert_eq!(
        check("both scans deleted").await.attendances,
        before.attendances
    );

    // A walk-in without an account, checked in at an activity held: a person of their own.
    let activity: String = pool
        .fetch_one(
            "SELECT id FROM offerings WHERE kind = 'activity' AND status = 'published'
                AND starts_at <= ?1 AND starts_at >= ?2 ORDER BY id LIMIT 1",
            args![now.unix_timestamp(), period.bounds().0],
            |r| r.get(0),
        )
        .await
        .unwrap();
    pool.execute(
        "INSERT INTO registrations (id, offering_id, user_id, pool, status, created_at,
                                    received_at, updated_at, version, walk_in_name, checked_in_at)
         VALUES ('drift-walk-in', ?1, NULL, 'all', 'confirmed', 0, 0, 0, 0, '路人', ?2)",
        args![activity, now.unix_timestamp()],
    )
    .await
    .unwrap();
    let walked = check("a walk-in checked in").await;
    assert_eq!(
        (walked.attendances, walked.people),
        (before.attendances + 1, before.people + 1)
    );
    // Checked in by a registration later (the hours recompute sets it), then taken back.
    let later: String = pool
        .fetch_one(
            "SELECT id FROM registrations WHERE offering_id = ?1 AND checked_in_at IS NULL
              ORDER BY id LIMIT 1",
            args![activity],
            |r| r.get(0),
        )
        .await
        .unwrap();
    for at in [Some(now.unix_timestamp()), None] {
        pool.execute(
            "UPDATE registrations SET checked_in_at = ?1 WHERE id = ?2",
            args![at, later],
        )
        .await
        .unwrap();
        check("a check-in set, then taken back").await;
    }
    // Cancelled: what it attended stays attended, as the definition reads it.
    pool.execute(
        "UPDATE registrations SET status = 'cancelled' WHERE id = 'drift-walk-in'",
        args![],
    )
    .await
    .unwrap();
    assert_eq!(
        check("cancelled after the event").await.attendances,
        walked.attendances
    );

    // An account deleted through the server: its registrations are kept, each its own person.
    let (who, attended): (String, i64) = pool
        .fetch_one(
            "SELECT r.user_id, COUNT(*) FROM attendances a
               JOIN registrations r ON r.id = a.registration_id
               JOIN users u ON u.id = r.user_id
              WHERE u.phone LIKE '1374400%' GROUP BY r.user_id ORDER BY 2 DESC, 1 LIMIT 1",
            args![],
            |r| r.tuple(),
        )
        .await
        .unwrap();
    let token = ids
        .iter()
        .position(|id| *id == who)
        .map(|i| tokens[i].clone())
        .unwrap();
    assert!(attended > 0, "the deleted person attended something");
    let r = server
        .http
        .delete(server.url("/api/v1/me"))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "password": GOOD_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let left: i64 = pool
        .fetch_one(
            "SELECT COUNT(*) FROM attendances a JOIN people p ON p.no = a.person_no
              WHERE p.person = ?1",
            args![who],
            |r| r.get(0),
        )
        .await
        .unwrap();
    assert_eq!(left, 0, "no attendance names the deleted account");
    check("an account deleted").await;
}
