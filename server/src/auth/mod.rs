//! Who is asking: passwords, sessions, known devices, sign-in limits, the caller, and the one
//! place access is decided.

pub mod access;
pub mod known_device;
pub mod password;
pub mod rate_limit;
pub mod session;

pub use access::{Access, Caller};
