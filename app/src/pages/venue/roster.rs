//! 全部名单: the whole roster, each row with its hours correction.
//!
//! The whole roster is drawn only while it is open: rosters run to thousands of people. Its
//! rows are keyed by registration and each follows that person alone, so a scan (here or at
//! another door) draws again one row, not the list; and an hours correction being typed keeps
//! its draft even when its own row is drawn again (`CorrectionDrafts`).

use super::{checkin::Desk, correction::HoursCorrection, mixer, row::person_main};
use crate::i18n::Msg;
use leptos::prelude::*;

#[component]
pub(super) fn Roster(desk: Desk) -> impl IntoView {
    let Desk {
        i18n,
        here,
        mode,
        offering,
        ..
    } = desk;
    let roster_open = RwSignal::new(false);
    // By name; at a mixer men then women, each by badge number.
    let at_mixer = Memo::new(move |_| offering.with(|o| mixer::is_mixer(o.as_ref())));
    let roster_ids = Memo::new(move |_| {
        here.with(|ov| {
            if at_mixer.get() {
                return mixer::roster_order(&ov.people);
            }
            ov.people
                .iter()
                .map(|a| a.person.registration_id.clone())
                .collect::<Vec<_>>()
        })
    });
    let roster_at = Memo::new(move |_| {
        here.with(|ov| {
            ov.people
                .iter()
                .enumerate()
                .map(|(i, a)| (a.person.registration_id.clone(), i))
                .collect::<std::collections::HashMap<_, _>>()
        })
    });
    let roster_empty = Memo::new(move |_| roster_ids.with(Vec::is_empty));
    // The row's own part is drawn again when the person's scans change (a check-out syncing,
    // say); the correction form under it is not, so an organizer typing in it keeps the focus.
    let roster_row = move |id: String| {
        let key = id.clone();
        let attendance = Memo::new(move |_| {
            roster_at
                .with(|at| at.get(&key).copied())
                .and_then(|i| here.with(|ov| ov.people.get(i).cloned()))
        });
        let name = Memo::new(move |_| {
            attendance.with(|a| {
                a.as_ref()
                    .map(|a| a.person.display_name.clone())
                    .unwrap_or_default()
            })
        });
        view! {
            <li class="person" data-testid="person" data-name=move || name.get()>
                {move || {
                    let lang = i18n.lang.get();
                    mode.track();
                    attendance.get().map(|a| person_main(desk, a, lang, true))
                }}
                <HoursCorrection registration_id=id />
            </li>
        }
    };
    let roster_items = move || {
        if !roster_open.get() {
            return None;
        }
        Some(if roster_empty.get() {
            view! { <p class="hint">{move || i18n.t(Msg::RosterEmpty)}</p> }.into_any()
        } else {
            view! {
                <ul class="people">
                    <For each=move || roster_ids.get() key=|id| id.clone() children=roster_row />
                </ul>
            }
            .into_any()
        })
    };
    view! {
        <details
            class="card roster"
            data-testid="roster"
            prop:open=move || roster_open.get()
            on:toggle=move |ev| {
                let open = event_target::<web_sys::Element>(&ev).has_attribute("open");
                roster_open.set(open);
            }
        >
            <summary>
                {move || Msg::RosterAll.fill(i18n.lang.get(), &[&here.with(|ov| ov.people.len()).to_string()])}
            </summary>
            {roster_items}
        </details>
    }
}
