//! 查找: finding someone on the roster by name or the last four digits of their phone.

use super::{checkin::Desk, row::person_row};
use crate::i18n::Msg;
use engine::venue::Attendance;
use leptos::prelude::*;

#[component]
pub(super) fn Search(desk: Desk) -> impl IntoView {
    let Desk {
        i18n,
        venue,
        here,
        mode,
        ..
    } = desk;
    let query = RwSignal::new(String::new());
    let search_results = move || {
        let lang = i18n.lang.get();
        mode.track();
        let q = query.get();
        if q.trim().is_empty() {
            return view! { <p class="hint">{Msg::SearchHint.text(lang)}</p> }.into_any();
        }
        let found: Vec<Attendance> = here.with(|ov| {
            venue
                .data
                .with(|v| v.search(ov, &q).into_iter().cloned().collect())
        });
        if found.is_empty() {
            return view! { <p class="hint" data-testid="search-empty">{Msg::SearchNothing.text(lang)}</p> }.into_any();
        }
        view! {
            <ul class="people" data-testid="search-results">
                {found.into_iter().map(|a| person_row(desk, a, lang, true)).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section class="card">
            <h2 class="card-title">{move || i18n.t(Msg::FindPerson)}</h2>
            <div class="field">
                <label class="field-label" for="roster-search">{move || i18n.t(Msg::FindPersonLabel)}</label>
                <input
                    class="input"
                    id="roster-search"
                    type="search"
                    autocomplete="off"
                    maxlength="32"
                    prop:value=move || query.get()
                    on:input=move |ev| query.set(event_target_value(&ev))
                />
            </div>
            {search_results}
        </section>
    }
}
