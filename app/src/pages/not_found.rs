//! Any path the router does not know: either a page of the other build (handed over to it
//! with a full load) or a page that does not exist.

use crate::i18n::{Msg, use_i18n};
use crate::nav::{A, use_location};
use domain::bundle::{Bundle, bundle_for_path};
use leptos::prelude::*;

/// What the router shows for a path this build has no route for.
#[component]
pub fn Fallback(
    /// The build this is.
    this: Bundle,
) -> impl IntoView {
    let location = use_location();
    let path = location.pathname.get_untracked();
    if bundle_for_path(&path) == this {
        return view! { <NotFound /> }.into_any();
    }
    let href = page_href(&path, &location.search.get_untracked());
    if crate::dom::hand_over(&href) {
        // The other build loads in place of this one (from the service worker's cache when
        // it has it); until then, a quiet loading line.
        let i18n = use_i18n();
        view! { <p class="page muted" role="status">{move || i18n.t(Msg::Loading)}</p> }.into_any()
    } else {
        view! { <NotDownloaded /> }.into_any()
    }
}

/// 页面不存在, with a way back.
#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page">
            <h1 class="page-title">{move || i18n.t(Msg::NotFoundTitle)}</h1>
            <A href="/" attr:class="button button-primary">{move || i18n.t(Msg::BackHome)}</A>
        </section>
    }
}

/// The other build was asked for but could not be loaded: offline, on a device that never
/// saved the staff screens.
#[component]
fn NotDownloaded() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page" data-testid="screen-not-downloaded">
            <h1 class="page-title">{move || i18n.t(Msg::ScreenNotDownloadedTitle)}</h1>
            <p>{move || i18n.t(Msg::ScreenNotDownloadedText)}</p>
            <div class="actions">
                <button type="button" class="button button-primary" on:click=|_| crate::dom::reload()>
                    {move || i18n.t(Msg::Retry)}
                </button>
                <A href="/" attr:class="button">{move || i18n.t(Msg::BackHome)}</A>
            </div>
        </section>
    }
}

/// The page's address from the router's path and query (which it keeps without the `?`).
fn page_href(path: &str, search: &str) -> String {
    if search.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{search}")
    }
}

#[cfg(test)]
mod tests {
    use super::page_href;

    #[test]
    fn the_hand_over_keeps_the_query() {
        assert_eq!(page_href("/admin", ""), "/admin");
        assert_eq!(
            page_href("/signin", "next=%2Fadmin"),
            "/signin?next=%2Fadmin"
        );
    }
}
