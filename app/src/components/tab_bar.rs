//! The bottom tab bar (活动 / 夜校 / 联谊 / 我的) and, on wide screens, the admin link.

use crate::i18n::{Msg, use_i18n};
use crate::nav::A;
use leptos::prelude::*;

/// Navigation between the main screens. The current tab is marked with `aria-current`.
#[component]
pub fn TabBar() -> impl IntoView {
    let i18n = use_i18n();
    let tab = move |href: &'static str, icon: &'static str, msg: Msg| {
        view! {
            <A href=href exact=true attr:class="tab">
                <span class="tab-icon" aria-hidden="true">{icon}</span>
                <span class="tab-label">{move || i18n.t(msg)}</span>
            </A>
        }
    };
    view! {
        <nav class="tab-bar" aria-label="main">
            {tab("/", "✦", Msg::TabActivities)}
            {tab("/courses", "✎", Msg::TabCourses)}
            {tab("/mixers", "❤", Msg::TabMixers)}
            {tab("/me", "☺", Msg::TabMe)}
            <A href="/admin" attr:class="tab tab-admin">
                <span class="tab-icon" aria-hidden="true">"▤"</span>
                <span class="tab-label">{move || i18n.t(Msg::AdminArea)}</span>
            </A>
        </nav>
    }
}
