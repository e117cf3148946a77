//! 管理后台 (`/admin`): programmes (create, edit, publish, cancel, export), the review queue, and
//! user management (roles, and what each organizer runs). Admins only; everyone else is told
//! why not. The staff build's screens only.
//!
//! This file is the page: who may see it, and its three tabs, each a folder or file of its own:
//! `programmes/` (the list, a row, the editor and its questions), `reviews/` (the queue, a
//! row, the answers in words), `users.rs` (search, a user's roles) with `assignments.rs` (what
//! an organizer runs).

mod assignments;
mod league;
mod numbers;
mod programmes;
mod report;
mod reviews;
mod users;

use crate::nav::A;
use crate::{
    account::sign_in_href,
    i18n::{AnyMsg, Msg, StaffMsg, use_i18n},
    state::session::use_session,
};
use domain::Role;
use leptos::prelude::*;
use numbers::NumbersPanel;
use programmes::OfferingsPanel;
pub use report::YearReport;
use reviews::ReviewsPanel;
use users::UsersPanel;

/// Where a request stands.
#[derive(Debug, Clone, PartialEq)]
enum Load<T> {
    Loading,
    Ready(T),
    Failed(Msg),
}

/// Who is looking at the admin area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Viewer {
    SignedOut,
    NotAdmin,
    Admin,
}

/// The sections of the admin area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Offerings,
    Numbers,
    Reviews,
    League,
    Requests,
    Users,
}

/// The admin area, or why it is not shown.
#[component]
pub fn Admin() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let viewer = Memo::new(move |_| match session.user() {
        None => Viewer::SignedOut,
        Some(u) if u.has(Role::Admin) => Viewer::Admin,
        Some(_) => Viewer::NotAdmin,
    });
    view! {
        <section class="page page-wide">
            <h1 class="page-title">{move || i18n.t(Msg::AdminArea)}</h1>
            {move || match viewer.get() {
                Viewer::SignedOut => view! {
                    <div class="card" data-testid="admin-sign-in">
                        <p>{move || i18n.t(Msg::AdminSignInPrompt)}</p>
                        <div class="actions">
                            <A href=sign_in_href("/admin") attr:class="button button-primary">
                                {move || i18n.t(Msg::SignIn)}
                            </A>
                        </div>
                    </div>
                }
                .into_any(),
                Viewer::NotAdmin => view! {
                    <div class="card" role="alert" data-testid="admin-only">
                        <p>{move || i18n.t(Msg::AdminOnly)}</p>
                    </div>
                }
                .into_any(),
                Viewer::Admin => view! { <AdminTabs /> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn AdminTabs() -> impl IntoView {
    let i18n = use_i18n();
    let tab = RwSignal::new(Tab::Offerings);
    // The review queue's offering filter, set from an offering's "待审核" button.
    let review_offering = RwSignal::new(None::<String>);
    let tab_button = move |which: Tab, msg: AnyMsg, id: &'static str, panel: &'static str| {
        view! {
            <button
                type="button"
                role="tab"
                class="seg"
                id=id
                aria-controls=panel
                aria-selected=move || (tab.get() == which).to_string()
                tabindex=move || if tab.get() == which { "0" } else { "-1" }
                on:click=move |_| tab.set(which)
            >
                {move || msg.text(i18n.lang.get())}
            </button>
        }
    };
    let on_review = Callback::new(move |offering_id: String| {
        review_offering.set(Some(offering_id));
        tab.set(Tab::Reviews);
    });
    view! {
        <div class="segmented" role="tablist">
            {tab_button(Tab::Offerings, Msg::AdminTabOfferings.into(), "tab-offerings", "panel-offerings")}
            {tab_button(Tab::Reviews, Msg::AdminTabReviews.into(), "tab-reviews", "panel-reviews")}
            {tab_button(Tab::Numbers, StaffMsg::AdminTabNumbers.into(), "tab-numbers", "panel-numbers")}
            {tab_button(Tab::League, Msg::LeagueTitle.into(), "tab-league", "panel-league")}
            {tab_button(Tab::Requests, StaffMsg::AdminTabRequests.into(), "tab-requests", "panel-requests")}
            {tab_button(Tab::Users, Msg::AdminTabUsers.into(), "tab-users", "panel-users")}
        </div>
        {move || match tab.get() {
            Tab::Offerings => view! {
                <div role="tabpanel" id="panel-offerings" aria-labelledby="tab-offerings">
                    <p class="hint only-narrow">{move || i18n.t(Msg::AdminWideOnly)}</p>
                    <OfferingsPanel on_review=on_review />
                </div>
            }
            .into_any(),
            Tab::Reviews => view! {
                <div role="tabpanel" id="panel-reviews" aria-labelledby="tab-reviews">
                    <ReviewsPanel offering=review_offering />
                </div>
            }
            .into_any(),
            Tab::Numbers => view! {
                <div role="tabpanel" id="panel-numbers" aria-labelledby="tab-numbers">
                    <NumbersPanel />
                </div>
            }
            .into_any(),
            Tab::Users => view! {
                <div role="tabpanel" id="panel-users" aria-labelledby="tab-users">
                    <UsersPanel />
                </div>
            }
            .into_any(),
            Tab::League => view! {
                <div role="tabpanel" id="panel-league" aria-labelledby="tab-league">
                    <league::LeaguePanel />
                </div>
            }
            .into_any(),
            Tab::Requests => view! {
                <div role="tabpanel" id="panel-requests" aria-labelledby="tab-requests">
                    <crate::pages::venue::requests::HoursRequests />
                </div>
            }
            .into_any(),
        }}
    }
}
