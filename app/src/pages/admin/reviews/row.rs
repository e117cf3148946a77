//! One registration in the review queue: who, what they answered, what was decided here
//! and not yet settled, and approve or reject (with the reason the person will read).

use super::{actionable, answers::answer_lines, profile::profile_lines};
use crate::{
    format,
    i18n::{Msg, StaffMsg, use_i18n},
    state::reviews::use_reviews,
    status_text,
};
use domain::{admin::ReviewItem, questions::Question, sync::ReviewDecision};
use leptos::{ev::SubmitEvent, prelude::*};
use time::OffsetDateTime;

/// One registration with its decision.
#[component]
pub(super) fn ReviewRow(
    item: ReviewItem,
    /// The offering's questions, to label the answers; they may arrive after the row.
    #[prop(into)]
    questions: Signal<Vec<Question>>,
    selected: RwSignal<Vec<String>>,
    decide: impl Fn(Vec<String>, ReviewDecision, String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let reviews = use_reviews();
    let id = StoredValue::new(item.registration_id.clone());
    let rejecting = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let reason_error = RwSignal::new(false);
    let item = StoredValue::new(item);
    let local = Memo::new(move |_| reviews.for_registration(&id.get_value()));
    let can_act = move || item.with_value(|i| actionable(i, local.get().as_ref()));
    let received = move || {
        let at = item.with_value(|i| i.received_at);
        OffsetDateTime::from_unix_timestamp(at)
            .map(|t| format::date_time(i18n.lang.get(), t))
            .unwrap_or_default()
    };
    let local_state = move || {
        let lang = i18n.lang.get();
        local.get().map(|l| match (l.refused, l.decision) {
            (Some(code), _) => {
                Msg::ReviewRefused.fill(lang, &[status_text::mutation_error_text(lang, code)])
            }
            (None, ReviewDecision::Approve) => Msg::ReviewApprovedLocal.text(lang).to_owned(),
            (None, ReviewDecision::Reject) => Msg::ReviewRejectedLocal.text(lang).to_owned(),
        })
    };
    let on_reject = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Ok(why) = domain::admin::parse_reason(&reason.get_untracked(), true).map(str::to_owned)
        else {
            reason_error.set(true);
            return;
        };
        rejecting.set(false);
        decide(vec![id.get_value()], ReviewDecision::Reject, why);
    };
    let check_id = format!("review-{}", item.with_value(|i| i.registration_id.clone()));
    let reason_id = StoredValue::new(format!(
        "reject-reason-{}",
        item.with_value(|i| i.registration_id.clone())
    ));
    let answers = move || {
        let lang = i18n.lang.get();
        let lines = questions.with(|qs| item.with_value(|i| answer_lines(lang, qs, &i.answers)));
        (!lines.is_empty()).then(|| view! {
            <dl class="facts answers">
                {lines.into_iter().map(|(q, a)| view! { <dt>{q}</dt><dd>{a}</dd> }).collect_view()}
            </dl>
        })
    };
    // A mixer sign-up: the profile the admin reviews (never its contact).
    let profile = move || {
        let lang = i18n.lang.get();
        let (profile, born) = item.with_value(|i| (i.profile.clone(), i.birth_year));
        profile.map(|p| {
            let year = format::in_china(format::now()).year();
            let lines = profile_lines(lang, &p, born, year);
            view! {
                <section class="review-profile" data-testid="review-profile">
                    <h4 class="review-profile-title">{StaffMsg::ProfileTitle.text(lang)}</h4>
                    <dl class="facts answers">
                        {lines.into_iter().map(|(l, v)| view! { <dt>{l}</dt><dd>{v}</dd> }).collect_view()}
                    </dl>
                </section>
            }
        })
    };
    view! {
        <li class="card review" data-testid="review-item" data-registration=id.get_value()>
            <div class="review-head">
                <Show
                    when=can_act
                    fallback=move || view! { <span class="review-name">{item.with_value(|i| i.display_name.clone())}</span> }
                >
                    <label class="check">
                        <input
                            type="checkbox"
                            id=check_id.clone()
                            prop:checked=move || selected.with(|s| s.contains(&id.get_value()))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                selected.update(|s| crate::components::choice_list::toggle(s, &id.get_value(), on));
                            }
                        />
                        <span class="review-name">{item.with_value(|i| i.display_name.clone())}</span>
                    </label>
                </Show>
                <span class="tag tag-soft">
                    {move || status_text::status(i18n.lang.get(), item.with_value(|i| i.status), None, None)}
                </span>
            </div>
            <p class="card-meta">
                {item.with_value(|i| i.phone.clone())} " · " {move || i18n.f(Msg::BornIn, &[&item.with_value(|i| i.birth_year).to_string()])}
            </p>
            <p class="card-meta">{item.with_value(|i| i.offering_title.clone())}</p>
            <p class="card-meta">{move || i18n.f(Msg::ReceivedAt, &[&received()])}</p>
            {profile}
            {answers}
            {move || local_state().map(|s| view! { <p class="reg-state reg-pending" data-testid="review-local">{s}</p> })}
            <Show when=can_act>
                <Show
                    when=move || rejecting.get()
                    fallback=move || view! {
                        <div class="actions">
                            <button
                                type="button"
                                class="button button-primary"
                                data-testid="approve"
                                on:click=move |_| decide(vec![id.get_value()], ReviewDecision::Approve, String::new())
                            >
                                {move || i18n.t(Msg::Approve)}
                            </button>
                            <button type="button" class="button" data-testid="reject" on:click=move |_| rejecting.set(true)>
                                {move || i18n.t(Msg::Reject)}
                            </button>
                        </div>
                    }
                >
                    <form class="form" novalidate=true on:submit=on_reject>
                        <div class="field" class:field-invalid=move || reason_error.get()>
                            <label class="field-label" for=reason_id.get_value()>{move || i18n.t(Msg::RejectReason)}</label>
                            <p class="field-hint">{move || i18n.t(Msg::RejectReasonHint)}</p>
                            <textarea
                                class="input textarea"
                                id=reason_id.get_value()
                                rows="2"
                                maxlength="200"
                                prop:value=move || reason.get()
                                on:input=move |ev| {
                                    reason_error.set(false);
                                    reason.set(event_target_value(&ev));
                                }
                            ></textarea>
                            <Show when=move || reason_error.get()>
                                <p class="field-error" role="alert">{move || i18n.t(Msg::RejectReasonNeeded)}</p>
                            </Show>
                        </div>
                        <div class="actions">
                            <button type="submit" class="button button-danger">{move || i18n.t(Msg::ConfirmReject)}</button>
                            <button type="button" class="button" on:click=move |_| rejecting.set(false)>{move || i18n.t(Msg::CancelKeepShort)}</button>
                        </div>
                    </form>
                </Show>
            </Show>
        </li>
    }
}
