//! 入团 progress: what League admission asks of a young person each year, besides what only
//! people can judge (see `../shared/reference/domain-rules.md`, League admission): aged 14–28,
//! 20 volunteer hours this year and 8 class hours (学时) of League lessons (团课).
//!
//! 团课 class hours: an offering whose category is [`LESSON_CATEGORY`] credits, for each event
//! the person attended (an activity they checked in at, or a course lesson with a check-in),
//! one class hour per full 45 minutes of the event's scheduled length, and at least one.

use serde::{Deserialize, Serialize};

/// The youngest age for League admission.
pub const MIN_AGE: i32 = 14;
/// The oldest age for League admission.
pub const MAX_AGE: i32 = 28;
/// Volunteer hours a year, in minutes.
pub const VOLUNTEER_GOAL_MINUTES: u32 = 20 * 60;
/// League-lesson class hours (学时).
pub const CLASS_HOURS_GOAL: u32 = 8;
/// The category of offerings that are League lessons.
pub const LESSON_CATEGORY: &str = "团课";
/// One class hour (学时), in minutes.
pub const CLASS_HOUR_MINUTES: i64 = 45;

/// Whether someone born in `birth_year` is in the admission age range in `year`, counting age
/// as `year - birth_year` (only the year of birth is known).
pub fn in_age_range(birth_year: i32, year: i32) -> bool {
    (MIN_AGE..=MAX_AGE).contains(&(year - birth_year))
}

/// Class hours credited for attending one League-lesson event of this scheduled length
/// (seconds): one per full 45 minutes, at least one.
pub fn class_hours(length_seconds: i64) -> u32 {
    u32::try_from((length_seconds.max(0) / 60) / CLASS_HOUR_MINUTES)
        .unwrap_or(u32::MAX)
        .max(1)
}

/// Where someone stands for a year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Progress {
    /// Volunteer minutes this year that count (after their public notice).
    pub volunteer_minutes: u32,
    /// League-lesson class hours this year.
    pub class_hours: u32,
}

impl Progress {
    /// Volunteer minutes still missing.
    pub fn missing_minutes(&self) -> u32 {
        VOLUNTEER_GOAL_MINUTES.saturating_sub(self.volunteer_minutes)
    }

    /// Class hours still missing.
    pub fn missing_class_hours(&self) -> u32 {
        CLASS_HOURS_GOAL.saturating_sub(self.class_hours)
    }

    /// Both requirements met.
    pub fn meets_both(&self) -> bool {
        self.missing_minutes() == 0 && self.missing_class_hours() == 0
    }
}

/// One young person in the admin's list (`GET /api/v1/admin/league-progress?year=`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgressRow {
    /// The account.
    pub user_id: String,
    /// Their name.
    pub display_name: String,
    /// Their phone, masked.
    pub phone: String,
    /// Year of birth.
    pub birth_year: i32,
    /// Where they stand.
    pub progress: Progress,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_fourteen_to_twenty_eight() {
        assert!(!in_age_range(2013, 2026));
        assert!(in_age_range(2012, 2026));
        assert!(in_age_range(1998, 2026));
        assert!(!in_age_range(1997, 2026));
    }

    #[test]
    fn a_class_hour_is_forty_five_minutes_and_an_event_credits_one_at_least() {
        assert_eq!(class_hours(30 * 60), 1);
        assert_eq!(class_hours(45 * 60), 1);
        assert_eq!(class_hours(90 * 60), 2);
        assert_eq!(class_hours(3 * 3600), 4);
        assert_eq!(class_hours(-5), 1);
    }

    #[test]
    fn what_is_missing() {
        let p = Progress {
            volunteer_minutes: 17 * 60 + 30,
            class_hours: 9,
        };
        assert_eq!((p.missing_minutes(), p.missing_class_hours()), (150, 0));
        assert!(!p.meets_both());
        let p = Progress {
            volunteer_minutes: 1200,
            class_hours: 8,
        };
        assert!(p.meets_both());
    }
}
