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
}

/// A year's ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ledger {
    /// The year (China time).
    pub year: i32,
    /// Activities with hours or an attendance, oldest first.
    pub entries: Vec<LedgerEntry>,
    /// The year's credited minutes.
    pub total_minutes: u32,
}

impl Ledger {
    /// The share of the yearly goal reached, 0–100.
    pub fn goal_percent(&self) -> u32 {
        (u64::from(self.total_minutes) * 100 / u64::from(YEARLY_GOAL_MINUTES)).min(100) as u32
    }
}

fn entry(r: &RegistrationView, offerings: &[Offering]) -> Option<LedgerEntry> {
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
    })
}

/// The ledger for `year`: activities that started that year (China time).
pub fn ledger(regs: &[RegistrationView], offerings: &[Offering], year: i32) -> Ledger {
    let mut entries: Vec<LedgerEntry> = regs
        .iter()
        .filter_map(|r| entry(r, offerings))
        .filter(|e| format::in_china(e.date).year() == year)
        .collect();
    domain::sort::sort_by(&mut entries, |a, b| {
        a.date
            .cmp(&b.date)
            .then_with(|| a.registration_id.cmp(&b.registration_id))
    });
    let total_minutes = entries.iter().map(|e| e.minutes).sum();
    Ledger {
        year,
        entries,
        total_minutes,
    }
}

/// Years with a record, and `current`, newest first.
pub fn years(regs: &[RegistrationView], offerings: &[Offering], current: i32) -> Vec<i32> {
    let mut years: Vec<i32> = regs
        .iter()
        .filter_map(|r| entry(r, offerings))
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
        let l = ledger(&regs, &offerings, 2026);
        assert_eq!(
            l.entries
                .iter()
                .map(|e| e.offering_id.as_str())
                .collect::<Vec<_>>(),
            ["a", "c"]
        );
        assert_eq!(l.total_minutes, 270);
        assert_eq!(l.goal_percent(), 22);
        assert_eq!(ledger(&regs, &offerings, 2027).total_minutes, 90);
        assert_eq!(years(&regs, &offerings, 2026), [2027, 2026]);
        assert_eq!(years(&[], &offerings, 2026), [2026]);
    }

    #[test]
    fn attended_without_hours_still_shows_and_unknown_offerings_use_the_check_in() {
        let mut below = reg("r1", "a", 0, Some(1_780_000_000));
        below.hours_flags = vec!["below_minimum_share".into()];
        let l = ledger(&[below], &[], 2026);
        assert_eq!(l.entries.len(), 1);
        assert_eq!(l.entries[0].title, None);
        assert_eq!(l.total_minutes, 0);
    }

    #[test]
    fn the_goal_is_capped_at_a_hundred_percent() {
        let offerings = [offering("a", "2026-03-01T09:00:00+08:00")];
        let l = ledger(&[reg("r1", "a", 30 * 60, Some(1))], &offerings, 2026);
        assert_eq!(l.goal_percent(), 100);
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
