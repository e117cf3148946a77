//! Talks to the service worker through a small JS module (`sw_register.js`).

use crate::state::{session::SessionState, update::UpdateState};
use domain::Role;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/sw_register.js")]
extern "C" {
    #[wasm_bindgen(js_name = registerServiceWorker)]
    fn register_service_worker(on_update_ready: &Closure<dyn FnMut()>);
    #[wasm_bindgen(js_name = applyUpdate)]
    fn apply_update_js() -> bool;
    #[wasm_bindgen(js_name = keepStaffBuild)]
    fn keep_staff_build();
}

/// Registers `/sw.js`; when a new version is waiting, `update.ready` turns true.
pub fn register(update: UpdateState) {
    let on_ready = Closure::<dyn FnMut()>::new(move || update.ready.set(true));
    register_service_worker(&on_ready);
    // The worker may call back at any time during the page's life.
    on_ready.forget();
}

/// Asks the waiting worker to take over; the page reloads when it has.
pub fn apply_update() -> bool {
    apply_update_js()
}

/// Asks the service worker to save the staff build (venue mode, admin screens) whenever the
/// person signed in is an organizer or an admin, so those screens open offline at the venue.
/// Nobody else downloads them.
/// A save that failed (the device was offline, the network dropped) is asked for again each
/// time the network comes back.
pub fn keep_staff_build_for(session: SessionState) {
    let staff = move || {
        session.session.with(|s| {
            s.as_ref().is_some_and(|s| {
                s.user
                    .roles
                    .iter()
                    .any(|r| matches!(r, Role::Organizer | Role::Admin))
            })
        })
    };
    Effect::new(move |_| {
        if staff() {
            keep_staff_build();
        }
    });
    let _ = window_event_listener(leptos::ev::online, move |_| {
        if untrack(staff) {
            keep_staff_build();
        }
    });
}
