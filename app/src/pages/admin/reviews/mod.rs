//! 管理后台 · 报名审核: the registrations waiting for approval, filtered by offering and status,
//! approved or rejected one by one (a rejection needs the reason the person will read) or
//! approved in bulk. Decisions go through the admin's sync queue like every other action, so
//! one made without a network is sent when it returns.
//!
//! This file is the queue (filters, bulk bar, the keyed list); `row.rs` one registration with
//! its decision; `answers.rs` the answers to the offering's questions in words; `profile.rs`
//! a mixer sign-up's profile in words.

mod answers;
mod profile;
mod row;

use super::Load;
use crate::{
    account::general_error_msg,
    api,
    i18n::{Msg, use_i18n},
    state::{
        reviews::{LocalReview, use_reviews},
        session::use_session,
    },
    status_text,
};
use domain::{
    admin::{AdminOffering, ReviewItem},
    registration::RegistrationStatus,
    sync::ReviewDecision,
};
use leptos::prelude::*;
use row::ReviewRow;

/// The statuses the queue can show, the first by default.
const STATUSES: [RegistrationStatus; 4] = [
    RegistrationStatus::PendingReview,
    RegistrationStatus::Confirmed,
    RegistrationStatus::Rejected,
    RegistrationStatus::Cancelled,
];

/// Whether an item can still be decided here.
fn actionable(item: &ReviewItem, local: Option<&LocalReview>) -> bool {
    item.status == RegistrationStatus::PendingReview && local.is_none_or(|l| l.refused.is_some())
}

/// The queue.
#[component]
pub(super) fn ReviewsPanel(
    /// The offering filter (set when coming from an offering's "待审核" button).
    offering: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let reviews = use_reviews();
    let status = RwSignal::new(RegistrationStatus::PendingReview.as_str().to_owned());
    let offerings = RwSignal::new(Vec::<AdminOffering>::new());
    let items = RwSignal::new(Load::<Vec<ReviewItem>>::Loading);
    let selected = RwSignal::new(Vec::<String>::new());
    let action_error = RwSignal::new(None::<String>);
    let latest = StoredValue::new(0u32);

    let load = move |quiet: bool| {
        let Some(token) = session.token() else { return };
        latest.update_value(|n| *n += 1);
        let this = latest.get_value();
        if !quiet {
            items.set(Load::Loading);
        }
        let o = offering.get_untracked();
        let s = status.get_untracked();
        leptos::task::spawn_local(async move {
            let result = session.guard(&token, api::reviews(&token, o.as_deref(), Some(&s)).await);
            if latest.get_value() != this {
                return;
            }
            match result {
                Ok(list) => {
                    selected.update(|sel| {
                        sel.retain(|id| list.iter().any(|i| &i.registration_id == id))
                    });
                    items.set(Load::Ready(list));
                }
                Err(e) if quiet => leptos::logging::log!("refreshing the review queue: {e}"),
                Err(e) => items.set(Load::Failed(general_error_msg(
                    &e,
                    Msg::AdminNeedsNetworkReviews,
                ))),
            }
        });
    };
    if let Some(token) = session.token() {
        leptos::task::spawn_local(async move {
            if let Ok(list) = session.guard(&token, api::admin_offerings(&token).await) {
                offerings.set(list);
            }
        });
    }
    // A new filter: a new list.
    Effect::new(move |_| {
        offering.track();
        status.track();
        selected.set(Vec::new());
        load(false);
    });
    // Decisions settled by a sync leave the outbox: the queue has changed on the server.
    Effect::new(move |before: Option<usize>| {
        let now = reviews.local.with(Vec::len);
        if before.is_some_and(|b| now < b) {
            load(true);
        }
        now
    });

    let local_for = move |id: &str| reviews.for_registration(id);
    let actionable_ids = move || match items.get() {
        Load::Ready(list) => list
            .iter()
            .filter(|i| actionable(i, local_for(&i.registration_id).as_ref()))
            .map(|i| i.registration_id.clone())
            .collect::<Vec<_>>(),
        _ => Vec::new(),
    };
    let decide = move |ids: Vec<String>, decision: ReviewDecision, reason: String| {
        if ids.is_empty() {
            return;
        }
        leptos::task::spawn_local(async move {
            let result = reviews.decide(&ids, decision, &reason).await;
            selected.update(|s| s.retain(|id| !ids.contains(id)));
            action_error.set(result.err().map(|e| e.text(i18n.lang.get_untracked())));
        });
    };

    let offering_options = move || {
        let lang = i18n.lang.get();
        let chosen = offering.get();
        let mut opts =
            vec![view! {
            <option value="" selected=chosen.is_none()>{Msg::AllOfferings.text(lang)}</option>
        }
        .into_any()];
        for o in offerings.get() {
            let selected = chosen.as_deref() == Some(o.offering.id.as_str());
            let label = if o.pending_reviews > 0 {
                Msg::OfferingWithPending.fill(
                    lang,
                    &[&o.offering.plan.title, &o.pending_reviews.to_string()],
                )
            } else {
                o.offering.plan.title.clone()
            };
            opts.push(
                view! { <option value=o.offering.id.clone() selected=selected>{label}</option> }
                    .into_any(),
            );
        }
        opts
    };
    let status_options = move || {
        let lang = i18n.lang.get();
        let chosen = status.get();
        STATUSES
            .iter()
            .map(|s| {
                let v = s.as_str();
                view! { <option value=v selected=chosen == v>{status_text::status(lang, *s, None, None)}</option> }
            })
            .collect_view()
    };

    let bulk = move || {
        let ids = actionable_ids();
        if ids.is_empty() {
            return None;
        }
        let total = ids.len();
        let chosen = selected.with(|s| s.iter().filter(|id| ids.contains(id)).count());
        let all = chosen == total;
        let ids_for_toggle = ids.clone();
        Some(view! {
            <div class="bulk-bar" data-testid="bulk-bar">
                <label class="check">
                    <input
                        type="checkbox"
                        data-testid="select-all"
                        prop:checked=all
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            selected.set(if on { ids_for_toggle.clone() } else { Vec::new() });
                        }
                    />
                    <span>{move || i18n.f(Msg::SelectAll, &[&total.to_string()])}</span>
                </label>
                <button
                    type="button"
                    class="button button-primary"
                    data-testid="bulk-approve"
                    disabled=chosen == 0
                    on:click=move |_| {
                        let chosen: Vec<String> = selected.get_untracked().into_iter().filter(|id| ids.contains(id)).collect();
                        decide(chosen, ReviewDecision::Approve, String::new());
                    }
                >
                    {move || i18n.f(Msg::ApproveSelected, &[&chosen.to_string()])}
                </button>
            </div>
        })
    };

    // The rows are keyed by registration: a reload of the queue (after any decision settles)
    // draws again only the rows whose item changed, so a reject reason being typed in another
    // row stays, with its form open.
    let shape = Memo::new(move |_| {
        items.with(|l| match l {
            Load::Loading => Shape::Loading,
            Load::Failed(msg) => Shape::Failed(*msg),
            Load::Ready(list) if list.is_empty() => Shape::Empty,
            Load::Ready(_) => Shape::Ready,
        })
    });
    let ids = Memo::new(move |_| {
        items.with(|l| match l {
            Load::Ready(list) => list.iter().map(|i| i.registration_id.clone()).collect(),
            _ => Vec::new(),
        })
    });
    // Where each registration is in the list: a row finds its item without going through the
    // queue (up to 1,000 items), so a reload costs the queue's length, not its square.
    let at = Memo::new(move |_| {
        items.with(|l| match l {
            Load::Ready(list) => list
                .iter()
                .enumerate()
                .map(|(k, i)| (i.registration_id.clone(), k))
                .collect(),
            _ => std::collections::HashMap::new(),
        })
    });
    let row = move |id: String| {
        let item = Memo::new(move |_| {
            let k = at.with(|at| at.get(&id).copied())?;
            items.with(|l| match l {
                Load::Ready(list) => list.get(k).cloned(),
                _ => None,
            })
        });
        let questions = Memo::new(move |_| {
            item.with(|i| {
                i.as_ref().and_then(|i| {
                    offerings.with(|os| {
                        os.iter()
                            .find(|o| o.offering.id == i.offering_id)
                            .map(|o| o.offering.plan.questions.clone())
                    })
                })
            })
            .unwrap_or_default()
        });
        move || {
            item.get().map(|item| {
                view! { <ReviewRow item=item questions=questions selected=selected decide=decide /> }
            })
        }
    };
    let list = move || {
        let lang = i18n.lang.get();
        match shape.get() {
            Shape::Loading => view! { <p class="empty" aria-busy="true">{Msg::Loading.text(lang)}</p> }.into_any(),
            Shape::Failed(msg) => view! {
                <div class="banner banner-error" role="alert" data-testid="reviews-error">
                    <span>{msg.text(lang)}</span>
                    <button type="button" class="button" on:click=move |_| load(false)>{Msg::Retry.text(lang)}</button>
                </div>
            }
            .into_any(),
            Shape::Empty => view! {
                <p class="empty" data-testid="reviews-empty">{Msg::ReviewsEmpty.text(lang)}</p>
            }
            .into_any(),
            Shape::Ready => view! {
                {bulk}
                <ul class="reviews">
                    <For each=move || ids.get() key=|id| id.clone() children=row />
                </ul>
            }
            .into_any(),
        }
    };

    view! {
        <div class="filters-row">
            <div class="field">
                <label class="field-label" for="review-offering">{move || i18n.t(Msg::FilterOffering)}</label>
                <select
                    class="input select"
                    id="review-offering"
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        offering.set((!v.is_empty()).then_some(v));
                    }
                >
                    {offering_options}
                </select>
            </div>
            <div class="field">
                <label class="field-label" for="review-status">{move || i18n.t(Msg::FilterStatus)}</label>
                <select class="input select" id="review-status" on:change=move |ev| status.set(event_target_value(&ev))>
                    {status_options}
                </select>
            </div>
        </div>
        <p class="hint">{move || i18n.t(Msg::ReviewsHint)}</p>
        {move || action_error.get().map(|e| view! { <p class="banner banner-error" role="alert">{e}</p> })}
        {list}
    }
}

/// What the queue shows, without the rows themselves.
#[derive(Clone, Copy, PartialEq)]
enum Shape {
    Loading,
    Failed(Msg),
    Empty,
    Ready,
}
