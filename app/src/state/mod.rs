//! Shared reactive state, provided once at the root and read with `use_x()`.

pub mod catalogue;
pub mod session;
pub mod sync;
pub mod update;
