//! The plan: everything an admin decides about an offering, in one struct that the editor
//! fills, the API takes (`POST /api/v1/admin/offerings`, `PUT …/{id}`), the database stores and
//! every device receives inside the [`Offering`](crate::Offering). What all kinds share sits
//! here; what belongs to one kind is in its [`Programme`].

use crate::account::FieldError;
use crate::programme::Programme;
use crate::questions::{MAX_QUESTIONS, Question, QuestionKind};
use crate::registration::Allocation;
use crate::text::Field;
use crate::{OfferingKind, PoolKey, Quota};
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

/// The most places in one pool.
pub const MAX_CAPACITY: u32 = 100_000;

/// An offering as an admin plans it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Plan {
    /// Title, e.g. 河小青·滨江护河行动.
    pub title: String,
    /// A description (several lines).
    #[serde(default)]
    pub summary: String,
    /// Category within the kind, e.g. 河小青, 书法, 望青团缘.
    pub category: String,
    /// Where it happens.
    pub venue_id: String,
    /// When it starts (a course: its first lesson).
    #[serde(with = "crate::moment::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub starts_at: OffsetDateTime,
    /// When it ends (a course: its last lesson).
    #[serde(with = "crate::moment::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub ends_at: OffsetDateTime,
    /// Sign-up (a course: applications) opens; `None`: as soon as it is published.
    #[serde(default, with = "crate::moment::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub signup_opens_at: Option<OffsetDateTime>,
    /// Sign-up closes.
    #[serde(with = "crate::moment::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub signup_closes_at: OffsetDateTime,
    /// An admin reviews each sign-up.
    #[serde(default)]
    pub requires_approval: bool,
    /// A waitlist takes people when a pool is full.
    #[serde(default = "yes")]
    pub waitlist_enabled: bool,
    /// First come, or a window and a draw (courses only).
    #[serde(default)]
    pub allocation: Allocation,
    /// Questions asked at sign-up.
    #[serde(default)]
    pub questions: Vec<Question>,
    /// The places of each pool: one `all` pool, or (a mixer) one per gender.
    pub quotas: Vec<Quota>,
    /// What belongs to its kind.
    pub programme: Programme,
}

fn yes() -> bool {
    true
}

/// The problems a check finds, field by field, all at once (so a form can mark every field).
#[derive(Debug, Default)]
pub struct Problems(Vec<FieldError>);

impl Problems {
    /// Notes that `field` is wrong, with a code the form translates.
    pub fn push(&mut self, field: &'static str, code: &'static str) {
        self.0.push(FieldError { field, code });
    }

    /// Nothing found, or every problem found.
    pub fn finish(self) -> Result<(), Vec<FieldError>> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0)
        }
    }
}

/// A required one-line field under the text rule ([`crate::text`]).
fn line(problems: &mut Problems, field: &'static str, value: &str, max: usize) {
    if let Err(code) = crate::text::check(value, Field::Line, max, true) {
        problems.push(field, code);
    }
}

impl Plan {
    /// Activity, course or mixer.
    pub fn kind(&self) -> OfferingKind {
        self.programme.kind()
    }

    /// The plan as it is stored: text trimmed, and a course's start and end taken from its
    /// first and last lessons.
    pub fn normalized(mut self) -> Self {
        self.title = self.title.trim().to_owned();
        self.summary = self.summary.trim().to_owned();
        self.category = self.category.trim().to_owned();
        if let Programme::Course(c) = &mut self.programme {
            c.term = c.term.trim().to_owned();
            c.teacher = c.teacher.trim().to_owned();
            crate::sort::sort_by(&mut c.lessons, |a, b| a.starts_at.cmp(&b.starts_at));
            if let (Some(first), Some(last)) = (c.lessons.first(), c.lessons.last()) {
                self.starts_at = first.starts_at;
                self.ends_at = last.ends_at;
            }
        }
        self
    }

    /// Checks every field, the kind's own included; all failures at once.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut p = Problems::default();
        line(&mut p, "title", &self.title, 60);
        if let Err(code) = crate::text::check(&self.summary, Field::Lines, 2000, false) {
            p.push("summary", code);
        }
        line(&mut p, "category", &self.category, 20);
        if self.venue_id.trim().is_empty() || self.venue_id.len() > 64 {
            p.push("venue_id", "required");
        }
        for (field, t) in [
            ("starts_at", Some(self.starts_at)),
            ("ends_at", Some(self.ends_at)),
            ("signup_opens_at", self.signup_opens_at),
            ("signup_closes_at", Some(self.signup_closes_at)),
        ] {
            if t.is_some_and(|t| !crate::moment::is_schedule(t)) {
                p.push(field, "out_of_range");
            }
        }
        if self.ends_at <= self.starts_at {
            p.push("ends_at", "before_start");
        }
        if self.signup_closes_at > self.ends_at {
            p.push("signup_closes_at", "after_end");
        }
        if self
            .signup_opens_at
            .is_some_and(|o| o >= self.signup_closes_at)
        {
            p.push("signup_opens_at", "after_close");
        }
        if self.allocation == Allocation::Lottery && self.kind() != OfferingKind::Course {
            p.push("allocation", "courses_only");
        }
        if self.quotas.is_empty()
            || self
                .quotas
                .iter()
                .any(|q| !(1..=MAX_CAPACITY).contains(&q.capacity))
        {
            p.push("capacity", "out_of_range");
        }
        let mut pools: Vec<PoolKey> = self.quotas.iter().map(|q| q.pool).collect();
        pools.sort();
        pools.dedup();
        if pools.len() != self.quotas.len() {
            p.push("quotas", "repeated_pool");
        }
        self.check_questions(&mut p);
        match &self.programme {
            Programme::Activity(a) => a.check(self, &mut p),
            Programme::Course(c) => c.check(self, &mut p),
            Programme::Mixer(m) => m.check(self, &mut p),
        }
        p.finish()
    }

    /// One pool of places for everyone (activities and courses).
    pub(crate) fn check_one_pool(&self, p: &mut Problems) {
        if self.quotas.len() != 1 || self.quotas[0].pool != PoolKey::All {
            p.push("quotas", "one_pool");
        }
    }

    /// An activity or a mixer lasts at most a week (a course's lessons are checked one by one).
    pub(crate) fn check_one_day_or_a_week(&self, p: &mut Problems) {
        if self.ends_at - self.starts_at > Duration::days(7) {
            p.push("ends_at", "too_long");
        }
    }

    fn check_questions(&self, p: &mut Problems) {
        if self.questions.len() > MAX_QUESTIONS {
            p.push("questions", "too_many");
        }
        let mut ids = std::collections::BTreeSet::new();
        for q in &self.questions {
            let choice = matches!(
                q.kind,
                QuestionKind::SingleChoice | QuestionKind::MultipleChoice
            );
            let bad_id = q.id.is_empty()
                || q.id.len() > 32
                || !q
                    .id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
            let text_ok = |s: &str, max| crate::text::check(s, Field::Line, max, true).is_ok();
            if bad_id || !ids.insert(q.id.clone()) {
                p.push("questions", "bad_id");
            } else if !text_ok(&q.label, 100) {
                p.push("questions", "bad_label");
            } else if (choice && !(2..=20).contains(&q.options.len()))
                || q.options.iter().any(|o| !text_ok(o, 50))
            {
                p.push("questions", "bad_options");
            }
        }
    }

    /// The places of `pool`, if the plan has it.
    pub fn capacity(&self, pool: PoolKey) -> Option<u32> {
        self.quotas
            .iter()
            .find(|q| q.pool == pool)
            .map(|q| q.capacity)
    }

    /// Every pool's places together.
    pub fn total_capacity(&self) -> u32 {
        self.quotas
            .iter()
            .fold(0u32, |n, q| n.saturating_add(q.capacity))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::programme::{activity::ActivityRules, course, mixer::MixerRules};
    use crate::questions::tests::questions;
    use time::macros::datetime;

    /// A valid activity plan for tests.
    pub(crate) fn activity() -> Plan {
        Plan {
            title: "河小青·护河".into(),
            summary: "".into(),
            category: "河小青".into(),
            venue_id: "venue-station".into(),
            starts_at: datetime!(2026-12-05 09:00 +8),
            ends_at: datetime!(2026-12-05 11:30 +8),
            signup_opens_at: None,
            signup_closes_at: datetime!(2026-12-04 20:00 +8),
            requires_approval: false,
            waitlist_enabled: true,
            allocation: Allocation::FirstCome,
            questions: questions(),
            quotas: vec![Quota {
                pool: PoolKey::All,
                capacity: 30,
            }],
            programme: Programme::Activity(ActivityRules {
                volunteer_hours: Some(2),
                planned_hours: Some(60),
                min_share_percent: 60,
            }),
        }
    }

    fn codes(plan: &Plan) -> Vec<(&'static str, &'static str)> {
        plan.validate()
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn a_plan_is_checked_field_by_field() {
        let mut d = activity();
        assert_eq!(d.validate(), Ok(()));
        d.title = " ".into();
        d.ends_at = d.starts_at;
        d.quotas[0].capacity = 0;
        d.questions.push(questions()[0].clone());
        assert_eq!(
            codes(&d),
            [
                ("title", "required"),
                ("ends_at", "before_start"),
                ("capacity", "out_of_range"),
                ("questions", "bad_id")
            ]
        );
    }

    #[test]
    fn each_kind_has_its_own_pools() {
        let mut d = activity();
        d.quotas.push(Quota {
            pool: PoolKey::Male,
            capacity: 3,
        });
        assert_eq!(codes(&d), [("quotas", "one_pool")]);
        let mut m = activity();
        m.programme = Programme::Mixer(MixerRules::default());
        assert_eq!(codes(&m), [("quotas", "one_per_gender")]);
        m.quotas = vec![
            Quota {
                pool: PoolKey::Female,
                capacity: 20,
            },
            Quota {
                pool: PoolKey::Male,
                capacity: 20,
            },
        ];
        assert_eq!(codes(&m), []);
        m.quotas[1].pool = PoolKey::Female;
        assert_eq!(
            codes(&m),
            [("quotas", "repeated_pool"), ("quotas", "one_per_gender")]
        );
        let mut lottery = activity();
        lottery.allocation = Allocation::Lottery;
        assert_eq!(codes(&lottery), [("allocation", "courses_only")]);
    }

    #[test]
    fn a_course_takes_its_schedule_from_its_lessons_which_must_not_overlap() {
        let first = datetime!(2026-12-07 19:00 +8);
        let mut c = activity();
        c.programme = Programme::Course(course::CourseRules {
            term: "2026 冬季".into(),
            teacher: "王老师".into(),
            lessons: course::weekly(first, Duration::minutes(90), 8),
            ..Default::default()
        });
        c.allocation = Allocation::Lottery;
        let c = c.normalized();
        assert_eq!(c.starts_at, first);
        assert_eq!(c.ends_at, datetime!(2027-01-25 20:30 +8));
        assert_eq!(codes(&c), []);

        let mut overlapping = c.clone();
        if let Programme::Course(rules) = &mut overlapping.programme {
            rules.lessons[1].starts_at = rules.lessons[0].starts_at + Duration::minutes(30);
            rules.lessons[1].ends_at = rules.lessons[1].starts_at + Duration::minutes(90);
        }
        assert_eq!(codes(&overlapping), [("lessons", "overlapping")]);

        let mut early = c.clone();
        early.signup_closes_at = first + Duration::days(1);
        assert!(codes(&early).contains(&("lessons", "before_signup_closes")));

        let mut none = c.clone();
        if let Programme::Course(rules) = &mut none.programme {
            rules.lessons.clear();
        }
        assert_eq!(codes(&none), [("lessons", "count")]);

        let mut many = c;
        if let Programme::Course(rules) = &mut many.programme {
            rules.lessons = (0..51)
                .map(|i| course::Lesson {
                    starts_at: first + Duration::days(i),
                    ends_at: first + Duration::days(i) + Duration::hours(1),
                })
                .collect();
        }
        let many = many.normalized();
        assert_eq!(codes(&many), [("lessons", "count")]);
    }

    #[test]
    fn a_plan_round_trips_through_json() {
        let d = activity();
        let back: Plan = serde_json::from_value(serde_json::to_value(&d).unwrap()).unwrap();
        assert_eq!(back, d);
    }
}
