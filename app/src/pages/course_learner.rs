//! A learner's course registration, beyond what every registration shows: the application
//! number, 确认/放弃 for a place won in the draw (queued, offline too), the lessons with the
//! attendance recorded so far, the certificate, and the rating after the last lesson. Shown
//! in 我的 and on the course's page; the printable certificate is `/me/courses/{registration
//! id}/certificate`.

use crate::nav::{A, use_params_map};
use crate::{
    account::sign_in_href,
    course::{self, LessonState},
    format,
    i18n::{Msg, use_i18n},
    state::{registrations::use_registrations, session::use_session, sync::use_sync},
};
use domain::{Offering, programme::course::CourseRules, registration::RegistrationStatus};
use engine::view::RegistrationView;
use leptos::{ev::SubmitEvent, prelude::*};

/// The course parts of the registration `registration_id` (nothing for other kinds).
#[component]
pub fn CourseParts(registration_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let registrations = use_registrations();
    let error = RwSignal::new(None::<String>);
    let declining = RwSignal::new(false);
    let reg = Memo::new(move |_| {
        registrations
            .list
            .with(|l| l.iter().find(|r| r.id == registration_id).cloned())
    });
    let offering =
        Memo::new(move |_| reg.with(|r| r.as_ref().and_then(|r| sync.offering(&r.offering_id))));
    let confirm = move |accept: bool| {
        let Some(id) = reg.with_untracked(|r| r.as_ref().map(|r| r.id.clone())) else {
            return;
        };
        declining.set(false);
        leptos::task::spawn_local(async move {
            let result = registrations.confirm(&id, accept).await;
            error.set(result.err().map(|e| e.text(i18n.lang.get_untracked())));
        });
    };
    let parts = move || {
        let lang = i18n.lang.get();
        let r = reg.get()?;
        let o = offering.get()?;
        let rules = o.plan.programme.course()?.clone();
        let now = format::now().unix_timestamp();
        let number = r.course.application_no.clone().map(|n| {
            view! { <p class="course-number" data-testid="application-no">{Msg::ApplicationNo.fill(lang, &[&n])}</p> }
        });
        let hint = course::hint(lang, &r)
            .map(|h| view! { <p class="hint" data-testid="course-hint">{h}</p> });
        let won = (r.status == RegistrationStatus::Won && !r.pending).then(|| {
            view! {
                <div class="actions course-confirm">
                    <Show
                        when=move || declining.get()
                        fallback=move || view! {
                            <button type="button" class="button button-primary" data-testid="confirm-place" on:click=move |_| confirm(true)>
                                {Msg::ConfirmPlace.text(lang)}
                            </button>
                            <button type="button" class="button" data-testid="decline-place" on:click=move |_| declining.set(true)>
                                {Msg::DeclinePlace.text(lang)}
                            </button>
                        }
                    >
                        <button type="button" class="button button-danger" data-testid="decline-sure" on:click=move |_| confirm(false)>
                            {Msg::DeclineSure.text(lang)}
                        </button>
                        <button type="button" class="button" on:click=move |_| declining.set(false)>
                            {Msg::CancelKeep.text(lang)}
                        </button>
                    </Show>
                </div>
            }
        });
        let learner = (r.status == RegistrationStatus::Confirmed).then(|| {
            let lessons = course::lessons(&rules, &r.course.lessons_attended, now);
            let rows = lessons
                .into_iter()
                .zip(&rules.lessons)
                .map(|((n, state), lesson)| {
                    let state_name = match state {
                        LessonState::Attended => "attended",
                        LessonState::Missed => "missed",
                        LessonState::Upcoming => "upcoming",
                    };
                    view! {
                        <li class="lesson" data-testid="lesson" data-state=state_name>
                            <span class="lesson-name">{Msg::LessonNumber.fill(lang, &[&n.to_string()])}</span>
                            <span class="lesson-when">{format::time_range(lang, lesson.starts_at, lesson.ends_at)}</span>
                            <span class=format!("lesson-state lesson-{state_name}")>{state.text(lang)}</span>
                        </li>
                    }
                })
                .collect_view();
            let certificate = r.course.certificate.is_some().then(|| {
                view! {
                    <div class="actions">
                        <A
                            href=format!("/me/courses/{}/certificate", crate::api::encode_query_value(&r.id))
                            attr:class="button button-primary"
                            attr:data-testid="course-certificate-link"
                        >
                            {Msg::CourseCertificateOpen.text(lang)}
                        </A>
                    </div>
                }
            });
            let rating = course::may_rate(&rules, &r, now).then(|| view! { <RatingForm registration=r.clone() /> });
            view! {
                <details class="course-lessons" data-testid="course-lessons">
                    <summary>
                        {Msg::AttendanceTitle.text(lang)} " · "
                        <span data-testid="attendance-count">
                            {Msg::AttendanceCount.fill(lang, &[&r.course.lessons_attended.len().to_string(), &rules.lessons.len().to_string()])}
                        </span>
                    </summary>
                    <ol class="lessons">{rows}</ol>
                </details>
                {certificate}
                {rating}
            }
        });
        let results = (o.plan.allocation == domain::registration::Allocation::Lottery).then(|| {
            view! {
                <A href=format!("/courses/{}/results", crate::api::encode_query_value(&o.id)) attr:class="text-link" attr:data-testid="results-link">
                    {Msg::ResultsLink.text(lang)}
                </A>
            }
        });
        Some(view! {
            <div class="course-parts" data-testid="course-parts">
                {number}
                {hint}
                {won}
                {learner}
                {results}
            </div>
        })
    };
    view! {
        {move || error.get().map(|e| view! { <p class="banner banner-error" role="alert">{e}</p> })}
        {parts}
    }
}

/// 1–5 stars and a comment, queued as `course.rate`; a rating given shows, and can be changed.
#[component]
fn RatingForm(registration: RegistrationView) -> impl IntoView {
    let i18n = use_i18n();
    let registrations = use_registrations();
    let given = registration.course.rating.clone();
    let stars = RwSignal::new(given.as_ref().map_or(0, |(s, _)| *s));
    let comment = RwSignal::new(given.as_ref().map(|(_, c)| c.clone()).unwrap_or_default());
    let problem = RwSignal::new(None::<Msg>);
    let failed = RwSignal::new(None::<String>);
    let id = registration.id.clone();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let (s, c) = (stars.get_untracked(), comment.get_untracked());
        if let Some(p) = course::rating_error(s, &c) {
            problem.set(Some(p));
            return;
        }
        problem.set(None);
        let id = id.clone();
        leptos::task::spawn_local(async move {
            let result = registrations.rate(&id, s, c.trim()).await;
            failed.set(result.err().map(|e| e.text(i18n.lang.get_untracked())));
        });
    };
    let pending = registration.course.rating_pending;
    let shown = given.map(|(s, _)| s);
    view! {
        <form class="form rating-form" novalidate=true on:submit=on_submit data-testid="rating-form">
            <h3 class="section-title">{move || i18n.t(Msg::RateTitle)}</h3>
            {shown.map(|s| view! {
                <p data-testid="rating-shown">
                    {move || i18n.f(Msg::RateShown, &[&s.to_string()])}
                    {pending.then(|| view! { " · " <span class="reg-pending">{move || i18n.t(Msg::StatusPendingSync)}</span> })}
                </p>
            })}
            <fieldset class="stars">
                <legend class="field-label">{move || i18n.t(Msg::RateStars)}</legend>
                {(1u8..=5)
                    .map(|n| view! {
                        <button
                            type="button"
                            class="chip star"
                            aria-pressed=move || (stars.get() == n).to_string()
                            aria-label=move || i18n.f(Msg::StarsN, &[&n.to_string()])
                            data-testid=format!("star-{n}")
                            on:click=move |_| stars.set(n)
                        >
                            {n} "★"
                        </button>
                    })
                    .collect_view()}
            </fieldset>
            <label class="field-label" for="rating_comment">{move || i18n.t(Msg::RateComment)}</label>
            <textarea
                id="rating_comment"
                class="input"
                rows="3"
                maxlength="300"
                prop:value=move || comment.get()
                on:input=move |ev| comment.set(event_target_value(&ev))
            ></textarea>
            {move || problem.get().map(|p| view! { <p class="field-error" role="alert">{i18n.t(p)}</p> })}
            {move || failed.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            <p class="hint">{move || i18n.t(Msg::RateEditHint)}</p>
            <button type="submit" class="button button-primary" data-testid="rate-submit">
                {move || i18n.t(if shown.is_some() { Msg::RateUpdate } else { Msg::RateSubmit })}
            </button>
        </form>
    }
}

/// The printable completion certificate of one course registration.
#[component]
pub fn CourseCertificate() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let session = use_session();
    let sync = use_sync();
    let registrations = use_registrations();
    let id = params.with_untracked(|p| p.get("id").unwrap_or_default());
    let path = format!(
        "/me/courses/{}/certificate",
        crate::api::encode_query_value(&id)
    );
    let print = move |_| crate::dom::print();
    let found = Memo::new(move |_| {
        let r = registrations
            .list
            .with(|l| l.iter().find(|r| r.id == id).cloned())?;
        let code = r.course.certificate.clone()?;
        let o: Offering = sync.offering(&r.offering_id)?;
        Some((r, code, o))
    });
    let body = move || {
        let lang = i18n.lang.get();
        let Some(user) = session.user() else {
            return view! {
                <div class="card">
                    <p>{Msg::MeSignedOutIntro.text(lang)}</p>
                    <div class="actions">
                        <A href=sign_in_href(&path) attr:class="button button-primary">{Msg::SignIn.text(lang)}</A>
                    </div>
                </div>
            }
            .into_any();
        };
        let Some((r, code, o)) = found.get() else {
            return view! { <p class="card hint">{Msg::Loading.text(lang)}</p> }.into_any();
        };
        let rules: CourseRules = o.plan.programme.course().cloned().unwrap_or_default();
        let check = course::verify_href(&code);
        view! {
            <article class="certificate" data-testid="course-certificate">
                <h1 class="certificate-title">{Msg::CourseCertificateTitle.text(lang)}</h1>
                <p class="certificate-text">
                    {Msg::CourseCertificateBody.fill(
                        lang,
                        &[
                            &user.display_name,
                            &o.plan.title,
                            &rules.term,
                            &r.course.lessons_attended.len().to_string(),
                            &rules.lessons.len().to_string(),
                        ],
                    )}
                </p>
                <p class="certificate-basis">{Msg::CertificateCode.text(lang)}</p>
                <code class="certificate-code" data-testid="certificate-code">{code.clone()}</code>
                <p class="certificate-basis">{Msg::CertificateCheckAt.text(lang)}</p>
                <p class="certificate-check">
                    <A href=check.clone() attr:class="text-link" attr:data-testid="certificate-check-link">
                        {Msg::CertificateCheckLink.text(lang)}
                    </A>
                </p>
                <p class="certificate-issuer">{Msg::CertificateIssuer.text(lang)}</p>
            </article>
            <div class="actions no-print">
                <button type="button" class="button button-primary" on:click=print>{Msg::Print.text(lang)}</button>
                <A href="/me" attr:class="button">{Msg::MeTitle.text(lang)}</A>
            </div>
        }
        .into_any()
    };
    view! { <section class="page certificate-page">{body}</section> }
}
