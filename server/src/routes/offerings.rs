//! `/api/v1/admin/offerings…`, `/api/v1/admin/venues`, `/api/v1/admin/reviews`: what admins
//! create and decide. Every change is audited; registrants learn of changes through pull.

use crate::{
    AppState,
    auth::Caller,
    db::{self, offerings::UpdateRefused, registrations::OfferingCancelled},
    error::{ApiError, ApiJson},
};
use axum::{
    extract::{Path, Query, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use domain::programme::mixer::{MixerProfile, ReviewProfile};
use domain::{
    OfferingStatus, Plan, Venue,
    admin::{AdminOffering, CancelOffering, ReviewItem},
    registration::RegistrationStatus,
};
use serde::Deserialize;
use serde_json::{Value, json};
use sqlx::SqliteConnection;
use time::OffsetDateTime;

/// How many of an offering's registrations wait for review.
const PENDING: &str =
    "SELECT COUNT(*) FROM registrations WHERE offering_id = ? AND status = 'pending_review'";

/// `GET /api/v1/admin/venues`
pub async fn venues(State(state): State<AppState>) -> Result<ApiJson<Vec<Venue>>, ApiError> {
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT id, name, address FROM venues ORDER BY name")
            .fetch_all(&state.db)
            .await?;
    Ok(ApiJson(
        rows.into_iter()
            .map(|(id, name, address)| Venue { id, name, address })
            .collect(),
    ))
}

/// What only admins see beside an offering: its pending reviews and its organizers.
async fn for_admin(
    conn: &mut SqliteConnection,
    offering: domain::Offering,
) -> Result<AdminOffering, sqlx::Error> {
    let pending: i64 = sqlx::query_scalar(PENDING)
        .bind(&offering.id)
        .fetch_one(&mut *conn)
        .await?;
    let organizer_ids: Vec<String> = sqlx::query_scalar(
        "SELECT user_id FROM organizer_assignments WHERE offering_id = ? ORDER BY user_id",
    )
    .bind(&offering.id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(AdminOffering {
        offering,
        pending_reviews: u32::try_from(pending).unwrap_or(0),
        organizer_ids,
    })
}

/// The offering with `id`, or 404.
async fn existing(conn: &mut SqliteConnection, id: &str) -> Result<AdminOffering, ApiError> {
    let Some(offering) = db::offerings::load(conn, id).await? else {
        return Err(ApiError::not_found("offering"));
    };
    Ok(for_admin(conn, offering).await?)
}

/// `GET /api/v1/admin/offerings`: every offering, drafts and cancelled ones too, soonest first.
pub async fn list(State(state): State<AppState>) -> Result<ApiJson<Vec<AdminOffering>>, ApiError> {
    let mut conn = state.db.acquire().await?;
    let rows: Vec<db::offerings::Common> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {} FROM offerings o ORDER BY o.starts_at, o.id",
        db::offerings::COMMON
    )))
    .fetch_all(&mut *conn)
    .await?;
    let offerings = db::offerings::assemble(&mut conn, rows).await?;
    let mut out = Vec::with_capacity(offerings.len());
    for (o, _) in offerings {
        out.push(for_admin(&mut conn, o).await?);
    }
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
async fn check(conn: &mut SqliteConnection, body: &OfferingBody) -> Result<Plan, ApiError> {
    let plan = body.draft.clone().normalized();
    if let Err(errors) = plan.validate() {
        let e = &errors[0];
        return Err(ApiError::field(e.field, e.code));
    }
    let venue: Option<String> = sqlx::query_scalar("SELECT id FROM venues WHERE id = ?")
        .bind(&plan.venue_id)
        .fetch_optional(&mut *conn)
        .await?;
    if venue.is_none() {
        return Err(ApiError::field("venue_id", "unknown_venue"));
    }
    let organizer_ids = body.organizer_ids.as_deref().unwrap_or_default();
    if organizer_ids.len() > 50 {
        return Err(ApiError::field("organizer_ids", "too_many"));
    }
    for id in organizer_ids {
        let organizer: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM user_roles WHERE user_id = ? AND role = 'organizer')",
        )
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
        if !organizer {
            return Err(ApiError::field("organizer_ids", "not_an_organizer"));
        }
    }
    Ok(plan)
}

/// Writes the offering's organizers; everyone whose rosters change downloads again.
async fn assign(
    conn: &mut SqliteConnection,
    offering_id: &str,
    organizer_ids: &[String],
) -> Result<(), sqlx::Error> {
    let before: Vec<String> =
        sqlx::query_scalar("SELECT user_id FROM organizer_assignments WHERE offering_id = ?")
            .bind(offering_id)
            .fetch_all(&mut *conn)
            .await?;
    sqlx::query("DELETE FROM organizer_assignments WHERE offering_id = ?")
        .bind(offering_id)
        .execute(&mut *conn)
        .await?;
    for id in organizer_ids {
        sqlx::query(
            "INSERT OR IGNORE INTO organizer_assignments (user_id, offering_id) VALUES (?, ?)",
        )
        .bind(id)
        .bind(offering_id)
        .execute(&mut *conn)
        .await?;
    }
    let mut changed: Vec<&String> = before.iter().chain(organizer_ids).collect();
    changed.sort();
    changed.dedup();
    for user in changed {
        let in_before = before.contains(user);
        let in_after = organizer_ids.contains(user);
        if in_before != in_after {
            db::users::see_anew(conn, user).await?;
        }
    }
    Ok(())
}

/// `POST /api/v1/admin/offerings`: a draft, or published at once.
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<OfferingBody>,
) -> Result<Response, ApiError> {
    let now = OffsetDateTime::now_utc();
    let mut tx = db::begin_write(&state.db).await?;
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
    assign(
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
    let mut tx = db::begin_write(&state.db).await?;
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
        assign(&mut tx, &offering_id, organizer_ids).await?;
    }
    if before.plan.venue_id != plan.venue_id {
        // Organizers who run a venue gain or lose this offering's roster with the move: their
        // devices download again, as after any change of what they may see.
        let moved: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT user_id FROM organizer_assignments WHERE venue_id IN (?, ?)",
        )
        .bind(&before.plan.venue_id)
        .bind(&plan.venue_id)
        .fetch_all(&mut *tx)
        .await?;
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
    let mut tx = db::begin_write(&state.db).await?;
    let before = existing(&mut tx, &offering_id).await?;
    if before.offering.status == OfferingStatus::Cancelled {
        return Err(ApiError::field("status", "cancelled"));
    }
    let version = db::next_version(&mut tx).await?;
    sqlx::query("UPDATE offerings SET status = 'published', version = ? WHERE id = ?")
        .bind(version)
        .bind(&offering_id)
        .execute(&mut *tx)
        .await?;
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
    let mut conn = state.db.acquire().await?;
    Ok(ApiJson(existing(&mut conn, &offering_id).await?))
}

/// `?offering_id=&status=`
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReviewQuery {
    offering_id: Option<String>,
    status: Option<String>,
}

#[derive(sqlx::FromRow)]
struct ReviewRow {
    id: String,
    offering_id: String,
    title: String,
    display_name: Option<String>,
    phone: Option<String>,
    birth_year: Option<i64>,
    answers: String,
    status: String,
    received_at: i64,
    profile: Option<String>,
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
    let rows: Vec<ReviewRow> = sqlx::query_as(
        "SELECT r.id, r.offering_id, o.title, COALESCE(u.display_name, r.walk_in_name) AS display_name,
                u.phone, u.birth_year, r.answers, r.status, r.received_at,
                CASE WHEN o.kind = 'mixer' THEN mp.profile END AS profile
           FROM registrations r JOIN offerings o ON o.id = r.offering_id
           LEFT JOIN users u ON u.id = r.user_id
           LEFT JOIN mixer_profiles mp ON mp.user_id = r.user_id
          WHERE r.status = ?1 AND (?2 IS NULL OR r.offering_id = ?2)
          ORDER BY r.received_at, r.id LIMIT 1000",
    )
    .bind(&status)
    .bind(&q.offering_id)
    .fetch_all(&state.db)
    .await?;
    Ok(ApiJson(
        rows.into_iter()
            .filter_map(|r| {
                Some(ReviewItem {
                    registration_id: r.id,
                    offering_id: r.offering_id,
                    offering_title: r.title,
                    display_name: r.display_name.unwrap_or_else(|| "已注销".into()),
                    phone: r.phone.unwrap_or_default(),
                    birth_year: r
                        .birth_year
                        .and_then(|y| i32::try_from(y).ok())
                        .unwrap_or(0),
                    answers: serde_json::from_str(&r.answers).unwrap_or_default(),
                    status: RegistrationStatus::parse(&r.status)?,
                    received_at: r.received_at,
                    // A mixer's reviewer reads the profile; never its contact.
                    profile: r
                        .profile
                        .and_then(|p| serde_json::from_str::<MixerProfile>(&p).ok())
                        .map(|p| ReviewProfile::from(&p)),
                })
            })
            .collect(),
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

/// One registration in the exports (CSV and .xlsx).
#[derive(sqlx::FromRow)]
pub(crate) struct CsvRow {
    pub(crate) display_name: Option<String>,
    pub(crate) phone: Option<String>,
    pub(crate) walk_in_last4: Option<String>,
    pub(crate) status: String,
    pub(crate) received_at: i64,
    pub(crate) checked_in_at: Option<i64>,
    pub(crate) credited_minutes: i64,
    pub(crate) answers: String,
}

/// `GET /api/v1/admin/offerings/{offering_id}/registrations.csv`: UTF-8 with a byte-order mark,
/// so Excel opens the Chinese text correctly.
pub async fn csv(
    State(state): State<AppState>,
    Path(offering_id): Path<String>,
) -> Result<Response, ApiError> {
    let mut conn = state.db.acquire().await?;
    let offering = existing(&mut conn, &offering_id).await?;
    if let Some(course) = offering.offering.plan.programme.course() {
        let lessons = course.lessons.len();
        drop(conn);
        return super::courses::csv(&state, &offering_id, lessons).await;
    }
    let rows: Vec<CsvRow> = sqlx::query_as(CSV_ROWS)
        .bind(&offering_id)
        .fetch_all(&mut *conn)
        .await?;
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

/// Every registration of an offering, for the CSV and .xlsx exports.
pub(crate) const CSV_ROWS: &str =
    "SELECT COALESCE(u.display_name, r.walk_in_name) AS display_name, u.phone, r.walk_in_last4,
            r.status, r.received_at, r.checked_in_at, r.credited_minutes, r.answers
       FROM registrations r LEFT JOIN users u ON u.id = r.user_id
      WHERE r.offering_id = ? ORDER BY r.received_at, r.id";

#[cfg(test)]
mod tests {
    use super::{CSV_ROWS, PENDING, csv_field};

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
