//! Qingtuan's pure core, shared by the wasm client and the server.
//!
//! Invariant: this crate performs no IO, spawns nothing and touches no browser or database API.
//! It builds for `wasm32-unknown-unknown` and native targets alike (CI checks both).

pub mod account;
pub mod admin;
pub mod bundle;
pub mod certificate;
pub mod draw;
pub mod error;
pub mod hours;
pub mod league;
pub mod moment;
pub mod names;
pub mod numbers;
pub mod offering;
pub mod phone;
pub mod plan;
pub mod programme;
pub mod questions;
pub mod registration;
pub mod sample;
pub mod signup;
pub mod sort;
pub mod sync;
pub mod text;
pub mod ticket;

pub use account::{
    AuthResponse, Consent, FieldError, Guardian, LoginRequest, PRIVACY_NOTICE_VERSION, Role,
    SignupRequest, UserProfile,
};
pub use error::{ErrorBody, ErrorCode};
pub use offering::{
    Catalogue, Offering, OfferingKind, OfferingStatus, PoolCount, PoolKey, PoolState, Quota, Venue,
};
pub use phone::{PhoneError, PhoneNumber};
pub use plan::Plan;
pub use programme::Programme;

/// Version of the HTTP API and of the JSON shapes in this crate.
pub const API_VERSION: u32 = 1;
