//! 修正时长: an organizer's correction of someone's credited minutes, with a reason. What is
//! typed belongs to the screen, not to the roster row it is under (`CorrectionDrafts`).

use crate::{
    components::field::OutcomeMessage,
    i18n::{Msg, use_i18n},
    state::venue::use_venue,
};
use leptos::{ev::SubmitEvent, prelude::*};

/// An hours correction as the organizer left it: open or not, what was typed, the last outcome.
#[derive(Clone, Copy)]
struct CorrectionDraft {
    open: RwSignal<bool>,
    minutes: RwSignal<String>,
    reason: RwSignal<String>,
    message: RwSignal<Option<(bool, Msg)>>,
}

/// The hours corrections of one venue screen, by registration. They belong to the screen, not
/// to a roster row: a row is drawn again when its person's scans change, and the correction
/// being typed in it must outlive that.
#[derive(Clone, Copy)]
pub(super) struct CorrectionDrafts {
    owner: StoredValue<Owner>,
    drafts: StoredValue<std::collections::HashMap<String, CorrectionDraft>>,
}

impl CorrectionDrafts {
    pub(super) fn provide() {
        let owner = Owner::current().unwrap_or_default();
        provide_context(CorrectionDrafts {
            owner: StoredValue::new(owner),
            drafts: StoredValue::new(Default::default()),
        });
    }

    /// The draft for a registration, made (empty, closed) the first time it is asked for.
    fn get(&self, registration_id: &str) -> CorrectionDraft {
        if let Some(d) = self.drafts.with_value(|m| m.get(registration_id).copied()) {
            return d;
        }
        let draft = self.owner.with_value(|owner| {
            owner.with(|| CorrectionDraft {
                open: RwSignal::new(false),
                minutes: RwSignal::new(String::new()),
                reason: RwSignal::new(String::new()),
                message: RwSignal::new(None),
            })
        });
        self.drafts
            .update_value(|m| _ = m.insert(registration_id.to_owned(), draft));
        draft
    }
}

/// 修正时长 under a roster row: the minutes credited and the reason the audit log keeps.
#[component]
pub(super) fn HoursCorrection(registration_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let venue = use_venue();
    let CorrectionDraft {
        open,
        minutes,
        reason,
        message,
    } = expect_context::<CorrectionDrafts>().get(&registration_id);
    let rid = StoredValue::new(registration_id.clone());
    let minutes_id = format!("fix-minutes-{registration_id}");
    let reason_id = format!("fix-reason-{registration_id}");
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let m = minutes
            .get_untracked()
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|m| *m <= 7 * 24 * 60);
        let r = reason.get_untracked();
        let Some(m) = m else {
            message.set(Some((false, Msg::FixMinutesInvalid)));
            return;
        };
        if domain::admin::parse_reason(&r, true).is_err() {
            message.set(Some((false, Msg::FixReasonNeeded)));
            return;
        }
        leptos::task::spawn_local(async move {
            match venue.correct_hours(&rid.get_value(), m, &r).await {
                Ok(()) => {
                    open.set(false);
                    minutes.set(String::new());
                    reason.set(String::new());
                    message.set(Some((true, Msg::FixSent)));
                }
                Err(e) => message.set(Some((false, e.msg()))),
            }
        });
    };
    view! {
        <div class="correction">
            <Show
                when=move || open.get()
                fallback=move || view! {
                    <button type="button" class="button button-quiet" on:click=move |_| { open.set(true); message.set(None); }>
                        {move || i18n.t(Msg::FixHours)}
                    </button>
                }
            >
                <form class="form correction-form" novalidate=true on:submit=on_submit>
                    <div class="field">
                        <label class="field-label" for=minutes_id.clone()>{move || i18n.t(Msg::FixMinutes)}</label>
                        <input
                            class="input"
                            id=minutes_id.clone()
                            inputmode="numeric"
                            maxlength="5"
                            prop:value=move || minutes.get()
                            on:input=move |ev| minutes.set(event_target_value(&ev))
                        />
                    </div>
                    <div class="field">
                        <label class="field-label" for=reason_id.clone()>{move || i18n.t(Msg::FixReason)}</label>
                        <input
                            class="input"
                            id=reason_id.clone()
                            maxlength="200"
                            prop:value=move || reason.get()
                            on:input=move |ev| reason.set(event_target_value(&ev))
                        />
                    </div>
                    <div class="actions">
                        <button type="submit" class="button button-primary">{move || i18n.t(Msg::FixSubmit)}</button>
                        <button type="button" class="button" on:click=move |_| open.set(false)>{move || i18n.t(Msg::CancelKeepShort)}</button>
                    </div>
                </form>
            </Show>
            <OutcomeMessage outcome=message />
        </div>
    }
}
