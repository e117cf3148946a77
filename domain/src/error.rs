//! The one error shape every API error takes on the wire.

use serde::{Deserialize, Serialize};

/// Machine-readable error codes. Serialised as `snake_case` strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// The request was malformed or a field failed validation.
    BadRequest,
    /// A field failed validation; `field` names it.
    InvalidField,
    /// No valid session: sign in (again).
    Unauthenticated,
    /// Wrong phone or password (the same answer for both, on purpose).
    InvalidCredentials,
    /// Signed in, but not allowed to do this.
    Forbidden,
    /// The phone number already has an account.
    PhoneTaken,
    /// Too many attempts; try again later.
    TooManyRequests,
    /// A push skipped mutation ids; `expected` says which id comes next.
    MutationGap,
    /// The app speaks an older or newer sync protocol: reload the app.
    VersionNotSupported,
    /// No such API route or resource.
    NotFound,
    /// The HTTP method is not allowed on this route.
    MethodNotAllowed,
    /// The request body is larger than the server accepts.
    PayloadTooLarge,
    /// The body is not JSON, or not the declared content type.
    UnsupportedMediaType,
    /// Something failed on the server; details are in its logs, never in the response.
    Internal,
    /// The server is shutting down or overloaded.
    Unavailable,
    /// Not now: the resource is not in the state the request needs (a draw before its close
    /// or a second time).
    Conflict,
}

impl ErrorCode {
    /// Every value.
    pub const ALL: [Self; 16] = [
        Self::BadRequest,
        Self::InvalidField,
        Self::Unauthenticated,
        Self::InvalidCredentials,
        Self::Forbidden,
        Self::PhoneTaken,
        Self::TooManyRequests,
        Self::MutationGap,
        Self::VersionNotSupported,
        Self::NotFound,
        Self::MethodNotAllowed,
        Self::PayloadTooLarge,
        Self::UnsupportedMediaType,
        Self::Internal,
        Self::Unavailable,
        Self::Conflict,
    ];

    /// The name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BadRequest => "bad_request",
            Self::InvalidField => "invalid_field",
            Self::Unauthenticated => "unauthenticated",
            Self::InvalidCredentials => "invalid_credentials",
            Self::Forbidden => "forbidden",
            Self::PhoneTaken => "phone_taken",
            Self::TooManyRequests => "too_many_requests",
            Self::MutationGap => "mutation_gap",
            Self::VersionNotSupported => "version_not_supported",
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::PayloadTooLarge => "payload_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::Internal => "internal",
            Self::Unavailable => "unavailable",
            Self::Conflict => "conflict",
        }
    }
}

crate::serde_by_name! {
    ErrorCode => "an error code",
}

impl ErrorCode {
    /// The HTTP status this code is sent with.
    pub fn http_status(self) -> u16 {
        match self {
            Self::BadRequest | Self::InvalidField => 400,
            Self::Unauthenticated | Self::InvalidCredentials => 401,
            Self::Forbidden => 403,
            Self::PhoneTaken | Self::MutationGap => 409,
            Self::VersionNotSupported => 400,
            Self::TooManyRequests => 429,
            Self::NotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::PayloadTooLarge => 413,
            Self::UnsupportedMediaType => 415,
            Self::Internal => 500,
            Self::Unavailable => 503,
            Self::Conflict => 409,
        }
    }
}

/// `{"error": "snake_case_code", "message": "…"}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// What went wrong, for programs.
    pub error: ErrorCode,
    /// What went wrong, for people (English; the app shows its own translated text by code).
    pub message: String,
    /// The request field at fault, for `invalid_field`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// For `invalid_field`: what is wrong with the field, snake_case (`too_short` …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// For `mutation_gap`: the mutation id the server expects next.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_codes_serialise_as_snake_case() {
        let body = ErrorBody {
            error: ErrorCode::PayloadTooLarge,
            message: "too big".into(),
            field: None,
            reason: None,
            expected: None,
        };
        let json = serde_json::to_string(&body).unwrap();
        assert_eq!(json, r#"{"error":"payload_too_large","message":"too big"}"#);
        let back: ErrorBody = serde_json::from_str(&json).unwrap();
        assert_eq!(back, body);
    }

    #[test]
    fn every_code_maps_to_a_4xx_or_5xx_status() {
        for code in [
            ErrorCode::BadRequest,
            ErrorCode::InvalidField,
            ErrorCode::Unauthenticated,
            ErrorCode::InvalidCredentials,
            ErrorCode::Forbidden,
            ErrorCode::PhoneTaken,
            ErrorCode::TooManyRequests,
            ErrorCode::MutationGap,
            ErrorCode::VersionNotSupported,
            ErrorCode::NotFound,
            ErrorCode::MethodNotAllowed,
            ErrorCode::PayloadTooLarge,
            ErrorCode::UnsupportedMediaType,
            ErrorCode::Internal,
            ErrorCode::Unavailable,
        ] {
            assert!((400..600).contains(&code.http_status()), "{code:?}");
        }
    }
}
