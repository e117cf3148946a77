//! 近期活动: confirmed registrations in the next seven days, on the home screen, each with its
//! calendar file.

use crate::i18n::{Msg, use_i18n};
use crate::nav::A;
use leptos::prelude::*;

/// One upcoming registration, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpcomingItem {
    /// The registration.
    pub registration_id: String,
    /// Where its details and ticket are.
    pub href: String,
    /// The title.
    pub title: String,
    /// When.
    pub when: String,
    /// Where.
    pub place: String,
}

/// The card; nothing is shown when there is nothing upcoming.
#[component]
pub fn UpcomingCard(
    /// The registrations, soonest first.
    #[prop(into)]
    items: Signal<Vec<UpcomingItem>>,
    /// Saves the calendar file of a registration.
    on_calendar: Callback<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Show when=move || !items.with(Vec::is_empty)>
            <section class="card upcoming" data-testid="upcoming">
                <h2 class="card-title">{move || i18n.t(Msg::UpcomingTitle)}</h2>
                <ul class="upcoming-list">
                    <For each=move || items.get() key=|i| i.registration_id.clone() let:item>
                        {
                            let id = item.registration_id.clone();
                            view! {
                                <li class="upcoming-item" data-testid="upcoming-item">
                                    <A href=item.href.clone() attr:class="upcoming-link">
                                        <span class="upcoming-title">{item.title.clone()}</span>
                                        <span class="card-meta">{item.when.clone()}</span>
                                        <span class="card-meta">{item.place.clone()}</span>
                                    </A>
                                    <button
                                        type="button"
                                        class="button"
                                        on:click=move |_| on_calendar.run(id.clone())
                                    >
                                        {move || i18n.t(Msg::AddToCalendar)}
                                    </button>
                                </li>
                            }
                        }
                    </For>
                </ul>
            </section>
        </Show>
    }
}
