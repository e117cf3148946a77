//! Volunteer activities from start to finish, through the real engine and the real server:
//! sign-up with answers, review, tickets verified offline, two doors scanning the same ticket,
//! a late registrant, forgotten check-outs, hours, cancellation, CSV.

use domain::{
    hours::ScanKind,
    registration::RegistrationStatus,
    sync::{
        CheckinArgs, CheckinRow, HoursCorrectArgs, Op, RegistrationRow, RequestArgs, ReviewArgs,
        ReviewDecision, RosterEntry,
    },
    ticket::{self, TicketError, TicketKey},
};
use engine::Store;
use serde_json::{Value, json};
use tests::{DEMO_PASSWORD, Options, TestServer, now_ms};
use time::{Duration, OffsetDateTime, format_description::well_known::Rfc3339};

use tests::device::{Engine, uuid};

fn engine(server: &TestServer, token: &str) -> Engine {
    tests::device::engine(&server.base_url, token)
}

async fn rows<T: serde::de::DeserializeOwned>(e: &Engine, kind: &str) -> Vec<T> {
    e.store()
        .rows(kind)
        .await
        .unwrap()
        .iter()
        .map(|r| r.value().unwrap())
        .collect()
}

struct World {
    server: TestServer,
    admin: String,
    organizer: String,
    youth: String,
    offering_id: String,
    starts_at: OffsetDateTime,
}

/// An activity that started two hours ago and ends in ten minutes, requiring approval, with a
/// required question, run by the demo organizer.
async fn world() -> World {
    let server = TestServer::spawn_with(Options {
        demo: true,
        ..Options::default()
    })
    .await;
    let admin = server.login("13900000001", DEMO_PASSWORD).await.token;
    let organizer = server.login("13900000002", DEMO_PASSWORD).await.token;
    let youth = server.login("13900000003", DEMO_PASSWORD).await.token;
    let now = OffsetDateTime::now_utc();
    let starts_at = now - Duration::hours(2);
    let t = |x: OffsetDateTime| x.format(&Rfc3339).unwrap();
    let body = json!({
        "draft": {
            "title": "河小青·夜间巡河",
            "summary": "测试",
            "category": "河小青",
            "venue_id": "venue-station",
            "starts_at": t(starts_at),
            "ends_at": t(now + Duration::minutes(10)),
            "quotas": [{ "pool": "all", "capacity": 5 }],
            "signup_closes_at": t(now + Duration::minutes(10)),
            "requires_approval": true,
            "programme": { "kind": "activity", "volunteer_hours": 2 },
            "questions": [
                { "id": "size", "label": "衣服尺码", "kind": "single_choice", "options": ["S", "M", "L"], "required": true }
            ],
        },
        "publish": true,
        "organizer_ids": ["user-13900000002"],
    });
    let r = server
        .post("/api/v1/admin/offerings", Some(&admin), &body)
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let created: Value = r.json().await.unwrap();
    World {
        offering_id: created["id"].as_str().unwrap().to_owned(),
        server,
        admin,
        organizer,
        youth,
        starts_at,
    }
}

/// An admin's device approves a registration (no note) and syncs.
async fn approve(w: &World, registration_id: &str) {
    let admin = engine(&w.server, &w.admin);
    let op = Op::ReviewDecide(ReviewArgs {
        registration_id: registration_id.into(),
        decision: ReviewDecision::Approve,
        reason: String::new(),
    });
    admin.enqueue(&op, now_ms(), None).await.unwrap();
    admin.sync(now_ms()).await.unwrap();
}

fn request(offering_id: &str, answers: Value) -> (String, Op) {
    let id = uuid();
    (
        id.clone(),
        Op::RegistrationRequest(RequestArgs {
            registration_id: id,
            offering_id: offering_id.into(),
            answers: answers.as_object().unwrap().clone(),
        }),
    )
}

fn scan(registration_id: &str, kind: ScanKind, at_ms: i64, device: &str) -> Op {
    Op::CheckinRecord(CheckinArgs {
        checkin_id: uuid(),
        registration_id: registration_id.into(),
        kind,
        scanned_at: at_ms,
        device_id: device.into(),
        lesson: None,
    })
}

/// Queues a scan on `door`'s device, made at `at_ms`.
async fn record_scan(
    door: &Engine,
    registration_id: &str,
    kind: ScanKind,
    at_ms: i64,
    device: &str,
) {
    door.enqueue(&scan(registration_id, kind, at_ms, device), at_ms, None)
        .await
        .unwrap();
}

async fn registration(e: &Engine, id: &str) -> RegistrationRow {
    rows::<RegistrationRow>(e, "registration")
        .await
        .into_iter()
        .find(|r| r.id == id)
        .expect("synced")
}

#[tokio::test]
async fn an_activity_from_sign_up_to_hours() {
    let w = world().await;
    let youth = engine(&w.server, &w.youth);
    let admin = engine(&w.server, &w.admin);
    let door_a = engine(&w.server, &w.organizer);
    let door_b = engine(&w.server, &w.organizer);

    // Answers are checked: a missing required answer is refused, nothing stored.
    let (_, bad) = request(&w.offering_id, json!({}));
    youth.enqueue(&bad, now_ms(), None).await.unwrap();
    let report = youth.sync(now_ms()).await.unwrap();
    assert_eq!(
        serde_json::to_value(&report.notices[0].kind).unwrap()["code"],
        "bad_answers"
    );
    let (reg, good) = request(&w.offering_id, json!({ "size": "M" }));
    youth.enqueue(&good, now_ms(), None).await.unwrap();
    youth.sync(now_ms()).await.unwrap();
    assert_eq!(
        registration(&youth, &reg).await.status,
        RegistrationStatus::PendingReview
    );
    assert_eq!(
        registration(&youth, &reg).await.ticket,
        None,
        "no ticket before approval"
    );

    // The admin's queue shows it with the answers; only an admin may decide.
    let queue: Value = w
        .server
        .get(
            &format!("/api/v1/admin/reviews?offering_id={}", w.offering_id),
            Some(&w.admin),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(queue[0]["registration_id"], reg.as_str());
    assert_eq!(queue[0]["answers"]["size"], "M");
    let approve = Op::ReviewDecide(ReviewArgs {
        registration_id: reg.clone(),
        decision: ReviewDecision::Approve,
        reason: "欢迎参加".into(),
    });
    door_a.enqueue(&approve, now_ms(), None).await.unwrap();
    let report = door_a.sync(now_ms()).await.unwrap();
    assert_eq!(
        serde_json::to_value(&report.notices[0].kind).unwrap()["code"],
        "forbidden",
        "organizers do not review"
    );
    admin.enqueue(&approve, now_ms(), None).await.unwrap();
    admin.sync(now_ms()).await.unwrap();

    // The young person sees the decision, the note and a ticket.
    youth.sync(now_ms()).await.unwrap();
    let mine = registration(&youth, &reg).await;
    assert_eq!(mine.status, RegistrationStatus::Confirmed);
    assert_eq!(mine.note.as_deref(), Some("欢迎参加"));
    let ticket_text = mine.ticket.expect("a ticket once confirmed");

    // Both doors download the roster and the keys, then lose the network.
    door_a.sync(now_ms()).await.unwrap();
    door_b.sync(now_ms()).await.unwrap();
    let keys: Vec<TicketKey> = rows(&door_a, "ticket_key").await;
    let roster: Vec<RosterEntry> = rows(&door_a, "roster_entry").await;
    let entry = roster
        .iter()
        .find(|r| r.registration_id == reg)
        .expect("on the roster");
    assert_eq!(entry.phone.as_deref(), Some("139****0003"));
    let assignments: Vec<Value> = rows(&door_a, "assignment").await;
    assert!(
        assignments
            .iter()
            .any(|a| a["offering_id"] == w.offering_id.as_str())
    );

    // Offline, on each device: the ticket verifies; forged and other-activity tickets do not.
    let claims = ticket::verify(&ticket_text, &keys, &w.offering_id).unwrap();
    assert_eq!(
        (claims.registration_id.as_str(), claims.name.as_str()),
        (reg.as_str(), "王青青")
    );
    assert_eq!(
        ticket::verify(&ticket_text, &keys, "act-river-patrol"),
        Err(TicketError::WrongOffering)
    );
    let forged = ticket_text.replacen('A', "B", 1).replacen('a', "b", 1);
    assert!(ticket::verify(&forged, &keys, &w.offering_id).is_err());

    // Door A scanned at the start (its clock right), door B scanned the same ticket now.
    let start_ms = (w.starts_at + Duration::minutes(1)).unix_timestamp() * 1000;
    record_scan(&door_a, &reg, ScanKind::In, start_ms, "door-a").await;
    record_scan(&door_b, &reg, ScanKind::In, now_ms(), "door-b").await;
    record_scan(&door_a, &reg, ScanKind::Out, now_ms(), "door-a").await;
    door_a.sync(now_ms()).await.unwrap();
    door_b.sync(now_ms()).await.unwrap();
    door_a.sync(now_ms()).await.unwrap();

    // One attendance; the second check-in kept and flagged, with both devices visible.
    let scans: Vec<CheckinRow> = rows(&door_a, "checkin").await;
    let ins: Vec<&CheckinRow> = scans.iter().filter(|c| c.kind == ScanKind::In).collect();
    assert_eq!(ins.len(), 2);
    let first = ins
        .iter()
        .find(|c| c.duplicate_of.is_none())
        .expect("the attendance");
    let dup = ins
        .iter()
        .find(|c| c.duplicate_of.is_some())
        .expect("the flagged duplicate");
    assert_eq!(first.device_id, "door-a");
    assert_eq!(dup.device_id, "door-b");
    assert_eq!(dup.duplicate_of.as_deref(), Some(first.id.as_str()));

    // The hours reach the young person: present from start + 1 min to now, capped at 2 h.
    youth.sync(now_ms()).await.unwrap();
    let mine = registration(&youth, &reg).await;
    assert!(
        mine.present_minutes >= 118 && mine.present_minutes <= 120,
        "{}",
        mine.present_minutes
    );
    assert_eq!(mine.credited_minutes, mine.present_minutes.min(120));
    assert_eq!(
        mine.checked_in_at,
        Some((w.starts_at + Duration::minutes(1)).unix_timestamp())
    );

    // A young person may not scan anyone in.
    record_scan(&youth, &reg, ScanKind::In, now_ms(), "phone").await;
    let report = youth.sync(now_ms()).await.unwrap();
    assert_eq!(
        serde_json::to_value(&report.notices[0].kind).unwrap()["code"],
        "forbidden"
    );

    // A correction needs a reason and is audited.
    let correct = Op::HoursCorrect(HoursCorrectArgs {
        registration_id: reg.clone(),
        minutes: 90,
        reason: "提前离场".into(),
    });
    door_a.enqueue(&correct, now_ms(), None).await.unwrap();
    door_a.sync(now_ms()).await.unwrap();
    youth.sync(now_ms()).await.unwrap();
    let mine = registration(&youth, &reg).await;
    assert_eq!(mine.credited_minutes, 90);
    assert!(mine.hours_flags.contains(&"corrected".to_owned()));
    let log: Value = w
        .server
        .get(
            &format!("/api/v1/admin/audit?target=registration:{reg}"),
            Some(&w.admin),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "hours.correct" && e["after"]["reason"] == "提前离场")
    );
}

#[tokio::test]
async fn a_registrant_after_the_roster_download_is_admitted_by_the_ticket() {
    let w = world().await;
    let door = engine(&w.server, &w.organizer);
    door.sync(now_ms()).await.unwrap();
    let keys: Vec<TicketKey> = rows(&door, "ticket_key").await;

    // After the download: someone signs up and is approved.
    let late = w.server.signup("13700000009", "晚到的人").await;
    let youth = engine(&w.server, &late.token);
    let (reg, op) = request(&w.offering_id, json!({ "size": "L" }));
    youth.enqueue(&op, now_ms(), None).await.unwrap();
    youth.sync(now_ms()).await.unwrap();
    approve(&w, &reg).await;
    youth.sync(now_ms()).await.unwrap();
    let ticket_text = registration(&youth, &reg).await.ticket.unwrap();

    // The door, offline with its old roster, does not know them, but the signature does.
    let roster: Vec<RosterEntry> = rows(&door, "roster_entry").await;
    assert!(roster.iter().all(|r| r.registration_id != reg));
    let claims = ticket::verify(&ticket_text, &keys, &w.offering_id).unwrap();
    assert_eq!(claims.name, "晚到的人");
    record_scan(
        &door,
        &claims.registration_id,
        ScanKind::In,
        now_ms(),
        "door",
    )
    .await;
    let report = door.sync(now_ms()).await.unwrap();
    assert!(report.notices.is_empty(), "{:?}", report.notices);
    youth.sync(now_ms()).await.unwrap();
    assert!(registration(&youth, &reg).await.checked_in_at.is_some());
}

#[tokio::test]
async fn a_forgotten_check_out_is_closed_at_the_end_and_flagged() {
    let w = world().await;
    let youth = engine(&w.server, &w.youth);
    let (reg, op) = request(&w.offering_id, json!({ "size": "S" }));
    youth.enqueue(&op, now_ms(), None).await.unwrap();
    youth.sync(now_ms()).await.unwrap();
    approve(&w, &reg).await;
    let door = engine(&w.server, &w.organizer);
    let start_ms = w.starts_at.unix_timestamp() * 1000;
    record_scan(&door, &reg, ScanKind::In, start_ms, "door").await;
    door.sync(now_ms()).await.unwrap();

    // An hour after the end, the sweeper closes it at the end.
    let later = OffsetDateTime::now_utc().unix_timestamp() + 3600;
    assert_eq!(w.server.sweep_hours(later).await, 1);
    assert_eq!(w.server.sweep_hours(later).await, 0, "closed once");
    youth.sync(now_ms()).await.unwrap();
    let mine = registration(&youth, &reg).await;
    assert!(
        mine.hours_flags.contains(&"auto_closed".to_owned()),
        "{:?}",
        mine.hours_flags
    );
    assert_eq!(mine.present_minutes, 130);
    assert_eq!(mine.credited_minutes, 120, "capped at the hours granted");
}

#[tokio::test]
async fn cancelling_an_activity_tells_every_registrant_and_frees_the_seats() {
    let w = world().await;
    let youth = engine(&w.server, &w.youth);
    let (reg, op) = request(&w.offering_id, json!({ "size": "S" }));
    youth.enqueue(&op, now_ms(), None).await.unwrap();
    youth.sync(now_ms()).await.unwrap();
    let r = w
        .server
        .post(
            &format!("/api/v1/admin/offerings/{}/cancel", w.offering_id),
            Some(&w.admin),
            &json!({ "reason": "暴雨预警，活动取消" }),
        )
        .await;
    assert_eq!(r.status(), 200);
    let offering: Value = r.json().await.unwrap();
    assert_eq!(offering["status"], "cancelled");
    youth.sync(now_ms()).await.unwrap();
    let mine = registration(&youth, &reg).await;
    assert_eq!(mine.status, RegistrationStatus::Cancelled);
    assert_eq!(mine.note.as_deref(), Some("暴雨预警，活动取消"));
    // A cancelled activity takes no new sign-ups.
    let (late, op) = request(&w.offering_id, json!({ "size": "S" }));
    let other = engine(
        &w.server,
        &w.server.signup("13700000008", "后来者").await.token,
    );
    other.enqueue(&op, now_ms(), None).await.unwrap();
    other.sync(now_ms()).await.unwrap();
    assert_eq!(
        registration(&other, &late).await.reject_reason.as_deref(),
        Some("closed")
    );
}

#[tokio::test]
async fn the_sign_ups_export_as_a_csv_that_excel_reads() {
    let w = world().await;
    let youth = engine(&w.server, &w.youth);
    let (_, op) = request(&w.offering_id, json!({ "size": "M" }));
    youth.enqueue(&op, now_ms(), None).await.unwrap();
    youth.sync(now_ms()).await.unwrap();
    let r = w
        .server
        .get(
            &format!(
                "/api/v1/admin/offerings/{}/registrations.csv",
                w.offering_id
            ),
            Some(&w.admin),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let bytes = r.bytes().await.unwrap();
    assert_eq!(
        &bytes[..3],
        b"\xEF\xBB\xBF",
        "a UTF-8 byte-order mark for Excel"
    );
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "\"姓名\",\"手机号\",\"状态\",\"报名时间\",\"签到时间\",\"志愿时长(小时)\",\"衣服尺码\""
    );
    let row = lines.next().unwrap();
    assert!(
        row.starts_with("\"王青青\",\"13900000003\",\"pending_review\""),
        "{row}"
    );
    assert!(row.ends_with(",\"M\""), "{row}");
}

#[tokio::test]
async fn bad_drafts_are_refused_field_by_field_and_change_nothing() {
    let w = world().await;
    let before: Value = w
        .server
        .get("/api/v1/admin/offerings", Some(&w.admin))
        .await
        .json()
        .await
        .unwrap();
    let mut draft = tests::draft_json("坏的活动");
    for (key, value, field) in [
        ("/title", json!(""), "title"),
        ("/quotas/0/capacity", json!(0), "capacity"),
        ("/venue_id", json!("nowhere"), "venue_id"),
        ("/ends_at", draft["starts_at"].clone(), "ends_at"),
    ] {
        let saved = draft.pointer(key).unwrap().clone();
        *draft.pointer_mut(key).unwrap() = value;
        let r = w
            .server
            .post(
                "/api/v1/admin/offerings",
                Some(&w.admin),
                &json!({ "draft": draft, "publish": true }),
            )
            .await;
        assert_eq!(r.status(), 400, "{key}");
        let err: Value = r.json().await.unwrap();
        assert_eq!(err["field"], field, "{key}");
        *draft.pointer_mut(key).unwrap() = saved;
    }
    let after: Value = w
        .server
        .get("/api/v1/admin/offerings", Some(&w.admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        before.as_array().unwrap().len(),
        after.as_array().unwrap().len()
    );
    // Capacity cannot drop below the seats already taken.
    let youth = engine(&w.server, &w.youth);
    let (reg, op) = request(&w.offering_id, json!({ "size": "M" }));
    youth.enqueue(&op, now_ms(), None).await.unwrap();
    youth.sync(now_ms()).await.unwrap();
    approve(&w, &reg).await;
    let mut shrink = tests::draft_json("缩小");
    shrink["quotas"][0]["capacity"] = json!(0);
    let r = w
        .server
        .http
        .put(
            w.server
                .url(&format!("/api/v1/admin/offerings/{}", w.offering_id)),
        )
        .bearer_auth(&w.admin)
        .json(&json!({ "draft": shrink }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}
