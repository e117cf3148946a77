//! Who is asking: passwords, sessions, the caller, and the one place access is decided.

pub mod access;
pub mod password;
pub mod rate_limit;
pub mod session;

pub use access::{Access, Caller};
