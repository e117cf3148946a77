//! `/api/v1/admin/*`: users, roles, organizer assignments, the audit log. Every change is
//! recorded in the audit log with the state before and after.

use crate::{
    AppState,
    auth::{Caller, access::roles_of},
    db::{self, users},
    error::{ApiError, ApiJson},
};
use axum::extract::{Path, Query, State};
use domain::{
    Role,
    account::{Assignments, UserSummary},
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;

/// `?q=&limit=`
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    limit: Option<u32>,
}

/// `GET /api/v1/admin/users?q=`: search by phone or name.
pub async fn search_users(
    State(state): State<AppState>,
    Query(query): Query<SearchQuery>,
) -> Result<ApiJson<Vec<UserSummary>>, ApiError> {
    if query.q.chars().count() > 64 {
        return Err(ApiError::field("q", "too_long"));
    }
    let limit = query.limit.unwrap_or(50).clamp(1, 200);
    Ok(ApiJson(
        users::search(&state.store, query.q.trim(), limit).await?,
    ))
}

async fn user_exists(state: &AppState, user_id: &str) -> Result<(), ApiError> {
    if users::exists(&state.store, user_id).await? {
        Ok(())
    } else {
        Err(ApiError::not_found("user"))
    }
}

/// The roles to give a user.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SetRoles {
    /// The complete new set.
    pub roles: Vec<Role>,
}

/// `PUT /api/v1/admin/users/{user_id}/roles`: replaces the user's roles.
pub async fn set_roles(
    State(state): State<AppState>,
    caller: Caller,
    Path(user_id): Path<String>,
    ApiJson(body): ApiJson<SetRoles>,
) -> Result<ApiJson<Vec<Role>>, ApiError> {
    user_exists(&state, &user_id).await?;
    let mut roles = body.roles;
    roles.sort();
    roles.dedup();
    if user_id == caller.user_id && !roles.contains(&Role::Admin) {
        // An admin locking themselves out would leave the district without one.
        return Err(ApiError::field("roles", "cannot_remove_own_admin"));
    }
    let before = roles_of(&state.store, &user_id).await?;
    let mut tx = state.store.begin_write().await?;
    users::set_roles(&mut tx, &user_id, &roles).await?;
    users::see_anew(&mut tx, &user_id).await?;
    db::audit::record(
        &mut tx,
        &caller.user_id,
        "user.roles",
        &format!("user:{user_id}"),
        &before,
        &roles,
        OffsetDateTime::now_utc(),
    )
    .await?;
    tx.commit().await?;
    Ok(ApiJson(roles))
}

/// `GET /api/v1/admin/users/{user_id}/assignments`
pub async fn get_assignments(
    State(state): State<AppState>,
    Path(user_id): Path<String>,
) -> Result<ApiJson<Assignments>, ApiError> {
    user_exists(&state, &user_id).await?;
    Ok(ApiJson(users::assignments(&state.store, &user_id).await?))
}

/// The body of `PUT …/assignments`: each list, when given, is the complete new set of its
/// kind; a list left out stays as it was (only an explicit `[]` empties one).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct SetAssignments {
    /// Offerings run one by one.
    #[serde(default)]
    offering_ids: Option<Vec<String>>,
    /// Whole venues.
    #[serde(default)]
    venue_ids: Option<Vec<String>>,
}

/// `PUT /api/v1/admin/users/{user_id}/assignments`: replaces what the organizer runs, list by
/// list. The user must hold the organizer role; every id must exist.
pub async fn set_assignments(
    State(state): State<AppState>,
    caller: Caller,
    Path(user_id): Path<String>,
    ApiJson(change): ApiJson<SetAssignments>,
) -> Result<ApiJson<Assignments>, ApiError> {
    user_exists(&state, &user_id).await?;
    if !roles_of(&state.store, &user_id)
        .await?
        .contains(&Role::Organizer)
    {
        return Err(ApiError::field("user_id", "not_an_organizer"));
    }
    let before = users::assignments(&state.store, &user_id).await?;
    let mut body = Assignments {
        offering_ids: change
            .offering_ids
            .unwrap_or_else(|| before.offering_ids.clone()),
        venue_ids: change.venue_ids.unwrap_or_else(|| before.venue_ids.clone()),
    };
    if body.offering_ids.len() + body.venue_ids.len() > 500 {
        return Err(ApiError::field("offering_ids", "too_many"));
    }
    body.offering_ids.sort();
    body.offering_ids.dedup();
    body.venue_ids.sort();
    body.venue_ids.dedup();
    if body == before {
        return Ok(ApiJson(body));
    }
    let mut tx = state.store.begin_write().await?;
    if let Err(unknown) = users::set_assignments(&mut tx, &user_id, &body).await? {
        return Err(ApiError::field(unknown.field(), unknown.reason()));
    }
    users::see_anew(&mut tx, &user_id).await?;
    db::audit::record(
        &mut tx,
        &caller.user_id,
        "organizer.assignments",
        &format!("user:{user_id}"),
        &before,
        &body,
        OffsetDateTime::now_utc(),
    )
    .await?;
    tx.commit().await?;
    Ok(ApiJson(body))
}

/// `?target=`
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    target: Option<String>,
}

/// `GET /api/v1/admin/audit?target=user:…`: the newest 200 entries.
pub async fn audit_log(
    State(state): State<AppState>,
    Query(query): Query<AuditQuery>,
) -> Result<ApiJson<Vec<Value>>, ApiError> {
    Ok(ApiJson(
        db::audit::list(&state.store, query.target.as_deref()).await?,
    ))
}
