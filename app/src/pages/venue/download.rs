//! 下载名单: a sync, with when the device last had one and how many scans still wait.

use crate::{
    format,
    i18n::{Msg, use_i18n},
    state::sync::{SyncStatus, use_sync},
};
use leptos::prelude::*;

/// 下载名单: a sync, with when the device last had one.
#[component]
pub(super) fn DownloadCard() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let syncing = move || sync.status.get() == SyncStatus::Syncing;
    let offline = move || sync.status.get() == SyncStatus::Offline;
    view! {
        <div class="card venue-download">
            <p
                data-testid="roster-downloaded"
                data-synced-at=move || {
                    sync.synced_at.get().map(|t| (t.unix_timestamp_nanos() / 1_000_000).to_string())
                }
            >
                {move || match sync.synced_at.get() {
                    Some(t) => i18n.f(Msg::RosterDownloadedAt, &[&format::date_time(i18n.lang.get(), t)]),
                    None => i18n.t(Msg::RosterNotDownloaded).to_owned(),
                }}
            </p>
            <Show when=move || { sync.pending.get() > 0 }>
                <p class="hint hint-warn" data-testid="scans-waiting">
                    {move || i18n.f(Msg::ScansWaiting, &[&sync.pending.get().to_string()])}
                </p>
            </Show>
            <Show when=offline>
                <p class="hint" data-testid="venue-offline">{move || i18n.t(Msg::VenueOfflineHint)}</p>
            </Show>
            <div class="actions">
                <button
                    type="button"
                    class="button button-primary"
                    data-testid="download-roster"
                    aria-busy=move || syncing().then_some("true")
                    disabled=syncing
                    on:click=move |_| sync.sync_now()
                >
                    {move || i18n.t(if syncing() { Msg::Downloading } else { Msg::DownloadRoster })}
                </button>
            </div>
            <p class="hint">{move || i18n.t(Msg::DownloadHint)}</p>
        </div>
    }
}
