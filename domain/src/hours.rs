//! Volunteer hours from check-in and check-out scans (志愿服务时长).
//!
//! Rules (see `../shared/reference/domain-rules.md`): hours are the actual time served inside
//! the activity's window; below a minimum share of the activity (default 60%) no hours are
//! granted; credit hours come only from scans (corrections are a separate, audited record);
//! a check-in never closed is closed at the activity's end and flagged. Each device's clock is
//! corrected by that device's measured skew before anything is compared.

use serde::{Deserialize, Serialize};

/// In or out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScanKind {
    /// Arrived.
    In,
    /// Left.
    Out,
}

impl ScanKind {
    /// Every value.
    pub const ALL: [Self; 2] = [Self::In, Self::Out];

    /// The name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::In => "in",
            Self::Out => "out",
        }
    }
}

crate::serde_by_name! {
    ScanKind => "in or out",
}

/// One scan, its time already corrected to the server's clock (Unix seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scan {
    /// In or out.
    pub kind: ScanKind,
    /// When, on the server's clock.
    pub at: i64,
}

/// Something the organizer should look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HoursFlag {
    /// A check-in was never closed: closed at the activity's end.
    AutoClosed,
    /// A check-out with no check-in before it (ignored).
    OutWithoutIn,
    /// Present for less than the minimum share: no hours granted.
    BelowMinimumShare,
}

/// How hours are granted for one activity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HoursRules {
    /// The activity's start (Unix seconds).
    pub starts_at: i64,
    /// The activity's end (Unix seconds).
    pub ends_at: i64,
    /// Hours granted for full attendance, in minutes (the cap).
    pub granted_minutes: u32,
    /// Below this share of the activity's length, no hours (0.6 by default).
    pub min_share: f64,
}

/// The default minimum share (Yunnan's youth volunteer platform: 60%).
pub const DEFAULT_MIN_SHARE: f64 = 0.6;

/// Hours for one person at one activity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Hours {
    /// Time present inside the window, in minutes.
    pub present_minutes: u32,
    /// Minutes credited (0 below the minimum share; never above the granted hours).
    pub credited_minutes: u32,
    /// Things to look at.
    pub flags: Vec<HoursFlag>,
}

/// Computes the hours from the scans (in any order). `now` matters for an activity not yet
/// ended: an open check-in then counts up to `now` without being flagged.
pub fn compute(rules: &HoursRules, scans: &[Scan], now: i64) -> Hours {
    let mut scans: Vec<Scan> = scans.to_vec();
    // Ties: an out and an in at the same second: the out first, so a quick re-entry is two stays.
    scans.sort_by_key(|s| (s.at, s.kind == ScanKind::In));
    let (start, end) = (rules.starts_at, rules.ends_at.max(rules.starts_at));
    let mut flags = Vec::new();
    let mut open: Option<i64> = None;
    let mut intervals: Vec<(i64, i64)> = Vec::new();
    for s in &scans {
        match (s.kind, open) {
            // A second "in" while in: a repeated scan, the first one counts.
            (ScanKind::In, Some(_)) => {}
            (ScanKind::In, None) => open = Some(s.at),
            (ScanKind::Out, Some(t)) => {
                intervals.push((t, s.at));
                open = None;
            }
            (ScanKind::Out, None) => push_flag(&mut flags, HoursFlag::OutWithoutIn),
        }
    }
    if let Some(t) = open {
        if now >= end {
            push_flag(&mut flags, HoursFlag::AutoClosed);
            intervals.push((t, end));
        } else {
            intervals.push((t, now));
        }
    }
    let present: i64 = intervals
        .iter()
        .map(|&(a, b)| (b.min(end) - a.max(start)).max(0))
        .sum();
    let length = (end - start).max(1);
    let present_minutes = u32::try_from(present / 60).unwrap_or(u32::MAX);
    let share = present as f64 / length as f64;
    let credited_minutes = if share + 1e-9 < rules.min_share {
        if present > 0 {
            push_flag(&mut flags, HoursFlag::BelowMinimumShare);
        }
        0
    } else {
        present_minutes.min(rules.granted_minutes)
    };
    Hours {
        present_minutes,
        credited_minutes,
        flags,
    }
}

fn push_flag(flags: &mut Vec<HoursFlag>, f: HoursFlag) {
    if !flags.contains(&f) {
        flags.push(f);
    }
}

/// A scan's time on the server's clock: the device's time plus that device's skew (server
/// clock minus device clock, measured when the device pushed).
pub fn corrected(device_ms: i64, skew_ms: i64) -> i64 {
    device_ms.saturating_add(skew_ms).div_euclid(1000)
}

/// The public notice period (公示) by default, in working days.
pub const DEFAULT_NOTICE_DAYS: u32 = 3;
/// The longest notice period a setting may ask for, in working days.
pub const MAX_NOTICE_DAYS: u32 = 30;

const DAY: i64 = 86_400;
/// China time is UTC+8 all year (no daylight saving).
const CHINA_OFFSET: i64 = 8 * 3600;

/// The day number (days since 1970-01-01) of `t` in China time.
fn china_day(t: i64) -> i64 {
    t.saturating_add(CHINA_OFFSET).div_euclid(DAY)
}

/// 00:00 China time of day number `day`.
fn china_midnight(day: i64) -> i64 {
    day.saturating_mul(DAY).saturating_sub(CHINA_OFFSET)
}

/// Whether day number `day` is a working day (Monday to Friday; 1970-01-01 was a Thursday).
/// Public holidays and the weekends worked in exchange (调休) are not known: Mon–Fri only.
fn is_working_day(day: i64) -> bool {
    (day + 3).rem_euclid(7) < 5
}

/// When the hours of an activity that ended at `ends_at` take effect, after a public notice
/// (公示) of `notice_days` working days: the notice runs on the first `notice_days` working
/// days (Mon–Fri, China time) after the day it ended, and the hours count from 00:00 China time
/// the day after the last of them. An activity ending on Monday with 3 days: Tue, Wed, Thu
/// posted, counted from Friday 00:00. With `0` (no notice) this is the end itself, but the
/// hours count at once, as they are credited ([`is_effective`]).
pub fn effective_at(ends_at: i64, notice_days: u32) -> i64 {
    if notice_days == 0 {
        return ends_at;
    }
    let mut day = china_day(ends_at);
    let mut left = notice_days.min(MAX_NOTICE_DAYS);
    while left > 0 {
        day += 1;
        if is_working_day(day) {
            left -= 1;
        }
    }
    china_midnight(day + 1)
}

/// Whether hours of an activity that ends at `ends_at` count at `now`: after its notice, or at
/// once when there is none (`0`: the notice is off, hours count as they are credited).
pub fn is_effective(ends_at: i64, notice_days: u32, now: i64) -> bool {
    notice_days == 0 || effective_at(ends_at, notice_days) <= now
}

/// The latest end whose hours count at `now` (every end when the notice is off): an
/// activity's hours count at `now` exactly when it ends at or before this ([`effective_at`] never decreases as the end moves later), so SQL
/// can say `ends_at <= ?` instead of counting working days.
pub fn counted_until(now: i64, notice_days: u32) -> i64 {
    if notice_days == 0 {
        return i64::MAX;
    }
    // Every end on one China day takes effect at the same moment; walk back from today to the
    // last day whose notice is over (at most MAX_NOTICE_DAYS working days and their weekends).
    let mut day = china_day(now);
    while effective_at(china_midnight(day), notice_days) > now {
        day -= 1;
    }
    china_midnight(day + 1) - 1
}

/// One person on the public notice page (时长公示): a masked name and the minutes credited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticePerson {
    /// The name, masked ([`crate::account::masked_name`]).
    pub name: String,
    /// Minutes credited.
    pub minutes: u32,
}

/// An activity in its notice period (`GET /api/v1/hours/notices`, public).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notice {
    /// The activity.
    pub offering_id: String,
    /// Its title.
    pub title: String,
    /// When it ended (Unix seconds).
    #[serde(deserialize_with = "crate::moment::unix_s")]
    pub ends_at: i64,
    /// When its hours take effect (Unix seconds).
    #[serde(deserialize_with = "crate::moment::unix_s")]
    pub effective_at: i64,
    /// Everyone credited, by masked name.
    pub people: Vec<NoticePerson>,
}

/// One change of someone's credited minutes, as its record says (`GET
/// /api/v1/me/hours-changes`, `GET /api/v1/offerings/{id}/hours-changes`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HoursChange {
    /// The registration.
    pub registration_id: String,
    /// The activity.
    pub offering_id: String,
    /// Its title.
    pub title: String,
    /// Whose hours (their name; for staff).
    pub volunteer: String,
    /// When (Unix seconds).
    #[serde(deserialize_with = "crate::moment::unix_s")]
    pub changed_at: i64,
    /// Who changed them (their name); `None`: the system (a scan, the sweep).
    #[serde(default)]
    pub changed_by: Option<String>,
    /// Minutes before.
    pub before_minutes: u32,
    /// Minutes after.
    pub after_minutes: u32,
    /// `scan`, `auto_closed`, `correction` (by an organizer) or `request` (a volunteer's
    /// request accepted).
    pub cause: String,
    /// The reason given.
    #[serde(default)]
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = 3600;
    // 09:00–12:00 (as seconds from an arbitrary day start), 3 hours granted.
    fn rules() -> HoursRules {
        HoursRules {
            starts_at: 9 * H,
            ends_at: 12 * H,
            granted_minutes: 180,
            min_share: DEFAULT_MIN_SHARE,
        }
    }

    fn scan(kind: ScanKind, at: i64) -> Scan {
        Scan { kind, at }
    }
    use ScanKind::{In, Out};

    #[test]
    fn time_outside_the_window_does_not_count() {
        let h = compute(&rules(), &[scan(In, 8 * H), scan(Out, 13 * H)], 20 * H);
        assert_eq!((h.present_minutes, h.credited_minutes), (180, 180));
        assert!(h.flags.is_empty());
    }

    #[test]
    fn below_sixty_percent_no_hours() {
        let h = compute(
            &rules(),
            &[scan(In, 9 * H), scan(Out, 10 * H + 45 * 60)],
            20 * H,
        );
        assert_eq!((h.present_minutes, h.credited_minutes), (105, 0));
        assert_eq!(h.flags, [HoursFlag::BelowMinimumShare]);
        let h = compute(
            &rules(),
            &[scan(In, 9 * H), scan(Out, 10 * H + 48 * 60)],
            20 * H,
        );
        assert_eq!(h.credited_minutes, 108, "exactly 60% counts");
    }

    #[test]
    fn out_before_in_and_a_missing_out() {
        // Device clocks disagreed: the "out" came first. It is ignored and flagged; the "in" is
        // then never closed, so it is closed at the end.
        let h = compute(&rules(), &[scan(Out, 9 * H), scan(In, 9 * H + 600)], 20 * H);
        assert_eq!(h.present_minutes, 170);
        assert_eq!(h.flags, [HoursFlag::OutWithoutIn, HoursFlag::AutoClosed]);
        // Before the end, an open check-in counts up to now, unflagged.
        let h = compute(&rules(), &[scan(In, 9 * H)], 11 * H);
        assert_eq!((h.present_minutes, h.flags.len()), (120, 0));
    }

    #[test]
    fn an_overnight_activity() {
        let r = HoursRules {
            starts_at: 22 * H,
            ends_at: 30 * H, // 06:00 the next day
            granted_minutes: 480,
            min_share: DEFAULT_MIN_SHARE,
        };
        let h = compute(&r, &[scan(In, 22 * H), scan(Out, 29 * H)], 40 * H);
        assert_eq!(h.credited_minutes, 420);
    }

    #[test]
    fn several_sign_ins_in_a_day_add_up_and_repeats_count_once() {
        let scans = [
            scan(In, 9 * H),
            scan(In, 9 * H + 300), // scanned twice at the door
            scan(Out, 10 * H),
            scan(In, 10 * H + 1800),
            scan(Out, 12 * H),
        ];
        let h = compute(&rules(), &scans, 20 * H);
        assert_eq!(h.present_minutes, 150);
        assert_eq!(h.credited_minutes, 150);
    }

    #[test]
    fn device_clocks_hours_apart_are_corrected() {
        // Device A runs 2 h fast, device B 3 h slow; their skews were measured at push.
        let a_skew = -2 * H * 1000;
        let b_skew = 3 * H * 1000;
        let check_in = corrected((9 * H + 2 * H) * 1000, a_skew);
        let check_out = corrected((12 * H - 3 * H) * 1000, b_skew);
        let h = compute(
            &rules(),
            &[scan(In, check_in), scan(Out, check_out)],
            20 * H,
        );
        assert_eq!(h.credited_minutes, 180);
    }

    fn china(y: i32, m: u8, d: u8, h: u8) -> i64 {
        let date = time::Date::from_calendar_date(y, time::Month::try_from(m).unwrap(), d).unwrap();
        date.with_hms(h, 0, 0)
            .unwrap()
            .assume_offset(crate::moment::CHINA)
            .unix_timestamp()
    }

    #[test]
    fn the_notice_runs_three_working_days_after_the_day_it_ended() {
        // 2026-12-07 is a Monday: Tue, Wed, Thu posted; counted from Friday 00:00.
        let monday = china(2026, 12, 7, 17);
        assert_eq!(effective_at(monday, 3), china(2026, 12, 11, 0));
        // Ending on Friday: Mon, Tue, Wed; counted from Thursday.
        assert_eq!(
            effective_at(china(2026, 12, 11, 20), 3),
            china(2026, 12, 17, 0)
        );
        // On a Saturday or a Sunday: the same as Friday's.
        assert_eq!(
            effective_at(china(2026, 12, 12, 10), 3),
            china(2026, 12, 17, 0)
        );
        assert_eq!(
            effective_at(china(2026, 12, 13, 23), 3),
            china(2026, 12, 17, 0)
        );
        // Late at night China time is still that day (UTC says the day before).
        assert_eq!(
            effective_at(china(2026, 12, 8, 1), 1),
            china(2026, 12, 10, 0)
        );
        // One day from Thursday: Friday posted, counted from Saturday.
        assert_eq!(
            effective_at(china(2026, 12, 10, 12), 1),
            china(2026, 12, 12, 0)
        );
        // Off: at once, even before the end.
        assert_eq!(effective_at(monday, 0), monday);
        assert!(is_effective(monday, 0, monday - 3600));
        assert!(!is_effective(monday, 3, china(2026, 12, 10, 23)));
        assert!(is_effective(monday, 3, china(2026, 12, 11, 0)));
    }

    #[test]
    fn counted_until_is_the_last_end_already_counted() {
        // Friday 00:00: Monday's activities count, Tuesday's do not.
        let now = china(2026, 12, 11, 0);
        assert_eq!(counted_until(now, 3), china(2026, 12, 8, 0) - 1);
        assert_eq!(counted_until(now - 1, 3), china(2026, 12, 7, 0) - 1);
        assert_eq!(counted_until(now, 0), i64::MAX);
    }

    /// Property tests: native only (proptest's randomness does not build for wasm32).
    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn counted_until_agrees_with_effective_at(
                ends in 946_684_800i64..4_000_000_000,
                after in -40 * 86_400i64..60 * 86_400,
                days in 0u32..=MAX_NOTICE_DAYS,
            ) {
                let now = ends + after;
                prop_assert_eq!(is_effective(ends, days, now), ends <= counted_until(now, days));
                // Never before the end, and later ends never take effect sooner.
                prop_assert!(effective_at(ends, days) >= ends);
                prop_assert!(effective_at(ends + 3600, days) >= effective_at(ends, days));
                // Hours always take effect at midnight China time after a notice.
                if days > 0 {
                    prop_assert_eq!((effective_at(ends, days) + CHINA_OFFSET) % DAY, 0);
                }
            }

            #[test]
            fn credited_never_exceeds_the_window_or_the_grant(
                times in proptest::collection::vec((any::<bool>(), 0i64..(24 * H)), 0..12),
                granted in 0u32..400,
            ) {
                let r = HoursRules { granted_minutes: granted, ..rules() };
                let scans: Vec<Scan> = times.iter().map(|&(i, t)| scan(if i { In } else { Out }, t)).collect();
                let h = compute(&r, &scans, 30 * H);
                prop_assert!(h.present_minutes <= 180);
                prop_assert!(h.credited_minutes <= granted.min(h.present_minutes));
                // The order scans arrive in does not matter.
                let mut reversed = scans.clone();
                reversed.reverse();
                prop_assert_eq!(compute(&r, &reversed, 30 * H), h);
            }
        }
    }
}
