//! The screens, by whom they serve. A screen is a file; one that outgrew that is a folder of
//! small files named by their part.
//!
//! - **Everyone, young people first** (the main build): the programme lists `activities`,
//!   `courses` and `mixers` (sharing `programme_list`), an offering's details `offering`,
//!   我的 `me` with 我的志愿时长 `hours`, `signin`, `signup` and `privacy`; a learner's course
//!   parts and certificate `course_learner`, and night school's public pages (the draw's
//!   results, the certificate check) `course_public`.
//! - **Organizers** (the staff build): `venue/`, venue mode at the door.
//! - **Admins** (the staff build): `admin/`, 管理后台 (programmes, reviews, users).
//! - **Either build**: `not_found`, which hands a path of the other build over to it.
//!
//! Which build shows which screen is decided by the route tables in `lib.rs`, not here: every
//! module is compiled into both, and what a build's table does not name is left out of it.

// Everyone's.
pub mod activities;
pub mod course_learner;
pub mod course_public;
pub mod courses;
pub mod hours;
pub mod me;
pub mod mixer_participant;
pub mod mixers;
pub mod notices;
pub mod offering;
pub mod privacy;
mod programme_list;
pub mod signin;
pub mod signup;

// Organizers'.
pub mod venue;

// Admins'.
pub mod admin;

pub mod not_found;

// The staff build's downloads of the server's workbooks.
pub mod workbook;
