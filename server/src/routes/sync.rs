//! `/api/v1/sync/push` and `/api/v1/sync/pull`.

use crate::{
    AppState,
    auth::Caller,
    db::venue::Actor,
    error::{ApiError, ApiJson},
    sync::{
        pull::{PullQuery, pull},
        push,
    },
};
use axum::extract::{Query, State};
use domain::sync::{PullResponse, PushRequest, PushResponse};

/// Applies the caller's queued mutations; answers once they are durable.
#[tracing::instrument(level = "debug", skip_all, fields(user.id = %caller.user_id, mutations = request.mutations.len()))]
pub async fn push_handler(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(request): ApiJson<PushRequest>,
) -> Result<ApiJson<PushResponse>, ApiError> {
    push::validate(&request)?;
    // The roles the access layer read for this request decide what the mutations may do.
    let actor = Actor::new(caller.user_id, &caller.roles);
    Ok(ApiJson(state.writer.push(actor, request).await?))
}

/// What changed since the caller's cursor.
#[tracing::instrument(level = "debug", skip_all, fields(user.id = %caller.user_id))]
pub async fn pull_handler(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<PullQuery>,
) -> Result<ApiJson<PullResponse>, ApiError> {
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    Ok(ApiJson(
        pull(
            &state.store,
            &state.tickets,
            &caller.user_id,
            &query,
            now,
            state.config.hours_notice_days,
        )
        .await?,
    ))
}
