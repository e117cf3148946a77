//! Night school's public and admin routes: the draw (admins, once, after the close), its
//! results page (公示, no sign-in), and the check of a completion certificate (no sign-in).

use crate::{
    AppState,
    auth::Caller,
    db,
    error::{ApiError, ApiJson},
};
use axum::extract::{Path, Query, State};
use domain::{ErrorCode, draw};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// `POST /api/v1/admin/offerings/{offering_id}/draw`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrawRequest {
    /// A value nobody knew at the close (numbers drawn in front of the audience, an index's
    /// close on the draw day); may be empty.
    #[serde(default)]
    pub public_value: String,
}

/// What a draw did.
#[derive(Debug, Serialize, Deserialize)]
pub struct DrawAnswer {
    /// Applications in the frozen list.
    pub entries: usize,
    /// Places won (each to be confirmed by its deadline).
    pub winners: usize,
    /// On the waitlist, in draw order.
    pub waitlisted: usize,
}

/// Runs a course's draw, once, after its list was frozen at the close.
pub async fn run_draw(
    State(state): State<AppState>,
    caller: Caller,
    Path(offering_id): Path<String>,
    ApiJson(body): ApiJson<DrawRequest>,
) -> Result<ApiJson<DrawAnswer>, ApiError> {
    let public_value = draw::PublicValue::parse(&body.public_value)
        .map_err(|_| ApiError::field("public_value", "invalid"))?;
    let now = OffsetDateTime::now_utc();
    let (id, actor) = (offering_id.clone(), caller.user_id.clone());
    let done = state
        .writer
        .run(move |w| {
            let done = db::course::run_draw(w, &id, &actor, &public_value, now.unix_timestamp())?;
            if let Ok(d) = &done {
                db::audit::record_on(
                    w,
                    &actor,
                    "course.draw",
                    &format!("offering:{id}"),
                    &serde_json::json!({}),
                    &serde_json::json!({ "public_value": public_value.as_str(),
                                         "entries": d.entries, "winners": d.winners }),
                    now,
                )?;
            }
            Ok(done)
        })
        .await?;
    match done {
        Ok(d) => Ok(ApiJson(DrawAnswer {
            entries: d.entries,
            winners: d.winners,
            waitlisted: d.waitlisted,
        })),
        Err(db::course::DrawRefused::Unknown) => Err(ApiError::not_found("course")),
        Err(db::course::DrawRefused::NotClosed) => Err(ApiError::new(
            ErrorCode::Conflict,
            "the application window has not closed, or its list is not frozen yet",
        )),
        Err(db::course::DrawRefused::AlreadyDrawn) => Err(ApiError::new(
            ErrorCode::Conflict,
            "this course has been drawn already",
        )),
    }
}

/// One application in the published results.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ResultRow {
    /// Its place in the draw order (1 = drawn first).
    pub position: u32,
    /// The application number.
    pub number: String,
    /// 王*青.
    pub name: String,
    /// The phone's last four digits.
    pub phone_last4: String,
    /// `won` (a place), `waitlist` or `not_drawn`.
    pub outcome: String,
}

/// `GET /api/v1/courses/{offering_id}/results`: everything anyone needs to redo the draw.
#[derive(Debug, Serialize, Deserialize)]
pub struct Results {
    /// The course.
    pub offering_id: String,
    /// Its title.
    pub title: String,
    /// When its application window closes (Unix seconds).
    pub closes_at: i64,
    /// Applications so far (before the close) or in the frozen list.
    pub applications: u64,
    /// Places.
    pub capacity: u32,
    /// Published at the close: the frozen list, its hash and the seed's commitment.
    pub frozen: Option<Frozen>,
    /// Published at the draw: the draw (domain's [`draw::PublishedDraw`]: what the page's
    /// recompute checks) and who got what.
    pub drawn: Option<Drawn>,
}

/// The list frozen at the close.
#[derive(Debug, Serialize, Deserialize)]
pub struct Frozen {
    /// When (Unix seconds).
    pub frozen_at: i64,
    /// The entries in canonical order.
    pub entries: Vec<draw::PublishedEntry>,
    /// SHA-256 of the canonical list (hex).
    pub list_hash: String,
    /// SHA-256 of the secret seed (hex).
    pub commitment: String,
}

/// The draw, once run.
#[derive(Debug, Serialize, Deserialize)]
pub struct Drawn {
    /// When (Unix seconds).
    pub drawn_at: i64,
    /// The whole published draw.
    pub draw: draw::PublishedDraw,
    /// Every application in draw order.
    pub results: Vec<ResultRow>,
}

type DrawRow = (i64, Vec<u8>, String, String, Option<String>, Option<i64>);

/// A placed application: number, name, phone, draw position, status.
type PlacedRow = (String, Option<String>, Option<String>, Option<i64>, String);

/// The public results of a course's draw (before the close: what is known so far).
pub async fn results(
    State(state): State<AppState>,
    Path(offering_id): Path<String>,
) -> Result<ApiJson<Results>, ApiError> {
    let course: Option<(String, i64, i64)> = sqlx::query_as(
        "SELECT o.title, o.signup_closes_at, p.capacity
           FROM offerings o JOIN offering_pools p ON p.offering_id = o.id AND p.pool = 'all'
          WHERE o.id = ? AND o.kind = 'course' AND o.allocation = 'lottery'
            AND o.status <> 'draft'",
    )
    .bind(&offering_id)
    .fetch_optional(&state.db)
    .await?;
    let Some((title, closes_at, capacity)) = course else {
        return Err(ApiError::not_found("course"));
    };
    let applications: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM registrations WHERE offering_id = ? AND application_no IS NOT NULL
            AND status <> 'cancelled'",
    )
    .bind(&offering_id)
    .fetch_one(&state.db)
    .await?;
    let capacity = u32::try_from(capacity).unwrap_or(0);
    let row: Option<DrawRow> = sqlx::query_as(
        "SELECT frozen_at, seed, list_hash, seed_commitment, public_value, drawn_at
           FROM course_draws WHERE offering_id = ?",
    )
    .bind(&offering_id)
    .fetch_optional(&state.db)
    .await?;
    let mut answer = Results {
        offering_id: offering_id.clone(),
        title,
        closes_at,
        applications: u64::try_from(applications).unwrap_or(0),
        capacity,
        frozen: None,
        drawn: None,
    };
    let Some((frozen_at, seed, list_hash, commitment, public_value, drawn_at)) = row else {
        return Ok(ApiJson(answer));
    };
    // Who was drawn where (after the draw).
    let people: Vec<PlacedRow> = sqlx::query_as(
        "SELECT r.application_no, u.display_name, u.phone, r.draw_position, r.status
               FROM registrations r LEFT JOIN users u ON u.id = r.user_id
              WHERE r.offering_id = ? AND r.draw_position IS NOT NULL",
    )
    .bind(&offering_id)
    .fetch_all(&state.db)
    .await?;
    let tiers: Vec<(String, u8)> = sqlx::query_as(db::course::FROZEN_ENTRIES)
        .bind(&offering_id)
        .fetch_all(&state.db)
        .await?;
    let list =
        draw::FrozenList::from_pairs(tiers.iter().map(|(n, t)| (n.as_str(), *t))).map_err(|e| {
            ApiError::Internal(anyhow::anyhow!("a frozen list that does not read: {e}"))
        })?;
    let entries: Vec<draw::PublishedEntry> = list
        .entries()
        .iter()
        .map(|e| draw::PublishedEntry {
            number: e.number.as_str().to_owned(),
            tier: e.tier,
        })
        .collect();
    answer.frozen = Some(Frozen {
        frozen_at,
        entries,
        list_hash,
        commitment,
    });
    if let (Some(drawn_at), Some(public_value)) = (drawn_at, public_value) {
        let seed: [u8; 32] = seed
            .try_into()
            .map_err(|_| ApiError::Internal(anyhow::anyhow!("a seed of the wrong size")))?;
        let public_value = draw::PublicValue::parse(&public_value)
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("a stored public value: {e}")))?;
        let published = draw::PublishedDraw::new(
            &list,
            &draw::Seed::from_bytes(seed),
            &public_value,
            capacity,
        );
        let mut results: Vec<ResultRow> = people
            .into_iter()
            .filter_map(|(number, name, phone, position, status)| {
                let position = u32::try_from(position?).ok()?;
                let outcome = if position <= capacity {
                    "won"
                } else if status == "not_drawn" {
                    "not_drawn"
                } else {
                    "waitlist"
                };
                Some(ResultRow {
                    position,
                    number,
                    name: domain::account::masked_name(name.as_deref().unwrap_or("")),
                    phone_last4: phone
                        .and_then(|p| domain::PhoneNumber::parse(&p).ok())
                        .map(|p| p.last4().to_owned())
                        .unwrap_or_default(),
                    outcome: outcome.into(),
                })
            })
            .collect();
        results.sort_by_key(|r| r.position);
        answer.drawn = Some(Drawn {
            drawn_at,
            draw: published,
            results,
        });
    }
    Ok(ApiJson(answer))
}

/// `?code=`
#[derive(Debug, Deserialize)]
pub struct CertificateQuery {
    code: String,
}

/// `GET /api/v1/certificates/verify?code=`: what a completion certificate says, if the server
/// signed it unaltered.
pub async fn verify_certificate(
    State(state): State<AppState>,
    Query(q): Query<CertificateQuery>,
) -> Result<ApiJson<domain::certificate::CertificateClaims>, ApiError> {
    let keys: Vec<(i64, String)> = sqlx::query_as("SELECT id, public_key FROM signing_keys")
        .fetch_all(&state.db)
        .await?;
    let keys: Vec<domain::ticket::TicketKey> = keys
        .into_iter()
        .filter_map(|(id, public_key)| {
            Some(domain::ticket::TicketKey {
                id: u32::try_from(id).ok()?,
                public_key,
            })
        })
        .collect();
    domain::certificate::verify(&q.code, &keys)
        .map(ApiJson)
        .map_err(|e| ApiError::field("code", &e.to_string()))
}
