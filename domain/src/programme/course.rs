//! Night-school courses (青年夜校): a series of lessons; places by an application window and a
//! draw anyone can check, then a confirmation within a deadline; attendance per lesson; a
//! certificate above an attendance threshold; ratings.

use crate::plan::{Plan, Problems};
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

/// The most lessons one course has.
pub const MAX_LESSONS: usize = 50;

/// One lesson.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lesson {
    /// Its start.
    #[serde(with = "crate::moment::rfc3339")]
    pub starts_at: OffsetDateTime,
    /// Its end.
    #[serde(with = "crate::moment::rfc3339")]
    pub ends_at: OffsetDateTime,
}

/// Who is drawn first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Priority {
    /// Applicants who took no course in the last term, then everyone else.
    #[default]
    NewLearnersFirst,
    /// Everyone in one tier.
    None,
}

impl Priority {
    /// Every value.
    pub const ALL: [Self; 2] = [Self::NewLearnersFirst, Self::None];

    /// The name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NewLearnersFirst => "new_learners_first",
            Self::None => "none",
        }
    }
}

crate::serde_by_name! {
    Priority => "new_learners_first or none",
}

/// What only a course has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseRules {
    /// The term, e.g. 2026 秋季 (the per-term limit counts within it).
    pub term: String,
    /// Who teaches.
    pub teacher: String,
    /// Every lesson, in order.
    pub lessons: Vec<Lesson>,
    /// Hours a winner has to confirm.
    pub confirm_hours: u32,
    /// The share of lessons attended, in percent, that earns the certificate.
    pub completion_percent: u8,
    /// Applications a person may have in one term.
    pub per_term_limit: u8,
    /// Who is drawn first.
    pub priority: Priority,
}

impl Default for CourseRules {
    fn default() -> Self {
        Self {
            term: String::new(),
            teacher: String::new(),
            lessons: Vec::new(),
            confirm_hours: default_confirm_hours(),
            completion_percent: default_completion_percent(),
            per_term_limit: default_per_term_limit(),
            priority: Priority::default(),
        }
    }
}

pub(crate) fn default_confirm_hours() -> u32 {
    48
}

pub(crate) fn default_completion_percent() -> u8 {
    75
}

pub(crate) fn default_per_term_limit() -> u8 {
    2
}

/// `n` weekly lessons of `length`, the first at `first`.
pub fn weekly(first: OffsetDateTime, length: Duration, n: usize) -> Vec<Lesson> {
    (0..n.min(MAX_LESSONS))
        .map(|i| {
            let starts_at = first + Duration::weeks(i as i64);
            Lesson {
                starts_at,
                ends_at: starts_at + length,
            }
        })
        .collect()
}

impl CourseRules {
    /// Checks what only a course has. Its plan's start and end are its first lesson's start
    /// and its last lesson's end ([`Plan::normalized`] sets them).
    pub fn check(&self, plan: &Plan, problems: &mut Problems) {
        plan.check_one_pool(problems);
        if crate::text::check(&self.term, crate::text::Field::Line, 20, false).is_err() {
            problems.push("term", "bad_text");
        }
        if crate::text::check(&self.teacher, crate::text::Field::Name, 32, false).is_err() {
            problems.push("teacher", "bad_text");
        }
        if self.lessons.is_empty() || self.lessons.len() > MAX_LESSONS {
            problems.push("lessons", "count");
        }
        let mut previous_end: Option<OffsetDateTime> = None;
        for l in &self.lessons {
            if !crate::moment::is_schedule(l.starts_at) || !crate::moment::is_schedule(l.ends_at) {
                problems.push("lessons", "out_of_range");
                break;
            }
            if l.ends_at <= l.starts_at || l.ends_at - l.starts_at > Duration::hours(12) {
                problems.push("lessons", "bad_length");
                break;
            }
            if previous_end.is_some_and(|end| l.starts_at < end) {
                problems.push("lessons", "overlapping");
                break;
            }
            if l.starts_at < plan.signup_closes_at {
                problems.push("lessons", "before_signup_closes");
                break;
            }
            previous_end = Some(l.ends_at);
        }
        if let (Some(first), Some(last)) = (self.lessons.first(), self.lessons.last())
            && (plan.starts_at != first.starts_at || plan.ends_at != last.ends_at)
        {
            problems.push("lessons", "schedule_mismatch");
        }
        if !(1..=24 * 7).contains(&self.confirm_hours) {
            problems.push("confirm_hours", "out_of_range");
        }
        if !(1..=100).contains(&self.completion_percent) {
            problems.push("completion_percent", "out_of_range");
        }
        if !(1..=10).contains(&self.per_term_limit) {
            problems.push("per_term_limit", "out_of_range");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn weekly_lessons_are_a_week_apart_and_capped() {
        let first = datetime!(2026-12-07 19:00 +8);
        let lessons = weekly(first, Duration::minutes(90), 8);
        assert_eq!(lessons.len(), 8);
        assert_eq!(lessons[7].starts_at, datetime!(2027-01-25 19:00 +8));
        assert_eq!(lessons[7].ends_at, datetime!(2027-01-25 20:30 +8));
        assert_eq!(weekly(first, Duration::hours(1), 80).len(), MAX_LESSONS);
    }
}
