//! Night school's and mixers' request-side reads through the store interface, one scenario run
//! on SQLite and on PostgreSQL (issue 17, docs/postgres.md): a course's list frozen and drawn
//! (the course sweep and the draw on a writer's connection of either database), its results
//! page, its summary and its CSV, the certificate keys, a mixer participant's view before and
//! after the close, and a person's copy of their data (我的). PostgreSQL needs a cluster
//! (`QT_PG_URL`); without one only the SQLite half runs.

use crate::postgres::{Fresh, sqlite_store};
use domain::programme::mixer::{Badge, ContactKind, Education, Gender, MixerProfile};
use server::db::pool::{Pool, args};
use server::db::sql;

/// Five applicants (`u0`…`u4`) and two mixer participants (`m0`, `m1`).
const APPLICANTS: usize = 5;

async fn run(db: &Pool, statements: &[(&str, Vec<sql::Value<'_>>)]) {
    for (sql, values) in statements {
        db.execute(sql, values.clone())
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

fn profile(nickname: &str, gender: Gender, wechat: Option<&str>) -> String {
    serde_json::to_string(&MixerProfile {
        nickname: nickname.into(),
        gender,
        education: Education::Bachelor,
        occupation: "工程师".into(),
        height_cm: None,
        intro: String::new(),
        contact_kind: if wechat.is_some() {
            ContactKind::Wechat
        } else {
            ContactKind::Phone
        },
        wechat_id: wechat.unwrap_or_default().into(),
        single: true,
    })
    .unwrap()
}

/// A lottery course `c1` (2 places, a waitlist, 2 lessons) whose window closed a minute ago,
/// with an application from each of `u0`…`u4`; a mixer `m` with `m0` (male) and `m1` (female)
/// checked in; a signing key.
async fn arrange(db: &Pool, now: i64) {
    for i in 0..APPLICANTS {
        db.execute(
            "INSERT INTO users (id, phone, display_name, password_hash, birth_year,
                                consent_version, consent_at, created_at, version)
             VALUES (?1, ?2, ?3, 'x', 2000, 'v1', ?4, ?4, 1)",
            args![
                format!("u{i}"),
                format!("1370000{i:04}"),
                format!("王小{i}"),
                now
            ],
        )
        .await
        .unwrap();
    }
    for (id, phone) in [("m0", "13800000000"), ("m1", "13800000001")] {
        db.execute(
            "INSERT INTO users (id, phone, display_name, password_hash, birth_year,
                                consent_version, consent_at, created_at, version)
             VALUES (?1, ?2, '参加者', 'x', 1998, 'v1', ?3, ?3, 1)",
            args![id, phone, now],
        )
        .await
        .unwrap();
    }
    run(
        db,
        &[
            (
                "INSERT INTO venues (id, name, address, version) VALUES ('v', '青年之家', '滨江', 1)",
                args![],
            ),
            (
                "INSERT INTO offerings (id, kind, title, summary, category, venue_id, starts_at,
                                        ends_at, signup_closes_at, waitlist_enabled,
                                        requires_approval, allocation, status, version)
                 VALUES ('c1', 'course', '书法', '夜校', '书法', 'v', ?1, ?2, ?3, 1, 0,
                         'lottery', 'published', 1)",
                args![now + 86_400, now + 90_000, now - 60],
            ),
            (
                "INSERT INTO offering_pools (offering_id, pool, capacity, version)
                 VALUES ('c1', 'all', 2, 1)",
                args![],
            ),
            (
                "INSERT INTO course_settings (offering_id, completion_percent)
                 VALUES ('c1', 50)",
                args![],
            ),
            (
                "INSERT INTO course_lessons (offering_id, number, starts_at, ends_at)
                 VALUES ('c1', 1, ?1, ?2), ('c1', 2, ?3, ?4)",
                args![now + 86_400, now + 90_000, now + 2 * 86_400, now + 2 * 86_400 + 3_600],
            ),
            (
                "INSERT INTO offerings (id, kind, title, summary, category, venue_id, starts_at,
                                        ends_at, signup_closes_at, version)
                 VALUES ('m', 'mixer', '联谊', '', '联谊', 'v', ?1, ?2, ?1, 1)",
                args![now - 3_600, now + 3_600],
            ),
            (
                "INSERT INTO offering_pools (offering_id, pool, capacity, version)
                 VALUES ('m', 'male', 2, 1), ('m', 'female', 2, 1)",
                args![],
            ),
            (
                "INSERT INTO mixer_settings (offering_id, picks_opened_at) VALUES ('m', ?1)",
                args![now - 600],
            ),
            (
                "INSERT INTO mixer_profiles (user_id, profile, gender, updated_at, version)
                 VALUES ('m0', ?1, 'male', ?3, 1), ('m1', ?2, 'female', ?3, 1)",
                args![
                    profile("阿青", Gender::Male, None),
                    profile("小团", Gender::Female, Some("qingtuan_1")),
                    now
                ],
            ),
            (
                "INSERT INTO signing_keys (id, secret, public_key, created_at, version)
                 VALUES (7, ?1, 'the-public-key', ?2, 1)",
                args![vec![1u8; 32], now],
            ),
        ],
    )
    .await;
    for (i, (user, pool)) in [("m0", "male"), ("m1", "female")].into_iter().enumerate() {
        db.execute(
            "INSERT INTO registrations (id, offering_id, user_id, pool, status, answers,
                                        created_at, received_at, updated_at, version, badge_no,
                                        checked_in_at)
             VALUES (?1, 'm', ?2, ?3, 'confirmed', '{}', ?4, ?4, ?4, 1, 1, ?4)",
            args![format!("r{user}"), user, pool, now - 1_000 + i as i64],
        )
        .await
        .unwrap();
    }
    for i in 0..APPLICANTS {
        let number = domain::draw::ApplicationNumber::from_codes(0x5_1234, 100 + i as u32);
        db.execute(
            "INSERT INTO registrations (id, offering_id, user_id, status, answers, created_at,
                                        received_at, updated_at, version, application_no)
             VALUES (?1, 'c1', ?2, 'lottery_entered', '{\"q\":\"答\"}', ?3, ?3, ?3, 1, ?4)",
            args![
                format!("a{i}"),
                format!("u{i}"),
                now - 7_200 + i as i64,
                number.as_str()
            ],
        )
        .await
        .unwrap();
    }
}

/// The whole scenario on one database.
async fn courses_and_mixers(db: &Pool) {
    use server::routes::courses::{csv_text, results_of, signing_keys, summary_of};
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    arrange(db, now).await;

    // Before the freeze: the course and its applications, nothing frozen or drawn.
    assert!(results_of(db, "nothing").await.unwrap().is_none());
    assert!(results_of(db, "m").await.unwrap().is_none(), "not a course");
    let before = results_of(db, "c1").await.unwrap().unwrap();
    assert_eq!(
        (
            before.title.as_str(),
            before.closes_at,
            before.applications,
            before.capacity
        ),
        ("书法", now - 60, APPLICANTS as u64, 2)
    );
    assert!(before.frozen.is_none() && before.drawn.is_none());
    let summary = summary_of(db, "c1").await.unwrap().unwrap();
    assert!(!summary.frozen && !summary.drawn);
    assert_eq!(
        summary.statuses.get("lottery_entered"),
        Some(&(APPLICANTS as u64))
    );
    assert_eq!(summary.attendance, vec![0, 0]);
    assert!(summary_of(db, "m").await.unwrap().is_none(), "not a course");

    // The sweep freezes the closed list; the draw runs once.
    let (frozen, missed) = db
        .in_writer(move |w| server::db::course::sweep_on(w, now))
        .await
        .unwrap();
    assert_eq!((frozen, missed), (1, 0));
    let frozen = results_of(db, "c1").await.unwrap().unwrap();
    let list = frozen.frozen.as_ref().expect("frozen at the close");
    assert_eq!(list.entries.len(), APPLICANTS);
    assert_eq!(list.list_hash.len(), 64);
    assert!(frozen.drawn.is_none());
    let drawn = db
        .in_writer(move |w| {
            let value = domain::draw::PublicValue::parse("2026-12-06 上证收盘 3371.92").unwrap();
            server::db::course::run_draw(w, "c1", "admin", &value, now)
        })
        .await
        .unwrap()
        .unwrap();
    assert_eq!((drawn.entries, drawn.winners, drawn.waitlisted), (5, 2, 3));

    let results = results_of(db, "c1").await.unwrap().unwrap();
    let published = results.drawn.expect("drawn");
    assert_eq!(published.drawn_at, now);
    assert_eq!(published.draw.public_value, "2026-12-06 上证收盘 3371.92");
    assert_eq!(
        published.draw.seed.len(),
        64,
        "the seed is published at the draw"
    );
    assert_eq!(published.draw.list_hash, list.list_hash);
    let positions: Vec<u32> = published.results.iter().map(|r| r.position).collect();
    assert_eq!(positions, vec![1, 2, 3, 4, 5]);
    let outcomes: Vec<&str> = published
        .results
        .iter()
        .map(|r| r.outcome.as_str())
        .collect();
    assert_eq!(
        outcomes,
        vec!["won", "won", "waitlist", "waitlist", "waitlist"]
    );
    let numbers: Vec<&String> = published.results.iter().map(|r| &r.number).collect();
    assert_eq!(
        numbers,
        published.draw.order.iter().collect::<Vec<_>>(),
        "the results in the published draw order"
    );
    for r in &published.results {
        assert!(
            r.name.starts_with('王') && r.name.contains('*'),
            "{}",
            r.name
        );
        assert!(r.phone_last4.starts_with("000"), "{}", r.phone_last4);
    }

    // The first winner confirms, attends lesson 1 (scanned twice) and 2, and rates.
    let winner = &published.results[0].number;
    let registration: String = db
        .fetch_one(
            "SELECT id FROM registrations WHERE application_no = ?1",
            args![winner],
            |r| r.get(0),
        )
        .await
        .unwrap();
    run(
        db,
        &[
            (
                "UPDATE registrations SET status = 'confirmed', confirm_by = NULL WHERE id = ?1",
                args![registration],
            ),
            (
                "INSERT INTO checkins (id, registration_id, offering_id, kind, scanned_at, at,
                                       received_at, device_id, client_id, version, lesson)
                 VALUES ('k1', ?1, 'c1', 'in', 0, ?2, ?2, 'd', 'c', 1, 1),
                        ('k2', ?1, 'c1', 'in', 0, ?2, ?2, 'd', 'c', 1, 1),
                        ('k3', ?1, 'c1', 'out', 0, ?2, ?2, 'd', 'c', 1, 1),
                        ('k4', ?1, 'c1', 'in', 0, ?2, ?2, 'd', 'c', 1, 2)",
                args![registration, now],
            ),
            (
                "INSERT INTO course_ratings (registration_id, offering_id, stars, comment,
                                             created_at, updated_at)
                 VALUES (?1, 'c1', 4, '好课', ?2, ?2)",
                args![registration, now],
            ),
        ],
    )
    .await;
    let summary = summary_of(db, "c1").await.unwrap().unwrap();
    assert!(summary.frozen && summary.drawn);
    assert_eq!(summary.statuses.get("confirmed"), Some(&1));
    assert_eq!(summary.statuses.get("won"), Some(&1));
    assert_eq!(summary.statuses.get("waitlisted"), Some(&3));
    assert_eq!(summary.attendance, vec![1, 1]);
    assert_eq!(summary.completed, 1);
    assert_eq!(summary.ratings.count, 1);
    assert!((summary.ratings.average - 4.0).abs() < f64::EPSILON);
    assert_eq!(summary.ratings.comments, vec!["好课".to_owned()]);

    // The CSV: a line per application in draw order; the attended lessons ticked once each.
    let csv = csv_text(db, "c1", 2).await.unwrap();
    let lines: Vec<&str> = csv.trim_end().split("\r\n").collect();
    assert_eq!(lines.len(), 1 + APPLICANTS, "{csv}");
    assert!(
        lines[0].contains("第1课") && lines[0].contains("第2课"),
        "{}",
        lines[0]
    );
    assert!(lines[1].contains(winner.as_str()), "{}", lines[1]);
    assert!(lines[1].ends_with(r#""✓","✓","2/2","是""#), "{}", lines[1]);
    assert!(lines[2].ends_with(r#""","","0/2","否""#), "{}", lines[2]);
    for (line, r) in lines[1..].iter().zip(&published.results) {
        assert!(line.contains(r.number.as_str()), "{line}");
    }

    // The keys a certificate is checked against.
    let keys = signing_keys(db).await.unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(
        (keys[0].id, keys[0].public_key.as_str()),
        (7, "the-public-key")
    );

    mixer(db, now).await;
    export(db, now, &registration).await;
}

/// A mixer participant's view: others checked in (with their nicknames) while the window is
/// open, their matches (with the contact shared) once it has closed.
async fn mixer(db: &Pool, now: i64) {
    use server::db::mixer::participant_view;
    let badge = |gender, number| Badge { gender, number };
    let open = participant_view(db, "rm0").await.unwrap();
    assert_eq!(open.badge, Some(badge(Gender::Male, 1)));
    assert!(open.picks.is_empty() && open.matches.is_empty());
    assert_eq!(open.present.len(), 1);
    assert_eq!(open.present[0].badge, badge(Gender::Female, 1));
    assert_eq!(open.present[0].nickname, "小团");
    assert!(
        participant_view(db, "nobody")
            .await
            .unwrap()
            .badge
            .is_none()
    );
    assert!(
        participant_view(db, "a0").await.unwrap().badge.is_none(),
        "a course's registration has no mixer view"
    );
    run(
        db,
        &[
            (
                "INSERT INTO mixer_picks (registration_id, picked_id, offering_id)
                 VALUES ('rm0', 'rm1', 'm'), ('rm1', 'rm0', 'm')",
                args![],
            ),
            (
                "INSERT INTO mixer_matches (offering_id, a_id, b_id) VALUES ('m', 'rm0', 'rm1')",
                args![],
            ),
            (
                "UPDATE mixer_settings SET picks_closed_at = ?1 WHERE offering_id = 'm'",
                args![now],
            ),
        ],
    )
    .await;
    let closed = participant_view(db, "rm0").await.unwrap();
    assert_eq!(closed.picks, vec![badge(Gender::Female, 1)]);
    assert!(closed.present.is_empty());
    assert_eq!(closed.matches.len(), 1);
    let card = &closed.matches[0];
    assert_eq!(card.badge, badge(Gender::Female, 1));
    assert_eq!(
        (
            card.nickname.as_str(),
            card.contact_kind,
            card.contact.as_str()
        ),
        ("小团", ContactKind::Wechat, "qingtuan_1")
    );
    let other = participant_view(db, "rm1").await.unwrap();
    assert_eq!(
        (
            other.matches[0].contact_kind,
            other.matches[0].contact.as_str()
        ),
        (ContactKind::Phone, "13800000000"),
        "the phone of one who shares their phone"
    );
}

/// 我的: a person's copy of their data.
async fn export(db: &Pool, now: i64, registration: &str) {
    use server::routes::me::export_of;
    let user: String = db
        .fetch_one(
            "SELECT user_id FROM registrations WHERE id = ?1",
            args![registration],
            |r| r.get(0),
        )
        .await
        .unwrap();
    run(
        db,
        &[
            (
                "INSERT INTO sessions (id, user_id, token_hash, created_at, last_used_at,
                                       expires_at)
                 VALUES ('s1', ?1, 'h1', ?2, ?2, ?3)",
                args![user, now, now + 86_400],
            ),
            (
                "INSERT INTO known_devices (token_hash, user_id, created_at, last_used_at)
                 VALUES ('d1', ?1, ?2, ?2)",
                args![user, now],
            ),
            (
                "INSERT INTO user_roles (user_id, role) VALUES (?1, 'youth')",
                args![user],
            ),
            (
                "INSERT INTO hours_requests (id, registration_id, offering_id, user_id,
                                             current_minutes, minutes, reason, created_at,
                                             version)
                 VALUES ('h1', ?1, 'c1', ?2, 0, 90, '忘了签到', ?3, 1)",
                args![registration, user, now],
            ),
        ],
    )
    .await;
    assert!(export_of(db, "nobody").await.unwrap().is_none());
    let copy = export_of(db, &user).await.unwrap().unwrap();
    assert_eq!(copy["user"]["id"], user.as_str());
    assert!(
        copy["user"]["display_name"]
            .as_str()
            .unwrap()
            .starts_with("王小")
    );
    assert_eq!(copy["user"]["roles"], serde_json::json!(["youth"]));
    assert_eq!(copy["user"]["consent"]["agreed_at"], now);
    assert!(copy["user"]["guardian"].is_null());
    assert_eq!(copy["sessions"][0]["expires_at"], now + 86_400);
    assert_eq!(copy["known_devices"].as_array().unwrap().len(), 1);
    let registrations = copy["registrations"].as_array().unwrap();
    assert_eq!(registrations.len(), 1);
    assert_eq!(registrations[0]["id"], registration);
    assert_eq!(registrations[0]["offering_title"], "书法");
    assert_eq!(registrations[0]["status"], "confirmed");
    assert_eq!(
        registrations[0]["answers"],
        serde_json::json!({ "q": "答" })
    );
    assert_eq!(registrations[0]["hours_flags"], serde_json::json!([]));
    assert_eq!(copy["hours_requests"][0]["minutes"], 90);
    assert_eq!(copy["hours_requests"][0]["reason"], "忘了签到");
    assert!(copy["mixer_profile"].is_null());
    let mixer = export_of(db, "m1").await.unwrap().unwrap();
    assert_eq!(mixer["mixer_profile"]["nickname"], "小团");
    assert_eq!(mixer["registrations"][0]["offering_id"], "m");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn courses_and_mixers_read_the_same_on_both_databases() {
    let (_dir, sqlite) = sqlite_store().await;
    courses_and_mixers(&sqlite).await;
    let Some(fresh) = Fresh::create("store_courses").await else {
        return;
    };
    courses_and_mixers(&Pool::Postgres(fresh.pool.clone())).await;
    fresh.drop().await;
}

/// An application number already taken in a course is refused by the course's unique index and
/// the next code is tried, on either database. (SQLite names the column in its refusal,
/// PostgreSQL the index: a check that knew only SQLite's words once answered 500 there when two
/// of 2,000 applicants drew the same code.)
async fn a_taken_number_is_drawn_again(db: &Pool) {
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    arrange(db, now).await;
    let tries = db
        .in_writer(|w| {
            let version = w.take_versions(1)?;
            let insert = |id: &str, user: &str, number: &str| {
                w.execute(
                    "INSERT INTO registrations (id, offering_id, user_id, status, answers,
                                                created_at, received_at, updated_at, version,
                                                application_no)
                     VALUES (?1, 'c1', ?2, 'lottery_entered', '{}', 0, 0, 0, ?3, ?4)",
                    sql::params![id, user, version, number],
                )
            };
            server::db::course::insert_numbered(w, "c1", 5, || 9, |n| insert("n1", "m0", n))?;
            let mut codes = [9, 7].into_iter();
            let mut tries = 0;
            server::db::course::insert_numbered(
                w,
                "c1",
                5,
                || codes.next().unwrap(),
                |n| {
                    tries += 1;
                    insert("n2", "m1", n)
                },
            )?;
            Ok(tries)
        })
        .await
        .unwrap();
    assert_eq!(tries, 2, "the taken code, then the next");
    let numbers: Vec<String> = db
        .fetch_all(
            "SELECT application_no FROM registrations WHERE id IN ('n1', 'n2') ORDER BY id",
            args![],
            |r| r.get(0),
        )
        .await
        .unwrap();
    let number = |code| {
        domain::draw::ApplicationNumber::from_codes(5, code)
            .as_str()
            .to_owned()
    };
    assert_eq!(numbers, [number(9), number(7)]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_taken_application_number_is_drawn_again_on_both_databases() {
    let (_dir, sqlite) = sqlite_store().await;
    a_taken_number_is_drawn_again(&sqlite).await;
    let Some(fresh) = Fresh::create("store_numbered").await else {
        return;
    };
    a_taken_number_is_drawn_again(&Pool::Postgres(fresh.pool.clone())).await;
    fresh.drop().await;
}
