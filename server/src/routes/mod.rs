//! HTTP routes: the JSON API under `/api`, `/healthz`, and the built client for everything else.

mod catalogue;
mod health;
mod static_files;

use crate::{AppState, error::error_response};
use axum::{
    Router,
    extract::{DefaultBodyLimit, Request, State},
    http::header::CONTENT_LENGTH,
    middleware::{self, Next},
    response::Response,
    routing::get,
};
use domain::ErrorCode;

/// The whole application: API, health check, static client.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/v1/catalogue", get(catalogue::get_catalogue))
        .fallback(api_not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(state.config.body_limit))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            reject_declared_oversize,
        ));
    Router::new()
        .route("/healthz", get(health::healthz))
        .nest("/api", api)
        .fallback_service(static_files::service(&state.config.static_dir))
        .with_state(state)
}

async fn api_not_found() -> Response {
    error_response(ErrorCode::NotFound, "no such API route")
}

async fn method_not_allowed() -> Response {
    error_response(
        ErrorCode::MethodNotAllowed,
        "this method is not allowed here",
    )
}

/// Refuses a body whose declared length is over the limit before reading any of it. Bodies
/// without a declared length are cut off by `DefaultBodyLimit` while the handler reads them.
async fn reject_declared_oversize(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    match declared {
        Some(len) if len > state.config.body_limit as u64 => error_response(
            ErrorCode::PayloadTooLarge,
            format!(
                "the request body is larger than {} bytes",
                state.config.body_limit
            ),
        ),
        _ => next.run(request).await,
    }
}
