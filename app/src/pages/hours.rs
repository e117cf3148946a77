//! 我的志愿时长 (`/me/hours`): credited hours per activity and the year's total against 20 hours;
//! and the printable certificate for a year (`/me/hours/{year}/certificate`). From the device:
//! the hours arrive with the person's registrations once the organizer's device has synced.

use crate::nav::{A, use_params_map};
use crate::{
    account::sign_in_href,
    components::field::OutcomeMessage,
    format,
    hours::{self, Ledger, YEARLY_GOAL_MINUTES},
    i18n::{Lang, Msg, use_i18n},
    state::{registrations::use_registrations, session::use_session, sync::use_sync},
};
use domain::{hours::HoursChange, sync::HoursRequestStatus};
use leptos::{ev::SubmitEvent, prelude::*};

fn ledger_for(year: i32) -> Memo<Ledger> {
    let sync = use_sync();
    let registrations = use_registrations();
    Memo::new(move |_| {
        registrations.list.with(|regs| {
            sync.offerings.with(|offerings| {
                hours::ledger(regs, offerings, year, format::now().unix_timestamp())
            })
        })
    })
}

/// `2026年12月5日` / `5 Dec 2026`.
pub(crate) fn day(lang: Lang, t: time::OffsetDateTime) -> String {
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
                    // Through the CSSOM (`style:`), which the content security policy allows;
                    // a `style` attribute would need `'unsafe-inline'` styles.
                    <span class="progress-bar" style:width=format!("{pct}%")></span>
                </div>
                <p class="hint">
                    {if left == 0 {
                        Msg::HoursGoalReached.text(lang).to_owned()
                    } else {
                        Msg::HoursGoalLeft.fill(lang, &[&hours::duration(lang, left)])
                    }}
                </p>
                {(l.pending_minutes > 0).then(|| view! {
                    <p class="hint" data-testid="hours-pending" data-minutes=l.pending_minutes>
                        {Msg::HoursPendingTotal.fill(lang, &[&hours::duration(lang, l.pending_minutes)])}
                    </p>
                })}
                <p class="hint">{Msg::HoursExplained.text(lang)}</p>
                <A href="/notices" attr:class="button button-quiet" attr:data-testid="notices-link">{Msg::NoticesLink.text(lang)}</A>
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
                        let pending = e.pending_until.map(|t| Msg::HoursPendingUntil.fill(lang, &[&day(lang, t)]));
                        view! {
                            <li class="ledger-entry" data-testid="ledger-entry" data-minutes=e.minutes data-offering=e.offering_id.clone()>
                                <div class="ledger-main">
                                    <A href=format!("/o/{}", crate::api::encode_query_value(&e.offering_id)) attr:class="ledger-title">{title}</A>
                                    <span class="card-meta">{day(lang, e.date)}</span>
                                    {(!flags.is_empty()).then(|| view! {
                                        <span class="ledger-flags">{flags.join(" · ")}</span>
                                    })}
                                    {pending.map(|p| view! {
                                        <span class="ledger-flags" data-testid="ledger-pending">{p}</span>
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
        <CorrectionRequests ledger=ledger />
        <MyChanges />
        <div class="actions">
            <A href=format!("/me/hours/{year}/certificate") attr:class="button" attr:data-testid="certificate-link">
                {move || i18n.f(Msg::CertificateLink, &[&year.to_string()])}
            </A>
        </div>
    }
}

/// 申请修正: asking for the hours of one of the year's activities to be corrected, with a
/// reason (queued on the device, sent when online), and the person's requests with their
/// outcome. What is typed lives with the year's screen, not with the list drawn from the sync.
#[component]
fn CorrectionRequests(ledger: Memo<Ledger>) -> impl IntoView {
    let i18n = use_i18n();
    let registrations = use_registrations();
    let target = RwSignal::new(String::new());
    let minutes = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, Msg)>);
    let sync = use_sync();
    let year = ledger.with_untracked(|l| l.year);
    let options = Memo::new(move |_| {
        let lang = i18n.lang.get();
        registrations.list.with(|regs| {
            sync.offerings.with(|offerings| {
                hours::correctable(regs, offerings, year, format::now().unix_timestamp())
                    .into_iter()
                    .map(|c| {
                        let title = c
                            .title
                            .unwrap_or_else(|| Msg::UnknownProgramme.text(lang).to_owned());
                        (
                            c.registration_id,
                            format!("{title} · {}", hours::duration(lang, c.minutes)),
                        )
                    })
                    .collect::<Vec<_>>()
            })
        })
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let id = target
            .get_untracked()
            .is_empty()
            .then(|| options.with_untracked(|o| o.first().map(|(id, _)| id.clone())))
            .flatten()
            .unwrap_or_else(|| target.get_untracked());
        let m = minutes
            .get_untracked()
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|m| *m <= domain::sync::MAX_CORRECTED_MINUTES);
        let Some(m) = m else {
            message.set(Some((false, Msg::RequestMinutesInvalid)));
            return;
        };
        let r = reason.get_untracked();
        if domain::admin::parse_reason(&r, true).is_err() {
            message.set(Some((false, Msg::RequestReasonNeeded)));
            return;
        }
        leptos::task::spawn_local(async move {
            match registrations.request_hours(&id, m, &r).await {
                Ok(()) => {
                    minutes.set(String::new());
                    reason.set(String::new());
                    message.set(Some((true, Msg::RequestSent)));
                }
                Err(e) => message.set(Some((false, e.msg()))),
            }
        });
    };
    // The person's own requests: those for their registrations (an organizer's device also
    // holds the requests they answer).
    let mine = Memo::new(move |_| {
        registrations.list.with(|regs| {
            registrations.hours_requests.with(|qs| {
                qs.iter()
                    .filter(|q| regs.iter().any(|r| r.id == q.row.registration_id))
                    .cloned()
                    .collect::<Vec<_>>()
            })
        })
    });
    let titles = move |registration_id: &str, lang: Lang| {
        let offering_id = registrations.list.with(|regs| {
            regs.iter()
                .find(|r| r.id == registration_id)
                .map(|r| r.offering_id.clone())
        });
        offering_id
            .and_then(|id| {
                sync.offerings
                    .with(|os| os.iter().find(|o| o.id == id).map(|o| o.plan.title.clone()))
            })
            .unwrap_or_else(|| Msg::UnknownProgramme.text(lang).to_owned())
    };
    view! {
        <Show when=move || options.with(|o| !o.is_empty())>
            <div class="card" data-testid="correction-request">
                <h2 class="card-title">{move || i18n.t(Msg::RequestFix)}</h2>
                <form class="form" novalidate=true on:submit=on_submit>
                    <div class="field">
                        <label class="field-label" for="request-target">{move || i18n.t(Msg::ColTitle)}</label>
                        <select
                            class="input select"
                            id="request-target"
                            prop:value=move || target.get()
                            on:change=move |ev| target.set(event_target_value(&ev))
                        >
                            {move || options.get().into_iter().map(|(id, label)| {
                                let selected = target.with_untracked(|t| *t == id);
                                view! { <option value=id selected=selected>{label}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label class="field-label" for="request-minutes">{move || i18n.t(Msg::RequestMinutes)}</label>
                        <input
                            class="input"
                            id="request-minutes"
                            inputmode="numeric"
                            maxlength="5"
                            prop:value=move || minutes.get()
                            on:input=move |ev| minutes.set(event_target_value(&ev))
                        />
                    </div>
                    <div class="field">
                        <label class="field-label" for="request-reason">{move || i18n.t(Msg::RequestReason)}</label>
                        <input
                            class="input"
                            id="request-reason"
                            maxlength="200"
                            prop:value=move || reason.get()
                            on:input=move |ev| reason.set(event_target_value(&ev))
                        />
                    </div>
                    <div class="actions">
                        <button type="submit" class="button button-primary" data-testid="request-submit">{move || i18n.t(Msg::RequestSubmit)}</button>
                    </div>
                </form>
                <OutcomeMessage outcome=message />
            </div>
        </Show>
        <Show when=move || mine.with(|m| !m.is_empty())>
            <div class="card" data-testid="my-requests">
                <h2 class="card-title">{move || i18n.t(Msg::RequestsTitle)}</h2>
                <ul class="ledger">
                    {move || {
                        let lang = i18n.lang.get();
                        mine.get().into_iter().map(|q| {
                            let status = match q.row.status {
                                HoursRequestStatus::Open => Msg::RequestStatusOpen.text(lang).to_owned(),
                                HoursRequestStatus::Accepted => Msg::RequestStatusAccepted.text(lang).to_owned(),
                                HoursRequestStatus::Declined => Msg::RequestStatusDeclined.fill(lang, &[&q.row.answer]),
                            };
                            let asked = Msg::RequestLine.fill(lang, &[
                                &hours::duration(lang, q.row.minutes),
                                &hours::duration(lang, q.row.current_minutes),
                                &q.row.reason,
                            ]);
                            view! {
                                <li class="ledger-entry" data-testid="my-request" data-status=q.row.status.as_str() data-pending=q.pending.to_string()>
                                    <div class="ledger-main">
                                        <span class="ledger-title">{titles(&q.row.registration_id, lang)}</span>
                                        <span class="card-meta">{asked}</span>
                                        <span class="ledger-flags" data-testid="request-status">
                                            {status}
                                            {q.pending.then(|| format!(" · {}", Msg::StatusPendingSync.text(lang)))}
                                        </span>
                                    </div>
                                </li>
                            }
                        }).collect_view()
                    }}
                </ul>
            </div>
        </Show>
    }
}

/// 时长变更记录: every change of the person's hours, from the server (online only).
#[component]
fn MyChanges() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let changes = RwSignal::new(None::<Result<Vec<HoursChange>, ()>>);
    let load = move |_| {
        let Some(token) = session.token() else {
            return;
        };
        leptos::task::spawn_local(async move {
            changes.set(Some(
                crate::api::my_hours_changes(&token).await.map_err(|_| ()),
            ));
        });
    };
    let cause = |lang: Lang, c: &str| match c {
        "auto_closed" => Msg::ChangeCauseAutoClosed.text(lang),
        "correction" => Msg::ChangeCauseCorrection.text(lang),
        "request" => Msg::ChangeCauseRequest.text(lang),
        _ => Msg::ChangeCauseScan.text(lang),
    };
    view! {
        <div class="card" data-testid="my-changes">
            <h2 class="card-title">{move || i18n.t(Msg::ChangesTitle)}</h2>
            {move || {
                let lang = i18n.lang.get();
                match changes.get() {
                    None => view! {
                        <button type="button" class="button" on:click=load data-testid="changes-load">{Msg::ChangesLoad.text(lang)}</button>
                    }.into_any(),
                    Some(Err(())) => view! { <p class="hint" role="alert">{Msg::ChangesError.text(lang)}</p> }.into_any(),
                    Some(Ok(list)) if list.is_empty() => view! { <p class="hint">{Msg::ChangesEmpty.text(lang)}</p> }.into_any(),
                    Some(Ok(list)) => view! {
                        <ul class="ledger">
                            {list.into_iter().map(|c| {
                                let when = time::OffsetDateTime::from_unix_timestamp(c.changed_at)
                                    .map(|t| day(lang, t))
                                    .unwrap_or_default();
                                let by = c.changed_by.clone().unwrap_or_else(|| Msg::ChangeBySystem.text(lang).to_owned());
                                view! {
                                    <li class="ledger-entry" data-testid="hours-change">
                                        <div class="ledger-main">
                                            <span class="ledger-title">{c.title.clone()}</span>
                                            <span class="card-meta">{format!("{when} · {by} · {}", cause(lang, &c.cause))}</span>
                                            {(!c.reason.is_empty()).then(|| view! { <span class="ledger-flags">{c.reason.clone()}</span> })}
                                        </div>
                                        <span class="ledger-hours">
                                            {Msg::ChangeLine.fill(lang, &[&hours::duration(lang, c.before_minutes), &hours::duration(lang, c.after_minutes)])}
                                        </span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            }}
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
    let print = move |_| crate::dom::print();
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
            .filter(|e| e.minutes > 0 && e.pending_until.is_none())
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
