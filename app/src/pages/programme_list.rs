//! The list screen shared by 活动, 夜校 and 联谊: loading, offline, empty and error states,
//! a category filter, and the cards.

use crate::{
    components::offering_card::OfferingCard,
    format,
    i18n::{Msg, use_i18n},
    state::catalogue::{CatalogueStatus, use_catalogue},
};
use domain::OfferingKind;
use leptos::prelude::*;

/// The programmes of one kind.
#[component]
pub fn ProgrammeList(kind: OfferingKind, title: Msg) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_catalogue();
    let category = RwSignal::new(None::<String>);

    let of_kind = Memo::new(move |_| {
        state.catalogue.with(|c| {
            c.offerings
                .iter()
                .filter(|o| o.kind == kind)
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let categories = Memo::new(move |_| {
        let mut cats: Vec<String> = Vec::new();
        for o in of_kind.get() {
            if !cats.contains(&o.category) {
                cats.push(o.category);
            }
        }
        cats
    });
    let shown = move || {
        let cat = category.get();
        of_kind
            .get()
            .into_iter()
            .filter(|o| cat.as_ref().is_none_or(|c| *c == o.category))
            .collect::<Vec<_>>()
    };

    let status_line = move || {
        let status = state.status.get();
        let has_data = !of_kind.get().is_empty();
        match status {
            CatalogueStatus::Offline if has_data => Some(view! {
                <div class="banner banner-offline" role="status" data-testid="offline-banner">
                    {i18n.t(Msg::OfflineBanner)}
                    {state.updated_at.get().map(|t| format!(" · {}", i18n.f(Msg::UpdatedAt, &[&format::date_time(i18n.lang.get(), t)])))}
                </div>
            }.into_any()),
            CatalogueStatus::Failed(message) => Some(view! {
                <div class="banner banner-error" role="alert">
                    <span>{i18n.f(Msg::LoadFailed, &[&message])}</span>
                    <button type="button" class="button" on:click=move |_| state.request_refresh()>
                        {i18n.t(Msg::Retry)}
                    </button>
                </div>
            }.into_any()),
            _ => None,
        }
    };

    let body = move || {
        let status = state.status.get();
        let items = shown();
        if items.is_empty() {
            let (msg, testid) = match status {
                CatalogueStatus::Loading | CatalogueStatus::Cached => (Msg::Loading, "loading"),
                CatalogueStatus::Offline => (Msg::OfflineNoData, "offline-empty"),
                CatalogueStatus::Failed(_) if of_kind.get().is_empty() => {
                    (Msg::Retry, "failed-empty")
                }
                _ => (Msg::EmptyList, "empty-state"),
            };
            if testid == "failed-empty" {
                return view! { <div></div> }.into_any();
            }
            return view! {
                <p class="empty" data-testid=testid aria-busy=(testid == "loading").then_some("true")>
                    {i18n.t(msg)}
                </p>
            }
            .into_any();
        }
        let lang = i18n.lang.get();
        view! {
            <div class="card-list" data-testid="offering-list">
                {items
                    .into_iter()
                    .map(|o| {
                        let venue = state.venue_name(&o.venue_id);
                        view! { <OfferingCard offering=o venue_name=venue lang=lang /> }
                    })
                    .collect_view()}
            </div>
        }
        .into_any()
    };

    view! {
        <section class="page">
            <h1 class="page-title">{move || i18n.t(title)}</h1>
            {status_line}
            <Show when=move || { categories.get().len() > 1 }>
                <div class="chips" role="group">
                    <button
                        type="button"
                        class="chip"
                        aria-pressed=move || category.get().is_none().to_string()
                        on:click=move |_| category.set(None)
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
                                    aria-pressed=move || (category.get().as_deref() == Some(c1.as_str())).to_string()
                                    on:click=move |_| category.set(Some(c2.clone()))
                                >
                                    {cat}
                                </button>
                            }
                        }
                    </For>
                </div>
            </Show>
            {body}
        </section>
    }
}
