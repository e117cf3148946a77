//! Volunteer hours people can trust: the public notice page (时长公示), the record of every
//! change of credited minutes (a person's own; an offering's for its organizers and admins),
//! and the admin's list of young people who meet 入团's hours requirements.

use super::numbers::YearQuery;
use crate::{
    AppState,
    auth::Caller,
    db,
    error::{ApiError, ApiJson},
};
use axum::extract::{Path, Query, State};
use domain::{
    hours::{HoursChange, Notice},
    league::ProgressRow,
};
use time::OffsetDateTime;

/// `GET /api/v1/hours/notices` (public): activities in their notice period, names masked.
pub async fn notices(State(state): State<AppState>) -> Result<ApiJson<Vec<Notice>>, ApiError> {
    let now = OffsetDateTime::now_utc().unix_timestamp();
    Ok(ApiJson(
        db::hours::notices(&state.store, now, state.config.hours_notice_days).await?,
    ))
}

/// `GET /api/v1/me/hours-changes`: every change of the caller's own hours.
pub async fn my_changes(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<ApiJson<Vec<HoursChange>>, ApiError> {
    Ok(ApiJson(
        db::hours::changes_of_user(&state.store, &caller.user_id).await?,
    ))
}

/// `GET /api/v1/offerings/{offering_id}/hours-changes`: every change of hours at an offering.
pub async fn offering_changes(
    State(state): State<AppState>,
    Path(offering_id): Path<String>,
) -> Result<ApiJson<Vec<HoursChange>>, ApiError> {
    if !db::offerings::exists(&state.store, &offering_id).await? {
        return Err(ApiError::not_found("offering"));
    }
    Ok(ApiJson(
        db::hours::changes_of_offering(&state.store, &offering_id).await?,
    ))
}

/// `GET /api/v1/admin/league-progress?year=YYYY`: the young people (14–28) who meet both the
/// volunteer hours and the 团课 class hours that year.
pub async fn league_progress(
    State(state): State<AppState>,
    Query(q): Query<YearQuery>,
) -> Result<ApiJson<Vec<ProgressRow>>, ApiError> {
    let now = OffsetDateTime::now_utc();
    let year = q.read(now)?;
    let rows = db::league::league_progress(
        &state.store,
        year,
        now.unix_timestamp(),
        state.config.hours_notice_days,
    )
    .await?;
    Ok(ApiJson(
        rows.into_iter()
            .filter(|r| r.progress.meets_both())
            .collect(),
    ))
}
