//! Volunteer hours on the database: recomputed from a registration's scans with the pure rules
//! in `domain::hours`, and forgotten check-outs closed once the activity has ended. Both run on
//! the sync writer's connection, inside its transaction.
//!
//! [`recompute_because`] is the one place credited minutes are written: whenever the value
//! changes it writes a row of `hours_changes` (who, when, before, after, why) in the same
//! transaction, so hours never change without a record.

use crate::db::pool::{Pool, args};
use crate::db::sql::Row;
use crate::db::sql::{OptionalExtension, params};
use crate::db::writing::Writing;
use domain::hours::{self, HoursFlag, HoursRules, Scan, ScanKind};

/// Why credited minutes are being recomputed, and by whom: what a change record says.
#[derive(Debug, Clone, Copy)]
pub struct Why<'a> {
    /// The person (`None`: the system).
    pub by: Option<&'a str>,
    /// `scan`, `auto_closed`, `correction` or `request` (the migration's CHECK lists them).
    pub cause: &'static str,
    /// The reason given, if any.
    pub reason: &'a str,
}

impl Why<'_> {
    /// A scan recorded at the door (the system recomputes).
    pub const SCAN: Why<'static> = Why {
        by: None,
        cause: "scan",
        reason: "",
    };
    /// A forgotten check-out closed at the activity's end by the sweep.
    pub const AUTO_CLOSED: Why<'static> = Why {
        by: None,
        cause: "auto_closed",
        reason: "",
    };
}

struct HoursRow {
    before: i64,
    starts_at: i64,
    ends_at: i64,
    volunteer_hours: Option<i64>,
    min_share_percent: i64,
    corrected_minutes: Option<i64>,
}

/// Recomputes and stores one registration's hours after a scan (inside the caller's
/// transaction).
pub fn recompute(
    conn: &Writing<'_>,
    registration_id: &str,
    now: i64,
) -> crate::db::sql::Result<()> {
    recompute_because(conn, registration_id, now, Why::SCAN)
}

/// Recomputes and stores one registration's hours, recording a change of the credited minutes
/// with `why` (inside the caller's transaction).
pub fn recompute_because(
    conn: &Writing<'_>,
    registration_id: &str,
    now: i64,
    why: Why<'_>,
) -> crate::db::sql::Result<()> {
    let rules: Option<HoursRow> = conn
        .prepare_cached(
            "SELECT r.credited_minutes, o.starts_at, o.ends_at, a.volunteer_hours,
                    COALESCE(a.min_share_percent, 60), r.corrected_minutes
               FROM registrations r JOIN offerings o ON o.id = r.offering_id
               LEFT JOIN activity_settings a ON a.offering_id = o.id
              WHERE r.id = ?1",
        )?
        .query_row([registration_id], |r| {
            Ok(HoursRow {
                before: r.get(0)?,
                starts_at: r.get(1)?,
                ends_at: r.get(2)?,
                volunteer_hours: r.get(3)?,
                min_share_percent: r.get(4)?,
                corrected_minutes: r.get(5)?,
            })
        })
        .optional()?;
    let Some(HoursRow {
        before,
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
        .collect::<crate::db::sql::Result<_>>()?;
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
    if credited != before {
        conn.prepare_cached(
            "INSERT INTO hours_changes (registration_id, changed_by, changed_at, before_minutes,
                                        after_minutes, cause, reason)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            registration_id,
            why.by,
            now,
            before,
            credited,
            why.cause,
            why.reason,
        ])?;
    }
    Ok(())
}

/// Closes the check-outs forgotten at activities that have ended (flagged `auto_closed`),
/// inside the caller's transaction. Returns how many registrations it closed.
pub fn sweep_on(conn: &Writing<'_>, now: i64) -> crate::db::sql::Result<usize> {
    let ids: Vec<String> = conn
        .prepare_cached(
            "SELECT r.id FROM registrations r JOIN offerings o ON o.id = r.offering_id
              WHERE r.open_checkin = 1 AND o.ends_at <= ?1",
        )?
        .query_map([now], |r| r.get(0))?
        .collect::<crate::db::sql::Result<_>>()?;
    for id in &ids {
        recompute_because(conn, id, now, Why::AUTO_CLOSED)?;
    }
    Ok(ids.len())
}

/// The activities in their public notice period at `now` (ended, hours not yet in effect),
/// with everyone credited by masked name, most recently ended first. None when the notice is
/// off (`notice_days` 0).
pub async fn notices(
    db: &Pool,
    now: i64,
    notice_days: u32,
) -> crate::db::sql::Result<Vec<domain::hours::Notice>> {
    // offering_id, title, ends_at, name, minutes
    let rows: Vec<(String, String, i64, Option<String>, i64)> = db
        .fetch_all(
            "SELECT o.id, o.title, o.ends_at, COALESCE(u.display_name, r.walk_in_name),
                    r.credited_minutes
               FROM offerings o JOIN registrations r ON r.offering_id = o.id
               LEFT JOIN users u ON u.id = r.user_id
              WHERE o.kind = 'activity' AND o.status = 'published'
                AND o.ends_at <= ?1 AND o.ends_at > ?2 AND r.credited_minutes > 0
              ORDER BY o.ends_at DESC, o.id, r.received_at, r.id",
            args![now, hours::counted_until(now, notice_days)],
            |r| r.tuple(),
        )
        .await?;
    let mut out: Vec<domain::hours::Notice> = Vec::new();
    for (offering_id, title, ends_at, name, minutes) in rows {
        let person = domain::hours::NoticePerson {
            // A deleted account's hours stay posted, without a name.
            name: name
                .map(|n| domain::account::masked_name(&n))
                .unwrap_or_else(|| "*".into()),
            minutes: u32::try_from(minutes).unwrap_or(0),
        };
        match out.last_mut() {
            Some(n) if n.offering_id == offering_id => n.people.push(person),
            _ => out.push(domain::hours::Notice {
                effective_at: hours::effective_at(ends_at, notice_days),
                offering_id,
                title,
                ends_at,
                people: vec![person],
            }),
        }
    }
    Ok(out)
}

const CHANGES: &str = "SELECT c.registration_id, r.offering_id, o.title,
            COALESCE(v.display_name, r.walk_in_name) AS volunteer, c.changed_at,
            b.display_name AS changed_by, c.before_minutes, c.after_minutes, c.cause, c.reason
       FROM hours_changes c JOIN registrations r ON r.id = c.registration_id
       JOIN offerings o ON o.id = r.offering_id
       LEFT JOIN users v ON v.id = r.user_id
       LEFT JOIN users b ON b.id = c.changed_by";

/// A row of [`CHANGES`].
fn change(r: &Row<'_>) -> crate::db::sql::Result<domain::hours::HoursChange> {
    Ok(domain::hours::HoursChange {
        registration_id: r.get(0)?,
        offering_id: r.get(1)?,
        title: r.get(2)?,
        volunteer: r
            .get::<_, Option<String>>(3)?
            .unwrap_or_else(|| "已注销".into()),
        changed_at: r.get(4)?,
        changed_by: r.get(5)?,
        before_minutes: u32::try_from(r.get::<_, i64>(6)?).unwrap_or(0),
        after_minutes: u32::try_from(r.get::<_, i64>(7)?).unwrap_or(0),
        cause: r.get(8)?,
        reason: r.get(9)?,
    })
}

/// Every change of `user_id`'s own credited minutes, newest first.
pub async fn changes_of_user(
    db: &Pool,
    user_id: &str,
) -> crate::db::sql::Result<Vec<domain::hours::HoursChange>> {
    db.fetch_all(
        &format!("{CHANGES} WHERE r.user_id = ?1 ORDER BY c.id DESC"),
        args![user_id],
        change,
    )
    .await
}

/// Every change of credited minutes at one offering, newest first.
pub async fn changes_of_offering(
    db: &Pool,
    offering_id: &str,
) -> crate::db::sql::Result<Vec<domain::hours::HoursChange>> {
    db.fetch_all(
        &format!("{CHANGES} WHERE r.offering_id = ?1 ORDER BY c.id DESC"),
        args![offering_id],
        change,
    )
    .await
}
