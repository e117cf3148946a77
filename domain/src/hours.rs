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

    /// Property tests: native only (proptest's randomness does not build for wasm32).
    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
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
