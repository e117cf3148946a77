//! The HTTP client for the server's JSON API.
//!
//! Every call answers with the server's value or an [`ApiError`]; callers that hold a session
//! pass its bearer token, and hand the result to `SessionState::guard` so that a revoked or
//! expired session is noticed wherever it shows up.

use domain::{
    AuthResponse, Catalogue, ErrorBody, ErrorCode, LoginRequest, Role, SignupRequest, UserProfile,
    Venue,
    account::{Assignments, DeleteAccount, PasswordChange, UserSummary},
    admin::{AdminOffering, CancelOffering, ReviewItem},
    plan::Plan,
};
use reqwest::Method;
use serde::{Serialize, de::DeserializeOwned};

/// Why a request did not give an answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// No connection (or the server could not be reached at all).
    #[error("offline or unreachable: {0}")]
    Network(String),
    /// The server answered with its error shape.
    #[error("{}", .0.message)]
    Server(ErrorBody),
    /// The server answered something this build does not understand.
    #[error("unexpected answer: {0}")]
    Decode(String),
}

impl ApiError {
    /// The server's error code, if the server answered with one.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            Self::Server(body) => Some(body.error),
            _ => None,
        }
    }

    /// Whether the session behind the request is no longer valid (expired or revoked).
    pub fn is_unauthenticated(&self) -> bool {
        self.code() == Some(ErrorCode::Unauthenticated)
    }

    /// `(field, code)` of an `invalid_field` answer.
    pub fn field_error(&self) -> Option<(&str, &str)> {
        let Self::Server(body) = self else {
            return None;
        };
        if body.error != ErrorCode::InvalidField {
            return None;
        }
        Some((body.field.as_deref()?, body.reason.as_deref().unwrap_or("")))
    }
}

#[derive(Serialize)]
struct SetRoles<'a> {
    roles: &'a [Role],
}

/// An absolute URL for an API path. reqwest in wasm refuses relative URLs, so the page's
/// origin is put in front.
pub fn url(path: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        let origin = web_sys::window()
            .and_then(|w| w.location().origin().ok())
            .unwrap_or_default();
        format!("{origin}{path}")
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        format!("http://127.0.0.1:8080{path}")
    }
}

/// Percent-encodes a query value (everything but RFC 3986's unreserved characters), so a
/// search for `a&b` or `张` reaches the server as typed.
pub fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b))
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The JSON body of a request, as reqwest's `RequestBuilder::json` would serialise it.
fn json_body<B: Serialize + ?Sized>(body: &B) -> Result<Vec<u8>, ApiError> {
    serde_json::to_vec(body).map_err(|e| ApiError::Network(e.to_string()))
}

/// Sends a request (with a JSON body already serialised) and returns the body of a successful
/// answer. Not generic over the body's type, so every request shares this one future instead
/// of instantiating reqwest's request and response handling per body type.
async fn send(
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Vec<u8>>,
) -> Result<Vec<u8>, ApiError> {
    let mut request = reqwest::Client::new().request(method, url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
        // Personal data must not sit in the browser's HTTP cache.
        #[cfg(target_arch = "wasm32")]
        {
            request = request.fetch_cache_no_store();
        }
    }
    if let Some(body) = body {
        // What `RequestBuilder::json` does.
        request = request
            .header(
                reqwest::header::CONTENT_TYPE,
                reqwest::header::HeaderValue::from_static("application/json"),
            )
            .body(body);
    }
    let response = request
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    let status = response.status();
    let bytes = response
        .bytes()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    if !status.is_success() {
        return Err(match serde_json::from_slice::<ErrorBody>(&bytes) {
            Ok(body) => ApiError::Server(body),
            Err(_) => ApiError::Decode(format!("HTTP {status}")),
        });
    }
    Ok(bytes.to_vec())
}

fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| ApiError::Decode(e.to_string()))
}

async fn get_json<T: DeserializeOwned>(path: &str, token: Option<&str>) -> Result<T, ApiError> {
    decode(&send(Method::GET, path, token, None).await?)
}

async fn send_json<B: Serialize + ?Sized, T: DeserializeOwned>(
    method: Method,
    path: &str,
    token: Option<&str>,
    body: &B,
) -> Result<T, ApiError> {
    decode(&send(method, path, token, Some(json_body(body)?)).await?)
}

/// For answers with no body (204).
async fn send_empty<B: Serialize + ?Sized>(
    method: Method,
    path: &str,
    token: &str,
    body: Option<&B>,
) -> Result<(), ApiError> {
    let body = body.map(json_body).transpose()?;
    send(method, path, Some(token), body).await.map(|_| ())
}

/// A course's public draw results (公示), no sign-in.
pub async fn course_results(offering_id: &str) -> Result<crate::course::Results, ApiError> {
    get_json(
        &format!(
            "/api/v1/courses/{}/results",
            encode_query_value(offering_id)
        ),
        None,
    )
    .await
}

/// What a completion certificate says, if the server signed it unaltered (`400
/// invalid_field` if not), no sign-in.
pub async fn verify_certificate(
    code: &str,
) -> Result<domain::certificate::CertificateClaims, ApiError> {
    get_json(
        &format!(
            "/api/v1/certificates/verify?code={}",
            encode_query_value(code)
        ),
        None,
    )
    .await
}

/// Activities whose hours are on public notice (时长公示), names masked, no sign-in.
pub async fn hours_notices() -> Result<Vec<domain::hours::Notice>, ApiError> {
    get_json("/api/v1/hours/notices", None).await
}

/// Every change of the signed-in person's hours, newest first.
pub async fn my_hours_changes(token: &str) -> Result<Vec<domain::hours::HoursChange>, ApiError> {
    get_json("/api/v1/me/hours-changes", Some(token)).await
}

/// The young people who meet both 入团 requirements in `year` (admins).
pub async fn league_progress(
    token: &str,
    year: i32,
) -> Result<Vec<domain::league::ProgressRow>, ApiError> {
    get_json(
        &format!("/api/v1/admin/league-progress?year={year}"),
        Some(token),
    )
    .await
}

/// The public catalogue.
pub async fn catalogue() -> Result<Catalogue, ApiError> {
    get_json("/api/v1/catalogue", None).await
}

/// `POST /api/v1/auth/signup`: a new account, signed in.
pub async fn signup(request: &SignupRequest) -> Result<AuthResponse, ApiError> {
    send_json(Method::POST, "/api/v1/auth/signup", None, request).await
}

/// `POST /api/v1/auth/login`.
pub async fn login(request: &LoginRequest) -> Result<AuthResponse, ApiError> {
    send_json(Method::POST, "/api/v1/auth/login", None, request).await
}

/// `POST /api/v1/auth/logout`: ends this session on the server.
pub async fn logout(token: &str) -> Result<(), ApiError> {
    send_empty::<()>(Method::POST, "/api/v1/auth/logout", token, None).await
}

/// `POST /api/v1/auth/logout-all`: ends every session of this person.
pub async fn logout_all(token: &str) -> Result<(), ApiError> {
    send_empty::<()>(Method::POST, "/api/v1/auth/logout-all", token, None).await
}

/// `POST /api/v1/auth/password`: the server signs out every other session.
pub async fn change_password(token: &str, change: &PasswordChange) -> Result<(), ApiError> {
    send_empty(Method::POST, "/api/v1/auth/password", token, Some(change)).await
}

/// `GET /api/v1/me`: the profile as the server has it now (roles may have changed).
pub async fn me(token: &str) -> Result<UserProfile, ApiError> {
    get_json("/api/v1/me", Some(token)).await
}

/// `GET /api/v1/me/export`: everything the server keeps about this person, pretty-printed so
/// the downloaded file is readable.
pub async fn export_my_data(token: &str) -> Result<String, ApiError> {
    let bytes = send(Method::GET, "/api/v1/me/export", Some(token), None).await?;
    let value: serde_json::Value = decode(&bytes)?;
    serde_json::to_string_pretty(&value).map_err(|e| ApiError::Decode(e.to_string()))
}

/// `DELETE /api/v1/me`: deletes the account (the password is asked again).
pub async fn delete_account(token: &str, request: &DeleteAccount) -> Result<(), ApiError> {
    send_empty(Method::DELETE, "/api/v1/me", token, Some(request)).await
}

/// `GET /api/v1/admin/users?q=`: users whose phone or name contains `query`.
pub async fn search_users(token: &str, query: &str) -> Result<Vec<UserSummary>, ApiError> {
    let path = format!("/api/v1/admin/users?q={}", encode_query_value(query));
    get_json(&path, Some(token)).await
}

/// `PUT /api/v1/admin/users/{id}/roles`: replaces the roles; answers the roles now held.
pub async fn set_roles(token: &str, user_id: &str, roles: &[Role]) -> Result<Vec<Role>, ApiError> {
    let path = format!("/api/v1/admin/users/{}/roles", encode_query_value(user_id));
    send_json(Method::PUT, &path, Some(token), &SetRoles { roles }).await
}

/// `GET /api/v1/admin/users/{id}/assignments`.
pub async fn assignments(token: &str, user_id: &str) -> Result<Assignments, ApiError> {
    let path = format!(
        "/api/v1/admin/users/{}/assignments",
        encode_query_value(user_id)
    );
    get_json(&path, Some(token)).await
}

/// `PUT /api/v1/admin/users/{id}/assignments`: replaces what the organizer runs.
pub async fn set_assignments(
    token: &str,
    user_id: &str,
    assignments: &Assignments,
) -> Result<Assignments, ApiError> {
    let path = format!(
        "/api/v1/admin/users/{}/assignments",
        encode_query_value(user_id)
    );
    send_json(Method::PUT, &path, Some(token), assignments).await
}

/// The body of `POST /api/v1/admin/offerings` and `PUT …/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OfferingWrite {
    /// Everything the admin decides about the offering.
    pub draft: Plan,
    /// Publish now (else a draft, or unchanged when editing).
    pub publish: bool,
    /// The organizers assigned to it.
    pub organizer_ids: Vec<String>,
}

/// `GET /api/v1/admin/users?q=&limit=`: like [`search_users`], with a larger page.
pub async fn search_users_up_to(
    token: &str,
    query: &str,
    limit: u32,
) -> Result<Vec<UserSummary>, ApiError> {
    let path = format!(
        "/api/v1/admin/users?q={}&limit={limit}",
        encode_query_value(query)
    );
    get_json(&path, Some(token)).await
}

/// `GET /api/v1/admin/venues`.
pub async fn admin_venues(token: &str) -> Result<Vec<Venue>, ApiError> {
    get_json("/api/v1/admin/venues", Some(token)).await
}

/// `GET /api/v1/admin/offerings`: every offering, drafts and cancelled ones too, soonest first.
pub async fn admin_offerings(token: &str) -> Result<Vec<AdminOffering>, ApiError> {
    get_json("/api/v1/admin/offerings", Some(token)).await
}

/// `POST /api/v1/admin/offerings`.
pub async fn create_offering(token: &str, body: &OfferingWrite) -> Result<AdminOffering, ApiError> {
    send_json(Method::POST, "/api/v1/admin/offerings", Some(token), body).await
}

fn offering_path(id: &str, tail: &str) -> String {
    format!("/api/v1/admin/offerings/{}{tail}", encode_query_value(id))
}

/// `PUT /api/v1/admin/offerings/{id}`.
pub async fn update_offering(
    token: &str,
    id: &str,
    body: &OfferingWrite,
) -> Result<AdminOffering, ApiError> {
    send_json(Method::PUT, &offering_path(id, ""), Some(token), body).await
}

/// `POST /api/v1/admin/offerings/{id}/publish`.
pub async fn publish_offering(token: &str, id: &str) -> Result<AdminOffering, ApiError> {
    decode(
        &send(
            Method::POST,
            &offering_path(id, "/publish"),
            Some(token),
            None,
        )
        .await?,
    )
}

/// `POST /api/v1/admin/offerings/{id}/cancel`: every registrant is told `reason`.
pub async fn cancel_offering(
    token: &str,
    id: &str,
    reason: &str,
) -> Result<AdminOffering, ApiError> {
    let body = CancelOffering {
        reason: reason.to_owned(),
    };
    send_json(
        Method::POST,
        &offering_path(id, "/cancel"),
        Some(token),
        &body,
    )
    .await
}

/// The review queue's query string.
pub fn reviews_path(offering_id: Option<&str>, status: Option<&str>) -> String {
    let mut params = Vec::new();
    if let Some(o) = offering_id {
        params.push(format!("offering_id={}", encode_query_value(o)));
    }
    if let Some(s) = status {
        params.push(format!("status={}", encode_query_value(s)));
    }
    if params.is_empty() {
        "/api/v1/admin/reviews".to_owned()
    } else {
        format!("/api/v1/admin/reviews?{}", params.join("&"))
    }
}

/// `GET /api/v1/admin/reviews?offering_id=&status=`.
pub async fn reviews(
    token: &str,
    offering_id: Option<&str>,
    status: Option<&str>,
) -> Result<Vec<ReviewItem>, ApiError> {
    get_json(&reviews_path(offering_id, status), Some(token)).await
}

/// `GET /api/v1/admin/offerings/{id}/registrations.csv`: the sign-ups as CSV text (UTF-8 with a
/// BOM, so Excel reads the Chinese).
pub async fn registrations_csv(token: &str, id: &str) -> Result<String, ApiError> {
    let bytes = send(
        Method::GET,
        &offering_path(id, "/registrations.csv"),
        Some(token),
        None,
    )
    .await?;
    String::from_utf8(bytes).map_err(|e| ApiError::Decode(e.to_string()))
}

/// `GET /api/v1/admin/dashboard?{query}`: the committee's numbers (see `domain::numbers`).
pub async fn dashboard(token: &str, query: &str) -> Result<domain::numbers::Dashboard, ApiError> {
    get_json(&format!("/api/v1/admin/dashboard?{query}"), Some(token)).await
}

/// `GET /api/v1/admin/report?year=`: the year-end report's figures.
pub async fn report(token: &str, year: i32) -> Result<domain::numbers::Report, ApiError> {
    get_json(&format!("/api/v1/admin/report?year={year}"), Some(token)).await
}

/// A file the server writes (an .xlsx): its bytes.
pub async fn download(token: &str, path: &str) -> Result<Vec<u8>, ApiError> {
    send(Method::GET, path, Some(token), None).await
}

/// `POST /api/v1/admin/offerings/{id}/draw`: the course's draw, once, after its close.
pub async fn run_draw(
    token: &str,
    id: &str,
    public_value: &str,
) -> Result<domain::programme::course::DrawAnswer, ApiError> {
    let body = domain::programme::course::DrawRequest {
        public_value: public_value.to_owned(),
    };
    send_json(
        Method::POST,
        &offering_path(id, "/draw"),
        Some(token),
        &body,
    )
    .await
}

/// `GET /api/v1/admin/offerings/{id}/course`: how a course stands.
pub async fn course_summary(
    token: &str,
    id: &str,
) -> Result<domain::programme::course::CourseSummary, ApiError> {
    decode(
        &send(
            Method::GET,
            &offering_path(id, "/course"),
            Some(token),
            None,
        )
        .await?,
    )
}

/// A mixer's path under `/api/v1/offerings/{id}` (organizers who run it, and admins).
pub fn mixer_path(id: &str, tail: &str) -> String {
    format!("/api/v1/offerings/{}{tail}", encode_query_value(id))
}

/// `POST /api/v1/offerings/{id}/picks/close`: closes a mixer's pick window (the server's
/// moment; online only) and answers the counts. `409` when the window is not open.
pub async fn close_picks(
    token: &str,
    id: &str,
) -> Result<domain::programme::mixer::MixerCounts, ApiError> {
    decode(
        &send(
            Method::POST,
            &mixer_path(id, "/picks/close"),
            Some(token),
            None,
        )
        .await?,
    )
}

/// `GET /api/v1/offerings/{id}/mixer`: a mixer's counts (picks and pairs once closed).
pub async fn mixer_counts(
    token: &str,
    id: &str,
) -> Result<domain::programme::mixer::MixerCounts, ApiError> {
    decode(&send(Method::GET, &mixer_path(id, "/mixer"), Some(token), None).await?)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Built from JSON, as the app receives it.
    /// An error answer as the server writes it: an `invalid_field` message is
    /// `"{field}: {reason}"` and the reason also travels on its own.
    pub(crate) fn server(error: ErrorCode, message: &str, field: Option<&str>) -> ApiError {
        let reason = field.and_then(|_| message.split_once(": ").map(|(_, r)| r));
        ApiError::Server(
            serde_json::from_value(serde_json::json!({
                "error": error, "message": message, "field": field, "reason": reason
            }))
            .unwrap(),
        )
    }

    #[test]
    fn an_invalid_field_answer_gives_its_field_and_code() {
        let e = server(
            ErrorCode::InvalidField,
            "guardian.phone: same_as_phone",
            Some("guardian.phone"),
        );
        assert_eq!(e.field_error(), Some(("guardian.phone", "same_as_phone")));
        // A message in another form still names the field; the code is then unknown.
        let e = server(ErrorCode::InvalidField, "bad", Some("phone"));
        assert_eq!(e.field_error(), Some(("phone", "")));
        assert_eq!(
            server(ErrorCode::PhoneTaken, "taken", None).field_error(),
            None
        );
        assert_eq!(ApiError::Network("x".into()).field_error(), None);
    }

    #[test]
    fn only_unauthenticated_means_the_session_is_gone() {
        assert!(server(ErrorCode::Unauthenticated, "sign in", None).is_unauthenticated());
        // Wrong current password is also a 401, but the session is fine.
        assert!(!server(ErrorCode::InvalidCredentials, "wrong", None).is_unauthenticated());
        assert!(!ApiError::Network("offline".into()).is_unauthenticated());
    }

    #[test]
    fn the_review_queue_path_carries_only_the_filters_set() {
        assert_eq!(reviews_path(None, None), "/api/v1/admin/reviews");
        assert_eq!(
            reviews_path(Some("act 1"), Some("pending_review")),
            "/api/v1/admin/reviews?offering_id=act%201&status=pending_review"
        );
        assert_eq!(
            reviews_path(None, Some("confirmed")),
            "/api/v1/admin/reviews?status=confirmed"
        );
        assert_eq!(
            offering_path("a/b", "/cancel"),
            "/api/v1/admin/offerings/a%2Fb/cancel"
        );
        assert_eq!(
            mixer_path("m 1", "/picks/close"),
            "/api/v1/offerings/m%201/picks/close"
        );
    }

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(encode_query_value("139000"), "139000");
        assert_eq!(encode_query_value("a&b c"), "a%26b%20c");
        assert_eq!(encode_query_value("王"), "%E7%8E%8B");
        assert_eq!(encode_query_value("x/y?z#"), "x%2Fy%3Fz%23");
    }

    #[test]
    fn a_user_summary_reads_the_server_shape() {
        let json = r#"[{"id":"u1","phone":"13900000003","display_name":"王青青","birth_year":2001,"roles":["youth","organizer"]}]"#;
        let users: Vec<UserSummary> = serde_json::from_str(json).unwrap();
        assert_eq!(users[0].roles, [Role::Youth, Role::Organizer]);
        let a: Assignments = serde_json::from_str(r#"{"offering_ids":["o1"]}"#).unwrap();
        assert_eq!(a.offering_ids, ["o1"]);
        assert!(a.venue_ids.is_empty());
    }
}
