//! What the committee's numbers mean: one definition, used by the dashboard, the year-end
//! report and the exports (see `docs/product.md`, "What the numbers mean").
//!
//! [`count`] is the definition written out over plain facts (an offering, a registration and
//! what it attended). The server counts the same with SQL for speed; its integration test loads
//! the facts from the rows and checks the server's figures against [`count`].

use crate::OfferingKind;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use time::{Date, Month, OffsetDateTime, Time, UtcOffset};

/// The longest period the dashboard reads.
pub const MAX_YEARS: i32 = 5;

/// China's clock, which days and months are counted in.
const CHINA: UtcOffset = match UtcOffset::from_hms(8, 0, 0) {
    Ok(o) => o,
    Err(_) => UtcOffset::UTC,
};

/// Whole days in China time, `from` to `to` inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Period {
    /// The first day.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    #[serde(with = "ymd")]
    pub from: Date,
    /// The last day.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    #[serde(with = "ymd")]
    pub to: Date,
}

/// A day on the wire as `YYYY-MM-DD`, as the API's description says (found by schemathesis:
/// `time`'s own form is `[year, day of the year]`); that older form is still read.
mod ymd {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};
    use time::{Date, Month};

    pub fn serialize<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&format_args!(
            "{:04}-{:02}-{:02}",
            d.year(),
            u8::from(d.month()),
            d.day()
        ))
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Wire {
        Text(String),
        Ordinal(i32, u16),
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        match Wire::deserialize(d)? {
            Wire::Text(s) => {
                let mut parts = s.splitn(3, '-');
                let mut next = || parts.next().and_then(|p| p.parse::<i32>().ok());
                let (Some(y), Some(m), Some(day)) = (next(), next(), next()) else {
                    return Err(D::Error::custom("a day is YYYY-MM-DD"));
                };
                let month = u8::try_from(m)
                    .ok()
                    .and_then(|m| Month::try_from(m).ok())
                    .ok_or_else(|| D::Error::custom("no such month"))?;
                let day = u8::try_from(day).map_err(D::Error::custom)?;
                Date::from_calendar_date(y, month, day).map_err(D::Error::custom)
            }
            Wire::Ordinal(y, o) => Date::from_ordinal_date(y, o).map_err(D::Error::custom),
        }
    }
}

/// Why a period is refused (the field and its code, as forms show them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodError {
    /// A date that does not read as `YYYY-MM-DD`.
    Unreadable(&'static str),
    /// It ends before it starts.
    EndsBeforeStart,
    /// It spans more than [`MAX_YEARS`].
    TooLong,
}

fn date(s: &str) -> Option<Date> {
    let mut parts = s.trim().splitn(3, '-');
    let y: i32 = parts.next()?.parse().ok()?;
    let m: u8 = parts.next()?.parse().ok()?;
    let d: u8 = parts.next()?.parse().ok()?;
    if !(2000..=2100).contains(&y) {
        return None;
    }
    Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok()
}

impl Period {
    /// A period from two `YYYY-MM-DD` dates.
    pub fn parse(from: &str, to: &str) -> Result<Self, PeriodError> {
        let from = date(from).ok_or(PeriodError::Unreadable("from"))?;
        let to = date(to).ok_or(PeriodError::Unreadable("to"))?;
        Self::new(from, to)
    }

    /// A period of `from`–`to`, checked.
    pub fn new(from: Date, to: Date) -> Result<Self, PeriodError> {
        if to < from {
            return Err(PeriodError::EndsBeforeStart);
        }
        let limit = from
            .replace_year(from.year() + MAX_YEARS)
            .unwrap_or(Date::MAX);
        if to >= limit {
            return Err(PeriodError::TooLong);
        }
        Ok(Self { from, to })
    }

    /// A calendar year.
    pub fn year(year: i32) -> Self {
        let from = Date::from_calendar_date(year, Month::January, 1).unwrap_or(Date::MIN);
        let to = Date::from_calendar_date(year, Month::December, 31).unwrap_or(Date::MIN);
        Self { from, to }
    }

    /// Unix seconds `[start, end)`: from the first day's midnight to the day after the last, in
    /// China time.
    pub fn bounds(&self) -> (i64, i64) {
        let at = |d: Date| {
            d.with_time(Time::MIDNIGHT)
                .assume_offset(CHINA)
                .unix_timestamp()
        };
        (at(self.from), at(self.to.next_day().unwrap_or(self.to)))
    }

    /// Whether the moment `t` (Unix seconds) falls in it.
    pub fn contains(&self, t: i64) -> bool {
        let (a, b) = self.bounds();
        (a..b).contains(&t)
    }

    /// Its months, `(year, month)`, in order.
    pub fn months(&self) -> Vec<(i32, u8)> {
        let mut out = Vec::new();
        let (mut y, mut m) = (self.from.year(), self.from.month() as u8);
        while (y, m) <= (self.to.year(), self.to.month() as u8) {
            out.push((y, m));
            (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        }
        out
    }
}

/// The month (China time) of a moment, `(year, month)`.
pub fn month_of(t: i64) -> (i32, u8) {
    let d = OffsetDateTime::from_unix_timestamp(t)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .to_offset(CHINA);
    (d.year(), d.month() as u8)
}

/// Which offerings count: a kind, a venue, a category (none: all).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Filter {
    /// Only this kind.
    #[serde(default)]
    pub kind: Option<OfferingKind>,
    /// Only this venue.
    #[serde(default)]
    pub venue_id: Option<String>,
    /// Only this category.
    #[serde(default)]
    pub category: Option<String>,
}

/// An offering, as the numbers read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferingFact {
    /// Id.
    pub id: String,
    /// Kind.
    pub kind: OfferingKind,
    /// Venue.
    pub venue_id: String,
    /// Category.
    pub category: String,
    /// Starts (Unix seconds; a course's first lesson).
    pub starts_at: i64,
    /// Ends (a course's last lesson).
    pub ends_at: i64,
    /// Called off.
    pub cancelled: bool,
    /// Places in all (every pool).
    pub capacity: u32,
    /// Given by draw.
    pub lottery: bool,
    /// A course's lessons: number and start.
    pub lessons: Vec<(u32, i64)>,
    /// A mixer's pairs matched.
    pub pairs: u32,
}

impl OfferingFact {
    fn passes(&self, f: &Filter) -> bool {
        f.kind.is_none_or(|k| k == self.kind)
            && f.venue_id.as_ref().is_none_or(|v| *v == self.venue_id)
            && f.category.as_ref().is_none_or(|c| *c == self.category)
    }

    /// The events it held in the period by `now`: `None` for an activity's or a mixer's one
    /// event, a lesson's number for a course's; each with its start.
    fn events(&self, p: &Period, now: i64) -> Vec<(Option<u32>, i64)> {
        if self.cancelled {
            return Vec::new();
        }
        let held = |t: i64| p.contains(t) && t <= now;
        match self.kind {
            OfferingKind::Course => self
                .lessons
                .iter()
                .filter(|(_, t)| held(*t))
                .map(|(n, t)| (Some(*n), *t))
                .collect(),
            _ if held(self.starts_at) => vec![(None, self.starts_at)],
            _ => Vec::new(),
        }
    }
}

/// A registration, as the numbers read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationFact {
    /// The offering.
    pub offering_id: String,
    /// Who: the account, or the registration itself for a walk-in without one.
    pub person: String,
    /// Holds a confirmed place.
    pub confirmed: bool,
    /// Applied for a course's draw.
    pub applied: bool,
    /// What it attended: `None` for an activity's or a mixer's event (checked in at least
    /// once), a lesson's number for a course.
    pub attended: Vec<Option<u32>>,
    /// Volunteer minutes credited.
    pub credited_minutes: u32,
    /// A course's attendance reached its completion threshold.
    pub completed: bool,
    /// A course's rating (1–5).
    pub stars: Option<u8>,
}

/// A ratio kept as its two counts (`0 / 0` when there is nothing to count).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ratio {
    /// Counted.
    pub num: u64,
    /// Out of.
    pub den: u64,
}

impl Ratio {
    /// As a number, if there is anything to count.
    pub fn value(self) -> Option<f64> {
        (self.den > 0).then(|| self.num as f64 / self.den as f64)
    }
}

/// The figures of a period (or of one month, venue or category in it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Figures {
    /// 场次: activities and mixers that took place, and course lessons that took place.
    pub events: u64,
    /// 人次: one per person per event attended.
    pub attendances: u64,
    /// 人: distinct people with an attendance.
    pub people: u64,
    /// Volunteer minutes credited for activities held.
    pub volunteer_minutes: u64,
    /// Confirmed places at activities and mixers held with no check-in, of confirmed places.
    pub no_show: Ratio,
    /// Applications for courses given by draw (starting in the period), of their places.
    pub applicants_per_place: Ratio,
    /// Learners who reached the threshold, of learners confirmed, for courses ended in the
    /// period.
    pub completion: Ratio,
    /// Mutual matches at mixers held.
    pub pairs: u64,
    /// Stars given, of ratings, for courses starting in the period.
    pub rating: Ratio,
}

/// One row of a table: a month, a venue or a category, and its figures.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Row {
    /// `2026-03`, a venue's id, a category.
    pub key: String,
    /// Its figures.
    pub figures: Figures,
}

/// The dashboard: the period's figures, month by month, by venue and by category.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dashboard {
    /// The period read.
    pub period: Option<Period>,
    /// Its figures.
    pub total: Figures,
    /// Month by month, every month of the period.
    pub months: Vec<Row>,
    /// By venue, those with any event.
    pub venues: Vec<Row>,
    /// By category, those with any event.
    pub categories: Vec<Row>,
}

/// A programme in the year-end report's top lists. Described as `ReportProgramme`: the name
/// `Programme` is the programme rules' ([`crate::programme::Programme`]), and two schemas of one
/// name would be one in the API's description (found by schemathesis: the report's rows were
/// checked against the rules' `oneOf`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ReportProgramme))]
pub struct Programme {
    /// The offering.
    pub offering_id: String,
    /// Its title.
    pub title: String,
    /// Its kind.
    pub kind: OfferingKind,
    /// Its venue.
    pub venue_id: String,
    /// Its category.
    pub category: String,
    /// 人次 in the year (as [`Figures::attendances`]).
    pub attendances: u64,
    /// Its rating (as [`Figures::rating`]; courses only).
    pub rating: Ratio,
}

/// How many programmes each of the report's top lists holds.
pub const TOP: usize = 10;

/// The year-end report (年度工作报告): the year's dashboard, its figures by programme kind, the
/// venues' names, and the top programmes by attendance and by rating.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Report {
    /// The year (China time).
    pub year: i32,
    /// The year's dashboard, unfiltered.
    pub dashboard: Dashboard,
    /// By kind (`activity`, `course`, `mixer`), each kind in [`OfferingKind::ALL`]'s order.
    pub kinds: Vec<Row>,
    /// Venue id to its name, for every venue in the dashboard's rows.
    pub venue_names: BTreeMap<String, String>,
    /// The [`TOP`] programmes with the most 人次 (ties by title), those with any.
    pub top_attendance: Vec<Programme>,
    /// The [`TOP`] courses with the best average rating (ties by more ratings, then title),
    /// those with any rating.
    pub top_rating: Vec<Programme>,
}

impl Ratio {
    /// Whether `self` is a strictly higher average than `other` (exactly, by cross products).
    fn above(self, other: Ratio) -> bool {
        u128::from(self.num) * u128::from(other.den) > u128::from(other.num) * u128::from(self.den)
    }
}

/// Each offering's own figures in the period by `now` (every offering with any event or
/// rating in it): what the top lists rank, by the definition of [`count`].
pub fn by_programme(
    period: &Period,
    now: i64,
    notice_days: u32,
    offerings: &[OfferingFact],
    registrations: &[RegistrationFact],
) -> BTreeMap<String, Figures> {
    let mut regs: BTreeMap<&str, Vec<RegistrationFact>> = BTreeMap::new();
    for r in registrations {
        regs.entry(r.offering_id.as_str())
            .or_default()
            .push(r.clone());
    }
    offerings
        .iter()
        .filter_map(|o| {
            let mine = regs.get(o.id.as_str()).map_or(&[][..], Vec::as_slice);
            let f = count(
                period,
                &Filter::default(),
                now,
                notice_days,
                std::slice::from_ref(o),
                mine,
            )
            .total;
            (f.events > 0 || f.rating.den > 0).then(|| (o.id.clone(), f))
        })
        .collect()
}

/// The report's two top lists from every programme's figures: the [`TOP`] with the most 人次
/// (ties by title, then id), those with any; and the [`TOP`] courses with the best average
/// rating (ties by more ratings, then title, then id), those with any rating.
pub fn top(programmes: &[Programme]) -> (Vec<Programme>, Vec<Programme>) {
    let mut by_attendance: Vec<Programme> = programmes
        .iter()
        .filter(|p| p.attendances > 0)
        .cloned()
        .collect();
    by_attendance.sort_by(|a, b| {
        b.attendances
            .cmp(&a.attendances)
            .then_with(|| a.title.cmp(&b.title))
            .then_with(|| a.offering_id.cmp(&b.offering_id))
    });
    by_attendance.truncate(TOP);
    let mut by_rating: Vec<Programme> = programmes
        .iter()
        .filter(|p| p.kind == OfferingKind::Course && p.rating.den > 0)
        .cloned()
        .collect();
    by_rating.sort_by(|a, b| {
        let higher = |x: &Programme, y: &Programme| x.rating.above(y.rating);
        (if higher(b, a) {
            std::cmp::Ordering::Greater
        } else if higher(a, b) {
            std::cmp::Ordering::Less
        } else {
            std::cmp::Ordering::Equal
        })
        .then_with(|| b.rating.den.cmp(&a.rating.den))
        .then_with(|| a.title.cmp(&b.title))
        .then_with(|| a.offering_id.cmp(&b.offering_id))
    });
    by_rating.truncate(TOP);
    (by_attendance, by_rating)
}

/// Counts the figures of `offerings` in the period by `now`, their registrations and scans
/// given as `registrations`: the definition of every number. Volunteer hours count once their
/// public notice of `notice_days` working days is over (`hours::is_effective`; 0: at once).
pub fn count(
    period: &Period,
    filter: &Filter,
    now: i64,
    notice_days: u32,
    offerings: &[OfferingFact],
    registrations: &[RegistrationFact],
) -> Dashboard {
    let chosen: BTreeMap<&str, &OfferingFact> = offerings
        .iter()
        .filter(|o| o.passes(filter))
        .map(|o| (o.id.as_str(), o))
        .collect();
    let mut by_offering: BTreeMap<&str, Vec<&RegistrationFact>> = BTreeMap::new();
    for r in registrations {
        if chosen.contains_key(r.offering_id.as_str()) {
            by_offering
                .entry(r.offering_id.as_str())
                .or_default()
                .push(r);
        }
    }
    // Every figure, computed for the offerings `keep` lets through and the events in `when`.
    let figures = |keep: &dyn Fn(&OfferingFact) -> bool, when: &dyn Fn(i64) -> bool| {
        let mut f = Figures::default();
        let mut people = BTreeSet::new();
        for o in chosen.values().filter(|o| keep(o)) {
            let regs = by_offering
                .get(o.id.as_str())
                .map_or(&[][..], Vec::as_slice);
            let events: Vec<(Option<u32>, i64)> = o
                .events(period, now)
                .into_iter()
                .filter(|(_, t)| when(*t))
                .collect();
            f.events += events.len() as u64;
            let mut seen = BTreeSet::new();
            for r in regs {
                for e in &r.attended {
                    if events.iter().any(|(n, _)| n == e) && seen.insert((&r.person, *e)) {
                        f.attendances += 1;
                        people.insert(r.person.as_str());
                    }
                }
            }
            let held = !events.is_empty();
            match o.kind {
                OfferingKind::Activity | OfferingKind::Mixer if held => {
                    for r in regs.iter().filter(|r| r.confirmed) {
                        f.no_show.den += 1;
                        f.no_show.num += u64::from(r.attended.is_empty());
                    }
                    // Hours count once their public notice is over (公示, `hours::effective_at`).
                    if o.kind == OfferingKind::Activity
                        && crate::hours::is_effective(o.ends_at, notice_days, now)
                    {
                        f.volunteer_minutes += regs
                            .iter()
                            .map(|r| u64::from(r.credited_minutes))
                            .sum::<u64>();
                    } else {
                        f.pairs += u64::from(o.pairs);
                    }
                }
                OfferingKind::Course => {
                    let starts = !o.cancelled && period.contains(o.starts_at) && when(o.starts_at);
                    if starts && o.lottery {
                        f.applicants_per_place.num +=
                            regs.iter().filter(|r| r.applied).count() as u64;
                        f.applicants_per_place.den += u64::from(o.capacity);
                    }
                    if starts {
                        for s in regs.iter().filter_map(|r| r.stars) {
                            f.rating.num += u64::from(s);
                            f.rating.den += 1;
                        }
                    }
                    let ended = !o.cancelled
                        && period.contains(o.ends_at)
                        && o.ends_at <= now
                        && when(o.ends_at);
                    if ended {
                        for r in regs.iter().filter(|r| r.confirmed) {
                            f.completion.den += 1;
                            f.completion.num += u64::from(r.completed);
                        }
                    }
                }
                _ => {}
            }
        }
        f.people = people.len() as u64;
        f
    };
    let all = |_: &OfferingFact| true;
    let any_time = |_: i64| true;
    let total = figures(&all, &any_time);
    let months = period
        .months()
        .into_iter()
        .map(|(y, m)| Row {
            key: format!("{y}-{m:02}"),
            figures: figures(&all, &move |t| month_of(t) == (y, m)),
        })
        .collect();
    let mut venues: BTreeSet<&str> = BTreeSet::new();
    let mut categories: BTreeSet<&str> = BTreeSet::new();
    for o in chosen.values() {
        if !o.events(period, now).is_empty() {
            venues.insert(&o.venue_id);
            categories.insert(&o.category);
        }
    }
    let venues = venues
        .into_iter()
        .map(|v| Row {
            key: v.to_owned(),
            figures: figures(&|o: &OfferingFact| o.venue_id == v, &any_time),
        })
        .collect();
    let categories = categories
        .into_iter()
        .map(|c| Row {
            key: c.to_owned(),
            figures: figures(&|o: &OfferingFact| o.category == c, &any_time),
        })
        .collect();
    Dashboard {
        period: Some(*period),
        total,
        months,
        venues,
        categories,
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_period_goes_out_as_dates_and_reads_back_older_answers_too() {
        let p = Period::parse("2026-01-01", "2026-12-31").unwrap();
        let wire = serde_json::to_value(p).unwrap();
        assert_eq!(
            wire,
            serde_json::json!({ "from": "2026-01-01", "to": "2026-12-31" })
        );
        assert_eq!(serde_json::from_value::<Period>(wire).unwrap(), p);
        let older = serde_json::json!({ "from": [2026, 1], "to": [2026, 365] });
        assert_eq!(serde_json::from_value::<Period>(older).unwrap(), p);
        let bad = serde_json::json!({ "from": "2026-13-01", "to": "2026-12-31" });
        assert!(serde_json::from_value::<Period>(bad).is_err());
    }

    use super::*;
    use time::macros::{date, datetime};

    fn t(d: OffsetDateTime) -> i64 {
        d.unix_timestamp()
    }

    #[test]
    fn periods_are_whole_china_days_and_refuse_nonsense() {
        let p = Period::parse("2026-01-01", "2026-12-31").unwrap();
        assert_eq!(p, Period::year(2026));
        let (a, b) = p.bounds();
        assert_eq!(a, t(datetime!(2026-01-01 00:00 +8)));
        assert_eq!(b, t(datetime!(2027-01-01 00:00 +8)));
        assert!(p.contains(t(datetime!(2026-12-31 23:59 +8))));
        assert!(!p.contains(t(datetime!(2026-12-31 16:00 UTC))));
        assert_eq!(p.months().len(), 12);
        assert_eq!(
            Period::parse("2026-03-01", "2026-02-01"),
            Err(PeriodError::EndsBeforeStart)
        );
        assert_eq!(
            Period::parse("2020-01-01", "2025-01-01"),
            Err(PeriodError::TooLong)
        );
        assert!(Period::parse("2020-01-01", "2024-12-31").is_ok());
        for bad in ["", "2026-13-01", "2026-02-30", "26-01-01", "1999-01-01"] {
            assert_eq!(
                Period::parse(bad, "2026-12-31"),
                Err(PeriodError::Unreadable("from")),
                "{bad}"
            );
        }
        let q = Period::new(date!(2026 - 11 - 15), date!(2027 - 02 - 01)).unwrap();
        assert_eq!(q.months(), [(2026, 11), (2026, 12), (2027, 1), (2027, 2)]);
    }

    fn offering(id: &str, kind: OfferingKind, starts: OffsetDateTime) -> OfferingFact {
        OfferingFact {
            id: id.into(),
            kind,
            venue_id: "v1".into(),
            category: "环保".into(),
            starts_at: t(starts),
            ends_at: t(starts) + 7200,
            cancelled: false,
            capacity: 10,
            lottery: false,
            lessons: Vec::new(),
            pairs: 0,
        }
    }

    fn reg(offering: &str, person: &str, attended: Vec<Option<u32>>) -> RegistrationFact {
        RegistrationFact {
            offering_id: offering.into(),
            person: person.into(),
            confirmed: true,
            applied: false,
            attended,
            credited_minutes: 0,
            completed: false,
            stars: None,
        }
    }

    #[test]
    fn the_figures_follow_their_definitions() {
        let year = Period::year(2026);
        let now = t(datetime!(2026-12-01 12:00 +8));
        let mut course = offering("c", OfferingKind::Course, datetime!(2026-03-03 19:00 +8));
        course.lottery = true;
        course.capacity = 2;
        course.lessons = vec![
            (1, t(datetime!(2026-03-03 19:00 +8))),
            (2, t(datetime!(2026-04-07 19:00 +8))),
            // Not held yet: not an event.
            (3, t(datetime!(2026-12-20 19:00 +8))),
        ];
        course.ends_at = t(datetime!(2026-12-20 21:00 +8));
        let mut mixer = offering("m", OfferingKind::Mixer, datetime!(2026-04-18 14:00 +8));
        mixer.pairs = 3;
        let mut cancelled = offering("x", OfferingKind::Activity, datetime!(2026-05-01 09:00 +8));
        cancelled.cancelled = true;
        let last_year = offering(
            "old",
            OfferingKind::Activity,
            datetime!(2025-12-31 15:00 +8),
        );
        let offerings = vec![
            offering("a", OfferingKind::Activity, datetime!(2026-03-20 09:00 +8)),
            course,
            mixer,
            cancelled,
            last_year,
        ];
        let mut a1 = reg("a", "u1", vec![None]);
        a1.credited_minutes = 120;
        let no_show = reg("a", "u2", vec![]);
        let mut learner = reg("c", "u1", vec![Some(1), Some(2)]);
        learner.applied = true;
        learner.stars = Some(4);
        let mut other = reg("c", "u3", vec![Some(1), Some(1)]);
        other.applied = true;
        let mut loser = reg("c", "u4", vec![]);
        loser.applied = true;
        loser.confirmed = false;
        let registrations = vec![
            a1,
            no_show,
            learner,
            other,
            loser,
            reg("m", "u3", vec![None]),
            reg("old", "u9", vec![None]),
            reg("x", "u8", vec![None]),
        ];
        let d = count(
            &year,
            &Filter::default(),
            now,
            3,
            &offerings,
            &registrations,
        );
        let f = &d.total;
        // a, the mixer, and two lessons held.
        assert_eq!(f.events, 4);
        // u1 at a; u1 at lessons 1 and 2; u3 at lesson 1 (twice scanned, once); u3 at the mixer.
        assert_eq!(f.attendances, 5);
        assert_eq!(f.people, 2);
        assert_eq!(f.volunteer_minutes, 120);
        assert_eq!(f.no_show, Ratio { num: 1, den: 3 });
        assert_eq!(f.applicants_per_place, Ratio { num: 3, den: 2 });
        assert_eq!(f.rating, Ratio { num: 4, den: 1 });
        // The course has not ended: no completion yet.
        assert_eq!(f.completion, Ratio::default());
        assert_eq!(f.pairs, 3);
        let march = &d.months[2];
        assert_eq!(march.key, "2026-03");
        assert_eq!((march.figures.events, march.figures.attendances), (2, 3));
        assert_eq!(d.months[3].figures.events, 2);
        assert_eq!(d.venues.len(), 1);
        assert_eq!(d.categories[0].figures, d.total);
        // A filter by kind keeps only that kind.
        let courses = Filter {
            kind: Some(OfferingKind::Course),
            ..Filter::default()
        };
        let c = count(&year, &courses, now, 3, &offerings, &registrations).total;
        assert_eq!((c.events, c.attendances, c.people), (2, 3, 2));
        assert_eq!(c.volunteer_minutes, 0);
    }

    fn programme(
        id: &str,
        title: &str,
        kind: OfferingKind,
        att: u64,
        rating: (u64, u64),
    ) -> Programme {
        Programme {
            offering_id: id.into(),
            title: title.into(),
            kind,
            venue_id: "v1".into(),
            category: "书法".into(),
            attendances: att,
            rating: Ratio {
                num: rating.0,
                den: rating.1,
            },
        }
    }

    #[test]
    fn the_top_lists_rank_by_attendance_and_by_average_rating() {
        use OfferingKind::{Activity, Course};
        let mut all = vec![
            programme("a", "B活动", Activity, 30, (0, 0)),
            programme("b", "A活动", Activity, 30, (0, 0)),
            programme("c", "丙", Course, 50, (9, 2)),
            programme("d", "丁", Course, 0, (5, 1)),
            programme("e", "戊", Course, 10, (18, 4)),
            programme("f", "己", Activity, 0, (0, 0)),
        ];
        let (att, rating) = top(&all);
        let ids = |v: &[Programme]| v.iter().map(|p| p.offering_id.clone()).collect::<Vec<_>>();
        // Most 人次 first, ties by title; none without any.
        assert_eq!(ids(&att), ["c", "b", "a", "e"]);
        // 5.0, then 4.5 with 4 ratings before 4.5 with 2; activities never.
        assert_eq!(ids(&rating), ["d", "e", "c"]);
        for i in 0..20 {
            all.push(programme(&format!("z{i:02}"), "多", Activity, 100, (0, 0)));
        }
        let (att, _) = top(&all);
        assert_eq!(att.len(), TOP);
        assert!(att.iter().all(|p| p.attendances == 100));
    }

    #[test]
    fn each_programmes_figures_are_its_own_count() {
        let year = Period::year(2026);
        let now = t(datetime!(2026-12-01 12:00 +8));
        let offerings = vec![
            offering("a", OfferingKind::Activity, datetime!(2026-03-20 09:00 +8)),
            offering("b", OfferingKind::Activity, datetime!(2026-05-20 09:00 +8)),
            offering(
                "later",
                OfferingKind::Activity,
                datetime!(2026-12-20 09:00 +8),
            ),
        ];
        let registrations = vec![
            reg("a", "u1", vec![None]),
            reg("a", "u2", vec![None]),
            reg("b", "u1", vec![None]),
        ];
        let each = by_programme(&year, now, 0, &offerings, &registrations);
        assert_eq!(each.len(), 2, "{each:?}");
        assert_eq!(each["a"].attendances, 2);
        assert_eq!(each["b"].attendances, 1);
    }

    #[test]
    fn volunteer_hours_count_once_their_notice_is_over() {
        let year = Period::year(2026);
        // Monday 2026-12-07, 09:00–11:00: posted Tue–Thu, counted from Friday 00:00.
        let a = offering("a", OfferingKind::Activity, datetime!(2026-12-07 09:00 +8));
        let mut r = reg("a", "u1", vec![None]);
        r.credited_minutes = 90;
        let minutes = |now: OffsetDateTime, days: u32| {
            count(
                &year,
                &Filter::default(),
                t(now),
                days,
                std::slice::from_ref(&a),
                std::slice::from_ref(&r),
            )
            .total
            .volunteer_minutes
        };
        assert_eq!(minutes(datetime!(2026-12-10 23:59 +8), 3), 0);
        assert_eq!(minutes(datetime!(2026-12-11 00:00 +8), 3), 90);
        // No notice: as they are credited, while it runs too.
        assert_eq!(minutes(datetime!(2026-12-07 10:00 +8), 0), 90);
    }
}
