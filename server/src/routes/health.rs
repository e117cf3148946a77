//! `GET /healthz`: is the server up and can it reach its database?

use crate::{AppState, error::ApiError};
use axum::{Json, extract::State};
use serde_json::{Value, json};

/// Answers 200 `{"status":"ok"}` when a query against the database succeeds.
pub async fn healthz(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let one: i64 = state
        .store
        .fetch_one("SELECT 1", crate::db::pool::args![], |r| r.get(0))
        .await?;
    Ok(Json(
        json!({ "status": if one == 1 { "ok" } else { "degraded" } }),
    ))
}
