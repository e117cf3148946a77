//! The loop itself: one round at a time, then a wait (30 s, a backoff after a failure, or until
//! woken); one tab at a time through Web Locks, and the others told through BroadcastChannel.

use super::{Running, SYNCED_AT, SyncState, SyncStatus, now_ms};
use crate::{format, state::set_if_changed};
use engine::{Store, SyncError, TransportError, backoff::sync_delay};
use futures::{StreamExt, channel::mpsc};
use leptos::prelude::*;

/// How often to sync while nothing else asks for it.
const EVERY: std::time::Duration = std::time::Duration::from_secs(30);

#[cfg(target_arch = "wasm32")]
pub(super) mod glue {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen(module = "/src/sync_glue.js")]
    extern "C" {
        #[wasm_bindgen(js_name = tryLock)]
        pub fn try_lock(name: &str) -> js_sys::Promise;
        pub fn announce(name: &str);
        pub fn listen(name: &str, callback: &Closure<dyn FnMut()>);
        #[wasm_bindgen(js_name = persistStorage)]
        pub fn persist_storage() -> js_sys::Promise;
        #[wasm_bindgen(js_name = isOnline)]
        pub fn is_online() -> bool;
    }
}

#[cfg(target_arch = "wasm32")]
pub(super) fn channel_name(user_id: &str) -> String {
    format!("qingtuan-sync-{user_id}")
}

pub(super) fn is_online() -> bool {
    #[cfg(target_arch = "wasm32")]
    {
        glue::is_online()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        true
    }
}

enum Round {
    Done,
    Retry,
    Wait,
}

fn jitter() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Math::random()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0.5
    }
}

impl SyncState {
    pub(super) async fn run(
        self,
        running: std::rc::Weak<Running>,
        mut wake: mpsc::UnboundedReceiver<()>,
    ) {
        let mut failures: u32 = 0;
        loop {
            let Some(r) = running.upgrade() else {
                return;
            };
            let retry = self.round(&r).await;
            drop(r);
            let delay = match retry {
                Round::Done => {
                    failures = 0;
                    EVERY
                }
                Round::Retry => {
                    failures = failures.saturating_add(1);
                    sync_delay(failures - 1, jitter())
                }
                // Only a new token (or a reload) helps: wait to be woken.
                Round::Wait => std::time::Duration::from_secs(3600),
            };
            let timer = gloo_timers::future::sleep(delay);
            futures::pin_mut!(timer);
            if let futures::future::Either::Left((None, _)) =
                futures::future::select(wake.next(), timer).await
            {
                return;
            }
            // Several wakes while busy mean one more round.
            while wake.try_recv().is_ok() {}
        }
    }

    async fn round(&self, r: &Running) -> Round {
        if !is_online() {
            self.status.set(SyncStatus::Offline);
            self.refresh_view(r).await;
            return Round::Retry;
        }
        #[cfg(target_arch = "wasm32")]
        let release = {
            let lock =
                wasm_bindgen_futures::JsFuture::from(glue::try_lock(&channel_name(&r.user_id)))
                    .await;
            match lock {
                Ok(f) if f.is_function() => Some(js_sys::Function::from(f)),
                // Another tab is syncing; it will announce the result.
                _ => {
                    self.refresh_view(r).await;
                    return Round::Done;
                }
            }
        };
        self.status.set(SyncStatus::Syncing);
        let result = r.engine.sync(now_ms()).await;
        if result.is_ok()
            && let Err(e) = r
                .engine
                .store()
                .set_meta(SYNCED_AT, now_ms().to_string())
                .await
        {
            leptos::logging::warn!("noting the sync time failed: {e}");
        }
        #[cfg(target_arch = "wasm32")]
        if let Some(release) = release {
            let _ = release.call0(&wasm_bindgen::JsValue::NULL);
        }
        self.refresh_view(r).await;
        match result {
            Ok(_) => {
                self.status.set(SyncStatus::Synced(format::now()));
                self.absorb_catalogue(r).await;
                #[cfg(target_arch = "wasm32")]
                glue::announce(&channel_name(&r.user_id));
                Round::Done
            }
            Err(SyncError::Transport(TransportError::Unauthenticated)) => {
                self.status.set(SyncStatus::NeedsSignIn);
                set_if_changed(self.session.needs_sign_in, true);
                Round::Wait
            }
            Err(SyncError::Transport(TransportError::VersionNotSupported)) => {
                self.status.set(SyncStatus::UpdateApp);
                Round::Wait
            }
            Err(SyncError::Transport(e)) if e.is_transient() => {
                self.status.set(if is_online() {
                    SyncStatus::Failed(e.to_string())
                } else {
                    SyncStatus::Offline
                });
                Round::Retry
            }
            Err(e) => {
                self.status.set(SyncStatus::Failed(e.to_string()));
                Round::Retry
            }
        }
    }

    /// The offerings the pull brought are fresher than the public list: show them.
    async fn absorb_catalogue(&self, r: &Running) {
        if let Ok((fresh, _)) = crate::state::catalogue::load_cached(r.engine.store(), &mut 0).await
        {
            self.catalogue.show_synced(fresh);
        }
    }
}
