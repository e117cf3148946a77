//! Talks to the service worker through a small JS module (`sw_register.js`).

use crate::state::update::UpdateState;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/sw_register.js")]
extern "C" {
    #[wasm_bindgen(js_name = registerServiceWorker)]
    fn register_service_worker(on_update_ready: &Closure<dyn FnMut()>);
    #[wasm_bindgen(js_name = applyUpdate)]
    fn apply_update_js() -> bool;
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
