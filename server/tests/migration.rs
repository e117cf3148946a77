//! Migration 0008 (one offering model) carries a database made before it over with nothing
//! lost: `fixtures/before_0008.sql` is such a database (the demo district and real traffic,
//! made by a server built before 0008 with `fixtures/make_before_0008.py`). This test opens it
//! with today's migrations and checks every row against what it held before.

use rusqlite::Connection;
use std::collections::BTreeMap;

const BEFORE: &str = include_str!("fixtures/before_0008.sql");

/// (capacity, seats_taken, waitlist_len, sessions, volunteer_hours, planned_hours,
/// min_share_percent, kind, starts_at, ends_at) of every offering before the migration.
type OldOffering = (
    i64,
    i64,
    i64,
    i64,
    Option<i64>,
    Option<i64>,
    i64,
    String,
    i64,
    i64,
);

fn count(conn: &Connection, table: &str) -> i64 {
    conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

#[tokio::test]
async fn migration_0008_carries_every_row_over() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("qt.db");
    let old = Connection::open(&path).unwrap();
    // The dump lists tables by name, not in the order their foreign keys need.
    old.execute_batch("PRAGMA foreign_keys = OFF;").unwrap();
    old.execute_batch(BEFORE).unwrap();
    let offerings: BTreeMap<String, OldOffering> = old
        .prepare(
            "SELECT id, capacity, seats_taken, waitlist_len, sessions, volunteer_hours,
                    planned_hours, min_share_percent, kind, starts_at, ends_at FROM offerings",
        )
        .unwrap()
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                (
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                    r.get(10)?,
                ),
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let registrations_sql = "SELECT id, offering_id, user_id, status, waitlist_position,
            reject_reason, answers, created_at, received_at, note, checked_in_at,
            credited_minutes, walk_in_name FROM registrations ORDER BY id";
    /// Every column read, as SQLite holds it, one row per registration.
    type Reg = Vec<rusqlite::types::Value>;
    let read_regs = |conn: &Connection| -> Vec<Reg> {
        conn.prepare(registrations_sql)
            .unwrap()
            .query_map([], |r| (0..13).map(|i| r.get(i)).collect())
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let registrations = read_regs(&old);
    let untouched = [
        "users",
        "user_roles",
        "venues",
        "sessions",
        "audit_log",
        "clients",
        "client_mutations",
        "checkins",
        "signing_keys",
        "organizer_assignments",
    ];
    let counts: Vec<i64> = untouched.iter().map(|t| count(&old, t)).collect();
    let epochs: BTreeMap<String, i64> = old
        .prepare("SELECT id, visibility_epoch FROM users")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    drop(old);
    assert!(offerings.len() >= 18 && registrations.len() >= 8);

    // Today's server opens it (and migrates it).
    let db = server::db::open(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let store = server::db::pool::Pool::Sqlite(db.pool.clone());
    let rows: Vec<server::db::offerings::Common> = store
        .fetch_all(
            &format!("SELECT {} FROM offerings o", server::db::offerings::COMMON),
            vec![],
            server::db::offerings::Common::read,
        )
        .await
        .unwrap();
    let migrated = server::db::offerings::assemble(&store, rows).await.unwrap();
    db.pool.close().await;
    assert_eq!(
        migrated.len(),
        offerings.len(),
        "every offering reads back whole"
    );

    let new = Connection::open(&path).unwrap();
    for (o, _) in &migrated {
        let (capacity, taken, waiting, sessions, hours, planned, share, kind, starts, ends) =
            offerings[&o.id].clone();
        assert_eq!(o.kind().as_str(), kind, "{}", o.id);
        let total = o.total();
        assert_eq!(i64::from(total.capacity), capacity, "{}: places", o.id);
        assert_eq!(i64::from(total.seats_taken), taken, "{}: taken", o.id);
        assert_eq!(i64::from(total.waitlist_len), waiting, "{}: waiting", o.id);
        assert_eq!(o.plan.starts_at.unix_timestamp(), starts, "{}", o.id);
        match &o.plan.programme {
            domain::Programme::Activity(a) => {
                assert_eq!(a.volunteer_hours.map(i64::from), hours, "{}", o.id);
                assert_eq!(a.planned_hours.map(i64::from), planned, "{}", o.id);
                assert_eq!(i64::from(a.min_share_percent), share, "{}", o.id);
                assert_eq!(o.plan.ends_at.unix_timestamp(), ends, "{}", o.id);
            }
            domain::Programme::Course(c) => {
                // Its lessons: the weekly series its first lesson and sessions described.
                assert_eq!(c.lessons.len() as i64, sessions, "{}", o.id);
                for (i, l) in c.lessons.iter().enumerate() {
                    let week = 7 * 86_400 * i as i64;
                    assert_eq!(l.starts_at.unix_timestamp(), starts + week, "{}", o.id);
                    assert_eq!(l.ends_at.unix_timestamp(), ends + week, "{}", o.id);
                }
                let last = c.lessons.last().unwrap().ends_at;
                assert_eq!(o.plan.ends_at, last, "{}: ends with its last lesson", o.id);
            }
            domain::Programme::Mixer(_) => {
                // Signed up already: one pool, as before; not yet: a pool per gender.
                let signed_up = registrations
                    .iter()
                    .any(|r| r[1] == rusqlite::types::Value::Text(o.id.clone()));
                let pools: Vec<&str> = o.plan.quotas.iter().map(|q| q.pool.as_str()).collect();
                if signed_up {
                    assert_eq!(pools, ["all"], "{}", o.id);
                } else {
                    assert_eq!(pools, ["female", "male"], "{}", o.id);
                }
            }
        }
        // What it shows to everyone passes today's checks, kind by kind, but for a mixer kept
        // in one pool because people had signed up before per-gender pools existed.
        if !(o.kind() == domain::OfferingKind::Mixer && o.plan.quotas.len() == 1) {
            let errors = o.plan.validate().err().unwrap_or_default();
            assert!(
                errors
                    .iter()
                    .all(|e| e.field.starts_with("signup") || e.field == "lessons"),
                "{}: {errors:?}",
                o.id
            );
        }
    }
    // Every registration, as it was, in its offering's one pool.
    assert_eq!(read_regs(&new), registrations);
    let pools: Vec<String> = new
        .prepare("SELECT DISTINCT pool FROM registrations")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(pools, ["all"]);
    // Everything else untouched, and every device downloads again.
    for (table, before) in untouched.iter().zip(counts) {
        assert_eq!(count(&new, table), before, "{table}");
    }
    for (id, epoch) in epochs {
        let now: i64 = new
            .query_row(
                "SELECT visibility_epoch FROM users WHERE id = ?1",
                [&id],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(now, epoch + 1, "{id}");
    }
}
