//! `GET /api/v1/catalogue`: the published programmes anyone may browse, signed in or not.

use crate::{AppState, db, error::ApiError};
use axum::{Json, extract::State};
use domain::Catalogue;
use time::OffsetDateTime;

/// Published offerings that have not ended, with their venues.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn get_catalogue(State(state): State<AppState>) -> Result<Json<Catalogue>, ApiError> {
    let catalogue = db::catalogue::published(&state.store, OffsetDateTime::now_utc()).await?;
    Ok(Json(catalogue))
}
