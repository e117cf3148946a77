//! Any path the router does not know.

use crate::i18n::{Msg, use_i18n};
use leptos::prelude::*;
use leptos_router::components::A;

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
