//! The 中文 / English switch.

use crate::i18n::{Msg, use_i18n};
use leptos::prelude::*;

/// A button that switches to the other language; the choice is remembered on the device.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <button
            class="lang-switch"
            type="button"
            data-testid="lang-switch"
            aria-label=move || i18n.t(Msg::SwitchLanguageLabel)
            on:click=move |_| i18n.lang.update(|l| *l = l.other())
        >
            {move || i18n.t(Msg::SwitchLanguage)}
        </button>
    }
}
