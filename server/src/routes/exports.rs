//! The Excel exports (.xlsx, written by [`crate::xlsx`]) and the year-end report:
//!
//! - an offering's registrations, a course's attendance per lesson and its draw results, for
//!   the offering's organizers and admins (organizers see phones masked, as on the roster, and
//!   no answers to the sign-up questions);
//! - the volunteer hours of a year per person, the dashboard's tables, and the year-end report
//!   (JSON and workbook), for admins.
//!
//! What each figure means is `domain::numbers`; the figures come from `db::numbers`, so the
//! workbooks say what the dashboard says.

use super::numbers::{DashboardQuery, YearQuery};
use crate::{
    AppState,
    auth::Caller,
    db,
    error::{ApiError, ApiJson},
    routes::offerings::answer_text,
    xlsx::{Book, Cell, Sheet, download},
};
use axum::{
    extract::{Path, Query, State},
    response::Response,
};
use domain::{
    ErrorCode, OfferingKind, PhoneNumber, Role,
    numbers::{Dashboard, Figures, Period, Programme, Report, Row},
    registration::RegistrationStatus,
};
use std::collections::BTreeMap;
use time::OffsetDateTime;

/// A registration's status in words.
fn status_word(status: &str) -> &str {
    let Some(s) = RegistrationStatus::ALL
        .into_iter()
        .find(|s| s.as_str() == status)
    else {
        return status;
    };
    match s {
        RegistrationStatus::PendingSync => "待同步",
        RegistrationStatus::PendingReview => "待审核",
        RegistrationStatus::Confirmed => "已确认",
        RegistrationStatus::Waitlisted => "候补",
        RegistrationStatus::LotteryEntered => "待抽签",
        RegistrationStatus::Won => "已中签",
        RegistrationStatus::NotDrawn => "未中签",
        RegistrationStatus::Rejected => "未通过",
        RegistrationStatus::Cancelled => "已取消",
    }
}

/// A kind in words.
pub fn kind_word(kind: OfferingKind) -> &'static str {
    match kind {
        OfferingKind::Activity => "志愿活动",
        OfferingKind::Course => "青年夜校",
        OfferingKind::Mixer => "交友联谊",
    }
}

/// A phone as the caller may see it: whole for admins, masked for organizers (as the roster).
fn phone_for(caller: &Caller, phone: Option<&str>, walk_in_last4: Option<&str>) -> String {
    match phone.and_then(|p| PhoneNumber::parse(p).ok()) {
        Some(p) if caller.has(Role::Admin) => p.to_string(),
        Some(p) => p.masked(),
        None => walk_in_last4
            .map(|l| format!("****{l}"))
            .unwrap_or_default(),
    }
}

/// Writes the workbook off the async threads and answers with it.
async fn send(name: String, book: Book) -> Result<Response, ApiError> {
    let bytes = tokio::task::spawn_blocking(move || book.to_bytes())
        .await
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("writing a workbook: {e}")))?
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("writing a workbook: {e}")))?;
    Ok(download(&name, bytes))
}

/// The offering with `id`, or 404.
async fn offering(state: &AppState, id: &str) -> Result<domain::Offering, ApiError> {
    db::offerings::load(&state.store, id)
        .await?
        .ok_or_else(|| ApiError::not_found("offering"))
}

/// `GET /api/v1/offerings/{offering_id}/registrations.xlsx`: every registration, in the order
/// they arrived: name, phone (text), status, received and checked in (date and time), credited
/// hours, and (admins) the answers.
pub async fn registrations(
    State(state): State<AppState>,
    caller: Caller,
    Path(offering_id): Path<String>,
) -> Result<Response, ApiError> {
    let offering = offering(&state, &offering_id).await?;
    let rows = db::offerings::export_rows(&state.store, &offering_id).await?;
    let admin = caller.has(Role::Admin);
    let questions = if admin {
        offering.plan.questions.as_slice()
    } else {
        &[]
    };
    let mut headers: Vec<String> = [
        "姓名",
        "手机号",
        "状态",
        "报名时间",
        "签到时间",
        "志愿时长(小时)",
    ]
    .map(String::from)
    .to_vec();
    headers.extend(questions.iter().map(|q| q.label.clone()));
    let mut sheet = Sheet::new("报名名单", headers);
    for r in rows {
        let answers: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&r.answers).unwrap_or_default();
        let mut cells = vec![
            Cell::text(r.display_name.as_deref().unwrap_or("已注销")),
            Cell::text(phone_for(
                &caller,
                r.phone.as_deref(),
                r.walk_in_last4.as_deref(),
            )),
            Cell::text(status_word(&r.status)),
            Cell::DateTime(r.received_at),
            Cell::datetime(r.checked_in_at),
            Cell::Number(r.credited_minutes as f64 / 60.0),
        ];
        cells.extend(
            questions
                .iter()
                .map(|q| Cell::text(answer_text(answers.get(&q.id)))),
        );
        sheet.row(cells);
    }
    let mut book = Book::new();
    book.push(sheet);
    send(format!("{}-报名名单.xlsx", offering.plan.title), book).await
}

/// The course's rules, or 409 for any other kind.
fn course_of(
    offering: &domain::Offering,
) -> Result<&domain::programme::course::CourseRules, ApiError> {
    offering
        .plan
        .programme
        .course()
        .ok_or_else(|| ApiError::new(ErrorCode::Conflict, "this offering is not a course"))
}

/// `GET /api/v1/offerings/{offering_id}/attendance.xlsx`: a course's learners (confirmed
/// places), one column per lesson (✓ when checked in), lessons attended and whether they
/// completed. 409 if the offering is no course.
pub async fn attendance(
    State(state): State<AppState>,
    caller: Caller,
    Path(offering_id): Path<String>,
) -> Result<Response, ApiError> {
    let offering = offering(&state, &offering_id).await?;
    let course = course_of(&offering)?;
    let lessons = course.lessons.len();
    let rows = db::exports::attendance(&state.store, &offering_id).await?;
    let mut headers: Vec<String> = vec!["姓名".into(), "手机号".into()];
    headers.extend((1..=lessons).map(|n| format!("第{n}课")));
    headers.extend(["出勤次数".into(), "结业".into()]);
    let mut sheet = Sheet::new("出勤", headers);
    for (name, phone, attended) in rows {
        let attended: Vec<usize> = attended
            .unwrap_or_default()
            .split(',')
            .filter_map(|n| n.parse().ok())
            .filter(|n| (1..=lessons).contains(n))
            .collect();
        let done = domain::programme::course::completed(
            attended.len(),
            lessons,
            course.completion_percent,
        );
        let mut cells = vec![
            Cell::text(name.as_deref().unwrap_or("已注销")),
            Cell::text(phone_for(&caller, phone.as_deref(), None)),
        ];
        cells.extend((1..=lessons).map(|n| {
            if attended.contains(&n) {
                Cell::text("✓")
            } else {
                Cell::Blank
            }
        }));
        cells.push(Cell::int(attended.len() as i64));
        cells.push(Cell::text(if done { "是" } else { "否" }));
        sheet.row(cells);
    }
    let mut book = Book::new();
    book.push(sheet);
    send(format!("{}-出勤.xlsx", offering.plan.title), book).await
}

/// An outcome of the draw in words.
fn outcome_word(outcome: &str) -> &'static str {
    match outcome {
        "won" => "录取",
        "waitlist" => "候补",
        _ => "未录取",
    }
}

/// `GET /api/v1/offerings/{offering_id}/draw.xlsx`: a course's draw in draw order: position,
/// application number, name (whole: staff see names, as on the roster), the phone's last four
/// digits, and the outcome as the public results page gives it (录取/候补/未录取). 409 if the
/// offering is no course or has not been drawn.
pub async fn draw(
    State(state): State<AppState>,
    Path(offering_id): Path<String>,
) -> Result<Response, ApiError> {
    let offering = offering(&state, &offering_id).await?;
    course_of(&offering)?;
    let Some((capacity, rows)) = db::exports::draw(&state.store, &offering_id).await? else {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            "this course has not been drawn yet",
        ));
    };
    let capacity = u32::try_from(capacity).unwrap_or(0);
    let mut sheet = Sheet::new("抽签结果", ["顺位", "申请编号", "姓名", "手机尾号", "结果"]);
    for (position, number, name, phone, status) in rows {
        let Ok(position) = u32::try_from(position) else {
            continue;
        };
        sheet.row(vec![
            Cell::int(position),
            Cell::text(number.unwrap_or_default()),
            Cell::text(name.as_deref().unwrap_or("已注销")),
            Cell::text(
                phone
                    .and_then(|p| PhoneNumber::parse(&p).ok())
                    .map(|p| p.last4().to_owned())
                    .unwrap_or_default(),
            ),
            Cell::text(outcome_word(super::courses::outcome(
                position, capacity, &status,
            ))),
        ]);
    }
    let mut book = Book::new();
    book.push(sheet);
    send(format!("{}-抽签结果.xlsx", offering.plan.title), book).await
}

/// `GET /api/v1/admin/hours.xlsx?year=`: the volunteer hours of a year (China time), one row
/// per credited activity held, by person then date, in the columns of a 志愿汇 / i志愿 hour
/// record: 姓名, 手机号, 活动, 组织单位 (the venue that hosted it), 日期, 时长(小时).
pub async fn hours(
    State(state): State<AppState>,
    Query(q): Query<YearQuery>,
) -> Result<Response, ApiError> {
    let now = OffsetDateTime::now_utc();
    let year = q.read(now)?;
    let (start, end) = Period::year(year).bounds();
    let rows = db::exports::hours(&state.store, start, end, now.unix_timestamp()).await?;
    let mut sheet = Sheet::new(
        "志愿时长",
        ["姓名", "手机号", "活动", "组织单位", "日期", "时长(小时)"],
    );
    for (name, phone, last4, title, venue, starts_at, minutes) in rows {
        sheet.row(vec![
            Cell::text(name.unwrap_or_else(|| "已注销".into())),
            Cell::text(
                phone
                    .or(last4.map(|l| format!("****{l}")))
                    .unwrap_or_default(),
            ),
            Cell::text(title),
            Cell::text(venue.unwrap_or_default()),
            Cell::Date(starts_at),
            Cell::Number(minutes as f64 / 60.0),
        ]);
    }
    let mut book = Book::new();
    book.push(sheet);
    send(format!("{year}年志愿时长.xlsx"), book).await
}

/// `GET /api/v1/admin/league-progress.xlsx?year=`: the young people (14–28) who meet both
///入团 requirements that year (the list `GET /api/v1/admin/league-progress` gives), phones
/// masked as on that list.
pub async fn league_progress(
    State(state): State<AppState>,
    Query(q): Query<YearQuery>,
) -> Result<Response, ApiError> {
    let now = OffsetDateTime::now_utc();
    let year = q.read(now)?;
    let rows = db::league::league_progress(
        &state.store,
        year,
        now.unix_timestamp(),
        state.config.hours_notice_days,
    )
    .await?;
    let mut sheet = Sheet::new(
        "入团条件",
        ["姓名", "手机号", "出生年份", "志愿时长(小时)", "团课学时"],
    );
    for r in rows.into_iter().filter(|r| r.progress.meets_both()) {
        sheet.row(vec![
            Cell::text(r.display_name),
            Cell::text(r.phone),
            Cell::int(r.birth_year),
            Cell::Number(f64::from(r.progress.volunteer_minutes) / 60.0),
            Cell::int(r.progress.class_hours),
        ]);
    }
    let mut book = Book::new();
    book.push(sheet);
    send(format!("{year}年入团条件名单.xlsx"), book).await
}

/// The figures' column headers, in [`figure_cells`]' order.
const FIGURES: [&str; 16] = [
    "场次",
    "人次",
    "人数",
    "志愿时长(小时)",
    "未到人数",
    "确认名额",
    "未到率",
    "申请人数",
    "招生名额",
    "报名录取比",
    "结业人数",
    "学员人数",
    "结业率",
    "配对数",
    "评分人数",
    "平均评分",
];

/// A row's figures as cells: counts as numbers, each ratio as its two counts and its value
/// (blank when there is nothing to count).
fn figure_cells(f: &Figures) -> Vec<Cell> {
    let n = |x: u64| Cell::Number(x as f64);
    vec![
        n(f.events),
        n(f.attendances),
        n(f.people),
        Cell::Number(f.volunteer_minutes as f64 / 60.0),
        n(f.no_show.num),
        n(f.no_show.den),
        Cell::maybe(f.no_show.value()),
        n(f.applicants_per_place.num),
        n(f.applicants_per_place.den),
        Cell::maybe(f.applicants_per_place.value()),
        n(f.completion.num),
        n(f.completion.den),
        Cell::maybe(f.completion.value()),
        n(f.pairs),
        n(f.rating.den),
        Cell::maybe(f.rating.value()),
    ]
}

/// A sheet with one row per key (`first` names the key's column) and the figures.
fn table(name: &str, first: &str, rows: &[Row], key: impl Fn(&str) -> String) -> Sheet {
    let mut sheet = Sheet::new(name, std::iter::once(first).chain(FIGURES));
    for r in rows {
        let mut cells = vec![Cell::text(key(&r.key))];
        cells.extend(figure_cells(&r.figures));
        sheet.row(cells);
    }
    sheet
}

/// 总览: what the period is, then each figure on its own line.
fn overview(head: Vec<(&str, Cell)>, d: &Dashboard) -> Sheet {
    let mut sheet = Sheet::new("总览", ["指标", "数值"]);
    for (label, cell) in head {
        sheet.row(vec![Cell::text(label), cell]);
    }
    if let Some(p) = d.period {
        let (start, end) = p.bounds();
        sheet.row(vec![Cell::text("开始日期"), Cell::Date(start)]);
        sheet.row(vec![Cell::text("结束日期"), Cell::Date(end - 1)]);
    }
    for (label, cell) in FIGURES.iter().zip(figure_cells(&d.total)) {
        sheet.row(vec![Cell::text(*label), cell]);
    }
    sheet
}

/// The dashboard's sheets: 总览, 按月, 按场地 (venue names), 按类别.
fn dashboard_sheets(
    d: &Dashboard,
    names: &BTreeMap<String, String>,
    head: Vec<(&str, Cell)>,
) -> Vec<Sheet> {
    let venue = |id: &str| names.get(id).cloned().unwrap_or_else(|| id.to_owned());
    vec![
        overview(head, d),
        table("按月", "月份", &d.months, str::to_owned),
        table("按场地", "场地", &d.venues, venue),
        table("按类别", "类别", &d.categories, str::to_owned),
    ]
}

/// `GET /api/v1/admin/dashboard.xlsx`: the dashboard's tables, with the same query (and the
/// same refusals) as `GET /api/v1/admin/dashboard`.
pub async fn dashboard(
    State(state): State<AppState>,
    Query(q): Query<DashboardQuery>,
) -> Result<Response, ApiError> {
    let now = OffsetDateTime::now_utc();
    let (period, filter) = q.read(now)?;
    let d = db::numbers::dashboard(
        &state.store,
        &period,
        &filter,
        now.unix_timestamp(),
        state.config.hours_notice_days,
    )
    .await?;
    let names = db::numbers::venue_names(&state.store).await?;
    let mut book = Book::new();
    for sheet in dashboard_sheets(&d, &names, Vec::new()) {
        book.push(sheet);
    }
    send(format!("统计-{}至{}.xlsx", period.from, period.to), book).await
}

/// `GET /api/v1/admin/report?year=`: the year-end report's figures (`domain::numbers::Report`).
pub async fn report(
    State(state): State<AppState>,
    Query(q): Query<YearQuery>,
) -> Result<ApiJson<Report>, ApiError> {
    let now = OffsetDateTime::now_utc();
    let year = q.read(now)?;
    Ok(ApiJson(
        db::numbers::report(
            &state.store,
            year,
            now.unix_timestamp(),
            state.config.hours_notice_days,
        )
        .await?,
    ))
}

/// 热门项目: both top lists, one after the other.
fn top_sheet(report: &Report) -> Sheet {
    let mut sheet = Sheet::new(
        "热门项目",
        [
            "榜单",
            "名次",
            "项目",
            "类型",
            "场地",
            "类别",
            "人次",
            "评分人数",
            "平均评分",
        ],
    );
    let lists: [(&str, &[Programme]); 2] = [
        ("人次最多", &report.top_attendance),
        ("评分最高", &report.top_rating),
    ];
    for (list, programmes) in lists {
        for (i, p) in programmes.iter().enumerate() {
            sheet.row(vec![
                Cell::text(list),
                Cell::int(i as i64 + 1),
                Cell::text(&p.title),
                Cell::text(kind_word(p.kind)),
                Cell::text(
                    report
                        .venue_names
                        .get(&p.venue_id)
                        .cloned()
                        .unwrap_or_else(|| p.venue_id.clone()),
                ),
                Cell::text(&p.category),
                Cell::Number(p.attendances as f64),
                Cell::Number(p.rating.den as f64),
                Cell::maybe(p.rating.value()),
            ]);
        }
    }
    sheet
}

/// `GET /api/v1/admin/report.xlsx?year=`: the year-end workbook: 总览, 按月, 按类型, 按场地,
/// 按类别, 热门项目.
pub async fn report_xlsx(
    State(state): State<AppState>,
    Query(q): Query<YearQuery>,
) -> Result<Response, ApiError> {
    let now = OffsetDateTime::now_utc();
    let year = q.read(now)?;
    let report = db::numbers::report(
        &state.store,
        year,
        now.unix_timestamp(),
        state.config.hours_notice_days,
    )
    .await?;
    let mut sheets = dashboard_sheets(
        &report.dashboard,
        &report.venue_names,
        vec![("年度", Cell::int(year))],
    )
    .into_iter();
    let mut book = Book::new();
    // 总览, 按月, then 按类型, 按场地, 按类别, 热门项目.
    for sheet in sheets.by_ref().take(2) {
        book.push(sheet);
    }
    book.push(table("按类型", "类型", &report.kinds, |k| {
        OfferingKind::parse(k).map_or_else(|| k.to_owned(), |k| kind_word(k).to_owned())
    }));
    for sheet in sheets {
        book.push(sheet);
    }
    book.push(top_sheet(&report));
    send(format!("{year}年度工作报告.xlsx"), book).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_words() {
        for s in RegistrationStatus::ALL {
            assert!(!status_word(s.as_str()).is_ascii(), "{s:?}");
        }
        assert_eq!(status_word("something_new"), "something_new");
    }

    #[test]
    fn every_figure_has_its_column() {
        assert_eq!(figure_cells(&Figures::default()).len(), FIGURES.len());
    }
}
