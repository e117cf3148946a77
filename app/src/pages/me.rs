//! 我的: language, what this device keeps, and about the app.

use crate::{
    components::lang_switch::LangSwitch,
    i18n::{Msg, use_i18n},
    state::catalogue::use_catalogue,
};
use leptos::prelude::*;

/// Settings and information about this device.
#[component]
pub fn Me() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_catalogue();
    let saved = move || state.catalogue.with(|c| c.offerings.len());
    view! {
        <section class="page">
            <h1 class="page-title">{move || i18n.t(Msg::MeTitle)}</h1>
            <div class="card">
                <h2 class="card-title">{move || i18n.t(Msg::Language)}</h2>
                <LangSwitch />
            </div>
            <div class="card" data-testid="storage-card">
                <h2 class="card-title">{move || i18n.t(Msg::StorageTitle)}</h2>
                <p>
                    {move || match state.persistent.get() {
                        Some(false) => i18n.t(Msg::StorageUnavailable).to_owned(),
                        Some(true) => i18n.f(Msg::StorageSaved, &[&saved().to_string()]),
                        None => i18n.t(Msg::Loading).to_owned(),
                    }}
                </p>
            </div>
            <div class="card">
                <h2 class="card-title">{move || i18n.t(Msg::AboutTitle)}</h2>
                <p>{move || i18n.t(Msg::AboutText)}</p>
            </div>
        </section>
    }
}
