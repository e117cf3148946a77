//! 新版本已就绪 [更新]: shown when the service worker has a new version waiting.

use crate::{
    i18n::{Msg, use_i18n},
    state::update::use_update,
};
use leptos::prelude::*;

/// Offers the waiting version; tapping 更新 switches to it and reloads.
#[component]
pub fn UpdateBanner() -> impl IntoView {
    let i18n = use_i18n();
    let update = use_update();
    view! {
        <Show when=move || update.ready.get()>
            <div class="banner banner-update" role="status" data-testid="update-banner">
                <span>{move || i18n.t(Msg::UpdateReady)}</span>
                <button type="button" class="button button-primary" on:click=move |_| update.apply()>
                    {move || i18n.t(Msg::UpdateNow)}
                </button>
            </div>
        </Show>
    }
}
