//! What an outside probe found, each fault with the test that failed before its fix: times out
//! of range, writes that cleared what they did not mention, a venue move that did not reach
//! organizers' devices, status read through a mutation, text that hides what it says.

use domain::{
    hours::ScanKind,
    registration::{MutationError, RegistrationStatus},
    sync::{CheckinArgs, Op, RequestArgs, RosterEntry},
};
use engine::{Store, venue};
use serde_json::{Value, json};
use server::db::pool::args;
use tests::{DEMO_PASSWORD, Options, TestServer, draft_json, now_ms};

use tests::device::{Engine, uuid};

fn engine(server: &TestServer, token: &str) -> Engine {
    tests::device::engine(&server.base_url, token)
}

/// 253,402,300,000,000 ms: the last minutes of the year 9999 (UTC), the year 10000 in China.
const YEAR_9999_MS: i64 = 253_402_300_000_000;

struct World {
    server: TestServer,
    admin: String,
    organizer: String,
    youth: String,
    offering_id: String,
    /// The youth's confirmed registration.
    registration_id: String,
}

/// A demo district with an activity run by the demo organizer and one confirmed registrant.
async fn world() -> World {
    let server = TestServer::spawn_with(Options {
        demo: true,
        ..Options::default()
    })
    .await;
    let admin = server.login("13900000001", DEMO_PASSWORD).await.token;
    let organizer = server.login("13900000002", DEMO_PASSWORD).await.token;
    let youth = server.login("13900000003", DEMO_PASSWORD).await.token;
    let r = server
        .post(
            "/api/v1/admin/offerings",
            Some(&admin),
            &json!({ "draft": draft_json("河小青·探测"), "publish": true,
                     "organizer_ids": ["user-13900000002"] }),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let offering_id = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let registration_id = uuid();
    let e = engine(&server, &youth);
    e.enqueue(
        &Op::RegistrationRequest(RequestArgs {
            registration_id: registration_id.clone(),
            offering_id: offering_id.clone(),
            answers: Default::default(),
        }),
        now_ms(),
        None,
    )
    .await
    .unwrap();
    e.sync(now_ms()).await.unwrap();
    let regs = e.registrations().await.unwrap();
    assert_eq!(regs[0].status, RegistrationStatus::Confirmed);
    World {
        server,
        admin,
        organizer,
        youth,
        offering_id,
        registration_id,
    }
}

/// Pushes raw mutations as a fresh device; answers the status and body.
async fn push(
    server: &TestServer,
    token: &str,
    client_time: i64,
    mutations: Value,
) -> (u16, Value) {
    let body = json!({ "schema_version": 1, "client_id": uuid(), "client_time": client_time,
                       "mutations": mutations });
    let r = server.post("/api/v1/sync/push", Some(token), &body).await;
    (r.status().as_u16(), r.json().await.unwrap())
}

fn scan(registration_id: &str, scanned_at: i64) -> Value {
    json!({ "checkin_id": uuid(), "registration_id": registration_id, "kind": "in",
            "scanned_at": scanned_at, "device_id": "door-1" })
}

fn outcome_codes(body: &Value) -> Vec<String> {
    body["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            o["code"]
                .as_str()
                .unwrap_or(o["outcome"].as_str().unwrap())
                .to_owned()
        })
        .collect()
}

async fn csv(w: &World) -> (u16, String) {
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
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test]
async fn a_scan_dated_9999_is_refused_and_a_plausible_one_is_kept() {
    let w = world().await;
    let now = now_ms();
    let ten_years_ago = now - 10 * 365 * 86_400_000;
    let (status, body) = push(
        &w.server,
        &w.organizer,
        now,
        json!([
            { "id": 1, "name": "checkin.record", "args": scan(&w.registration_id, YEAR_9999_MS), "created_at": now },
            { "id": 2, "name": "checkin.record", "args": scan(&w.registration_id, ten_years_ago), "created_at": now },
            { "id": 3, "name": "checkin.record", "args": scan(&w.registration_id, now), "created_at": now },
        ]),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        outcome_codes(&body),
        ["time_out_of_range", "time_out_of_range", "applied"]
    );
    let (status, text) = csv(&w).await;
    assert_eq!(status, 200);
    assert!(text.contains("王青青"), "{text}");
}

#[tokio::test]
async fn a_device_clock_out_of_range_is_refused_and_a_mutation_made_out_of_range_is_rejected_alone()
{
    let w = world().await;
    let now = now_ms();
    let cancel = json!({ "registration_id": w.registration_id });
    let (status, body) = push(
        &w.server,
        &w.youth,
        YEAR_9999_MS,
        json!([{ "id": 1, "name": "registration.cancel", "args": cancel, "created_at": now }]),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str(), body["field"].as_str()),
        (400, Some("invalid_field"), Some("client_time")),
        "{body}"
    );
    // One mutation stamped in 9999 is refused; the queue moves on and the next one applies.
    let (status, body) = push(
        &w.server,
        &w.youth,
        now,
        json!([
            { "id": 1, "name": "registration.cancel", "args": cancel, "created_at": YEAR_9999_MS },
            { "id": 2, "name": "registration.cancel", "args": cancel, "created_at": now },
        ]),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(outcome_codes(&body), ["time_out_of_range", "applied"]);
    assert_eq!(body["last_mutation_id"], 2);
}

#[tokio::test]
async fn an_offering_scheduled_outside_2000_to_2099_is_refused_with_a_clear_error() {
    let w = world().await;
    for (field, value) in [
        ("ends_at", "9999-12-31T23:59:59+00:00"),
        ("starts_at", "1999-12-31T09:00:00+08:00"),
        ("signup_closes_at", "2100-06-01T00:00:00+08:00"),
        ("signup_opens_at", "9999-12-31T23:59:59+00:00"),
    ] {
        let mut draft = draft_json("远方的活动");
        draft[field] = json!(value);
        for (method, path) in [
            ("POST", "/api/v1/admin/offerings".to_owned()),
            ("PUT", format!("/api/v1/admin/offerings/{}", w.offering_id)),
        ] {
            let request = if method == "POST" {
                w.server.http.post(w.server.url(&path))
            } else {
                w.server.http.put(w.server.url(&path))
            };
            let r = request
                .bearer_auth(&w.admin)
                .json(&json!({ "draft": draft }))
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            let body: Value = r.json().await.unwrap();
            assert_eq!(status, 400, "{method} {field}: {body}");
            let message = body["message"].as_str().unwrap();
            assert!(
                message.contains(field) && message.contains("out of range"),
                "{method} {field}: {body}"
            );
        }
    }
    // Nothing changed: the offering is as it was, and no other was made.
    let r = w
        .server
        .get("/api/v1/admin/offerings", Some(&w.admin))
        .await;
    let list: Vec<Value> = r.json().await.unwrap();
    assert!(list.iter().all(|o| o["title"] != "远方的活动"));
}

/// Writes straight into the database, as a server before the range checks could have stored.
async fn store_times_out_of_range(w: &World) {
    let pool = w.server.store().await;
    let year_9999 = YEAR_9999_MS / 1000;
    pool.execute(
        "UPDATE registrations SET checked_in_at = ?1, received_at = ?2 WHERE id = ?3",
        args![year_9999, year_9999, w.registration_id],
    )
    .await
    .unwrap();
    pool.execute(
        "INSERT INTO checkins (id, registration_id, offering_id, kind, scanned_at, at, received_at,
                               device_id, client_id, recorded_by, duplicate_of, version)
         VALUES (?1, ?2, ?3, 'in', ?4, ?5, ?6, 'door-9', ?7, 'user-13900000002', NULL,
                 (SELECT value FROM version_counter WHERE id = 1))",
        args![
            uuid(),
            w.registration_id,
            w.offering_id,
            YEAR_9999_MS,
            year_9999,
            year_9999,
            uuid()
        ],
    )
    .await
    .unwrap();
    pool.execute(
        "UPDATE registrations SET version = version + 0 WHERE id = ?1",
        args![w.registration_id],
    )
    .await
    .unwrap();
    pool.close().await;
}

#[tokio::test]
async fn times_stored_out_of_range_break_no_export_no_pull_and_no_device() {
    let w = world().await;
    store_times_out_of_range(&w).await;
    // Another offering whose end was stored in 9999.
    let pool = w.server.store().await;
    pool.execute(
        "UPDATE offerings SET ends_at = ?1 WHERE id <> ?2 AND status = 'published'
            AND id IN (SELECT id FROM offerings WHERE kind = 'activity' LIMIT 1)",
        args![YEAR_9999_MS / 1000, w.offering_id],
    )
    .await
    .unwrap();
    pool.close().await;

    let (status, text) = csv(&w).await;
    assert_eq!(status, 200, "{text}");
    assert!(text.contains("王青青"), "{text}");
    let r = w.server.get("/api/v1/catalogue", None).await;
    assert_eq!(r.status(), 200);
    let r = w
        .server
        .get("/api/v1/admin/offerings", Some(&w.admin))
        .await;
    assert_eq!(r.status(), 200);

    // The person's device: the row it cannot show is left out and counted; the rest shows.
    let youth = engine(&w.server, &w.youth);
    youth.sync(now_ms()).await.unwrap();
    let (views, unreadable) = youth.registrations_read().await.unwrap();
    assert!(views.iter().all(|v| v.id != w.registration_id));
    assert_eq!(unreadable, 1);

    // The organizer's device: the scan it cannot show is left out and counted.
    let organizer = engine(&w.server, &w.organizer);
    organizer.sync(now_ms()).await.unwrap();
    let data = venue::load(organizer.store()).await.unwrap();
    assert!(data.unreadable >= 1, "{}", data.unreadable);
    assert!(
        data.people
            .iter()
            .any(|p| p.registration_id == w.registration_id)
    );
}

#[tokio::test]
async fn an_offering_update_without_organizers_keeps_them_and_an_empty_list_removes_them() {
    let w = world().await;
    let path = format!("/api/v1/admin/offerings/{}", w.offering_id);
    let put = |body: Value| {
        let w = &w;
        let path = path.clone();
        async move {
            let r = w
                .server
                .http
                .put(w.server.url(&path))
                .bearer_auth(&w.admin)
                .json(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
            r.json::<Value>().await.unwrap()
        }
    };
    let after = put(json!({ "draft": draft_json("河小青·探测（改）") })).await;
    assert_eq!(after["organizer_ids"], json!(["user-13900000002"]));
    let after = put(json!({ "draft": draft_json("河小青·探测"), "organizer_ids": [] })).await;
    assert_eq!(after["organizer_ids"], json!([]));
}

#[tokio::test]
async fn assignments_left_out_of_a_change_stay_and_only_an_explicit_empty_list_empties() {
    let w = world().await;
    let path = "/api/v1/admin/users/user-13900000002/assignments";
    let put = |body: Value| {
        let w = &w;
        async move {
            let r = w
                .server
                .http
                .put(w.server.url(path))
                .bearer_auth(&w.admin)
                .json(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
            r.json::<Value>().await.unwrap()
        }
    };
    let before: Value = w
        .server
        .get(path, Some(&w.admin))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        !before["offering_ids"].as_array().unwrap().is_empty(),
        "{before}"
    );
    assert_eq!(put(json!({})).await, before);
    let after = put(json!({ "venue_ids": ["venue-center"] })).await;
    assert_eq!(after["offering_ids"], before["offering_ids"]);
    assert_eq!(after["venue_ids"], json!(["venue-center"]));
    let after = put(json!({ "offering_ids": [] })).await;
    assert_eq!(after["offering_ids"], json!([]));
    assert_eq!(after["venue_ids"], json!(["venue-center"]));
}

/// Makes a second organizer, assigned to nothing.
async fn bystander_organizer(w: &World) -> String {
    let who = w.server.signup("13700000009", "旁观者").await;
    let r = w
        .server
        .http
        .put(
            w.server
                .url(&format!("/api/v1/admin/users/{}/roles", who.user.id)),
        )
        .bearer_auth(&w.admin)
        .json(&json!({ "roles": ["youth", "organizer"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    who.token
}

#[tokio::test]
async fn walk_ins_and_scans_by_someone_without_the_right_reveal_nothing() {
    let w = world().await;
    let bystander = bystander_organizer(&w).await;
    let now = now_ms();
    let walk_in = |registration_id: &str| {
        json!({ "registration_id": registration_id, "offering_id": w.offering_id,
                "display_name": "路人", "phone_last4": "" })
    };
    for token in [&w.youth, &bystander] {
        let (status, body) = push(
            &w.server,
            token,
            now,
            json!([
                // An existing registration's id: its status must not come back.
                { "id": 1, "name": "walkin.register", "args": walk_in(&w.registration_id), "created_at": now },
                { "id": 2, "name": "walkin.register", "args": walk_in(&uuid()), "created_at": now },
                { "id": 3, "name": "checkin.record", "args": scan(&w.registration_id, now), "created_at": now },
            ]),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            outcome_codes(&body),
            ["forbidden", "forbidden", "forbidden"],
            "{body}"
        );
        assert!(
            !body.to_string().contains("confirmed"),
            "a status leaked: {body}"
        );
    }
    // The organizer who runs it still gets the answer.
    let (_, body) = push(
        &w.server,
        &w.organizer,
        now,
        json!([{ "id": 1, "name": "walkin.register", "args": walk_in(&w.registration_id), "created_at": now }]),
    )
    .await;
    assert_eq!(body["outcomes"][0]["decision"]["status"], "confirmed");
}

/// Whether the device holds a roster entry for `registration_id`.
async fn rostered(e: &Engine, registration_id: &str) -> bool {
    e.store()
        .rows("roster_entry")
        .await
        .unwrap()
        .iter()
        .filter_map(|r| r.value::<RosterEntry>().ok())
        .any(|r| r.registration_id == registration_id)
}

#[tokio::test]
async fn a_venue_move_reaches_the_devices_of_organizers_of_both_venues() {
    let w = world().await;
    let admin = &w.admin;
    // The offering moves from venue-station to venue-center; one organizer runs each venue.
    let old_side = w.organizer.clone();
    let new_side = bystander_organizer(&w).await;
    let new_side_id = w
        .server
        .get("/api/v1/me", Some(&new_side))
        .await
        .json::<Value>()
        .await
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for (user, venue) in [
        ("user-13900000002", "venue-station"),
        (new_side_id.as_str(), "venue-center"),
    ] {
        let r = w
            .server
            .http
            .put(
                w.server
                    .url(&format!("/api/v1/admin/users/{user}/assignments")),
            )
            .bearer_auth(admin)
            .json(&json!({ "offering_ids": [], "venue_ids": [venue] }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }
    let old_device = engine(&w.server, &old_side);
    let new_device = engine(&w.server, &new_side);
    let id = w.registration_id.as_str();
    old_device.sync(now_ms()).await.unwrap();
    new_device.sync(now_ms()).await.unwrap();
    assert!(rostered(&old_device, id).await);
    assert!(!rostered(&new_device, id).await);

    let mut draft = draft_json("河小青·探测");
    draft["venue_id"] = json!("venue-center");
    let r = w
        .server
        .http
        .put(
            w.server
                .url(&format!("/api/v1/admin/offerings/{}", w.offering_id)),
        )
        .bearer_auth(admin)
        .json(&json!({ "draft": draft }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    old_device.sync(now_ms()).await.unwrap();
    new_device.sync(now_ms()).await.unwrap();
    assert!(
        !rostered(&old_device, id).await,
        "the old venue's organizer kept the roster"
    );
    assert!(
        rostered(&new_device, id).await,
        "the new venue's organizer never got it"
    );
    let roster = format!("/api/v1/offerings/{}/roster", w.offering_id);
    assert_eq!(w.server.get(&roster, Some(&old_side)).await.status(), 403);
    assert_eq!(w.server.get(&roster, Some(&new_side)).await.status(), 200);
    // The new side's device can scan the moved offering's people.
    let op = Op::CheckinRecord(CheckinArgs {
        checkin_id: uuid(),
        registration_id: w.registration_id.clone(),
        kind: ScanKind::In,
        scanned_at: now_ms(),
        device_id: "door-2".into(),
        lesson: None,
    });
    new_device.enqueue(&op, now_ms(), None).await.unwrap();
    let report = new_device.sync(now_ms()).await.unwrap();
    assert!(
        report.notices.iter().all(|n| !matches!(
            n.kind,
            engine::sync::NoticeKind::Rejected {
                code: MutationError::Forbidden
            }
        )),
        "{:?}",
        report.notices
    );
}

#[tokio::test]
async fn text_that_hides_what_it_says_is_refused_in_every_field() {
    let w = world().await;
    let hidden = [
        "\u{2066}", "\u{2067}", "\u{2068}", "\u{2069}", "\u{202E}", "\u{200F}",
    ];
    for bad in hidden.iter().chain(["\0", "\u{7}"].iter()) {
        // Admin forms: title, summary, category, a question's label and options.
        for field in ["title", "summary", "category"] {
            let mut draft = draft_json("文本规则");
            draft[field] = json!(format!("河小{bad}青"));
            let r = w
                .server
                .post(
                    "/api/v1/admin/offerings",
                    Some(&w.admin),
                    &json!({ "draft": draft }),
                )
                .await;
            let body: Value = r.json().await.unwrap();
            assert_eq!(
                (body["field"].as_str(), body["reason"].as_str()),
                (Some(field), Some("bad_characters")),
                "{field} {bad:?}"
            );
        }
        let mut draft = draft_json("文本规则");
        draft["questions"] = json!([{ "id": "q1", "label": format!("尺{bad}码"), "kind": "text" }]);
        let r = w
            .server
            .post(
                "/api/v1/admin/offerings",
                Some(&w.admin),
                &json!({ "draft": draft }),
            )
            .await;
        assert_eq!(r.status(), 400, "label {bad:?}");
        // A cancellation reason.
        let r = w
            .server
            .post(
                &format!("/api/v1/admin/offerings/{}/cancel", w.offering_id),
                Some(&w.admin),
                &json!({ "reason": format!("天{bad}气") }),
            )
            .await;
        assert_eq!(r.status(), 400, "cancel reason {bad:?}");
        // A sign-up's name, and a guardian's.
        let mut body = tests::signup_body("13700000011", &format!("李{bad}四"));
        let r = w.server.post("/api/v1/auth/signup", None, &body).await;
        assert_eq!(r.status(), 400, "display name {bad:?}");
        body["display_name"] = json!("李四");
        body["birth_year"] = json!(time::OffsetDateTime::now_utc().year() - 12);
        body["guardian"] =
            json!({ "name": format!("李{bad}父"), "phone": "13700000012", "consent": true });
        let r = w.server.post("/api/v1/auth/signup", None, &body).await;
        let b: Value = r.json().await.unwrap();
        assert_eq!(b["field"], "guardian.name", "guardian {bad:?}: {b}");
        // Mutations: a walk-in's name, a rejection and an hours correction's reason, a text
        // answer.
        let now = now_ms();
        let (_, body) = push(
            &w.server,
            &w.organizer,
            now,
            json!([
                { "id": 1, "name": "walkin.register", "created_at": now,
                  "args": { "registration_id": uuid(), "offering_id": w.offering_id,
                            "display_name": format!("路{bad}人"), "phone_last4": "" } },
                { "id": 2, "name": "hours.correct", "created_at": now,
                  "args": { "registration_id": w.registration_id, "minutes": 60,
                            "reason": format!("补{bad}录") } },
            ]),
        )
        .await;
        assert_eq!(outcome_codes(&body), ["bad_args", "bad_args"], "{bad:?}");
        let (_, body) = push(
            &w.server,
            &w.admin,
            now,
            json!([{ "id": 1, "name": "review.decide", "created_at": now,
                     "args": { "registration_id": w.registration_id, "decision": "reject",
                               "reason": format!("不{bad}符") } }]),
        )
        .await;
        assert_eq!(outcome_codes(&body), ["bad_args"], "{bad:?}");
    }
    // Names refuse invisible characters too; a summary keeps its line breaks.
    let r = w
        .server
        .post(
            "/api/v1/auth/signup",
            None,
            &tests::signup_body("13700000013", "李\u{200B}四"),
        )
        .await;
    assert_eq!(r.status(), 400);
    let mut draft = draft_json("文本规则");
    draft["summary"] = json!("第一行\n第二行");
    let r = w
        .server
        .post(
            "/api/v1/admin/offerings",
            Some(&w.admin),
            &json!({ "draft": draft }),
        )
        .await;
    assert_eq!(r.status(), 201);
}

#[tokio::test]
async fn a_text_answer_that_hides_what_it_says_is_refused() {
    let w = world().await;
    let mut draft = draft_json("带问题的活动");
    draft["questions"] = json!([{ "id": "note", "label": "备注", "kind": "text" }]);
    let r = w
        .server
        .post(
            "/api/v1/admin/offerings",
            Some(&w.admin),
            &json!({ "draft": draft, "publish": true }),
        )
        .await;
    assert_eq!(r.status(), 201);
    let offering: Value = r.json().await.unwrap();
    let now = now_ms();
    let request = |answer: &str| {
        json!({ "registration_id": uuid(), "offering_id": offering["id"],
                "answers": { "note": answer } })
    };
    let (_, body) = push(
        &w.server,
        &w.youth,
        now,
        json!([
            { "id": 1, "name": "registration.request", "args": request("素\u{2067}食"), "created_at": now },
            { "id": 2, "name": "registration.request", "args": request("素食\n不吃辣"), "created_at": now },
        ]),
    )
    .await;
    assert_eq!(outcome_codes(&body), ["bad_answers", "applied"], "{body}");
}
