//! The year-end report (`/admin/report/:year`, 年度工作数据报告): the year's figures, the
//! month-by-month charts, tables by programme kind and by venue, and the top programmes by
//! attendance and by rating, laid out for A4 by the print styles (打印 or 存为 PDF), and the
//! same figures as a workbook (`GET /api/v1/admin/report.xlsx`). Admins only.

use super::{
    Load,
    numbers::{MonthChart, figure_cells, hours, one_decimal},
    programmes::kind_msg,
};
use crate::{
    account::{general_error_msg, sign_in_href},
    api, format,
    i18n::{AnyMsg, Msg, StaffMsg, use_i18n},
    nav::{A, use_params_map},
    pages::workbook::save_xlsx,
    state::session::use_session,
};
use domain::{
    OfferingKind, Role,
    numbers::{Figures, Programme, Report},
};
use leptos::prelude::*;

/// The year in the path, if it is one the report can be about.
pub fn year_of(raw: Option<&str>) -> Option<i32> {
    raw?.parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
}

/// The report's figures, one line each: label and value (the dashboard's cards).
fn figure_lines(f: &Figures) -> Vec<(StaffMsg, String)> {
    figure_cells(f)
        .into_iter()
        .map(|(label, value, _)| (label, value))
        .collect()
}

/// The report page.
#[component]
pub fn YearReport() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let params = use_params_map();
    let year = params.with_untracked(|p| year_of(p.get("year").as_deref()));
    let data = RwSignal::new(Load::<Report>::Loading);
    let message = RwSignal::new(None::<AnyMsg>);
    let is_admin = move || session.user().is_some_and(|u| u.has(Role::Admin));
    let load = move || {
        let (Some(year), Some(token)) = (year, session.token()) else {
            return;
        };
        data.set(Load::Loading);
        leptos::task::spawn_local(async move {
            let result = session.guard(&token, api::report(&token, year).await);
            data.set(match result {
                Ok(r) => Load::Ready(r),
                Err(e) => Load::Failed(general_error_msg(&e, Msg::AdminNeedsNetworkOfferings)),
            });
        });
    };
    Effect::new(move |_| {
        if is_admin() {
            load();
        }
    });
    let print = move |_| crate::dom::print();
    let export = move |_| {
        let (Some(year), Some(token)) = (year, session.token()) else {
            return;
        };
        message.set(None);
        leptos::task::spawn_local(async move {
            let name =
                StaffMsg::ReportFileName.fill(i18n.lang.get_untracked(), &[&year.to_string()]);
            let path = format!("/api/v1/admin/report.xlsx?year={year}");
            message.set(Some(save_xlsx(session, &token, &path, &name).await));
        });
    };
    let body = move || {
        let Some(year) = year else {
            return view! { <p class="banner banner-error" role="alert">{move || i18n.s(StaffMsg::ReportBadYear)}</p> }.into_any();
        };
        match session.user() {
            None => {
                return view! {
                    <div class="card no-print">
                        <p>{move || i18n.t(Msg::AdminSignInPrompt)}</p>
                        <div class="actions">
                            <A href=sign_in_href(&format!("/admin/report/{year}")) attr:class="button button-primary">{move || i18n.t(Msg::SignIn)}</A>
                        </div>
                    </div>
                }
                .into_any();
            }
            Some(u) if !u.has(Role::Admin) => {
                return view! { <div class="card" role="alert"><p>{move || i18n.t(Msg::AdminOnly)}</p></div> }.into_any();
            }
            Some(_) => {}
        }
        match data.get() {
            Load::Loading => view! { <p class="empty" aria-busy="true">{move || i18n.t(Msg::Loading)}</p> }.into_any(),
            Load::Failed(msg) => view! {
                <div class="banner banner-error no-print" role="alert" data-testid="report-error">
                    <span>{move || i18n.t(msg)}</span>
                    <button type="button" class="button" on:click=move |_| load()>{move || i18n.t(Msg::Retry)}</button>
                </div>
            }
            .into_any(),
            Load::Ready(r) => report_view(r).into_any(),
        }
    };
    view! {
        <section class="page page-wide report" data-testid="year-report">
            <div class="toolbar no-print">
                <A href="/admin" attr:class="button">{move || i18n.s(StaffMsg::BackToAdmin)}</A>
                <button type="button" class="button button-primary" data-testid="report-print" on:click=print>{move || i18n.s(StaffMsg::PrintReport)}</button>
                <button type="button" class="button" data-testid="report-xlsx" on:click=export>{move || i18n.s(StaffMsg::ExportXlsx)}</button>
            </div>
            {move || message.get().map(|m| view! { <p class="hint no-print" role="status" data-testid="report-message">{move || m.text(i18n.lang.get())}</p> })}
            {body}
        </section>
    }
}

fn programme_rows(list: &[Programme], rating: bool) -> Vec<AnyView> {
    let i18n = use_i18n();
    list.iter()
        .enumerate()
        .map(|(i, p)| {
            let value = if rating {
                format!(
                    "{} ({})",
                    one_decimal(p.rating).unwrap_or_else(|| "—".into()),
                    p.rating.den
                )
            } else {
                p.attendances.to_string()
            };
            let kind = p.kind;
            view! {
                <tr>
                    <td class="num">{i + 1}</td>
                    <th scope="row">{p.title.clone()}</th>
                    <td>{move || i18n.t(kind_msg(kind))}</td>
                    <td class="num">{value}</td>
                </tr>
            }
            .into_any()
        })
        .collect()
}

/// The report itself, as printed.
fn report_view(r: Report) -> impl IntoView {
    let i18n = use_i18n();
    let year = r.year.to_string();
    let d = &r.dashboard;
    let figures = figure_lines(&d.total)
        .into_iter()
        .map(|(label, value)| {
            view! {
                <div class="report-figure">
                    <dt>{move || i18n.s(label)}</dt>
                    <dd>{value}</dd>
                </div>
            }
        })
        .collect::<Vec<_>>();
    let keys: Vec<String> = d.months.iter().map(|m| m.key.clone()).collect();
    let events: Vec<u64> = d.months.iter().map(|m| m.figures.events).collect();
    let attendances: Vec<u64> = d.months.iter().map(|m| m.figures.attendances).collect();
    let table_row = |name: AnyView, f: &Figures| {
        view! {
            <tr>
                <th scope="row">{name}</th>
                <td class="num">{f.events}</td>
                <td class="num">{f.attendances}</td>
                <td class="num">{f.people}</td>
                <td class="num">{hours(f.volunteer_minutes)}</td>
            </tr>
        }
    };
    let kinds = r
        .kinds
        .iter()
        .map(|row| {
            let name = match OfferingKind::parse(&row.key) {
                Some(k) => view! { {move || i18n.t(kind_msg(k))} }.into_any(),
                None => row.key.clone().into_any(),
            };
            table_row(name, &row.figures)
        })
        .collect::<Vec<_>>();
    let venues = d
        .venues
        .iter()
        .map(|row| {
            let name = r
                .venue_names
                .get(&row.key)
                .cloned()
                .unwrap_or_else(|| row.key.clone());
            table_row(name.into_any(), &row.figures)
        })
        .collect::<Vec<_>>();
    let head = move || {
        view! {
            <thead>
                <tr>
                    <th scope="col">{move || i18n.s(StaffMsg::ColName)}</th>
                    <th scope="col" class="num">{move || i18n.s(StaffMsg::FigEvents)}</th>
                    <th scope="col" class="num">{move || i18n.s(StaffMsg::FigAttendances)}</th>
                    <th scope="col" class="num">{move || i18n.s(StaffMsg::FigPeople)}</th>
                    <th scope="col" class="num">{move || i18n.s(StaffMsg::FigHours)}</th>
                </tr>
            </thead>
        }
    };
    let top_head = move |value: StaffMsg| {
        view! {
            <thead>
                <tr>
                    <th scope="col" class="num">{move || i18n.s(StaffMsg::ColRank)}</th>
                    <th scope="col">{move || i18n.s(StaffMsg::ColTitle)}</th>
                    <th scope="col">{move || i18n.s(StaffMsg::KindLabel)}</th>
                    <th scope="col" class="num">{move || i18n.s(value)}</th>
                </tr>
            </thead>
        }
    };
    let empty = d.total.events == 0;
    let top_attendance = programme_rows(&r.top_attendance, false);
    let top_rating = programme_rows(&r.top_rating, true);
    let no_top_attendance = top_attendance.is_empty();
    let no_top_rating = top_rating.is_empty();
    let made = format::date_time(i18n.lang.get_untracked(), format::now());
    let title_year = year.clone();
    view! {
        <header class="report-head">
            <h1 class="report-title" data-testid="report-title">{move || i18n.sf(StaffMsg::ReportTitle, &[&title_year])}</h1>
            <p class="report-meta">{move || i18n.sf(StaffMsg::ReportMade, &[&made])}</p>
        </header>
        {empty.then(|| view! { <p class="empty" data-testid="report-empty">{move || i18n.s(StaffMsg::DashboardEmpty)}</p> })}
        <section class="report-section">
            <h2>{move || i18n.s(StaffMsg::ReportFigures)}</h2>
            <dl class="report-figures" data-testid="report-figures">{figures}</dl>
        </section>
        <section class="report-section report-charts">
            <h2>{move || i18n.s(StaffMsg::ReportTrend)}</h2>
            <MonthChart title=Signal::derive(move || i18n.s(StaffMsg::ChartEvents).to_owned()) keys=keys.clone() values=events testid="report-chart-events" />
            <MonthChart title=Signal::derive(move || i18n.s(StaffMsg::ChartAttendances).to_owned()) keys=keys values=attendances line=true testid="report-chart-attendances" />
        </section>
        <section class="report-section">
            <h2>{move || i18n.s(StaffMsg::ByKind)}</h2>
            <div class="table-wrap" tabindex="0"><table class="table" data-testid="report-kinds">{head()}<tbody>{kinds}</tbody></table></div>
        </section>
        <section class="report-section">
            <h2>{move || i18n.s(StaffMsg::ByVenue)}</h2>
            <div class="table-wrap" tabindex="0"><table class="table" data-testid="report-venues">{head()}<tbody>{venues}</tbody></table></div>
        </section>
        <section class="report-section">
            <h2>{move || i18n.s(StaffMsg::TopAttendance)}</h2>
            {if no_top_attendance {
                view! { <p class="empty">{move || i18n.s(StaffMsg::NothingYet)}</p> }.into_any()
            } else {
                view! { <div class="table-wrap" tabindex="0"><table class="table" data-testid="report-top-attendance">{top_head(StaffMsg::FigAttendances)}<tbody>{top_attendance}</tbody></table></div> }.into_any()
            }}
        </section>
        <section class="report-section">
            <h2>{move || i18n.s(StaffMsg::TopRating)}</h2>
            {if no_top_rating {
                view! { <p class="empty">{move || i18n.s(StaffMsg::NothingYet)}</p> }.into_any()
            } else {
                view! { <div class="table-wrap" tabindex="0"><table class="table" data-testid="report-top-rating">{top_head(StaffMsg::FigRating)}<tbody>{top_rating}</tbody></table></div> }.into_any()
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plausible_years_make_a_report() {
        assert_eq!(year_of(Some("2026")), Some(2026));
        assert_eq!(year_of(Some("1999")), None);
        assert_eq!(year_of(Some("2026x")), None);
        assert_eq!(year_of(None), None);
    }

    #[test]
    fn every_figure_has_its_line() {
        let f = Figures {
            events: 3,
            volunteer_minutes: 150,
            ..Figures::default()
        };
        let lines = figure_lines(&f);
        assert_eq!(lines.len(), 9);
        assert_eq!(lines[0].1, "3");
        assert_eq!(lines[3].1, "2.5");
        assert_eq!(lines[4].1, "—");
    }
}
