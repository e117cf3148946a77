//! Night school from start to finish, through the real engine and the real server: the window
//! (online and offline applications, the term limit, a late one), the close (the list frozen,
//! withdrawals refused), the draw (once, by an admin, checkable by anyone), confirmations (a
//! decline and a missed deadline move the waitlist), attendance per lesson, the certificate
//! and the rating.

use domain::{
    draw,
    hours::ScanKind,
    registration::RegistrationStatus,
    sync::{CancelArgs, CheckinArgs, ConfirmArgs, Op, RateArgs, RequestArgs},
};
use engine::Store;
use serde_json::{Value, json};
use server::db::pool::args;
use tests::device::{Engine, act, row, uuid};
use tests::{DEMO_PASSWORD, Options, TestServer, now_ms};
use time::{Duration, OffsetDateTime, format_description::well_known::Rfc3339};

/// The course from start to finish has a window of eight seconds that its applicants must get
/// into; the window at scale keeps both cores busy for most of a minute. They take turns.
static ONE_WINDOW_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn engine(server: &TestServer, token: &str) -> Engine {
    tests::device::engine(&server.base_url, token)
}

/// A lottery course of `capacity` places in term "2027 春", its window closing `closes_in`
/// from now, four weekly lessons from a week on, run by the demo organizer.
async fn course(
    server: &TestServer,
    admin: &str,
    title: &str,
    capacity: u32,
    closes_in: Duration,
) -> String {
    course_run_by(
        server,
        admin,
        title,
        capacity,
        closes_in,
        &["user-13900000002"],
    )
    .await
}

/// [`course`] at the demo's venue 滨江, run by `organizers`.
async fn course_run_by(
    server: &TestServer,
    admin: &str,
    title: &str,
    capacity: u32,
    closes_in: Duration,
    organizers: &[&str],
) -> String {
    let now = OffsetDateTime::now_utc();
    let t = |x: OffsetDateTime| x.format(&Rfc3339).unwrap();
    let lessons: Vec<Value> = (0..4)
        .map(|w| {
            let start = now + Duration::days(7 + 7 * w);
            json!({ "starts_at": t(start), "ends_at": t(start + Duration::minutes(90)) })
        })
        .collect();
    let body = json!({
        "draft": {
            "title": title, "summary": "夜校", "category": "书法", "venue_id": "venue-binjiang",
            "starts_at": lessons[0]["starts_at"], "ends_at": lessons[3]["ends_at"],
            "signup_closes_at": t(now + closes_in),
            "allocation": "lottery", "waitlist_enabled": true,
            "quotas": [{ "pool": "all", "capacity": capacity }],
            "programme": { "kind": "course", "term": "2027 春", "teacher": "王老师",
                           "lessons": lessons, "confirm_hours": 1 },
        },
        "publish": true,
        "organizer_ids": organizers,
    });
    let r = server
        .post("/api/v1/admin/offerings", Some(admin), &body)
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let created: Value = r.json().await.unwrap();
    created["id"].as_str().unwrap().to_owned()
}

fn apply(offering_id: &str) -> (String, Op) {
    let id = uuid();
    let op = Op::RegistrationRequest(RequestArgs {
        registration_id: id.clone(),
        offering_id: offering_id.into(),
        answers: Default::default(),
    });
    (id, op)
}

async fn results(server: &TestServer, offering_id: &str) -> Value {
    let r = server
        .get(&format!("/api/v1/courses/{offering_id}/results"), None)
        .await;
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

#[tokio::test]
async fn a_course_from_its_window_to_the_certificate_and_the_rating() {
    let _turn = ONE_WINDOW_AT_A_TIME.lock().await;
    const APPLICANTS: usize = 30;
    const PLACES: u32 = 6;
    let server = TestServer::spawn_with(Options {
        demo: true,
        ..Options::default()
    })
    .await;
    let pool = server.store().await;
    let admin = server.login("13900000001", DEMO_PASSWORD).await.token;
    let organizer = server.login("13900000002", DEMO_PASSWORD).await.token;
    // Accounts first: each sign-up hashes a password, which on a loaded machine would take
    // much of the window below.
    let mut accounts = Vec::new();
    for i in 0..APPLICANTS {
        let name = format!("学员{i:02}");
        let token = server.signup(&format!("1371000{i:04}"), &name).await.token;
        accounts.push((name, token));
    }
    let late_token = server.signup("13720000000", "迟到者").await.token;
    let closes_in = Duration::seconds(8);
    let id = course(&server, &admin, "书法·周二晚", PLACES, closes_in).await;
    let opened = std::time::Instant::now();

    // The window: applicants on their phones, some offline until just before the close.
    let mut people: Vec<(Engine, String, String)> = Vec::new(); // (device, registration, name)
    for (i, (name, token)) in accounts.into_iter().enumerate() {
        let device = engine(&server, &token);
        let (reg, op) = apply(&id);
        device.enqueue(&op, now_ms(), None).await.unwrap();
        if i % 3 != 0 {
            device.sync(now_ms()).await.unwrap();
        }
        people.push((device, reg, name));
    }
    // The offline third reaches the server before the close.
    for (device, _, _) in people.iter().step_by(3) {
        device.sync(now_ms()).await.unwrap();
    }
    let mut numbers = std::collections::HashSet::new();
    for (device, reg, _) in &people {
        let r = row(device, reg).await;
        assert_eq!(r.status, RegistrationStatus::LotteryEntered);
        let number = r.application_no.expect("an application number");
        assert!(draw::ApplicationNumber::parse(&number).is_ok(), "{number}");
        assert!(numbers.insert(number), "numbers are unique in a course");
    }
    // Before the close the page shows only how many have applied.
    let before = results(&server, &id).await;
    assert_eq!(before["applications"], APPLICANTS);
    assert!(before["frozen"].is_null() && before["drawn"].is_null());

    // The term limit: two courses of the same term, then a third is refused.
    let other_a = course(&server, &admin, "国画", 10, Duration::days(1)).await;
    let other_b = course(&server, &admin, "摄影", 10, Duration::days(1)).await;
    let (keen, _, _) = &people[1];
    assert_eq!(act(keen, apply(&other_a).1).await, None);
    let (refused, op) = apply(&other_b);
    assert_eq!(
        act(keen, op).await,
        None,
        "a refusal is a decision, not an error"
    );
    let r = row(keen, &refused).await;
    assert_eq!(r.status, RegistrationStatus::Rejected);
    assert_eq!(r.reject_reason.as_deref(), Some("term_limit"));

    // A draw before the close is refused.
    let draw_path = format!("/api/v1/admin/offerings/{id}/draw");
    let r = server
        .post(&draw_path, Some(&admin), &json!({ "public_value": "" }))
        .await;
    assert_eq!(r.status(), 409);

    // The close: an application after it is refused; the list is frozen by the writer's job.
    assert!(
        opened.elapsed() < closes_in.unsigned_abs(),
        "the window closed before the test's work in it was done ({:?}): the machine is slower than this test allows",
        opened.elapsed()
    );
    let wait = closes_in.unsigned_abs().saturating_sub(opened.elapsed());
    tokio::time::sleep(wait + std::time::Duration::from_millis(1100)).await;
    let late = engine(&server, &late_token);
    let (late_reg, op) = apply(&id);
    act(&late, op).await;
    assert_eq!(
        row(&late, &late_reg).await.reject_reason.as_deref(),
        Some("closed")
    );
    // The sweep that freezes the list; the server's own periodic run may have come first (at a
    // minute's start), so the freeze is checked in the results below, not by this run's count.
    server
        .sweep_courses(OffsetDateTime::now_utc().unix_timestamp())
        .await;
    let at_close = results(&server, &id).await;
    let entries: Vec<draw::PublishedEntry> =
        serde_json::from_value(at_close["frozen"]["entries"].clone()).unwrap();
    assert_eq!(entries.len(), APPLICANTS);
    let list_hash = at_close["frozen"]["list_hash"].as_str().unwrap().to_owned();
    assert!(draw::verify_list(&entries, &list_hash).is_ok());
    // Withdrawing after the freeze is refused: the list's hash is public.
    let (device, reg, _) = &people[0];
    let code = act(
        device,
        Op::RegistrationCancel(CancelArgs {
            registration_id: reg.clone(),
        }),
    )
    .await;
    assert_eq!(code.as_deref(), Some("not_cancellable"));

    // The draw: not by a young person, once by an admin, never twice.
    let youth = server.login("13900000003", DEMO_PASSWORD).await.token;
    let r = server
        .post(
            &draw_path,
            Some(&youth),
            &json!({ "public_value": "1 7 23" }),
        )
        .await;
    assert_eq!(r.status(), 403);
    let r = server
        .post(
            &draw_path,
            Some(&admin),
            &json!({ "public_value": "1\u{0}7" }),
        )
        .await;
    assert_eq!(r.status(), 400, "a public value with a control character");
    let r = server
        .post(
            &draw_path,
            Some(&admin),
            &json!({ "public_value": "1 7 23" }),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let drawn: Value = r.json().await.unwrap();
    assert_eq!(drawn["winners"], PLACES);
    assert_eq!(drawn["waitlisted"], APPLICANTS - PLACES as usize);
    let r = server
        .post(&draw_path, Some(&admin), &json!({ "public_value": "9" }))
        .await;
    assert_eq!(r.status(), 409, "a draw is run once");

    // The published results: anyone can redo the draw; the list is the one frozen at the close.
    let page = results(&server, &id).await;
    let published: draw::PublishedDraw =
        serde_json::from_value(page["drawn"]["draw"].clone()).unwrap();
    assert_eq!(published.list_hash, list_hash);
    assert_eq!(published.public_value, "1 7 23");
    assert_eq!(draw::verify(&published), Ok(()));
    let mut altered = published.clone();
    altered.order.swap(0, PLACES as usize);
    assert!(draw::verify(&altered).is_err());
    let shown: Vec<Value> = page["drawn"]["results"].as_array().unwrap().clone();
    assert_eq!(shown.len(), APPLICANTS);
    for (i, r) in shown.iter().enumerate() {
        assert_eq!(r["position"], i + 1);
        assert_eq!(r["number"], published.order[i].as_str());
        let name = r["name"].as_str().unwrap();
        assert!(
            name.contains('*') && !name.contains("学员"),
            "masked: {name}"
        );
        assert_eq!(r["phone_last4"].as_str().unwrap().len(), 4);
    }

    // Everyone's device learns the outcome.
    let mut winners = Vec::new();
    let mut waiting = Vec::new();
    for (device, reg, _) in &people {
        device.sync(now_ms()).await.unwrap();
        let r = row(device, reg).await;
        match r.status {
            RegistrationStatus::Won => {
                assert!(r.confirm_by.is_some());
                winners.push((device, reg.clone()));
            }
            RegistrationStatus::Waitlisted => {
                waiting.push((device, reg.clone(), r.waitlist_position.unwrap()))
            }
            other => panic!("after the draw: {other:?}"),
        }
    }
    assert_eq!(winners.len(), PLACES as usize);
    waiting.sort_by_key(|w| w.2);
    assert_eq!(
        waiting.first().map(|w| w.2),
        Some(1),
        "the waitlist is gapless"
    );

    // Confirm, decline, and one who lets the deadline pass.
    let confirm = |reg: &str, accept| {
        Op::CourseConfirm(ConfirmArgs {
            registration_id: reg.to_owned(),
            accept,
        })
    };
    let (learner, learner_reg) = (&winners[0].0, winners[0].1.clone());
    assert_eq!(act(learner, confirm(&learner_reg, true)).await, None);
    let r = row(learner, &learner_reg).await;
    assert_eq!(r.status, RegistrationStatus::Confirmed);
    assert!(r.ticket.is_some(), "a confirmed learner has a ticket");
    // Confirming twice changes nothing (a retry).
    assert_eq!(act(learner, confirm(&learner_reg, true)).await, None);
    let (decliner, declined) = (&winners[1].0, winners[1].1.clone());
    assert_eq!(act(decliner, confirm(&declined, false)).await, None);
    assert_eq!(
        row(decliner, &declined).await.status,
        RegistrationStatus::Cancelled
    );
    // A place not won cannot be confirmed.
    let (not_won, not_won_reg, _) = &waiting[5];
    assert_eq!(
        act(not_won, confirm(not_won_reg, true)).await.as_deref(),
        Some("wrong_status")
    );
    // The first on the waitlist was offered the declined place, with their own deadline.
    let (first_waiting, first_reg, _) = &waiting[0];
    first_waiting.sync(now_ms()).await.unwrap();
    let r = row(first_waiting, first_reg).await;
    assert_eq!(r.status, RegistrationStatus::Won);
    assert!(r.confirm_by.is_some());
    // Everyone else who won confirms, except winners[2]: their deadline passes.
    for (device, reg) in winners.iter().skip(3) {
        assert_eq!(act(device, confirm(reg, true)).await, None);
    }
    assert_eq!(act(first_waiting, confirm(first_reg, true)).await, None);
    let later = OffsetDateTime::now_utc().unix_timestamp() + 2 * 3600;
    let (_, missed) = server.sweep_courses(later).await;
    assert_eq!(missed, 1);
    let (slow, slow_reg) = (&winners[2].0, winners[2].1.clone());
    slow.sync(now_ms()).await.unwrap();
    assert_eq!(
        row(slow, &slow_reg).await.status,
        RegistrationStatus::Cancelled
    );
    let (second_waiting, second_reg, _) = &waiting[1];
    second_waiting.sync(now_ms()).await.unwrap();
    assert_eq!(
        row(second_waiting, second_reg).await.status,
        RegistrationStatus::Won
    );
    // Confirming after the deadline is refused, by the server's clock.
    assert_eq!(
        act(slow, confirm(&slow_reg, true)).await.as_deref(),
        Some("wrong_status")
    );
    // Never more places taken than the course has.
    let (taken, cap): (i64, i64) = pool
        .fetch_one(
            "SELECT seats_taken, capacity FROM offering_pools
              WHERE offering_id = ?1 AND pool = 'all'",
            args![id],
            |r| r.tuple(),
        )
        .await
        .unwrap();
    let holding: i64 = pool
        .fetch_one(
            "SELECT COUNT(*) FROM registrations
              WHERE offering_id = ?1 AND status IN ('won', 'confirmed')",
            args![id],
            |r| r.get(0),
        )
        .await
        .unwrap();
    assert_eq!((taken, cap), (holding, i64::from(PLACES)));

    // Attendance: two doors record lessons 1, 2 and 3 (lesson 1 twice).
    let door_a = engine(&server, &organizer);
    let door_b = engine(&server, &organizer);
    door_a.sync(now_ms()).await.unwrap();
    door_b.sync(now_ms()).await.unwrap();
    let scan = |lesson: Option<u32>, device: &str| {
        Op::CheckinRecord(CheckinArgs {
            checkin_id: uuid(),
            registration_id: learner_reg.clone(),
            kind: ScanKind::In,
            scanned_at: now_ms(),
            device_id: device.into(),
            lesson,
        })
    };
    assert_eq!(act(&door_a, scan(Some(1), "door-a")).await, None);
    assert_eq!(act(&door_b, scan(Some(1), "door-b")).await, None);
    assert_eq!(act(&door_b, scan(Some(2), "door-b")).await, None);
    assert_eq!(act(&door_a, scan(Some(3), "door-a")).await, None);
    assert_eq!(
        act(&door_a, scan(None, "door-a")).await.as_deref(),
        Some("bad_args")
    );
    assert_eq!(
        act(&door_a, scan(Some(5), "door-a")).await.as_deref(),
        Some("bad_args")
    );
    let dups: i64 = pool
        .fetch_one(
            "SELECT COUNT(*) FROM checkins
              WHERE registration_id = ?1 AND duplicate_of IS NOT NULL",
            args![learner_reg],
            |r| r.get(0),
        )
        .await
        .unwrap();
    assert_eq!(dups, 1, "the second scan of lesson 1 is flagged");
    // The attendance the numbers read is kept as the scans arrive: lesson 1 once.
    crate::numbers::assert_attendance_kept(&pool).await;
    let kept: Vec<i64> = pool
        .fetch_all(
            "SELECT lesson FROM attendances WHERE registration_id = ?1 ORDER BY lesson",
            args![learner_reg],
            |r| r.get(0),
        )
        .await
        .unwrap();
    assert_eq!(kept, [1, 2, 3]);

    // The certificate: 3 of 4 lessons reaches 75 %; anyone can check it, an altered one fails.
    learner.sync(now_ms()).await.unwrap();
    let r = row(learner, &learner_reg).await;
    assert_eq!(r.lessons_attended, vec![1, 2, 3]);
    let certificate = r.certificate.expect("a certificate at 75 %");
    let check = |code: String| {
        let server = &server;
        async move {
            let url = format!("/api/v1/certificates/verify?code={}", url_escape(&code));
            server.get(&url, None).await
        }
    };
    let ok = check(certificate.clone()).await;
    assert_eq!(ok.status(), 200);
    let claims: Value = ok.json().await.unwrap();
    assert_eq!(
        (claims["a"].clone(), claims["l"].clone()),
        (json!(3), json!(4))
    );
    assert_eq!(claims["t"], "书法·周二晚");
    let (body, sig) = certificate.rsplit_once('.').unwrap();
    let mut forged = body.to_owned();
    forged.pop();
    forged.push(if body.ends_with('A') { 'B' } else { 'A' });
    assert_eq!(check(format!("{forged}.{sig}")).await.status(), 400);

    // The rating: not before the last lesson; not without attending; 1–5; once, editable.
    let rate = |reg: &str, stars: u8| {
        Op::CourseRate(RateArgs {
            registration_id: reg.to_owned(),
            stars,
            comment: "老师很耐心".into(),
        })
    };
    assert_eq!(
        act(learner, rate(&learner_reg, 5)).await.as_deref(),
        Some("not_over_yet")
    );
    // The term goes by: the lessons are over.
    pool.execute(
        "UPDATE course_lessons SET starts_at = starts_at - 60 * 86400, ends_at = ends_at - 60 * 86400
          WHERE offering_id = ?1",
        args![id],
    )
    .await
    .unwrap();
    assert_eq!(
        act(learner, rate(&learner_reg, 6)).await.as_deref(),
        Some("bad_args")
    );
    let (absent, absent_reg) = (&winners[3].0, winners[3].1.clone());
    assert_eq!(
        act(absent, rate(&absent_reg, 4)).await.as_deref(),
        Some("not_attended")
    );
    assert_eq!(act(learner, rate(&learner_reg, 4)).await, None);
    assert_eq!(
        act(learner, rate(&learner_reg, 5)).await,
        None,
        "editable for a week"
    );
    let r = row(learner, &learner_reg).await;
    assert_eq!(r.rating, Some((5, "老师很耐心".to_owned())));

    // The admin's view: statuses, attendance per lesson, completion, ratings without names.
    let r = server
        .get(
            &format!("/api/v1/admin/offerings/{id}/course"),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status(), 200);
    let summary: Value = r.json().await.unwrap();
    assert_eq!(summary["drawn"], true);
    assert_eq!(summary["attendance"], json!([1, 1, 1, 0]));
    assert_eq!(summary["completed"], 1);
    assert_eq!(summary["ratings"]["count"], 1);
    assert_eq!(summary["ratings"]["average"], 5.0);
    assert_eq!(summary["ratings"]["comments"], json!(["老师很耐心"]));
    assert!(
        !summary.to_string().contains("学员"),
        "no names in the summary"
    );
    let holding = summary["statuses"]["confirmed"].as_u64().unwrap()
        + summary["statuses"]["won"].as_u64().unwrap_or(0);
    assert_eq!(holding, u64::from(PLACES));

    // The export: one line per application, a column per lesson, completion.
    let csv = server
        .get(
            &format!("/api/v1/admin/offerings/{id}/registrations.csv"),
            Some(&admin),
        )
        .await
        .text()
        .await
        .unwrap();
    let header = csv.lines().next().unwrap();
    assert!(header.contains("申请编号") && header.contains("第4课") && header.contains("结业"));
    // Every registration, as in the activities' export: the late one refused at the close too.
    assert_eq!(csv.lines().count(), 1 + APPLICANTS + 1);
    let number = row(learner, &learner_reg).await.application_no.unwrap();
    let learner_line = csv.lines().find(|l| l.contains(&number)).unwrap();
    assert!(learner_line.ends_with("\"3/4\",\"是\""), "{learner_line}");
}

fn url_escape(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// How an applicant's device reaches the server during the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Way {
    /// Online: one sync.
    Online,
    /// Through the fault proxy: requests and answers lost, requests sent twice; the device
    /// syncs again until its outbox is empty.
    Faulty,
    /// Offline while applying; the application waits in the outbox and is sent later, before
    /// the close.
    Offline,
    /// Offline until after the close: received too late.
    Late,
}

/// An application as the server holds it: registration id, person, status, reason for a
/// refusal, number, when it was received (server clock).
type Application = (String, String, String, Option<String>, Option<String>, i64);

struct Applicant {
    device: Engine,
    user_id: String,
    /// The application to the big course.
    registration: String,
    way: Way,
}

/// Syncs until the outbox is empty, retrying what the network loses; at most `tries` times.
async fn sync_through(device: &Engine, tries: usize) {
    let mut last = String::new();
    for _ in 0..tries {
        match device.sync(now_ms()).await {
            Ok(_) if device.store().outbox().await.unwrap().is_empty() => return,
            Ok(report) => last = format!("{report:?}"),
            Err(engine::SyncError::Transport(e)) if e.is_transient() => last = format!("{e:?}"),
            Err(e) => panic!("a sync failed for good: {e:?}"),
        }
    }
    panic!("still unsent after {tries} syncs; the last: {last}");
}

/// The window at scale, through the real engine: 2,000 people apply to one course, online,
/// offline (sent later, before the close), through a network that loses requests and answers
/// and sends some twice (so devices send again), and a few only after the close; 100 of them
/// apply from a second phone to two more courses of the same term at the same moment, one
/// more than the term allows. Then the close, the freeze, the draw; every application must be
/// counted exactly once with its own number, the frozen list must be exactly what arrived
/// before the close, the winners exactly the places, the waitlist the rest of the draw order,
/// and the published results must recompute to the order the database holds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_applications_through_a_faulty_network_are_each_counted_once() {
    const PEOPLE: usize = 2_000;
    const RACERS: usize = 100;
    const PLACES: u32 = 150;
    const AT_ONCE: usize = 64;
    use futures::StreamExt;
    use std::collections::{BTreeMap, BTreeSet};
    use tests::proxy::{FaultProxy, Faults};
    let _turn = ONE_WINDOW_AT_A_TIME.lock().await;

    // No demo district: every device's first sync downloads the whole public catalogue, and
    // here it is only these three courses. People, the admin and the venue are written
    // straight into the database.
    let server = TestServer::spawn().await;
    let pool = server.store().await;
    let mut people = server.add_youths("1375", PEOPLE + 1).await;
    let (admin_id, admin) = people.pop().unwrap();
    pool.execute(
        "INSERT INTO user_roles (user_id, role) VALUES (?1, 'admin')",
        args![admin_id],
    )
    .await
    .unwrap();
    pool.execute(
        "INSERT INTO venues (id, name, address, version)
         SELECT 'venue-binjiang', '滨江青年之家', '滨江区', value FROM version_counter",
        args![],
    )
    .await
    .unwrap();
    let course =
        |title, capacity| course_run_by(&server, &admin, title, capacity, Duration::days(1), &[]);
    let big = course("短视频·周四晚", PLACES).await;
    let other_a = course("篮球", 10).await;
    let other_b = course("中医养生", 10).await;
    let proxy = FaultProxy::start(&server.base_url, 11).await;
    proxy.set_faults(Faults {
        drop_request: 0.2,
        drop_response: 0.2,
        duplicate: 0.1,
        max_delay_ms: 5,
    });

    let mut applicants: Vec<Applicant> = people
        .iter()
        .enumerate()
        .map(|(i, (user_id, token))| {
            let way = match i % 20 {
                19 => Way::Late,
                _ if i % 3 == 0 => Way::Faulty,
                _ if i % 3 == 1 => Way::Offline,
                _ => Way::Online,
            };
            let url = if way == Way::Faulty {
                &proxy.url
            } else {
                &server.base_url
            };
            Applicant {
                device: tests::device::engine(url, token),
                user_id: user_id.clone(),
                registration: String::new(),
                way,
            }
        })
        .collect();
    // The racers: online people whose second phone applies to both other courses while the
    // first applies to the big one.
    let mut racers: Vec<(usize, Engine, String, String)> = Vec::new();
    for (i, a) in applicants.iter().enumerate() {
        if a.way == Way::Online && racers.len() < RACERS {
            racers.push((
                i,
                engine(&server, &people[i].1),
                String::new(),
                String::new(),
            ));
        }
    }

    // The window: everyone applies on their phone at once.
    for a in &mut applicants {
        let (id, op) = apply(&big);
        a.device.enqueue(&op, now_ms(), None).await.unwrap();
        a.registration = id;
    }
    for (_, phone, a_reg, b_reg) in &mut racers {
        let (a, op) = apply(&other_a);
        phone.enqueue(&op, now_ms(), None).await.unwrap();
        let (b, op) = apply(&other_b);
        phone.enqueue(&op, now_ms(), None).await.unwrap();
        (*a_reg, *b_reg) = (a, b);
    }
    let first_phones = futures::stream::iter(applicants.iter())
        .filter(|a| std::future::ready(matches!(a.way, Way::Online | Way::Faulty)))
        .map(|a| sync_through(&a.device, 60));
    let second_phones = futures::stream::iter(racers.iter()).map(|r| sync_through(&r.1, 1));
    futures::stream::select(first_phones, second_phones)
        .buffer_unordered(AT_ONCE)
        .collect::<Vec<()>>()
        .await;
    // The offline ones get a network before the close: their queued applications go.
    futures::stream::iter(applicants.iter().filter(|a| a.way == Way::Offline))
        .map(|a| sync_through(&a.device, 1))
        .buffer_unordered(AT_ONCE)
        .collect::<Vec<()>>()
        .await;
    use std::sync::atomic::Ordering::Relaxed;
    let counts = proxy.counts();
    assert!(counts.dropped_requests.load(Relaxed) > 50);
    assert!(counts.dropped_responses.load(Relaxed) > 50);
    assert!(counts.duplicated.load(Relaxed) > 20);

    // The close: the window ends at the next second, by the server's clock (moved there rather
    // than waited for a day), and the late phones come online after it.
    let closed_at = OffsetDateTime::now_utc().unix_timestamp() + 1;
    pool.execute(
        "UPDATE offerings SET signup_closes_at = ?1 WHERE id IN (?2, ?3, ?4)",
        args![closed_at, big, other_a, other_b],
    )
    .await
    .unwrap();
    while OffsetDateTime::now_utc().unix_timestamp() < closed_at {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    futures::stream::iter(applicants.iter().filter(|a| a.way == Way::Late))
        .map(|a| sync_through(&a.device, 1))
        .buffer_unordered(AT_ONCE)
        .collect::<Vec<()>>()
        .await;
    // The sweep freezes the three lists, unless the server's own periodic run (at the start of
    // each minute) came between the close and here and did: either way, all three are frozen.
    // (Counting this run's freezes failed when a minute started while the late phones synced.)
    server
        .sweep_courses(OffsetDateTime::now_utc().unix_timestamp())
        .await;
    let frozen: i64 = pool
        .fetch_one(
            "SELECT COUNT(*) FROM course_draws WHERE offering_id IN (?1, ?2, ?3)",
            args![big, other_a, other_b],
            |r| r.get(0),
        )
        .await
        .unwrap();
    assert_eq!(frozen, 3, "the three courses are frozen");

    // Every application is on the server exactly once, each device's one mutation logged once.
    let rows: Vec<Application> = pool
        .fetch_all(
            "SELECT id, user_id, status, reject_reason, application_no, received_at
               FROM registrations WHERE offering_id = ?1",
            args![big],
            |r| r.tuple(),
        )
        .await
        .unwrap();
    assert_eq!(rows.len(), PEOPLE, "one registration per application");
    let by_id: BTreeMap<&str, _> = rows.iter().map(|r| (r.0.as_str(), r)).collect();
    let holders: BTreeSet<&str> = rows.iter().map(|r| r.1.as_str()).collect();
    assert_eq!(holders.len(), PEOPLE, "one application per person");
    let logged: Vec<(String, i64, i64)> = pool
        .fetch_all(
            "SELECT c.id, c.last_mutation_id, COUNT(m.mutation_id)
               FROM clients c LEFT JOIN client_mutations m ON m.client_id = c.id
              GROUP BY c.id, c.last_mutation_id",
            args![],
            |r| r.tuple(),
        )
        .await
        .unwrap();
    let logged: BTreeMap<String, (i64, i64)> =
        logged.into_iter().map(|(c, l, n)| (c, (l, n))).collect();
    for a in &applicants {
        let client = a.device.client_id().await.unwrap();
        assert_eq!(logged.get(&client), Some(&(1, 1)), "{:?} device", a.way);
        assert!(a.device.store().outbox().await.unwrap().is_empty());
        let row = by_id
            .get(a.registration.as_str())
            .unwrap_or_else(|| panic!("{:?} application {} lost", a.way, a.registration));
        assert_eq!(row.1, a.user_id);
    }
    for (_, phone, _, _) in &racers {
        let client = phone.client_id().await.unwrap();
        assert_eq!(logged.get(&client), Some(&(2, 2)));
    }

    // What arrived before the close is entered with its number, but for racers over the term
    // limit; what came after is refused. Under the race each racer holds exactly two of the
    // three applications of the term.
    let racing: BTreeSet<usize> = racers.iter().map(|r| r.0).collect();
    let mut entered: BTreeSet<String> = BTreeSet::new();
    for (i, a) in applicants.iter().enumerate() {
        let (_, _, status, reason, number, received_at) = by_id[a.registration.as_str()];
        match (a.way, status.as_str()) {
            (Way::Late, _) => {
                assert_eq!(
                    (status.as_str(), reason.as_deref()),
                    ("rejected", Some("closed"))
                );
                assert!(*received_at >= closed_at);
            }
            (_, "lottery_entered") => {
                assert!(*received_at < closed_at);
                let number = number.clone().expect("an application number");
                assert!(draw::ApplicationNumber::parse(&number).is_ok(), "{number}");
                assert!(entered.insert(number), "numbers are unique in a course");
            }
            (_, "rejected") if racing.contains(&i) => {
                assert_eq!(reason.as_deref(), Some("term_limit"));
            }
            (way, other) => panic!("a {way:?} application is {other}"),
        }
    }
    let codes: BTreeSet<&str> = entered.iter().map(|n| &n[..4]).collect();
    assert_eq!(codes.len(), 1, "one draw code per course");
    for (i, _, a_reg, b_reg) in &racers {
        let mut held = 0;
        let mut refused = 0;
        for reg in [&applicants[*i].registration, a_reg, b_reg] {
            let (status, reason): (String, Option<String>) = pool
                .fetch_one(
                    "SELECT status, reject_reason FROM registrations WHERE id = ?1",
                    args![reg],
                    |r| r.tuple(),
                )
                .await
                .unwrap();
            match status.as_str() {
                "lottery_entered" => held += 1,
                "rejected" if reason.as_deref() == Some("term_limit") => refused += 1,
                other => panic!("a racer's application is {other} ({reason:?})"),
            }
        }
        assert_eq!((held, refused), (2, 1), "person {i}");
    }
    let late = applicants.iter().filter(|a| a.way == Way::Late).count();
    assert!(late > 0 && PEOPLE - late - entered.len() <= RACERS);

    // The frozen list is exactly the applications entered before the close.
    let at_close = results(&server, &big).await;
    assert_eq!(at_close["applications"], entered.len());
    let entries: Vec<draw::PublishedEntry> =
        serde_json::from_value(at_close["frozen"]["entries"].clone()).unwrap();
    let list_hash = at_close["frozen"]["list_hash"].as_str().unwrap().to_owned();
    assert!(draw::verify_list(&entries, &list_hash).is_ok());
    let listed: BTreeSet<String> = entries.iter().map(|e| e.number.clone()).collect();
    assert_eq!(listed.len(), entries.len());
    assert_eq!(listed, entered);

    // The draw.
    let r = server
        .post(
            &format!("/api/v1/admin/offerings/{big}/draw"),
            Some(&admin),
            &json!({ "public_value": "沪深300 3921.56" }),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let drawn: Value = r.json().await.unwrap();
    assert_eq!(drawn["winners"], PLACES);
    assert_eq!(drawn["waitlisted"], entered.len() - PLACES as usize);

    // The published results recompute to the order the database holds: the first PLACES won,
    // the rest wait in draw order.
    let page = results(&server, &big).await;
    let published: draw::PublishedDraw =
        serde_json::from_value(page["drawn"]["draw"].clone()).unwrap();
    assert_eq!(published.list_hash, list_hash);
    assert_eq!(published.entries, entries);
    assert_eq!(draw::verify(&published), Ok(()));
    let list = draw::verify_list(&published.entries, &published.list_hash).unwrap();
    let seed = draw::Seed::from_hex(&published.seed).unwrap();
    let value = draw::PublicValue::parse(&published.public_value).unwrap();
    let recomputed = draw::DrawResult::run(&list, &seed, &value, PLACES);
    let order: Vec<&str> = recomputed
        .winners
        .iter()
        .chain(&recomputed.waitlist)
        .map(|e| e.number.as_str())
        .collect();
    assert_eq!(order, published.order);
    let placed: Vec<(String, String, i64, Option<i64>)> = pool
        .fetch_all(
            "SELECT application_no, status, draw_position, waitlist_position FROM registrations
              WHERE offering_id = ?1 AND draw_position IS NOT NULL ORDER BY draw_position",
            args![big],
            |r| r.tuple(),
        )
        .await
        .unwrap();
    assert_eq!(placed.len(), order.len());
    for (i, (number, status, position, waiting)) in placed.iter().enumerate() {
        assert_eq!(number, order[i]);
        assert_eq!(*position, i as i64 + 1);
        if i < PLACES as usize {
            assert_eq!((status.as_str(), *waiting), ("won", None));
        } else {
            let place = (i + 1 - PLACES as usize) as i64;
            assert_eq!((status.as_str(), *waiting), ("waitlisted", Some(place)));
        }
    }
    let (taken, waitlist_len): (i64, i64) = pool
        .fetch_one(
            "SELECT seats_taken, waitlist_len FROM offering_pools
              WHERE offering_id = ?1 AND pool = 'all'",
            args![big],
            |r| r.tuple(),
        )
        .await
        .unwrap();
    assert_eq!(
        (taken, waitlist_len),
        (i64::from(PLACES), (entered.len() - PLACES as usize) as i64)
    );

    // The devices learn their outcomes, the faulty network healed: every fifth device of each
    // way and every late one (the database was checked for all above).
    proxy.set_faults(Faults::default());
    let by_number: BTreeMap<&str, (&str, Option<i64>)> = placed
        .iter()
        .map(|(n, s, _, w)| (n.as_str(), (s.as_str(), *w)))
        .collect();
    futures::stream::iter(
        applicants
            .iter()
            .enumerate()
            .filter(|(i, a)| i % 5 == 0 || a.way == Way::Late)
            .map(|(_, a)| a),
    )
    .map(|a| {
        let by_id = &by_id;
        let by_number = &by_number;
        async move {
            sync_through(&a.device, 3).await;
            let r = row(&a.device, &a.registration).await;
            let (_, _, status, _, number, _) = by_id[a.registration.as_str()];
            let want = match number.as_deref().and_then(|n| by_number.get(n)) {
                Some((status, waiting)) => (status.to_string(), *waiting),
                None => (status.clone(), None),
            };
            assert_eq!(
                (
                    r.status.as_str().to_owned(),
                    r.waitlist_position.map(i64::from)
                ),
                want,
                "{:?} device",
                a.way
            );
        }
    })
    .buffer_unordered(AT_ONCE)
    .collect::<Vec<()>>()
    .await;
}
