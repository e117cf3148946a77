//! Activities (活动): volunteer service, talks, competitions. Places first come (optionally
//! after review), a waitlist, check-in and check-out, and volunteer hours from the scans
//! (the rules are in [`crate::hours`]).

use crate::plan::{Plan, Problems};
use serde::{Deserialize, Serialize};

/// What only an activity has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityRules {
    /// Volunteer hours granted for full attendance (the cap on credited hours).
    pub volunteer_hours: Option<u32>,
    /// The planned total of service hours (for honour hours and reports).
    pub planned_hours: Option<u32>,
    /// Below this share of the activity's length, in percent, no hours are credited.
    pub min_share_percent: u8,
}

impl Default for ActivityRules {
    fn default() -> Self {
        Self {
            volunteer_hours: None,
            planned_hours: None,
            min_share_percent: default_min_share(),
        }
    }
}

/// Yunnan's rule, the strictest seen: 60 % of the activity.
pub(crate) fn default_min_share() -> u8 {
    60
}

impl ActivityRules {
    /// Checks what only an activity has.
    pub fn check(&self, plan: &Plan, problems: &mut Problems) {
        plan.check_one_pool(problems);
        plan.check_one_day_or_a_week(problems);
        if self.volunteer_hours.is_some_and(|h| h > 24 * 7) {
            problems.push("volunteer_hours", "out_of_range");
        }
        if self.planned_hours.is_some_and(|h| h > 100_000) {
            problems.push("planned_hours", "out_of_range");
        }
        if self.min_share_percent > 100 {
            problems.push("min_share_percent", "out_of_range");
        }
    }
}
