//! Night school's public and admin routes: the draw (admins, once, after the close), its
//! results page (公示, no sign-in), and the check of a completion certificate (no sign-in).

use crate::{
    AppState,
    auth::Caller,
    db::{
        self,
        pool::{Pool, args},
        sql,
    },
    error::{ApiError, ApiJson},
};
use axum::{
    extract::{Path, Query, State},
    http::header,
    response::{IntoResponse, Response},
};
use domain::{
    ErrorCode, draw,
    programme::course::{CourseSummary, DrawAnswer, DrawRequest, Ratings},
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

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
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
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

/// What an application drawn at `position` got, with `capacity` places and its `status` now:
/// `won` (a place), `not_drawn`, or `waitlist`.
pub(crate) fn outcome(position: u32, capacity: u32, status: &str) -> &'static str {
    if position <= capacity {
        "won"
    } else if status == "not_drawn" {
        "not_drawn"
    } else {
        "waitlist"
    }
}

/// `GET /api/v1/courses/{offering_id}/results`: everything anyone needs to redo the draw.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
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
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
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
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Drawn {
    /// When (Unix seconds).
    pub drawn_at: i64,
    /// The whole published draw.
    pub draw: draw::PublishedDraw,
    /// Every application in draw order.
    pub results: Vec<ResultRow>,
}

type DrawRow = (i64, Vec<u8>, String, String, Option<String>, Option<i64>);

/// An application's place in the draw: number, name, phone, position, status.
type Placed = (String, Option<String>, Option<String>, Option<i64>, String);

/// The public results of a course's draw (before the close: what is known so far).
pub async fn results(
    State(state): State<AppState>,
    Path(offering_id): Path<String>,
) -> Result<ApiJson<Results>, ApiError> {
    results_of(&state.store, &offering_id)
        .await?
        .map(ApiJson)
        .ok_or_else(|| ApiError::not_found("course"))
}

/// [`results`] from the database: `None` for no such lottery course (or a draft).
pub async fn results_of(db: &Pool, offering_id: &str) -> Result<Option<Results>, ApiError> {
    let course: Option<(String, i64, i64)> = db
        .fetch_optional(
            "SELECT o.title, o.signup_closes_at, p.capacity
               FROM offerings o JOIN offering_pools p ON p.offering_id = o.id AND p.pool = 'all'
              WHERE o.id = ?1 AND o.kind = 'course' AND o.allocation = 'lottery'
                AND o.status <> 'draft'",
            args![offering_id],
            |r| r.tuple(),
        )
        .await?;
    let Some((title, closes_at, capacity)) = course else {
        return Ok(None);
    };
    let applications: i64 = db
        .fetch_one(
            "SELECT COUNT(*) FROM registrations WHERE offering_id = ?1
                AND application_no IS NOT NULL AND status <> 'cancelled'",
            args![offering_id],
            |r| r.get(0),
        )
        .await?;
    let capacity = u32::try_from(capacity).unwrap_or(0);
    let row: Option<DrawRow> = db
        .fetch_optional(
            "SELECT frozen_at, seed, list_hash, seed_commitment, public_value, drawn_at
               FROM course_draws WHERE offering_id = ?1",
            args![offering_id],
            |r| r.tuple(),
        )
        .await?;
    let mut answer = Results {
        offering_id: offering_id.to_owned(),
        title,
        closes_at,
        applications: u64::try_from(applications).unwrap_or(0),
        capacity,
        frozen: None,
        drawn: None,
    };
    let Some((frozen_at, seed, list_hash, commitment, public_value, drawn_at)) = row else {
        return Ok(Some(answer));
    };
    // Who was drawn where (after the draw).
    let people: Vec<Placed> = db
        .fetch_all(
            "SELECT r.application_no, u.display_name, u.phone, r.draw_position, r.status
               FROM registrations r LEFT JOIN users u ON u.id = r.user_id
              WHERE r.offering_id = ?1 AND r.draw_position IS NOT NULL",
            args![offering_id],
            |r| r.tuple(),
        )
        .await?;
    let tiers: Vec<(String, u8)> = db
        .fetch_all(db::course::FROZEN_ENTRIES, args![offering_id], |r| {
            r.tuple()
        })
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
                let outcome = outcome(position, capacity, &status);
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
    Ok(Some(answer))
}

/// `?code=`
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CertificateQuery {
    code: String,
}

/// `GET /api/v1/certificates/verify?code=`: what a completion certificate says, if the server
/// signed it unaltered.
pub async fn verify_certificate(
    State(state): State<AppState>,
    Query(q): Query<CertificateQuery>,
) -> Result<ApiJson<domain::certificate::CertificateClaims>, ApiError> {
    let keys = signing_keys(&state.store).await?;
    domain::certificate::verify(&q.code, &keys)
        .map(ApiJson)
        .map_err(|e| ApiError::field("code", &e.to_string()))
}

/// The server's public signing keys, by id (a key whose id does not fit is left out).
pub async fn signing_keys(db: &Pool) -> sql::Result<Vec<domain::ticket::TicketKey>> {
    let keys: Vec<(i64, String)> = db
        .fetch_all("SELECT id, public_key FROM signing_keys", args![], |r| {
            r.tuple()
        })
        .await?;
    Ok(keys
        .into_iter()
        .filter_map(|(id, public_key)| {
            Some(domain::ticket::TicketKey {
                id: u32::try_from(id).ok()?,
                public_key,
            })
        })
        .collect())
}

/// `registrations.csv` for a course (Excel-friendly, like the activities' export): one line per
/// application, a column per lesson.
pub(crate) async fn csv(
    state: &AppState,
    offering_id: &str,
    lessons: usize,
) -> Result<Response, ApiError> {
    let out = csv_text(&state.store, offering_id, lessons).await?;
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

/// [`csv`]'s text: a header line, then one line per application (in draw order, then as
/// received), a column per lesson.
pub async fn csv_text(db: &Pool, offering_id: &str, lessons: usize) -> sql::Result<String> {
    use super::offerings::{china, csv_field};
    let threshold: i64 = db
        .fetch_optional(
            "SELECT completion_percent FROM course_settings WHERE offering_id = ?1",
            args![offering_id],
            |r| r.get(0),
        )
        .await?
        .unwrap_or(75);
    let rows = crate::db::exports::course_csv_rows(db, offering_id).await?;
    let mut out = String::from("\u{FEFF}");
    let mut header: Vec<String> = ["姓名", "手机号", "申请编号", "状态", "抽签顺位", "确认期限"]
        .iter()
        .map(|h| csv_field(h))
        .collect();
    header.extend((1..=lessons).map(|n| csv_field(&format!("第{n}课"))));
    header.push(csv_field("出勤"));
    header.push(csv_field("结业"));
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for (name, phone, number, status, position, confirm_by, attended) in rows {
        let attended: Vec<usize> = attended
            .unwrap_or_default()
            .split(',')
            .filter_map(|n| n.parse().ok())
            .collect();
        let done = u8::try_from(threshold).is_ok_and(|p| {
            status == "confirmed"
                && domain::programme::course::completed(attended.len(), lessons, p)
        });
        let mut fields = vec![
            csv_field(name.as_deref().unwrap_or("已注销")),
            csv_field(&phone.unwrap_or_default()),
            csv_field(&number.unwrap_or_default()),
            csv_field(&status),
            csv_field(&position.map(|p| p.to_string()).unwrap_or_default()),
            csv_field(&confirm_by.map(china).unwrap_or_default()),
        ];
        fields
            .extend((1..=lessons).map(|n| csv_field(if attended.contains(&n) { "✓" } else { "" })));
        fields.push(csv_field(&format!("{}/{lessons}", attended.len())));
        fields.push(csv_field(if done { "是" } else { "否" }));
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    Ok(out)
}

/// How a course stands.
pub async fn summary(
    State(state): State<AppState>,
    Path(offering_id): Path<String>,
) -> Result<ApiJson<CourseSummary>, ApiError> {
    summary_of(&state.store, &offering_id)
        .await?
        .map(ApiJson)
        .ok_or_else(|| ApiError::not_found("course"))
}

/// [`summary`] from the database: `None` for no such course.
pub async fn summary_of(db: &Pool, offering_id: &str) -> sql::Result<Option<CourseSummary>> {
    let settings: Option<(i64, i64)> = db
        .fetch_optional(
            "SELECT s.completion_percent,
                    (SELECT COUNT(*) FROM course_lessons l WHERE l.offering_id = s.offering_id)
               FROM course_settings s JOIN offerings o ON o.id = s.offering_id
              WHERE s.offering_id = ?1 AND o.kind = 'course'",
            args![offering_id],
            |r| r.tuple(),
        )
        .await?;
    let Some((threshold, lessons)) = settings else {
        return Ok(None);
    };
    let statuses: Vec<(String, i64)> = db
        .fetch_all(
            "SELECT status, COUNT(*) FROM registrations WHERE offering_id = ?1 GROUP BY status",
            args![offering_id],
            |r| r.tuple(),
        )
        .await?;
    let draw: Option<(Option<i64>,)> = db
        .fetch_optional(
            "SELECT drawn_at FROM course_draws WHERE offering_id = ?1",
            args![offering_id],
            |r| Ok((r.get(0)?,)),
        )
        .await?;
    let per_lesson: Vec<(i64, i64)> = db
        .fetch_all(
            "SELECT c.lesson, COUNT(DISTINCT c.registration_id) FROM checkins c
              WHERE c.offering_id = ?1 AND c.lesson IS NOT NULL AND c.kind = 'in'
              GROUP BY c.lesson",
            args![offering_id],
            |r| r.tuple(),
        )
        .await?;
    let per_learner: Vec<(i64,)> = db
        .fetch_all(
            "SELECT (SELECT COUNT(DISTINCT c.lesson) FROM checkins c
                      WHERE c.registration_id = r.id AND c.lesson IS NOT NULL AND c.kind = 'in')
               FROM registrations r WHERE r.offering_id = ?1 AND r.status = 'confirmed'",
            args![offering_id],
            |r| Ok((r.get(0)?,)),
        )
        .await?;
    let ratings: Vec<(i64, String)> = db
        .fetch_all(
            "SELECT stars, comment FROM course_ratings WHERE offering_id = ?1
              ORDER BY updated_at DESC",
            args![offering_id],
            |r| r.tuple(),
        )
        .await?;
    let lessons = usize::try_from(lessons).unwrap_or(0);
    let mut attendance = vec![0u64; lessons];
    for (lesson, n) in per_lesson {
        if let Some(slot) = usize::try_from(lesson - 1)
            .ok()
            .and_then(|i| attendance.get_mut(i))
        {
            *slot = u64::try_from(n).unwrap_or(0);
        }
    }
    let threshold = u8::try_from(threshold).unwrap_or(100);
    let completed = per_learner
        .iter()
        .filter(|(n,)| {
            domain::programme::course::completed(
                usize::try_from(*n).unwrap_or(0),
                lessons,
                threshold,
            )
        })
        .count() as u64;
    let count = ratings.len() as u64;
    let total: i64 = ratings.iter().map(|(s, _)| s).sum();
    Ok(Some(CourseSummary {
        statuses: statuses
            .into_iter()
            .map(|(s, n)| (s, u64::try_from(n).unwrap_or(0)))
            .collect(),
        frozen: draw.is_some(),
        drawn: draw.is_some_and(|(at,)| at.is_some()),
        attendance,
        completed,
        ratings: Ratings {
            count,
            average: if count == 0 {
                0.0
            } else {
                total as f64 / count as f64
            },
            comments: ratings
                .into_iter()
                .map(|(_, c)| c)
                .filter(|c| !c.is_empty())
                .collect(),
        },
    }))
}
