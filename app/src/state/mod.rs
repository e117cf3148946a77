//! Shared reactive state, provided once at the root and read with `use_x()`.
//!
//! `session`, `catalogue` and `update` are everyone's; `sync` is the loop for the signed-in
//! person, with one small handle per feature beside it: `registrations` (a young person's
//! sign-ups), `venue` (an organizer's venue mode), `reviews` (an admin's review decisions).
//! Their actions are recorded on the device first and fail only with an [`ActionError`].

pub mod action_error;
pub mod catalogue;
pub mod registrations;
pub mod reviews;
pub mod session;
pub mod sync;
pub mod update;
pub mod venue;

pub use action_error::ActionError;

use leptos::prelude::*;

/// Sets a signal only when the value changed, so a sync or a refresh that brings nothing new
/// does not redraw screens (and close what the person had open there) for nothing.
pub(crate) fn set_if_changed<T: PartialEq + Send + Sync + 'static>(signal: RwSignal<T>, value: T) {
    if signal.with_untracked(|v| *v != value) {
        signal.set(value);
    }
}
