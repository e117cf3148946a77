//! Dates and times as people in the district read them (China time, +08:00).

use crate::i18n::Lang;
pub use domain::moment::{CHINA, in_china};
use time::{OffsetDateTime, Weekday};

fn weekday(lang: Lang, d: Weekday) -> &'static str {
    let i = d.number_days_from_monday() as usize;
    match lang {
        Lang::Zh => ["周一", "周二", "周三", "周四", "周五", "周六", "周日"][i],
        Lang::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][i],
    }
}

fn month_en(m: time::Month) -> &'static str {
    [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][m as usize - 1]
}

/// `12月3日 周四 09:00` / `Thu 3 Dec 09:00`, in China time.
pub fn date_time(lang: Lang, t: OffsetDateTime) -> String {
    let t = in_china(t);
    match lang {
        Lang::Zh => format!(
            "{}月{}日 {} {:02}:{:02}",
            t.month() as u8,
            t.day(),
            weekday(lang, t.weekday()),
            t.hour(),
            t.minute()
        ),
        Lang::En => format!(
            "{} {} {} {:02}:{:02}",
            weekday(lang, t.weekday()),
            t.day(),
            month_en(t.month()),
            t.hour(),
            t.minute()
        ),
    }
}

/// `09:00–11:30`: a start and end on the same day; a different end day is shown in full.
pub fn time_range(lang: Lang, start: OffsetDateTime, end: OffsetDateTime) -> String {
    let (s, e) = (in_china(start), in_china(end));
    if s.date() == e.date() {
        format!("{}–{:02}:{:02}", date_time(lang, s), e.hour(), e.minute())
    } else {
        format!("{} – {}", date_time(lang, s), date_time(lang, e))
    }
}

/// The time now (the browser's clock in wasm).
pub fn now() -> OffsetDateTime {
    #[cfg(target_arch = "wasm32")]
    {
        let ms = js_sys::Date::now();
        OffsetDateTime::from_unix_timestamp_nanos((ms as i128) * 1_000_000)
            .unwrap_or(OffsetDateTime::UNIX_EPOCH)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        OffsetDateTime::now_utc()
    }
}

/// This year in China, for the age rules of sign-up.
pub fn current_year() -> i32 {
    in_china(now()).year()
}

/// `HH:MM` in China time.
pub fn clock(t: OffsetDateTime) -> String {
    let t = in_china(t);
    format!("{:02}:{:02}", t.hour(), t.minute())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn shows_china_time_in_both_languages() {
        // 01:00 UTC is 09:00 in China.
        let t = datetime!(2026-12-03 01:00 UTC);
        assert_eq!(date_time(Lang::Zh, t), "12月3日 周四 09:00");
        assert_eq!(date_time(Lang::En, t), "Thu 3 Dec 09:00");
        assert_eq!(clock(t), "09:00");
    }

    #[test]
    fn ranges_on_one_day_show_the_end_time_only() {
        let s = datetime!(2026-12-03 09:00 +8);
        let e = datetime!(2026-12-03 11:30 +8);
        assert_eq!(time_range(Lang::Zh, s, e), "12月3日 周四 09:00–11:30");
        let next = datetime!(2026-12-04 10:00 +8);
        assert_eq!(
            time_range(Lang::En, s, next),
            "Thu 3 Dec 09:00 – Fri 4 Dec 10:00"
        );
    }

    #[test]
    fn the_last_moments_time_knows_are_shown_without_panicking() {
        // Past 23:59:59.999 on 9999-12-31 in China time, converting panics inside `time`.
        let end = datetime!(9999-12-31 23:59:59 UTC);
        let start = datetime!(-9999-01-01 00:00 UTC);
        for lang in [Lang::Zh, Lang::En] {
            assert!(!date_time(lang, end).is_empty());
            assert!(!time_range(lang, start, end).is_empty());
        }
        assert_eq!(clock(end), "23:59");
    }
}
