//! Mixers from start to finish, through the real engine and the real server: profiles and the
//! conditions of signing up, review, places per gender each with its own waitlist, badges,
//! check-in, picks queued offline and retried through the fault proxy, the close, the matches;
//! and what each person, organizer and admin can fetch, searched for what they must not see.

use domain::{
    hours::ScanKind,
    programme::mixer::{Badge, ContactKind, Education, Gender, MixerProfile, PickWindow},
    registration::RegistrationStatus,
    sync::{
        CancelArgs, CheckinArgs, Op, OpenPicksArgs, PickArgs, ProfileArgs, RequestArgs, ReviewArgs,
        ReviewDecision, WalkInArgs,
    },
};
use serde_json::{Value, json};
use server::db::pool::args;
use tests::device::{Engine, act, engine, row, uuid};
use tests::{
    DEMO_PASSWORD, Options, TestServer, now_ms,
    proxy::{FaultProxy, Faults},
    signup_body,
};
use time::{Duration, OffsetDateTime, format_description::well_known::Rfc3339};

/// Syncs until nothing is left to send (through a proxy that loses requests and answers).
async fn sync_through(e: &Engine) {
    // Done once a whole sync (its push and its pull) got through with nothing left to send:
    // a sync whose pull was lost leaves the device without the server's answer.
    for _ in 0..60 {
        if e.sync(now_ms()).await.is_ok() && e.pending().await.unwrap() == 0 {
            return;
        }
    }
    panic!("the outbox never emptied");
}

/// A mixer with three places per gender, a waitlist, review, picks of at most 3, already begun
/// (so its door is open), run by the demo organizer.
async fn mixer(server: &TestServer, admin: &str) -> String {
    let now = OffsetDateTime::now_utc();
    let t = |x: OffsetDateTime| x.format(&Rfc3339).unwrap();
    let body = json!({
        "draft": {
            "title": "望青团缘·冬日联谊", "summary": "单身青年交友", "category": "联谊",
            "venue_id": "venue-binjiang",
            "starts_at": t(now - Duration::minutes(10)), "ends_at": t(now + Duration::hours(3)),
            "signup_closes_at": t(now + Duration::hours(2)),
            "requires_approval": true, "waitlist_enabled": true,
            "quotas": [{ "pool": "male", "capacity": 3 }, { "pool": "female", "capacity": 3 }],
            "programme": { "kind": "mixer", "min_age": 22, "max_age": 35, "picks": 3 },
        },
        "publish": true,
        "organizer_ids": ["user-13900000002"],
    });
    let r = server
        .post("/api/v1/admin/offerings", Some(admin), &body)
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let created: Value = r.json().await.unwrap();
    created["id"].as_str().unwrap().to_owned()
}

/// Someone at the mixer: their device, their registration, and what they wrote.
struct Person {
    device: Engine,
    token: String,
    reg: String,
    profile: MixerProfile,
}

fn profile(i: usize, gender: Gender) -> MixerProfile {
    let wechat = i.is_multiple_of(2);
    MixerProfile {
        nickname: format!("昵称{i:02}"),
        gender,
        education: Education::Bachelor,
        occupation: format!("职业秘密{i:02}"),
        height_cm: Some(160 + (i % 30) as u16),
        intro: format!("自我介绍秘密{i:02}"),
        contact_kind: if wechat {
            ContactKind::Wechat
        } else {
            ContactKind::Phone
        },
        wechat_id: if wechat {
            format!("wx_secret_{i:02}")
        } else {
            String::new()
        },
        single: true,
    }
}

fn checkin(reg: &str) -> Op {
    Op::CheckinRecord(CheckinArgs {
        checkin_id: uuid(),
        registration_id: reg.into(),
        kind: ScanKind::In,
        scanned_at: now_ms(),
        device_id: "door-1".into(),
        lesson: None,
    })
}

fn pick(reg: &str, badges: &[Badge]) -> Op {
    Op::MixerPick(PickArgs {
        registration_id: reg.into(),
        badges: badges.to_vec(),
    })
}

fn m(n: u16) -> Badge {
    Badge {
        gender: Gender::Male,
        number: n,
    }
}

fn f(n: u16) -> Badge {
    Badge {
        gender: Gender::Female,
        number: n,
    }
}

/// Everything `token` can fetch about the mixer and the people in it, as one text.
async fn everything(server: &TestServer, token: &str, offering_id: &str) -> String {
    let mut all = String::new();
    let client_id = uuid();
    let mut cursor = 0u64;
    loop {
        let r = server
            .get(
                &format!(
                    "/api/v1/sync/pull?schema_version=1&client_id={client_id}&cursor={cursor}"
                ),
                Some(token),
            )
            .await;
        assert_eq!(r.status(), 200);
        let page: Value = r.json().await.unwrap();
        all.push_str(&page.to_string());
        cursor = page["cursor"].as_u64().unwrap();
        if !page["has_more"].as_bool().unwrap() {
            break;
        }
    }
    for path in [
        format!("/api/v1/offerings/{offering_id}/roster"),
        format!("/api/v1/offerings/{offering_id}/mixer"),
        "/api/v1/admin/reviews?status=confirmed".to_owned(),
        format!("/api/v1/admin/offerings/{offering_id}/registrations.csv"),
        "/api/v1/admin/offerings".to_owned(),
        "/api/v1/catalogue".to_owned(),
        "/api/v1/me".to_owned(),
        "/api/v1/me/export".to_owned(),
    ] {
        let r = server.get(&path, Some(token)).await;
        all.push_str(&r.text().await.unwrap());
    }
    all
}

#[tokio::test]
async fn a_mixer_from_profiles_to_private_matches() {
    let server = TestServer::spawn_with(Options {
        demo: true,
        ..Options::default()
    })
    .await;
    let admin = server.login("13900000001", DEMO_PASSWORD).await.token;
    let organizer = server.login("13900000002", DEMO_PASSWORD).await.token;
    let id = mixer(&server, &admin).await;
    let proxy = FaultProxy::start(&server.base_url, 11).await;

    // The conditions of signing up, each refused with its own reason.
    let nobody = engine(
        &server.base_url,
        &server.signup("13720000001", "无资料").await.token,
    );
    let (reg, op) = request(&id);
    assert_eq!(act(&nobody, op).await, None);
    assert_eq!(
        row(&nobody, &reg).await.reject_reason.as_deref(),
        Some("no_profile")
    );
    let (reg, op) = request(&id);
    let save = |p: MixerProfile| Op::MixerProfile(ProfileArgs { profile: p });
    assert_eq!(
        act(
            &nobody,
            save(MixerProfile {
                single: false,
                ..profile(90, Gender::Male)
            })
        )
        .await,
        None
    );
    assert_eq!(act(&nobody, op).await, None);
    assert_eq!(
        row(&nobody, &reg).await.reject_reason.as_deref(),
        Some("not_declared")
    );
    let older = {
        let mut body = signup_body("13720000002", "年长者");
        body["birth_year"] = json!(1980);
        let r = server.post("/api/v1/auth/signup", None, &body).await;
        assert_eq!(r.status(), 201);
        let auth: domain::AuthResponse = r.json().await.unwrap();
        engine(&server.base_url, &auth.token)
    };
    assert_eq!(act(&older, save(profile(91, Gender::Female))).await, None);
    let (reg, op) = request(&id);
    act(&older, op).await;
    assert_eq!(
        row(&older, &reg).await.reject_reason.as_deref(),
        Some("age_range")
    );
    // A profile that does not read is refused, and nothing is kept.
    let bad = MixerProfile {
        wechat_id: "1 not an id".into(),
        contact_kind: ContactKind::Wechat,
        ..profile(92, Gender::Male)
    };
    let r = server
        .post(
            "/api/v1/sync/push",
            Some(
                &server
                    .login("13720000001", tests::GOOD_PASSWORD)
                    .await
                    .token,
            ),
            &json!({ "schema_version": 1, "client_id": uuid(), "client_time": now_ms(),
                     "mutations": [{ "id": 1, "name": "mixer.profile",
                                     "args": { "profile": bad }, "created_at": now_ms() }] }),
        )
        .await;
    let outcome: Value = r.json().await.unwrap();
    assert_eq!(outcome["outcomes"][0]["code"], "bad_args");

    // Five men and five women sign up: each writes a profile first, then asks for a place.
    let mut men = Vec::new();
    let mut women = Vec::new();
    for i in 0..10 {
        let gender = if i < 5 { Gender::Male } else { Gender::Female };
        let token = server
            .signup(&format!("1372100{i:04}"), &format!("参加者{i:02}"))
            .await
            .token;
        let device = engine(&proxy.url, &token);
        let p = profile(i, gender);
        let (reg, op) = request(&id);
        device
            .enqueue(&save(p.clone()), now_ms(), None)
            .await
            .unwrap();
        device.enqueue(&op, now_ms(), None).await.unwrap();
        sync_through(&device).await;
        assert_eq!(
            row(&device, &reg).await.status,
            RegistrationStatus::PendingReview
        );
        let person = Person {
            device,
            token,
            reg,
            profile: p,
        };
        if i < 5 { &mut men } else { &mut women }.push(person);
    }
    let all: Vec<&Person> = men.iter().chain(women.iter()).collect();

    // The admin reviews with the profile in front of them (never its contact).
    let r = server
        .get(
            &format!("/api/v1/admin/reviews?offering_id={id}"),
            Some(&admin),
        )
        .await;
    let queue: Vec<domain::admin::ReviewItem> = r.json().await.unwrap();
    assert_eq!(queue.len(), 10);
    for item in &queue {
        let p = item
            .profile
            .as_ref()
            .expect("a mixer sign-up shows its profile");
        let person = all.iter().find(|x| x.reg == item.registration_id).unwrap();
        assert_eq!(p.occupation, person.profile.occupation);
        assert_eq!(p.gender, person.profile.gender);
    }
    assert!(!serde_json::to_string(&queue).unwrap().contains("wx_secret"));
    let reviewer = engine(&server.base_url, &admin);
    for p in &all {
        let op = Op::ReviewDecide(ReviewArgs {
            registration_id: p.reg.clone(),
            decision: ReviewDecision::Approve,
            reason: String::new(),
        });
        reviewer.enqueue(&op, now_ms(), None).await.unwrap();
    }
    reviewer.sync(now_ms()).await.unwrap();
    assert_eq!(reviewer.pending().await.unwrap(), 0);

    // Three places per gender; each gender's waitlist is its own, numbered from 1.
    for group in [&men, &women] {
        let mut statuses = Vec::new();
        for p in group.iter() {
            p.device.sync(now_ms()).await.unwrap();
            let r = row(&p.device, &p.reg).await;
            statuses.push((r.status, r.waitlist_position));
        }
        use RegistrationStatus::*;
        assert_eq!(
            statuses,
            [
                (Confirmed, None),
                (Confirmed, None),
                (Confirmed, None),
                (Waitlisted, Some(1)),
                (Waitlisted, Some(2))
            ]
        );
    }
    // A man gives up his place: the men's waitlist moves up, the women's does not.
    assert_eq!(
        act(
            &men[1].device,
            Op::RegistrationCancel(CancelArgs {
                registration_id: men[1].reg.clone()
            })
        )
        .await,
        None
    );
    for p in men.iter().chain(women.iter()) {
        p.device.sync(now_ms()).await.unwrap();
    }
    assert_eq!(
        row(&men[3].device, &men[3].reg).await.status,
        RegistrationStatus::Confirmed
    );
    assert_eq!(
        row(&men[4].device, &men[4].reg).await.waitlist_position,
        Some(1)
    );
    assert_eq!(
        row(&women[3].device, &women[3].reg).await.waitlist_position,
        Some(1)
    );
    assert_eq!(
        row(&women[4].device, &women[4].reg).await.waitlist_position,
        Some(2)
    );

    // The organizer's roster has each confirmed place's badge: men 01, 03, 04 (02 gave up),
    // women 01–03.
    let door = engine(&server.base_url, &organizer);
    door.sync(now_ms()).await.unwrap();
    let venue = engine::venue::load(door.store()).await.unwrap();
    let badge_of = |reg: &str| venue.person(reg).and_then(|p| p.badge);
    assert_eq!(badge_of(&men[0].reg), Some(m(1)));
    assert_eq!(badge_of(&men[2].reg), Some(m(3)));
    assert_eq!(badge_of(&men[3].reg), Some(m(4)));
    assert_eq!(badge_of(&women[2].reg), Some(f(3)));
    assert_eq!(badge_of(&women[3].reg), None);

    // A walk-in beyond a gender's quota is refused as full; the check-ins give the badges.
    let walk = uuid();
    let walk_in = Op::WalkIn(WalkInArgs {
        registration_id: walk.clone(),
        offering_id: id.clone(),
        display_name: "路人".into(),
        phone_last4: "0000".into(),
        gender: Some(Gender::Female),
    });
    door.enqueue(&walk_in, now_ms(), None).await.unwrap();
    let present = [&men[0], &men[2], &men[3], &women[0], &women[1]];
    for p in present {
        door.enqueue(&checkin(&p.reg), now_ms(), None)
            .await
            .unwrap();
    }
    door.sync(now_ms()).await.unwrap();
    assert_eq!(door.pending().await.unwrap(), 0);
    let refused: Value = server
        .get(&format!("/api/v1/offerings/{id}/roster"), Some(&organizer))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        refused
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["registration_id"] != walk.as_str()),
        "a walk-in over the quota holds no place"
    );

    // Those present see the others present: badge and nickname, nothing else.
    for p in present {
        p.device.sync(now_ms()).await.unwrap();
        let r = row(&p.device, &p.reg).await;
        assert!(r.badge.is_some());
        assert_eq!(r.present.len(), 4, "{:?}", r.present);
        assert!(r.present.iter().all(|x| x.nickname.starts_with("昵称")));
    }
    // Someone with a place who is not at the door yet has no badge on their phone, sees nobody
    // and cannot pick; someone on the waitlist cannot either.
    let late = &women[2];
    late.device.sync(now_ms()).await.unwrap();
    assert!(row(&late.device, &late.reg).await.present.is_empty());
    assert!(row(&late.device, &late.reg).await.badge.is_none());
    assert_eq!(
        act(&late.device, pick(&late.reg, &[m(1)])).await.as_deref(),
        Some("not_checked_in")
    );
    assert_eq!(
        act(&women[3].device, pick(&women[3].reg, &[m(1)]))
            .await
            .as_deref(),
        Some("wrong_status")
    );
    // She arrives: everyone present now sees her too.
    assert_eq!(act(&door, checkin(&late.reg)).await, None);
    for p in present.iter().chain([&late]) {
        p.device.sync(now_ms()).await.unwrap();
        assert_eq!(row(&p.device, &p.reg).await.present.len(), 5);
    }

    // The organizer opens the window from the door (queued like any action).
    assert_eq!(
        act(
            &door,
            Op::MixerOpen(OpenPicksArgs {
                offering_id: id.clone()
            })
        )
        .await,
        None
    );

    // Bad picks, each refused with its reason and changing nothing.
    let (m1, m3, m4) = (&men[0], &men[2], &men[3]);
    let (f1, f2, f3) = (&women[0], &women[1], &women[2]);
    assert_eq!(
        act(&m1.device, pick(&m1.reg, &[m(1)])).await.as_deref(),
        Some("picked_self")
    );
    assert_eq!(
        act(&m1.device, pick(&m1.reg, &[f(1), f(2), f(3), m(3)]))
            .await
            .as_deref(),
        Some("too_many_picks")
    );
    assert_eq!(
        act(&m1.device, pick(&m1.reg, &[f(9)])).await.as_deref(),
        Some("unknown_badge")
    );
    assert_eq!(
        act(&women[4].device, pick(&men[0].reg, &[m(1)]))
            .await
            .as_deref(),
        Some("unknown_registration"),
        "nobody picks with someone else's registration"
    );

    // The picks, made offline in a basement and sent through a network that loses requests
    // and answers. m1 changes his mind: only his last picks count.
    proxy.set_faults(Faults {
        drop_request: 0.3,
        drop_response: 0.3,
        duplicate: 0.2,
        max_delay_ms: 20,
    });
    let picks: [(&Person, Vec<Badge>); 6] = [
        (m1, vec![f(2), f(3)]),
        (f1, vec![m(1)]),
        (m3, vec![f(1)]),
        (f2, vec![m(4)]),
        (m4, vec![f(2)]),
        (f3, vec![m(3), m(4)]),
    ];
    for (p, badges) in &picks {
        p.device
            .enqueue(&pick(&p.reg, badges), now_ms(), None)
            .await
            .unwrap();
    }
    m1.device
        .enqueue(&pick(&m1.reg, &[f(1), f(2)]), now_ms(), None)
        .await
        .unwrap();
    // On the phone at once, marked as not yet sent.
    let shown = m1.device.registrations().await.unwrap();
    let mine = shown.iter().find(|v| v.id == m1.reg).unwrap();
    assert_eq!(mine.mixer.picks, [f(1), f(2)]);
    assert!(mine.mixer.picks_pending);
    for (p, _) in &picks {
        sync_through(&p.device).await;
    }
    assert!(
        proxy
            .counts()
            .dropped_requests
            .load(std::sync::atomic::Ordering::Relaxed)
            > 0
    );
    proxy.set_faults(Faults::default());

    // Before the close nobody learns anything about picks but their own.
    assert_eq!(row(&f1.device, &f1.reg).await.picks, [m(1)]);
    assert!(row(&f1.device, &f1.reg).await.matches.is_empty());
    let counts: Value = server
        .get(&format!("/api/v1/offerings/{id}/mixer"), Some(&organizer))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(counts["window"], "open");
    assert!(counts["pairs"].is_null() && counts["pickers"].is_null());

    // The close: by the organizer, over the network, once; not by a participant.
    let close = format!("/api/v1/offerings/{id}/picks/close");
    assert_eq!(
        server
            .post(&close, Some(&m1.token), &json!({}))
            .await
            .status(),
        403
    );
    let r = server.post(&close, Some(&organizer), &json!({})).await;
    assert_eq!(r.status(), 200);
    let counts: Value = r.json().await.unwrap();
    // m1–f1 and f2–m4 picked each other; m3→f1 and f3→m3/m4 are one-sided; f1–m1 also.
    assert_eq!(counts["pairs"], 2);
    assert_eq!(counts["pickers"], 6);
    assert_eq!(counts["checked_in"], json!([3, 3]));
    let again = server.post(&close, Some(&organizer), &json!({})).await;
    assert_eq!(again.status(), 409);

    // A pick that arrives after the close is refused, and the person is told.
    assert_eq!(
        act(&m3.device, pick(&m3.reg, &[f(3)])).await.as_deref(),
        Some("picks_closed")
    );

    // Each sees their own matches with the contact the other chose to share; nobody sees who
    // picked them.
    let m1_sees = matches(m1).await;
    assert_eq!(m1_sees.len(), 1);
    assert_eq!(m1_sees[0].badge, f(1));
    assert_eq!(m1_sees[0].nickname, f1.profile.nickname);
    assert_eq!(m1_sees[0].contact_kind, f1.profile.contact_kind);
    let f1_sees = matches(f1).await;
    assert_eq!(f1_sees.len(), 1);
    assert_eq!(f1_sees[0].badge, m(1));
    assert_eq!(f1_sees[0].contact_kind, ContactKind::Wechat);
    assert_eq!(f1_sees[0].contact, "wx_secret_00");
    let f2_sees = matches(f2).await;
    assert_eq!(f2_sees.iter().map(|x| x.badge).collect::<Vec<_>>(), [m(4)]);
    assert!(matches(m3).await.is_empty());
    assert!(matches(f3).await.is_empty());
    assert!(row(&m3.device, &m3.reg).await.present.is_empty());
    assert_eq!(
        m1.device.pick_window(&id).await.unwrap(),
        PickWindow::Closed
    );

    // What each can fetch, searched for what they must not see.
    let secrets = |p: &Person| {
        let mut s = vec![p.profile.occupation.clone(), p.profile.intro.clone()];
        if !p.profile.wechat_id.is_empty() {
            s.push(p.profile.wechat_id.clone());
        }
        s
    };
    for viewer in &all {
        let seen = everything(&server, &viewer.token, &id).await;
        for other in &all {
            if std::ptr::eq(*viewer, *other) {
                continue;
            }
            let matched = (std::ptr::eq(*viewer, m1) && std::ptr::eq(*other, f1))
                || (std::ptr::eq(*viewer, f1) && std::ptr::eq(*other, m1))
                || (std::ptr::eq(*viewer, f2) && std::ptr::eq(*other, m4))
                || (std::ptr::eq(*viewer, m4) && std::ptr::eq(*other, f2));
            for secret in secrets(other) {
                let shared_contact = matched && secret == other.profile.wechat_id;
                assert_eq!(
                    seen.contains(&secret),
                    shared_contact,
                    "{} sees {secret}",
                    viewer.profile.nickname
                );
            }
        }
    }
    // Nobody learns who picked them: m3 picked f1 and f3 picked m3; neither shows anywhere
    // but in the picker's own row.
    let f1_seen = everything(&server, &f1.token, &id).await;
    assert!(!f1_seen.contains(&men[2].reg), "f1 learns nothing of m3");
    for (viewer, token) in [("organizer", &organizer), ("admin", &admin)] {
        let seen = everything(&server, token, &id).await;
        for p in &all {
            // The admin reads profiles to review sign-ups; neither sees a shared contact.
            for secret in secrets(p) {
                let allowed = viewer == "admin" && !secret.starts_with("wx_secret");
                assert!(
                    allowed || !seen.contains(&secret),
                    "the {viewer} sees {secret}"
                );
            }
            if viewer == "admin" {
                assert!(seen.contains(&men[0].profile.occupation));
            }
            if viewer == "organizer" {
                assert!(
                    !seen.contains(&p.profile.nickname),
                    "the organizer sees a nickname"
                );
            }
        }
        let counts: Value = server
            .get(&format!("/api/v1/offerings/{id}/mixer"), Some(token))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(counts["pairs"], 2, "{viewer}");
    }

    // The profile is the person's: in their export, and gone with their account.
    let export: Value = server
        .get("/api/v1/me/export", Some(&f1.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(export["mixer_profile"]["occupation"], f1.profile.occupation);
    let pool = server.store().await;
    let r = server
        .http
        .delete(server.url("/api/v1/me"))
        .bearer_auth(&f1.token)
        .json(&json!({ "password": tests::GOOD_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let left: i64 = pool
        .fetch_one(
            "SELECT COUNT(*) FROM mixer_profiles p JOIN registrations r ON r.user_id = p.user_id
              WHERE r.id = ?1",
            args![f1.reg],
            |r| r.get(0),
        )
        .await
        .unwrap();
    assert_eq!(left, 0);
    let profiles: i64 = pool
        .fetch_one("SELECT COUNT(*) FROM mixer_profiles", args![], |r| r.get(0))
        .await
        .unwrap();
    assert_eq!(
        profiles, 11,
        "ten participants and two refused, less the one deleted"
    );
}

async fn matches(p: &Person) -> Vec<domain::sync::MatchCard> {
    p.device.sync(now_ms()).await.unwrap();
    row(&p.device, &p.reg).await.matches
}

fn request(offering_id: &str) -> (String, Op) {
    let id = uuid();
    let op = Op::RegistrationRequest(RequestArgs {
        registration_id: id.clone(),
        offering_id: offering_id.into(),
        answers: Default::default(),
    });
    (id, op)
}

/// A mixer without review, two pools of five with their waitlists, and thirty people (fifteen
/// of each gender) signing up and some giving up at once, every device through a network that
/// loses and repeats requests: neither quota is ever exceeded, each waitlist stays gapless and
/// moves up on its own, the counters match the rows, and every badge is unique in its pool.
#[tokio::test]
async fn two_pools_under_a_rush_through_faults_keep_their_quotas_and_waitlists() {
    let server = TestServer::spawn_with(Options {
        demo: true,
        ..Options::default()
    })
    .await;
    let admin = server.login("13900000001", DEMO_PASSWORD).await.token;
    let now = OffsetDateTime::now_utc();
    let t = |x: OffsetDateTime| x.format(&Rfc3339).unwrap();
    let body = json!({
        "draft": {
            "title": "望青团缘·春日", "summary": "联谊", "category": "联谊",
            "venue_id": "venue-binjiang",
            "starts_at": t(now + Duration::days(3)), "ends_at": t(now + Duration::days(3) + Duration::hours(3)),
            "signup_closes_at": t(now + Duration::days(2)),
            "requires_approval": false, "waitlist_enabled": true,
            "quotas": [{ "pool": "male", "capacity": 5 }, { "pool": "female", "capacity": 5 }],
            "programme": { "kind": "mixer", "min_age": 18, "max_age": 40, "picks": 3 },
        },
        "publish": true,
    });
    let r = server
        .post("/api/v1/admin/offerings", Some(&admin), &body)
        .await;
    assert_eq!(r.status(), 201);
    let id = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let proxy = FaultProxy::start(&server.base_url, 23).await;
    proxy.set_faults(Faults {
        drop_request: 0.2,
        drop_response: 0.2,
        duplicate: 0.2,
        max_delay_ms: 30,
    });
    let mut people = Vec::new();
    for i in 0..30 {
        let token = server
            .signup(&format!("1372200{i:04}"), &format!("冲刺{i:02}"))
            .await
            .token;
        let gender = if i % 2 == 0 {
            Gender::Male
        } else {
            Gender::Female
        };
        people.push((engine(&proxy.url, &token), profile(i, gender), uuid()));
    }
    // Everyone at once: a profile and a request; every third also gives the place up again.
    futures::future::join_all(people.iter().enumerate().map(|(i, (device, p, reg))| {
        let id = id.clone();
        async move {
            device
                .enqueue(
                    &Op::MixerProfile(ProfileArgs { profile: p.clone() }),
                    now_ms(),
                    None,
                )
                .await
                .unwrap();
            let op = Op::RegistrationRequest(RequestArgs {
                registration_id: reg.clone(),
                offering_id: id,
                answers: Default::default(),
            });
            device.enqueue(&op, now_ms(), None).await.unwrap();
            if i % 3 == 0 {
                let cancel = Op::RegistrationCancel(CancelArgs {
                    registration_id: reg.clone(),
                });
                device.enqueue(&cancel, now_ms(), None).await.unwrap();
            }
            sync_through(device).await;
        }
    }))
    .await;
    assert!(
        proxy
            .counts()
            .duplicated
            .load(std::sync::atomic::Ordering::Relaxed)
            > 0
    );

    let pool = server.store().await;
    for (gender, name) in [(Gender::Male, "male"), (Gender::Female, "female")] {
        let rows: Vec<(String, Option<i64>, Option<i64>)> = pool
            .fetch_all(
                "SELECT status, waitlist_position, badge_no FROM registrations
                  WHERE offering_id = ?1 AND pool = ?2 ORDER BY received_at, id",
                args![id, name],
                |r| r.tuple(),
            )
            .await
            .unwrap();
        assert_eq!(
            rows.len(),
            15,
            "{gender:?}: one registration per person, retries or not"
        );
        let confirmed = rows.iter().filter(|r| r.0 == "confirmed").count();
        let mut waiting: Vec<i64> = rows
            .iter()
            .filter(|r| r.0 == "waitlisted")
            .map(|r| r.1.expect("a waitlisted place has a position"))
            .collect();
        waiting.sort_unstable();
        assert_eq!(
            confirmed, 5,
            "{gender:?}: the pool is full while people wait"
        );
        assert_eq!(
            waiting,
            (1..=waiting.len() as i64).collect::<Vec<_>>(),
            "{gender:?}"
        );
        // Ten people with a live place (five gave up), five confirmed: five wait.
        assert_eq!(waiting.len(), 5, "{gender:?}");
        let (seats, queue): (i64, i64) = pool
            .fetch_one(
                "SELECT seats_taken, waitlist_len FROM offering_pools
                  WHERE offering_id = ?1 AND pool = ?2",
                args![id, name],
                |r| r.tuple(),
            )
            .await
            .unwrap();
        assert_eq!(
            (seats, queue),
            (5, 5),
            "{gender:?}: the counters match the rows"
        );
        let mut badges: Vec<i64> = rows.iter().filter_map(|r| r.2).collect();
        badges.sort_unstable();
        badges.dedup();
        assert_eq!(
            badges.len(),
            rows.iter().filter(|r| r.2.is_some()).count(),
            "badges are unique in a pool"
        );
        // Everyone confirmed has a badge.
        assert!(rows.iter().all(|r| r.0 != "confirmed" || r.2.is_some()));
    }
}
