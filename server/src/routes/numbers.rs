//! `GET /api/v1/admin/dashboard`: the committee's numbers for a period (default: this year in
//! China time), by kind, venue and category (see `domain::numbers`).

use crate::{
    AppState, db,
    error::{ApiError, ApiJson},
};
use axum::extract::{Query, State};
use domain::{
    OfferingKind,
    numbers::{Dashboard, Filter, Period, PeriodError},
};
use serde::Deserialize;
use time::OffsetDateTime;

/// The query: `from` and `to` as `YYYY-MM-DD` (both or neither), and the filters.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DashboardQuery {
    from: Option<String>,
    to: Option<String>,
    kind: Option<String>,
    venue_id: Option<String>,
    category: Option<String>,
}

/// The dashboard.
pub async fn dashboard(
    State(state): State<AppState>,
    Query(q): Query<DashboardQuery>,
) -> Result<ApiJson<Dashboard>, ApiError> {
    let now = OffsetDateTime::now_utc();
    let (period, filter) = q.read(now)?;
    Ok(ApiJson(
        db::numbers::dashboard(
            &state.store,
            &period,
            &filter,
            now.unix_timestamp(),
            state.config.hours_notice_days,
        )
        .await?,
    ))
}

impl DashboardQuery {
    /// The period (default: this year in China time) and the filter, or the field at fault.
    pub fn read(self, now: OffsetDateTime) -> Result<(Period, Filter), ApiError> {
        let q = self;
        let period = match (q.from.as_deref(), q.to.as_deref()) {
            (None, None) => Period::year(domain::moment::in_china(now).year()),
            (from, to) => {
                Period::parse(from.unwrap_or(""), to.unwrap_or("")).map_err(|e| match e {
                    PeriodError::Unreadable(field) => ApiError::field(field, "invalid"),
                    PeriodError::EndsBeforeStart => ApiError::field("to", "before_start"),
                    PeriodError::TooLong => ApiError::field("to", "too_long"),
                })?
            }
        };
        let kind = match q.kind.as_deref().filter(|k| !k.is_empty()) {
            None => None,
            Some(k) => {
                Some(OfferingKind::parse(k).ok_or_else(|| ApiError::field("kind", "invalid"))?)
            }
        };
        let nonempty = |s: Option<String>| s.filter(|s| !s.trim().is_empty() && s.len() <= 64);
        let filter = Filter {
            kind,
            venue_id: nonempty(q.venue_id),
            category: nonempty(q.category),
        };
        Ok((period, filter))
    }
}

/// `?year=`: a calendar year, 2000–2100 (default: this year in China time).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    year: Option<String>,
}

impl YearQuery {
    /// The year asked for, or a 400 naming `year`.
    pub fn read(&self, now: OffsetDateTime) -> Result<i32, ApiError> {
        match self.year.as_deref().map(str::trim) {
            None | Some("") => Ok(domain::moment::in_china(now).year()),
            Some(y) => y
                .parse::<i32>()
                .ok()
                .filter(|y| (2000..=2100).contains(y))
                .ok_or_else(|| ApiError::field("year", "invalid")),
        }
    }
}
