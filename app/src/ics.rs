//! Calendar files (`.ics`, RFC 5545) for confirmed registrations: reminders without a push
//! service. The phone's calendar app imports the event and its alarm one day before.

use time::OffsetDateTime;

/// One event to export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEvent<'a> {
    /// A stable id (the registration's), so importing twice updates rather than duplicates.
    pub uid: &'a str,
    /// The title.
    pub summary: &'a str,
    /// Where.
    pub location: &'a str,
    /// A longer text.
    pub description: &'a str,
    /// Start.
    pub starts_at: OffsetDateTime,
    /// End.
    pub ends_at: OffsetDateTime,
}

/// `20261205T010000Z`: a UTC date-time as iCalendar writes it.
pub fn utc_stamp(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        t.month() as u8,
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Escapes a TEXT value: backslash, semicolon and comma are escaped, line breaks become `\n`.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets (never inside a UTF-8 character), continuation lines
/// starting with a space, each line ended by CRLF.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        // The first line holds 75 octets; a continuation holds 74 after its leading space.
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
    out
}

/// The calendar file: one VEVENT with its times in UTC and a display alarm one day before.
pub fn calendar(event: &CalendarEvent<'_>, now: OffsetDateTime) -> String {
    let summary = escape_text(event.summary);
    let lines = [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Qingtuan//Qingtuan//ZH".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        "BEGIN:VEVENT".to_owned(),
        format!("UID:{}@qingtuan", escape_text(event.uid)),
        format!("DTSTAMP:{}", utc_stamp(now)),
        format!("DTSTART:{}", utc_stamp(event.starts_at)),
        format!("DTEND:{}", utc_stamp(event.ends_at)),
        format!("SUMMARY:{summary}"),
        format!("LOCATION:{}", escape_text(event.location)),
        format!("DESCRIPTION:{}", escape_text(event.description)),
        "BEGIN:VALARM".to_owned(),
        "ACTION:DISPLAY".to_owned(),
        format!("DESCRIPTION:{summary}"),
        "TRIGGER:-P1D".to_owned(),
        "END:VALARM".to_owned(),
        "END:VEVENT".to_owned(),
        "END:VCALENDAR".to_owned(),
    ];
    lines.iter().map(|l| fold(l)).collect()
}

/// The file name for a registration's calendar file.
pub fn file_name(registration_id: &str) -> String {
    let short: String = registration_id.chars().take(8).collect();
    format!("qingtuan-{short}.ics")
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn event() -> CalendarEvent<'static> {
        CalendarEvent {
            uid: "6f1c3a52-8a8e-4f43-9c55-3f0f4c2f9b11",
            summary: "河小青·湘江护河巡查",
            location: "湘江风光带志愿服务站, 杜甫江阁北侧",
            description: "带好手套;注意安全\n集合后点名",
            starts_at: datetime!(2026-12-05 09:00 +8),
            ends_at: datetime!(2026-12-05 11:30 +8),
        }
    }

    #[test]
    fn times_are_written_in_utc() {
        assert_eq!(
            utc_stamp(datetime!(2026-12-05 09:00 +8)),
            "20261205T010000Z"
        );
        // Just after midnight in China is the previous day in UTC.
        assert_eq!(
            utc_stamp(datetime!(2026-01-01 00:30 +8)),
            "20251231T163000Z"
        );
    }

    #[test]
    fn text_values_are_escaped() {
        assert_eq!(escape_text(r"a\b"), r"a\\b");
        assert_eq!(escape_text("a;b,c"), r"a\;b\,c");
        assert_eq!(escape_text("one\r\ntwo\nthree"), r"one\ntwo\nthree");
        assert_eq!(escape_text("bell\u{7}"), "bell");
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let line = format!("SUMMARY:{}", "青".repeat(40));
        let folded = fold(&line);
        for part in folded.split("\r\n").filter(|p| !p.is_empty()) {
            assert!(part.len() <= 75, "{} octets: {part}", part.len());
        }
        // Unfolding gives the line back.
        assert_eq!(folded.replace("\r\n ", "").trim_end(), line);
        assert_eq!(fold("SHORT"), "SHORT\r\n");
    }

    #[test]
    fn the_calendar_has_one_event_with_an_alarm_a_day_before() {
        let ics = calendar(&event(), datetime!(2026-11-22 03:00 UTC));
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(ics.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
        let unfolded = ics.replace("\r\n ", "");
        for line in [
            "UID:6f1c3a52-8a8e-4f43-9c55-3f0f4c2f9b11@qingtuan",
            "DTSTAMP:20261122T030000Z",
            "DTSTART:20261205T010000Z",
            "DTEND:20261205T033000Z",
            "SUMMARY:河小青·湘江护河巡查",
            r"LOCATION:湘江风光带志愿服务站\, 杜甫江阁北侧",
            r"DESCRIPTION:带好手套\;注意安全\n集合后点名",
            "TRIGGER:-P1D",
            "ACTION:DISPLAY",
        ] {
            assert!(
                unfolded.contains(&format!("{line}\r\n")),
                "missing {line} in\n{ics}"
            );
        }
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1);
        assert_eq!(ics.matches("BEGIN:VALARM").count(), 1);
        // Every line ends with CRLF, none with a bare LF.
        assert!(!ics.replace("\r\n", "").contains('\n'));
    }

    #[test]
    fn the_file_is_named_after_the_registration() {
        assert_eq!(file_name("6f1c3a52-8a8e"), "qingtuan-6f1c3a52.ics");
    }
}
