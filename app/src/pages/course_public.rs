//! Night school's two public pages, open without signing in: a course's draw results (公示,
//! `/courses/{id}/results`) with the recompute of the draw in the browser, and the check of a
//! completion certificate (`/certificates/verify?code=…`). Both need the network: they show
//! what the server publishes now.

use crate::nav::{A, use_navigate, use_params_map, use_query_map};
use crate::{
    api::{self, ApiError},
    course,
    i18n::{Msg, use_i18n},
};
use domain::{ErrorCode, certificate::CertificateClaims};
use leptos::{ev::SubmitEvent, prelude::*};

/// Why a public page could not be shown.
fn load_error(e: &ApiError) -> Msg {
    match e {
        ApiError::Network(_) => Msg::NeedsNetwork,
        _ if e.code() == Some(ErrorCode::NotFound) => Msg::ResultsMissing,
        _ => Msg::ErrUnexpected,
    }
}

/// 抽签公示: the frozen list's hash and the seed commitment, then the revealed seed, the public
/// value and the ordered results, and 重新计算.
#[component]
pub fn CourseResults() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = params.with_untracked(|p| p.get("id").unwrap_or_default());
    // The page's data as shown: the recompute reads exactly this. On a first visit the page
    // came with it.
    let first = crate::first::take_course_results(&id);
    let seeded = first.is_some();
    let shown = RwSignal::new(first);
    let failed = RwSignal::new(None::<Msg>);
    let checked = RwSignal::new(None::<Result<(), domain::draw::Mismatch>>);
    if !seeded {
        let id = id.clone();
        leptos::task::spawn_local(async move {
            match api::course_results(&id).await {
                Ok(r) => shown.set(Some(r)),
                Err(e) => failed.set(Some(load_error(&e))),
            }
        });
    }
    let recompute = move |_| {
        checked.set(shown.with_untracked(|r| r.as_ref().and_then(course::recompute)));
    };
    let body = move || {
        let lang = i18n.lang.get();
        if let Some(msg) = failed.get() {
            return view! { <p class="card hint" role="alert" data-testid="results-error">{msg.text(lang)}</p> }
                .into_any();
        }
        let Some(r) = shown.get() else {
            return view! { <p class="empty" aria-busy="true">{Msg::Loading.text(lang)}</p> }
                .into_any();
        };
        let frozen = match &r.frozen {
            Some(f) => {
                let entries = f
                    .entries
                    .iter()
                    .map(|e| {
                        view! {
                            <li>
                                <code>{e.number.clone()}</code>
                                " "
                                <span class="quiet">{Msg::ResultsTier.fill(lang, &[&e.tier.to_string()])}</span>
                            </li>
                        }
                    })
                    .collect_view();
                view! {
                    <div class="card" data-testid="results-frozen">
                        <dl class="facts">
                            <dt>{Msg::ResultsFrozenAt.text(lang)}</dt>
                            <dd>{course::unix_time(lang, f.frozen_at)}</dd>
                            <dt>{Msg::ResultsListHash.text(lang)}</dt>
                            <dd><code class="hash" data-testid="list-hash">{f.list_hash.clone()}</code></dd>
                            <dt>{Msg::ResultsCommitment.text(lang)}</dt>
                            <dd><code class="hash" data-testid="commitment">{f.commitment.clone()}</code></dd>
                        </dl>
                        <details class="results-entries">
                            <summary>{Msg::ResultsEntries.fill(lang, &[&f.entries.len().to_string()])}</summary>
                            <ul>{entries}</ul>
                        </details>
                    </div>
                }
                .into_any()
            }
            None => view! { <p class="card hint" data-testid="results-not-frozen">{Msg::ResultsNotFrozen.text(lang)}</p> }
                .into_any(),
        };
        let drawn = match &r.drawn {
            Some(d) => {
                let mut rows = d.results.clone();
                rows.sort_by_key(|row| row.position);
                let rows = rows
                    .into_iter()
                    .map(|row| {
                        view! {
                            <tr data-testid="result-row" data-outcome=row.outcome.clone()>
                                <td class="num">{row.position}</td>
                                <td><code>{row.number.clone()}</code></td>
                                <td>{row.name.clone()}</td>
                                <td>{row.phone_last4.clone()}</td>
                                <td>{course::outcome_text(lang, &row.outcome)}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                let public_value = if d.draw.public_value.is_empty() {
                    Msg::ResultsNone.text(lang).to_owned()
                } else {
                    d.draw.public_value.clone()
                };
                view! {
                    <div class="card" data-testid="results-drawn">
                        <dl class="facts">
                            <dt>{Msg::ResultsDrawnAt.text(lang)}</dt>
                            <dd>{course::unix_time(lang, d.drawn_at)}</dd>
                            <dt>{Msg::ResultsSeed.text(lang)}</dt>
                            <dd><code class="hash" data-testid="seed">{d.draw.seed.clone()}</code></dd>
                            <dt>{Msg::ResultsPublicValue.text(lang)}</dt>
                            <dd data-testid="public-value">{public_value}</dd>
                        </dl>
                        <h2 class="section-title">{Msg::ResultsOrder.text(lang)}</h2>
                        // Scrolls sideways on a phone: focusable, so a keyboard can scroll it.
                        <div class="table-scroll" tabindex="0" role="region" aria-label=Msg::ResultsOrder.text(lang)>
                            <table class="table results-table">
                                <thead>
                                    <tr>
                                        <th class="num">{Msg::ColPosition.text(lang)}</th>
                                        <th>{Msg::ColNumber.text(lang)}</th>
                                        <th>{Msg::ColName.text(lang)}</th>
                                        <th>{Msg::ColPhone.text(lang)}</th>
                                        <th>{Msg::ColOutcome.text(lang)}</th>
                                    </tr>
                                </thead>
                                <tbody>{rows}</tbody>
                            </table>
                        </div>
                        <p class="hint">{Msg::RecomputeHint.text(lang)}</p>
                        <div class="actions">
                            <button type="button" class="button button-primary" data-testid="recompute" on:click=recompute>
                                {Msg::Recompute.text(lang)}
                            </button>
                        </div>
                        {move || checked.get().map(|found| {
                            let ok = found.is_ok();
                            view! {
                                <p
                                    class="banner"
                                    class:banner-ok=ok
                                    class:banner-error=!ok
                                    role="status"
                                    data-testid="recompute-result"
                                    data-matches=ok.to_string()
                                >
                                    {course::recompute_text(i18n.lang.get(), &found)}
                                </p>
                            }
                        })}
                    </div>
                }
                .into_any()
            }
            None => (r.frozen.is_some())
                .then(|| view! { <p class="card hint" data-testid="results-not-drawn">{Msg::ResultsNotDrawnYet.text(lang)}</p> })
                .into_any(),
        };
        view! {
            <div class="card">
                <h2 class="card-title" data-testid="results-course">{r.title.clone()}</h2>
                <dl class="facts">
                    <dt>{Msg::ResultsCloses.text(lang)}</dt>
                    <dd>{course::unix_time(lang, r.closes_at)}</dd>
                    <dt>{Msg::ResultsPlaces.text(lang)}</dt>
                    <dd>{r.capacity}</dd>
                    <dt>{Msg::ResultsApplications.text(lang)}</dt>
                    <dd data-testid="results-applications">{r.applications}</dd>
                </dl>
            </div>
            {frozen}
            {drawn}
        }
        .into_any()
    };
    let back = format!("/o/{}", api::encode_query_value(&id));
    view! {
        <section class="page results-page" data-testid="results-page">
            <A href=back attr:class="button button-quiet back-link">{move || i18n.t(Msg::BackToList)}</A>
            <h1 class="page-title">{move || i18n.t(Msg::ResultsTitle)}</h1>
            {body}
        </section>
    }
}

/// What the check of a code found.
#[derive(Debug, Clone, PartialEq)]
enum Check {
    Checking,
    Valid(CertificateClaims),
    Invalid,
    Failed(Msg),
}

/// 结业证书核验: a code from the address or pasted into the form, checked by the server.
#[component]
pub fn CertificateCheck() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let navigate = use_navigate();
    let code =
        Memo::new(move |_| query.with(|q| q.get("code").unwrap_or_default().trim().to_owned()));
    let typed = RwSignal::new(code.get_untracked());
    let check = RwSignal::new(None::<Check>);
    Effect::new(move |_| {
        let code = code.get();
        typed.set(code.clone());
        if code.is_empty() {
            check.set(None);
            return;
        }
        check.set(Some(Check::Checking));
        leptos::task::spawn_local(async move {
            let found = match api::verify_certificate(&code).await {
                Ok(claims) => Check::Valid(claims),
                Err(ApiError::Network(_)) => Check::Failed(Msg::NeedsNetwork),
                Err(e) if e.code() == Some(ErrorCode::InvalidField) => Check::Invalid,
                Err(_) => Check::Failed(Msg::ErrUnexpected),
            };
            check.set(Some(found));
        });
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let code = typed.get_untracked().trim().to_owned();
        if !code.is_empty() {
            navigate(&course::verify_href(&code));
        }
    };
    let outcome = move || {
        let lang = i18n.lang.get();
        check.get().map(|c| match c {
            Check::Checking => view! { <p class="empty" aria-busy="true">{Msg::Loading.text(lang)}</p> }.into_any(),
            Check::Valid(claims) => view! {
                <div class="card verify-valid" data-testid="certificate-valid">
                    <p class="banner banner-ok" role="status">{Msg::VerifyValid.text(lang)}</p>
                    <dl class="facts">
                        <dt>{Msg::FactLearner.text(lang)}</dt>
                        <dd data-testid="certificate-name">{claims.name.clone()}</dd>
                        <dt>{Msg::FactCourse.text(lang)}</dt>
                        <dd data-testid="certificate-course">{claims.title.clone()}</dd>
                        <dt>{Msg::FactTerm.text(lang)}</dt>
                        <dd>{claims.term.clone()}</dd>
                        <dt>{Msg::FactAttended.text(lang)}</dt>
                        <dd data-testid="certificate-attended">
                            {Msg::AttendedOf.fill(lang, &[&claims.attended.to_string(), &claims.lessons.to_string()])}
                        </dd>
                    </dl>
                </div>
            }
            .into_any(),
            Check::Invalid => view! {
                <p class="card banner banner-error" role="alert" data-testid="certificate-invalid">{Msg::VerifyInvalid.text(lang)}</p>
            }
            .into_any(),
            Check::Failed(msg) => view! {
                <p class="card banner banner-error" role="alert" data-testid="certificate-error">{msg.text(lang)}</p>
            }
            .into_any(),
        })
    };
    view! {
        <section class="page verify-page" data-testid="verify-page">
            <h1 class="page-title">{move || i18n.t(Msg::VerifyTitle)}</h1>
            <form class="card form" novalidate=true on:submit=on_submit data-testid="verify-form">
                <p class="hint">{move || i18n.t(Msg::VerifyIntro)}</p>
                <label class="field-label" for="certificate_code">{move || i18n.t(Msg::CertificateCode)}</label>
                <textarea
                    id="certificate_code"
                    class="input verify-code"
                    rows="3"
                    autocomplete="off"
                    spellcheck="false"
                    prop:value=move || typed.get()
                    on:input=move |ev| typed.set(event_target_value(&ev))
                ></textarea>
                <button type="submit" class="button button-primary button-block">{move || i18n.t(Msg::VerifySubmit)}</button>
            </form>
            {outcome}
        </section>
    }
}
