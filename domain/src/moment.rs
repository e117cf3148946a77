//! Times from the wire, held to the range Qingtuan's rules and screens can handle.
//!
//! `time` panics when a moment is moved past its own range (year ±9999), so a scan dated 9999
//! once took down the server's export and the person's app. Every time that enters from the
//! wire is therefore parsed here and refused outside its range, and every conversion to China
//! time goes through [`in_china`], which cannot panic:
//! - schedules (offerings' starts, ends and sign-up windows) lie in 2000–2099 ([`is_schedule`]);
//! - Unix times in seconds or milliseconds (a device's clock, the server's) lie between 1970
//!   and 2099 ([`unix_s`], [`unix_ms`]): a phone whose clock was reset to 1970 still syncs;
//! - a scan, corrected to the server's clock, happened at most [`SCAN_PAST_MS`] before the
//!   server received it and at most [`SCAN_AHEAD_MS`] after ([`scan_time_ok`]).

use serde::{Deserialize, Deserializer, Serializer, de::Error as _};
use time::{OffsetDateTime, UtcOffset};

/// China Standard Time (UTC+8), in which every time is shown.
pub const CHINA: UtcOffset = match UtcOffset::from_hms(8, 0, 0) {
    Ok(o) => o,
    Err(_) => panic!("valid offset"),
};

/// 2000-01-01T00:00:00Z: the earliest schedule.
pub const EARLIEST_SCHEDULE: i64 = 946_684_800;
/// 2100-01-01T00:00:00Z: every time lies before it.
pub const LATEST: i64 = 4_102_444_800;
/// [`LATEST`] in milliseconds.
pub const LATEST_MS: i64 = LATEST * 1000;
/// How long before its arrival a scan may have happened: five years (an offline device found
/// in a drawer still counts; a date decades off does not).
pub const SCAN_PAST_MS: i64 = 5 * 366 * 86_400_000;
/// How far ahead of the server's clock a corrected scan may be: a day (clocks drift; a scan
/// from the future does not happen).
pub const SCAN_AHEAD_MS: i64 = 86_400_000;

/// `t` in China time; a moment that has no China time (the very end of `time`'s range) is
/// returned as it is instead of panicking.
pub fn in_china(t: OffsetDateTime) -> OffsetDateTime {
    t.checked_to_offset(CHINA).unwrap_or(t)
}

/// Whether `t` may be an offering's start, end or sign-up time: 2000–2099.
pub fn is_schedule(t: OffsetDateTime) -> bool {
    (EARLIEST_SCHEDULE..LATEST).contains(&t.unix_timestamp())
}

/// Whether `s` is a Unix time in seconds that Qingtuan handles: 1970–2099.
pub fn is_unix_s(s: i64) -> bool {
    (0..LATEST).contains(&s)
}

/// Whether `ms` is a Unix time in milliseconds that Qingtuan handles: 1970–2099.
pub fn is_unix_ms(ms: i64) -> bool {
    (0..LATEST_MS).contains(&ms)
}

/// Whether a scan, corrected to the server's clock (`corrected_ms`), may have happened by the
/// time the server received it (`now_ms`).
pub fn scan_time_ok(corrected_ms: i64, now_ms: i64) -> bool {
    corrected_ms >= now_ms.saturating_sub(SCAN_PAST_MS)
        && corrected_ms <= now_ms.saturating_add(SCAN_AHEAD_MS)
}

/// A Unix time in seconds as a moment, if Qingtuan handles it.
pub fn from_unix_s(s: i64) -> Option<OffsetDateTime> {
    is_unix_s(s)
        .then(|| OffsetDateTime::from_unix_timestamp(s).ok())
        .flatten()
}

/// A Unix time in milliseconds as a moment, if Qingtuan handles it.
pub fn from_unix_ms(ms: i64) -> Option<OffsetDateTime> {
    is_unix_ms(ms)
        .then(|| OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok())
        .flatten()
}

const OUT_OF_RANGE: &str = "time out of range (1970–2099; schedules 2000–2099)";

/// Serde for schedules as RFC 3339 (`2026-12-03T09:00:00+08:00`), refused outside
/// 2000–2099: `#[serde(with = "moment::rfc3339")]`.
pub mod rfc3339 {
    use super::*;

    /// Writes `t` as RFC 3339.
    pub fn serialize<S: Serializer>(t: &OffsetDateTime, s: S) -> Result<S::Ok, S::Error> {
        time::serde::rfc3339::serialize(t, s)
    }

    /// Reads RFC 3339 and refuses a time outside 2000–2099.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<OffsetDateTime, D::Error> {
        let t = time::serde::rfc3339::deserialize(d)?;
        if is_schedule(t) {
            Ok(t)
        } else {
            Err(D::Error::custom(OUT_OF_RANGE))
        }
    }

    /// The same for an optional time (`null` or missing: none).
    pub mod option {
        use super::*;

        /// Writes `t` as RFC 3339, or `null`.
        pub fn serialize<S: Serializer>(
            t: &Option<OffsetDateTime>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            time::serde::rfc3339::option::serialize(t, s)
        }

        /// Reads RFC 3339 or `null`, refusing a time outside 2000–2099.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<OffsetDateTime>, D::Error> {
            match time::serde::rfc3339::option::deserialize(d)? {
                Some(t) if !is_schedule(t) => Err(D::Error::custom(OUT_OF_RANGE)),
                t => Ok(t),
            }
        }
    }
}

/// Reads a Unix time in seconds, refused outside 1970–2099:
/// `#[serde(deserialize_with = "moment::unix_s")]`.
pub fn unix_s<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    let s = i64::deserialize(d)?;
    if is_unix_s(s) {
        Ok(s)
    } else {
        Err(D::Error::custom(OUT_OF_RANGE))
    }
}

/// [`unix_s`] for an optional time.
pub fn unix_s_option<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    match Option::<i64>::deserialize(d)? {
        Some(s) if !is_unix_s(s) => Err(D::Error::custom(OUT_OF_RANGE)),
        s => Ok(s),
    }
}

/// Reads a Unix time in milliseconds, refused outside 1970–2099:
/// `#[serde(deserialize_with = "moment::unix_ms")]`.
pub fn unix_ms<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    let ms = i64::deserialize(d)?;
    if is_unix_ms(ms) {
        Ok(ms)
    } else {
        Err(D::Error::custom(OUT_OF_RANGE))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn the_last_moment_time_knows_has_no_china_time_and_does_not_panic() {
        let end = datetime!(9999-12-31 23:59:59 UTC);
        assert_eq!(in_china(end), end);
        let t = datetime!(2026-12-03 01:00 UTC);
        assert_eq!(in_china(t).hour(), 9);
        assert_eq!(in_china(t).offset(), CHINA);
    }

    #[test]
    fn schedules_lie_in_this_century() {
        assert!(is_schedule(datetime!(2000-01-01 00:00 UTC)));
        assert!(is_schedule(datetime!(2099-12-31 23:59:59 UTC)));
        assert!(!is_schedule(datetime!(1999-12-31 23:59:59 UTC)));
        assert!(!is_schedule(datetime!(2100-01-01 00:00 UTC)));
        assert!(!is_schedule(datetime!(9999-12-31 00:00 UTC)));
    }

    #[test]
    fn wire_times_out_of_range_do_not_parse() {
        #[derive(serde::Deserialize, Debug)]
        struct T {
            #[serde(with = "super::rfc3339")]
            at: OffsetDateTime,
            #[serde(default, with = "super::rfc3339::option")]
            maybe: Option<OffsetDateTime>,
            #[serde(deserialize_with = "unix_ms")]
            ms: i64,
            #[serde(default, deserialize_with = "unix_s_option")]
            s: Option<i64>,
        }
        let read = |json: &str| serde_json::from_str::<T>(json);
        let ok = read(r#"{"at":"2026-12-03T09:00:00+08:00","ms":0,"s":1764720000}"#).unwrap();
        assert_eq!((ok.at.unix_timestamp(), ok.ms), (1_796_259_600, 0));
        assert_eq!((ok.maybe, ok.s), (None, Some(1_764_720_000)));
        for bad in [
            r#"{"at":"9999-12-31T23:59:59Z","ms":0}"#,
            r#"{"at":"1999-12-31T23:59:59Z","ms":0}"#,
            r#"{"at":"2026-12-03T09:00:00Z","maybe":"2100-01-01T00:00:00Z","ms":0}"#,
            r#"{"at":"2026-12-03T09:00:00Z","ms":253402300000000}"#,
            r#"{"at":"2026-12-03T09:00:00Z","ms":-1}"#,
            r#"{"at":"2026-12-03T09:00:00Z","ms":0,"s":253402300000}"#,
        ] {
            let e = read(bad).unwrap_err().to_string();
            assert!(e.contains("out of range"), "{bad}: {e}");
        }
    }

    #[test]
    fn unix_times_convert_only_within_range() {
        assert_eq!(from_unix_s(0), Some(OffsetDateTime::UNIX_EPOCH));
        assert_eq!(from_unix_s(LATEST), None);
        assert_eq!(from_unix_s(-1), None);
        assert_eq!(from_unix_ms(253_402_300_000_000), None);
        assert_eq!(
            from_unix_ms(1_764_720_000_123).map(OffsetDateTime::unix_timestamp),
            Some(1_764_720_000)
        );
    }

    #[test]
    fn a_scan_may_be_years_old_but_not_from_the_future() {
        let now = 1_764_720_000_000;
        assert!(scan_time_ok(now, now));
        assert!(scan_time_ok(now - 4 * 365 * 86_400_000, now));
        assert!(scan_time_ok(now + 3_600_000, now));
        assert!(!scan_time_ok(now - 6 * 366 * 86_400_000, now));
        assert!(!scan_time_ok(now + 2 * 86_400_000, now));
        assert!(!scan_time_ok(i64::MAX, now));
        assert!(!scan_time_ok(i64::MIN, now));
    }
}
