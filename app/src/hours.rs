//! 我的志愿时长: the ledger of credited hours per activity and the year's total against the 20
//! hours a year League membership expects. Pure, from the person's synced registrations.

use crate::{
    format,
    i18n::{Lang, Msg},
};
use domain::Offering;
use engine::view::RegistrationView;
use time::OffsetDateTime;

/// Hours a year a registered volunteer is expected to serve (《中国注册志愿者管理办法》).
pub const YEARLY_GOAL_MINUTES: u32 = 20 * 60;

/// One activity in the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerEntry {
    /// The registration.
    pub registration_id: String,
    /// The offering.
    pub offering_id: String,
    /// Its title, if the device has the offering.
    pub title: Option<String>,
    /// When it took place (the offering's start, else the check-in).
    pub date: OffsetDateTime,
    /// Minutes credited.
    pub minutes: u32,
    /// Flags on the hours (`auto_closed` …).
    pub flags: Vec<String>,
    /// In its public notice (公示中) until then: not counted yet.
    pub pending_until: Option<OffsetDateTime>,
}

/// A year's ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ledger {
    /// The year (China time).
    pub year: i32,
    /// Activities with hours or an attendance, oldest first.
    pub entries: Vec<LedgerEntry>,
    /// The year's credited minutes in effect (after their public notice).
    pub total_minutes: u32,
    /// The year's credited minutes still in their public notice.
    pub pending_minutes: u32,
}

impl Ledger {
    /// The share of the yearly goal reached, 0–100.
    pub fn goal_percent(&self) -> u32 {
        (u64::from(self.total_minutes) * 100 / u64::from(YEARLY_GOAL_MINUTES)).min(100) as u32
    }
}

fn entry(r: &RegistrationView, offerings: &[Offering], now: i64) -> Option<LedgerEntry> {
    let attended = r.credited_minutes > 0 || r.checked_in_at.is_some() || !r.hours_flags.is_empty();
    if !attended {
        return None;
    }
    let offering = offerings.iter().find(|o| o.id == r.offering_id);
    let date = offering.map(|o| o.starts_at()).or_else(|| {
        r.checked_in_at
            .and_then(|t| OffsetDateTime::from_unix_timestamp(t).ok())
    })?;
    Some(LedgerEntry {
        registration_id: r.id.clone(),
        offering_id: r.offering_id.clone(),
        title: offering.map(|o| o.plan.title.clone()),
        date,
        minutes: r.credited_minutes,
        flags: r.hours_flags.clone(),
        pending_until: r
            .hours_effective_at
            .filter(|&t| t > now)
            .and_then(|t| OffsetDateTime::from_unix_timestamp(t).ok()),
    })
}

/// The ledger for `year` at `now` (Unix seconds): activities that started that year (China
/// time); hours still in their public notice are shown apart and not counted.
pub fn ledger(regs: &[RegistrationView], offerings: &[Offering], year: i32, now: i64) -> Ledger {
    let mut entries: Vec<LedgerEntry> = regs
        .iter()
        .filter_map(|r| entry(r, offerings, now))
        .filter(|e| format::in_china(e.date).year() == year)
        .collect();
    domain::sort::sort_by(&mut entries, |a, b| {
        a.date
            .cmp(&b.date)
            .then_with(|| a.registration_id.cmp(&b.registration_id))
    });
    let total_minutes = entries
        .iter()
        .filter(|e| e.pending_until.is_none())
        .map(|e| e.minutes)
        .sum();
    let pending_minutes = entries
        .iter()
        .filter(|e| e.pending_until.is_some())
        .map(|e| e.minutes)
        .sum();
    Ledger {
        year,
        entries,
        total_minutes,
        pending_minutes,
    }
}

/// An activity whose hours the person may ask to have corrected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correctable {
    /// The registration.
    pub registration_id: String,
    /// The activity's title, if the device has it.
    pub title: Option<String>,
    /// Minutes credited now.
    pub minutes: u32,
}

/// What the person may ask to correct in `year` at `now`: the ledger's activities, and every
/// activity with volunteer hours that has ended where they held a confirmed place but nothing
/// was recorded (a missed scan is the commonest reason to ask), by date. The server checks the
/// same (`hours.request`: their own, an activity with hours, over, confirmed).
pub fn correctable(
    regs: &[RegistrationView],
    offerings: &[Offering],
    year: i32,
    now: i64,
) -> Vec<Correctable> {
    let mut out: Vec<(OffsetDateTime, Correctable)> = ledger(regs, offerings, year, now)
        .entries
        .into_iter()
        .map(|e| {
            (
                e.date,
                Correctable {
                    registration_id: e.registration_id,
                    title: e.title,
                    minutes: e.minutes,
                },
            )
        })
        .collect();
    for r in regs {
        if r.status != domain::registration::RegistrationStatus::Confirmed
            || out.iter().any(|(_, c)| c.registration_id == r.id)
        {
            continue;
        }
        let Some(o) = offerings.iter().find(|o| o.id == r.offering_id) else {
            continue;
        };
        let with_hours = matches!(
            &o.plan.programme,
            domain::Programme::Activity(a) if a.volunteer_hours.is_some()
        );
        if with_hours
            && o.ends_at().unix_timestamp() <= now
            && format::in_china(o.starts_at()).year() == year
        {
            out.push((
                o.starts_at(),
                Correctable {
                    registration_id: r.id.clone(),
                    title: Some(o.plan.title.clone()),
                    minutes: r.credited_minutes,
                },
            ));
        }
    }
    domain::sort::sort_by(&mut out, |a, b| {
        a.0.cmp(&b.0)
            .then_with(|| a.1.registration_id.cmp(&b.1.registration_id))
    });
    out.into_iter().map(|(_, c)| c).collect()
}

/// 入团 progress for `year` at `now` from the person's synced registrations: the year's
/// volunteer minutes in effect, and League-lesson (团课) class hours of the events attended
/// that year (`domain::league::class_hours`, as the server counts them).
pub fn league_progress(
    regs: &[RegistrationView],
    offerings: &[Offering],
    year: i32,
    now: i64,
) -> domain::league::Progress {
    let volunteer_minutes = ledger(regs, offerings, year, now).total_minutes;
    let mut class_hours = 0u32;
    let in_year = |t: OffsetDateTime| format::in_china(t).year() == year;
    for r in regs {
        let Some(o) = offerings.iter().find(|o| o.id == r.offering_id) else {
            continue;
        };
        if o.plan.category != domain::league::LESSON_CATEGORY {
            continue;
        }
        let length = |a: OffsetDateTime, b: OffsetDateTime| (b - a).whole_seconds();
        match o.plan.programme.course() {
            Some(course) => {
                for n in &r.course.lessons_attended {
                    if let Some(l) = course.lessons.get((*n as usize).wrapping_sub(1))
                        && in_year(l.starts_at)
                    {
                        class_hours += domain::league::class_hours(length(l.starts_at, l.ends_at));
                    }
                }
            }
            None if r.checked_in_at.is_some() && in_year(o.plan.starts_at) => {
                class_hours +=
                    domain::league::class_hours(length(o.plan.starts_at, o.plan.ends_at));
            }
            None => {}
        }
    }
    domain::league::Progress {
        volunteer_minutes,
        class_hours,
    }
}

/// Years with a record, and `current`, newest first.
pub fn years(regs: &[RegistrationView], offerings: &[Offering], current: i32) -> Vec<i32> {
    let mut years: Vec<i32> = regs
        .iter()
        .filter_map(|r| entry(r, offerings, 0))
        .map(|e| format::in_china(e.date).year())
        .chain([current])
        .collect();
    domain::sort::sort_by(&mut years, |a, b| b.cmp(a));
    years.dedup();
    years
}

/// `2 小时`, `1 小时 59 分钟`, `45 分钟`.
pub fn duration(lang: Lang, minutes: u32) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    match (h, m) {
        (0, m) => Msg::DurationMinutes.fill(lang, &[&m.to_string()]),
        (h, 0) => Msg::DurationHours.fill(lang, &[&h.to_string()]),
        (h, m) => Msg::DurationHoursMinutes.fill(lang, &[&h.to_string(), &m.to_string()]),
    }
}

/// A flag on the hours in words.
pub fn flag(lang: Lang, flag: &str) -> &'static str {
    match flag {
        "auto_closed" => Msg::FlagAutoClosed,
        "below_minimum_share" => Msg::FlagBelowShare,
        "out_without_in" => Msg::FlagOutWithoutIn,
        "corrected" => Msg::FlagCorrected,
        _ => Msg::FlagOther,
    }
    .text(lang)
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::registration::RegistrationStatus;

    fn offering(id: &str, start: &str) -> Offering {
        crate::test_offering::from_flat(serde_json::json!({
            "id": id, "kind": "activity", "title": format!("活动{id}"), "summary": "",
            "category": "河小青", "venue_id": "v1", "starts_at": start,
            "ends_at": "2027-01-01T11:00:00+08:00", "sessions": 1, "capacity": 10,
            "seats_taken": 0, "signup_closes_at": "2025-12-01T20:00:00+08:00",
            "volunteer_hours": 2
        }))
    }

    fn reg(id: &str, offering: &str, minutes: u32, checked_in: Option<i64>) -> RegistrationView {
        RegistrationView {
            id: id.into(),
            offering_id: offering.into(),
            status: RegistrationStatus::Confirmed,
            waitlist_position: None,
            reject_reason: None,
            pending: false,
            predicted: None,
            created_at: 0,
            note: None,
            ticket: None,
            checked_in_at: checked_in,
            credited_minutes: minutes,
            hours_flags: vec![],
            hours_effective_at: None,
            course: Default::default(),
            mixer: Default::default(),
        }
    }

    #[test]
    fn a_missed_scan_at_an_ended_activity_can_be_corrected_but_not_one_to_come() {
        let mut ended = offering("ended", "2026-03-01T09:00:00+08:00");
        let mut coming = offering("coming", "2026-03-08T09:00:00+08:00");
        let t = |s: &str| {
            time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).unwrap()
        };
        ended.plan.ends_at = t("2026-03-01T11:00:00+08:00");
        coming.plan.ends_at = t("2026-03-08T11:00:00+08:00");
        let now = t("2026-03-05T12:00:00+08:00").unix_timestamp();
        let mut waiting = reg("w", "ended", 0, None);
        waiting.status = RegistrationStatus::Waitlisted;
        let regs = [
            reg("missed", "ended", 0, None),
            reg("later", "coming", 0, None),
            waiting,
        ];
        let offerings = [ended, coming];
        // Nothing was recorded: not in the ledger, but the person may still ask.
        assert!(ledger(&regs, &offerings, 2026, now).entries.is_empty());
        let can = correctable(&regs, &offerings, 2026, now);
        assert_eq!(
            can.iter()
                .map(|c| c.registration_id.as_str())
                .collect::<Vec<_>>(),
            ["missed"]
        );
        assert_eq!(can[0].title.as_deref(), Some("活动ended"));
        assert!(correctable(&regs, &offerings, 2025, now).is_empty());
    }

    #[test]
    fn the_ledger_counts_a_year_by_the_activitys_start_in_china() {
        let offerings = [
            offering("a", "2026-03-01T09:00:00+08:00"),
            // 2027-01-01 00:30 in China is still 2026 in UTC: it counts for 2027.
            offering("b", "2027-01-01T00:30:00+08:00"),
            offering("c", "2026-12-05T09:00:00+08:00"),
            offering("never", "2026-06-01T09:00:00+08:00"),
        ];
        let regs = [
            reg("r1", "a", 120, Some(1)),
            reg("r2", "b", 90, Some(1)),
            reg("r3", "c", 150, Some(1)),
            reg("r4", "never", 0, None),
        ];
        let l = ledger(&regs, &offerings, 2026, 0);
        assert_eq!(
            l.entries
                .iter()
                .map(|e| e.offering_id.as_str())
                .collect::<Vec<_>>(),
            ["a", "c"]
        );
        assert_eq!(l.total_minutes, 270);
        assert_eq!(l.goal_percent(), 22);
        assert_eq!(ledger(&regs, &offerings, 2027, 0).total_minutes, 90);
        assert_eq!(years(&regs, &offerings, 2026), [2027, 2026]);
        assert_eq!(years(&[], &offerings, 2026), [2026]);
    }

    #[test]
    fn attended_without_hours_still_shows_and_unknown_offerings_use_the_check_in() {
        let mut below = reg("r1", "a", 0, Some(1_780_000_000));
        below.hours_flags = vec!["below_minimum_share".into()];
        let l = ledger(&[below], &[], 2026, 0);
        assert_eq!(l.entries.len(), 1);
        assert_eq!(l.entries[0].title, None);
        assert_eq!(l.total_minutes, 0);
    }

    #[test]
    fn the_goal_is_capped_at_a_hundred_percent() {
        let offerings = [offering("a", "2026-03-01T09:00:00+08:00")];
        let l = ledger(&[reg("r1", "a", 30 * 60, Some(1))], &offerings, 2026, 0);
        assert_eq!(l.goal_percent(), 100);
    }

    #[test]
    fn hours_in_their_public_notice_show_apart_and_do_not_count_yet() {
        let offerings = [
            offering("a", "2026-03-01T09:00:00+08:00"),
            offering("c", "2026-12-05T09:00:00+08:00"),
        ];
        let mut posted = reg("r3", "c", 150, Some(1));
        posted.hours_effective_at = Some(1_800_000_000);
        let regs = [reg("r1", "a", 120, Some(1)), posted];
        let l = ledger(&regs, &offerings, 2026, 1_799_999_999);
        assert_eq!((l.total_minutes, l.pending_minutes), (120, 150));
        assert_eq!(
            l.entries[1].pending_until.map(|t| t.unix_timestamp()),
            Some(1_800_000_000)
        );
        let l = ledger(&regs, &offerings, 2026, 1_800_000_000);
        assert_eq!((l.total_minutes, l.pending_minutes), (270, 0));
        assert!(l.entries.iter().all(|e| e.pending_until.is_none()));
    }

    #[test]
    fn league_progress_counts_hours_in_effect_and_league_lessons_attended() {
        let mut lesson = offering("t", "2026-05-01T09:00:00+08:00");
        lesson.plan.category = "团课".into();
        lesson.plan.ends_at = lesson.plan.starts_at + time::Duration::minutes(90);
        let offerings = [offering("a", "2026-03-01T09:00:00+08:00"), lesson];
        let mut posted = reg("r2", "a", 60, Some(1));
        posted.hours_effective_at = Some(2_000_000_000);
        let regs = [
            reg("r1", "a", 120, Some(1)),
            posted,
            reg("r3", "t", 0, Some(1)),
        ];
        let p = league_progress(&regs, &offerings, 2026, 1_900_000_000);
        assert_eq!((p.volunteer_minutes, p.class_hours), (120, 2));
        assert_eq!((p.missing_minutes(), p.missing_class_hours()), (1080, 6));
        // Not attended: no class hours.
        let p = league_progress(&[reg("r3", "t", 0, None)], &offerings, 2026, 0);
        assert_eq!(p.class_hours, 0);
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(Lang::Zh, 120), "2 小时");
        assert_eq!(duration(Lang::Zh, 119), "1 小时 59 分钟");
        assert_eq!(duration(Lang::Zh, 45), "45 分钟");
        assert_eq!(duration(Lang::En, 0), "0 min");
        assert_eq!(duration(Lang::En, 125), "2 h 5 min");
        assert_eq!(flag(Lang::Zh, "auto_closed"), "未签退，按活动结束时间计");
    }
}
