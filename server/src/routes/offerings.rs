//! `/api/v1/admin/offerings…`, `/api/v1/admin/venues`, `/api/v1/admin/reviews`: what admins
//! create and decide. Every change is audited; registrants learn of changes through pull.

use crate::{
    AppState,
    auth::Caller,
    db::{self, offerings::UpdateRefused, pool::On, registrations::OfferingCancelled},
    error::{ApiError, ApiJson},
};
use axum::{
    extract::{Path, Query, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use domain::{
    OfferingStatus, Plan, Venue,
    admin::{AdminOffering, CancelOffering, ReviewItem},
    registration::RegistrationStatus,
};
use serde::Deserialize;
use serde_json::{Value, json};
use time::OffsetDateTime;

/// `GET /api/v1/admin/venues`
pub async fn venues(State(state): State<AppState>) -> Result<ApiJson<Vec<Venue>>, ApiError> {
    Ok(ApiJson(db::offerings::venues(&state.store).await?))
}

/// The offering with `id`, or 404.
async fn existing(on: impl Into<On<'_>>, id: &str) -> Result<AdminOffering, ApiError> {
    let mut on = on.into();
    let Some(offering) = db::offerings::load(on.reborrow(), id).await? else {
        return Err(ApiError::not_found("offering"));
    };
    Ok(db::offerings::for_admin(on, offering).await?)
}

/// `GET /api/v1/admin/offerings`: every offering, drafts and cancelled ones too, soonest first.
pub async fn list(State(state): State<AppState>) -> Result<ApiJson<Vec<AdminOffering>>, ApiError> {
    let out = db::offerings::all_for_admin(&state.store).await?;
    Ok(ApiJson(out))
}

/// The body of create and update.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct OfferingBody {
    draft: Plan,
    #[serde(default)]
    publish: bool,
    /// The complete set of organizers assigned directly. Missing: an update leaves them as
    /// they are (a create assigns none); only an explicit `[]` removes them all.
    #[serde(default)]
    organizer_ids: Option<Vec<String>>,
}

/// Checks the plan and what it names; answers it as it is stored.
async fn check(on: impl Into<On<'_>>, body: &OfferingBody) -> Result<Plan, ApiError> {
    let plan = body.draft.clone().normalized();
    if let Err(errors) = plan.validate() {
        let e = &errors[0];
        return Err(ApiError::field(e.field, e.code));
    }
    let mut on = on.into();
    if !db::offerings::venue_exists(on.reborrow(), &plan.venue_id).await? {
        return Err(ApiError::field("venue_id", "unknown_venue"));
    }
    let organizer_ids = body.organizer_ids.as_deref().unwrap_or_default();
    if organizer_ids.len() > 50 {
        return Err(ApiError::field("organizer_ids", "too_many"));
    }
    for id in organizer_ids {
        if !db::users::is_organizer(on.reborrow(), id).await? {
            return Err(ApiError::field("organizer_ids", "not_an_organizer"));
        }
    }
    Ok(plan)
}

/// `POST /api/v1/admin/offerings`: a draft, or published at once.
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<OfferingBody>,
) -> Result<Response, ApiError> {
    let now = OffsetDateTime::now_utc();
    let mut tx = state.store.begin_write().await?;
    let plan = check(&mut tx, &body).await?;
    let id = format!(
        "{}-{}",
        plan.kind().as_str(),
        &uuid::Uuid::new_v4().simple().to_string()[..12]
    );
    let status = if body.publish {
        OfferingStatus::Published
    } else {
        OfferingStatus::Draft
    };
    db::offerings::insert(&mut tx, &id, &plan, status, now.unix_timestamp()).await?;
    db::offerings::assign(
        &mut tx,
        &id,
        body.organizer_ids.as_deref().unwrap_or_default(),
    )
    .await?;
    db::audit::record(
        &mut tx,
        &caller.user_id,
        "offering.create",
        &format!("offering:{id}"),
        &Value::Null,
        &json!(plan),
        now,
    )
    .await?;
    let created = existing(&mut tx, &id).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, ApiJson(created)).into_response())
}

/// `PUT /api/v1/admin/offerings/{offering_id}`: edits; places already taken stay taken.
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(offering_id): Path<String>,
    ApiJson(body): ApiJson<OfferingBody>,
) -> Result<ApiJson<AdminOffering>, ApiError> {
    let now = OffsetDateTime::now_utc();
    let mut tx = state.store.begin_write().await?;
    let before = existing(&mut tx, &offering_id).await?.offering;
    if before.status == OfferingStatus::Cancelled {
        return Err(ApiError::field("status", "cancelled"));
    }
    let plan = check(&mut tx, &body).await?;
    let status = if body.publish {
        OfferingStatus::Published
    } else {
        before.status
    };
    match db::offerings::update(&mut tx, &before, &plan, status).await? {
        Ok(()) => {}
        Err(UpdateRefused::Kind) => return Err(ApiError::field("programme", "kind_changed")),
        Err(UpdateRefused::BelowTaken) => return Err(ApiError::field("capacity", "below_taken")),
        Err(UpdateRefused::PoolInUse) => return Err(ApiError::field("quotas", "pool_in_use")),
    }
    if let Some(organizer_ids) = &body.organizer_ids {
        db::offerings::assign(&mut tx, &offering_id, organizer_ids).await?;
    }
    if before.plan.venue_id != plan.venue_id {
        // Organizers who run a venue gain or lose this offering's roster with the move: their
        // devices download again, as after any change of what they may see.
        let moved =
            db::offerings::venue_organizers(&mut tx, &before.plan.venue_id, &plan.venue_id).await?;
        for user in &moved {
            db::users::see_anew(&mut tx, user).await?;
        }
    }
    db::audit::record(
        &mut tx,
        &caller.user_id,
        "offering.update",
        &format!("offering:{offering_id}"),
        &json!(before.plan),
        &json!(plan),
        now,
    )
    .await?;
    let after = existing(&mut tx, &offering_id).await?;
    tx.commit().await?;
    Ok(ApiJson(after))
}

/// `POST /api/v1/admin/offerings/{offering_id}/publish`
pub async fn publish(
    State(state): State<AppState>,
    caller: Caller,
    Path(offering_id): Path<String>,
) -> Result<ApiJson<AdminOffering>, ApiError> {
    let now = OffsetDateTime::now_utc();
    let mut tx = state.store.begin_write().await?;
    let before = existing(&mut tx, &offering_id).await?;
    if before.offering.status == OfferingStatus::Cancelled {
        return Err(ApiError::field("status", "cancelled"));
    }
    db::offerings::publish(&mut tx, &offering_id).await?;
    db::audit::record(
        &mut tx,
        &caller.user_id,
        "offering.publish",
        &format!("offering:{offering_id}"),
        &json!({ "status": before.offering.status }),
        &json!({ "status": OfferingStatus::Published }),
        now,
    )
    .await?;
    let after = existing(&mut tx, &offering_id).await?;
    tx.commit().await?;
    Ok(ApiJson(after))
}

/// `POST /api/v1/admin/offerings/{offering_id}/cancel`: the offering and every live
/// registration are cancelled with the reason, by the registration core on the sync writer;
/// each registrant's devices get the news by pull.
pub async fn cancel(
    State(state): State<AppState>,
    caller: Caller,
    Path(offering_id): Path<String>,
    ApiJson(body): ApiJson<CancelOffering>,
) -> Result<ApiJson<AdminOffering>, ApiError> {
    let reason = domain::admin::parse_reason(&body.reason, true)
        .map_err(|code| ApiError::field("reason", code))?
        .to_owned();
    let now = OffsetDateTime::now_utc();
    let (id, actor) = (offering_id.clone(), caller.user_id.clone());
    let cancelled = state
        .writer
        .run(move |w| {
            let done = db::registrations::cancel_offering(w, &id, &reason, now.unix_timestamp())?;
            if let OfferingCancelled::Now(n) = done {
                db::audit::record_on(
                    w,
                    &actor,
                    "offering.cancel",
                    &format!("offering:{id}"),
                    &json!({ "status": OfferingStatus::Published }),
                    &json!({ "status": OfferingStatus::Cancelled, "reason": reason,
                             "registrations": n }),
                    now,
                )?;
            }
            Ok(done)
        })
        .await?;
    if cancelled == OfferingCancelled::Unknown {
        return Err(ApiError::not_found("offering"));
    }
    Ok(ApiJson(existing(&state.store, &offering_id).await?))
}

/// `?offering_id=&status=`
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReviewQuery {
    offering_id: Option<String>,
    status: Option<String>,
}

/// `GET /api/v1/admin/reviews`: registrations awaiting review (or in another status), oldest
/// first, with the answers and who the person is.
pub async fn reviews(
    State(state): State<AppState>,
    Query(q): Query<ReviewQuery>,
) -> Result<ApiJson<Vec<ReviewItem>>, ApiError> {
    let status = q.status.unwrap_or_else(|| "pending_review".into());
    if RegistrationStatus::parse(&status).is_none() {
        return Err(ApiError::field("status", "unknown_status"));
    }
    Ok(ApiJson(
        db::offerings::reviews(&state.store, &status, q.offering_id.as_deref()).await?,
    ))
}

/// A CSV field: quoted, quotes doubled, and a leading `= + - @` defused so a spreadsheet does
/// not run it as a formula.
pub(crate) fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    format!("\"{}\"", s.replace('"', "\"\""))
}

pub(crate) fn china(t: i64) -> String {
    let t = db::catalogue::china_time(t);
    format!(
        "{}-{:02}-{:02} {:02}:{:02}",
        t.year(),
        t.month() as u8,
        t.day(),
        t.hour(),
        t.minute()
    )
}

/// An answer to a sign-up question as text (choices joined, yes/no in words).
pub(crate) fn answer_text(answer: Option<&Value>) -> String {
    match answer {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => {
            if *b {
                "是".into()
            } else {
                "否".into()
            }
        }
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join("、"),
        Some(v) if !v.is_null() => v.to_string(),
        _ => String::new(),
    }
}

/// `GET /api/v1/admin/offerings/{offering_id}/registrations.csv`: UTF-8 with a byte-order mark,
/// so Excel opens the Chinese text correctly.
pub async fn csv(
    State(state): State<AppState>,
    Path(offering_id): Path<String>,
) -> Result<Response, ApiError> {
    let offering = existing(&state.store, &offering_id).await?;
    if let Some(course) = offering.offering.plan.programme.course() {
        let lessons = course.lessons.len();
        return super::courses::csv(&state, &offering_id, lessons).await;
    }
    let rows = db::offerings::export_rows(&state.store, &offering_id).await?;
    let questions = &offering.offering.plan.questions;
    let mut out = String::from("\u{FEFF}");
    let mut header: Vec<String> = [
        "姓名",
        "手机号",
        "状态",
        "报名时间",
        "签到时间",
        "志愿时长(小时)",
    ]
    .iter()
    .map(|h| csv_field(h))
    .collect();
    header.extend(questions.iter().map(|q| csv_field(&q.label)));
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for r in rows {
        let answers: serde_json::Map<String, Value> =
            serde_json::from_str(&r.answers).unwrap_or_default();
        let mut fields = vec![
            csv_field(r.display_name.as_deref().unwrap_or("已注销")),
            csv_field(
                &r.phone
                    .or(r.walk_in_last4.map(|l| format!("****{l}")))
                    .unwrap_or_default(),
            ),
            csv_field(&r.status),
            csv_field(&china(r.received_at)),
            csv_field(&r.checked_in_at.map(china).unwrap_or_default()),
            csv_field(&format!("{:.1}", r.credited_minutes as f64 / 60.0)),
        ];
        for q in questions {
            fields.push(csv_field(&answer_text(answers.get(&q.id))));
        }
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    let name = format!("attachment; filename=\"registrations-{offering_id}.csv\"");
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, name),
        ],
        out,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::csv_field;
    use crate::db::offerings::{CSV_ROWS, PENDING};

    #[tokio::test]
    async fn an_offerings_registrations_are_found_by_index() {
        for sql in [PENDING, CSV_ROWS] {
            crate::db::assert_registrations_by_index(&crate::db::query_plan(sql).await);
        }
    }

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("王青青"), "\"王青青\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=1+1"), "\"'=1+1\"");
        assert_eq!(csv_field("a,b\nc"), "\"a,b\nc\"");
    }
}
