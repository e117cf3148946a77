//! The list screen shared by 活动, 夜校 and 联谊: loading, offline, empty and error states,
//! filters (days, category, venue, places left) that work on what the device has, and the cards.

use crate::{
    account::sign_in_href,
    components::{
        filter_bar::FilterBar,
        offering_card::OfferingCard,
        registration_bar::{Registered, RegistrationBar},
    },
    filters::ListFilter,
    format,
    i18n::{Msg, use_i18n},
    state::{
        catalogue::{CatalogueStatus, use_catalogue},
        session::use_session,
        sync::use_sync,
    },
    status_text,
};
use domain::OfferingKind;
use leptos::prelude::*;

fn kind_path(kind: OfferingKind) -> &'static str {
    match kind {
        OfferingKind::Activity => "",
        OfferingKind::Course => "courses",
        OfferingKind::Mixer => "mixers",
    }
}

/// The details page of an offering.
pub fn offering_href(id: &str) -> String {
    format!("/o/{}", crate::api::encode_query_value(id))
}

/// The programmes of one kind; `children` go under the title (the home screen's reminders).
#[component]
pub fn ProgrammeList(
    kind: OfferingKind,
    title: Msg,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_catalogue();
    let filter = RwSignal::new(ListFilter::default());

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
    let venues = Signal::derive(move || {
        let mut ids: Vec<String> = Vec::new();
        for o in of_kind.get() {
            if !ids.contains(&o.venue_id) {
                ids.push(o.venue_id);
            }
        }
        ids.into_iter()
            .map(|id| {
                let name = state.venue_name(&id).unwrap_or_else(|| id.clone());
                (id, name)
            })
            .collect::<Vec<_>>()
    });
    let shown = move || {
        let today = format::now().to_offset(format::CHINA).date();
        filter.with(|f| {
            of_kind
                .get()
                .into_iter()
                .filter(|o| f.matches(o, today))
                .collect::<Vec<_>>()
        })
    };

    let session = use_session();
    let sync = use_sync();
    let action_error = RwSignal::new(None::<String>);
    // Reading the registrations here makes the list follow them (a sign-up shows at once).
    let registration_bar = move |o: &domain::OfferingSummary, lang: crate::i18n::Lang| {
        let signed_in = session.session.with(Option::is_some);
        let registered = sync.registration_for(&o.id).map(|r| Registered {
            label: status_text::registration(lang, &r),
            note: status_text::registration_note(lang, &r),
            pending: r.pending,
            cancellable: r.status.is_cancellable()
                || (r.pending && r.status == domain::registration::RegistrationStatus::PendingSync),
            live: r.status.is_live(),
            id: r.id,
        });
        let now = format::now();
        let can_sign_up = o.status == "published"
            && now < o.signup_closes_at
            && o.signup_opens_at.is_none_or(|t| now >= t);
        let offering = o.clone();
        let on_request = Callback::new(move |()| {
            let offering = offering.clone();
            leptos::task::spawn_local(async move {
                let result = sync.request(&offering, Default::default()).await;
                action_error.set(
                    result
                        .err()
                        .map(|e| Msg::ActionFailed.fill(i18n.lang.get_untracked(), &[&e])),
                );
            });
        });
        let on_cancel = Callback::new(move |id: String| {
            leptos::task::spawn_local(async move {
                let result = sync.cancel(&id).await;
                action_error.set(
                    result
                        .err()
                        .map(|e| Msg::ActionFailed.fill(i18n.lang.get_untracked(), &[&e])),
                );
            });
        });
        view! {
            <RegistrationBar
                lang=lang
                signed_in=signed_in
                sign_in_href=sign_in_href(&format!("/{}", kind_path(o.kind)))
                registered=registered
                can_sign_up=can_sign_up
                signup_href=(!o.questions.is_empty()).then(|| offering_href(&o.id))
                on_request=on_request
                on_cancel=on_cancel
            />
        }
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
                _ if !of_kind.get().is_empty() => (Msg::NothingMatches, "filtered-empty"),
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
                        let bar = registration_bar(&o, lang);
                        let href = offering_href(&o.id);
                        view! {
                            <div class="programme" data-testid="programme">
                                <OfferingCard offering=o venue_name=venue lang=lang href=href />
                                {bar}
                            </div>
                        }
                    })
                    .collect_view()}
            </div>
        }
        .into_any()
    };

    view! {
        <section class="page">
            <h1 class="page-title">{move || i18n.t(title)}</h1>
            {move || action_error.get().map(|e| view! { <p class="banner banner-error" role="alert">{e}</p> })}
            {status_line}
            {children.map(|c| c())}
            <FilterBar filter=filter categories=categories venues=venues />
            {body}
        </section>
    }
}
