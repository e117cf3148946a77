//! The first visit: the server sends the page drawn (by these same components, natively:
//! [`prerender`]) with the data it was drawn from. The app reads that data before its first
//! render, so its first frame is the page already on screen, and it takes the page over in the
//! same task ([`crate::start`]): no loading state, no redraw, nothing moves.
//!
//! The data is what the API would answer (the catalogue; a course's public results), in a
//! `<script type="application/json" id="qt-first">` element: never run, so the content
//! security policy has nothing to allow. Pages the service worker answers (every visit after
//! the first) have none: the app then starts from the device's store as before.

use crate::course::Results;
use domain::Catalogue;
use serde::Deserialize;
use std::cell::RefCell;

/// The id of the element that carries the data in the page.
pub const ELEMENT_ID: &str = "qt-first";

/// The class `<html>` gets (app/build/first-paint.mjs) on a person's own screens (`/me…`) on a
/// device with a session: the drawn page, made for someone signed out, keeps its content hidden
/// until the app has drawn the person's own.
pub const PERSONAL_CLASS: &str = "qt-personal";

/// What the server sends with a page: the answers its first render used (written by the
/// server from its own types, read here as the API's answers are).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct FirstData {
    /// `GET /api/v1/catalogue`.
    #[serde(default)]
    pub catalogue: Option<Catalogue>,
    /// `GET /api/v1/courses/{id}/results`, for the course the page is about.
    #[serde(default)]
    pub course_results: Option<CourseResults>,
}

/// One course's public results, as [`FirstData`] carries them.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CourseResults {
    /// The course's offering id.
    pub id: String,
    /// The answer, as the API sends it.
    pub results: Results,
}

thread_local! {
    static FIRST: RefCell<FirstData> = RefCell::new(FirstData::default());
}

/// Keeps the page's data for the first render (replacing any earlier).
pub fn set(data: FirstData) {
    FIRST.with(|f| *f.borrow_mut() = data);
}

/// The catalogue the page came with, once: later starts read the device's store.
pub fn take_catalogue() -> Option<Catalogue> {
    FIRST.with(|f| f.borrow_mut().catalogue.take())
}

/// The public results of course `id`, if the page came with them; once, so a later visit to
/// the screen asks the server again.
pub fn take_course_results(id: &str) -> Option<Results> {
    FIRST.with(|f| {
        let mut f = f.borrow_mut();
        if f.course_results.as_ref().is_some_and(|r| r.id == id) {
            f.course_results.take().map(|r| r.results)
        } else {
            None
        }
    })
}

/// The offering whose course results the page at `href` may show, matched and decoded as the
/// app's router does: the results page's course, or the offering of `/o/ID` (whose page shows
/// its applications when it is a lottery course).
pub fn course_of(href: &str) -> Option<String> {
    let path = crate::nav::address_of(href).path;
    ["/courses/:id/results", "/o/:id"]
        .iter()
        .find_map(|pattern| crate::nav::match_path(pattern, &path)?.get("id"))
}

/// The data in the page, read (none natively); the element goes with the drawn page
/// (`dom::Prerendered`).
pub fn read_page() {
    #[cfg(target_arch = "wasm32")]
    read_element();
}

#[cfg(target_arch = "wasm32")]
fn read_element() {
    let Some(el) = leptos::prelude::document().get_element_by_id(ELEMENT_ID) else {
        return;
    };
    let text = el.text_content().unwrap_or_default();
    match engine::from_json::<FirstData>(&text) {
        Ok(data) => set(data),
        Err(e) => leptos::logging::warn!("the page's data is unreadable, starting without it: {e}"),
    }
}

/// The server's first render of the main build at `path` (with its query), drawn from `data`
/// (JSON of [`FirstData`]) for someone signed out, in Chinese: the shell and the screen, as the
/// app's first frame will be. Effects and tasks do not run; what they would bring (the device's
/// data, answers from the network) the app adds when it takes over.
#[cfg(not(target_arch = "wasm32"))]
pub fn prerender(path: &str, data: &str) -> Result<String, serde_json::Error> {
    use leptos::prelude::*;
    let data: FirstData = serde_json::from_str(data)?;
    idle_executor();
    set(data);
    crate::nav::set_first_address(path);
    let owner = Owner::new();
    let html = owner.with(|| view! { <crate::App /> }.to_html());
    drop(owner);
    set(FirstData::default());
    crate::nav::set_first_address("/");
    // Leptos marks its dynamic parts with empty comments for hydration; this app does not
    // hydrate (it takes the page over), so they are only bytes.
    Ok(html.replace("<!--<() />-->", "").replace("<!>", ""))
}

/// An executor that never runs what is spawned on it: the server's render has no browser for
/// effects and tasks to act on. Set once per process.
#[cfg(not(target_arch = "wasm32"))]
fn idle_executor() {
    struct Idle;
    impl any_spawner::CustomExecutor for Idle {
        fn spawn(&self, _: any_spawner::PinnedFuture<()>) {}
        fn spawn_local(&self, _: any_spawner::PinnedLocalFuture<()>) {}
        fn poll_local(&self) {}
    }
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // Fails only if an executor is already set, which nothing in the server does.
        let _ = any_spawner::Executor::init_custom_executor(Idle);
    });
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use serde_json::json;

    /// A catalogue with one activity next month and its venue, as the API sends it.
    fn catalogue() -> serde_json::Value {
        let start = crate::format::now() + time::Duration::days(30);
        let fmt = |t: time::OffsetDateTime| {
            t.format(&time::format_description::well_known::Rfc3339)
                .unwrap()
        };
        let offering = crate::test_offering::from_flat(json!({
            "id": "act-river", "kind": "activity", "title": "河道巡护", "summary": "沿江巡查",
            "category": "河小青", "venue_id": "v1",
            "starts_at": fmt(start), "ends_at": fmt(start + time::Duration::hours(2)),
            "sessions": 1, "capacity": 20, "seats_taken": 3,
            "signup_closes_at": fmt(start - time::Duration::days(1)), "volunteer_hours": 2
        }));
        json!({
            "venues": [{"id": "v1", "name": "滨江街道青年之家", "address": "滨江路88号"}],
            "offerings": [offering],
        })
    }

    fn results() -> serde_json::Value {
        json!({
            "offering_id": "course-1", "title": "书法入门", "closes_at": 1_790_000_000,
            "applications": 42, "capacity": 30,
            "frozen": {
                "frozen_at": 1_790_000_000,
                "entries": [{"number": "QT-AB12", "tier": 1}],
                "list_hash": "ab".repeat(32),
                "commitment": "cd".repeat(32),
            },
            "drawn": null,
        })
    }

    #[test]
    fn the_home_page_is_drawn_with_the_catalogues_programmes_and_no_loading_state() {
        let data = json!({ "catalogue": catalogue() }).to_string();
        let html = prerender("/", &data).unwrap();
        assert!(html.starts_with("<div class=\"shell\">"), "{html}");
        assert!(html.contains("河道巡护"), "the card's title: {html}");
        assert!(html.contains("滨江街道青年之家"), "its venue");
        assert!(html.contains("href=\"/o/act-river\""), "its link");
        assert!(!html.contains("data-testid=\"loading\""), "{html}");
        assert!(
            html.contains("aria-current=\"page\""),
            "the tab of the page"
        );
        assert!(!html.contains("<!>"), "no hydration markers");
    }

    #[test]
    fn without_a_catalogue_the_list_says_it_is_loading_and_an_empty_one_says_it_is_empty() {
        let html = prerender("/", "{}").unwrap();
        assert!(html.contains("data-testid=\"loading\""), "{html}");
        let empty = json!({ "catalogue": {"venues": [], "offerings": []} }).to_string();
        let html = prerender("/courses", &empty).unwrap();
        assert!(html.contains("data-testid=\"empty-state\""), "{html}");
    }

    #[test]
    fn a_courses_results_page_is_drawn_from_the_results_it_came_with() {
        let data = json!({
            "catalogue": catalogue(),
            "course_results": {"id": "course-1", "results": results()},
        })
        .to_string();
        let html = prerender("/courses/course-1/results", &data).unwrap();
        assert!(html.contains("书法入门"), "{html}");
        assert!(html.contains(&"ab".repeat(32)), "the list's hash");
        assert!(html.contains("QT-AB12"), "the frozen entry");
        // Another course's results are not this page's.
        let html = prerender("/courses/course-2/results", &data).unwrap();
        assert!(!html.contains("QT-AB12"), "{html}");
    }

    #[test]
    fn each_render_starts_from_its_own_data_and_address() {
        let data = json!({ "catalogue": catalogue() }).to_string();
        let first = prerender("/o/act-river", &data).unwrap();
        assert!(first.contains("沿江巡查"), "the programme's page: {first}");
        let second = prerender("/", "{}").unwrap();
        assert!(
            !second.contains("河道巡护"),
            "nothing left from the first: {second}"
        );
        assert!(second.contains("data-testid=\"loading\""));
        assert_eq!(
            take_catalogue(),
            None,
            "the data is not kept after a render"
        );
    }

    #[test]
    fn the_course_a_page_is_about_is_found_as_the_router_finds_it() {
        assert_eq!(course_of("/courses/c-1/results").as_deref(), Some("c-1"));
        assert_eq!(course_of("/o/c%201?x=1").as_deref(), Some("c 1"));
        assert_eq!(course_of("/courses"), None);
        assert_eq!(course_of("/o/"), None);
        assert_eq!(course_of("/courses/c-1"), None);
    }

    #[test]
    fn data_the_app_cannot_read_is_an_error_and_draws_nothing() {
        assert!(prerender("/", "not json").is_err());
        assert!(prerender("/", r#"{"catalogue": {"offerings": 3}}"#).is_err());
    }
}
