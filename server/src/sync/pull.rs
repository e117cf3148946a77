//! `GET /api/v1/sync/pull`: what changed, since the caller's cursor, among the rows they may see.
//!
//! Visible rows: venues and non-draft offerings (everyone), the caller's own registrations (an
//! activity's with when its hours take effect after the public notice), correction requests
//! (the caller's own; for organizers those of the offerings they run; for admins all), and
//! for organizers the roster entries of the offerings they run (masked phones). Every row
//! carries the global version it was last written at; versions are unique per row and commit
//! in version order (one writer at a time), so "version > cursor" never misses a row.

use crate::db::{
    pool::{Pool, args},
    sql::{self, Row},
};
use crate::{db::keys::TicketSigner, error::ApiError};
use domain::{
    ErrorCode, PhoneNumber,
    hours::ScanKind,
    sync::{
        AssignmentRow, Change, CheckinRow, MAX_PULL, PullResponse, RegistrationRow, SCHEMA_VERSION,
    },
    ticket::TicketKey,
};
use serde_json::{Value, json};

/// What the client asks.
#[derive(Debug, Clone, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PullQuery {
    /// Must equal [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The device's id.
    pub client_id: String,
    /// The cursor from the last pull (0: everything).
    #[serde(default)]
    pub cursor: u64,
    /// At most this many changes (capped at [`MAX_PULL`]).
    pub limit: Option<u32>,
}

fn reset(last_mutation_id: u64) -> PullResponse {
    PullResponse {
        reset: true,
        changes: Vec::new(),
        cursor: 0,
        has_more: true,
        last_mutation_id,
    }
}

/// Answers a pull for `user_id`; `signer` signs the tickets of confirmed registrations;
/// `notice_days` is the hours' public notice period (working days).
pub async fn pull(
    db: &Pool,
    signer: &TicketSigner,
    user_id: &str,
    q: &PullQuery,
    now: i64,
    notice_days: u32,
) -> Result<PullResponse, ApiError> {
    if q.schema_version != SCHEMA_VERSION {
        return Err(ApiError::new(
            ErrorCode::VersionNotSupported,
            format!("this server speaks sync schema {SCHEMA_VERSION}: reload the app"),
        ));
    }
    if !domain::sync::is_uuid(&q.client_id) {
        return Err(ApiError::field("client_id", "not_a_uuid"));
    }
    let limit = q.limit.unwrap_or(MAX_PULL).clamp(1, MAX_PULL);
    let cursor = i64::try_from(q.cursor).map_err(|_| ApiError::field("cursor", "out_of_range"))?;

    let head: i64 = db
        .fetch_one(
            "SELECT value FROM version_counter WHERE id = 1",
            args![],
            |r| r.get(0),
        )
        .await?;
    let user_epoch: Option<i64> = db
        .fetch_optional(
            "SELECT visibility_epoch FROM users WHERE id = ?1",
            args![user_id],
            |r| r.get(0),
        )
        .await?;
    let Some(user_epoch) = user_epoch else {
        return Err(ApiError::unauthenticated());
    };
    let client: Option<(String, i64, i64, i64)> = db
        .fetch_optional(
            "SELECT user_id, last_mutation_id, visibility_epoch, last_cursor FROM clients
              WHERE id = ?1",
            args![q.client_id],
            |r| r.tuple(),
        )
        .await?;
    let last_mutation_id = match &client {
        Some((owner, _, _, _)) if owner != user_id => {
            return Err(ApiError::new(
                ErrorCode::Forbidden,
                "this device id belongs to another account",
            ));
        }
        Some((_, last, _, _)) => u64::try_from(*last).unwrap_or(0),
        None => 0,
    };
    // The server cannot serve this cursor: this database never handed it out (it was
    // restored from an older backup), or the device is unknown here, or what the user may
    // see has changed since the device downloaded.
    let epoch_changed = client.as_ref().is_some_and(|(_, _, e, _)| *e != user_epoch);
    let never_served = client
        .as_ref()
        .is_none_or(|(_, _, _, served)| cursor > *served);
    if cursor > 0 && (cursor > head || never_served || epoch_changed) {
        // Operators look for these after a restore (docs/operations.md).
        let why = if cursor > head {
            "cursor ahead of the database"
        } else if never_served {
            "cursor this database never gave the device"
        } else {
            "what the user may see changed"
        };
        tracing::info!(client = %q.client_id, cursor, head, why, "reset");
        return Ok(reset(last_mutation_id));
    }
    if cursor == 0 {
        // A full download: from now on the device sees what the user may see now.
        db.execute(
            "INSERT INTO clients (id, user_id, visibility_epoch, created_at, last_seen_at)
             VALUES (?1, ?2, ?3, ?4, ?4)
             ON CONFLICT (id) DO UPDATE SET visibility_epoch = ?3, last_seen_at = ?4
             WHERE clients.user_id = ?2",
            args![q.client_id, user_id, user_epoch, now],
        )
        .await?;
    }

    let take = i64::from(limit) + 1;
    let mut changes = Vec::new();
    changes.extend(venues(db, cursor, take).await?);
    changes.extend(offerings(db, cursor, take).await?);
    changes.extend(own_registrations(db, signer, user_id, cursor, take, notice_days).await?);
    changes.extend(hours_requests(db, user_id, cursor, take).await?);
    changes.extend(roster_entries(db, user_id, cursor, take).await?);
    changes.extend(checkins(db, user_id, cursor, take).await?);
    changes.extend(ticket_keys(db, cursor, take).await?);
    changes.extend(own_mixer_profile(db, user_id, cursor).await?);
    changes.extend(pick_windows(db, cursor, take).await?);
    changes.extend(tombstones(db, cursor, take).await?);
    changes.sort_by_key(|c| c.version);
    let has_more = changes.len() > limit as usize;
    changes.truncate(limit as usize);
    // The page ends at its last change, read before the assignments join it: they go at
    // version 1, and a cursor taken from them would send the page again.
    let page_end = changes.last().map(|c| c.version);
    if cursor == 0 {
        // What an organizer runs changes only with a visibility reset, which starts at 0.
        changes.extend(assignments(db, user_id).await?);
    }
    let new_cursor = match page_end {
        Some(v) if has_more => v,
        // Nothing more below the head: the device is up to date with everything committed.
        _ => u64::try_from(head).unwrap_or(0).max(q.cursor),
    };
    if new_cursor != q.cursor {
        // The cursor served only grows (`MAX(last_cursor, ?1)`, written so both databases read
        // it: PostgreSQL's MAX takes no two arguments).
        db.execute(
            "UPDATE clients SET last_cursor = ?1 WHERE id = ?2 AND last_cursor < ?1",
            args![i64::try_from(new_cursor).unwrap_or(i64::MAX), q.client_id],
        )
        .await?;
    }
    Ok(PullResponse {
        reset: false,
        changes,
        cursor: new_cursor,
        has_more,
        last_mutation_id,
    })
}

fn version(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

async fn venues(db: &Pool, cursor: i64, take: i64) -> sql::Result<Vec<Change>> {
    let rows: Vec<(String, String, String, i64)> = db
        .fetch_all(
            "SELECT id, name, address, version FROM venues WHERE version > ?1
              ORDER BY version LIMIT ?2",
            args![cursor, take],
            |r| r.tuple(),
        )
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, address, v)| Change {
            kind: "venue".into(),
            data: Some(json!({ "id": id, "name": name, "address": address })),
            id,
            version: version(v),
        })
        .collect())
}

/// Offerings (not drafts) whose row or one of whose pools changed after the cursor, each at
/// the later of the two versions.
async fn offerings(db: &Pool, cursor: i64, take: i64) -> sql::Result<Vec<Change>> {
    use crate::db::offerings::{Common, assemble};
    let rows: Vec<Common> = db
        .fetch_all(
            concat!(
                "SELECT ",
                offering_columns!(),
                " FROM offerings o
                  WHERE o.status <> 'draft'
                    AND o.id IN (SELECT id FROM offerings WHERE version > ?1
                                 UNION SELECT offering_id FROM offering_pools WHERE version > ?1)"
            ),
            args![cursor],
            Common::read,
        )
        .await?;
    let mut found = assemble(db, rows).await?;
    found.sort_by_key(|(_, v)| *v);
    found.truncate(usize::try_from(take).unwrap_or(usize::MAX));
    Ok(found
        .into_iter()
        .map(|(o, v)| Change {
            kind: "offering".into(),
            id: o.id.clone(),
            version: version(v),
            data: serde_json::to_value(o).ok(),
        })
        .collect())
}

struct RegistrationDbRow {
    id: String,
    offering_id: String,
    status: String,
    waitlist_position: Option<i64>,
    reject_reason: Option<String>,
    created_at: i64,
    received_at: i64,
    note: Option<String>,
    checked_in_at: Option<i64>,
    present_minutes: i64,
    credited_minutes: i64,
    hours_flags: String,
    display_name: String,
    version: i64,
    application_no: Option<String>,
    confirm_by: Option<i64>,
    lessons_attended: Option<String>,
    lesson_count: i64,
    completion_percent: Option<i64>,
    term: Option<String>,
    title: String,
    stars: Option<i64>,
    comment: Option<String>,
    pool: String,
    kind: String,
    ends_at: i64,
}

impl RegistrationDbRow {
    /// The columns of `OWN_REGISTRATIONS`, in order.
    fn read(r: &Row<'_>) -> sql::Result<Self> {
        Ok(Self {
            id: r.get(0)?,
            offering_id: r.get(1)?,
            status: r.get(2)?,
            waitlist_position: r.get(3)?,
            reject_reason: r.get(4)?,
            created_at: r.get(5)?,
            received_at: r.get(6)?,
            note: r.get(7)?,
            checked_in_at: r.get(8)?,
            present_minutes: r.get(9)?,
            credited_minutes: r.get(10)?,
            hours_flags: r.get(11)?,
            display_name: r.get(12)?,
            version: r.get(13)?,
            application_no: r.get(14)?,
            confirm_by: r.get(15)?,
            lessons_attended: r.get(16)?,
            lesson_count: r.get(17)?,
            completion_percent: r.get(18)?,
            term: r.get(19)?,
            title: r.get(20)?,
            stars: r.get(21)?,
            comment: r.get(22)?,
            pool: r.get(23)?,
            kind: r.get(24)?,
            ends_at: r.get(25)?,
        })
    }
}

async fn own_registrations(
    db: &Pool,
    signer: &TicketSigner,
    user_id: &str,
    cursor: i64,
    take: i64,
    notice_days: u32,
) -> sql::Result<Vec<Change>> {
    use crate::db::registrations::{OWN_REGISTRATIONS, OWN_REGISTRATIONS_PG};
    let rows: Vec<RegistrationDbRow> = db
        .fetch_all(
            db.backend().pick(OWN_REGISTRATIONS, OWN_REGISTRATIONS_PG),
            args![user_id, cursor, take],
            RegistrationDbRow::read,
        )
        .await?;
    let mut mixers = std::collections::HashMap::new();
    for r in rows.iter().filter(|r| r.pool != "all") {
        let view = crate::db::mixer::participant_view(db, &r.id).await?;
        mixers.insert(r.id.clone(), view);
    }
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let status = domain::registration::RegistrationStatus::parse(&r.status)?;
            let mixer = mixers.remove(&r.id).unwrap_or_default();
            let confirmed = status == domain::registration::RegistrationStatus::Confirmed;
            let ticket = confirmed.then(|| signer.sign(&r.id, &r.offering_id, &r.display_name));
            let lessons_attended: Vec<u32> = r
                .lessons_attended
                .as_deref()
                .unwrap_or("")
                .split(',')
                .filter_map(|n| n.parse().ok())
                .collect();
            let lessons = u32::try_from(r.lesson_count).unwrap_or(0);
            let certificate = r
                .completion_percent
                .and_then(|p| u8::try_from(p).ok())
                .filter(|&p| {
                    confirmed
                        && domain::programme::course::completed(
                            lessons_attended.len(),
                            lessons as usize,
                            p,
                        )
                })
                .map(|_| {
                    signer.certify(domain::certificate::CertificateClaims {
                        key_id: 0,
                        registration_id: r.id.clone(),
                        offering_id: r.offering_id.clone(),
                        title: r.title.clone(),
                        term: r.term.clone().unwrap_or_default(),
                        name: r.display_name.clone(),
                        attended: lessons_attended.len() as u32,
                        lessons,
                    })
                });
            let rating = r
                .stars
                .and_then(|s| u8::try_from(s).ok())
                .map(|s| (s, r.comment.clone().unwrap_or_default()));
            let row = RegistrationRow {
                id: r.id.clone(),
                offering_id: r.offering_id,
                status,
                waitlist_position: r.waitlist_position.and_then(|p| u32::try_from(p).ok()),
                reject_reason: r.reject_reason,
                created_at: r.created_at,
                received_at: r.received_at,
                note: r.note,
                ticket,
                checked_in_at: r.checked_in_at,
                present_minutes: u32::try_from(r.present_minutes).unwrap_or(0),
                credited_minutes: u32::try_from(r.credited_minutes).unwrap_or(0),
                hours_flags: serde_json::from_str(&r.hours_flags).unwrap_or_default(),
                // No notice (0): the hours count as credited, nothing is pending.
                hours_effective_at: (r.kind == "activity" && notice_days > 0)
                    .then(|| domain::hours::effective_at(r.ends_at, notice_days)),
                application_no: r.application_no,
                confirm_by: r.confirm_by,
                lessons_attended,
                certificate,
                rating,
                badge: mixer.badge,
                picks: mixer.picks,
                present: mixer.present,
                matches: mixer.matches,
            };
            Some(Change {
                kind: "registration".into(),
                id: r.id,
                version: version(r.version),
                data: serde_json::to_value(row).ok(),
            })
        })
        .collect())
}

struct RosterDbRow {
    id: String,
    offering_id: String,
    display_name: Option<String>,
    phone: Option<String>,
    walk_in_last4: Option<String>,
    status: String,
    version: i64,
    pool: String,
    badge_no: Option<i64>,
}

/// The offerings a user runs as an organizer (directly or through a venue), as a CTE `runs`.
macro_rules! runs {
    () => {
        "WITH runs (offering_id) AS (
        SELECT a.offering_id FROM organizer_assignments a
         WHERE a.user_id = ?1 AND a.offering_id IS NOT NULL
           AND EXISTS (SELECT 1 FROM user_roles WHERE user_id = ?1 AND role = 'organizer')
        UNION
        SELECT o.id FROM offerings o JOIN organizer_assignments a ON a.venue_id = o.venue_id
         WHERE a.user_id = ?1
           AND EXISTS (SELECT 1 FROM user_roles WHERE user_id = ?1 AND role = 'organizer'))"
    };
}

struct CheckinDbRow {
    id: String,
    registration_id: String,
    offering_id: String,
    kind: String,
    scanned_at: i64,
    at: i64,
    device_id: String,
    duplicate_of: Option<String>,
    version: i64,
    lesson: Option<i64>,
}

async fn checkins(db: &Pool, user_id: &str, cursor: i64, take: i64) -> sql::Result<Vec<Change>> {
    let rows: Vec<CheckinDbRow> = db
        .fetch_all(
            concat!(
                runs!(),
                " SELECT id, registration_id, offering_id, kind, scanned_at, at, device_id,
                               duplicate_of, version, lesson
                          FROM checkins
                         WHERE version > ?2 AND offering_id IN (SELECT offering_id FROM runs)
                         ORDER BY version LIMIT ?3"
            ),
            args![user_id, cursor, take],
            |r| {
                Ok(CheckinDbRow {
                    id: r.get(0)?,
                    registration_id: r.get(1)?,
                    offering_id: r.get(2)?,
                    kind: r.get(3)?,
                    scanned_at: r.get(4)?,
                    at: r.get(5)?,
                    device_id: r.get(6)?,
                    duplicate_of: r.get(7)?,
                    version: r.get(8)?,
                    lesson: r.get(9)?,
                })
            },
        )
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let row = CheckinRow {
                id: r.id.clone(),
                registration_id: r.registration_id,
                offering_id: r.offering_id,
                kind: if r.kind == "in" {
                    ScanKind::In
                } else {
                    ScanKind::Out
                },
                scanned_at: r.scanned_at,
                at: r.at,
                device_id: r.device_id,
                duplicate_of: r.duplicate_of,
                lesson: r.lesson.and_then(|l| u32::try_from(l).ok()),
            };
            Change {
                kind: "checkin".into(),
                id: r.id,
                version: version(r.version),
                data: serde_json::to_value(row).ok(),
            }
        })
        .collect())
}

/// The caller's own mixer profile (nobody else's ever comes through here).
async fn own_mixer_profile(db: &Pool, user_id: &str, cursor: i64) -> sql::Result<Vec<Change>> {
    let row: Option<(String, i64)> = db
        .fetch_optional(
            "SELECT profile, version FROM mixer_profiles WHERE user_id = ?1 AND version > ?2",
            args![user_id, cursor],
            |r| r.tuple(),
        )
        .await?;
    Ok(row
        .and_then(|(profile, v)| {
            let profile: domain::programme::mixer::MixerProfile =
                serde_json::from_str(&profile).ok()?;
            Some(Change {
                kind: "mixer_profile".into(),
                id: user_id.to_owned(),
                version: version(v),
                data: serde_json::to_value(profile).ok(),
            })
        })
        .into_iter()
        .collect())
}

/// Where each published mixer's pick window is (everyone: it says nothing about anyone).
async fn pick_windows(db: &Pool, cursor: i64, take: i64) -> sql::Result<Vec<Change>> {
    let rows: Vec<(String, Option<i64>, Option<i64>, i64)> = db
        .fetch_all(
            "SELECT s.offering_id, s.picks_opened_at, s.picks_closed_at, s.version
               FROM mixer_settings s JOIN offerings o ON o.id = s.offering_id
              WHERE s.version > ?1 AND o.status <> 'draft' ORDER BY s.version LIMIT ?2",
            args![cursor, take],
            |r| r.tuple(),
        )
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, opened, closed, v)| Change {
            kind: "pick_window".into(),
            data: serde_json::to_value(domain::sync::PickWindowRow {
                offering_id: id.clone(),
                state: domain::programme::mixer::PickWindow::of(opened, closed),
            })
            .ok(),
            id,
            version: version(v),
        })
        .collect())
}

async fn ticket_keys(db: &Pool, cursor: i64, take: i64) -> sql::Result<Vec<Change>> {
    let rows: Vec<(i64, String, i64)> = db
        .fetch_all(
            "SELECT id, public_key, version FROM signing_keys WHERE version > ?1
              ORDER BY version LIMIT ?2",
            args![cursor, take],
            |r| r.tuple(),
        )
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, public_key, v)| Change {
            kind: "ticket_key".into(),
            id: id.to_string(),
            version: version(v),
            data: serde_json::to_value(TicketKey {
                id: u32::try_from(id).unwrap_or(0),
                public_key,
            })
            .ok(),
        })
        .collect())
}

async fn assignments(db: &Pool, user_id: &str) -> sql::Result<Vec<Change>> {
    let ids: Vec<String> = db
        .fetch_all(
            concat!(
                runs!(),
                " SELECT offering_id FROM runs ORDER BY offering_id"
            ),
            args![user_id],
            |r| r.get(0),
        )
        .await?;
    Ok(ids
        .into_iter()
        .map(|id| Change {
            kind: "assignment".into(),
            data: serde_json::to_value(AssignmentRow {
                offering_id: id.clone(),
            })
            .ok(),
            id,
            // Sent with every full download; the version only orders it first.
            version: 1,
        })
        .collect())
}

async fn roster_entries(
    db: &Pool,
    user_id: &str,
    cursor: i64,
    take: i64,
) -> sql::Result<Vec<Change>> {
    let rows: Vec<RosterDbRow> = db
        .fetch_all(
            concat!(
                runs!(),
                " SELECT r.id, r.offering_id, COALESCE(u.display_name, r.walk_in_name),
                        u.phone, r.walk_in_last4, r.status, r.version, r.pool, r.badge_no
                   FROM registrations r LEFT JOIN users u ON u.id = r.user_id
                  WHERE r.version > ?2
                    AND r.offering_id IN (SELECT offering_id FROM runs)
                  ORDER BY r.version LIMIT ?3"
            ),
            args![user_id, cursor, take],
            |r| {
                Ok(RosterDbRow {
                    id: r.get(0)?,
                    offering_id: r.get(1)?,
                    display_name: r.get(2)?,
                    phone: r.get(3)?,
                    walk_in_last4: r.get(4)?,
                    status: r.get(5)?,
                    version: r.get(6)?,
                    pool: r.get(7)?,
                    badge_no: r.get(8)?,
                })
            },
        )
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            // No account but a name: only a walk-in registered at the door (a deleted account
            // has neither).
            let walk_in = r.phone.is_none() && r.display_name.is_some();
            let phone = r.phone.and_then(|p| PhoneNumber::parse(&p).ok());
            Change {
                kind: "roster_entry".into(),
                data: Some(json!({
                    "registration_id": r.id,
                    "offering_id": r.offering_id,
                    "display_name": r.display_name.unwrap_or_else(|| "已注销".into()),
                    "phone": phone.as_ref().map(PhoneNumber::masked),
                    "phone_last4": phone.as_ref().map(|p| p.last4().to_owned()).or(r.walk_in_last4),
                    "status": r.status,
                    "walk_in": walk_in,
                    "badge": crate::db::mixer::badge(&r.pool, r.badge_no),
                })),
                id: r.id,
                version: version(r.version),
            }
        })
        .collect())
}

struct HoursRequestDbRow {
    id: String,
    registration_id: String,
    offering_id: String,
    offering_title: Option<String>,
    display_name: Option<String>,
    current_minutes: i64,
    minutes: i64,
    reason: String,
    status: String,
    answer: String,
    created_at: i64,
    answered_at: Option<i64>,
    version: i64,
}

/// Correction requests: the caller's own, those of the offerings they run as an organizer,
/// and every one for an admin (who answers them too).
async fn hours_requests(
    db: &Pool,
    user_id: &str,
    cursor: i64,
    take: i64,
) -> sql::Result<Vec<Change>> {
    let rows: Vec<HoursRequestDbRow> = db
        .fetch_all(
            concat!(
                runs!(),
                " SELECT q.id, q.registration_id, q.offering_id, o.title, u.display_name,
                        q.current_minutes, q.minutes, q.reason, q.status, q.answer,
                        q.created_at, q.answered_at, q.version
                   FROM hours_requests q LEFT JOIN users u ON u.id = q.user_id
                   LEFT JOIN offerings o ON o.id = q.offering_id
                  WHERE q.version > ?2
                    AND (q.user_id = ?1
                         OR q.offering_id IN (SELECT offering_id FROM runs)
                         OR EXISTS (SELECT 1 FROM user_roles
                                     WHERE user_id = ?1 AND role = 'admin'))
                  ORDER BY q.version LIMIT ?3"
            ),
            args![user_id, cursor, take],
            |r| {
                Ok(HoursRequestDbRow {
                    id: r.get(0)?,
                    registration_id: r.get(1)?,
                    offering_id: r.get(2)?,
                    offering_title: r.get(3)?,
                    display_name: r.get(4)?,
                    current_minutes: r.get(5)?,
                    minutes: r.get(6)?,
                    reason: r.get(7)?,
                    status: r.get(8)?,
                    answer: r.get(9)?,
                    created_at: r.get(10)?,
                    answered_at: r.get(11)?,
                    version: r.get(12)?,
                })
            },
        )
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let row = domain::sync::HoursRequestRow {
                id: r.id.clone(),
                registration_id: r.registration_id,
                offering_id: r.offering_id,
                offering_title: r.offering_title.unwrap_or_default(),
                display_name: r.display_name.unwrap_or_else(|| "已注销".into()),
                current_minutes: u32::try_from(r.current_minutes).unwrap_or(0),
                minutes: u32::try_from(r.minutes).unwrap_or(0),
                reason: r.reason,
                status: domain::sync::HoursRequestStatus::parse(&r.status)?,
                answer: r.answer,
                created_at: r.created_at,
                answered_at: r.answered_at,
            };
            Some(Change {
                kind: "hours_request".into(),
                id: r.id,
                version: version(r.version),
                data: serde_json::to_value(row).ok(),
            })
        })
        .collect())
}

async fn tombstones(db: &Pool, cursor: i64, take: i64) -> sql::Result<Vec<Change>> {
    let rows: Vec<(String, String, i64)> = db
        .fetch_all(
            "SELECT kind, id, version FROM tombstones WHERE version > ?1
              ORDER BY version LIMIT ?2",
            args![cursor, take],
            |r| r.tuple(),
        )
        .await?;
    Ok(rows
        .into_iter()
        .map(|(kind, id, v)| Change {
            kind,
            id,
            version: version(v),
            data: None::<Value>,
        })
        .collect())
}
