//! The frame around every screen: header, update banner, content, tab bar.

use super::{lang_switch::LangSwitch, tab_bar::TabBar, update_banner::UpdateBanner};
use crate::i18n::{Msg, use_i18n};
use leptos::prelude::*;

/// Header on top, the tab bar at the bottom on phones and at the side on wide screens.
#[component]
pub fn Shell(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="shell">
            <header class="app-header">
                <a class="brand" href="/">
                    <span class="brand-mark" aria-hidden="true">"青"</span>
                    <span class="brand-name">{move || i18n.t(Msg::AppName)}</span>
                </a>
                <LangSwitch />
            </header>
            <UpdateBanner />
            <main class="content">{children()}</main>
            <TabBar />
        </div>
    }
}
