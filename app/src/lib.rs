//! Qingtuan's client: a Leptos CSR app that keeps working offline.
//!
//! Code map: `pages/` the screens by role (everyone's one file each, organizers' `venue/`,
//! admins' `admin/`); `components/` take props and fetch nothing; `state/` shared reactive
//! state behind `provide_x` / `use_x` (the sync loop, and one handle per feature with its
//! actions); the device's database and sync engine are the `engine` crate; `api` the HTTP
//! client; `account` the pure rules of the account screens;
//! `i18n` every user-facing string; pure helpers tested natively: `filters` (the list filters),
//! `hours` (the volunteer-hours ledger), `agenda` and `ics` (reminders and calendar files),
//! `offering_form` (the admin's editor), `qr` (ticket QR codes), `chart` (the admin's SVG
//! charts).

#![recursion_limit = "256"]

pub mod account;
pub mod agenda;
pub mod api;
pub mod chart;
pub mod components;
pub mod course;
mod dom;
pub mod filters;
pub mod first;
pub mod format;
pub mod hours;
pub mod i18n;
pub mod ics;
pub mod nav;
pub mod offering_form;
pub mod pages;
pub mod qr;
pub mod state;
pub mod status_text;
#[cfg(target_arch = "wasm32")]
mod sw;
#[cfg(test)]
mod test_offering;

use components::shell::Shell;
use domain::bundle::Bundle;
use leptos::prelude::*;
use nav::{Page, Router, Routes};

/// Mounts the main build (everyone's app) on `<body>`.
pub fn start() {
    console_error_panic_hook::set_once();
    dom::arrived(Bundle::Main);
    first::read_page();
    let drawn = dom::Prerendered::find();
    if drawn.is_empty() {
        leptos::mount::mount_to_body(App);
        // What the page's first script hid (`first::PERSONAL_CLASS`), now the app's.
        drawn.remove();
        return;
    }
    // The page the server drew (a first visit) is painted first, as it would be on a slow
    // network, then the app draws the same page from the same data and replaces it in one
    // task: nothing on screen changes.
    dom::after_paint(move || {
        leptos::mount::mount_to_body(App);
        drawn.remove();
    });
}

/// Mounts the staff build (venue mode and the admin's screens) on `<body>`.
pub fn start_staff() {
    console_error_panic_hook::set_once();
    dom::arrived(Bundle::Staff);
    leptos::mount::mount_to_body(StaffApp);
}

/// What both builds share: language, the offline catalogue, updates, the session, sync and
/// the service worker.
fn provide_app_state(staff: Option<state::sync::StaffPass>) {
    i18n::provide_i18n();
    let catalogue = state::catalogue::provide_catalogue();
    let update = state::update::provide_update();
    let session = state::session::provide_session();
    state::sync::provide_sync(session, catalogue, staff);
    #[cfg(target_arch = "wasm32")]
    {
        sw::register(update);
        sw::keep_staff_build_for(session);
        leptos::task::spawn_local(async move { catalogue.start().await });
        session.start();
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (catalogue, update, session);
}

/// The main build's screens. A path of the staff build is handed over to it by the fallback.
const MAIN_ROUTES: &[(&str, Page)] = &[
    ("/", || {
        view! { <pages::activities::Activities /> }.into_any()
    }),
    ("/courses", || {
        view! { <pages::courses::Courses /> }.into_any()
    }),
    ("/courses/:id/results", || {
        view! { <pages::course_public::CourseResults /> }.into_any()
    }),
    ("/certificates/verify", || {
        view! { <pages::course_public::CertificateCheck /> }.into_any()
    }),
    ("/mixers", || view! { <pages::mixers::Mixers /> }.into_any()),
    ("/me", || view! { <pages::me::Me /> }.into_any()),
    ("/me/hours", || view! { <pages::hours::Hours /> }.into_any()),
    ("/notices", || {
        view! { <pages::notices::Notices /> }.into_any()
    }),
    ("/me/mixer-profile", || {
        view! { <pages::mixer_participant::MixerProfilePage /> }.into_any()
    }),
    ("/me/hours/:year/certificate", || {
        view! { <pages::hours::Certificate /> }.into_any()
    }),
    ("/me/courses/:id/certificate", || {
        view! { <pages::course_learner::CourseCertificate /> }.into_any()
    }),
    ("/o/:id", || {
        view! { <pages::offering::OfferingPage /> }.into_any()
    }),
    ("/signin", || view! { <pages::signin::SignIn /> }.into_any()),
    ("/signup", || view! { <pages::signup::SignUp /> }.into_any()),
    ("/privacy", || {
        view! { <pages::privacy::Privacy /> }.into_any()
    }),
];

/// The staff build's screens: venue mode and the admin's.
const STAFF_ROUTES: &[(&str, Page)] = &[
    ("/venue", || {
        view! { <pages::venue::VenuePicker /> }.into_any()
    }),
    ("/venue/:id", || {
        view! { <pages::venue::VenueCheckin /> }.into_any()
    }),
    ("/venue/:id/sheet", || {
        view! { <pages::venue::SignInSheet /> }.into_any()
    }),
    ("/admin", || view! { <pages::admin::Admin /> }.into_any()),
    ("/admin/report/:year", || {
        view! { <pages::admin::YearReport /> }.into_any()
    }),
];

/// A build's root: the shared contexts, the shell, and `routes` (`fallback` for other paths).
fn root(
    routes: &'static [(&'static str, Page)],
    fallback: Page,
    staff: Option<state::sync::StaffPass>,
) -> impl IntoView {
    provide_app_state(staff);
    view! {
        <Router>
            <Shell>
                <Routes routes=routes fallback=fallback />
            </Shell>
        </Router>
    }
}

/// The main build's root: the young person's screens.
#[component]
pub fn App() -> impl IntoView {
    root(
        MAIN_ROUTES,
        || view! { <pages::not_found::Fallback this=Bundle::Main /> }.into_any(),
        None,
    )
}

/// The staff build's root: venue mode and the admin's screens.
#[component]
pub fn StaffApp() -> impl IntoView {
    root(
        STAFF_ROUTES,
        || view! { <pages::not_found::Fallback this=Bundle::Staff /> }.into_any(),
        Some(state::sync::staff_pass),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_service_worker_routes_the_same_paths_to_the_staff_build() {
        let list = domain::bundle::STAFF_ROUTES
            .iter()
            .map(|r| format!("\"{r}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let line = format!("const STAFF_ROUTES = [{list}];");
        assert!(
            include_str!("../sw.js").contains(&line),
            "app/sw.js must have: {line}"
        );
    }
}
