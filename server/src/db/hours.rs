//! Volunteer hours on the database: recomputed from a registration's scans with the pure rules
//! in `domain::hours`, and forgotten check-outs closed once the activity has ended.

use crate::db::{begin_write, next_versions};
use domain::hours::{self, HoursFlag, HoursRules, Scan, ScanKind};
use sqlx::{SqliteConnection, SqlitePool};

#[derive(sqlx::FromRow)]
struct HoursRow {
    starts_at: i64,
    ends_at: i64,
    volunteer_hours: Option<i64>,
    min_share_percent: i64,
    corrected_minutes: Option<i64>,
}

/// Recomputes and stores one registration's hours (inside the caller's transaction).
pub async fn recompute(
    conn: &mut SqliteConnection,
    registration_id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    let rules: Option<HoursRow> = sqlx::query_as(
        "SELECT o.starts_at, o.ends_at, o.volunteer_hours, o.min_share_percent, r.corrected_minutes
           FROM registrations r JOIN offerings o ON o.id = r.offering_id WHERE r.id = ?",
    )
    .bind(registration_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(HoursRow {
        starts_at,
        ends_at,
        volunteer_hours: granted_hours,
        min_share_percent: min_share,
        corrected_minutes: corrected,
    }) = rules
    else {
        return Ok(());
    };
    let scans: Vec<(String, i64)> =
        sqlx::query_as("SELECT kind, at FROM checkins WHERE registration_id = ? ORDER BY at, id")
            .bind(registration_id)
            .fetch_all(&mut *conn)
            .await?;
    let scans: Vec<Scan> = scans
        .iter()
        .map(|(kind, at)| Scan {
            kind: if kind == "in" {
                ScanKind::In
            } else {
                ScanKind::Out
            },
            at: *at,
        })
        .collect();
    let rules = HoursRules {
        starts_at,
        ends_at,
        granted_minutes: u32::try_from(granted_hours.unwrap_or(0).max(0) * 60).unwrap_or(0),
        min_share: (min_share.clamp(0, 100) as f64) / 100.0,
    };
    let h = hours::compute(&rules, &scans, now);
    let checked_in_at = scans
        .iter()
        .filter(|s| s.kind == ScanKind::In)
        .map(|s| s.at)
        .min();
    let open = scans.last().is_some_and(|s| s.kind == ScanKind::In)
        && !h.flags.contains(&HoursFlag::AutoClosed);
    let mut flags: Vec<String> = h
        .flags
        .iter()
        .filter_map(|f| serde_json::to_value(f).ok()?.as_str().map(str::to_owned))
        .collect();
    let credited = match corrected {
        Some(c) => {
            flags.push("corrected".into());
            c
        }
        None => i64::from(h.credited_minutes),
    };
    let version = next_versions(conn, 1).await?;
    sqlx::query(
        "UPDATE registrations SET checked_in_at = ?, present_minutes = ?, credited_minutes = ?,
                                  hours_flags = ?, open_checkin = ?, updated_at = ?, version = ?
          WHERE id = ?",
    )
    .bind(checked_in_at)
    .bind(i64::from(h.present_minutes))
    .bind(credited)
    .bind(serde_json::to_string(&flags).unwrap_or_else(|_| "[]".into()))
    .bind(open)
    .bind(now)
    .bind(version)
    .bind(registration_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Closes the check-outs forgotten at activities that have ended (flagged `auto_closed`).
/// Returns how many registrations it closed.
pub async fn sweep(db: &SqlitePool, now: i64) -> Result<usize, sqlx::Error> {
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT r.id FROM registrations r JOIN offerings o ON o.id = r.offering_id
          WHERE r.open_checkin = 1 AND o.ends_at <= ?",
    )
    .bind(now)
    .fetch_all(db)
    .await?;
    if ids.is_empty() {
        return Ok(0);
    }
    let mut tx = begin_write(db).await?;
    for id in &ids {
        recompute(&mut tx, id, now).await?;
    }
    tx.commit().await?;
    Ok(ids.len())
}
