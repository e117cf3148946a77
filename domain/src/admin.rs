//! What admins read and send beside the plan: their view of an offering, a cancellation, the
//! review queue, and the reasons they give.

use crate::Offering;
use crate::text::Field;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// An offering as the admin screens see it: the offering, and what only admins see.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminOffering {
    /// The offering (its fields at the top level of the JSON).
    #[serde(flatten)]
    pub offering: Offering,
    /// Registrations awaiting review.
    pub pending_reviews: u32,
    /// Organizers assigned directly.
    pub organizer_ids: Vec<String>,
}

/// `POST /api/v1/admin/offerings/{id}/cancel`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CancelOffering {
    /// Shown to every registrant.
    pub reason: String,
}

/// The longest reason an admin or organizer gives (a rejection, a cancellation, a correction).
pub const MAX_REASON: usize = 200;

/// A reason shown to people (why a sign-up was rejected, an offering cancelled, hours
/// corrected): one line under the text rule, trimmed, at most [`MAX_REASON`] characters.
pub fn parse_reason(raw: &str, required: bool) -> Result<&str, &'static str> {
    crate::text::check(raw, Field::Line, MAX_REASON, required)
}

/// One registration in the admin's review queue (`GET /api/v1/admin/reviews`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewItem {
    /// The registration.
    pub registration_id: String,
    /// The offering.
    pub offering_id: String,
    /// Its title.
    pub offering_title: String,
    /// The person.
    pub display_name: String,
    /// Their phone (admins see it whole).
    pub phone: String,
    /// Year of birth.
    pub birth_year: i32,
    /// Their answers.
    pub answers: Map<String, Value>,
    /// Status (`pending_review` in the queue; others when filtering by status).
    pub status: crate::registration::RegistrationStatus,
    /// When the server received it (Unix seconds).
    #[serde(deserialize_with = "crate::moment::unix_s")]
    pub received_at: i64,
    /// A mixer sign-up: the person's profile (without the contact).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<crate::programme::mixer::ReviewProfile>,
}
