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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Lesson {
    /// Its start.
    #[serde(with = "crate::moment::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub starts_at: OffsetDateTime,
    /// Its end.
    #[serde(with = "crate::moment::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// The lesson (1 = the first) held on `now`'s day in China, if one is. A day with more
    /// than one (a morning and an afternoon lesson) has the one nearest to `now`: the one
    /// running, else the one that starts or ended closest to it (the earlier on a tie).
    pub fn lesson_on(&self, now: OffsetDateTime) -> Option<u32> {
        let day = crate::moment::in_china(now).date();
        let away = |l: &Lesson| {
            if now < l.starts_at {
                l.starts_at - now
            } else if now > l.ends_at {
                now - l.ends_at
            } else {
                Duration::ZERO
            }
        };
        self.lessons
            .iter()
            .enumerate()
            .filter(|(_, l)| crate::moment::in_china(l.starts_at).date() == day)
            .min_by_key(|(_, l)| away(l))
            .and_then(|(i, _)| u32::try_from(i + 1).ok())
    }

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

/// How long after it was first given a rating may still be changed (seconds).
pub const RATING_EDITABLE_S: i64 = 7 * 86_400;

/// The longest comment on a rating.
pub const MAX_COMMENT: usize = 300;

/// Whether attending `attended` of `lessons` lessons earns the certificate at `percent`.
pub fn completed(attended: usize, lessons: usize, percent: u8) -> bool {
    lessons > 0 && attended * 100 >= lessons * usize::from(percent)
}

/// Whether a learner may rate the course at `now` (Unix seconds): after its last lesson has
/// ended, having attended at least one; a rating given at `rated_at` may be changed for
/// [`RATING_EDITABLE_S`].
pub fn may_rate(
    attended: usize,
    last_lesson_ends_at: i64,
    rated_at: Option<i64>,
    now: i64,
) -> Result<(), crate::registration::MutationError> {
    use crate::registration::MutationError;
    if now < last_lesson_ends_at {
        return Err(MutationError::NotOverYet);
    }
    if attended == 0 {
        return Err(MutationError::NotAttended);
    }
    if rated_at.is_some_and(|at| now > at.saturating_add(RATING_EDITABLE_S)) {
        return Err(MutationError::RatingClosed);
    }
    Ok(())
}

/// `POST /api/v1/admin/offerings/{id}/draw`: the draw, with a value nobody knew at the close
/// (numbers drawn in front of the audience, an index's close on the draw day; may be empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DrawRequest {
    /// The public value (see `draw::PublicValue` for what it may contain).
    #[serde(default)]
    pub public_value: String,
}

/// What a draw did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DrawAnswer {
    /// Applications in the frozen list.
    pub entries: usize,
    /// Places won (each to be confirmed by its deadline).
    pub winners: usize,
    /// On the waitlist, in draw order.
    pub waitlisted: usize,
}

/// `GET /api/v1/admin/offerings/{id}/course`: how a course stands, for its admin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CourseSummary {
    /// Registrations by status name (`lottery_entered`, `won`, `confirmed`, `waitlisted`, …).
    pub statuses: std::collections::BTreeMap<String, u64>,
    /// The entry list is frozen (the window has closed).
    pub frozen: bool,
    /// The draw has run.
    pub drawn: bool,
    /// Attendance per lesson: `attendance[0]` is lesson 1's.
    pub attendance: Vec<u64>,
    /// Confirmed learners whose attendance reached the threshold.
    pub completed: u64,
    /// The ratings, without names.
    pub ratings: Ratings,
}

impl CourseSummary {
    /// How many registrations have `status`.
    pub fn count(&self, status: crate::registration::RegistrationStatus) -> u64 {
        self.statuses.get(status.as_str()).copied().unwrap_or(0)
    }
}

/// A course's ratings, without names.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ratings {
    /// How many.
    pub count: u64,
    /// Average stars (0 when none).
    pub average: f64,
    /// The non-empty comments, newest first.
    pub comments: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn the_lesson_of_the_day_in_china() {
        let first = datetime!(2026-12-07 19:00 +8);
        let rules = CourseRules {
            lessons: weekly(first, Duration::minutes(90), 3),
            ..Default::default()
        };
        assert_eq!(rules.lesson_on(datetime!(2026-12-07 08:00 +8)), Some(1));
        // 23:30 UTC on the 13th is the 14th in China: the second lesson's day.
        assert_eq!(rules.lesson_on(datetime!(2026-12-13 23:30 UTC)), Some(2));
        assert_eq!(rules.lesson_on(datetime!(2026-12-08 19:00 +8)), None);
    }

    #[test]
    fn a_day_of_two_lessons_has_the_one_nearest_to_now() {
        let lesson = |from: OffsetDateTime, to: OffsetDateTime| Lesson {
            starts_at: from,
            ends_at: to,
        };
        let rules = CourseRules {
            lessons: vec![
                lesson(
                    datetime!(2026-12-05 09:00 +8),
                    datetime!(2026-12-05 11:00 +8),
                ),
                lesson(
                    datetime!(2026-12-05 14:00 +8),
                    datetime!(2026-12-05 16:00 +8),
                ),
                lesson(
                    datetime!(2026-12-12 09:00 +8),
                    datetime!(2026-12-12 11:00 +8),
                ),
            ],
            ..Default::default()
        };
        let on = |t| rules.lesson_on(t);
        assert_eq!(on(datetime!(2026-12-05 07:00 +8)), Some(1));
        assert_eq!(on(datetime!(2026-12-05 10:30 +8)), Some(1));
        assert_eq!(on(datetime!(2026-12-05 12:00 +8)), Some(1));
        // Halfway between: the earlier.
        assert_eq!(on(datetime!(2026-12-05 12:30 +8)), Some(1));
        assert_eq!(on(datetime!(2026-12-05 13:30 +8)), Some(2));
        assert_eq!(on(datetime!(2026-12-05 15:00 +8)), Some(2));
        assert_eq!(on(datetime!(2026-12-05 23:00 +8)), Some(2));
        assert_eq!(on(datetime!(2026-12-12 20:00 +8)), Some(3));
        assert_eq!(on(datetime!(2026-12-06 14:00 +8)), None);
    }

    #[test]
    fn the_certificate_comes_at_the_threshold() {
        assert!(completed(6, 8, 75));
        assert!(!completed(5, 8, 75));
        assert!(completed(1, 1, 100));
        assert!(!completed(0, 0, 75));
    }

    #[test]
    fn a_rating_needs_the_course_over_an_attendance_and_a_week_to_change_it() {
        use crate::registration::MutationError::*;
        assert_eq!(may_rate(1, 100, None, 50), Err(NotOverYet));
        assert_eq!(may_rate(0, 100, None, 150), Err(NotAttended));
        assert_eq!(may_rate(1, 100, None, 150), Ok(()));
        assert_eq!(may_rate(1, 100, Some(150), 150 + RATING_EDITABLE_S), Ok(()));
        assert_eq!(
            may_rate(1, 100, Some(150), 151 + RATING_EDITABLE_S),
            Err(RatingClosed)
        );
    }

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
