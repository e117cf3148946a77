//! Volunteer hours on the database: recomputed from a registration's scans with the pure rules
//! in `domain::hours`, and forgotten check-outs closed once the activity has ended. Both run on
//! the sync writer's connection, inside its transaction.

use crate::db::writing::Writing;
use anyhow::Context;
use domain::hours::{self, HoursFlag, HoursRules, Scan, ScanKind};
use rusqlite::{OptionalExtension, TransactionBehavior, params};
use sqlx::SqlitePool;

struct HoursRow {
    starts_at: i64,
    ends_at: i64,
    volunteer_hours: Option<i64>,
    min_share_percent: i64,
    corrected_minutes: Option<i64>,
}

/// Recomputes and stores one registration's hours (inside the caller's transaction).
pub fn recompute(conn: &Writing<'_>, registration_id: &str, now: i64) -> rusqlite::Result<()> {
    let rules: Option<HoursRow> = conn
        .prepare_cached(
            "SELECT o.starts_at, o.ends_at, a.volunteer_hours, COALESCE(a.min_share_percent, 60),
                    r.corrected_minutes
               FROM registrations r JOIN offerings o ON o.id = r.offering_id
               LEFT JOIN activity_settings a ON a.offering_id = o.id
              WHERE r.id = ?1",
        )?
        .query_row([registration_id], |r| {
            Ok(HoursRow {
                starts_at: r.get(0)?,
                ends_at: r.get(1)?,
                volunteer_hours: r.get(2)?,
                min_share_percent: r.get(3)?,
                corrected_minutes: r.get(4)?,
            })
        })
        .optional()?;
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
    let scans: Vec<Scan> = conn
        .prepare_cached("SELECT kind, at FROM checkins WHERE registration_id = ?1 ORDER BY at, id")?
        .query_map([registration_id], |r| {
            Ok(Scan {
                kind: if r.get::<_, String>(0)? == "in" {
                    ScanKind::In
                } else {
                    ScanKind::Out
                },
                at: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
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
    let version = conn.take_versions(1)?;
    conn.prepare_cached(
        "UPDATE registrations SET checked_in_at = ?1, present_minutes = ?2, credited_minutes = ?3,
                                  hours_flags = ?4, open_checkin = ?5, updated_at = ?6,
                                  version = ?7
          WHERE id = ?8",
    )?
    .execute(params![
        checked_in_at,
        i64::from(h.present_minutes),
        credited,
        serde_json::to_string(&flags).unwrap_or_else(|_| "[]".into()),
        open,
        now,
        version,
        registration_id,
    ])?;
    Ok(())
}

/// Closes the check-outs forgotten at activities that have ended (flagged `auto_closed`),
/// inside the caller's transaction. Returns how many registrations it closed.
pub fn sweep_on(conn: &Writing<'_>, now: i64) -> rusqlite::Result<usize> {
    let ids: Vec<String> = conn
        .prepare_cached(
            "SELECT r.id FROM registrations r JOIN offerings o ON o.id = r.offering_id
              WHERE r.open_checkin = 1 AND o.ends_at <= ?1",
        )?
        .query_map([now], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in &ids {
        recompute(conn, id, now)?;
    }
    Ok(ids.len())
}

/// [`sweep_on`] for tools and tests that hold only a pool: the same work in a write transaction
/// of its own, on a connection of its own to the pool's database. The server runs the sweep as
/// a job on its sync writer instead.
pub async fn sweep(db: &SqlitePool, now: i64) -> anyhow::Result<usize> {
    let options = db.connect_options();
    let work = tokio::task::spawn_blocking(move || -> rusqlite::Result<usize> {
        let mut conn = crate::db::open_writer(&options)?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let closed = sweep_on(&Writing::new(&tx)?, now)?;
        tx.commit()?;
        Ok(closed)
    });
    Ok(work.await.context("the sweep stopped")??)
}
