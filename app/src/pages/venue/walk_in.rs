//! 现场报名: registering someone who turns up without signing up, while places remain, and
//! checking them in; the server gives the seat if one is still free when the device syncs.

use crate::{
    i18n::{Msg, use_i18n},
    state::venue::use_venue,
};
use domain::Offering;
use engine::venue::OfferingVenue;
use leptos::{ev::SubmitEvent, prelude::*};

/// 现场报名: someone who turns up without signing up, while places remain.
#[component]
pub(super) fn WalkIn(offering: Memo<Option<Offering>>, here: Memo<OfferingVenue>) -> impl IntoView {
    let i18n = use_i18n();
    let venue = use_venue();
    let name = RwSignal::new(String::new());
    let last4 = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let offering_id = StoredValue::new(
        offering
            .with_untracked(|o| o.as_ref().map(|o| o.id.clone()))
            .unwrap_or_default(),
    );
    let left = Memo::new(move |_| {
        let local = here.with(|h| h.local_walk_ins) as u32;
        let seats = offering.with(|o| {
            o.as_ref()
                .and_then(|o| o.pool(domain::PoolKey::All))
                .map_or(0, |p| p.seats_left())
        });
        seats.saturating_sub(local)
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let lang = i18n.lang.get_untracked();
        let n = name.get_untracked();
        let digits = last4.get_untracked().trim().to_owned();
        if domain::account::parse_display_name(&n).is_err() {
            message.set(Some((false, Msg::WalkInNameNeeded.text(lang).to_owned())));
            crate::dom::focus("walkin-name");
            return;
        }
        if !(digits.is_empty() || (digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit())))
        {
            message.set(Some((false, Msg::WalkInLast4Invalid.text(lang).to_owned())));
            crate::dom::focus("walkin-last4");
            return;
        }
        if left.get_untracked() == 0 {
            message.set(Some((false, Msg::WalkInFull.text(lang).to_owned())));
            return;
        }
        leptos::task::spawn_local(async move {
            match venue.walk_in(&offering_id.get_value(), &n, &digits).await {
                Ok(()) => {
                    name.set(String::new());
                    last4.set(String::new());
                    message.set(Some((true, Msg::WalkInDone.fill(lang, &[n.trim()]))));
                }
                Err(e) => message.set(Some((false, e.text(lang)))),
            }
        });
    };
    view! {
        <form class="card form" novalidate=true on:submit=on_submit data-testid="walk-in">
            <h2 class="card-title">{move || i18n.t(Msg::WalkInTitle)}</h2>
            <p class="hint" data-testid="walk-in-left">{move || i18n.f(Msg::WalkInLeft, &[&left.get().to_string()])}</p>
            <div class="field">
                <label class="field-label" for="walkin-name">{move || i18n.t(Msg::FieldDisplayName)}</label>
                <input
                    class="input"
                    id="walkin-name"
                    autocomplete="off"
                    maxlength=domain::account::MAX_NAME_CHARS.to_string()
                    prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev))
                />
            </div>
            <div class="field">
                <label class="field-label" for="walkin-last4">{move || i18n.t(Msg::WalkInLast4)}</label>
                <input
                    class="input"
                    id="walkin-last4"
                    inputmode="numeric"
                    autocomplete="off"
                    maxlength="4"
                    prop:value=move || last4.get()
                    on:input=move |ev| last4.set(event_target_value(&ev))
                />
            </div>
            {move || message.get().map(|(ok, text)| view! {
                <div
                    class=if ok { "form-message form-message-ok" } else { "form-message form-message-error" }
                    role=if ok { "status" } else { "alert" }
                    data-testid="walk-in-message"
                >
                    {text}
                </div>
            })}
            <button type="submit" class="button button-primary" disabled=move || left.get() == 0>
                {move || i18n.t(Msg::WalkInSubmit)}
            </button>
        </form>
    }
}
