//! The pull, the roster and the catalogue through the store interface (issue 17,
//! docs/postgres.md): one small world written to a fresh SQLite and a fresh PostgreSQL, then the
//! same pulls on both. Every statement of the pull runs on PostgreSQL here, and each answer must
//! equal SQLite's, field for field. The PostgreSQL half needs a cluster (`QT_PG_URL`); without
//! one only the SQLite half runs.

use crate::postgres::{Fresh, sqlite_store};
use domain::programme::mixer::{ContactKind, Education, Gender, MixerProfile};
use domain::sync::{PullResponse, SCHEMA_VERSION};
use serde_json::Value;
use server::db::keys::TicketSigner;
use server::db::pool::{Pool, args};
use server::sync::pull::{PullQuery, pull};

/// 2096-10-02, inside the schedules the wire accepts (2000–2099).
const T: i64 = 4_000_000_000;
/// When the pulls are made.
const NOW: i64 = T - 100_000;
/// The ticket key's secret: the same on both databases, so tickets and certificates match.
const SECRET: [u8; 32] = [7; 32];

/// A youth `y1` registered to an activity (checked in, a correction asked), a course (two
/// lessons attended, one scanned twice; rated) and a mixer (checked in, one pick); `y2` at the
/// same mixer and waitlisted at the activity; a walk-in; organizer `o1` running the activity
/// and the mixer, `o2` every offering of the venue; admin `ad`; a draft nobody may see; a
/// tombstone. Versions 1–16 in the order written.
const WORLD: &[&str] = &[
    "INSERT INTO users (id, phone, display_name, password_hash, birth_year, consent_version,
                        consent_at, created_at, version)
     VALUES ('y1', '13800000001', '小一', 'x', 2000, 'v1', 0, 0, 1),
            ('y2', '13800000002', '小二', 'x', 2001, 'v1', 0, 0, 1),
            ('o1', '13800000003', '组织者', 'x', 1990, 'v1', 0, 0, 1),
            ('o2', '13800000004', '场馆员', 'x', 1990, 'v1', 0, 0, 1),
            ('ad', '13800000005', '管理员', 'x', 1980, 'v1', 0, 0, 1)",
    "INSERT INTO user_roles (user_id, role)
     VALUES ('y1', 'youth'), ('y2', 'youth'), ('o1', 'organizer'), ('o2', 'organizer'),
            ('ad', 'admin')",
    "INSERT INTO venues (id, name, address, version) VALUES ('v1', '青年之家', '人民路 1 号', 2)",
    "INSERT INTO offerings (id, kind, title, summary, category, venue_id, starts_at, ends_at,
                            signup_closes_at, status, version)
     VALUES ('act', 'activity', '清洁河道', '', '志愿', 'v1', 4000000000, 4000007200,
             3999999000, 'published', 3),
            ('crs', 'course', '书法夜校', '', '技能', 'v1', 4000000000, 4000090000,
             3999999000, 'published', 4),
            ('mix', 'mixer', '青年联谊', '', '交友', 'v1', 4000000000, 4000007200,
             3999999000, 'published', 5),
            ('drf', 'activity', '草稿', '', '志愿', 'v1', 4000000000, 4000007200,
             3999999000, 'draft', 6)",
    "INSERT INTO activity_settings (offering_id, volunteer_hours, planned_hours,
                                    min_share_percent)
     VALUES ('act', 2, NULL, 60), ('drf', 1, 1, 50)",
    "INSERT INTO course_settings (offering_id, term, teacher, confirm_hours, completion_percent,
                                  per_term_limit, priority)
     VALUES ('crs', '2096 秋', '王老师', 48, 50, 2, 'none')",
    "INSERT INTO course_lessons (offering_id, number, starts_at, ends_at)
     VALUES ('crs', 1, 4000000000, 4000003600), ('crs', 2, 4000086400, 4000090000)",
    "INSERT INTO mixer_settings (offering_id, min_age, max_age, picks, picks_opened_at, version)
     VALUES ('mix', 18, 35, 3, 3999999500, 7)",
    "INSERT INTO offering_pools (offering_id, pool, capacity, version)
     VALUES ('act', 'all', 10, 3), ('crs', 'all', 5, 4), ('mix', 'male', 5, 5),
            ('mix', 'female', 5, 8), ('drf', 'all', 5, 6)",
    "INSERT INTO registrations (id, offering_id, user_id, status, waitlist_position, created_at,
                                received_at, updated_at, version, checked_in_at,
                                present_minutes, credited_minutes, hours_flags, pool, badge_no,
                                walk_in_name, walk_in_last4, note)
     VALUES ('r1', 'act', 'y1', 'confirmed', NULL, 1, 1, 1, 9, 4000000100, 110, 110,
             '[\"below_minimum_share\"]', 'all', NULL, NULL, NULL, '带手套'),
            ('r2', 'crs', 'y1', 'confirmed', NULL, 2, 2, 2, 10, NULL, 0, 0, '[]', 'all', NULL,
             NULL, NULL, NULL),
            ('r3', 'mix', 'y1', 'confirmed', NULL, 3, 3, 3, 11, 4000000200, 0, 0, '[]', 'male',
             1, NULL, NULL, NULL),
            ('r4', 'mix', 'y2', 'confirmed', NULL, 4, 4, 4, 12, 4000000300, 0, 0, '[]',
             'female', 1, NULL, NULL, NULL),
            ('r5', 'act', NULL, 'confirmed', NULL, 5, 5, 5, 13, 4000000400, 0, 0, '[]', 'all',
             NULL, '路人', '4321', NULL),
            ('r6', 'act', 'y2', 'waitlisted', 1, 6, 6, 6, 14, NULL, 0, 0, '[]', 'all', NULL,
             NULL, NULL, NULL)",
    "INSERT INTO checkins (id, registration_id, offering_id, kind, scanned_at, at, received_at,
                           device_id, client_id, duplicate_of, version, lesson)
     VALUES ('k1', 'r2', 'crs', 'in', 4000000000000, 4000000000, 4000000000, 'door', 'd', NULL,
             15, 2),
            ('k2', 'r2', 'crs', 'in', 4000000001000, 4000000001, 4000000001, 'door2', 'd', 'k1',
             16, 2),
            ('k3', 'r2', 'crs', 'in', 4000086400000, 4000086400, 4000086400, 'door', 'd', NULL,
             17, 1),
            ('k4', 'r1', 'act', 'in', 4000000100000, 4000000100, 4000000100, 'door', 'd', NULL,
             18, NULL)",
    "INSERT INTO course_ratings (registration_id, offering_id, stars, comment, created_at,
                                 updated_at)
     VALUES ('r2', 'crs', 5, '很好', 0, 0)",
    "INSERT INTO hours_requests (id, registration_id, offering_id, user_id, current_minutes,
                                 minutes, reason, created_at, version)
     VALUES ('q1', 'r1', 'act', 'y1', 110, 120, '最后十分钟在收拾', 0, 19)",
    "INSERT INTO mixer_picks (registration_id, picked_id, offering_id) VALUES ('r3', 'r4', 'mix')",
    "INSERT INTO organizer_assignments (user_id, offering_id, venue_id)
     VALUES ('o1', 'act', NULL), ('o1', 'mix', NULL), ('o2', NULL, 'v1')",
    "INSERT INTO tombstones (kind, id, version) VALUES ('registration', 'gone', 20)",
];

fn profile(nickname: &str, gender: Gender, contact_kind: ContactKind) -> String {
    serde_json::to_string(&MixerProfile {
        nickname: nickname.into(),
        gender,
        education: Education::Bachelor,
        occupation: "教师".into(),
        height_cm: Some(170),
        intro: String::new(),
        contact_kind,
        wechat_id: "wx_two".into(),
        single: true,
    })
    .unwrap()
}

/// Writes [`WORLD`], the mixer profiles and the ticket key; the version counter at 23.
async fn world(db: &Pool) -> TicketSigner {
    for sql in WORLD {
        db.execute(sql, args![]).await.unwrap();
    }
    for (user, nickname, gender, contact, version) in [
        ("y1", "一一", Gender::Male, ContactKind::Phone, 21_i64),
        ("y2", "二二", Gender::Female, ContactKind::Wechat, 22),
    ] {
        db.execute(
            "INSERT INTO mixer_profiles (user_id, profile, gender, updated_at, version)
             VALUES (?1, ?2, ?3, 0, ?4)",
            args![
                user,
                profile(nickname, gender, contact),
                if gender == Gender::Male {
                    "male"
                } else {
                    "female"
                },
                version
            ],
        )
        .await
        .unwrap();
    }
    db.execute(
        "INSERT INTO signing_keys (secret, public_key, created_at, version)
         VALUES (?1, ?2, 0, 23)",
        args![SECRET, domain::ticket::public_key(&SECRET)],
    )
    .await
    .unwrap();
    db.execute(
        "UPDATE version_counter SET value = 23 WHERE id = 1",
        args![],
    )
    .await
    .unwrap();
    server::db::keys::ensure(db, 0).await.unwrap()
}

fn device(n: u8) -> String {
    format!("00000000-0000-4000-8000-0000000000{n:02}")
}

async fn pull_as(
    db: &Pool,
    signer: &TicketSigner,
    user: &str,
    client: &str,
    cursor: u64,
    limit: Option<u32>,
) -> PullResponse {
    let q = PullQuery {
        schema_version: SCHEMA_VERSION,
        client_id: client.into(),
        cursor,
        limit,
    };
    pull(db, signer, user, &q, NOW, 5)
        .await
        .unwrap_or_else(|e| panic!("{user}'s pull from {cursor}: {e:?}"))
}

/// The change `kind`/`id` of a pull, as JSON.
fn change<'a>(p: &'a PullResponse, kind: &str, id: &str) -> &'a domain::sync::Change {
    p.changes
        .iter()
        .find(|c| c.kind == kind && c.id == id)
        .unwrap_or_else(|| panic!("no {kind} {id} in {:#?}", p.changes))
}

fn kinds_and_ids(p: &PullResponse) -> Vec<(String, String)> {
    p.changes
        .iter()
        .map(|c| (c.kind.clone(), c.id.clone()))
        .collect()
}

/// The scenario, on either database: every pull it makes, in order, as JSON (to compare the
/// two databases' answers), with what each must hold checked on the way.
async fn pulls(db: &Pool) -> Vec<Value> {
    let signer = world(db).await;
    let mut seen = Vec::new();

    // y1's full download: the venue, the three published offerings (never the draft), their
    // own registrations, their correction request, their mixer profile, the pick window, the
    // ticket key and the tombstone; nobody's roster.
    let full = pull_as(db, &signer, "y1", &device(1), 0, None).await;
    assert!(!full.reset && !full.has_more);
    assert_eq!(full.cursor, 23);
    let mut got = kinds_and_ids(&full);
    got.sort();
    let want: Vec<(String, String)> = [
        ("hours_request", "q1"),
        ("mixer_profile", "y1"),
        ("offering", "act"),
        ("offering", "crs"),
        ("offering", "mix"),
        ("pick_window", "mix"),
        ("registration", "gone"),
        ("registration", "r1"),
        ("registration", "r2"),
        ("registration", "r3"),
        ("ticket_key", "1"),
        ("venue", "v1"),
    ]
    .iter()
    .map(|(k, i)| ((*k).to_owned(), (*i).to_owned()))
    .collect();
    assert_eq!(got, want);
    let versions: Vec<u64> = full.changes.iter().map(|c| c.version).collect();
    assert!(versions.is_sorted(), "{versions:?}");
    // The mixer's offering carries its later pool's version (8), not its row's (5).
    assert_eq!(change(&full, "offering", "mix").version, 8);
    let course = change(&full, "registration", "r2").data.clone().unwrap();
    assert_eq!(course["lessons_attended"], serde_json::json!([1, 2]));
    assert_eq!(course["rating"], serde_json::json!([5, "很好"]));
    assert!(course["certificate"].is_string(), "{course}");
    assert!(course["ticket"].is_string(), "{course}");
    let activity = change(&full, "registration", "r1").data.clone().unwrap();
    assert_eq!(activity["credited_minutes"], 110);
    assert_eq!(
        activity["hours_flags"],
        serde_json::json!(["below_minimum_share"])
    );
    assert_eq!(activity["note"], "带手套");
    assert!(activity["hours_effective_at"].is_i64(), "{activity}");
    // At the mixer while its window is open: their badge, their pick, who else is there.
    let mixer = change(&full, "registration", "r3").data.clone().unwrap();
    assert_eq!(mixer["badge"], "M01", "{mixer}");
    assert_eq!(mixer["picks"].as_array().unwrap().len(), 1, "{mixer}");
    assert_eq!(mixer["present"][0]["nickname"], "二二", "{mixer}");
    assert!(mixer.get("matches").is_none(), "none yet: {mixer}");
    seen.push(serde_json::to_value(&full).unwrap());

    // The same device again, in pages of 3 from the start: the served cursor never goes back.
    let mut cursor = 0;
    let mut paged = Vec::new();
    loop {
        let page = pull_as(db, &signer, "y1", &device(1), cursor, Some(3)).await;
        assert!(page.changes.len() <= 3);
        paged.extend(kinds_and_ids(&page));
        seen.push(serde_json::to_value(&page).unwrap());
        cursor = page.cursor;
        if !page.has_more {
            break;
        }
    }
    assert_eq!(cursor, 23);
    paged.sort();
    assert_eq!(paged, want);
    let first = pull_as(db, &signer, "y1", &device(1), 0, Some(1)).await;
    assert!(first.has_more && first.cursor < 23);
    let served: i64 = db
        .fetch_one(
            "SELECT last_cursor FROM clients WHERE id = ?1",
            args![device(1)],
            |r| r.get(0),
        )
        .await
        .unwrap();
    assert_eq!(
        served, 23,
        "a shorter page does not lower the cursor served"
    );

    // Organizers: the roster entries and scans of what they run, their assignments.
    let o1 = pull_as(db, &signer, "o1", &device(2), 0, None).await;
    let mut roster: Vec<String> = o1
        .changes
        .iter()
        .filter(|c| c.kind == "roster_entry")
        .map(|c| c.id.clone())
        .collect();
    roster.sort();
    assert_eq!(roster, ["r1", "r3", "r4", "r5", "r6"]);
    let walk_in = change(&o1, "roster_entry", "r5").data.clone().unwrap();
    assert_eq!(walk_in["walk_in"], true);
    assert_eq!(walk_in["phone_last4"], "4321");
    let entry = change(&o1, "roster_entry", "r1").data.clone().unwrap();
    assert_eq!(entry["phone"], "138****0001");
    assert_eq!(entry["walk_in"], false);
    assert_eq!(
        change(&o1, "roster_entry", "r3").data.as_ref().unwrap()["badge"],
        "M01"
    );
    change(&o1, "checkin", "k4");
    change(&o1, "hours_request", "q1");
    assert!(
        o1.changes.iter().all(|c| c.id != "k1"),
        "not a scan of theirs"
    );
    let mut runs: Vec<&str> = o1
        .changes
        .iter()
        .filter(|c| c.kind == "assignment")
        .map(|c| c.id.as_str())
        .collect();
    runs.sort_unstable();
    assert_eq!(runs, ["act", "mix"]);
    seen.push(serde_json::to_value(&o1).unwrap());
    // Through the venue: every offering there, the draft included.
    let o2 = pull_as(db, &signer, "o2", &device(3), 0, None).await;
    change(&o2, "checkin", "k1");
    change(&o2, "checkin", "k2");
    change(&o2, "roster_entry", "r2");
    let runs = o2.changes.iter().filter(|c| c.kind == "assignment").count();
    assert_eq!(runs, 4);
    seen.push(serde_json::to_value(&o2).unwrap());
    // The admin sees every correction request, and no roster.
    let ad = pull_as(db, &signer, "ad", &device(4), 0, None).await;
    change(&ad, "hours_request", "q1");
    assert!(ad.changes.iter().all(|c| c.kind != "roster_entry"));
    seen.push(serde_json::to_value(&ad).unwrap());

    // The window closes and the draw matches y1 with y2: y1's next pull has just that.
    for sql in [
        "UPDATE mixer_settings SET picks_closed_at = 4000000500, version = 24
          WHERE offering_id = 'mix'",
        "INSERT INTO mixer_matches (offering_id, a_id, b_id) VALUES ('mix', 'r3', 'r4')",
        "UPDATE registrations SET version = 25 WHERE id = 'r3'",
        "UPDATE version_counter SET value = 25 WHERE id = 1",
    ] {
        db.execute(sql, args![]).await.unwrap();
    }
    let next = pull_as(db, &signer, "y1", &device(1), 23, None).await;
    assert_eq!(
        kinds_and_ids(&next),
        [
            ("pick_window".to_owned(), "mix".to_owned()),
            ("registration".to_owned(), "r3".to_owned())
        ]
    );
    assert_eq!(next.cursor, 25);
    let mixer = change(&next, "registration", "r3").data.clone().unwrap();
    assert!(mixer.get("present").is_none(), "not once closed: {mixer}");
    assert_eq!(mixer["matches"][0]["nickname"], "二二", "{mixer}");
    assert_eq!(mixer["matches"][0]["contact"], "wx_two", "{mixer}");
    seen.push(serde_json::to_value(&next).unwrap());

    // A cursor this database never gave: start again.
    let ahead = pull_as(db, &signer, "y1", &device(1), 99, None).await;
    assert!(ahead.reset);
    seen.push(serde_json::to_value(&ahead).unwrap());
    // Another account's device id is refused, and changes nothing.
    let q = PullQuery {
        schema_version: SCHEMA_VERSION,
        client_id: device(1),
        cursor: 0,
        limit: None,
    };
    assert!(pull(db, &signer, "y2", &q, NOW, 5).await.is_err());
    let owner: String = db
        .fetch_one(
            "SELECT user_id FROM clients WHERE id = ?1",
            args![device(1)],
            |r| r.get(0),
        )
        .await
        .unwrap();
    assert_eq!(owner, "y1");

    // The public catalogue: the published offerings that have not ended, and their venue.
    let catalogue = server::db::catalogue::published(
        db,
        time::OffsetDateTime::from_unix_timestamp(NOW).unwrap(),
    )
    .await
    .unwrap();
    let ids: Vec<&str> = catalogue.offerings.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, ["act", "crs", "mix"]);
    assert_eq!(catalogue.venues.len(), 1);
    seen.push(serde_json::to_value(&catalogue).unwrap());
    // The roster handler's statement: the live registrations of an offering, in arrival order.
    let roster: Vec<(String, Option<String>, Option<String>, String)> = db
        .fetch_all(server::db::registrations::ROSTER, args!["act"], |r| {
            r.tuple()
        })
        .await
        .unwrap();
    let ids: Vec<&str> = roster.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(ids, ["r1", "r5", "r6"]);
    assert_eq!(roster[1].1, None);
    seen.push(serde_json::to_value(&roster).unwrap());
    seen
}

#[tokio::test]
async fn a_pull_answers_the_same_on_sqlite_and_on_postgres() {
    let (_dir, sqlite) = sqlite_store().await;
    let on_sqlite = pulls(&sqlite).await;
    let Some(fresh) = Fresh::create("store_sync").await else {
        return;
    };
    let on_postgres = pulls(&Pool::Postgres(fresh.pool.clone())).await;
    assert_eq!(on_sqlite.len(), on_postgres.len());
    for (i, (s, p)) in on_sqlite.iter().zip(&on_postgres).enumerate() {
        assert_eq!(s, p, "answer {i}: SQLite's, then PostgreSQL's");
    }
    fresh.drop().await;
}

/// People on the measured roster.
const ROSTER_PEOPLE: usize = 10_000;

/// An activity with [`ROSTER_PEOPLE`] confirmed registrations, run by organizer `o1`; the
/// version counter at the last registration's.
async fn big_roster(db: &Pool) {
    for sql in [
        "INSERT INTO users (id, phone, display_name, password_hash, birth_year, consent_version,
                            consent_at, created_at, version)
         VALUES ('o1', '13700000000', '组织者', 'x', 1990, 'v1', 0, 0, 1)",
        "INSERT INTO user_roles (user_id, role) VALUES ('o1', 'organizer')",
        "INSERT INTO venues (id, name, address, version) VALUES ('v1', '青年之家', '路', 2)",
        "INSERT INTO offerings (id, kind, title, summary, category, venue_id, starts_at, ends_at,
                                signup_closes_at, status, version)
         VALUES ('act', 'activity', '大活动', '', '志愿', 'v1', 4000000000, 4000007200,
                 3999999000, 'published', 3)",
        "INSERT INTO activity_settings (offering_id, volunteer_hours) VALUES ('act', 2)",
        "INSERT INTO offering_pools (offering_id, pool, capacity, seats_taken, version)
         VALUES ('act', 'all', 10000, 10000, 3)",
        "INSERT INTO organizer_assignments (user_id, offering_id) VALUES ('o1', 'act')",
    ] {
        db.execute(sql, args![]).await.unwrap();
    }
    let mut tx = db.begin().await.unwrap();
    for chunk in (0..ROSTER_PEOPLE).collect::<Vec<_>>().chunks(500) {
        let users: Vec<String> = chunk
            .iter()
            .map(|i| format!("('p{i}', '1390{i:07}', '人{i}', 'x', 2000, 'v1', 0, 0, 1)"))
            .collect();
        tx.execute(
            &format!(
                "INSERT INTO users (id, phone, display_name, password_hash, birth_year,
                                    consent_version, consent_at, created_at, version)
                 VALUES {}",
                users.join(", ")
            ),
            args![],
        )
        .await
        .unwrap();
        let registrations: Vec<String> = chunk
            .iter()
            .map(|i| {
                format!(
                    "('g{i}', 'act', 'p{i}', 'confirmed', {i}, {i}, {i}, {})",
                    4 + i
                )
            })
            .collect();
        tx.execute(
            &format!(
                "INSERT INTO registrations (id, offering_id, user_id, status, created_at,
                                            received_at, updated_at, version)
                 VALUES {}",
                registrations.join(", ")
            ),
            args![],
        )
        .await
        .unwrap();
    }
    tx.execute(
        "UPDATE version_counter SET value = ?1 WHERE id = 1",
        args![i64::try_from(3 + ROSTER_PEOPLE).unwrap()],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

/// The organizer's first download of the roster, page after page as a device pulls it: every
/// entry arrives. The time it took. (Not "once": a first page that has more ends with the
/// assignments, whose version 1 becomes the cursor, so the second page repeats the first.)
async fn pull_big_roster(db: &Pool) -> std::time::Duration {
    let signer = server::db::keys::ensure(db, 0).await.unwrap();
    let started = std::time::Instant::now();
    let mut cursor = 0;
    let mut entries = std::collections::HashSet::new();
    loop {
        let page = pull_as(db, &signer, "o1", &device(9), cursor, None).await;
        for c in &page.changes {
            if c.kind == "roster_entry" {
                entries.insert(c.id.clone());
            }
        }
        cursor = page.cursor;
        if !page.has_more {
            break;
        }
    }
    let took = started.elapsed();
    assert_eq!(entries.len(), ROSTER_PEOPLE);
    took
}

/// The pull of a 10,000-person roster on both databases (the benchmark measures it on SQLite
/// through the release server; this one, in a test build, on PostgreSQL too). Prints the times.
#[tokio::test]
#[ignore = "a measurement, run by hand: cargo test -p tests --test integration -- --ignored store_sync::"]
async fn a_ten_thousand_person_roster_pull_on_both_databases() {
    let (_dir, sqlite) = sqlite_store().await;
    big_roster(&sqlite).await;
    println!("SQLite: {:?}", pull_big_roster(&sqlite).await);
    let Some(fresh) = Fresh::create("store_sync_roster").await else {
        return;
    };
    let pg = Pool::Postgres(fresh.pool.clone());
    big_roster(&pg).await;
    println!("PostgreSQL: {:?}", pull_big_roster(&pg).await);
    fresh.drop().await;
}
