//! The list screens' filters (date, category, venue, places left). Pure, so they work offline on
//! whatever the device synced and are tested natively.

use crate::format;
use domain::Offering;
use time::{Date, Duration, Weekday};

/// Which days to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateFilter {
    /// Any day.
    #[default]
    Any,
    /// Today.
    Today,
    /// From today to this Sunday.
    ThisWeek,
    /// The coming Saturday and Sunday (today included when it is the weekend).
    Weekend,
    /// Days chosen by hand (either end may be open).
    Range {
        /// First day.
        from: Option<Date>,
        /// Last day.
        to: Option<Date>,
    },
}

impl DateFilter {
    /// The first and last day shown (inclusive), in China time; `None` for any day.
    pub fn days(self, today: Date) -> Option<(Date, Date)> {
        let until_sunday = i64::from(6 - today.weekday().number_days_from_monday());
        match self {
            Self::Any => None,
            Self::Today => Some((today, today)),
            Self::ThisWeek => Some((today, today + Duration::days(until_sunday))),
            Self::Weekend => {
                let sunday = today + Duration::days(until_sunday);
                let saturday = sunday - Duration::days(1);
                Some((saturday.max(today), sunday))
            }
            Self::Range { from, to } => {
                if from.is_none() && to.is_none() {
                    return None;
                }
                Some((from.unwrap_or(Date::MIN), to.unwrap_or(Date::MAX)))
            }
        }
    }
}

/// Everything the list can be filtered by.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListFilter {
    /// Which days.
    pub date: DateFilter,
    /// One category (河小青 …).
    pub category: Option<String>,
    /// One venue id.
    pub venue: Option<String>,
    /// Only offerings with a place left.
    pub seats_only: bool,
}

impl ListFilter {
    /// Whether `o` passes; `today` is today's date in China.
    pub fn matches(&self, o: &Offering, today: Date) -> bool {
        if let Some((from, to)) = self.date.days(today) {
            let starts = format::in_china(o.starts_at()).date();
            let ends = format::in_china(o.ends_at()).date().max(starts);
            if starts > to || ends < from {
                return false;
            }
        }
        self.category.as_ref().is_none_or(|c| *c == o.plan.category)
            && self.venue.as_ref().is_none_or(|v| *v == o.plan.venue_id)
            && (!self.seats_only || o.total().seats_left() > 0)
    }

    /// Nothing chosen: everything shows.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// `2026-12-05` from a date input, or `None` when empty or malformed.
pub fn parse_date(s: &str) -> Option<Date> {
    // By hand rather than through `time`'s format descriptions: this is the only parse of that
    // kind the main build needs, and the parser behind them is ~12 KB of wasm.
    let mut parts = s.trim().split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    if parts.next().is_some() || !digits(y, 4) || !digits(m, 2) || !digits(d, 2) {
        return None;
    }
    let month = time::Month::try_from(m.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok()
}

/// A date as a date input shows it.
pub fn date_value(d: Option<Date>) -> String {
    d.map(|d| format!("{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day()))
        .unwrap_or_default()
}

/// Whether `d` is a Saturday or Sunday.
pub fn is_weekend(d: Date) -> bool {
    matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    /// 2026-12-02 is a Wednesday.
    const WED: Date = date!(2026 - 12 - 02);

    fn offering(
        id: &str,
        start: &str,
        end: &str,
        venue: &str,
        category: &str,
        left: u32,
    ) -> Offering {
        crate::test_offering::from_flat(serde_json::json!({
            "id": id, "kind": "activity", "title": id, "summary": "", "category": category,
            "venue_id": venue, "starts_at": start, "ends_at": end, "sessions": 1,
            "capacity": 10, "seats_taken": 10 - left,
            "signup_closes_at": "2026-12-01T20:00:00+08:00", "volunteer_hours": 2
        }))
    }

    fn list() -> Vec<Offering> {
        vec![
            offering(
                "wed",
                "2026-12-02T09:00:00+08:00",
                "2026-12-02T11:00:00+08:00",
                "v1",
                "河小青",
                3,
            ),
            offering(
                "sat",
                "2026-12-05T09:00:00+08:00",
                "2026-12-05T11:00:00+08:00",
                "v2",
                "垃圾分类",
                0,
            ),
            // Starts late on Sunday in China: Saturday evening in UTC.
            offering(
                "sun-late",
                "2026-12-06T23:30:00+08:00",
                "2026-12-07T01:00:00+08:00",
                "v1",
                "河小青",
                1,
            ),
            offering(
                "next-week",
                "2026-12-09T09:00:00+08:00",
                "2026-12-09T11:00:00+08:00",
                "v2",
                "河小青",
                5,
            ),
        ]
    }

    fn ids(f: &ListFilter, today: Date) -> Vec<String> {
        list()
            .into_iter()
            .filter(|o| f.matches(o, today))
            .map(|o| o.id)
            .collect()
    }

    fn dates(f: DateFilter) -> ListFilter {
        ListFilter {
            date: f,
            ..ListFilter::default()
        }
    }

    #[test]
    fn date_filters_use_china_days() {
        assert_eq!(ids(&dates(DateFilter::Any), WED).len(), 4);
        assert_eq!(ids(&dates(DateFilter::Today), WED), ["wed"]);
        assert_eq!(
            ids(&dates(DateFilter::ThisWeek), WED),
            ["wed", "sat", "sun-late"]
        );
        assert_eq!(ids(&dates(DateFilter::Weekend), WED), ["sat", "sun-late"]);
        // On Sunday, the weekend is today only; this week ends today.
        let sunday = date!(2026 - 12 - 06);
        assert_eq!(DateFilter::Weekend.days(sunday), Some((sunday, sunday)));
        assert_eq!(DateFilter::ThisWeek.days(sunday), Some((sunday, sunday)));
        // On Saturday, the weekend starts today.
        let saturday = date!(2026 - 12 - 05);
        assert_eq!(DateFilter::Weekend.days(saturday), Some((saturday, sunday)));
    }

    #[test]
    fn a_range_may_be_open_at_either_end() {
        let from = DateFilter::Range {
            from: Some(date!(2026 - 12 - 06)),
            to: None,
        };
        assert_eq!(ids(&dates(from), WED), ["sun-late", "next-week"]);
        let to = DateFilter::Range {
            from: None,
            to: Some(date!(2026 - 12 - 05)),
        };
        assert_eq!(ids(&dates(to), WED), ["wed", "sat"]);
        // An activity running past midnight belongs to both days.
        let monday = DateFilter::Range {
            from: Some(date!(2026 - 12 - 07)),
            to: Some(date!(2026 - 12 - 07)),
        };
        assert_eq!(ids(&dates(monday), WED), ["sun-late"]);
        assert_eq!(
            DateFilter::Range {
                from: None,
                to: None
            }
            .days(WED),
            None
        );
    }

    #[test]
    fn category_venue_and_places_combine() {
        let f = ListFilter {
            category: Some("河小青".into()),
            venue: Some("v1".into()),
            ..ListFilter::default()
        };
        assert_eq!(ids(&f, WED), ["wed", "sun-late"]);
        let f = ListFilter {
            seats_only: true,
            ..ListFilter::default()
        };
        assert_eq!(ids(&f, WED), ["wed", "sun-late", "next-week"]);
        let f = ListFilter {
            seats_only: true,
            date: DateFilter::Weekend,
            ..ListFilter::default()
        };
        assert_eq!(ids(&f, WED), ["sun-late"]);
        assert!(ListFilter::default().is_empty());
        assert!(!f.is_empty());
    }

    #[test]
    fn date_inputs_round_trip() {
        assert_eq!(parse_date("2026-12-05"), Some(date!(2026 - 12 - 05)));
        assert_eq!(parse_date(""), None);
        assert_eq!(parse_date("2026-13-01"), None);
        assert_eq!(parse_date(" 2026-02-28 "), Some(date!(2026 - 02 - 28)));
        for bad in [
            "2026-02-29",
            "2026-2-05",
            "26-12-05",
            "2026-12-05-01",
            "2026/12/05",
            "2026-12-+5",
            "２０２６-12-05",
            "2026-00-10",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        assert_eq!(date_value(Some(date!(2026 - 01 - 05))), "2026-01-05");
        assert_eq!(date_value(None), "");
        assert!(is_weekend(date!(2026 - 12 - 05)) && !is_weekend(WED));
    }
}
