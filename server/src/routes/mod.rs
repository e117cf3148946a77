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
mod first_page;
mod headers;
mod health;
mod hours;
pub mod me;
mod mixers;
mod numbers;
mod offerings;
mod openapi;
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
    response::{IntoResponse, Response},
    routing::{MethodRouter, delete, get, post, put},
};
use domain::ErrorCode;
use openapi::Doc;

pub use headers::SecurityHeaders;
pub use static_files::is_api_path;

struct Entry {
    method: Method,
    path: &'static str,
    access: Access,
    handler: MethodRouter<AppState>,
    doc: Doc,
}

fn entry(
    method: Method,
    path: &'static str,
    access: Access,
    handler: MethodRouter<AppState>,
    doc: Doc,
) -> Entry {
    Entry {
        method,
        path,
        access,
        handler,
        doc,
    }
}

/// Every API route (paths relative to `/api`), with who may call it and its description
/// (`openapi`: what it reads and answers, served at `GET /api/v1/openapi.json`).
fn api_entries() -> Vec<Entry> {
    use Access::*;
    use Method as M;
    vec![
        entry(
            M::GET,
            "/v1/catalogue",
            Public,
            get(catalogue::get_catalogue),
            Doc::json::<domain::Catalogue>("The published programmes, for everyone."),
        ),
        entry(
            M::POST,
            "/v1/auth/signup",
            Public,
            post(auth::signup),
            Doc::json::<domain::AuthResponse>("A new youth account, signed in.")
                .created()
                .body::<domain::SignupRequest>()
                .refuses(&[
                    (409, "The phone number already has an account."),
                    (429, "Too many sign-ups from this address; see Retry-After."),
                ]),
        ),
        entry(
            M::POST,
            "/v1/auth/login",
            Public,
            post(auth::login),
            Doc::json::<domain::AuthResponse>("Signs in: a session's bearer token.")
                .body::<domain::LoginRequest>()
                .refuses(&[
                    (401, "Wrong phone or password (the same answer for both)."),
                    (429, "Too many attempts; see Retry-After."),
                ]),
        ),
        entry(
            M::POST,
            "/v1/auth/logout",
            SignedIn,
            post(auth::logout),
            Doc::empty("Ends this session."),
        ),
        entry(
            M::POST,
            "/v1/auth/logout-all",
            SignedIn,
            post(auth::logout_all),
            Doc::empty("Ends every session of this person."),
        ),
        entry(
            M::POST,
            "/v1/auth/password",
            SignedIn,
            post(auth::change_password),
            Doc::empty("Changes the password; other sessions end.")
                .body::<domain::account::PasswordChange>()
                .refuses(&[(429, "Too many wrong passwords; see Retry-After.")]),
        ),
        entry(
            M::GET,
            "/v1/me",
            SignedIn,
            get(me::get_me),
            Doc::json::<domain::UserProfile>("This person's profile and roles."),
        ),
        entry(
            M::GET,
            "/v1/me/export",
            SignedIn,
            get(me::export),
            Doc::object(
                "Everything the server keeps about this person (the personal information export).",
            ),
        ),
        entry(
            M::GET,
            "/v1/me/hours-changes",
            SignedIn,
            get(hours::my_changes),
            Doc::list::<domain::hours::HoursChange>("Changes to this person's volunteer hours."),
        ),
        entry(
            M::GET,
            "/v1/hours/notices",
            Public,
            get(hours::notices),
            Doc::list::<domain::hours::Notice>("The public notices of volunteer hours."),
        ),
        entry(
            M::GET,
            "/v1/offerings/{offering_id}/hours-changes",
            OrganizerOfOffering,
            get(hours::offering_changes),
            Doc::list::<domain::hours::HoursChange>("Changes to volunteer hours on one offering."),
        ),
        entry(
            M::GET,
            "/v1/admin/league-progress",
            Admin,
            get(hours::league_progress),
            Doc::list::<domain::league::ProgressRow>(
                "入团 progress of every young person in a year.",
            )
            .query::<numbers::YearQuery>(),
        ),
        entry(
            M::DELETE,
            "/v1/me",
            SignedIn,
            delete(me::delete_account),
            Doc::empty("Deletes this account (with its password).")
                .body::<domain::account::DeleteAccount>()
                .refuses(&[(429, "Too many wrong passwords; see Retry-After.")]),
        ),
        entry(
            M::GET,
            "/v1/admin/users",
            Admin,
            get(admin::search_users),
            Doc::list::<domain::account::UserSummary>("Finds people by name or phone.")
                .query::<admin::SearchQuery>(),
        ),
        entry(
            M::PUT,
            "/v1/admin/users/{user_id}/roles",
            Admin,
            put(admin::set_roles),
            Doc::list::<domain::Role>("Sets a person's roles.")
                .body::<admin::SetRoles>()
                .refuses(&[(409, "Would leave no admin.")]),
        ),
        entry(
            M::GET,
            "/v1/admin/users/{user_id}/assignments",
            Admin,
            get(admin::get_assignments),
            Doc::json::<domain::account::Assignments>("What an organizer runs."),
        ),
        entry(
            M::PUT,
            "/v1/admin/users/{user_id}/assignments",
            Admin,
            put(admin::set_assignments),
            Doc::json::<domain::account::Assignments>("Sets what an organizer runs.")
                .body::<admin::SetAssignments>(),
        ),
        entry(
            M::GET,
            "/v1/admin/audit",
            Admin,
            get(admin::audit_log),
            Doc::objects("The latest 200 audit records (newest first).")
                .query::<admin::AuditQuery>(),
        ),
        entry(
            M::GET,
            "/v1/admin/venues",
            Admin,
            get(offerings::venues),
            Doc::list::<domain::Venue>("Every venue."),
        ),
        entry(
            M::GET,
            "/v1/admin/offerings",
            Admin,
            get(offerings::list),
            Doc::list::<domain::admin::AdminOffering>("Every offering, with what admins see."),
        ),
        entry(
            M::POST,
            "/v1/admin/offerings",
            Admin,
            post(offerings::create),
            Doc::json::<domain::admin::AdminOffering>(
                "Creates an offering (a draft, or published).",
            )
            .created()
            .body::<offerings::OfferingBody>(),
        ),
        entry(
            M::PUT,
            "/v1/admin/offerings/{offering_id}",
            Admin,
            put(offerings::update),
            Doc::json::<domain::admin::AdminOffering>("Edits an offering.")
                .body::<offerings::OfferingBody>()
                .refuses(&[(409, "The change is refused in the offering's state.")]),
        ),
        entry(
            M::POST,
            "/v1/admin/offerings/{offering_id}/publish",
            Admin,
            post(offerings::publish),
            Doc::json::<domain::admin::AdminOffering>("Publishes a draft.").refuses(&[
                (400, "Its status does not allow publishing."),
                (409, "Not a draft."),
            ]),
        ),
        entry(
            M::POST,
            "/v1/admin/offerings/{offering_id}/cancel",
            Admin,
            post(offerings::cancel),
            Doc::json::<domain::admin::AdminOffering>("Cancels an offering.")
                .body::<domain::admin::CancelOffering>()
                .refuses(&[(409, "Already cancelled or over.")]),
        ),
        entry(
            M::GET,
            "/v1/admin/offerings/{offering_id}/registrations.csv",
            Admin,
            get(offerings::csv),
            Doc::csv("An offering's registrations as CSV."),
        ),
        entry(
            M::GET,
            "/v1/admin/reviews",
            Admin,
            get(offerings::reviews),
            Doc::list::<domain::admin::ReviewItem>("Registrations waiting for review.")
                .query::<offerings::ReviewQuery>(),
        ),
        entry(
            M::GET,
            "/v1/admin/dashboard",
            Admin,
            get(numbers::dashboard),
            Doc::json::<domain::numbers::Dashboard>(
                "The committee's numbers for a period and a filter.",
            )
            .query::<numbers::DashboardQuery>(),
        ),
        entry(
            M::GET,
            "/v1/admin/dashboard.xlsx",
            Admin,
            get(exports::dashboard),
            Doc::xlsx("The dashboard's tables as a workbook.").query::<numbers::DashboardQuery>(),
        ),
        entry(
            M::GET,
            "/v1/admin/hours.xlsx",
            Admin,
            get(exports::hours),
            Doc::xlsx("A year's volunteer hours as a workbook.").query::<numbers::YearQuery>(),
        ),
        entry(
            M::GET,
            "/v1/admin/league-progress.xlsx",
            Admin,
            get(exports::league_progress),
            Doc::xlsx("A year's 入团 progress as a workbook.").query::<numbers::YearQuery>(),
        ),
        entry(
            M::GET,
            "/v1/admin/report",
            Admin,
            get(exports::report),
            Doc::json::<domain::numbers::Report>("The year-end report.")
                .query::<numbers::YearQuery>(),
        ),
        entry(
            M::GET,
            "/v1/admin/report.xlsx",
            Admin,
            get(exports::report_xlsx),
            Doc::xlsx("The year-end report as a workbook.").query::<numbers::YearQuery>(),
        ),
        entry(
            M::POST,
            "/v1/admin/offerings/{offering_id}/draw",
            Admin,
            post(courses::run_draw),
            Doc::json::<domain::programme::course::DrawAnswer>("Runs a course's draw.")
                .body::<domain::programme::course::DrawRequest>()
                .refuses(&[(409, "Before the close, or drawn already.")]),
        ),
        entry(
            M::GET,
            "/v1/admin/offerings/{offering_id}/course",
            Admin,
            get(courses::summary),
            Doc::json::<domain::programme::course::CourseSummary>("A course's figures."),
        ),
        entry(
            M::GET,
            "/v1/courses/{offering_id}/results",
            Public,
            get(courses::results),
            Doc::json::<courses::Results>("A course's public draw results."),
        ),
        entry(
            M::GET,
            "/v1/certificates/verify",
            Public,
            get(courses::verify_certificate),
            Doc::json::<domain::certificate::CertificateClaims>(
                "Checks a certificate's signature.",
            )
            .query::<courses::CertificateQuery>(),
        ),
        entry(
            M::POST,
            "/v1/sync/push",
            SignedIn,
            post(sync::push_handler),
            Doc::json::<domain::sync::PushResponse>("The device's mutations, applied in order.")
                .body::<domain::sync::PushRequest>()
                .refuses(&[
                    (409, "Mutation ids skip: `expected` says which comes next."),
                    (503, "The server is stopping."),
                ]),
        ),
        entry(
            M::GET,
            "/v1/sync/pull",
            SignedIn,
            get(sync::pull_handler),
            Doc::json::<domain::sync::PullResponse>("What changed since the cursor.")
                .query::<crate::sync::pull::PullQuery>(),
        ),
        entry(
            M::GET,
            "/v1/offerings/{offering_id}/roster",
            OrganizerOfOffering,
            get(roster::get_roster),
            Doc::list::<roster::RosterEntry>("An offering's roster, for its organizers."),
        ),
        entry(
            M::POST,
            "/v1/offerings/{offering_id}/picks/close",
            OrganizerOfOffering,
            post(mixers::close_picks),
            Doc::json::<domain::programme::mixer::MixerCounts>(
                "Closes a mixer's picks and makes its matches.",
            )
            .refuses(&[(409, "Not open.")]),
        ),
        entry(
            M::GET,
            "/v1/offerings/{offering_id}/mixer",
            OrganizerOfOffering,
            get(mixers::counts),
            Doc::json::<domain::programme::mixer::MixerCounts>("A mixer's counts."),
        ),
        entry(
            M::GET,
            "/v1/offerings/{offering_id}/registrations.xlsx",
            OrganizerOfOffering,
            get(exports::registrations),
            Doc::xlsx("An offering's registrations as a workbook."),
        ),
        entry(
            M::GET,
            "/v1/offerings/{offering_id}/attendance.xlsx",
            OrganizerOfOffering,
            get(exports::attendance),
            Doc::xlsx("A course's attendance per lesson as a workbook.")
                .refuses(&[(409, "The offering is not a course.")]),
        ),
        entry(
            M::GET,
            "/v1/offerings/{offering_id}/draw.xlsx",
            OrganizerOfOffering,
            get(exports::draw),
            Doc::xlsx("A course's draw results as a workbook.")
                .refuses(&[(409, "The offering is not a course.")]),
        ),
        entry(
            M::GET,
            "/v1/openapi.json",
            Public,
            get(openapi_json),
            Doc::object("This description: OpenAPI 3.1."),
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

/// The API's OpenAPI 3.1 description, as JSON: built from [`api_entries`] once.
pub fn openapi_document() -> &'static str {
    static DOCUMENT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DOCUMENT.get_or_init(|| {
        openapi::document(&api_entries())
            .to_json()
            .unwrap_or_else(|e| format!("{{\"error\":\"internal\",\"message\":\"{e}\"}}"))
    })
}

async fn openapi_json() -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        openapi_document(),
    )
        .into_response()
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
        .fallback_service(static_files::service(
            &state.config.static_dir,
            first_page::FirstPage::new(&state.config.static_dir, state.store.clone()),
        ))
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
