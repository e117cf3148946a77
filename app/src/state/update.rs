//! Whether a new version of the app is waiting to be used.

use leptos::prelude::*;

/// Set by the service worker glue; read by the update banner.
#[derive(Clone, Copy)]
pub struct UpdateState {
    /// A new version has been downloaded and is waiting.
    pub ready: RwSignal<bool>,
}

impl UpdateState {
    /// Switches to the waiting version (the page reloads).
    pub fn apply(&self) {
        #[cfg(target_arch = "wasm32")]
        if !crate::sw::apply_update() {
            // Nothing waiting after all (another tab took it): a reload shows the newest.
            crate::dom::reload();
        }
    }
}

/// Provides the update state.
pub fn provide_update() -> UpdateState {
    let state = UpdateState {
        ready: RwSignal::new(false),
    };
    provide_context(state);
    state
}

/// The update state.
pub fn use_update() -> UpdateState {
    expect_context::<UpdateState>()
}
