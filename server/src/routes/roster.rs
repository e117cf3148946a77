//! `GET /api/v1/offerings/{offering_id}/roster`: who is registered, for the offering's
//! organizers and admins. Organizers see no more than check-in needs: the name, a masked phone
//! and its last four digits, the status.

use crate::{
    AppState,
    auth::Caller,
    db::{pool::args, registrations::ROSTER},
    error::{ApiError, ApiJson},
};
use axum::extract::{Path, State};
use domain::{PhoneNumber, Role};
use serde::{Deserialize, Serialize};

/// One person on a roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RosterEntry {
    /// The registration.
    pub registration_id: String,
    /// The person's display name ("已注销" once the account is deleted).
    pub display_name: String,
    /// `138****1234` for organizers; the whole number for admins.
    pub phone: String,
    /// The last four digits, to search by at the door.
    pub phone_last4: String,
    /// Registration status.
    pub status: String,
}

/// The roster of one offering.
pub async fn get_roster(
    State(state): State<AppState>,
    caller: Caller,
    Path(offering_id): Path<String>,
) -> Result<ApiJson<Vec<RosterEntry>>, ApiError> {
    if !crate::db::offerings::exists(&state.store, &offering_id).await? {
        return Err(ApiError::not_found("offering"));
    }
    let rows: Vec<(String, Option<String>, Option<String>, String)> = state
        .store
        .fetch_all(ROSTER, args![offering_id], |r| r.tuple())
        .await?;
    let admin = caller.has(Role::Admin);
    Ok(ApiJson(
        rows.into_iter()
            .map(|(id, name, phone, status)| {
                let phone = phone.and_then(|p| PhoneNumber::parse(&p).ok());
                RosterEntry {
                    registration_id: id,
                    display_name: name.unwrap_or_else(|| "已注销".into()),
                    phone: phone
                        .as_ref()
                        .map(|p| if admin { p.to_string() } else { p.masked() })
                        .unwrap_or_default(),
                    phone_last4: phone
                        .as_ref()
                        .map(|p| p.last4().to_owned())
                        .unwrap_or_default(),
                    status,
                }
            })
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn the_roster_finds_its_registrations_by_index() {
        let plan = crate::db::query_plan(crate::db::registrations::ROSTER).await;
        crate::db::assert_registrations_by_index(&plan);
    }
}
