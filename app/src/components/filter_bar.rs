//! The list filters: days, category, venue and places left.

use crate::{
    filters::{DateFilter, ListFilter, date_value, parse_date},
    i18n::{Msg, use_i18n},
};
use leptos::prelude::*;

/// The date choices, in order.
const DATES: [(DateFilter, Msg); 4] = [
    (DateFilter::Any, Msg::FilterAnyDay),
    (DateFilter::Today, Msg::FilterToday),
    (DateFilter::ThisWeek, Msg::FilterThisWeek),
    (DateFilter::Weekend, Msg::FilterWeekend),
];

/// Chips for the days and categories, a venue list and a places-left switch.
#[component]
pub fn FilterBar(
    /// The filter being edited.
    filter: RwSignal<ListFilter>,
    /// The categories to offer (none shown when fewer than two).
    #[prop(into)]
    categories: Signal<Vec<String>>,
    /// `(venue id, name)` to offer.
    #[prop(into)]
    venues: Signal<Vec<(String, String)>>,
    /// The list is still loading: the category and venue filters keep their places, with
    /// only their "all" choice, so the page does not move when the programmes arrive.
    #[prop(into)]
    pending: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let is_range = move || filter.with(|f| matches!(f.date, DateFilter::Range { .. }));
    let range = move || match filter.with(|f| f.date) {
        DateFilter::Range { from, to } => (from, to),
        _ => (None, None),
    };
    let date_chip = move |(which, msg): (DateFilter, Msg)| {
        view! {
            <button
                type="button"
                class="chip"
                aria-pressed=move || (filter.with(|f| f.date) == which).to_string()
                on:click=move |_| filter.update(|f| f.date = which)
            >
                {move || i18n.t(msg)}
            </button>
        }
    };
    view! {
        <div class="filters" data-testid="filters">
            <div class="chips" role="group" aria-label=move || i18n.t(Msg::FilterDates)>
                {DATES.into_iter().map(date_chip).collect_view()}
                <button
                    type="button"
                    class="chip"
                    aria-pressed=move || is_range().to_string()
                    on:click=move |_| {
                        if !is_range() {
                            filter.update(|f| f.date = DateFilter::Range { from: None, to: None });
                        }
                    }
                >
                    {move || i18n.t(Msg::FilterPickDates)}
                </button>
            </div>
            <Show when=is_range>
                <div class="date-range">
                    <div class="field">
                        <label class="field-label" for="filter-from">{move || i18n.t(Msg::FilterFrom)}</label>
                        <input
                            class="input"
                            id="filter-from"
                            type="date"
                            prop:value=move || date_value(range().0)
                            on:change=move |ev| {
                                let from = parse_date(&event_target_value(&ev));
                                let to = range().1;
                                filter.update(|f| f.date = DateFilter::Range { from, to });
                            }
                        />
                    </div>
                    <div class="field">
                        <label class="field-label" for="filter-to">{move || i18n.t(Msg::FilterTo)}</label>
                        <input
                            class="input"
                            id="filter-to"
                            type="date"
                            prop:value=move || date_value(range().1)
                            on:change=move |ev| {
                                let to = parse_date(&event_target_value(&ev));
                                let from = range().0;
                                filter.update(|f| f.date = DateFilter::Range { from, to });
                            }
                        />
                    </div>
                </div>
            </Show>
            <Show when=move || { pending.get() || categories.with(|c| c.len() > 1) }>
                <div class="chips" role="group" aria-label=move || i18n.t(Msg::FilterCategory)>
                    <button
                        type="button"
                        class="chip"
                        aria-pressed=move || filter.with(|f| f.category.is_none()).to_string()
                        on:click=move |_| filter.update(|f| f.category = None)
                    >
                        {move || i18n.t(Msg::FilterAll)}
                    </button>
                    <For each=move || categories.get() key=|c| c.clone() let:cat>
                        {
                            let c1 = cat.clone();
                            let c2 = cat.clone();
                            view! {
                                <button
                                    type="button"
                                    class="chip"
                                    aria-pressed=move || filter.with(|f| f.category.as_deref() == Some(c1.as_str())).to_string()
                                    on:click=move |_| filter.update(|f| f.category = Some(c2.clone()))
                                >
                                    {cat}
                                </button>
                            }
                        }
                    </For>
                </div>
            </Show>
            <div class="filter-row">
                <Show when=move || { pending.get() || venues.with(|v| v.len() > 1) }>
                    <div class="field filter-venue">
                        <label class="field-label" for="filter-venue">{move || i18n.t(Msg::FilterVenue)}</label>
                        <select
                            class="input select"
                            id="filter-venue"
                            on:change=move |ev| {
                                let v = event_target_value(&ev);
                                filter.update(|f| f.venue = (!v.is_empty()).then_some(v));
                            }
                        >
                            <option value="" selected=move || filter.with(|f| f.venue.is_none())>
                                {move || i18n.t(Msg::FilterAnyVenue)}
                            </option>
                            {move || {
                                let chosen = filter.with(|f| f.venue.clone());
                                venues
                                    .get()
                                    .into_iter()
                                    .map(|(id, name)| {
                                        let selected = chosen.as_deref() == Some(id.as_str());
                                        view! { <option value=id selected=selected>{name}</option> }
                                    })
                                    .collect_view()
                            }}
                        </select>
                    </div>
                </Show>
                <label class="check filter-seats">
                    <input
                        type="checkbox"
                        id="filter-seats"
                        prop:checked=move || filter.with(|f| f.seats_only)
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            filter.update(|f| f.seats_only = on);
                        }
                    />
                    <span>{move || i18n.t(Msg::FilterSeatsLeft)}</span>
                </label>
            </div>
            <Show when=move || !filter.with(ListFilter::is_empty)>
                <button type="button" class="button button-quiet" on:click=move |_| filter.set(ListFilter::default())>
                    {move || i18n.t(Msg::FilterClear)}
                </button>
            </Show>
        </div>
    }
}
