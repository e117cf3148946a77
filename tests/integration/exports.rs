//! The Excel exports and the year-end report: each workbook is downloaded through the real
//! server as each allowed caller, opened with calamine and compared with the JSON endpoints and
//! the seeded rows (Chinese headers, a frozen header row, phones as text, dates as dates).
//! Callers who may not see it get 403; a bad period or year gets 400 naming the field.

use crate::numbers::{facts, seed};
use calamine::{Data, Reader, Xlsx};
use domain::{
    OfferingKind,
    numbers::{Dashboard, Filter, Period, Programme, Report, by_programme, count, top},
};
use serde_json::{Value, json};
use server::db::pool::{Pool, args};
use std::io::{Cursor, Read};
use tests::{DEMO_PASSWORD, Options, TestServer};

/// The test server's public notice of hours (the default).
const NOTICE: u32 = domain::hours::DEFAULT_NOTICE_DAYS;
use time::OffsetDateTime;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A downloaded workbook: each sheet's cells, and whether its first row is frozen.
pub(crate) struct Book {
    sheets: Vec<(String, Vec<Vec<Data>>, bool)>,
}

impl Book {
    pub(crate) fn open(bytes: &[u8]) -> Self {
        let mut wb: Xlsx<_> =
            calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("a readable .xlsx");
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes.to_vec())).expect("a zip");
        let names = wb.sheet_names();
        let sheets = names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let range = wb.worksheet_range(name).expect("a sheet");
                let rows = range.rows().map(<[Data]>::to_vec).collect();
                // calamine does not read panes: the sheet's XML says whether row 1 is frozen.
                let mut xml = String::new();
                zip.by_name(&format!("xl/worksheets/sheet{}.xml", i + 1))
                    .expect("the sheet's XML")
                    .read_to_string(&mut xml)
                    .unwrap();
                let frozen = xml.contains("ySplit=\"1\"") && xml.contains("state=\"frozen\"");
                (name.clone(), rows, frozen)
            })
            .collect();
        Self { sheets }
    }

    fn names(&self) -> Vec<&str> {
        self.sheets.iter().map(|(n, _, _)| n.as_str()).collect()
    }

    pub(crate) fn sheet(&self, name: &str) -> &[Vec<Data>] {
        let (_, rows, frozen) = self
            .sheets
            .iter()
            .find(|(n, _, _)| n == name)
            .unwrap_or_else(|| panic!("no sheet {name} in {:?}", self.names()));
        assert!(*frozen, "{name}: the header row is frozen");
        rows
    }

    pub(crate) fn headers(&self, name: &str) -> Vec<String> {
        self.sheet(name)[0].iter().map(text).collect()
    }

    /// A two-column sheet (总览) as label → value.
    fn value(&self, sheet: &str, label: &str) -> Data {
        self.sheet(sheet)
            .iter()
            .find(|r| text(&r[0]) == label)
            .unwrap_or_else(|| panic!("no {label} in {sheet}"))[1]
            .clone()
    }
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => panic!("not text: {other:?}"),
    }
}

fn number(d: &Data) -> f64 {
    match d {
        Data::Float(x) => *x,
        Data::Int(x) => *x as f64,
        other => panic!("not a number: {other:?}"),
    }
}

/// The Excel serial date and time of a Unix moment on China's clock.
fn serial(t: i64) -> f64 {
    (t + 8 * 3600) as f64 / 86_400.0 + 25_569.0
}

fn date_cell(d: &Data) -> f64 {
    match d {
        Data::DateTime(x) => {
            assert!(x.is_datetime(), "{d:?}");
            x.as_f64()
        }
        other => panic!("not a date: {other:?}"),
    }
}

/// Downloads `path` as `token`: the workbook, after checking it is one with a UTF-8 name.
async fn download(server: &TestServer, path: &str, token: &str) -> Book {
    let r = server.get(path, Some(token)).await;
    assert_eq!(r.status(), 200, "{path}");
    let headers = r.headers().clone();
    assert_eq!(headers["content-type"], XLSX, "{path}");
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment;") && disposition.contains("filename*=UTF-8''"),
        "{disposition}"
    );
    Book::open(&r.bytes().await.unwrap())
}

/// The status and JSON error of a refused request.
async fn refused(server: &TestServer, path: &str, token: Option<&str>) -> (u16, Value) {
    let r = server.get(path, token).await;
    let status = r.status().as_u16();
    assert_ne!(
        r.headers().get("content-type").map(|v| v.to_str().unwrap()),
        Some(XLSX),
        "{path}: nothing written"
    );
    (status, r.json().await.unwrap_or(Value::Null))
}

/// A demo server with 25 signed-up people and a seeded year; the admin's token.
async fn seeded_year() -> (TestServer, String, Pool, i32) {
    let server = TestServer::spawn_with(Options {
        demo: true,
        ..Options::default()
    })
    .await;
    let admin = server.login("13900000001", DEMO_PASSWORD).await.token;
    let mut ids = Vec::new();
    let pool = server.store().await;
    for i in 0..25 {
        let phone = format!("1373300{i:04}");
        let me = server.signup(&phone, &format!("统计{i:02}")).await;
        ids.push(me.user.id);
    }
    let now = OffsetDateTime::now_utc();
    let year = domain::moment::in_china(now).year();
    seed(&pool, &ids, year, now.unix_timestamp()).await;
    (server, admin, pool, year)
}

fn figures_row(row: &[Data], f: &domain::numbers::Figures) {
    assert_eq!(number(&row[1]), f.events as f64);
    assert_eq!(number(&row[2]), f.attendances as f64);
    assert_eq!(number(&row[3]), f.people as f64);
    assert!((number(&row[4]) * 60.0 - f.volunteer_minutes as f64).abs() < 1e-6);
    assert_eq!(number(&row[15]), f.rating.den as f64);
}

#[tokio::test]
async fn the_year_end_report_and_its_workbook_say_what_the_definitions_say() {
    let (server, admin, pool, year) = seeded_year().await;
    let (offerings, registrations) = facts(&pool).await;
    let r = server
        .get(&format!("/api/v1/admin/report?year={year}"), Some(&admin))
        .await;
    assert_eq!(r.status(), 200);
    let report: Report = r.json().await.unwrap();
    let now = OffsetDateTime::now_utc().unix_timestamp();
    let period = Period::year(year);

    // The JSON: the year's dashboard, each kind, the top lists, by the pure definitions.
    assert_eq!(report.year, year);
    assert_eq!(
        report.dashboard,
        count(
            &period,
            &Filter::default(),
            now,
            NOTICE,
            &offerings,
            &registrations
        )
    );
    let kinds: Vec<&str> = report.kinds.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(kinds, ["activity", "course", "mixer"]);
    for row in &report.kinds {
        let filter = Filter {
            kind: OfferingKind::parse(&row.key),
            ..Filter::default()
        };
        let want = count(&period, &filter, now, NOTICE, &offerings, &registrations).total;
        assert_eq!(row.figures, want, "{}", row.key);
    }
    let titles: Vec<(String, String)> = pool
        .fetch_all("SELECT id, title FROM offerings", args![], |r| r.tuple())
        .await
        .unwrap();
    let each = by_programme(&period, now, NOTICE, &offerings, &registrations);
    let programmes: Vec<Programme> = offerings
        .iter()
        .filter_map(|o| {
            let f = each.get(&o.id)?;
            Some(Programme {
                offering_id: o.id.clone(),
                title: titles.iter().find(|(id, _)| *id == o.id)?.1.clone(),
                kind: o.kind,
                venue_id: o.venue_id.clone(),
                category: o.category.clone(),
                attendances: f.attendances,
                rating: f.rating,
            })
        })
        .collect();
    let (top_attendance, top_rating) = top(&programmes);
    assert!(top_attendance.len() >= 5 && !top_rating.is_empty());
    assert_eq!(report.top_attendance, top_attendance);
    assert_eq!(report.top_rating, top_rating);
    let venues: Vec<(String, String)> = pool
        .fetch_all("SELECT id, name FROM venues", args![], |r| r.tuple())
        .await
        .unwrap();
    for row in &report.dashboard.venues {
        let name = &venues.iter().find(|(id, _)| *id == row.key).unwrap().1;
        assert_eq!(report.venue_names.get(&row.key), Some(name));
    }

    // The workbook: the same figures, labelled in Chinese.
    let book = download(
        &server,
        &format!("/api/v1/admin/report.xlsx?year={year}"),
        &admin,
    )
    .await;
    assert_eq!(
        book.names(),
        ["总览", "按月", "按类型", "按场地", "按类别", "热门项目"]
    );
    let total = &report.dashboard.total;
    assert_eq!(number(&book.value("总览", "年度")), f64::from(year));
    assert_eq!(number(&book.value("总览", "场次")), total.events as f64);
    assert_eq!(
        number(&book.value("总览", "人次")),
        total.attendances as f64
    );
    assert_eq!(number(&book.value("总览", "人数")), total.people as f64);
    assert_eq!(number(&book.value("总览", "配对数")), total.pairs as f64);
    let rating = number(&book.value("总览", "平均评分"));
    assert!((rating - total.rating.value().unwrap()).abs() < 1e-9);
    let start = date_cell(&book.value("总览", "开始日期"));
    assert_eq!(start, serial(period.bounds().0));
    let months = book.sheet("按月");
    assert_eq!(book.headers("按月")[..3], ["月份", "场次", "人次"]);
    assert_eq!(months.len(), 13);
    for (row, want) in months[1..].iter().zip(&report.dashboard.months) {
        assert_eq!(text(&row[0]), want.key);
        figures_row(row, &want.figures);
    }
    let by_kind = book.sheet("按类型");
    let words: Vec<String> = by_kind[1..].iter().map(|r| text(&r[0])).collect();
    assert_eq!(words, ["志愿活动", "青年夜校", "交友联谊"]);
    for (row, want) in by_kind[1..].iter().zip(&report.kinds) {
        figures_row(row, &want.figures);
    }
    let by_venue = book.sheet("按场地");
    assert_eq!(by_venue.len(), report.dashboard.venues.len() + 1);
    for (row, want) in by_venue[1..].iter().zip(&report.dashboard.venues) {
        assert_eq!(text(&row[0]), report.venue_names[&want.key], "venue names");
        figures_row(row, &want.figures);
    }
    assert_eq!(
        book.sheet("按类别").len(),
        report.dashboard.categories.len() + 1
    );
    let hot = book.sheet("热门项目");
    assert_eq!(book.headers("热门项目")[..3], ["榜单", "名次", "项目"]);
    let listed: Vec<(String, String)> = hot[1..]
        .iter()
        .map(|r| (text(&r[0]), text(&r[2])))
        .collect();
    let want: Vec<(String, String)> = report
        .top_attendance
        .iter()
        .map(|p| ("人次最多".to_owned(), p.title.clone()))
        .chain(
            report
                .top_rating
                .iter()
                .map(|p| ("评分最高".to_owned(), p.title.clone())),
        )
        .collect();
    assert_eq!(listed, want);

    // Bad years: 400 naming `year`, for both; the others may not read it at all.
    for bad in ["1999", "2101", "abc", "2026.5", "99999999999"] {
        for path in ["/api/v1/admin/report", "/api/v1/admin/report.xlsx"] {
            let (status, body) =
                refused(&server, &format!("{path}?year={bad}"), Some(&admin)).await;
            assert_eq!(status, 400, "{path}?year={bad}");
            assert_eq!(body["field"], "year", "{path}?year={bad}");
        }
    }
    let youth = server.login("13900000003", DEMO_PASSWORD).await.token;
    let organizer = server.login("13900000002", DEMO_PASSWORD).await.token;
    for token in [&youth, &organizer] {
        for path in ["/api/v1/admin/report.xlsx", "/api/v1/admin/report"] {
            assert_eq!(refused(&server, path, Some(token)).await.0, 403);
        }
    }
}

#[tokio::test]
async fn the_dashboard_and_hours_workbooks_match_the_dashboard_and_the_rows() {
    let (server, admin, pool, year) = seeded_year().await;

    // The dashboard's tables, for a filtered period, as the JSON dashboard gives them.
    let query = format!("?from={year}-01-01&to={year}-12-31&kind=activity");
    let r = server
        .get(&format!("/api/v1/admin/dashboard{query}"), Some(&admin))
        .await;
    let json: Dashboard = r.json().await.unwrap();
    let book = download(
        &server,
        &format!("/api/v1/admin/dashboard.xlsx{query}"),
        &admin,
    )
    .await;
    assert_eq!(book.names(), ["总览", "按月", "按场地", "按类别"]);
    assert_eq!(book.headers("总览"), ["指标", "数值"]);
    assert_eq!(
        number(&book.value("总览", "场次")),
        json.total.events as f64
    );
    assert_eq!(
        number(&book.value("总览", "人次")),
        json.total.attendances as f64
    );
    for (row, want) in book.sheet("按月")[1..].iter().zip(&json.months) {
        assert_eq!(text(&row[0]), want.key);
        figures_row(row, &want.figures);
    }
    let names: Vec<(String, String)> = pool
        .fetch_all("SELECT id, name FROM venues", args![], |r| r.tuple())
        .await
        .unwrap();
    let by_venue = book.sheet("按场地");
    assert_eq!(by_venue.len(), json.venues.len() + 1);
    for (row, want) in by_venue[1..].iter().zip(&json.venues) {
        let name = &names.iter().find(|(id, _)| *id == want.key).unwrap().1;
        assert_eq!(&text(&row[0]), name);
        figures_row(row, &want.figures);
    }
    for (row, want) in book.sheet("按类别")[1..].iter().zip(&json.categories) {
        assert_eq!(text(&row[0]), want.key);
        figures_row(row, &want.figures);
    }
    // The same refusals as the JSON dashboard.
    for (query, field) in [
        (format!("?from={year}-12-31&to={year}-01-01"), "to"),
        ("?from=2020-01-01&to=2026-01-01".to_owned(), "to"),
        (format!("?from={year}-02-30&to={year}-03-01"), "from"),
        (
            format!("?from={year}-01-01&kind=party&to={year}-02-01"),
            "kind",
        ),
    ] {
        let (status, body) = refused(
            &server,
            &format!("/api/v1/admin/dashboard.xlsx{query}"),
            Some(&admin),
        )
        .await;
        assert_eq!(
            (status, body["field"].as_str()),
            (400, Some(field)),
            "{query}"
        );
    }

    // The hours: one row per credited activity held this year, by person then date.
    let book = download(
        &server,
        &format!("/api/v1/admin/hours.xlsx?year={year}"),
        &admin,
    )
    .await;
    assert_eq!(book.names(), ["志愿时长"]);
    assert_eq!(
        book.headers("志愿时长"),
        ["姓名", "手机号", "活动", "组织单位", "日期", "时长(小时)"]
    );
    let rows = &book.sheet("志愿时长")[1..];
    let (start, end) = Period::year(year).bounds();
    let now = OffsetDateTime::now_utc().unix_timestamp();
    type Want = (Option<String>, Option<String>, String, String, i64, i64);
    let want: Vec<Want> = pool
        .fetch_all(
            "SELECT u.display_name, u.phone, o.title, v.name, o.starts_at, r.credited_minutes
               FROM registrations r JOIN offerings o ON o.id = r.offering_id
               JOIN venues v ON v.id = o.venue_id LEFT JOIN users u ON u.id = r.user_id
              WHERE o.kind = 'activity' AND o.status = 'published' AND r.credited_minutes > 0
                AND o.starts_at >= ?1 AND o.starts_at < ?2 AND o.starts_at <= ?3",
            args![start, end, now],
            |r| r.tuple(),
        )
        .await
        .unwrap();
    assert!(want.len() > 10, "the seed credits hours: {}", want.len());
    assert_eq!(rows.len(), want.len());
    let mut got: Vec<(String, String, String, String, i64, i64)> = Vec::new();
    for row in rows {
        let day = date_cell(&row[4]);
        assert_eq!(day.fract(), 0.0, "a date, not a moment");
        got.push((
            text(&row[0]),
            text(&row[1]),
            text(&row[2]),
            text(&row[3]),
            day as i64,
            (number(&row[5]) * 60.0).round() as i64,
        ));
    }
    // By person (name, phone), then date (each walk-in without an account is a person of
    // their own, so only people with an account are compared here).
    let accounts: Vec<_> = got.iter().filter(|r| !r.1.is_empty()).cloned().collect();
    let mut sorted = accounts.clone();
    sorted.sort_by(|a, b| (&a.0, &a.1, a.4).cmp(&(&b.0, &b.1, b.4)));
    assert_eq!(accounts, sorted);
    let mut want: Vec<(String, String, String, String, i64, i64)> = want
        .into_iter()
        .map(|(name, phone, title, venue, at, minutes)| {
            (
                name.unwrap_or_else(|| "路人".into()),
                phone.unwrap_or_default(),
                title,
                venue,
                serial(at).floor() as i64,
                minutes,
            )
        })
        .collect();
    // Walk-ins have no account: their name is the one given at the door.
    let mut got_sorted = got.clone();
    got_sorted.sort();
    want.sort();
    assert_eq!(got_sorted, want);
    // Phones are text, whole, with their leading digits.
    assert!(rows.iter().any(|r| text(&r[1]).starts_with("1373300")));
    for r in rows {
        let phone = text(&r[1]);
        assert!(
            phone.is_empty() || phone.len() == 11 && phone.starts_with('1'),
            "{phone}"
        );
    }
    // The hours add up to the dashboard's.
    let minutes: i64 = got.iter().map(|r| r.5).sum();
    let r = server
        .get(
            &format!("/api/v1/admin/dashboard?from={year}-01-01&to={year}-12-31"),
            Some(&admin),
        )
        .await;
    let d: Dashboard = r.json().await.unwrap();
    assert_eq!(minutes as u64, d.total.volunteer_minutes);

    for bad in ["1999", "2101", "x", "-1"] {
        let (status, body) = refused(
            &server,
            &format!("/api/v1/admin/hours.xlsx?year={bad}"),
            Some(&admin),
        )
        .await;
        assert_eq!(
            (status, body["field"].as_str()),
            (400, Some("year")),
            "{bad}"
        );
    }
    let organizer = server.login("13900000002", DEMO_PASSWORD).await.token;
    for path in ["/api/v1/admin/hours.xlsx", "/api/v1/admin/dashboard.xlsx"] {
        assert_eq!(refused(&server, path, Some(&organizer)).await.0, 403);
        assert_eq!(refused(&server, path, None).await.0, 401);
    }
}

/// Takes the next value of the version counter.
async fn version(pool: &Pool) -> i64 {
    pool.fetch_one(
        "UPDATE version_counter SET value = value + 1 WHERE id = 1 RETURNING value",
        args![],
        |r| r.get(0),
    )
    .await
    .unwrap()
}

/// A registration straight into the rows.
async fn register(
    pool: &Pool,
    id: &str,
    offering: &str,
    user: &str,
    status: &str,
    checked_in_at: Option<i64>,
    minutes: i64,
) {
    let v = version(pool).await;
    pool.execute(
        "INSERT INTO registrations (id, offering_id, user_id, pool, status, created_at,
                                    received_at, updated_at, version, checked_in_at,
                                    credited_minutes)
         VALUES (?1, ?2, ?3, 'all', ?4, 1780000000, 1780000000, 1780000000, ?5, ?6, ?7)",
        args![id, offering, user, status, v, checked_in_at, minutes],
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn an_offerings_exports_go_to_its_organizers_and_admins_only() {
    let server = TestServer::spawn_with(Options {
        demo: true,
        ..Options::default()
    })
    .await;
    let admin = server.login("13900000001", DEMO_PASSWORD).await;
    let organizer = server.login("13900000002", DEMO_PASSWORD).await.token;
    let youth = server.signup("13700000123", "王小青").await;
    let other = server.signup("13700000456", "李组织").await;
    let r = server
        .http
        .put(server.url(&format!("/api/v1/admin/users/{}/roles", other.user.id)))
        .bearer_auth(&admin.token)
        .json(&json!({ "roles": ["youth", "organizer"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let other_org = server
        .login("13700000456", tests::GOOD_PASSWORD)
        .await
        .token;
    let admin = admin.token;
    let pool = server.store().await;
    let activity = "act-river-patrol"; // the demo organizer runs it
    let course = "course-calligraphy";
    let checked_in = 1_780_003_600; // 2026-05-28 21:26:40 UTC
    register(
        &pool,
        "x-r1",
        activity,
        &youth.user.id,
        "confirmed",
        Some(checked_in),
        150,
    )
    .await;

    // Registrations: admins see the whole phone, organizers a masked one; both as text.
    let path = format!("/api/v1/offerings/{activity}/registrations.xlsx");
    for (token, phone) in [(&admin, "13700000123"), (&organizer, "137****0123")] {
        let book = download(&server, &path, token).await;
        assert_eq!(book.names(), ["报名名单"]);
        assert_eq!(
            book.headers("报名名单")[..6],
            [
                "姓名",
                "手机号",
                "状态",
                "报名时间",
                "签到时间",
                "志愿时长(小时)"
            ]
        );
        let rows = &book.sheet("报名名单")[1..];
        let row = rows
            .iter()
            .find(|r| text(&r[0]) == "王小青")
            .expect("the registration");
        assert_eq!(text(&row[1]), phone);
        assert_eq!(text(&row[2]), "已确认");
        assert!((date_cell(&row[3]) - serial(1_780_000_000)).abs() < 1e-6);
        assert!((date_cell(&row[4]) - serial(checked_in)).abs() < 1e-6);
        assert_eq!(number(&row[5]), 2.5);
    }
    // Another organizer, a youth, nobody: refused; an unknown offering: 404 for admins.
    assert_eq!(refused(&server, &path, Some(&other_org)).await.0, 403);
    assert_eq!(refused(&server, &path, Some(&youth.token)).await.0, 403);
    assert_eq!(refused(&server, &path, None).await.0, 401);
    assert_eq!(
        refused(
            &server,
            "/api/v1/offerings/nope/registrations.xlsx",
            Some(&admin)
        )
        .await
        .0,
        404
    );

    // Attendance per lesson: a course's only.
    let (status, body) = refused(
        &server,
        &format!("/api/v1/offerings/{activity}/attendance.xlsx"),
        Some(&admin),
    )
    .await;
    assert_eq!((status, body["error"].as_str()), (409, Some("conflict")));
    let lessons: Vec<(i64, i64)> = pool
        .fetch_all(
            "SELECT number, starts_at FROM course_lessons WHERE offering_id = ?1 ORDER BY number",
            args![course],
            |r| r.tuple(),
        )
        .await
        .unwrap();
    assert!(lessons.len() >= 2);
    let percent: i64 = pool
        .fetch_one(
            "SELECT completion_percent FROM course_settings WHERE offering_id = ?1",
            args![course],
            |r| r.get(0),
        )
        .await
        .unwrap();
    register(&pool, "c-r1", course, &youth.user.id, "confirmed", None, 0).await;
    // Lesson 1 (scanned twice) and lesson 2.
    for (i, (lesson, at)) in [lessons[0], lessons[0], lessons[1]].into_iter().enumerate() {
        let v = version(&pool).await;
        pool.execute(
            "INSERT INTO checkins (id, registration_id, offering_id, kind, scanned_at, at,
                                   received_at, device_id, client_id, version, lesson)
             VALUES (?1, 'c-r1', ?2, 'in', ?3, ?4, ?5, 'door', 'test', ?6, ?7)",
            args![format!("scan-{i}"), course, at * 1000, at, at, v, lesson],
        )
        .await
        .unwrap();
    }
    let r = server
        .http
        .put(server.url(&format!(
            "/api/v1/admin/users/{}/assignments",
            other.user.id
        )))
        .bearer_auth(&admin)
        .json(&json!({ "offering_ids": [course] }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let path = format!("/api/v1/offerings/{course}/attendance.xlsx");
    for token in [&admin, &other_org] {
        let book = download(&server, &path, token).await;
        let headers = book.headers("出勤");
        assert_eq!(headers.len(), 2 + lessons.len() + 2);
        assert_eq!(headers[2], "第1课");
        assert_eq!(headers[headers.len() - 2..], ["出勤次数", "结业"]);
        let rows = &book.sheet("出勤")[1..];
        assert_eq!(rows.len(), 1, "one learner");
        let row = &rows[0];
        assert_eq!(text(&row[0]), "王小青");
        assert_eq!(text(&row[2]), "✓");
        assert_eq!(text(&row[3]), "✓");
        if lessons.len() > 2 {
            assert_eq!(row[4], Data::Empty);
        }
        assert_eq!(number(&row[2 + lessons.len()]), 2.0);
        let done = domain::programme::course::completed(2, lessons.len(), percent as u8);
        assert_eq!(
            text(&row[3 + lessons.len()]),
            if done { "是" } else { "否" }
        );
    }
    assert_eq!(refused(&server, &path, Some(&organizer)).await.0, 403);

    // Draw results: none before the draw; then in draw order with the public outcomes.
    let path = format!("/api/v1/offerings/{course}/draw.xlsx");
    let (status, body) = refused(&server, &path, Some(&admin)).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("conflict")));
    let capacity: i64 = pool
        .fetch_one(
            "SELECT CAST(SUM(capacity) AS BIGINT) FROM offering_pools WHERE offering_id = ?1",
            args![course],
            |r| r.get(0),
        )
        .await
        .unwrap();
    pool.execute(
        "UPDATE registrations SET draw_position = 1, application_no = 'A-0001' WHERE id = 'c-r1'",
        args![],
    )
    .await
    .unwrap();
    let late = server.signup("13700000789", "赵晚到").await;
    register(&pool, "c-r2", course, &late.user.id, "not_drawn", None, 0).await;
    pool.execute(
        "UPDATE registrations SET draw_position = ?1, application_no = 'A-0002' WHERE id = 'c-r2'",
        args![capacity + 1],
    )
    .await
    .unwrap();
    let v = version(&pool).await;
    // The seed, one zero byte: a parameter, as blob literals differ between the databases.
    pool.execute(
        "INSERT INTO course_draws (offering_id, frozen_at, entries, list_hash, seed,
                                   seed_commitment, public_value, drawn_at, drawn_by, version)
         VALUES (?1, 1, 2, 'h', ?2, 'c', '1', 2, 'user-13900000001', ?3)",
        args![course, [0u8], v],
    )
    .await
    .unwrap();
    for token in [&admin, &other_org] {
        let book = download(&server, &path, token).await;
        assert_eq!(
            book.headers("抽签结果"),
            ["顺位", "申请编号", "姓名", "手机尾号", "结果"]
        );
        let rows = &book.sheet("抽签结果")[1..];
        let seen: Vec<(f64, String, String, String, String)> = rows
            .iter()
            .map(|r| {
                (
                    number(&r[0]),
                    text(&r[1]),
                    text(&r[2]),
                    text(&r[3]),
                    text(&r[4]),
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                (
                    1.0,
                    "A-0001".into(),
                    "王小青".into(),
                    "0123".into(),
                    "录取".into()
                ),
                (
                    (capacity + 1) as f64,
                    "A-0002".into(),
                    "赵晚到".into(),
                    "0789".into(),
                    "未录取".into()
                ),
            ]
        );
    }
    assert_eq!(refused(&server, &path, Some(&organizer)).await.0, 403);
    assert_eq!(refused(&server, &path, Some(&youth.token)).await.0, 403);
}
