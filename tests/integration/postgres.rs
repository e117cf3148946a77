//! PostgreSQL's migrations (`server/migrations-pg/`) against SQLite's (`server/migrations/`):
//! every migration has both versions; both end in the same tables, columns (name, type, NOT
//! NULL), indexes and triggers; and the triggers keep the same rows (attendance, people, a
//! course's lessons attended, each offering's counts, mixers' badge numbers) through the same
//! writes. The PostgreSQL tests need a cluster: `QT_PG_URL` (a superuser's URL; scripts/test
//! starts a throwaway one with scripts/pg.sh). Without it they say so and pass.

use sqlx::{
    Connection, Executor, PgPool, SqlitePool,
    postgres::{PgConnectOptions, PgConnection, PgPoolOptions},
};
use std::{
    collections::{BTreeMap, BTreeSet},
    io::Write,
    path::Path,
    str::FromStr,
};

fn migrations(folder: &str) -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../server")
        .join(folder);
    std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn every_migration_has_its_postgres_version_with_the_same_number_and_name() {
    let sqlite = migrations("migrations");
    let postgres = migrations("migrations-pg");
    assert!(sqlite.len() >= 15, "{sqlite:?}");
    assert_eq!(
        sqlite.difference(&postgres).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "SQLite migrations without a PostgreSQL version in server/migrations-pg/"
    );
    assert_eq!(
        postgres.difference(&sqlite).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "PostgreSQL migrations without a SQLite version in server/migrations/"
    );
}

/// A fresh database on the cluster of `QT_PG_URL` for one test; `None` (and a
/// notice) without a cluster.
pub(crate) struct Fresh {
    pub(crate) admin: PgConnectOptions,
    pub(crate) name: String,
    pub(crate) pool: PgPool,
}

impl Fresh {
    pub(crate) async fn create(test: &str) -> Option<Self> {
        let fresh = Self::create_empty(test).await?;
        server::db::postgres::MIGRATOR
            .run(&fresh.pool)
            .await
            .expect("PostgreSQL's migrations apply to an empty database");
        Some(fresh)
    }

    /// The same, not migrated.
    async fn create_empty(test: &str) -> Option<Self> {
        let Ok(url) = std::env::var("QT_PG_URL") else {
            // Straight to stderr: the test harness keeps what `eprintln!` says from a test
            // that passes, and a skip should be seen.
            let _ = writeln!(
                std::io::stderr(),
                "PostgreSQL test {test}: skipped, QT_PG_URL is not set (scripts/test sets it)"
            );
            return None;
        };
        let admin = PgConnectOptions::from_str(&url).expect("QT_PG_URL is a PostgreSQL URL");
        let name = format!("qt_{test}_{}", std::process::id());
        let mut conn = PgConnection::connect_with(&admin).await.expect("connect");
        conn.execute(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name}"
        )))
        .await
        .unwrap();
        conn.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .await
            .unwrap();
        conn.close().await.unwrap();
        let pool = PgPoolOptions::new()
            .max_connections(2)
            .connect_with(admin.clone().database(&name))
            .await
            .expect("connect to the fresh database");
        Some(Self { admin, name, pool })
    }

    pub(crate) async fn drop(self) {
        self.pool.close().await;
        let mut conn = PgConnection::connect_with(&self.admin).await.unwrap();
        conn.execute(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE {} WITH (FORCE)",
            self.name
        )))
        .await
        .unwrap();
    }
}

/// A freshly migrated SQLite database through the store interface, for the scenarios run on
/// both databases (`store*.rs`).
pub(crate) async fn sqlite_store() -> (tempfile::TempDir, server::db::pool::Pool) {
    let dir = tempfile::tempdir().unwrap();
    let db = server::db::open(&format!("sqlite://{}", dir.path().join("qt.db").display()))
        .await
        .unwrap();
    (dir, server::db::pool::Pool::Sqlite(db.pool))
}

/// A freshly migrated SQLite database, as the server opens it.
async fn fresh_sqlite() -> (tempfile::TempDir, SqlitePool) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("qt.db").display());
    let db = server::db::open(&url).await.expect("open SQLite");
    (dir, db.pool)
}

/// A schema as both databases can say it: each table's columns (name → type, NOT NULL), the
/// indexes made by `CREATE INDEX`, and the triggers.
#[derive(Debug, PartialEq)]
struct Schema {
    tables: BTreeMap<String, BTreeMap<String, (String, bool)>>,
    indexes: BTreeSet<String>,
    triggers: BTreeSet<String>,
}

async fn sqlite_schema(pool: &SqlitePool) -> Schema {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table'
            AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut tables = BTreeMap::new();
    for table in names {
        let columns: Vec<(String, String, bool)> = sqlx::query_as(
            "SELECT name, type, \"notnull\" = 1 OR pk > 0 FROM pragma_table_info(?)",
        )
        .bind(&table)
        .fetch_all(pool)
        .await
        .unwrap();
        // SQLite's declared types as PostgreSQL's migrations write them: every integer a
        // BIGINT (the server reads i64 on both), bytes as bytea.
        let columns = columns
            .into_iter()
            .map(|(name, ty, not_null)| {
                let ty = match ty.as_str() {
                    "INTEGER" => "bigint",
                    "TEXT" => "text",
                    "BLOB" => "bytea",
                    other => panic!("{table}.{name}: a type the pairing does not know: {other}"),
                };
                (name, (ty.to_owned(), not_null))
            })
            .collect();
        tables.insert(table, columns);
    }
    let of_type = |kind: &'static str| async move {
        sqlx::query_scalar::<_, String>(
            "SELECT name FROM sqlite_master WHERE type = ? AND sql IS NOT NULL",
        )
        .bind(kind)
        .fetch_all(pool)
        .await
        .unwrap()
        .into_iter()
        .collect::<BTreeSet<_>>()
    };
    Schema {
        tables,
        indexes: of_type("index").await,
        triggers: of_type("trigger").await,
    }
}

async fn postgres_schema(pool: &PgPool) -> Schema {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = current_schema() AND c.relkind = 'r'
            AND c.relname <> '_sqlx_migrations'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut tables = BTreeMap::new();
    for table in names {
        let columns: Vec<(String, String, bool)> = sqlx::query_as(
            "SELECT attname::text, format_type(atttypid, atttypmod), attnotnull
               FROM pg_attribute
              WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped",
        )
        .bind(&table)
        .fetch_all(pool)
        .await
        .unwrap();
        let columns = columns
            .into_iter()
            .map(|(name, ty, not_null)| (name, (ty, not_null)))
            .collect();
        tables.insert(table, columns);
    }
    // Indexes behind a primary key or a UNIQUE column are the table's own (SQLite's
    // sqlite_autoindex_…), not named by a migration.
    let indexes = sqlx::query_scalar::<_, String>(
        "SELECT c.relname::text FROM pg_index i
           JOIN pg_class c ON c.oid = i.indexrelid
           JOIN pg_class t ON t.oid = i.indrelid
           JOIN pg_namespace n ON n.oid = t.relnamespace
          WHERE n.nspname = current_schema() AND t.relname <> '_sqlx_migrations'
            AND NOT EXISTS (SELECT 1 FROM pg_constraint k
                             WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x'))",
    )
    .fetch_all(pool)
    .await
    .unwrap()
    .into_iter()
    .collect();
    let triggers = sqlx::query_scalar::<_, String>(
        "SELECT g.tgname::text FROM pg_trigger g
           JOIN pg_class t ON t.oid = g.tgrelid
           JOIN pg_namespace n ON n.oid = t.relnamespace
          WHERE n.nspname = current_schema() AND NOT g.tgisinternal",
    )
    .fetch_all(pool)
    .await
    .unwrap()
    .into_iter()
    .collect();
    Schema {
        tables,
        indexes,
        triggers,
    }
}

#[tokio::test]
async fn postgres_migrations_end_in_the_schema_sqlite_migrations_end_in() {
    let Some(pg) = Fresh::create("schema").await else {
        return;
    };
    let (_dir, sqlite) = fresh_sqlite().await;
    let want = sqlite_schema(&sqlite).await;
    let got = postgres_schema(&pg.pool).await;
    pg.drop().await;
    assert_eq!(
        got.tables.keys().collect::<Vec<_>>(),
        want.tables.keys().collect::<Vec<_>>(),
        "tables"
    );
    for (table, columns) in &want.tables {
        assert_eq!(&got.tables[table], columns, "the columns of {table}");
    }
    assert_eq!(got.indexes, want.indexes, "indexes");
    assert_eq!(got.triggers, want.triggers, "triggers");
}

/// Writes straight to the rows, as seeds, tests and every path of the server do: accounts, a
/// venue, an activity, a course and a mixer, and their registrations. Plain SQL both databases
/// read the same way.
const ARRANGE: &[&str] = &[
    "INSERT INTO users (id, phone, display_name, password_hash, birth_year, consent_version,
                        consent_at, created_at, version)
     VALUES ('u1', '13800000001', '一', 'x', 2000, 'v1', 0, 0, 1),
            ('u2', '13800000002', '二', 'x', 2000, 'v1', 0, 0, 2)",
    "INSERT INTO venues (id, name, address, version) VALUES ('v1', '中心', '路', 3)",
    "INSERT INTO offerings (id, kind, title, summary, category, venue_id, starts_at, ends_at,
                            signup_closes_at, version)
     VALUES ('a1', 'activity', '活动', '', '志愿', 'v1', 1000, 2000, 900, 4),
            ('c1', 'course', '夜校', '', '技能', 'v1', 1000, 2000, 900, 5),
            ('m1', 'mixer', '联谊', '', '交友', 'v1', 1000, 2000, 900, 6)",
    "INSERT INTO registrations (id, offering_id, user_id, status, created_at, received_at,
                                updated_at, version, checked_in_at, credited_minutes)
     VALUES ('r1', 'a1', 'u1', 'confirmed', 0, 1, 0, 7, NULL, 0),
            ('r2', 'a1', 'u2', 'confirmed', 0, 2, 0, 8, 1100, 30),
            ('r3', 'a1', NULL, 'confirmed', 0, 3, 0, 9, 1100, 0),
            ('r4', 'c1', 'u1', 'confirmed', 0, 4, 0, 10, NULL, 0),
            ('r5', 'c1', 'u2', 'waitlisted', 0, 5, 0, 11, NULL, 0)",
    "INSERT INTO registrations (id, offering_id, user_id, status, created_at, received_at,
                                updated_at, version, pool)
     VALUES ('r6', 'm1', 'u1', 'confirmed', 0, 6, 0, 12, 'male')",
    "INSERT INTO registrations (id, offering_id, user_id, status, created_at, received_at,
                                updated_at, version, pool)
     VALUES ('r7', 'm1', NULL, 'waitlisted', 0, 7, 0, 13, 'male')",
    "INSERT INTO registrations (id, offering_id, user_id, status, created_at, received_at,
                                updated_at, version, pool)
     VALUES ('r8', 'm1', 'u2', 'confirmed', 0, 8, 0, 14, 'female')",
];

/// The changes, one step each, after which both databases must keep the same rows.
const STEPS: &[&str] = &[
    // An activity's check-in and its credited minutes.
    "UPDATE registrations SET checked_in_at = 1200 WHERE id = 'r1'",
    "UPDATE registrations SET credited_minutes = 90 WHERE id = 'r1'",
    // A course's lessons scanned: once, twice at another door, another lesson, a check-out.
    "INSERT INTO checkins (id, registration_id, offering_id, kind, scanned_at, at, received_at,
                           device_id, client_id, version, lesson)
     VALUES ('k1', 'r4', 'c1', 'in', 0, 0, 0, 'door', 'd', 15, 1)",
    "INSERT INTO checkins (id, registration_id, offering_id, kind, scanned_at, at, received_at,
                           device_id, client_id, version, lesson)
     VALUES ('k2', 'r4', 'c1', 'in', 0, 0, 0, 'door2', 'd', 16, 1)",
    "INSERT INTO checkins (id, registration_id, offering_id, kind, scanned_at, at, received_at,
                           device_id, client_id, version, lesson)
     VALUES ('k3', 'r4', 'c1', 'in', 0, 0, 0, 'door', 'd', 17, 2)",
    "INSERT INTO checkins (id, registration_id, offering_id, kind, scanned_at, at, received_at,
                           device_id, client_id, version, lesson)
     VALUES ('k4', 'r5', 'c1', 'out', 0, 0, 0, 'door', 'd', 18, 1)",
    // A scan corrected from out to in; scans taken back, one of two and then the other.
    "UPDATE checkins SET kind = 'in' WHERE id = 'k4'",
    "DELETE FROM checkins WHERE id = 'k1'",
    "DELETE FROM checkins WHERE id = 'k2'",
    // A check-in taken back; a waitlisted place confirmed; a cancellation.
    "UPDATE registrations SET checked_in_at = NULL WHERE id = 'r2'",
    "UPDATE registrations SET status = 'confirmed' WHERE id = 'r5'",
    "UPDATE registrations SET status = 'cancelled' WHERE id = 'r1'",
    // A mixer's waitlisted place confirmed: the next badge number of its pool.
    "UPDATE registrations SET status = 'confirmed' WHERE id = 'r7'",
    // An account deleted: its registrations become their own people.
    "DELETE FROM users WHERE id = 'u2'",
    // A registration moved to another offering, and one deleted.
    "UPDATE registrations SET offering_id = 'm1' WHERE id = 'r3'",
    "DELETE FROM registrations WHERE id = 'r6'",
];

/// What the triggers keep, in an order both databases agree on.
#[derive(Debug, PartialEq)]
struct Kept {
    /// (registration, lesson, offering, person) through `people`.
    attendances: Vec<(String, i64, String, String)>,
    people: Vec<String>,
    /// (registration, lessons attended, badge number).
    registrations: Vec<(String, i64, Option<i64>)>,
    /// (offering, confirmed, missed, minutes), kept and recounted.
    counts: Vec<(String, i64, i64, i64, i64, i64, i64)>,
    /// The attendance recounted from the rows (tests/integration/numbers.rs's definition).
    recounted: Vec<(String, i64, String, String)>,
    /// Each registration's lessons attended, recounted from its 'in' scans.
    lessons: Vec<(String, i64)>,
}

impl Kept {
    fn check(&self, step: &str, db: &str) {
        assert_eq!(
            self.attendances, self.recounted,
            "{db}, after {step}: the kept attendance drifted from the rows"
        );
        for (r, kept, _) in &self.registrations {
            let recounted = self
                .lessons
                .iter()
                .find(|(id, _)| id == r)
                .map_or(0, |(_, n)| *n);
            assert_eq!(
                *kept, recounted,
                "{db}, after {step}: lessons attended of {r}"
            );
        }
        for (o, confirmed, missed, minutes, c, m, min) in &self.counts {
            assert_eq!(
                (confirmed, missed, minutes),
                (c, m, min),
                "{db}, after {step}: the counts of {o}"
            );
        }
    }
}

const ATTENDANCES: &str = "SELECT a.registration_id, a.lesson, a.offering_id, p.person
                             FROM attendances a JOIN people p ON p.no = a.person_no";
const PEOPLE: &str = "SELECT person FROM people";
const REGISTRATIONS: &str = "SELECT id, lessons_attended, badge_no FROM registrations";
const COUNTS: &str = "SELECT o.id, COALESCE(k.confirmed, 0), COALESCE(k.missed, 0),
                             COALESCE(k.minutes, 0),
                             (SELECT COUNT(*) FROM registrations r
                               WHERE r.offering_id = o.id AND r.status = 'confirmed'),
                             (SELECT COUNT(*) FROM registrations r
                               WHERE r.offering_id = o.id AND r.status = 'confirmed'
                                 AND r.checked_in_at IS NULL),
                             (SELECT CAST(COALESCE(SUM(r.credited_minutes), 0) AS BIGINT)
                                FROM registrations r WHERE r.offering_id = o.id)
                        FROM offerings o LEFT JOIN offering_counts k ON k.offering_id = o.id";
const RECOUNTED: &str = "SELECT id, CAST(0 AS BIGINT), offering_id, COALESCE(user_id, id)
                           FROM registrations WHERE checked_in_at IS NOT NULL
                         UNION
                         SELECT r.id, c.lesson, c.offering_id, COALESCE(r.user_id, r.id)
                           FROM checkins c JOIN registrations r ON r.id = c.registration_id
                          WHERE c.kind = 'in' AND c.lesson IS NOT NULL";
const LESSONS: &str = "SELECT registration_id, COUNT(DISTINCT lesson) FROM checkins
                        WHERE kind = 'in' AND lesson IS NOT NULL GROUP BY registration_id";

/// Reads [`Kept`] from either database (the same statements, sorted in Rust: the two need
/// not collate text alike).
macro_rules! kept {
    ($pool:expr) => {{
        let pool = $pool;
        let mut kept = Kept {
            attendances: sqlx::query_as(ATTENDANCES).fetch_all(pool).await.unwrap(),
            people: sqlx::query_scalar(PEOPLE).fetch_all(pool).await.unwrap(),
            registrations: sqlx::query_as(REGISTRATIONS).fetch_all(pool).await.unwrap(),
            counts: sqlx::query_as(COUNTS).fetch_all(pool).await.unwrap(),
            recounted: sqlx::query_as(RECOUNTED).fetch_all(pool).await.unwrap(),
            lessons: sqlx::query_as(LESSONS).fetch_all(pool).await.unwrap(),
        };
        kept.attendances.sort();
        kept.people.sort();
        kept.registrations.sort();
        kept.counts.sort();
        kept.recounted.sort();
        kept.lessons.sort();
        kept
    }};
}

#[tokio::test]
async fn postgres_triggers_keep_what_sqlite_triggers_keep_through_every_change() {
    let Some(pg) = Fresh::create("triggers").await else {
        return;
    };
    let (_dir, sqlite) = fresh_sqlite().await;
    let run = |sql: &'static str| {
        let (pg, sqlite) = (&pg.pool, &sqlite);
        async move {
            sqlx::query(sql).execute(sqlite).await.unwrap();
            sqlx::query(sql)
                .execute(pg)
                .await
                .unwrap_or_else(|e| panic!("PostgreSQL: {e}\n{sql}"));
        }
    };
    for sql in ARRANGE {
        run(sql).await;
    }
    let mut steps = vec!["the arrangement"];
    steps.extend(STEPS);
    for (i, step) in steps.iter().enumerate() {
        if i > 0 {
            run(step).await;
        }
        let want = kept!(&sqlite);
        want.check(step, "SQLite");
        let got = kept!(&pg.pool);
        got.check(step, "PostgreSQL");
        assert_eq!(
            got, want,
            "after {step}: PostgreSQL keeps other rows than SQLite"
        );
    }
    // The steps reached what they are for.
    let end = kept!(&pg.pool);
    let badges: Vec<_> = end
        .registrations
        .iter()
        .map(|(id, _, badge)| (id.as_str(), *badge))
        .collect();
    assert!(badges.contains(&("r7", Some(2))), "{badges:?}");
    assert!(badges.contains(&("r8", Some(1))), "{badges:?}");
    assert!(
        end.people.contains(&"r5".to_owned()),
        "a deleted account's registration is its own person: {:?}",
        end.people
    );
    assert!(
        end.registrations.contains(&("r4".to_owned(), 1, None)),
        "{:?}",
        end.registrations
    );
    pg.drop().await;
}

/// Every row of every table as text, sorted, but for bytes (`bytea`'s text is not SQLite's)
/// and the numbers `people` gives (each database numbers in the order it meets people, and an
/// unordered fill meets them in no set order; `Kept` compares who they are).
macro_rules! rows_as_text {
    ($pool:expr, $schema:expr) => {{
        let mut all = BTreeMap::new();
        for (table, columns) in &$schema.tables {
            let shown: Vec<String> = columns
                .iter()
                .filter(|(name, (ty, _))| {
                    ty != "bytea" && !["no", "person_no"].contains(&name.as_str())
                })
                .map(|(name, _)| format!("CAST({name} AS TEXT)"))
                .collect();
            let sql = format!("SELECT {} FROM {table}", shown.join(", "));
            let mut rows: Vec<Vec<Option<String>>> = sqlx::query(sqlx::AssertSqlSafe(sql))
                .fetch_all($pool)
                .await
                .unwrap()
                .iter()
                .map(|row| {
                    (0..shown.len())
                        .map(|i| sqlx::Row::get::<Option<String>, _>(row, i))
                        .collect()
                })
                .collect();
            rows.sort();
            all.insert(table.clone(), rows);
        }
        all
    }};
}

/// A database made before migration 0007 (`server/tests/fixtures/before_0008.sql`: the demo
/// district and real traffic) carried over by the rest of the migrations: PostgreSQL's data
/// steps (pools, settings, lessons, badge numbers, attendance, people, counts) end in the same
/// rows as SQLite's.
#[tokio::test]
async fn postgres_migrations_carry_an_older_database_over_as_sqlite_migrations_do() {
    let Some(pg) = Fresh::create_empty("carry_over").await else {
        return;
    };
    let fixture = include_str!("../../server/tests/fixtures/before_0008.sql");
    let applied = fixture
        .lines()
        .filter(|l| l.starts_with("INSERT INTO \"_sqlx_migrations\""))
        .count();
    // SQLite: the fixture as it is, then today's migrations.
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("qt.db").display());
    // The dump lists tables by name, not in the order their foreign keys need.
    let old = sqlx::SqlitePool::connect_with(
        sqlx::sqlite::SqliteConnectOptions::from_str(&url)
            .unwrap()
            .create_if_missing(true)
            .foreign_keys(false),
    )
    .await
    .unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(fixture))
        .execute(&old)
        .await
        .unwrap();
    old.close().await;
    let sqlite = server::db::open(&url).await.unwrap().pool;
    // PostgreSQL: its first migrations, the fixture's rows, then the rest.
    let first = sqlx::migrate::Migrator::with_migrations(
        server::db::postgres::MIGRATOR.migrations[..applied].to_vec(),
    );
    first.run(&pg.pool).await.unwrap();
    sqlx::query("DELETE FROM version_counter")
        .execute(&pg.pool)
        .await
        .unwrap();
    // Foreign keys unchecked while the rows go in (the same order), on one connection.
    let mut rows = String::from("SET session_replication_role = replica;\n");
    for line in fixture.lines().filter(|l| {
        l.starts_with("INSERT INTO ")
            && !l.starts_with("INSERT INTO \"_sqlx_migrations\"")
            && !l.starts_with("INSERT INTO \"sqlite_sequence\"")
    }) {
        // SQLite's blob literal X'…' is bytea's '\x…'.
        rows.push_str(&line.replace("X'", "'\\x"));
        rows.push('\n');
    }
    rows.push_str("RESET session_replication_role;\n");
    sqlx::raw_sql(sqlx::AssertSqlSafe(rows))
        .execute(&pg.pool)
        .await
        .expect("the fixture's rows go into PostgreSQL");
    server::db::postgres::MIGRATOR.run(&pg.pool).await.unwrap();

    let schema = sqlite_schema(&sqlite).await;
    let want = rows_as_text!(&sqlite, schema);
    let got = rows_as_text!(&pg.pool, schema);
    assert!(
        want["offering_pools"].len() > 5,
        "{:?}",
        want["offering_pools"]
    );
    for (table, rows) in &want {
        assert_eq!(&got[table], rows, "the rows of {table}");
    }
    let (want, got) = (kept!(&sqlite), kept!(&pg.pool));
    want.check("the migrations", "SQLite");
    got.check("the migrations", "PostgreSQL");
    assert_eq!(got, want);
    pg.drop().await;
}
