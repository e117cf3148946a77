//! Shared reactive state, provided once at the root and read with `use_x()`.

pub mod catalogue;
pub mod session;
pub mod sync;
pub mod update;

use leptos::prelude::*;

/// Sets a signal only when the value changed, so a sync or a refresh that brings nothing new
/// does not redraw screens (and close what the person had open there) for nothing.
pub(crate) fn set_if_changed<T: PartialEq + Send + Sync + 'static>(signal: RwSignal<T>, value: T) {
    if signal.with_untracked(|v| *v != value) {
        signal.set(value);
    }
}
