//! The one place access is decided. Every API route is registered with an [`Access`] rule
//! (see `routes::api`), and [`authorize`] runs it before the handler: handlers never check
//! roles themselves, they receive a [`Caller`] that has already passed. Every sync mutation is
//! declared here too, in [`MUTATIONS`], and the push checks its rule before the mutation runs
//! ([`may_run`]); a mutation on an offering checks that the actor runs it with
//! `db::users::runs` once it knows the offering.

use super::session;
use crate::{AppState, error::ApiError};
use axum::{
    extract::{FromRequestParts, Path, Request, State},
    http::{header::AUTHORIZATION, request::Parts},
    middleware::Next,
    response::{IntoResponse, Response},
};
use domain::Role;
use std::collections::HashMap;
use time::OffsetDateTime;

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in person, acting on their own data.
    SignedIn,
    /// Admins only.
    Admin,
    /// Admins, and organizers assigned to the offering in the `{offering_id}` path parameter
    /// (directly or through its venue).
    OrganizerOfOffering,
}

/// Who may run each sync mutation, beside the routes' rules: `SignedIn` acts on the person's
/// own data (their registrations); `OrganizerOfOffering` on registrations of an offering the
/// actor runs (admins run everything). The authorization matrix test pushes every one of them
/// as every kind of caller, and fails if a mutation is missing here.
pub const MUTATIONS: [(&str, Access); 13] = [
    ("registration.request", Access::SignedIn),
    ("registration.cancel", Access::SignedIn),
    ("review.decide", Access::Admin),
    ("checkin.record", Access::OrganizerOfOffering),
    ("walkin.register", Access::OrganizerOfOffering),
    ("hours.correct", Access::OrganizerOfOffering),
    ("course.confirm", Access::SignedIn),
    ("course.rate", Access::SignedIn),
    ("mixer.profile", Access::SignedIn),
    ("mixer.pick", Access::SignedIn),
    ("mixer.open", Access::OrganizerOfOffering),
    ("hours.request", Access::SignedIn),
    ("hours.answer", Access::OrganizerOfOffering),
];

/// The rule for the mutation called `name`, if there is such a mutation.
pub fn mutation_access(name: &str) -> Option<Access> {
    MUTATIONS.iter().find(|(n, _)| *n == name).map(|(_, a)| *a)
}

/// Whether someone with `roles` may run a mutation under `access` at all; a mutation on an
/// offering still checks `db::users::runs` once it knows the offering.
pub fn may_run(access: Access, roles: &[Role]) -> bool {
    match access {
        Access::Public | Access::SignedIn => true,
        Access::Admin => roles.contains(&Role::Admin),
        Access::OrganizerOfOffering => {
            roles.contains(&Role::Admin) || roles.contains(&Role::Organizer)
        }
    }
}

/// A signed-in person whose session was checked for this request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The user.
    pub user_id: String,
    /// The session used.
    pub session_id: String,
    /// The roles held now (read per request, so a role change applies at once).
    pub roles: Vec<Role>,
}

impl Caller {
    /// Whether the caller holds `role`.
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

fn bearer(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get(AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
        .filter(|t| !t.is_empty() && t.len() <= 128)
}

pub use crate::db::users::{organizes, parse_roles, roles_of};

async fn caller_from(state: &AppState, parts: &Parts) -> Result<Option<Caller>, ApiError> {
    let Some(token) = bearer(parts) else {
        return Ok(None);
    };
    // SQLite's sessions are read on the request's own thread; PostgreSQL's through the pool.
    let reader = state.sessions.as_ref();
    let Some(session) =
        session::authenticate(&state.store, reader, token, OffsetDateTime::now_utc()).await?
    else {
        return Ok(None);
    };
    Ok(Some(Caller {
        roles: parse_roles(&session.role_names),
        user_id: session.user_id,
        session_id: session.id,
    }))
}

/// Decides `access` for this request; on success the handler finds the [`Caller`] (if any) in
/// the request's extensions.
pub async fn authorize(
    State((state, access)): State<(AppState, Access)>,
    request: Request,
    next: Next,
) -> Response {
    let (mut parts, body) = request.into_parts();
    let caller = match caller_from(&state, &parts).await {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    let decision = match (&access, &caller) {
        (Access::Public, _) => Ok(()),
        (_, None) => Err(ApiError::unauthenticated()),
        (Access::SignedIn, Some(_)) => Ok(()),
        (Access::Admin, Some(c)) if c.has(Role::Admin) => Ok(()),
        (Access::Admin, Some(_)) => Err(ApiError::forbidden()),
        (Access::OrganizerOfOffering, Some(c)) => {
            organizer_of_path_offering(&state, &mut parts, c).await
        }
    };
    if let Err(e) = decision {
        return e.into_response();
    }
    if let Some(c) = caller {
        parts.extensions.insert(c);
    }
    next.run(Request::from_parts(parts, body)).await
}

async fn organizer_of_path_offering(
    state: &AppState,
    parts: &mut Parts,
    caller: &Caller,
) -> Result<(), ApiError> {
    let Path(params) = Path::<HashMap<String, String>>::from_request_parts(parts, state)
        .await
        .map_err(|_| ApiError::not_found("offering"))?;
    let offering_id = params
        .get("offering_id")
        .ok_or_else(|| ApiError::not_found("offering"))?;
    if caller.has(Role::Admin) {
        return Ok(());
    }
    if caller.has(Role::Organizer) && organizes(&state.store, &caller.user_id, offering_id).await? {
        return Ok(());
    }
    Err(ApiError::forbidden())
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    /// Present on every route whose [`Access`] needs a signed-in person.
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Caller>()
            .cloned()
            .ok_or_else(ApiError::unauthenticated)
    }
}
