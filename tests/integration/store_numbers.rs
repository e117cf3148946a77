//! The store interface on PostgreSQL (and SQLite) for the numbers, the exports' reads, the demo
//! seed and the sign-in limits: each scenario runs on a fresh SQLite database and, when a
//! cluster is given (`QT_PG_URL`), on a fresh PostgreSQL database.

use crate::postgres::{Fresh, sqlite_store};
use server::auth::rate_limit::{Attempt, Limits, RetryAfter, Settings};
use server::db::pool::{Pool, args};
use std::time::Duration;

/// A second replica's pool of connections to the fresh PostgreSQL database.
async fn other_replica(fresh: &Fresh) -> Pool {
    Pool::Postgres(
        sqlx::postgres::PgPoolOptions::new()
            .max_connections(2)
            .connect_with(fresh.admin.clone().database(&fresh.name))
            .await
            .unwrap(),
    )
}

const WINDOW_MS: i64 = 900_000;
const SECOND: i64 = 1_000;
/// 2026-01-01, Unix ms.
const T0: i64 = 1_767_225_600_000;

fn settings(limit_account: u32, limit_addr: u32) -> Settings {
    Settings {
        limit_account,
        limit_addr,
        window: Duration::from_millis(WINDOW_MS as u64),
        slowdown_base: Duration::from_millis(SECOND as u64),
    }
}

fn from<'a>(account: &'a str, addr: &'a str) -> Attempt<'a> {
    Attempt {
        account,
        addr,
        device: None,
    }
}

async fn rows(db: &Pool) -> Vec<(String, i64, i64, i64)> {
    db.fetch_all(
        "SELECT key, start_ms, count, last_ms FROM sign_in_limits ORDER BY key",
        args![],
        |r| r.tuple(),
    )
    .await
    .unwrap()
}

/// The limits' statements, one scenario for either database: sign-ups (one row), attempts
/// (three rows read and written), a success (one update), a refusal (nothing written), and
/// the counts shared with a second process's limits on the same database.
async fn limits(db: &Pool, other: &Pool) {
    let l = Limits::new(settings(2, 3), db.clone());
    l.sign_up("10.0.0.1", T0).await.unwrap().unwrap();
    assert_eq!(rows(db).await, [("addr:10.0.0.1".into(), T0, 1, T0)]);
    let a = from("13900000003", "10.0.0.1");
    l.begin(&a, T0 + SECOND).await.unwrap().unwrap();
    assert_eq!(
        rows(db).await,
        [
            ("account:13900000003".into(), T0 + SECOND, 1, T0 + SECOND),
            ("addr:10.0.0.1".into(), T0, 2, T0 + SECOND),
            (
                "pair:13900000003\naddr:10.0.0.1".into(),
                T0 + SECOND,
                1,
                T0 + SECOND
            ),
        ]
    );
    l.succeeded(&a).await.unwrap();
    let counts: Vec<i64> = rows(db).await.into_iter().map(|r| r.2).collect();
    assert_eq!(counts, [0, 2, 0], "the success forgets the pair's failure");
    // The address's third attempt passes, its fourth is refused and counts nowhere.
    l.begin(&a, T0 + 2 * SECOND).await.unwrap().unwrap();
    let before = rows(db).await;
    let RetryAfter(wait) = l.begin(&a, T0 + 3 * SECOND).await.unwrap().unwrap_err();
    assert_eq!(wait, Duration::from_millis((WINDOW_MS - 3 * SECOND) as u64));
    assert_eq!(rows(db).await, before);
    // Another process on the same database sees the same counts.
    let o = Limits::new(settings(2, 3), other.clone());
    assert!(o.begin(&a, T0 + 3 * SECOND).await.unwrap().is_err());
    assert!(
        o.sign_up("10.0.0.1", T0 + 3 * SECOND)
            .await
            .unwrap()
            .is_err()
    );
    o.begin(&from("13900000003", "10.0.0.2"), T0 + 3 * SECOND)
        .await
        .unwrap()
        .unwrap();
    let account: i64 = db
        .fetch_one(
            "SELECT count FROM sign_in_limits WHERE key = ?1",
            args!["account:13900000003"],
            |r| r.get(0),
        )
        .await
        .unwrap();
    assert_eq!(account, 2, "both processes' failures on the account");
}

#[tokio::test]
async fn the_sign_in_limits_count_on_both_databases() {
    let (_dir, sqlite) = sqlite_store().await;
    let Pool::Sqlite(file) = &sqlite else {
        unreachable!()
    };
    let other = Pool::Sqlite(
        sqlx::SqlitePool::connect_with(file.connect_options().as_ref().clone())
            .await
            .unwrap(),
    );
    limits(&sqlite, &other).await;
    let Some(fresh) = Fresh::create("store_limits").await else {
        return;
    };
    limits(
        &Pool::Postgres(fresh.pool.clone()),
        &other_replica(&fresh).await,
    )
    .await;
    fresh.drop().await;
}

#[tokio::test]
async fn two_replicas_signing_in_at_once_never_both_pass_a_limit_of_one_on_postgres() {
    let Some(fresh) = Fresh::create("store_limits_race").await else {
        return;
    };
    let one = Limits::new(settings(1, 0), Pool::Postgres(fresh.pool.clone()));
    let two = Limits::new(settings(1, 0), other_replica(&fresh).await);
    for i in 0..30 {
        let account = format!("139000001{i:02}");
        let attempt = from(&account, "10.0.0.1");
        let (a, b) = tokio::join!(one.begin(&attempt, T0), two.begin(&attempt, T0));
        let passed = [a.unwrap(), b.unwrap()]
            .iter()
            .filter(|r| r.is_ok())
            .count();
        assert_eq!(passed, 1, "round {i}: one attempt passes, the other waits");
    }
    fresh.drop().await;
}

/// The limits take no lock of the sync writers': with a writer's transaction held open on
/// one replica (it holds the version counter's row), an attempt on the other is checked and
/// counted at once, and so is its success. (Attempts that share a key still take turns: the
/// race above.)
#[tokio::test]
async fn sign_in_checks_do_not_wait_for_the_sync_writers_on_postgres() {
    let Some(fresh) = Fresh::create("store_limits_writer").await else {
        return;
    };
    let db = Pool::Postgres(fresh.pool.clone());
    let writer = db.begin_write().await.unwrap();
    let other = Limits::new(settings(1, 0), other_replica(&fresh).await);
    let attempt = from("13900000201", "10.0.0.1");
    let checked = tokio::time::timeout(Duration::from_secs(5), other.begin(&attempt, T0)).await;
    assert!(
        matches!(checked, Ok(Ok(Ok(())))),
        "an attempt is checked while a writer holds its lock, not after: {checked:?}"
    );
    let succeeded = tokio::time::timeout(Duration::from_secs(5), other.succeeded(&attempt)).await;
    assert!(matches!(succeeded, Ok(Ok(()))), "{succeeded:?}");
    writer.commit().await.unwrap();
    fresh.drop().await;
}

/// An activity's start (2026-03-07 09:00 China time), a course's first lesson (2026-04-10
/// 19:00) and a mixer's start (2026-05-16 14:00); the numbers are read at 2026-12-01.
const ACTIVITY: i64 = 1_772_845_200;
const COURSE: i64 = 1_775_818_800;
const MIXER: i64 = 1_778_911_200;
const NOW: i64 = 1_796_054_400;
const WEEK: i64 = 604_800;

/// A small year for the numbers and the exports, written through the store (the triggers
/// keep attendance, people's numbers and the offerings' counts): an activity (two places
/// confirmed, one checked in and credited two hours), a two-lesson course drawn by lottery
/// (two applicants for one place, the learner at both lessons, rated 4), a mixer (a man and a
/// woman, both there, a pair).
async fn year_of_numbers(db: &Pool) {
    for (id, phone, name) in [
        ("u1", "13900000101", "甲"),
        ("u2", "13900000102", "乙"),
        ("u3", "13900000103", "丙"),
    ] {
        db.execute(
            "INSERT INTO users (id, phone, display_name, password_hash, birth_year,
                                consent_version, consent_at, created_at, version)
             VALUES (?1, ?2, ?3, 'x', 2000, 'v', 0, 0, 0)",
            args![id, phone, name],
        )
        .await
        .unwrap();
    }
    db.execute(
        "INSERT INTO venues (id, name, address, version) VALUES ('v1', '中心', '路', 1)",
        args![],
    )
    .await
    .unwrap();
    for (id, kind, title, category, allocation, starts, ends) in [
        (
            "a1",
            "activity",
            "护河",
            "志愿",
            "first_come",
            ACTIVITY,
            ACTIVITY + 7200,
        ),
        (
            "c1",
            "course",
            "书法",
            "团课",
            "lottery",
            COURSE,
            COURSE + WEEK + 5400,
        ),
        (
            "m1",
            "mixer",
            "联谊",
            "望青团缘",
            "first_come",
            MIXER,
            MIXER + 10800,
        ),
    ] {
        db.execute(
            "INSERT INTO offerings (id, kind, title, summary, category, venue_id, starts_at,
                                    ends_at, signup_closes_at, allocation, version)
             VALUES (?1, ?2, ?3, '', ?4, 'v1', ?5, ?6, ?7, ?8, 2)",
            args![
                id,
                kind,
                title,
                category,
                starts,
                ends,
                starts - 86_400,
                allocation
            ],
        )
        .await
        .unwrap();
    }
    for (offering, pool, capacity) in [
        ("a1", "all", 10),
        ("c1", "all", 1),
        ("m1", "male", 5),
        ("m1", "female", 5),
    ] {
        db.execute(
            "INSERT INTO offering_pools (offering_id, pool, capacity, version)
             VALUES (?1, ?2, ?3, 2)",
            args![offering, pool, capacity],
        )
        .await
        .unwrap();
    }
    db.execute(
        "INSERT INTO course_settings (offering_id) VALUES ('c1')",
        args![],
    )
    .await
    .unwrap();
    for n in 0..2 {
        let at = COURSE + n * WEEK;
        db.execute(
            "INSERT INTO course_lessons (offering_id, number, starts_at, ends_at)
             VALUES ('c1', ?1, ?2, ?3)",
            args![n + 1, at, at + 5400],
        )
        .await
        .unwrap();
    }
    /// id, offering, person, pool, status, application number, draw position.
    type Registration<'a> = (
        &'a str,
        &'a str,
        &'a str,
        &'a str,
        &'a str,
        Option<&'a str>,
        Option<i64>,
    );
    let registrations: [Registration<'_>; 6] = [
        ("r1", "a1", "u1", "all", "confirmed", None, None),
        ("r2", "a1", "u2", "all", "confirmed", None, None),
        ("r3", "c1", "u1", "all", "confirmed", Some("N1"), Some(1)),
        ("r4", "c1", "u3", "all", "not_drawn", Some("N2"), Some(2)),
        ("r5", "m1", "u2", "male", "confirmed", None, None),
        ("r6", "m1", "u3", "female", "confirmed", None, None),
    ];
    for (n, (id, offering, user, pool, status, number, position)) in
        registrations.into_iter().enumerate()
    {
        db.execute(
            "INSERT INTO registrations (id, offering_id, user_id, pool, status, application_no,
                                        draw_position, created_at, received_at, updated_at,
                                        version)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8, 0, 3)",
            args![id, offering, user, pool, status, number, position, n],
        )
        .await
        .unwrap();
    }
    let checkins: [(&str, &str, i64, Option<i64>); 5] = [
        ("r1", "a1", ACTIVITY, None),
        ("r3", "c1", COURSE, Some(1)),
        ("r3", "c1", COURSE + WEEK, Some(2)),
        ("r5", "m1", MIXER, None),
        ("r6", "m1", MIXER, None),
    ];
    for (n, (registration, offering, at, lesson)) in checkins.into_iter().enumerate() {
        db.execute(
            "INSERT INTO checkins (id, registration_id, offering_id, kind, scanned_at, at,
                                   received_at, device_id, client_id, version, lesson)
             VALUES (?1, ?2, ?3, 'in', ?4, ?5, ?5, 'door', 'c', 4, ?6)",
            args![
                format!("k{n}"),
                registration,
                offering,
                at * 1000,
                at,
                lesson
            ],
        )
        .await
        .unwrap();
    }
    for sql in [
        "UPDATE registrations SET checked_in_at = ?1, credited_minutes = 120 WHERE id = 'r1'",
        "UPDATE registrations SET checked_in_at = ?1 + 1 WHERE id IN ('r5', 'r6')",
        "INSERT INTO course_ratings (registration_id, offering_id, stars, created_at, updated_at)
         VALUES ('r3', 'c1', 4, ?1, ?1)",
        "INSERT INTO mixer_matches (offering_id, a_id, b_id) VALUES ('m1', 'r5', 'r6')",
    ] {
        db.execute(sql, args![ACTIVITY]).await.unwrap();
    }
    db.execute(
        "INSERT INTO course_draws (offering_id, frozen_at, entries, list_hash, seed,
                                   seed_commitment, drawn_at, version)
         VALUES ('c1', ?1, 2, 'h', ?2, 's', ?1, 5)",
        args![COURSE - 86_400, vec![0u8; 32]],
    )
    .await
    .unwrap();
}

/// The numbers and the exports' reads of [`year_of_numbers`]: what each figure must be, the
/// filters, the report's top lists; the dashboard and the report are returned to be compared
/// across the databases.
async fn numbers(db: &Pool) -> (domain::numbers::Dashboard, domain::numbers::Report) {
    use domain::numbers::{Filter, Period, Ratio};
    use server::db::{exports, numbers};
    year_of_numbers(db).await;
    let year = Period::year(2026);
    let d = numbers::dashboard(db, &year, &Filter::default(), NOW, 7)
        .await
        .unwrap();
    let f = &d.total;
    assert_eq!(f.events, 4, "the activity, two lessons, the mixer: {f:?}");
    assert_eq!(f.attendances, 5, "{f:?}");
    assert_eq!(f.people, 3, "{f:?}");
    assert_eq!(f.volunteer_minutes, 120, "{f:?}");
    assert_eq!(f.no_show, Ratio { num: 1, den: 4 }, "{f:?}");
    assert_eq!(f.pairs, 1, "{f:?}");
    assert_eq!(f.applicants_per_place, Ratio { num: 2, den: 1 }, "{f:?}");
    assert_eq!(f.rating, Ratio { num: 4, den: 1 }, "{f:?}");
    assert_eq!(f.completion, Ratio { num: 1, den: 1 }, "{f:?}");
    let months: Vec<(&str, u64)> = d
        .months
        .iter()
        .filter(|r| r.figures.events > 0)
        .map(|r| (r.key.as_str(), r.figures.events))
        .collect();
    assert_eq!(months, [("2026-03", 1), ("2026-04", 2), ("2026-05", 1)]);
    assert_eq!(d.venues.len(), 1);
    assert_eq!(d.categories.len(), 3);
    // Before the notice is over, the activity's hours do not count yet.
    let early = numbers::dashboard(db, &year, &Filter::default(), ACTIVITY + 7200, 7)
        .await
        .unwrap();
    assert_eq!(early.total.volunteer_minutes, 0);
    assert_eq!(early.total.events, 1);
    // Each filter, given as a parameter.
    for (filter, events) in [
        (
            Filter {
                kind: Some(domain::OfferingKind::Course),
                ..Filter::default()
            },
            2,
        ),
        (
            Filter {
                venue_id: Some("v1".into()),
                ..Filter::default()
            },
            4,
        ),
        (
            Filter {
                venue_id: Some("v2".into()),
                ..Filter::default()
            },
            0,
        ),
        (
            Filter {
                category: Some("望青团缘".into()),
                ..Filter::default()
            },
            1,
        ),
    ] {
        let got = numbers::dashboard(db, &year, &filter, NOW, 7)
            .await
            .unwrap();
        assert_eq!(got.total.events, events, "{filter:?}");
    }
    let report = numbers::report(db, 2026, NOW, 7).await.unwrap();
    assert_eq!(report.dashboard, d);
    assert_eq!(
        report.venue_names,
        [("v1".to_owned(), "中心".to_owned())].into()
    );
    let top: Vec<&str> = report
        .top_attendance
        .iter()
        .map(|p| p.offering_id.as_str())
        .collect();
    assert_eq!(top.len(), 3, "{top:?}");
    assert_eq!(report.top_rating[0].offering_id, "c1");
    assert_eq!(
        numbers::venue_names(db).await.unwrap().get("v1").unwrap(),
        "中心"
    );
    // The exports' own reads.
    assert_eq!(
        exports::attendance(db, "c1").await.unwrap(),
        [(
            Some("甲".to_owned()),
            Some("13900000101".to_owned()),
            Some("1,2".to_owned())
        )]
    );
    let (capacity, drawn) = exports::draw(db, "c1").await.unwrap().expect("drawn");
    assert_eq!(capacity, 1);
    let positions: Vec<(i64, Option<String>, String)> = drawn
        .into_iter()
        .map(|(p, n, _, _, status)| (p, n, status))
        .collect();
    assert_eq!(
        positions,
        [
            (1, Some("N1".into()), "confirmed".into()),
            (2, Some("N2".into()), "not_drawn".into())
        ]
    );
    assert_eq!(exports::draw(db, "a1").await.unwrap(), None, "not drawn");
    let (start, end) = year.bounds();
    let hours = exports::hours(db, start, end, NOW).await.unwrap();
    assert_eq!(
        hours,
        [(
            Some("甲".into()),
            Some("13900000101".into()),
            None,
            "护河".into(),
            Some("中心".into()),
            ACTIVITY,
            120
        )]
    );
    (d, report)
}

#[tokio::test]
async fn the_numbers_and_the_exports_read_the_same_on_both_databases() {
    let (_dir, sqlite) = sqlite_store().await;
    let on_sqlite = numbers(&sqlite).await;
    let Some(fresh) = Fresh::create("store_numbers").await else {
        return;
    };
    let on_postgres = numbers(&Pool::Postgres(fresh.pool.clone())).await;
    assert_eq!(on_postgres, on_sqlite);
    fresh.drop().await;
}
