//! The API's one error type and its one mapping to an HTTP response.

use axum::{
    Json,
    extract::{FromRequest, Request, rejection::JsonRejection},
    http::{HeaderValue, StatusCode, header::RETRY_AFTER},
    response::{IntoResponse, Response},
};
use domain::{ErrorBody, ErrorCode};
use serde::de::DeserializeOwned;

/// An error an API handler returns. Internal causes are logged, never sent.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// A client error with a code and a message meant for the client.
    #[error("{code:?}: {message}")]
    Client {
        /// What went wrong.
        code: ErrorCode,
        /// Safe to show to the caller.
        message: String,
        /// The request field at fault, if one is.
        field: Option<String>,
        /// What is wrong with that field.
        reason: Option<String>,
        /// For `mutation_gap`, the id expected next.
        expected: Option<u64>,
    },
    /// 429 `too_many_requests`: over a sign-in limit; answered with `Retry-After`.
    #[error("too many attempts; retry after {0:?}")]
    TooMany(std::time::Duration),
    /// A database failure (a statement through the store interface, either database).
    #[error("database: {0}")]
    Sql(#[from] crate::db::sql::Error),
    /// Anything else that is our fault.
    #[error("internal: {0}")]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    /// A client error.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::Client {
            code,
            message: message.into(),
            field: None,
            reason: None,
            expected: None,
        }
    }

    /// 409 `mutation_gap`: the push must start at `expected`.
    pub fn mutation_gap(expected: u64) -> Self {
        Self::Client {
            code: ErrorCode::MutationGap,
            message: format!("mutation ids must continue at {expected}"),
            field: None,
            reason: None,
            expected: Some(expected),
        }
    }

    /// 400 `invalid_field` naming the field.
    pub fn field(field: &str, code: &str) -> Self {
        Self::Client {
            code: ErrorCode::InvalidField,
            message: format!("{field}: {code}"),
            field: Some(field.to_owned()),
            reason: Some(code.to_owned()),
            expected: None,
        }
    }

    /// 401: no valid session.
    pub fn unauthenticated() -> Self {
        Self::new(ErrorCode::Unauthenticated, "sign in to continue")
    }

    /// 403: not allowed.
    pub fn forbidden() -> Self {
        Self::new(ErrorCode::Forbidden, "you may not do this")
    }

    /// 503: the server is stopping (or its sync writer is gone).
    pub fn stopping() -> Self {
        Self::new(ErrorCode::Unavailable, "the server is stopping")
    }

    /// 404 with the JSON shape.
    pub fn not_found(what: &str) -> Self {
        Self::new(ErrorCode::NotFound, format!("{what} not found"))
    }

    /// Whether the database could not be reached (a 503 the client may retry; nothing of the
    /// request was applied).
    pub fn database_unavailable(&self) -> bool {
        match self {
            Self::Sql(e) => e.is_unavailable(),
            _ => false,
        }
    }

    fn body(&self) -> ErrorBody {
        match self {
            Self::Client {
                code,
                message,
                field,
                reason,
                expected,
            } => ErrorBody {
                error: *code,
                message: message.clone(),
                field: field.clone(),
                reason: reason.clone(),
                expected: *expected,
            },
            Self::TooMany(_) => ErrorBody {
                error: ErrorCode::TooManyRequests,
                message: "too many attempts; try again later".to_owned(),
                field: None,
                reason: None,
                expected: None,
            },
            _ if self.database_unavailable() => ErrorBody {
                error: ErrorCode::Unavailable,
                message: "the database cannot be reached; nothing was changed, try again soon"
                    .to_owned(),
                field: None,
                reason: None,
                expected: None,
            },
            Self::Sql(_) | Self::Internal(_) => ErrorBody {
                error: ErrorCode::Internal,
                message: "something went wrong on the server".to_owned(),
                field: None,
                reason: None,
                expected: None,
            },
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = self.body();
        if body.error == ErrorCode::Internal {
            tracing::error!(error = %self, "request failed");
        }
        let mut response = body_response(body);
        if let Self::TooMany(wait) = self {
            // Whole seconds, rounded up: a client that waits this long is let through.
            let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(secs.max(1)));
        }
        response
    }
}

/// The JSON error response for a code and message.
pub fn error_response(code: ErrorCode, message: impl Into<String>) -> Response {
    body_response(ErrorBody {
        error: code,
        message: message.into(),
        field: None,
        reason: None,
        expected: None,
    })
}

fn body_response(body: ErrorBody) -> Response {
    let status =
        StatusCode::from_u16(body.error.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, Json(body)).into_response()
}

/// `Json<T>` whose rejections take the API's error shape.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

fn json_rejection(rejection: JsonRejection) -> ApiError {
    let code = match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::PayloadTooLarge,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ErrorCode::UnsupportedMediaType,
        _ => ErrorCode::BadRequest,
    };
    ApiError::new(code, rejection.body_text())
}

impl<T: serde::Serialize> IntoResponse for ApiJson<T> {
    fn into_response(self) -> Response {
        Json(self.0).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn too_many_says_when_to_retry_in_whole_seconds_rounded_up() {
        for (wait, header) in [
            (Duration::from_millis(1500), "2"),
            (Duration::from_secs(60), "60"),
            (Duration::from_millis(1), "1"),
            (Duration::ZERO, "1"),
        ] {
            let r = ApiError::TooMany(wait).into_response();
            assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
            assert_eq!(r.headers()[RETRY_AFTER], header, "{wait:?}");
        }
    }
}
