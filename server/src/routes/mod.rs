//! HTTP routes: the JSON API under `/api`, `/healthz`, and the built client for everything else.
//!
//! Every API route is listed once in [`api_entries`] with its [`Access`] rule; the router applies
//! that rule in front of the handler, and the authorization matrix test reads the same table, so
//! a route cannot be added without deciding (and testing) who may call it.

mod admin;
mod auth;
mod catalogue;
pub mod courses;
mod exports;
mod headers;
mod health;
mod hours;
mod me;
mod mixers;
mod numbers;
mod offerings;
mod roster;
mod static_files;
mod sync;

use crate::{
    AppState,
    auth::{Access, access::authorize},
    error::error_response,
};
use axum::{
    Router,
    extract::{DefaultBodyLimit, Request, State},
    http::{Method, header::CONTENT_LENGTH},
    middleware::{self, Next},
    response::Response,
    routing::{MethodRouter, delete, get, post, put},
};
use domain::ErrorCode;

pub use headers::SecurityHeaders;
pub use static_files::is_api_path;

struct Entry {
    method: Method,
    path: &'static str,
    access: Access,
    handler: MethodRouter<AppState>,
}

fn entry(
    method: Method,
    path: &'static str,
    access: Access,
    handler: MethodRouter<AppState>,
) -> Entry {
    Entry {
        method,
        path,
        access,
        handler,
    }
}

/// Every API route (paths relative to `/api`), with who may call it.
fn api_entries() -> Vec<Entry> {
    use Access::*;
    use Method as M;
    vec![
        entry(
            M::GET,
            "/v1/catalogue",
            Public,
            get(catalogue::get_catalogue),
        ),
        entry(M::POST, "/v1/auth/signup", Public, post(auth::signup)),
        entry(M::POST, "/v1/auth/login", Public, post(auth::login)),
        entry(M::POST, "/v1/auth/logout", SignedIn, post(auth::logout)),
        entry(
            M::POST,
            "/v1/auth/logout-all",
            SignedIn,
            post(auth::logout_all),
        ),
        entry(
            M::POST,
            "/v1/auth/password",
            SignedIn,
            post(auth::change_password),
        ),
        entry(M::GET, "/v1/me", SignedIn, get(me::get_me)),
        entry(M::GET, "/v1/me/export", SignedIn, get(me::export)),
        entry(
            M::GET,
            "/v1/me/hours-changes",
            SignedIn,
            get(hours::my_changes),
        ),
        entry(M::GET, "/v1/hours/notices", Public, get(hours::notices)),
        entry(
            M::GET,
            "/v1/offerings/{offering_id}/hours-changes",
            OrganizerOfOffering,
            get(hours::offering_changes),
        ),
        entry(
            M::GET,
            "/v1/admin/league-progress",
            Admin,
            get(hours::league_progress),
        ),
        entry(M::DELETE, "/v1/me", SignedIn, delete(me::delete_account)),
        entry(M::GET, "/v1/admin/users", Admin, get(admin::search_users)),
        entry(
            M::PUT,
            "/v1/admin/users/{user_id}/roles",
            Admin,
            put(admin::set_roles),
        ),
        entry(
            M::GET,
            "/v1/admin/users/{user_id}/assignments",
            Admin,
            get(admin::get_assignments),
        ),
        entry(
            M::PUT,
            "/v1/admin/users/{user_id}/assignments",
            Admin,
            put(admin::set_assignments),
        ),
        entry(M::GET, "/v1/admin/audit", Admin, get(admin::audit_log)),
        entry(M::GET, "/v1/admin/venues", Admin, get(offerings::venues)),
        entry(M::GET, "/v1/admin/offerings", Admin, get(offerings::list)),
        entry(
            M::POST,
            "/v1/admin/offerings",
            Admin,
            post(offerings::create),
        ),
        entry(
            M::PUT,
            "/v1/admin/offerings/{offering_id}",
            Admin,
            put(offerings::update),
        ),
        entry(
            M::POST,
            "/v1/admin/offerings/{offering_id}/publish",
            Admin,
            post(offerings::publish),
        ),
        entry(
            M::POST,
            "/v1/admin/offerings/{offering_id}/cancel",
            Admin,
            post(offerings::cancel),
        ),
        entry(
            M::GET,
            "/v1/admin/offerings/{offering_id}/registrations.csv",
            Admin,
            get(offerings::csv),
        ),
        entry(M::GET, "/v1/admin/reviews", Admin, get(offerings::reviews)),
        entry(
            M::GET,
            "/v1/admin/dashboard",
            Admin,
            get(numbers::dashboard),
        ),
        entry(
            M::GET,
            "/v1/admin/dashboard.xlsx",
            Admin,
            get(exports::dashboard),
        ),
        entry(M::GET, "/v1/admin/hours.xlsx", Admin, get(exports::hours)),
        entry(
            M::GET,
            "/v1/admin/league-progress.xlsx",
            Admin,
            get(exports::league_progress),
        ),
        entry(M::GET, "/v1/admin/report", Admin, get(exports::report)),
        entry(
            M::GET,
            "/v1/admin/report.xlsx",
            Admin,
            get(exports::report_xlsx),
        ),
        entry(
            M::POST,
            "/v1/admin/offerings/{offering_id}/draw",
            Admin,
            post(courses::run_draw),
        ),
        entry(
            M::GET,
            "/v1/admin/offerings/{offering_id}/course",
            Admin,
            get(courses::summary),
        ),
        entry(
            M::GET,
            "/v1/courses/{offering_id}/results",
            Public,
            get(courses::results),
        ),
        entry(
            M::GET,
            "/v1/certificates/verify",
            Public,
            get(courses::verify_certificate),
        ),
        entry(M::POST, "/v1/sync/push", SignedIn, post(sync::push_handler)),
        entry(M::GET, "/v1/sync/pull", SignedIn, get(sync::pull_handler)),
        entry(
            M::GET,
            "/v1/offerings/{offering_id}/roster",
            OrganizerOfOffering,
            get(roster::get_roster),
        ),
        entry(
            M::POST,
            "/v1/offerings/{offering_id}/picks/close",
            OrganizerOfOffering,
            post(mixers::close_picks),
        ),
        entry(
            M::GET,
            "/v1/offerings/{offering_id}/mixer",
            OrganizerOfOffering,
            get(mixers::counts),
        ),
        entry(
            M::GET,
            "/v1/offerings/{offering_id}/registrations.xlsx",
            OrganizerOfOffering,
            get(exports::registrations),
        ),
        entry(
            M::GET,
            "/v1/offerings/{offering_id}/attendance.xlsx",
            OrganizerOfOffering,
            get(exports::attendance),
        ),
        entry(
            M::GET,
            "/v1/offerings/{offering_id}/draw.xlsx",
            OrganizerOfOffering,
            get(exports::draw),
        ),
    ]
}

/// The API's routes as `(method, path under /api, access)`, for the authorization matrix.
pub fn api_table() -> Vec<(Method, &'static str, Access)> {
    api_entries()
        .into_iter()
        .map(|e| (e.method, e.path, e.access))
        .collect()
}

/// The whole application: API, health check, static client, and the headers every answer
/// carries ([`SecurityHeaders`]).
pub fn router(state: AppState) -> Router {
    let mut api = Router::new();
    for e in api_entries() {
        let guarded = e.handler.route_layer(middleware::from_fn_with_state(
            (state.clone(), e.access),
            authorize,
        ));
        api = api.route(e.path, guarded);
    }
    let api = api
        .fallback(api_not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::map_response(json_errors))
        .layer(DefaultBodyLimit::max(state.config.body_limit))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            reject_declared_oversize,
        ));
    let headers = SecurityHeaders::for_client(&state.config.static_dir);
    Router::new()
        .route("/healthz", get(health::healthz))
        .nest("/api", api)
        .fallback_service(static_files::service(&state.config.static_dir))
        .with_state(state)
        .layer(headers)
        .layer(crate::telemetry::catch_panics())
}

/// Gives any error that did not come from our handlers (an extractor's plain-text rejection of a
/// bad path or query, say) the one JSON error shape.
async fn json_errors(response: Response) -> Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let code = match status.as_u16() {
        404 => ErrorCode::NotFound,
        405 => ErrorCode::MethodNotAllowed,
        413 => ErrorCode::PayloadTooLarge,
        415 => ErrorCode::UnsupportedMediaType,
        500.. => ErrorCode::Internal,
        _ => ErrorCode::BadRequest,
    };
    let message = match axum::body::to_bytes(response.into_body(), 4096).await {
        Ok(bytes) if !bytes.is_empty() && code != ErrorCode::Internal => {
            String::from_utf8_lossy(&bytes).into_owned()
        }
        _ => format!("request failed ({status})"),
    };
    let mut fixed = error_response(code, message);
    *fixed.status_mut() = status;
    fixed
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
