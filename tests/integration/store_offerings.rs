//! Offerings and the admin's reads and writes through the store interface (issue 17,
//! docs/postgres.md): one scenario run on SQLite and on PostgreSQL. It writes the three kinds of
//! offering and their organizers in a write transaction with the audit entry, reads them back
//! whole, edits them (the refusals included), and reads the review queue, the audit log, the
//! hours notice and the record of hours' changes. PostgreSQL's half needs a cluster
//! (`QT_PG_URL`); it is skipped without one.

use crate::postgres::{Fresh, sqlite_store};
use domain::{
    OfferingStatus, Plan, PoolKey,
    account::ValidSignup,
    phone::PhoneNumber,
    programme::mixer::{ContactKind, Education, Gender, MixerProfile},
};
use server::db::{
    audit,
    offerings::{self, UpdateRefused},
    pool::{Pool, args},
    sql::Error,
    users::{self, InsertUserError},
};
use time::{Duration, OffsetDateTime, format_description::well_known::Rfc3339};

/// Whole seconds, so a plan reads back equal to what was written.
fn base() -> OffsetDateTime {
    let now = OffsetDateTime::now_utc();
    now.replace_nanosecond(0).unwrap()
}

fn t(x: OffsetDateTime) -> String {
    x.format(&Rfc3339).unwrap()
}

fn plan(v: serde_json::Value) -> Plan {
    serde_json::from_value::<Plan>(v).unwrap().normalized()
}

fn activity(at: OffsetDateTime, capacity: u32, hours: u32) -> Plan {
    plan(serde_json::json!({
        "title": "河小青·护河", "summary": "捡垃圾", "category": "河小青", "venue_id": "v1",
        "starts_at": t(at + Duration::days(2)),
        "ends_at": t(at + Duration::days(2) + Duration::hours(hours.into())),
        "signup_closes_at": t(at + Duration::days(1)),
        "requires_approval": false, "waitlist_enabled": true,
        "questions": [{ "id": "q1", "label": "衣服尺码", "kind": "text" }],
        "quotas": [{ "pool": "all", "capacity": capacity }],
        "programme": { "kind": "activity", "volunteer_hours": 2 },
    }))
}

fn course(at: OffsetDateTime, lessons: i64) -> Plan {
    let lessons: Vec<serde_json::Value> = (0..lessons)
        .map(|w| {
            let s = at + Duration::days(3 + 7 * w);
            serde_json::json!({ "starts_at": t(s), "ends_at": t(s + Duration::minutes(90)) })
        })
        .collect();
    plan(serde_json::json!({
        "title": "书法", "summary": "", "category": "书法", "venue_id": "v2",
        "starts_at": lessons[0]["starts_at"], "ends_at": lessons[lessons.len() - 1]["ends_at"],
        "signup_closes_at": t(at + Duration::days(2)), "allocation": "lottery",
        "quotas": [{ "pool": "all", "capacity": 20 }],
        "programme": { "kind": "course", "term": "春季", "teacher": "王老师", "lessons": lessons },
    }))
}

fn mixer(at: OffsetDateTime, pools: &[&str]) -> Plan {
    let quotas: Vec<serde_json::Value> = pools
        .iter()
        .map(|p| serde_json::json!({ "pool": p, "capacity": 3 }))
        .collect();
    plan(serde_json::json!({
        "title": "望青团缘", "summary": "", "category": "联谊", "venue_id": "v1",
        "starts_at": t(at + Duration::days(4)),
        "ends_at": t(at + Duration::days(4) + Duration::hours(3)),
        "signup_closes_at": t(at + Duration::days(3)), "requires_approval": true,
        "quotas": quotas,
        "programme": { "kind": "mixer", "min_age": 22, "max_age": 35, "picks": 3 },
    }))
}

fn signup(phone: &str, name: &str) -> ValidSignup {
    ValidSignup {
        phone: PhoneNumber::parse(phone).unwrap(),
        password: "irrelevant".into(),
        display_name: name.into(),
        birth_year: 2000,
        guardian: None,
    }
}

async fn count(db: &Pool, sql: &str) -> i64 {
    db.fetch_one(sql, args![], |r| r.get(0)).await.unwrap()
}

async fn version_of(db: &Pool, sql: &str) -> i64 {
    count(db, sql).await
}

/// The scenario, for either database.
async fn offerings_and_admin(db: &Pool) {
    let now = base();
    for sql in [
        "INSERT INTO venues (id, name, address, version) VALUES ('v1', '中心', '路一', 0)",
        "INSERT INTO venues (id, name, address, version) VALUES ('v2', '滨江', '路二', 0)",
    ] {
        db.execute(sql, args![]).await.unwrap();
    }

    // Accounts: a phone has one account; a second sign-up with it changes nothing.
    let mut tx = db.begin_write().await.unwrap();
    let u1 = users::insert(&mut tx, &signup("13900000101", "李组织"), "h", "v1", now)
        .await
        .unwrap();
    let u2 = users::insert(&mut tx, &signup("13900000102", "王青青"), "h", "v1", now)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut tx = db.begin_write().await.unwrap();
    let again = users::insert(&mut tx, &signup("13900000102", "别人"), "h", "v1", now).await;
    assert!(
        matches!(again, Err(InsertUserError::PhoneTaken)),
        "{again:?}"
    );
    drop(tx);
    assert_eq!(count(db, "SELECT COUNT(*) FROM users").await, 2);
    assert_eq!(count(db, "SELECT COUNT(*) FROM user_roles").await, 2);
    db.execute(
        "INSERT INTO user_roles (user_id, role) VALUES (?1, 'organizer')",
        args![u1],
    )
    .await
    .unwrap();

    // Versions are taken inside a write transaction only: on the pool, refused, nothing written.
    let refused = users::see_anew(db, &u1).await;
    assert!(matches!(refused, Err(Error::Invalid(_))), "{refused:?}");
    let epoch = "SELECT visibility_epoch FROM users WHERE phone = '13900000101'";
    assert_eq!(count(db, epoch).await, 0);

    // The three kinds, written as the editor writes them: the offering, its organizers (one
    // named twice) and the audit entry in one transaction.
    let (a1, c1, m1) = (
        activity(now, 10, 2),
        course(now, 4),
        mixer(now, &["female", "male"]),
    );
    let mut tx = db.begin_write().await.unwrap();
    for (id, p, status) in [
        ("a1", &a1, OfferingStatus::Published),
        ("c1", &c1, OfferingStatus::Draft),
        ("m1", &m1, OfferingStatus::Published),
    ] {
        offerings::insert(&mut tx, id, p, status, 100)
            .await
            .unwrap();
        audit::record(
            &mut tx,
            &u1,
            "offering.create",
            &format!("offering:{id}"),
            &serde_json::Value::Null,
            &serde_json::json!(p),
            now,
        )
        .await
        .unwrap();
    }
    offerings::assign(&mut tx, "a1", &[u1.clone(), u1.clone()])
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        count(db, "SELECT COUNT(*) FROM organizer_assignments").await,
        1
    );
    // The organizer's devices download again: their rosters changed.
    assert_eq!(count(db, epoch).await, 1);

    for (id, p, status) in [
        ("a1", &a1, OfferingStatus::Published),
        ("c1", &c1, OfferingStatus::Draft),
        ("m1", &m1, OfferingStatus::Published),
    ] {
        let o = offerings::load(db, id).await.unwrap().unwrap();
        assert_eq!(&o.plan, p, "{id}");
        assert_eq!(o.status, status);
        assert_eq!(o.counts.len(), p.quotas.len());
    }
    assert_eq!(offerings::load(db, "nothing").await.unwrap(), None);
    // All at once, as the lists read them: each with its version.
    let rows = db
        .fetch_all(
            &format!(
                "SELECT {} FROM offerings o ORDER BY o.starts_at, o.id",
                offerings::COMMON
            ),
            args![],
            offerings::Common::read,
        )
        .await
        .unwrap();
    let all = offerings::assemble(db, rows).await.unwrap();
    let ids: Vec<&str> = all.iter().map(|(o, _)| o.id.as_str()).collect();
    assert_eq!(ids, ["a1", "c1", "m1"]);
    let versions: Vec<i64> = all.iter().map(|(_, v)| *v).collect();
    assert!(versions.windows(2).all(|w| w[0] < w[1]), "{versions:?}");

    // Registrations: one in the activity, one waiting for review in the mixer's men's pool.
    for sql in [
        "INSERT INTO registrations (id, offering_id, user_id, status, created_at, received_at,
                                    updated_at, version, credited_minutes, answers)
         SELECT 'r1', 'a1', id, 'confirmed', 0, 1, 0, 0, 90, '{\"q1\":\"L\"}'
           FROM users WHERE phone = '13900000102'",
        "INSERT INTO registrations (id, offering_id, user_id, status, created_at, received_at,
                                    updated_at, version, pool)
         SELECT 'r2', 'm1', id, 'pending_review', 0, 2, 0, 0, 'male'
           FROM users WHERE phone = '13900000102'",
        "INSERT INTO registrations (id, offering_id, user_id, status, created_at, received_at,
                                    updated_at, version)
         SELECT 'r3', 'a1', id, 'cancelled', 0, 3, 0, 0
           FROM users WHERE phone = '13900000101'",
        "UPDATE offering_pools SET seats_taken = 5 WHERE offering_id = 'a1'",
    ] {
        db.execute(sql, args![]).await.unwrap();
    }

    // Edits refused change nothing.
    let before = offerings::load(db, "a1").await.unwrap().unwrap();
    let before_m = offerings::load(db, "m1").await.unwrap().unwrap();
    let mut tx = db.begin_write().await.unwrap();
    for (o, p, why) in [
        (&before, activity(now, 4, 2), UpdateRefused::BelowTaken),
        (&before, course(now, 2), UpdateRefused::Kind),
        (&before_m, mixer(now, &["female"]), UpdateRefused::PoolInUse),
    ] {
        assert_eq!(
            offerings::update(&mut tx, o, &p, o.status).await.unwrap(),
            Err(why)
        );
    }
    drop(tx);
    assert_eq!(offerings::load(db, "a1").await.unwrap().unwrap(), before);

    // Edits accepted: more places and a later end (the activity's registrations are pulled
    // again), a pool without registrations gone, a course's lessons replaced.
    let r1 = "SELECT version FROM registrations WHERE id = 'r1'";
    let r1_before = version_of(db, r1).await;
    let wider = activity(now, 20, 3);
    let men_only = mixer(now, &["male"]);
    let shorter = course(now, 2);
    let before_c = offerings::load(db, "c1").await.unwrap().unwrap();
    let mut tx = db.begin_write().await.unwrap();
    for (o, p) in [
        (&before, &wider),
        (&before_m, &men_only),
        (&before_c, &shorter),
    ] {
        offerings::update(&mut tx, o, p, o.status)
            .await
            .unwrap()
            .unwrap();
    }
    tx.commit().await.unwrap();
    let after = offerings::load(db, "a1").await.unwrap().unwrap();
    assert_eq!(after.plan, wider);
    assert_eq!(after.counts[0].seats_taken, 5, "places taken stay taken");
    assert!(version_of(db, r1).await > r1_before);
    // Each of the activity's registrations has a version of its own (a pull pages by version).
    let r3 = version_of(db, "SELECT version FROM registrations WHERE id = 'r3'").await;
    assert!(r3 > r1_before);
    assert_ne!(r3, version_of(db, r1).await);
    db.execute("DELETE FROM registrations WHERE id = 'r3'", args![])
        .await
        .unwrap();
    let m = offerings::load(db, "m1").await.unwrap().unwrap();
    assert_eq!(m.plan, men_only);
    assert_eq!(
        count(
            db,
            "SELECT COUNT(*) FROM offering_pools WHERE offering_id = 'm1'"
        )
        .await,
        1
    );
    assert_eq!(m.counts[0].pool, PoolKey::Male);
    let c = offerings::load(db, "c1").await.unwrap().unwrap();
    assert_eq!(c.plan, shorter);
    assert_eq!(
        count(
            db,
            "SELECT COUNT(*) FROM course_lessons WHERE offering_id = 'c1'"
        )
        .await,
        2
    );

    // What the admin sees beside an offering, and the venues. The admin's list reads the same
    // for every offering at once, soonest first.
    let list = offerings::all_for_admin(db).await.unwrap();
    let ids: Vec<&str> = list.iter().map(|a| a.offering.id.as_str()).collect();
    assert_eq!(ids, ["a1", "c1", "m1"]);
    for listed in &list {
        let one = offerings::load(db, &listed.offering.id)
            .await
            .unwrap()
            .unwrap();
        let one = offerings::for_admin(db, one).await.unwrap();
        assert_eq!(listed, &one, "{}", listed.offering.id);
    }
    assert_eq!(list[2].pending_reviews, 1);
    assert!(!list[0].organizer_ids.is_empty());
    let extra = offerings::for_admin(db, m.clone()).await.unwrap();
    assert_eq!((extra.pending_reviews, extra.organizer_ids.len()), (1, 0));
    let extra = offerings::for_admin(db, after.clone()).await.unwrap();
    assert_eq!(
        (extra.pending_reviews, extra.organizer_ids),
        (0, vec![u1.clone()])
    );
    let venues = offerings::venues(db).await.unwrap();
    let names: Vec<&str> = venues.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names.len(), 2);
    assert!(names.contains(&"中心") && names.contains(&"滨江"));

    // What handlers check before they write, and the rows the exports read.
    assert!(offerings::exists(db, "c1").await.unwrap());
    assert!(!offerings::exists(db, "nothing").await.unwrap());
    assert!(offerings::venue_exists(db, "v2").await.unwrap());
    assert!(!offerings::venue_exists(db, "nowhere").await.unwrap());
    assert!(users::exists(db, &u2).await.unwrap());
    assert!(!users::exists(db, "nobody").await.unwrap());
    assert!(users::is_organizer(db, &u1).await.unwrap());
    assert!(!users::is_organizer(db, &u2).await.unwrap());
    let rows = offerings::export_rows(db, "a1").await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (
            rows[0].display_name.as_deref(),
            rows[0].phone.as_deref(),
            rows[0].status.as_str(),
            rows[0].credited_minutes,
            rows[0].checked_in_at,
        ),
        (Some("王青青"), Some("13900000102"), "confirmed", 90, None)
    );
    assert!(offerings::export_rows(db, "c1").await.unwrap().is_empty());

    // Publishing the draft course: pulled again at a later version.
    let c1_version = "SELECT version FROM offerings WHERE id = 'c1'";
    let v = version_of(db, c1_version).await;
    let mut tx = db.begin_write().await.unwrap();
    offerings::publish(&mut tx, "c1").await.unwrap();
    tx.commit().await.unwrap();
    assert!(version_of(db, c1_version).await > v);
    assert_eq!(
        offerings::load(db, "c1").await.unwrap().unwrap().status,
        OfferingStatus::Published
    );

    // Roles and assignments, as the admin sets them.
    let mut tx = db.begin_write().await.unwrap();
    users::set_roles(
        &mut tx,
        &u2,
        &[domain::Role::Youth, domain::Role::Organizer],
    )
    .await
    .unwrap();
    let to = domain::account::Assignments {
        offering_ids: vec!["m1".into()],
        venue_ids: vec!["v1".into(), "v2".into()],
    };
    assert_eq!(
        users::set_assignments(&mut tx, &u2, &to).await.unwrap(),
        Ok(())
    );
    tx.commit().await.unwrap();
    assert_eq!(users::roles_of(db, &u2).await.unwrap().len(), 2);
    assert_eq!(users::assignments(db, &u2).await.unwrap(), to);
    for (bad, unknown) in [
        (
            domain::account::Assignments {
                offering_ids: vec!["nothing".into()],
                venue_ids: vec![],
            },
            users::UnknownAssignment::Offering,
        ),
        (
            domain::account::Assignments {
                offering_ids: vec![],
                venue_ids: vec!["v1".into(), "nowhere".into()],
            },
            users::UnknownAssignment::Venue,
        ),
    ] {
        let mut tx = db.begin_write().await.unwrap();
        assert_eq!(
            users::set_assignments(&mut tx, &u2, &bad).await.unwrap(),
            Err(unknown)
        );
        drop(tx);
    }
    assert_eq!(users::assignments(db, &u2).await.unwrap(), to);
    // Whoever runs either venue, once each.
    db.execute(
        "INSERT INTO organizer_assignments (user_id, venue_id) VALUES (?1, 'v2')",
        args![u1],
    )
    .await
    .unwrap();
    let mut both = vec![u1.clone(), u2.clone()];
    both.sort();
    assert_eq!(
        offerings::venue_organizers(db, "v1", "v2").await.unwrap(),
        both
    );
    assert_eq!(
        offerings::venue_organizers(db, "v1", "v1").await.unwrap(),
        vec![u2.clone()]
    );
    db.execute(
        "DELETE FROM organizer_assignments WHERE user_id = ?1 AND venue_id = 'v2'",
        args![u1],
    )
    .await
    .unwrap();

    // Taking the organizer off the activity: they download again.
    let mut tx = db.begin_write().await.unwrap();
    offerings::assign(&mut tx, "a1", &[]).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(count(db, epoch).await, 2);

    // The review queue: the mixer's sign-up, with the profile (no contact).
    let profile = MixerProfile {
        nickname: "青青".into(),
        gender: Gender::Female,
        education: Education::Bachelor,
        occupation: "教师".into(),
        height_cm: None,
        intro: String::new(),
        contact_kind: ContactKind::Phone,
        wechat_id: String::new(),
        single: true,
    };
    db.execute(
        "INSERT INTO mixer_profiles (user_id, profile, gender, updated_at, version)
         VALUES (?1, ?2, 'female', 0, 0)",
        args![u2, serde_json::to_string(&profile).unwrap()],
    )
    .await
    .unwrap();
    let queue = offerings::reviews(db, "pending_review", None)
        .await
        .unwrap();
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0].registration_id, "r2");
    assert_eq!(queue[0].display_name, "王青青");
    assert_eq!(queue[0].phone, "13900000102");
    assert_eq!(queue[0].birth_year, 2000);
    assert!(queue[0].profile.is_some());
    let of_m1 = offerings::reviews(db, "pending_review", Some("m1"))
        .await
        .unwrap();
    assert_eq!(of_m1.len(), 1);
    assert!(
        offerings::reviews(db, "pending_review", Some("a1"))
            .await
            .unwrap()
            .is_empty()
    );
    let confirmed = offerings::reviews(db, "confirmed", None).await.unwrap();
    assert_eq!(confirmed.len(), 1);
    assert_eq!(confirmed[0].profile, None, "an activity has no profile");
    assert_eq!(confirmed[0].answers["q1"], "L");

    // The audit log, newest first, all or of one target.
    let log = audit::list(db, None).await.unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e["target"].as_str().unwrap()).collect();
    assert_eq!(actions, ["offering:m1", "offering:c1", "offering:a1"]);
    let of_a1 = audit::list(db, Some("offering:a1")).await.unwrap();
    assert_eq!(of_a1.len(), 1);
    assert_eq!(of_a1[0]["before"], serde_json::Value::Null);
    assert_eq!(of_a1[0]["after"]["title"], "河小青·护河");
    assert_eq!(of_a1[0]["actor_id"], u1.as_str());
    assert!(audit::list(db, Some("user:x")).await.unwrap().is_empty());

    // The hours notice, while the activity's notice runs; and the record of hours' changes.
    let ends = after.plan.ends_at.unix_timestamp();
    let notices = server::db::hours::notices(db, ends + 60, 7).await.unwrap();
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].offering_id, "a1");
    assert_eq!(notices[0].people.len(), 1);
    assert_eq!(notices[0].people[0].minutes, 90);
    assert_eq!(notices[0].people[0].name, "王*青");
    // Posted until the hours take effect, and no longer.
    let effective = domain::hours::effective_at(ends, 7);
    assert_eq!(notices[0].effective_at, effective);
    assert_eq!(
        server::db::hours::notices(db, effective - 1, 7)
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(
        server::db::hours::notices(db, effective, 7)
            .await
            .unwrap()
            .is_empty()
    );
    db.execute(
        "INSERT INTO hours_changes (registration_id, changed_by, changed_at, before_minutes,
                                    after_minutes, cause, reason)
         VALUES ('r1', ?1, 5, 0, 90, 'correction', '补签')",
        args![u1],
    )
    .await
    .unwrap();
    let mine = server::db::hours::changes_of_user(db, &u2).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(
        (
            mine[0].volunteer.as_str(),
            mine[0].changed_by.as_deref(),
            mine[0].after_minutes,
            mine[0].reason.as_str()
        ),
        ("王青青", Some("李组织"), 90, "补签")
    );
    assert_eq!(
        server::db::hours::changes_of_offering(db, "a1")
            .await
            .unwrap(),
        mine
    );
    assert!(
        server::db::hours::changes_of_user(db, &u1)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn offerings_and_the_admins_reads_and_writes_run_on_both_databases() {
    let (_dir, sqlite) = sqlite_store().await;
    offerings_and_admin(&sqlite).await;
    let Some(fresh) = Fresh::create("store_offerings").await else {
        return;
    };
    offerings_and_admin(&Pool::Postgres(fresh.pool.clone())).await;
    fresh.drop().await;
}
