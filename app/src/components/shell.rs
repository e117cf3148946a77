//! The frame around every screen: header, banners, content, tab bar.

use super::{
    account_link::AccountLink, lang_switch::LangSwitch, session_banner::SessionBanner,
    tab_bar::TabBar, update_banner::UpdateBanner,
};
use crate::{
    account::sign_in_href,
    i18n::{Msg, use_i18n},
    state::session::use_session,
};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// Header on top, the tab bar at the bottom on phones and at the side on wide screens.
#[component]
pub fn Shell(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let location = use_location();
    // Signing in brings the person back to the screen they were on.
    let here = Signal::derive(move || {
        let path = location.pathname.get();
        let search = location.search.get();
        let here = if search.is_empty() {
            path
        } else {
            format!("{path}?{}", search.trim_start_matches('?'))
        };
        sign_in_href(&here)
    });
    let name = Signal::derive(move || session.user().map(|u| u.display_name));
    let on_sign_in_screen = move || location.pathname.get() == "/signin";
    let show_banner = Signal::derive(move || session.needs_sign_in.get() && !on_sign_in_screen());
    view! {
        <div class="shell">
            <header class="app-header">
                <a class="brand" href="/">
                    <span class="brand-mark" aria-hidden="true">"青"</span>
                    <span class="brand-name">{move || i18n.t(Msg::AppName)}</span>
                </a>
                <div class="header-actions">
                    <AccountLink name=name sign_in_href=here />
                    <LangSwitch />
                </div>
            </header>
            <div class="banners">
                <UpdateBanner />
                <SessionBanner show=show_banner href=here />
            </div>
            <main class="content">{children()}</main>
            <TabBar />
        </div>
    }
}
