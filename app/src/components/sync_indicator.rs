//! The sync state line shown on every screen while signed in.

use leptos::prelude::*;

/// 离线 / N 项待同步 / 同步中… / 已同步 HH:MM / 请重新登录.
#[component]
pub fn SyncIndicator(
    /// What to say; nothing is shown when empty.
    text: Signal<String>,
    /// Whether it is a warning (offline with actions waiting, sign in again, update).
    warn: Signal<bool>,
) -> impl IntoView {
    view! {
        <Show when=move || !text.get().is_empty()>
            <p
                class="sync-status"
                class:sync-warn=move || warn.get()
                role="status"
                aria-live="polite"
                data-testid="sync-status"
            >
                <span class="sync-dot" aria-hidden="true"></span>
                {move || text.get()}
            </p>
        </Show>
    }
}
