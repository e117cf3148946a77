//! 时长修正申请: volunteers' requests to correct their hours at this activity, for its
//! organizers (and admins) to accept or decline with a reason, offline like every action.
//! Rows are keyed by request, so a reason being typed stays through syncs.

use crate::{
    hours,
    i18n::{Msg, StaffMsg, use_i18n},
    state::registrations::use_registrations,
};
use domain::sync::HoursRequestStatus;
use engine::view::HoursRequestView;
use leptos::prelude::*;

/// The open requests of `offering_id` (and those answered here, until the server has them),
/// shown only when there are some; without `offering_id`, those of every activity the device
/// holds (an admin's list, in the admin area), each with its activity's title, and a line
/// saying so when there are none.
#[component]
pub(crate) fn HoursRequests(
    #[prop(optional)] offering_id: Option<StoredValue<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let registrations = use_registrations();
    let every = offering_id.is_none();
    let shown = Memo::new(move |_| {
        let id = offering_id.map(|id| id.get_value());
        registrations.hours_requests.with(|qs| {
            qs.iter()
                .filter(|q| {
                    id.as_ref().is_none_or(|id| q.row.offering_id == *id)
                        && (q.row.status == HoursRequestStatus::Open || q.pending)
                })
                .map(|q| q.row.id.clone())
                .collect::<Vec<_>>()
        })
    });
    let item = move |id: String| {
        let key = id.clone();
        let q = Memo::new(move |_| {
            registrations
                .hours_requests
                .with(|qs| qs.iter().find(|q| q.row.id == key).cloned())
        });
        view! { <RequestRow id=id request=q show_title=every /> }
    };
    view! {
        <Show when=move || every || shown.with(|s| !s.is_empty())>
            <div class="card" data-testid="hours-requests">
                <h2 class="card-title">{move || i18n.s(StaffMsg::RequestsStaffTitle)}</h2>
                <Show
                    when=move || shown.with(|s| !s.is_empty())
                    fallback=move || view! {
                        <p class="hint" data-testid="hours-requests-none">{move || i18n.s(StaffMsg::RequestsStaffNone)}</p>
                    }
                >
                    <ul class="people">
                        <For each=move || shown.get() key=|id| id.clone() children=item />
                    </ul>
                </Show>
            </div>
        </Show>
    }
}

#[component]
fn RequestRow(
    id: String,
    request: Memo<Option<HoursRequestView>>,
    /// Whether to name the activity (in a list across activities).
    show_title: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let registrations = use_registrations();
    let reason = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let id = StoredValue::new(id);
    let answer = move |accept: bool| {
        let r = reason.get_untracked();
        let lang = i18n.lang.get_untracked();
        if !accept && r.trim().is_empty() {
            message.set(Some((
                false,
                StaffMsg::RequestDeclineNeedsReason.text(lang).to_owned(),
            )));
            return;
        }
        if domain::admin::parse_reason(&r, false).is_err() {
            message.set(Some((
                false,
                Msg::RequestReasonNeeded.text(lang).to_owned(),
            )));
            return;
        }
        leptos::task::spawn_local(async move {
            match registrations
                .answer_hours(&id.get_value(), accept, &r)
                .await
            {
                Ok(()) => message.set(Some((
                    true,
                    StaffMsg::RequestAnswered.text(lang).to_owned(),
                ))),
                Err(e) => message.set(Some((false, e.msg().text(lang).to_owned()))),
            }
        });
    };
    let reason_id = format!("answer-reason-{}", id.get_value());
    view! {
        <li class="person" data-testid="hours-request" data-name=move || request.with(|q| q.as_ref().map(|q| q.row.display_name.clone()).unwrap_or_default())>
            {move || {
                let lang = i18n.lang.get();
                request.get().map(|q| view! {
                    {(show_title && !q.row.offering_title.is_empty()).then(|| view! {
                        <p class="card-meta" data-testid="hours-request-activity">{q.row.offering_title.clone()}</p>
                    })}
                    <p class="person-name">
                        {StaffMsg::RequestStaffLine.fill(lang, &[
                            &q.row.display_name,
                            &hours::duration(lang, q.row.minutes),
                            &hours::duration(lang, q.row.current_minutes),
                        ])}
                    </p>
                    <p class="card-meta">{q.row.reason.clone()}</p>
                    {q.pending.then(|| view! { <p class="hint">{StaffMsg::RequestWaitingSync.text(lang)}</p> })}
                })
            }}
            <Show when=move || request.with(|q| q.as_ref().is_some_and(|q| q.row.status == HoursRequestStatus::Open))>
                <div class="field">
                    <label class="field-label" for=reason_id.clone()>{move || i18n.s(StaffMsg::RequestDeclineReason)}</label>
                    <input
                        class="input"
                        id=reason_id.clone()
                        maxlength="200"
                        prop:value=move || reason.get()
                        on:input=move |ev| reason.set(event_target_value(&ev))
                    />
                </div>
                <div class="actions">
                    <button type="button" class="button button-primary" data-testid="request-accept" on:click=move |_| answer(true)>
                        {move || i18n.s(StaffMsg::RequestAccept)}
                    </button>
                    <button type="button" class="button" data-testid="request-decline" on:click=move |_| answer(false)>
                        {move || i18n.s(StaffMsg::RequestDecline)}
                    </button>
                </div>
            </Show>
            {move || message.get().map(|(ok, text)| view! {
                <p class=if ok { "banner" } else { "banner banner-error" } role=if ok { "status" } else { "alert" }>{text}</p>
            })}
        </li>
    }
}
