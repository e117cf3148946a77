//! A mixer's pick window and its counts, for the organizers who run it and for admins. Nobody
//! learns from here who picked whom: only counts (see `db::mixer`).

use crate::{
    AppState,
    auth::Caller,
    db,
    error::{ApiError, ApiJson},
};
use axum::extract::{Path, State};
use domain::{ErrorCode, programme::mixer::MixerCounts};
use time::OffsetDateTime;

/// `POST /api/v1/offerings/{offering_id}/picks/close`: closes the pick window (server clock)
/// and makes the matches. Needs the network by nature: the close is the server's moment, after
/// which no pick counts. Refused when the window is not open.
pub async fn close_picks(
    State(state): State<AppState>,
    caller: Caller,
    Path(offering_id): Path<String>,
) -> Result<ApiJson<MixerCounts>, ApiError> {
    let now = OffsetDateTime::now_utc();
    let (id, actor) = (offering_id.clone(), caller.user_id.clone());
    let closed = state
        .writer
        .run(move |w| {
            let closed = db::mixer::close(w, &id, now.unix_timestamp())?;
            if let Ok(c) = &closed {
                db::audit::record_on(
                    w,
                    &actor,
                    "mixer.close",
                    &format!("offering:{id}"),
                    &serde_json::json!({ "window": "open" }),
                    &serde_json::json!({ "window": "closed", "pairs": c.pairs }),
                    now,
                )?;
            }
            Ok(closed)
        })
        .await?;
    match closed {
        Ok(counts) => Ok(ApiJson(counts)),
        Err(db::mixer::CloseError::NotAMixer) => Err(ApiError::not_found("mixer")),
        Err(db::mixer::CloseError::NotOpen) => Err(ApiError::new(
            ErrorCode::Conflict,
            "the pick window is not open",
        )),
    }
}

/// `GET /api/v1/offerings/{offering_id}/mixer`: the counts (picks and matches only after the
/// close).
pub async fn counts(
    State(state): State<AppState>,
    Path(offering_id): Path<String>,
) -> Result<ApiJson<MixerCounts>, ApiError> {
    let counts = state
        .writer
        .run(move |w| {
            Ok(if db::mixer::is_mixer(w, &offering_id)? {
                Some(db::mixer::counts(w, &offering_id)?)
            } else {
                None
            })
        })
        .await?;
    counts
        .map(ApiJson)
        .ok_or_else(|| ApiError::not_found("mixer"))
}
