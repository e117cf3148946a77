//! One file per screen.

pub mod activities;
pub mod admin;
pub mod courses;
pub mod hours;
pub mod me;
pub mod mixers;
pub mod not_found;
pub mod offering;
pub mod privacy;
mod programme_list;
pub mod signin;
pub mod signup;
pub mod venue;
