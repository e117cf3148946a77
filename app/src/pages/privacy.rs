//! 隐私政策: the privacy notice on its own page, so it can be read (and linked) before signing up.

use crate::{
    components::privacy_notice::PrivacyNotice,
    i18n::{Msg, use_i18n},
};
use leptos::prelude::*;

/// The full notice.
#[component]
pub fn Privacy() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page page-narrow">
            <h1 class="page-title">{move || i18n.t(Msg::PrivacyTitle)}</h1>
            <article class="card">
                <PrivacyNotice />
            </article>
        </section>
    }
}
