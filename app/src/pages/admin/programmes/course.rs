//! A lottery course's panel in the programmes list: how it stands (applications, winners and
//! their confirmations, the waitlist, attendance per lesson, completion, ratings without
//! names), the draw (once, after the close, with the public value), and the public results.

use crate::{
    account::general_error_msg,
    api,
    components::field::OutcomeMessage,
    i18n::{Msg, StaffMsg, use_i18n},
    pages::workbook::{WorkbookButton, offering_file_name, offering_path},
    state::session::use_session,
};
use domain::{ErrorCode, programme::course::CourseSummary, registration::RegistrationStatus};
use leptos::{ev::SubmitEvent, prelude::*};

/// What a refused draw means, in words.
fn draw_error(e: &api::ApiError, drawn: bool) -> Msg {
    match e.code() {
        Some(ErrorCode::Conflict) if drawn => Msg::DrawAlreadyRun,
        Some(ErrorCode::Conflict) => Msg::DrawNotYet,
        Some(ErrorCode::InvalidField) => Msg::DrawPublicValueInvalid,
        _ => general_error_msg(e, Msg::AdminNeedsNetworkOfferings),
    }
}

/// The course's panel: opened from its row.
#[component]
pub(super) fn CoursePanel(offering_id: String, title: String) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let id = StoredValue::new(offering_id);
    let title = StoredValue::new(title);
    let summary = RwSignal::new(None::<CourseSummary>);
    let message = RwSignal::new(None::<(bool, Msg)>);
    let busy = RwSignal::new(false);
    let public_value = RwSignal::new(String::new());
    let load = move || {
        let Some(token) = session.token() else { return };
        leptos::task::spawn_local(async move {
            let result = session.guard(&token, api::course_summary(&token, &id.get_value()).await);
            match result {
                Ok(s) => summary.set(Some(s)),
                Err(e) => message.set(Some((
                    false,
                    general_error_msg(&e, Msg::AdminNeedsNetworkOfferings),
                ))),
            }
        });
    };
    load();
    let draw = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(token) = session.token() else { return };
        busy.set(true);
        message.set(None);
        leptos::task::spawn_local(async move {
            let value = public_value.get_untracked();
            let result =
                session.guard(&token, api::run_draw(&token, &id.get_value(), &value).await);
            busy.set(false);
            let drawn = summary.with_untracked(|s| s.as_ref().is_some_and(|s| s.drawn));
            match result {
                Ok(_) => {
                    message.set(Some((true, Msg::DrawDone)));
                    load();
                }
                Err(e) => message.set(Some((false, draw_error(&e, drawn)))),
            }
        });
    };
    let results_href = move || format!("/courses/{}/results", id.get_value());
    let line = move |msg: Msg, n: u64| i18n.f(msg, &[&n.to_string()]);
    view! {
        <section class="course-panel" data-testid="course-panel">
            {move || summary.get().map(|s| {
                let stands = [
                    (Msg::CourseApplications, s.count(RegistrationStatus::LotteryEntered)),
                    (Msg::CourseWon, s.count(RegistrationStatus::Won)),
                    (Msg::CourseConfirmed, s.count(RegistrationStatus::Confirmed)),
                    (Msg::CourseWaitlisted, s.count(RegistrationStatus::Waitlisted)),
                    (Msg::CourseCompleted, s.completed),
                ];
                let attendance = s.attendance.iter().enumerate().map(|(i, n)| {
                    view! {
                        <li>{i18n.f(Msg::CourseLessonAttendance, &[&(i + 1).to_string(), &n.to_string()])}</li>
                    }
                }).collect::<Vec<_>>();
                let comments = s.ratings.comments.iter().map(|c| view! { <li>{c.clone()}</li> }).collect::<Vec<_>>();
                view! {
                    <ul class="course-stands" data-testid="course-stands">
                        {stands.into_iter().filter(|(_, n)| *n > 0).map(|(m, n)| view! { <li>{line(m, n)}</li> }).collect::<Vec<_>>()}
                    </ul>
                    {(!s.attendance.is_empty()).then(|| view! {
                        <h3 class="course-sub">{i18n.t(Msg::CourseAttendanceTitle)}</h3>
                        <ul class="course-attendance" data-testid="course-attendance">{attendance}</ul>
                    })}
                    {(s.ratings.count > 0).then(|| view! {
                        <h3 class="course-sub" data-testid="course-ratings">{i18n.f(Msg::CourseRatingsTitle, &[&format!("{:.1}", s.ratings.average), &s.ratings.count.to_string()])}</h3>
                        <ul class="course-comments" data-testid="course-comments">{comments}</ul>
                    })}
                    {(!s.drawn).then(|| view! {
                        <form class="form draw-form" novalidate=true on:submit=draw>
                            <div class="field">
                                <label class="field-label" for="draw-public-value">{i18n.t(Msg::DrawPublicValue)}</label>
                                <p class="field-hint">{i18n.t(Msg::DrawPublicValueHint)}</p>
                                <input
                                    class="input"
                                    id="draw-public-value"
                                    data-testid="draw-public-value"
                                    maxlength="200"
                                    prop:value=move || public_value.get()
                                    on:input=move |ev| public_value.set(event_target_value(&ev))
                                />
                            </div>
                            <button type="submit" class="button button-primary" data-testid="run-draw"
                                disabled=move || busy.get() || !s.frozen>
                                {i18n.t(if s.frozen { Msg::RunDraw } else { Msg::DrawNotYet })}
                            </button>
                        </form>
                    })}
                }
            })}
            <div class="toolbar">
                <a class="button" href=results_href target="_blank" rel="noopener">{move || i18n.t(Msg::DrawResultsLink)}</a>
                <WorkbookButton
                    label=Signal::derive(move || i18n.s(StaffMsg::AttendanceXlsx).to_owned())
                    path=Signal::derive(move || offering_path(&id.get_value(), "attendance.xlsx"))
                    file_name=Signal::derive(move || offering_file_name(i18n.lang.get(), StaffMsg::AttendanceFileName, &title.get_value()))
                    testid="attendance-xlsx"
                />
                {move || summary.with(|s| s.as_ref().is_some_and(|s| s.drawn)).then(|| view! {
                    <WorkbookButton
                        label=Signal::derive(move || i18n.s(StaffMsg::DrawXlsx).to_owned())
                        path=Signal::derive(move || offering_path(&id.get_value(), "draw.xlsx"))
                        file_name=Signal::derive(move || offering_file_name(i18n.lang.get(), StaffMsg::DrawFileName, &title.get_value()))
                        testid="draw-xlsx"
                    />
                })}
            </div>
            <OutcomeMessage outcome=message />
        </section>
    }
}
