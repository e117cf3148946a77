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
        registrations::{Registrations, use_registrations},
        session::use_session,
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

/// What a card's registration bar shows; the bar is drawn again only when this changed.
#[derive(Clone, PartialEq)]
struct Bar {
    lang: crate::i18n::Lang,
    signed_in: bool,
    sign_in_href: String,
    registered: Option<Registered>,
    can_sign_up: bool,
    signup_href: Option<String>,
}

impl Bar {
    fn new(
        o: &domain::Offering,
        lang: crate::i18n::Lang,
        signed_in: bool,
        registrations: &Registrations,
    ) -> Bar {
        let registered = registrations.for_offering(&o.id).map(|r| Registered {
            label: status_text::registration(lang, &r),
            note: status_text::registration_note(lang, &r),
            pending: r.pending,
            cancellable: domain::signup::may_cancel(r.status),
            live: r.status.is_live(),
            id: r.id,
        });
        let now = format::now();
        Bar {
            lang,
            signed_in,
            sign_in_href: sign_in_href(&format!("/{}", kind_path(o.kind()))),
            registered,
            can_sign_up: can_sign_up(o, now.unix_timestamp()),
            signup_href: (!o.plan.questions.is_empty()).then(|| offering_href(&o.id)),
        }
    }
}

/// Whether a card offers 报名: the one sign-up decision, for someone with no registration
/// there (the bar shows a live one instead) and no mixer profile yet (a mixer's pool needs
/// their gender). A full offering still offers it: the server's answer says full or waitlist.
fn can_sign_up(o: &domain::Offering, now: i64) -> bool {
    use domain::signup::{Applicant, Offer, pool_for};
    let applicant = Applicant {
        has_live: false,
        pool: pool_for(&o.plan, None),
        term_full: false,
        ineligible: None,
    };
    !matches!(
        Offer::of(o, &applicant, now),
        Offer::Closed(_) | Offer::NotEligible
    )
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
                .filter(|o| o.kind() == kind)
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let categories = Memo::new(move |_| {
        let mut cats: Vec<String> = Vec::new();
        for o in of_kind.get() {
            if !cats.contains(&o.plan.category) {
                cats.push(o.plan.category);
            }
        }
        cats
    });
    let venues = Signal::derive(move || {
        let mut ids: Vec<String> = Vec::new();
        for o in of_kind.get() {
            if !ids.contains(&o.plan.venue_id) {
                ids.push(o.plan.venue_id);
            }
        }
        ids.into_iter()
            .map(|id| {
                let name = state.venue_name(&id).unwrap_or_else(|| id.clone());
                (id, name)
            })
            .collect::<Vec<_>>()
    });
    // The ids on screen, in order. Each card follows its own offering and registration (below),
    // so a sync that changes one card's places or state redraws that card's part alone, and a
    // 取消报名 waiting for its confirmation elsewhere stays open.
    let shown = Memo::new(move |_| {
        let today = format::in_china(format::now()).date();
        filter.with(|f| {
            of_kind.with(|os| {
                os.iter()
                    .filter(|o| f.matches(o, today))
                    .map(|o| o.id.clone())
                    .collect::<Vec<_>>()
            })
        })
    });

    let session = use_session();
    let registrations = use_registrations();
    let action_error = RwSignal::new(None::<String>);
    let card = move |id: String| {
        let offering =
            Memo::new(move |_| of_kind.with(|os| os.iter().find(|o| o.id == id).cloned()));
        // What the card shows: it is drawn again only when one of these changed.
        let facts = Memo::new(move |_| {
            offering.get().map(|o| {
                let venue = state.venue_name(&o.plan.venue_id);
                (o, venue, i18n.lang.get())
            })
        });
        let bar = Memo::new(move |_| {
            offering.with(|o| {
                o.as_ref().map(|o| {
                    Bar::new(
                        o,
                        i18n.lang.get(),
                        session.session.with(Option::is_some),
                        &registrations,
                    )
                })
            })
        });
        let on_request = Callback::new(move |()| {
            let Some(offering) = offering.get_untracked() else {
                return;
            };
            leptos::task::spawn_local(async move {
                let result = registrations.request(&offering, Default::default()).await;
                action_error.set(result.err().map(|e| e.text(i18n.lang.get_untracked())));
            });
        });
        let on_cancel = Callback::new(move |id: String| {
            leptos::task::spawn_local(async move {
                let result = registrations.cancel(&id).await;
                action_error.set(result.err().map(|e| e.text(i18n.lang.get_untracked())));
            });
        });
        view! {
            <div class="programme" data-testid="programme">
                {move || facts.get().map(|(o, venue, lang)| {
                    let href = offering_href(&o.id);
                    view! { <OfferingCard offering=o venue_name=venue lang=lang href=href /> }
                })}
                {move || bar.get().map(|b| view! {
                    <RegistrationBar
                        lang=b.lang
                        signed_in=b.signed_in
                        sign_in_href=b.sign_in_href
                        registered=b.registered
                        can_sign_up=b.can_sign_up
                        signup_href=b.signup_href
                        on_request=on_request
                        on_cancel=on_cancel
                    />
                })}
            </div>
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

    // The list's "loading" state below: the filters keep their places meanwhile.
    let pending = Signal::derive(move || {
        of_kind.with(Vec::is_empty)
            && matches!(
                state.status.get(),
                CatalogueStatus::Loading | CatalogueStatus::Cached
            )
    });
    let nothing_shown = Memo::new(move |_| shown.with(Vec::is_empty));
    let body = move || {
        if !nothing_shown.get() {
            return view! {
                <div class="card-list" data-testid="offering-list">
                    <For each=move || shown.get() key=|id| id.clone() children=card />
                </div>
            }
            .into_any();
        }
        let (msg, testid) = match state.status.get() {
            _ if !of_kind.with(Vec::is_empty) => (Msg::NothingMatches, "filtered-empty"),
            CatalogueStatus::Loading | CatalogueStatus::Cached => (Msg::Loading, "loading"),
            CatalogueStatus::Offline => (Msg::OfflineNoData, "offline-empty"),
            CatalogueStatus::Failed(_) => return view! { <div></div> }.into_any(),
            _ => (Msg::EmptyList, "empty-state"),
        };
        view! {
            <p class="empty" data-testid=testid aria-busy=(testid == "loading").then_some("true")>
                {move || i18n.t(msg)}
            </p>
        }
        .into_any()
    };

    view! {
        <section class="page">
            <h1 class="page-title">{move || i18n.t(title)}</h1>
            {move || action_error.get().map(|e| view! { <p class="banner banner-error" role="alert">{e}</p> })}
            {status_line}
            {children.map(|c| c())}
            <FilterBar filter=filter categories=categories venues=venues pending=pending />
            {body}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offering(kind: &str, capacity: u32, taken: u32) -> domain::Offering {
        let mut o = crate::test_offering::from_flat(serde_json::json!({
            "id": "o1", "kind": kind, "title": "t", "summary": "", "category": "c",
            "venue_id": "v", "starts_at": "2026-12-10T09:00:00+08:00",
            "ends_at": "2026-12-10T11:00:00+08:00", "sessions": 1,
            "capacity": capacity, "seats_taken": taken,
            "signup_closes_at": "2026-12-09T20:00:00+08:00", "volunteer_hours": 2
        }));
        if kind == "mixer" {
            // A mixer's places are per gender: no pool without the person's profile.
            o.plan.quotas = vec![
                domain::Quota {
                    pool: domain::PoolKey::Male,
                    capacity: 5,
                },
                domain::Quota {
                    pool: domain::PoolKey::Female,
                    capacity: 5,
                },
            ];
        }
        o
    }

    #[test]
    fn a_card_offers_sign_up_while_open_where_the_person_has_a_pool() {
        let before_close = time::macros::datetime!(2026-12-08 12:00 +8).unix_timestamp();
        let after_close = time::macros::datetime!(2026-12-09 21:00 +8).unix_timestamp();
        assert!(can_sign_up(&offering("activity", 10, 3), before_close));
        assert!(
            can_sign_up(&offering("activity", 10, 10), before_close),
            "full: the server's answer says so"
        );
        assert!(!can_sign_up(&offering("activity", 10, 3), after_close));
        assert!(!can_sign_up(&offering("mixer", 10, 0), before_close));
    }
}
