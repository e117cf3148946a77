//! The numbers tab (数据): the committee's figures for a year, a quarter or a month, filtered by
//! kind, venue and category, month by month as SVG charts, by venue and by category as
//! tables, the programmes they count, and the way to the year-end report and the workbook.
//! The figures come from `GET /api/v1/admin/dashboard` (their definition: `domain::numbers`).

use super::{Load, programmes::kind_msg};
use crate::{
    account::general_error_msg,
    api,
    chart::{self, Plot},
    format,
    i18n::{AnyMsg, Lang, Msg, StaffMsg, use_i18n},
    pages::workbook::{WorkbookButton, save_xlsx},
    state::session::use_session,
};
use domain::{
    OfferingKind, OfferingStatus, Venue,
    admin::AdminOffering,
    numbers::{Dashboard, Figures, Filter, Ratio},
};
use leptos::prelude::*;
use time::{Date, Month};

/// How long a period the admin reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    /// A calendar year.
    Year,
    /// A quarter (1–4).
    Quarter,
    /// A month (1–12).
    Month,
}

/// The first and last day of `year`'s whole year, quarter `part` or month `part`.
pub fn period_of(span: Span, year: i32, part: u8) -> Option<(Date, Date)> {
    let month = |m: u8| Month::try_from(m).ok();
    let (first, last) = match span {
        Span::Year => (1, 12),
        Span::Quarter if (1..=4).contains(&part) => (part * 3 - 2, part * 3),
        Span::Month if (1..=12).contains(&part) => (part, part),
        _ => return None,
    };
    let from = Date::from_calendar_date(year, month(first)?, 1).ok()?;
    let last_month = month(last)?;
    let to = Date::from_calendar_date(year, last_month, last_month.length(year)).ok()?;
    Some((from, to))
}

/// The dashboard's query string for a period and a filter (the same for the .xlsx).
pub fn query(from: Date, to: Date, filter: &Filter) -> String {
    let mut q = format!("from={from}&to={to}");
    if let Some(k) = filter.kind {
        q.push_str("&kind=");
        q.push_str(k.as_str());
    }
    if let Some(v) = &filter.venue_id {
        q.push_str("&venue_id=");
        q.push_str(&api::encode_query_value(v));
    }
    if let Some(c) = &filter.category {
        q.push_str("&category=");
        q.push_str(&api::encode_query_value(c));
    }
    q
}

/// A share as a percentage with one decimal, if there is anything to count.
pub fn percent(r: Ratio) -> Option<String> {
    r.value().map(|v| format!("{:.1}%", v * 100.0))
}

/// A ratio with one decimal (applicants per place, average stars).
pub fn one_decimal(r: Ratio) -> Option<String> {
    r.value().map(|v| format!("{v:.1}"))
}

/// Minutes as hours with one decimal.
pub fn hours(minutes: u64) -> String {
    format!("{:.1}", minutes as f64 / 60.0)
}

/// The admin's programmes counted for a period and filter: those not cancelled, passing the
/// filter, whose time overlaps the period and that have started by `now` (what the figures
/// count events of), soonest first.
pub fn counted<'a>(
    offerings: &'a [AdminOffering],
    from: Date,
    to: Date,
    filter: &Filter,
    now: time::OffsetDateTime,
) -> Vec<&'a AdminOffering> {
    let Ok(period) = domain::numbers::Period::new(from, to) else {
        return Vec::new();
    };
    let (start, end) = period.bounds();
    let mut out: Vec<&AdminOffering> = offerings
        .iter()
        .filter(|o| {
            let o = &o.offering;
            let s = o.starts_at().unix_timestamp();
            let e = o.ends_at().unix_timestamp();
            o.status != OfferingStatus::Cancelled
                && o.status != OfferingStatus::Draft
                && filter.kind.is_none_or(|k| k == o.kind())
                && filter
                    .venue_id
                    .as_ref()
                    .is_none_or(|v| *v == o.plan.venue_id)
                && filter
                    .category
                    .as_ref()
                    .is_none_or(|c| *c == o.plan.category)
                && s < end
                && e >= start
                && o.starts_at() <= now
        })
        .collect();
    domain::sort::sort_by_key(&mut out, |o| o.offering.starts_at());
    out
}

/// A month's short label: `3月`, `Mar`.
fn month_label(lang: Lang, key: &str) -> String {
    let (year, month) = key.split_once('-').unwrap_or((key, ""));
    let m: u8 = month.parse().unwrap_or(0);
    let name = StaffMsg::MonthShort.fill(lang, &[&m.to_string()]);
    if m == 1 {
        format!("{name} {year}")
    } else {
        name
    }
}

/// One month-by-month chart: bars or a line.
#[component]
pub fn MonthChart(
    /// Its title (also the drawing's accessible name).
    title: Signal<String>,
    /// `YYYY-MM` of each value.
    keys: Vec<String>,
    /// One value per month.
    values: Vec<u64>,
    /// A line instead of bars.
    #[prop(optional)]
    line: bool,
    /// For tests.
    testid: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let Plot {
        bars,
        points,
        dots,
        ticks,
        labels,
        floor,
    } = chart::plot(&values);
    let (x0, x1) = chart::GRID;
    let grid = ticks
        .into_iter()
        .map(|t| {
            view! {
                <line x1=x0 x2=x1 y1=t.y y2=t.y class="chart-grid" />
                <text x=chart::AXIS_LABEL_X y=t.y + 4.0 class="chart-axis" text-anchor="end">{t.value}</text>
            }
        })
        .collect::<Vec<_>>();
    let label_keys = keys.clone();
    let under = labels
        .into_iter()
        .map(|l| {
            let key = label_keys.get(l.index).cloned().unwrap_or_default();
            view! {
                <text x=l.x y=floor + 16.0 class="chart-axis" text-anchor="middle">
                    {move || month_label(i18n.lang.get(), &key)}
                </text>
            }
        })
        .collect::<Vec<_>>();
    let marks = if line {
        let dots = dots
            .into_iter()
            .zip(values.iter().copied())
            .map(|((x, y), v)| {
                view! { <circle cx=x cy=y r="3.5" class="chart-dot"><title>{v}</title></circle> }
            })
            .collect::<Vec<_>>();
        view! {
            <polyline points=points class="chart-line" fill="none" />
            {dots}
        }
        .into_any()
    } else {
        bars.into_iter()
            .zip(values.iter().copied())
            .map(|(b, v)| {
                view! { <rect x=b.x y=b.y width=b.w height=b.h class="chart-bar"><title>{v}</title></rect> }
            })
            .collect::<Vec<_>>()
            .into_any()
    };
    view! {
        <figure class="chart" data-testid=testid>
            <figcaption class="chart-title">{move || title.get()}</figcaption>
            <svg
                class="chart-svg"
                viewBox=format!("0 0 {} {}", chart::WIDTH, chart::HEIGHT)
                role="img"
                aria-label=move || title.get()
                preserveAspectRatio="xMidYMid meet"
            >
                {grid}
                {marks}
                {under}
            </svg>
        </figure>
    }
}

/// A figure's value in words, and what it counts.
pub(super) fn figure_cells(f: &Figures) -> [(StaffMsg, String, &'static str); 9] {
    let dash = || "—".to_owned();
    [
        (StaffMsg::FigEvents, f.events.to_string(), "fig-events"),
        (
            StaffMsg::FigAttendances,
            f.attendances.to_string(),
            "fig-attendances",
        ),
        (StaffMsg::FigPeople, f.people.to_string(), "fig-people"),
        (StaffMsg::FigHours, hours(f.volunteer_minutes), "fig-hours"),
        (
            StaffMsg::FigNoShow,
            percent(f.no_show).unwrap_or_else(dash),
            "fig-no-show",
        ),
        (
            StaffMsg::FigApplicantsPerPlace,
            one_decimal(f.applicants_per_place).unwrap_or_else(dash),
            "fig-applicants",
        ),
        (
            StaffMsg::FigCompletion,
            percent(f.completion).unwrap_or_else(dash),
            "fig-completion",
        ),
        (StaffMsg::FigPairs, f.pairs.to_string(), "fig-pairs"),
        (
            StaffMsg::FigRating,
            one_decimal(f.rating).unwrap_or_else(dash),
            "fig-rating",
        ),
    ]
}

/// A table of rows (venues or categories) with their main figures; a row's name sets the
/// filter to it.
#[component]
fn FigureTable(
    /// The table's caption.
    caption: StaffMsg,
    /// Name and figures of each row.
    rows: Vec<(String, String, Figures)>,
    /// Sets the filter to a row's key.
    on_pick: Callback<String>,
    /// For tests.
    testid: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let head = [
        StaffMsg::FigEvents,
        StaffMsg::FigAttendances,
        StaffMsg::FigPeople,
        StaffMsg::FigHours,
        StaffMsg::FigNoShow,
    ];
    let body = rows
        .into_iter()
        .map(|(key, name, f)| {
            view! {
                <tr>
                    <th scope="row">
                        <button type="button" class="link-button" on:click=move |_| on_pick.run(key.clone())>{name}</button>
                    </th>
                    <td class="num">{f.events}</td>
                    <td class="num">{f.attendances}</td>
                    <td class="num">{f.people}</td>
                    <td class="num">{hours(f.volunteer_minutes)}</td>
                    <td class="num">{percent(f.no_show).unwrap_or_else(|| "—".into())}</td>
                </tr>
            }
        })
        .collect::<Vec<_>>();
    view! {
        <div class="table-wrap dash-table" tabindex="0" data-testid=testid>
            <table class="table">
                <caption class="dash-caption">{move || i18n.s(caption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{move || i18n.s(StaffMsg::ColName)}</th>
                        {head.into_iter().map(|m| view! { <th scope="col" class="num">{move || i18n.s(m)}</th> }).collect::<Vec<_>>()}
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
}

/// The numbers tab.
#[component]
pub(super) fn NumbersPanel() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let this_year = format::current_year();
    let span = RwSignal::new(Span::Year);
    let year = RwSignal::new(this_year);
    let part = RwSignal::new(1u8);
    let kind = RwSignal::new(None::<OfferingKind>);
    let venue = RwSignal::new(String::new());
    let category = RwSignal::new(String::new());
    let data = RwSignal::new(Load::<Dashboard>::Loading);
    let venues = RwSignal::new(Vec::<Venue>::new());
    let offerings = RwSignal::new(Vec::<AdminOffering>::new());
    let message = RwSignal::new(None::<AnyMsg>);
    let generation = StoredValue::new(0u64);

    let filter = Memo::new(move |_| Filter {
        kind: kind.get(),
        venue_id: Some(venue.get()).filter(|v| !v.is_empty()),
        category: Some(category.get()).filter(|c| !c.is_empty()),
    });
    let period = Memo::new(move |_| period_of(span.get(), year.get(), part.get()));

    // The venues and the programmes, for the filters' choices and the counted list.
    if let Some(token) = session.token() {
        leptos::task::spawn_local(async move {
            let (o, v) = futures::join!(api::admin_offerings(&token), api::admin_venues(&token));
            if let Ok(o) = session.guard(&token, o) {
                offerings.set(o);
            }
            if let Ok(v) = v {
                venues.set(v);
            }
        });
    }
    let load = move || {
        let Some((from, to)) = period.get_untracked() else {
            return;
        };
        let Some(token) = session.token() else { return };
        let q = query(from, to, &filter.get_untracked());
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        data.set(Load::Loading);
        leptos::task::spawn_local(async move {
            let result = session.guard(&token, api::dashboard(&token, &q).await);
            if generation.get_value() != mine {
                return;
            }
            data.set(match result {
                Ok(d) => Load::Ready(d),
                Err(e) => Load::Failed(general_error_msg(&e, Msg::AdminNeedsNetworkOfferings)),
            });
        });
    };
    Effect::new(move |_| {
        period.track();
        filter.track();
        load();
    });

    let export = move |_| {
        let Some((from, to)) = period.get_untracked() else {
            return;
        };
        let Some(token) = session.token() else { return };
        let q = query(from, to, &filter.get_untracked());
        message.set(None);
        leptos::task::spawn_local(async move {
            let name = StaffMsg::DashboardFileName.fill(
                i18n.lang.get_untracked(),
                &[&from.to_string(), &to.to_string()],
            );
            let path = format!("/api/v1/admin/dashboard.xlsx?{q}");
            message.set(Some(save_xlsx(session, &token, &path, &name).await));
        });
    };

    let venue_name = move |id: &str| {
        venues.with(|vs| {
            vs.iter()
                .find(|v| v.id == id)
                .map_or_else(|| id.to_owned(), |v| v.name.clone())
        })
    };
    let categories = Memo::new(move |_| {
        let mut cs: Vec<String> = offerings.with(|os| {
            os.iter()
                .filter(|o| kind.get().is_none_or(|k| k == o.offering.kind()))
                .map(|o| o.offering.plan.category.clone())
                .collect()
        });
        cs.sort();
        cs.dedup();
        cs
    });

    let parts = move || match span.get() {
        Span::Year => Vec::new(),
        Span::Quarter => (1..=4u8)
            .map(|q| (q, i18n.sf(StaffMsg::QuarterN, &[&q.to_string()])))
            .collect(),
        Span::Month => (1..=12u8)
            .map(|m| {
                (
                    m,
                    StaffMsg::MonthShort.fill(i18n.lang.get(), &[&m.to_string()]),
                )
            })
            .collect(),
    };
    let span_button = move |which: Span, msg: StaffMsg, testid: &'static str| {
        view! {
            <button
                type="button"
                class="seg"
                data-testid=testid
                aria-pressed=move || (span.get() == which).to_string()
                on:click=move |_| {
                    span.set(which);
                    part.set(1);
                }
            >
                {move || i18n.s(msg)}
            </button>
        }
    };

    let controls = view! {
        <div class="dash-controls" data-testid="dash-controls">
            <div class="segmented" role="group" aria-label=move || i18n.s(StaffMsg::PeriodLabel)>
                {span_button(Span::Year, StaffMsg::SpanYear, "span-year")}
                {span_button(Span::Quarter, StaffMsg::SpanQuarter, "span-quarter")}
                {span_button(Span::Month, StaffMsg::SpanMonth, "span-month")}
            </div>
            <div class="dash-selects">
                <label class="field">
                    <span class="field-label">{move || i18n.s(StaffMsg::YearLabel)}</span>
                    <select class="input" data-testid="dash-year"
                        on:change=move |ev| if let Ok(y) = event_target_value(&ev).parse() { year.set(y) }>
                        {((this_year - 4)..=(this_year + 1)).rev().map(|y| view! {
                            <option value=y.to_string() selected=move || year.get() == y>{y}</option>
                        }).collect::<Vec<_>>()}
                    </select>
                </label>
                {move || (span.get() != Span::Year).then(|| view! {
                    <label class="field">
                        <span class="field-label">{move || i18n.s(if span.get() == Span::Quarter { StaffMsg::SpanQuarter } else { StaffMsg::SpanMonth })}</span>
                        <select class="input" data-testid="dash-part"
                            on:change=move |ev| if let Ok(p) = event_target_value(&ev).parse() { part.set(p) }>
                            {parts().into_iter().map(|(p, name)| view! {
                                <option value=p.to_string() selected=move || part.get() == p>{name}</option>
                            }).collect::<Vec<_>>()}
                        </select>
                    </label>
                })}
                <label class="field">
                    <span class="field-label">{move || i18n.s(StaffMsg::KindLabel)}</span>
                    <select class="input" data-testid="dash-kind"
                        on:change=move |ev| {
                            kind.set(OfferingKind::parse(&event_target_value(&ev)));
                            category.set(String::new());
                        }>
                        <option value="" selected=move || kind.get().is_none()>{move || i18n.s(StaffMsg::AllKinds)}</option>
                        {OfferingKind::ALL.into_iter().map(|k| view! {
                            <option value=k.as_str() selected=move || kind.get() == Some(k)>{move || i18n.t(kind_msg(k))}</option>
                        }).collect::<Vec<_>>()}
                    </select>
                </label>
                <label class="field">
                    <span class="field-label">{move || i18n.s(StaffMsg::VenueLabel)}</span>
                    <select class="input" data-testid="dash-venue"
                        on:change=move |ev| venue.set(event_target_value(&ev))>
                        <option value="" selected=move || venue.get().is_empty()>{move || i18n.s(StaffMsg::AllVenues)}</option>
                        {move || venues.get().into_iter().map(|v| {
                            let id = v.id.clone();
                            view! { <option value=v.id.clone() selected=move || venue.get() == id>{v.name}</option> }
                        }).collect::<Vec<_>>()}
                    </select>
                </label>
                <label class="field">
                    <span class="field-label">{move || i18n.s(StaffMsg::CategoryLabel)}</span>
                    <select class="input" data-testid="dash-category"
                        on:change=move |ev| category.set(event_target_value(&ev))>
                        <option value="" selected=move || category.get().is_empty()>{move || i18n.s(StaffMsg::AllCategories)}</option>
                        {move || categories.get().into_iter().map(|c| {
                            let (this, value) = (c.clone(), c.clone());
                            view! { <option value=value selected=move || category.get() == this>{c}</option> }
                        }).collect::<Vec<_>>()}
                    </select>
                </label>
            </div>
            <div class="toolbar">
                <button type="button" class="button" data-testid="dash-export" on:click=export>
                    {move || i18n.s(StaffMsg::ExportXlsx)}
                </button>
                <WorkbookButton
                    label=Signal::derive(move || i18n.sf(StaffMsg::HoursXlsx, &[&year.get().to_string()]))
                    path=Signal::derive(move || format!("/api/v1/admin/hours.xlsx?year={}", year.get()))
                    file_name=Signal::derive(move || StaffMsg::HoursFileName.fill(i18n.lang.get(), &[&year.get().to_string()]))
                    testid="hours-xlsx"
                />
                <a class="button" data-testid="dash-report" href=move || format!("/admin/report/{}", year.get())>
                    {move || i18n.sf(StaffMsg::ReportLink, &[&year.get().to_string()])}
                </a>
            </div>
            {move || message.get().map(|m| view! { <p class="hint" role="status" data-testid="dash-message">{move || m.text(i18n.lang.get())}</p> })}
        </div>
    };

    let body = move || {
        match data.get() {
        Load::Loading => view! { <p class="empty" aria-busy="true">{move || i18n.t(Msg::Loading)}</p> }.into_any(),
        Load::Failed(msg) => view! {
            <div class="banner banner-error" role="alert" data-testid="dash-error">
                <span>{move || i18n.t(msg)}</span>
                <button type="button" class="button" on:click=move |_| load()>{move || i18n.t(Msg::Retry)}</button>
            </div>
        }
        .into_any(),
        Load::Ready(d) => dashboard_view(d, venue_name, venue, category, offerings, period, filter).into_any(),
    }
    };
    view! {
        <div class="dashboard" data-testid="dashboard">
            {controls}
            {body}
        </div>
    }
}

/// The figures, charts, tables and counted list of a loaded dashboard.
fn dashboard_view(
    d: Dashboard,
    venue_name: impl Fn(&str) -> String + Copy + Send + Sync + 'static,
    venue: RwSignal<String>,
    category: RwSignal<String>,
    offerings: RwSignal<Vec<AdminOffering>>,
    period: Memo<Option<(Date, Date)>>,
    filter: Memo<Filter>,
) -> impl IntoView {
    let i18n = use_i18n();
    if d.total.events == 0 && d.total.attendances == 0 && d.total.applicants_per_place.num == 0 {
        return view! {
            <p class="empty" data-testid="dash-empty">{move || i18n.s(StaffMsg::DashboardEmpty)}</p>
        }
        .into_any();
    }
    let cards = figure_cells(&d.total)
        .into_iter()
        .map(|(label, value, testid)| {
            view! {
                <li>
                    <a class="figure" href="#dash-list" data-testid=testid>
                        <span class="figure-value">{value}</span>
                        <span class="figure-label">{move || i18n.s(label)}</span>
                    </a>
                </li>
            }
        })
        .collect::<Vec<_>>();
    let keys: Vec<String> = d.months.iter().map(|r| r.key.clone()).collect();
    let events: Vec<u64> = d.months.iter().map(|r| r.figures.events).collect();
    let attendances: Vec<u64> = d.months.iter().map(|r| r.figures.attendances).collect();
    let hours_by_month: Vec<u64> = d
        .months
        .iter()
        .map(|r| r.figures.volunteer_minutes.div_ceil(60))
        .collect();
    let venue_rows = d
        .venues
        .iter()
        .map(|r| (r.key.clone(), venue_name(&r.key), r.figures.clone()))
        .collect();
    let category_rows = d
        .categories
        .iter()
        .map(|r| (r.key.clone(), r.key.clone(), r.figures.clone()))
        .collect();
    let list = move || {
        let Some((from, to)) = period.get() else {
            return Vec::new();
        };
        let f = filter.get();
        offerings.with(|os| {
            counted(os, from, to, &f, format::now())
                .into_iter()
                .map(|o| {
                    let o = &o.offering;
                    let lang = i18n.lang.get();
                    view! {
                        <tr>
                            <th scope="row" class="dash-title">{o.plan.title.clone()}</th>
                            <td>{i18n.t(kind_msg(o.kind()))}</td>
                            <td>{format::date_time(lang, o.starts_at())}</td>
                            <td>{venue_name(&o.plan.venue_id)}</td>
                            <td>{o.plan.category.clone()}</td>
                        </tr>
                    }
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <ul class="figures" data-testid="dash-figures">{cards}</ul>
        <div class="charts">
            <MonthChart title=Signal::derive(move || i18n.s(StaffMsg::ChartEvents).to_owned()) keys=keys.clone() values=events testid="chart-events" />
            <MonthChart title=Signal::derive(move || i18n.s(StaffMsg::ChartAttendances).to_owned()) keys=keys.clone() values=attendances line=true testid="chart-attendances" />
            <MonthChart title=Signal::derive(move || i18n.s(StaffMsg::ChartHours).to_owned()) keys=keys values=hours_by_month testid="chart-hours" />
        </div>
        <FigureTable caption=StaffMsg::ByVenue rows=venue_rows on_pick=Callback::new(move |k| venue.set(k)) testid="dash-venues" />
        <FigureTable caption=StaffMsg::ByCategory rows=category_rows on_pick=Callback::new(move |k| category.set(k)) testid="dash-categories" />
        <div class="table-wrap dash-table" id="dash-list" tabindex="0" data-testid="dash-list">
            <table class="table">
                <caption class="dash-caption">{move || i18n.s(StaffMsg::CountedList)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{move || i18n.s(StaffMsg::ColTitle)}</th>
                        <th scope="col">{move || i18n.s(StaffMsg::KindLabel)}</th>
                        <th scope="col">{move || i18n.s(StaffMsg::ColDate)}</th>
                        <th scope="col">{move || i18n.s(StaffMsg::VenueLabel)}</th>
                        <th scope="col">{move || i18n.s(StaffMsg::CategoryLabel)}</th>
                    </tr>
                </thead>
                <tbody>{list}</tbody>
            </table>
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn periods_are_whole_years_quarters_and_months() {
        assert_eq!(
            period_of(Span::Year, 2026, 1),
            Some((date!(2026 - 01 - 01), date!(2026 - 12 - 31)))
        );
        assert_eq!(
            period_of(Span::Quarter, 2026, 4),
            Some((date!(2026 - 10 - 01), date!(2026 - 12 - 31)))
        );
        assert_eq!(
            period_of(Span::Month, 2028, 2),
            Some((date!(2028 - 02 - 01), date!(2028 - 02 - 29)))
        );
        assert_eq!(period_of(Span::Quarter, 2026, 5), None);
        assert_eq!(period_of(Span::Month, 2026, 0), None);
    }

    #[test]
    fn the_query_carries_the_period_and_only_the_filters_set() {
        let f = Filter {
            kind: Some(OfferingKind::Course),
            venue_id: None,
            category: Some("书法 & 国画".into()),
        };
        assert_eq!(
            query(date!(2026 - 01 - 01), date!(2026 - 03 - 31), &f),
            "from=2026-01-01&to=2026-03-31&kind=course&category=%E4%B9%A6%E6%B3%95%20%26%20%E5%9B%BD%E7%94%BB"
        );
        assert_eq!(
            query(
                date!(2026 - 01 - 01),
                date!(2026 - 01 - 31),
                &Filter::default()
            ),
            "from=2026-01-01&to=2026-01-31"
        );
    }

    fn admin(id: &str, start: &str, venue: &str, status: &str) -> AdminOffering {
        let mut offering = crate::test_offering::from_flat(serde_json::json!({
            "id": id, "kind": "activity", "title": id, "summary": "", "category": "河小青",
            "venue_id": venue, "starts_at": start, "ends_at": start, "sessions": 1,
            "capacity": 10, "seats_taken": 0,
            "signup_closes_at": "2026-01-01T00:00:00+08:00", "volunteer_hours": 2
        }));
        offering.status = OfferingStatus::parse(status).unwrap();
        AdminOffering {
            offering,
            pending_reviews: 0,
            organizer_ids: Vec::new(),
        }
    }

    #[test]
    fn the_list_behind_the_figures_is_what_took_place_in_the_period() {
        let all = vec![
            admin("late", "2026-03-02T09:00:00+08:00", "v1", "published"),
            admin("early", "2026-01-01T00:30:00+08:00", "v1", "published"),
            admin(
                "other-venue",
                "2026-02-01T09:00:00+08:00",
                "v2",
                "published",
            ),
            admin("called-off", "2026-02-01T09:00:00+08:00", "v1", "cancelled"),
            admin("draft", "2026-02-01T09:00:00+08:00", "v1", "draft"),
            // The evening before the period, in China (still the 31st there).
            admin(
                "new-year-eve",
                "2025-12-31T23:30:00+08:00",
                "v1",
                "published",
            ),
            admin(
                "next-quarter",
                "2026-04-01T09:00:00+08:00",
                "v1",
                "published",
            ),
            admin("not-yet", "2026-03-20T09:00:00+08:00", "v1", "published"),
        ];
        let filter = Filter {
            venue_id: Some("v1".into()),
            ..Filter::default()
        };
        let now = time::macros::datetime!(2026-03-10 12:00 +08:00);
        let ids: Vec<&str> = counted(
            &all,
            date!(2026 - 01 - 01),
            date!(2026 - 03 - 31),
            &filter,
            now,
        )
        .into_iter()
        .map(|o| o.offering.id.as_str())
        .collect();
        assert_eq!(ids, ["early", "late"]);
    }

    #[test]
    fn ratios_read_as_people_do() {
        assert_eq!(percent(Ratio { num: 1, den: 8 }).as_deref(), Some("12.5%"));
        assert_eq!(percent(Ratio::default()), None);
        assert_eq!(
            one_decimal(Ratio { num: 47, den: 10 }).as_deref(),
            Some("4.7")
        );
        assert_eq!(hours(90), "1.5");
    }
}
