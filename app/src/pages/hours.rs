//! 我的志愿时长 (`/me/hours`): credited hours per activity and the year's total against 20 hours;
//! and the printable certificate for a year (`/me/hours/{year}/certificate`). From the device:
//! the hours arrive with the person's registrations once the organizer's device has synced.

use crate::nav::{A, use_params_map};
use crate::{
    account::sign_in_href,
    format,
    hours::{self, Ledger, YEARLY_GOAL_MINUTES},
    i18n::{Msg, use_i18n},
    state::{registrations::use_registrations, session::use_session, sync::use_sync},
};
use leptos::prelude::*;

fn ledger_for(year: i32) -> Memo<Ledger> {
    let sync = use_sync();
    let registrations = use_registrations();
    Memo::new(move |_| {
        registrations.list.with(|regs| {
            sync.offerings
                .with(|offerings| hours::ledger(regs, offerings, year))
        })
    })
}

/// `2026年12月5日` / `5 Dec 2026`.
fn day(lang: crate::i18n::Lang, t: time::OffsetDateTime) -> String {
    let t = format::in_china(t);
    Msg::DateLong.fill(
        lang,
        &[
            &t.year().to_string(),
            &(t.month() as u8).to_string(),
            &t.day().to_string(),
        ],
    )
}

/// The ledger with a year switch.
#[component]
pub fn Hours() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let sync = use_sync();
    let registrations = use_registrations();
    let current = format::current_year();
    let year = RwSignal::new(current);
    let years = Memo::new(move |_| {
        registrations.list.with(|regs| {
            sync.offerings
                .with(|offerings| hours::years(regs, offerings, current))
        })
    });
    let signed_in = Memo::new(move |_| session.session.with(Option::is_some));
    view! {
        <section class="page">
            <h1 class="page-title">{move || i18n.t(Msg::HoursTitle)}</h1>
            <Show
                when=move || signed_in.get()
                fallback=move || view! {
                    <div class="card">
                        <p>{move || i18n.t(Msg::MeSignedOutIntro)}</p>
                        <div class="actions">
                            <A href=sign_in_href("/me/hours") attr:class="button button-primary">{move || i18n.t(Msg::SignIn)}</A>
                        </div>
                    </div>
                }
            >
                <Show when=move || { years.with(|y| y.len() > 1) }>
                    <div class="chips" role="group" aria-label=move || i18n.t(Msg::HoursYear)>
                        <For each=move || years.get() key=|y| *y let:y>
                            <button
                                type="button"
                                class="chip"
                                aria-pressed=move || (year.get() == y).to_string()
                                on:click=move |_| year.set(y)
                            >
                                {move || i18n.f(Msg::YearLabel, &[&y.to_string()])}
                            </button>
                        </For>
                    </div>
                </Show>
                {move || {
                    if sync.ready.get() {
                        view! { <YearLedger year=year.get() /> }.into_any()
                    } else {
                        view! { <p class="empty" aria-busy="true">{i18n.t(Msg::Loading)}</p> }.into_any()
                    }
                }}
            </Show>
        </section>
    }
}

#[component]
fn YearLedger(year: i32) -> impl IntoView {
    let i18n = use_i18n();
    let ledger = ledger_for(year);
    let summary = move || {
        let lang = i18n.lang.get();
        let l = ledger.get();
        let pct = l.goal_percent();
        let left = YEARLY_GOAL_MINUTES.saturating_sub(l.total_minutes);
        view! {
            <div class="card hours-summary" data-testid="hours-total" data-minutes=l.total_minutes>
                <p class="hours-caption">{Msg::HoursTotalOf.fill(lang, &[&year.to_string()])}</p>
                <p class="hours-big">{hours::duration(lang, l.total_minutes)}</p>
                <div
                    class="progress"
                    role="progressbar"
                    aria-label=Msg::HoursGoal.text(lang)
                    aria-valuemin="0"
                    aria-valuemax="100"
                    aria-valuenow=pct
                >
                    <span class="progress-bar" style=format!("width: {pct}%")></span>
                </div>
                <p class="hint">
                    {if left == 0 {
                        Msg::HoursGoalReached.text(lang).to_owned()
                    } else {
                        Msg::HoursGoalLeft.fill(lang, &[&hours::duration(lang, left)])
                    }}
                </p>
                <p class="hint">{Msg::HoursExplained.text(lang)}</p>
            </div>
        }
    };
    let entries = move || {
        let lang = i18n.lang.get();
        let l = ledger.get();
        if l.entries.is_empty() {
            return view! {
                <p class="empty" data-testid="ledger-empty">{Msg::LedgerEmpty.fill(lang, &[&year.to_string()])}</p>
            }
            .into_any();
        }
        view! {
            <ul class="ledger card" data-testid="ledger">
                {l.entries
                    .into_iter()
                    .map(|e| {
                        let title = e.title.clone().unwrap_or_else(|| Msg::UnknownProgramme.text(lang).to_owned());
                        let flags: Vec<&'static str> = e.flags.iter().map(|f| hours::flag(lang, f)).collect();
                        view! {
                            <li class="ledger-entry" data-testid="ledger-entry" data-minutes=e.minutes data-offering=e.offering_id.clone()>
                                <div class="ledger-main">
                                    <A href=format!("/o/{}", crate::api::encode_query_value(&e.offering_id)) attr:class="ledger-title">{title}</A>
                                    <span class="card-meta">{day(lang, e.date)}</span>
                                    {(!flags.is_empty()).then(|| view! {
                                        <span class="ledger-flags">{flags.join(" · ")}</span>
                                    })}
                                </div>
                                <span class="ledger-hours">{hours::duration(lang, e.minutes)}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        {summary}
        {entries}
        <div class="actions">
            <A href=format!("/me/hours/{year}/certificate") attr:class="button" attr:data-testid="certificate-link">
                {move || i18n.f(Msg::CertificateLink, &[&year.to_string()])}
            </A>
        </div>
    }
}

/// The printable certificate of a year's hours.
#[component]
pub fn Certificate() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let session = use_session();
    let year = params.with_untracked(|p| {
        p.get("year")
            .and_then(|y| y.parse::<i32>().ok())
            .filter(|y| (2000..=9999).contains(y))
            .unwrap_or_else(format::current_year)
    });
    let ledger = ledger_for(year);
    let print = move |_| {
        #[cfg(target_arch = "wasm32")]
        if let Err(e) = window().print() {
            leptos::logging::warn!("printing failed: {e:?}");
        }
    };
    let body = move || {
        let lang = i18n.lang.get();
        let Some(user) = session.user() else {
            return view! {
                <div class="card">
                    <p>{Msg::MeSignedOutIntro.text(lang)}</p>
                    <div class="actions">
                        <A href=sign_in_href(&format!("/me/hours/{year}/certificate")) attr:class="button button-primary">{Msg::SignIn.text(lang)}</A>
                    </div>
                </div>
            }
            .into_any();
        };
        let l = ledger.get();
        let last4: String = user
            .phone
            .chars()
            .rev()
            .take(4)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let credited: Vec<_> = l
            .entries
            .iter()
            .filter(|e| e.minutes > 0)
            .cloned()
            .collect();
        view! {
            <article class="certificate" data-testid="certificate" data-minutes=l.total_minutes>
                <h1 class="certificate-title">{Msg::CertificateTitle.text(lang)}</h1>
                <p class="certificate-text">
                    {Msg::CertificateBody.fill(
                        lang,
                        &[
                            &user.display_name,
                            &last4,
                            &year.to_string(),
                            &credited.len().to_string(),
                            &hours::duration(lang, l.total_minutes),
                        ],
                    )}
                </p>
                <table class="table certificate-table">
                    <thead>
                        <tr>
                            <th>{Msg::ColTitle.text(lang)}</th>
                            <th>{Msg::ColDate.text(lang)}</th>
                            <th class="num">{Msg::ColHours.text(lang)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {credited.is_empty().then(|| view! {
                            <tr><td colspan="3">{Msg::LedgerEmpty.fill(lang, &[&year.to_string()])}</td></tr>
                        })}
                        {credited
                            .into_iter()
                            .map(|e| view! {
                                <tr>
                                    <td>{e.title.clone().unwrap_or_else(|| Msg::UnknownProgramme.text(lang).to_owned())}</td>
                                    <td>{day(lang, e.date)}</td>
                                    <td class="num">{hours::duration(lang, e.minutes)}</td>
                                </tr>
                            })
                            .collect_view()}
                    </tbody>
                </table>
                <p class="certificate-basis">{Msg::CertificateBasis.text(lang)}</p>
                <p class="certificate-issuer">{Msg::CertificateIssuer.text(lang)}</p>
                <p class="certificate-date">{day(lang, format::now())}</p>
            </article>
            <div class="actions no-print">
                <button type="button" class="button button-primary" on:click=print>{Msg::Print.text(lang)}</button>
                <A href="/me/hours" attr:class="button">{Msg::BackToHours.text(lang)}</A>
            </div>
        }
        .into_any()
    };
    view! { <section class="page certificate-page">{body}</section> }
}
