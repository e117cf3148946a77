//! Volunteer hours people can trust, through the real engine and the real server: the public
//! notice (公示) holding hours pending until it is over, then counted on the person's row, the
//! public page and the dashboard; correction requests accepted and declined, each change of
//! hours on record; bad requests refused with nothing changed; the 入团 list.

use domain::{
    hours::{HoursChange, Notice, ScanKind},
    league::ProgressRow,
    sync::{
        CheckinArgs, HoursAnswerArgs, HoursRequestArgs, HoursRequestRow, HoursRequestStatus, Op,
        RequestArgs,
    },
};
use engine::Store;
use serde_json::{Value, json};
use server::db::pool::{Pool, args};
use tests::device::{Engine, act, engine, row, uuid};
use tests::{DEMO_PASSWORD, Options, TestServer, now_ms};
use time::{Duration, OffsetDateTime, format_description::well_known::Rfc3339};

const CATEGORY: &str = "公示测试";

struct World {
    server: TestServer,
    admin: String,
    organizer: String,
    youth: String,
    offering_id: String,
    registration_id: String,
    pool: Pool,
}

/// An activity (2 hours granted) that began two hours ago, run by the demo organizer; the demo
/// youth 王青青 signed up, checked in as it began and out now: 120 minutes credited. Then it is
/// moved to have ended a minute ago.
async fn world() -> World {
    world_with(3).await
}

async fn world_with(notice_days: u32) -> World {
    let server = TestServer::spawn_with(Options {
        demo: true,
        hours_notice_days: Some(notice_days),
        ..Options::default()
    })
    .await;
    let admin = server.login("13900000001", DEMO_PASSWORD).await.token;
    let organizer = server.login("13900000002", DEMO_PASSWORD).await.token;
    let youth = server.login("13900000003", DEMO_PASSWORD).await.token;
    let now = OffsetDateTime::now_utc();
    let t = |x: OffsetDateTime| x.format(&Rfc3339).unwrap();
    let body = json!({
        "draft": {
            "title": "河小青·公示测试巡河", "summary": "测试", "category": CATEGORY,
            "venue_id": "venue-station",
            "starts_at": t(now - Duration::hours(2)), "ends_at": t(now + Duration::minutes(10)),
            "quotas": [{ "pool": "all", "capacity": 5 }],
            "signup_closes_at": t(now + Duration::minutes(10)),
            "programme": { "kind": "activity", "volunteer_hours": 2 },
        },
        "publish": true,
        "organizer_ids": ["user-13900000002"],
    });
    let r = server
        .post("/api/v1/admin/offerings", Some(&admin), &body)
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let offering_id = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let me = engine(&server.base_url, &youth);
    let registration_id = uuid();
    let signed_up = act(
        &me,
        Op::RegistrationRequest(RequestArgs {
            registration_id: registration_id.clone(),
            offering_id: offering_id.clone(),
            answers: Default::default(),
        }),
    )
    .await;
    assert_eq!(signed_up, None);
    let door = engine(&server.base_url, &organizer);
    door.sync(now_ms()).await.unwrap();
    for (kind, at) in [
        // Before the start: only the time inside the activity counts.
        (ScanKind::In, now_ms() - 3 * 3600 * 1000),
        (ScanKind::Out, now_ms()),
    ] {
        let scan = Op::CheckinRecord(CheckinArgs {
            checkin_id: uuid(),
            registration_id: registration_id.clone(),
            kind,
            scanned_at: at,
            device_id: "door-1".into(),
            lesson: None,
        });
        assert_eq!(act(&door, scan).await, None);
    }
    let pool = server.store().await;
    let w = World {
        server,
        admin,
        organizer,
        youth,
        offering_id,
        registration_id,
        pool,
    };
    // It ended a minute ago.
    move_activity(&w, -61).await;
    w
}

/// Moves the activity so that it ends `secs` from now (its start two hours before), as time
/// passing would; its registrations' rows are written again, as an admin's edit of the end
/// does.
async fn move_activity(w: &World, secs: i64) {
    let ends = OffsetDateTime::now_utc().unix_timestamp() + secs;
    let mut tx = w.pool.begin().await.unwrap();
    for table in ["offerings", "registrations"] {
        let v: i64 = tx
            .fetch_one(
                "UPDATE version_counter SET value = value + 1 WHERE id = 1 RETURNING value",
                args![],
                |r| r.get(0),
            )
            .await
            .unwrap();
        let sql = if table == "offerings" {
            "UPDATE offerings SET starts_at = ?1 - 7200, ends_at = ?1, version = ?2 WHERE id = ?3"
        } else {
            "UPDATE registrations SET version = ?2 WHERE offering_id = ?3 AND ?1 IS NOT NULL"
        };
        tx.execute(sql, args![ends, v, w.offering_id])
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
}

async fn get<T: serde::de::DeserializeOwned>(w: &World, path: &str, token: Option<&str>) -> T {
    let r = w.server.get(path, token).await;
    assert_eq!(r.status(), 200, "{path}");
    r.json().await.unwrap()
}

/// The volunteer minutes on the dashboard for the activity's category, in the year it began.
async fn dashboard_minutes(w: &World) -> u64 {
    let starts: i64 = w
        .pool
        .fetch_one(
            "SELECT starts_at FROM offerings WHERE id = ?1",
            args![w.offering_id],
            |r| r.get(0),
        )
        .await
        .unwrap();
    let year =
        domain::moment::in_china(OffsetDateTime::from_unix_timestamp(starts).unwrap()).year();
    let d: Value = get(
        w,
        &format!(
            "/api/v1/admin/dashboard?from={year}-01-01&to={year}-12-31&category=%E5%85%AC%E7%A4%BA%E6%B5%8B%E8%AF%95"
        ),
        Some(&w.admin),
    )
    .await;
    d["total"]["volunteer_minutes"].as_u64().unwrap()
}

async fn requests(e: &Engine) -> Vec<HoursRequestRow> {
    e.sync(now_ms()).await.unwrap();
    let rows = e.store().rows("hours_request").await.unwrap();
    rows.iter().map(|r| r.value().unwrap()).collect()
}

async fn credited(w: &World) -> (i64, i64, i64) {
    w.pool
        .fetch_one(
            "SELECT r.credited_minutes,
                    (SELECT COUNT(*) FROM hours_requests),
                    (SELECT COUNT(*) FROM hours_changes)
               FROM registrations r WHERE r.id = ?1",
            args![w.registration_id],
            |r| r.tuple(),
        )
        .await
        .unwrap()
}

fn request(registration_id: &str, minutes: u32, reason: &str) -> (String, Op) {
    let id = uuid();
    (
        id.clone(),
        Op::HoursRequest(HoursRequestArgs {
            request_id: id,
            registration_id: registration_id.into(),
            minutes,
            reason: reason.into(),
        }),
    )
}

fn answer(request_id: &str, accept: bool, reason: &str) -> Op {
    Op::HoursAnswer(HoursAnswerArgs {
        request_id: request_id.into(),
        accept,
        reason: reason.into(),
    })
}

#[tokio::test]
async fn hours_wait_for_their_public_notice_and_then_count() {
    let w = world().await;
    let me = engine(&w.server.base_url, &w.youth);
    me.sync(now_ms()).await.unwrap();

    // In the notice period: pending on the person's row, posted on the public page with the
    // name masked and no phone, not on the dashboard.
    let r = row(&me, &w.registration_id).await;
    assert_eq!(r.credited_minutes, 120);
    let now = OffsetDateTime::now_utc().unix_timestamp();
    let effective = r.hours_effective_at.expect("an activity's row says when");
    assert!(effective > now + 86_400, "three working days from now");
    let posted: Vec<Notice> = get(&w, "/api/v1/hours/notices", None).await;
    let notice = posted
        .iter()
        .find(|n| n.offering_id == w.offering_id)
        .expect("posted while in its notice");
    assert_eq!(notice.effective_at, effective);
    assert_eq!(notice.people.len(), 1);
    assert_eq!(
        (notice.people[0].name.as_str(), notice.people[0].minutes),
        ("王*青", 120)
    );
    let raw = w
        .server
        .get("/api/v1/hours/notices", None)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !raw.contains("王青青") && !raw.contains("13900000003"),
        "{raw}"
    );
    assert_eq!(dashboard_minutes(&w).await, 0);

    // Ten days later (the activity moved back as far): in effect everywhere.
    move_activity(&w, -10 * 86_400).await;
    me.sync(now_ms()).await.unwrap();
    let r = row(&me, &w.registration_id).await;
    assert!(r.hours_effective_at.unwrap() <= OffsetDateTime::now_utc().unix_timestamp());
    let posted: Vec<Notice> = get(&w, "/api/v1/hours/notices", None).await;
    assert!(posted.iter().all(|n| n.offering_id != w.offering_id));
    assert_eq!(dashboard_minutes(&w).await, 120);
}

#[tokio::test]
async fn without_a_notice_period_hours_count_as_soon_as_they_are_credited() {
    let w = world_with(0).await;
    let me = engine(&w.server.base_url, &w.youth);
    me.sync(now_ms()).await.unwrap();
    let r = row(&me, &w.registration_id).await;
    assert_eq!(r.hours_effective_at, None, "nothing is pending");
    let posted: Vec<Notice> = get(&w, "/api/v1/hours/notices", None).await;
    assert!(posted.is_empty());
    assert_eq!(dashboard_minutes(&w).await, 120);
    // Even while the activity runs.
    move_activity(&w, 600).await;
    assert_eq!(dashboard_minutes(&w).await, 120);
}

#[tokio::test]
async fn a_correction_request_accepted_changes_the_hours_on_record_and_one_declined_does_not() {
    let w = world().await;
    let me = engine(&w.server.base_url, &w.youth);
    let staff = engine(&w.server.base_url, &w.organizer);
    me.sync(now_ms()).await.unwrap();

    // Asked for, offline first: it waits on the device, then reaches the organizer.
    let (first, op) = request(
        &w.registration_id,
        150,
        "  签退时扫码失败，实际服务到结束  ",
    );
    me.enqueue(&op, now_ms(), None).await.unwrap();
    let shown = engine::view::hours_requests(Vec::new(), &me.store().outbox().await.unwrap());
    assert!(shown[0].pending && shown[0].row.status == HoursRequestStatus::Open);
    let mine = requests(&me).await;
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].reason, "签退时扫码失败，实际服务到结束");
    assert_eq!((mine[0].current_minutes, mine[0].minutes), (120, 150));
    let seen = requests(&staff).await;
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].display_name, "王青青");
    assert_eq!(seen[0].offering_title, "河小青·公示测试巡河");
    assert_eq!(seen[0].status, HoursRequestStatus::Open);

    // Accepted: the hours become 150, flagged corrected, recorded with who and why.
    assert_eq!(
        act(&staff, answer(&first, true, "核实监控无误")).await,
        None
    );
    let mine = requests(&me).await;
    assert_eq!(mine[0].status, HoursRequestStatus::Accepted);
    let r = row(&me, &w.registration_id).await;
    assert_eq!(r.credited_minutes, 150);
    assert!(r.hours_flags.iter().any(|f| f == "corrected"));
    let changes: Vec<HoursChange> = get(&w, "/api/v1/me/hours-changes", Some(&w.youth)).await;
    let changes: Vec<&HoursChange> = changes
        .iter()
        .filter(|c| c.registration_id == w.registration_id)
        .collect();
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert_eq!(
        (
            changes[0].before_minutes,
            changes[0].after_minutes,
            changes[0].cause.as_str(),
            changes[0].changed_by.as_deref()
        ),
        (120, 150, "request", Some("李组织"))
    );
    assert!(
        changes[0].reason.contains("签退时扫码失败") && changes[0].reason.contains("核实监控无误")
    );
    assert_eq!(
        (
            changes[1].before_minutes,
            changes[1].after_minutes,
            changes[1].cause.as_str()
        ),
        (0, 120, "scan")
    );
    assert_eq!(
        changes[1].changed_by, None,
        "a scan's recompute is the system's"
    );
    // The person's copy of their data holds the request and the changes.
    let export: Value = get(&w, "/api/v1/me/export", Some(&w.youth)).await;
    assert_eq!(export["hours_requests"][0]["status"], "accepted");
    assert_eq!(export["hours_changes"].as_array().unwrap().len(), 2);
    // The organizer and the admin see the same record on the activity.
    for token in [&w.organizer, &w.admin] {
        let at: Vec<HoursChange> = get(
            &w,
            &format!("/api/v1/offerings/{}/hours-changes", w.offering_id),
            Some(token),
        )
        .await;
        assert_eq!(at.len(), 2);
        assert_eq!(at[0].volunteer, "王青青");
    }

    // Asked again, declined with a reason: the hours stay, no change is recorded.
    let (second, op) = request(&w.registration_id, 200, "还参与了收尾整理");
    assert_eq!(act(&me, op).await, None);
    let before = credited(&w).await;
    assert_eq!(
        act(&staff, answer(&second, false, "收尾不在活动时间内")).await,
        None
    );
    let mine = requests(&me).await;
    let declined = mine.iter().find(|q| q.id == second).unwrap();
    assert_eq!(declined.status, HoursRequestStatus::Declined);
    assert_eq!(declined.answer, "收尾不在活动时间内");
    let after = credited(&w).await;
    assert_eq!((after.0, after.2), (150, before.2));
    // An answered request cannot be answered again.
    assert_eq!(
        act(&staff, answer(&second, true, "")).await.as_deref(),
        Some("wrong_status")
    );
    assert_eq!(credited(&w).await, after);
}

#[tokio::test]
async fn bad_correction_requests_are_refused_and_change_nothing() {
    let w = world().await;
    let me = engine(&w.server.base_url, &w.youth);
    me.sync(now_ms()).await.unwrap();
    let other = w.server.signup("13700000009", "别人").await.token;
    let someone = engine(&w.server.base_url, &other);
    let before = credited(&w).await;

    // Hours not their own.
    let (_, op) = request(&w.registration_id, 150, "帮朋友申请");
    assert_eq!(act(&someone, op).await.as_deref(), Some("forbidden"));
    // An empty reason (or only spaces).
    for reason in ["", "   "] {
        let (_, op) = request(&w.registration_id, 150, reason);
        assert_eq!(act(&me, op).await.as_deref(), Some("reason_required"));
    }
    assert_eq!(credited(&w).await, before);

    // Twice while one is open.
    let (open, op) = request(&w.registration_id, 150, "签退漏扫");
    assert_eq!(act(&me, op).await, None);
    let after_one = credited(&w).await;
    assert_eq!(after_one.1, before.1 + 1);
    let (_, op) = request(&w.registration_id, 160, "再申请一次");
    assert_eq!(act(&me, op).await.as_deref(), Some("request_open"));
    assert_eq!(credited(&w).await, after_one);

    // Answered by the volunteer themself, by an organizer who does not run the activity, or
    // declined without a reason: refused.
    assert_eq!(
        act(&me, answer(&open, true, "")).await.as_deref(),
        Some("forbidden")
    );
    let org_y = w.server.signup("13700000008", "组织者乙").await;
    let r = w
        .server
        .http
        .put(
            w.server
                .url(&format!("/api/v1/admin/users/{}/roles", org_y.user.id)),
        )
        .bearer_auth(&w.admin)
        .json(&json!({ "roles": ["youth", "organizer"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let elsewhere = engine(&w.server.base_url, &org_y.token);
    assert_eq!(
        act(&elsewhere, answer(&open, true, "")).await.as_deref(),
        Some("forbidden")
    );
    let staff = engine(&w.server.base_url, &w.organizer);
    assert_eq!(
        act(&staff, answer(&open, false, "  ")).await.as_deref(),
        Some("reason_required")
    );
    assert_eq!(credited(&w).await, after_one);
    assert_eq!(
        requests(&me).await[0].status,
        HoursRequestStatus::Open,
        "still open"
    );

    // An activity not over yet, and a programme without volunteer hours.
    move_activity(&w, 3600).await;
    w.pool
        .execute("UPDATE hours_requests SET status = 'declined'", args![])
        .await
        .unwrap();
    let (_, op) = request(&w.registration_id, 150, "提前申请");
    assert_eq!(act(&me, op).await.as_deref(), Some("not_over_yet"));
    move_activity(&w, -60).await;
    w.pool
        .execute(
            "UPDATE activity_settings SET volunteer_hours = NULL WHERE offering_id = ?1",
            args![w.offering_id],
        )
        .await
        .unwrap();
    let (_, op) = request(&w.registration_id, 150, "没有时长的活动");
    assert_eq!(act(&me, op).await.as_deref(), Some("no_hours"));
    assert_eq!(credited(&w).await.1, after_one.1);
}

#[tokio::test]
async fn the_league_list_holds_those_who_meet_both_requirements() {
    let w = world().await;
    let youth_id = "user-13900000003";
    let year = domain::moment::in_china(OffsetDateTime::now_utc()).year();
    w.pool
        .execute(
            "UPDATE users SET birth_year = ?1 WHERE id = ?2",
            args![year - 20, youth_id],
        )
        .await
        .unwrap();
    let path = format!("/api/v1/admin/league-progress?year={year}");
    let list = async |w: &World| get::<Vec<ProgressRow>>(w, &path, Some(&w.admin)).await;
    // 120 minutes pending: nobody meets both.
    assert!(list(&w).await.iter().all(|p| p.user_id != youth_id));
    // 20 hours in effect (the activity's 120 minutes corrected to 1200) and 团课 attended: a
    // 团课 activity of 6 hours (8 class hours of 45 minutes).
    move_activity(&w, -10 * 86_400).await;
    w.pool
        .execute(
            "UPDATE registrations SET credited_minutes = 1200 WHERE id = ?1",
            args![w.registration_id],
        )
        .await
        .unwrap();
    let rows = db_progress(&w, year).await;
    let mine = rows.iter().find(|p| p.user_id == youth_id).unwrap();
    assert_eq!(mine.progress.volunteer_minutes, 1200);
    assert_eq!(mine.progress.missing_class_hours(), 8);
    assert!(list(&w).await.iter().all(|p| p.user_id != youth_id));
    w.pool
        .execute(
            "UPDATE offerings SET category = '团课', ends_at = starts_at + 6 * 3600 WHERE id = ?1",
            args![w.offering_id],
        )
        .await
        .unwrap();
    let met = list(&w).await;
    let mine = met.iter().find(|p| p.user_id == youth_id).expect("listed");
    assert_eq!(mine.progress.class_hours, 8);
    assert_eq!(mine.phone, "139****0003");
    // The same list as a workbook, for the admin only.
    let r = w
        .server
        .get(
            &path.replace("league-progress", "league-progress.xlsx"),
            Some(&w.admin),
        )
        .await;
    assert_eq!(r.status(), 200);
    let book = crate::exports::Book::open(&r.bytes().await.unwrap());
    assert_eq!(
        book.headers("入团条件"),
        ["姓名", "手机号", "出生年份", "志愿时长(小时)", "团课学时"]
    );
    let rows = book.sheet("入团条件");
    assert_eq!(rows.len(), met.len() + 1);
    let line = rows
        .iter()
        .find(|r| r[1] == "139****0003")
        .expect("the youth's line");
    assert_eq!(line[0].to_string(), mine.display_name);
    assert_eq!(line[3].to_string(), "20");
    assert_eq!(line[4].to_string(), "8");
    let youth = w.server.login("13900000003", DEMO_PASSWORD).await.token;
    let r = w
        .server
        .get(
            &path.replace("league-progress", "league-progress.xlsx"),
            Some(&youth),
        )
        .await;
    assert_eq!(r.status(), 403);
    assert_eq!(
        w.server
            .get(
                "/api/v1/admin/league-progress.xlsx?year=abc",
                Some(&w.admin)
            )
            .await
            .status(),
        400
    );
    assert_eq!(
        w.server
            .get("/api/v1/admin/league-progress?year=abc", Some(&w.admin))
            .await
            .status(),
        400
    );
}

async fn db_progress(w: &World, year: i32) -> Vec<ProgressRow> {
    server::db::league::league_progress(
        &w.pool,
        year,
        OffsetDateTime::now_utc().unix_timestamp(),
        3,
    )
    .await
    .unwrap()
}
