//! The admin's offering editor as typed, and its translation into a [`Plan`]: date-time inputs
//! in China time, numbers as text, questions with one option per line; a course's lessons as
//! its first lesson and a number of weeks, a mixer's places per gender. Checked with the
//! domain's own rules before anything is sent. Pure, tested natively.

use crate::{
    format::{self, CHINA},
    i18n::Msg,
};
use domain::{
    OfferingKind, Plan, PoolKey, Programme, Quota,
    admin::AdminOffering,
    programme::{activity::ActivityRules, course, mixer::MixerRules},
    questions::{MAX_QUESTIONS, Question, QuestionKind},
    registration::Allocation,
};
use time::{Duration, OffsetDateTime, PrimitiveDateTime, Time};

/// One custom question as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionDraft {
    /// Stable id (answers are keyed by it); kept when editing.
    pub id: String,
    /// The question.
    pub label: String,
    /// The kind of answer.
    pub kind: QuestionKind,
    /// The choices, one per line (choice questions only).
    pub options: String,
    /// Must be answered.
    pub required: bool,
}

impl QuestionDraft {
    fn to_question(&self) -> Question {
        let choice = matches!(
            self.kind,
            QuestionKind::SingleChoice | QuestionKind::MultipleChoice
        );
        Question {
            id: self.id.clone(),
            label: self.label.trim().to_owned(),
            kind: self.kind,
            options: if choice {
                self.options
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_owned)
                    .collect()
            } else {
                Vec::new()
            },
            required: self.required,
        }
    }
}

/// A new empty required single-choice question with an id not in `existing`; `None` when the
/// offering already has the most questions allowed.
pub fn new_question(existing: &[QuestionDraft]) -> Option<QuestionDraft> {
    if existing.len() >= MAX_QUESTIONS {
        return None;
    }
    let id = (1..)
        .map(|n| format!("q{n}"))
        .find(|id| !existing.iter().any(|q| &q.id == id))?;
    Some(QuestionDraft {
        id,
        label: String::new(),
        kind: QuestionKind::SingleChoice,
        options: String::new(),
        required: true,
    })
}

/// Moves item `i` one place up (`up`) or down; out of range does nothing.
pub fn move_item<T>(items: &mut [T], i: usize, up: bool) {
    let j = if up { i.checked_sub(1) } else { Some(i + 1) };
    if let Some(j) = j.filter(|&j| j < items.len())
        && i < items.len()
    {
        items.swap(i, j);
    }
}

/// The editor's fields as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferingForm {
    /// Activity, course or mixer.
    pub kind: OfferingKind,
    /// Title.
    pub title: String,
    /// Description.
    pub summary: String,
    /// Category.
    pub category: String,
    /// Venue id.
    pub venue_id: String,
    /// Start, `YYYY-MM-DDTHH:MM` in China time (a course: its first lesson's).
    pub starts_at: String,
    /// End (a course: its first lesson's).
    pub ends_at: String,
    /// Sign-up opens (empty: at once).
    pub signup_opens_at: String,
    /// Sign-up closes.
    pub signup_closes_at: String,
    /// A course's lessons: this many, weekly from the first.
    pub sessions: String,
    /// Places (a mixer: the men's).
    pub capacity: String,
    /// A mixer's places for women.
    pub capacity_female: String,
    /// A mixer's youngest age (this year minus the birth year).
    pub min_age: String,
    /// A mixer's oldest age.
    pub max_age: String,
    /// How many people each participant of a mixer may pick.
    pub picks: String,
    /// Volunteer hours granted (empty: none).
    pub volunteer_hours: String,
    /// Planned total service hours (empty: none).
    pub planned_hours: String,
    /// Minimum share for hours, percent (empty: the default 60).
    pub min_share_percent: String,
    /// An admin approves each registration.
    pub requires_approval: bool,
    /// A waitlist when full.
    pub waitlist_enabled: bool,
    /// First come or lottery.
    pub allocation: Allocation,
    /// Questions, in order.
    pub questions: Vec<QuestionDraft>,
    /// Assigned organizers' user ids.
    pub organizer_ids: Vec<String>,
    /// The programme as the offering being edited has it: what this form does not show (a
    /// course's term and teacher) is kept.
    pub programme: Option<Programme>,
}

/// `(field, code)` pairs; question fields are `questions.{index}`.
pub type FormErrors = Vec<(String, &'static str)>;

/// `2026-12-05T09:00` (a `datetime-local` value) as China time.
pub fn parse_local(s: &str) -> Option<OffsetDateTime> {
    let s = s.trim();
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    let with_seconds =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    PrimitiveDateTime::parse(s, &format)
        .or_else(|_| PrimitiveDateTime::parse(s, &with_seconds))
        .ok()
        .map(|t| t.assume_offset(CHINA))
}

/// A time as a `datetime-local` input shows it, in China time.
pub fn local_value(t: OffsetDateTime) -> String {
    let t = format::in_china(t);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        t.year(),
        t.month() as u8,
        t.day(),
        t.hour(),
        t.minute()
    )
}

fn optional_number(s: &str) -> Result<Option<u32>, &'static str> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    s.parse().map(Some).map_err(|_| "not_a_number")
}

fn number(s: &str) -> Result<u32, &'static str> {
    optional_number(s)?.ok_or("required")
}

impl OfferingForm {
    /// A new activity: tomorrow 09:00–11:00, sign-up until 20:00 the evening before.
    pub fn blank(now: OffsetDateTime) -> Self {
        let mixer_defaults = MixerRules::default();
        let tomorrow = format::in_china(now).date() + Duration::days(1);
        let at = |h: u8| {
            tomorrow
                .with_time(Time::from_hms(h, 0, 0).unwrap_or(Time::MIDNIGHT))
                .assume_offset(CHINA)
        };
        Self {
            kind: OfferingKind::Activity,
            title: String::new(),
            summary: String::new(),
            category: String::new(),
            venue_id: String::new(),
            starts_at: local_value(at(9)),
            ends_at: local_value(at(11)),
            signup_opens_at: String::new(),
            signup_closes_at: local_value(at(20) - Duration::days(1)),
            sessions: "1".into(),
            capacity: "30".into(),
            capacity_female: "15".into(),
            min_age: mixer_defaults.min_age.to_string(),
            max_age: mixer_defaults.max_age.to_string(),
            picks: mixer_defaults.picks.to_string(),
            volunteer_hours: "2".into(),
            planned_hours: String::new(),
            min_share_percent: String::new(),
            requires_approval: false,
            waitlist_enabled: true,
            allocation: Allocation::FirstCome,
            questions: Vec::new(),
            organizer_ids: Vec::new(),
            programme: None,
        }
    }

    /// The form for editing an existing offering.
    pub fn from_offering(a: &AdminOffering) -> Self {
        let o = &a.offering;
        let plan = &o.plan;
        let opt = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
        let places = |pool| plan.capacity(pool).map(|c| c.to_string());
        let activity = plan.programme.activity().cloned().unwrap_or_default();
        let mixer = plan.programme.mixer().cloned().unwrap_or_default();
        // A course is edited as its first lesson and its number of weeks.
        let (starts_at, ends_at, sessions) = match plan.programme.course() {
            Some(c) if !c.lessons.is_empty() => (
                c.lessons[0].starts_at,
                c.lessons[0].ends_at,
                c.lessons.len(),
            ),
            _ => (plan.starts_at, plan.ends_at, 1),
        };
        Self {
            kind: o.kind(),
            title: plan.title.clone(),
            summary: plan.summary.clone(),
            category: plan.category.clone(),
            venue_id: plan.venue_id.clone(),
            starts_at: local_value(starts_at),
            ends_at: local_value(ends_at),
            signup_opens_at: plan.signup_opens_at.map(local_value).unwrap_or_default(),
            signup_closes_at: local_value(plan.signup_closes_at),
            sessions: sessions.to_string(),
            capacity: places(PoolKey::All)
                .or_else(|| places(PoolKey::Male))
                .unwrap_or_default(),
            capacity_female: places(PoolKey::Female).unwrap_or_default(),
            min_age: mixer.min_age.to_string(),
            max_age: mixer.max_age.to_string(),
            picks: mixer.picks.to_string(),
            volunteer_hours: opt(activity.volunteer_hours),
            planned_hours: opt(activity.planned_hours),
            min_share_percent: activity.min_share_percent.to_string(),
            requires_approval: plan.requires_approval,
            waitlist_enabled: plan.waitlist_enabled,
            allocation: plan.allocation,
            questions: plan
                .questions
                .iter()
                .map(|q| QuestionDraft {
                    id: q.id.clone(),
                    label: q.label.clone(),
                    kind: q.kind,
                    options: q.options.join("\n"),
                    required: q.required,
                })
                .collect(),
            organizer_ids: a.organizer_ids.clone(),
            programme: Some(plan.programme.clone()),
        }
    }

    /// Whether a new offering of `kind` starts with review on: a mixer does (an admin reads
    /// each sign-up's profile before a place is given); the others as the blank form has it.
    pub fn review_by_default(kind: OfferingKind) -> bool {
        kind == OfferingKind::Mixer
    }

    /// Adds an empty required single-choice question with a fresh id.
    pub fn add_question(&mut self) {
        if let Some(q) = new_question(&self.questions) {
            self.questions.push(q);
        }
    }

    /// Moves question `i` one place up (`up`) or down; out of range does nothing.
    pub fn move_question(&mut self, i: usize, up: bool) {
        move_item(&mut self.questions, i, up);
    }

    /// The plan to send, or every problem found (the domain's rules, plus numbers that are
    /// not numbers and which question is wrong).
    pub fn draft(&self) -> Result<Plan, FormErrors> {
        let mut errors: FormErrors = Vec::new();
        let mut time_field = |field: &str, value: &str| {
            let t = parse_local(value);
            if t.is_none() {
                errors.push((field.to_owned(), "required"));
            }
            t
        };
        let starts_at = time_field("starts_at", &self.starts_at);
        let ends_at = time_field("ends_at", &self.ends_at);
        let signup_closes_at = time_field("signup_closes_at", &self.signup_closes_at);
        let signup_opens_at = if self.signup_opens_at.trim().is_empty() {
            None
        } else {
            let t = parse_local(&self.signup_opens_at);
            if t.is_none() {
                errors.push(("signup_opens_at".into(), "invalid"));
            }
            t
        };
        let mut num = |field: &str, value: &str, required: bool| {
            let parsed = if required {
                number(value).map(Some)
            } else {
                optional_number(value)
            };
            parsed.unwrap_or_else(|code| {
                errors.push((field.to_owned(), code));
                None
            })
        };
        let sessions = num("sessions", &self.sessions, true);
        let capacity = num("capacity", &self.capacity, true);
        let mixer = self.kind == OfferingKind::Mixer;
        let capacity_female = num("capacity_female", &self.capacity_female, mixer);
        // Only a mixer reads its ages and picks (the fields are hidden for the others).
        let (min_age, max_age, picks) = if mixer {
            (
                num("min_age", &self.min_age, true),
                num("max_age", &self.max_age, true),
                num("picks", &self.picks, true),
            )
        } else {
            (None, None, None)
        };
        let volunteer_hours = num("volunteer_hours", &self.volunteer_hours, false);
        let planned_hours = num("planned_hours", &self.planned_hours, false);
        let min_share = num("min_share_percent", &self.min_share_percent, false);
        let min_share_percent = match min_share {
            Some(p) if p > 100 => {
                errors.push(("min_share_percent".into(), "out_of_range"));
                None
            }
            p => p.map(|p| p as u8),
        };
        // A mixer's numbers are small (the domain checks their ranges); larger ones do not fit.
        let mut small = |field: &str, n: Option<u32>| match n.map(u8::try_from) {
            Some(Ok(n)) => Some(n),
            Some(Err(_)) => {
                errors.push((field.to_owned(), "out_of_range"));
                None
            }
            None => None,
        };
        let (min_age, max_age, picks) = (
            small("min_age", min_age),
            small("max_age", max_age),
            small("picks", picks),
        );
        for (i, q) in self.questions.iter().enumerate() {
            let field = format!("questions.{i}");
            let question = q.to_question();
            let choice = matches!(
                q.kind,
                QuestionKind::SingleChoice | QuestionKind::MultipleChoice
            );
            let label = question.label.chars().count();
            if label == 0 || label > 100 {
                errors.push((field, "bad_label"));
            } else if choice
                && (question.options.len() < 2
                    || question.options.len() > 20
                    || question.options.iter().any(|o| o.chars().count() > 50))
            {
                errors.push((field, "bad_options"));
            }
        }
        let (Some(starts_at), Some(ends_at), Some(signup_closes_at)) =
            (starts_at, ends_at, signup_closes_at)
        else {
            return Err(errors);
        };
        let quota = |pool, capacity: Option<u32>| Quota {
            pool,
            capacity: capacity.unwrap_or(0),
        };
        let quotas = if mixer {
            vec![
                quota(PoolKey::Male, capacity),
                quota(PoolKey::Female, capacity_female),
            ]
        } else {
            vec![quota(PoolKey::All, capacity)]
        };
        // What the form does not show is kept from the offering being edited (or the kind's
        // defaults).
        let mut programme = match &self.programme {
            Some(p) if p.kind() == self.kind => p.clone(),
            _ => Programme::new(self.kind),
        };
        match &mut programme {
            Programme::Activity(a) => {
                *a = ActivityRules {
                    volunteer_hours,
                    planned_hours,
                    min_share_percent: min_share_percent.unwrap_or(a.min_share_percent),
                }
            }
            Programme::Course(c) => {
                let weeks = sessions.unwrap_or(1) as usize;
                c.lessons = course::weekly(starts_at, ends_at - starts_at, weeks);
            }
            Programme::Mixer(m) => {
                m.min_age = min_age.unwrap_or(m.min_age);
                m.max_age = max_age.unwrap_or(m.max_age);
                m.picks = picks.unwrap_or(m.picks);
            }
        }
        let draft = Plan {
            title: self.title.trim().to_owned(),
            summary: self.summary.trim().to_owned(),
            category: self.category.trim().to_owned(),
            venue_id: self.venue_id.clone(),
            starts_at,
            ends_at,
            signup_opens_at,
            signup_closes_at,
            requires_approval: self.requires_approval,
            waitlist_enabled: self.waitlist_enabled,
            allocation: if self.kind == OfferingKind::Course {
                self.allocation
            } else {
                Allocation::FirstCome
            },
            questions: self
                .questions
                .iter()
                .map(QuestionDraft::to_question)
                .collect(),
            quotas,
            programme,
        }
        .normalized();
        if let Err(found) = draft.validate() {
            for e in found {
                // Questions were checked one by one above, with their place in the list.
                let known = errors.iter().any(|(f, _)| f == e.field)
                    || (e.field == "questions"
                        && errors.iter().any(|(f, _)| f.starts_with("questions.")));
                if !known {
                    errors.push((e.field.to_owned(), e.code));
                }
            }
        }
        if errors.is_empty() {
            Ok(draft)
        } else {
            Err(errors)
        }
    }
}

/// The text for an editor field's error code (the form's, the domain's, or the server's).
pub fn error_msg(field: &str, code: &str) -> Msg {
    match (field, code) {
        (_, "required") => Msg::ErrRequired,
        (_, "too_long") if field == "ends_at" => Msg::ErrTooLongEvent,
        (_, "too_long") => Msg::ErrTooLongText,
        (_, "bad_characters") => Msg::ErrBadCharacters,
        (_, "not_a_number") => Msg::ErrNotANumber,
        (_, "before_start") => Msg::ErrBeforeStart,
        (_, "after_end") => Msg::ErrCloseAfterEnd,
        (_, "after_close") => Msg::ErrOpenAfterClose,
        ("capacity", "below_taken") => Msg::ErrBelowTaken,
        (_, "pool_in_use") => Msg::ErrBelowTaken,
        (_, "overlapping" | "count" | "bad_length" | "before_signup_closes") => Msg::ErrLessons,
        (_, "out_of_range") => Msg::ErrOutOfRange,
        (_, "too_many") => Msg::ErrTooManyQuestions,
        (_, "bad_label" | "bad_id") => Msg::ErrQuestionLabel,
        (_, "bad_options") => Msg::ErrQuestionOptions,
        _ => Msg::ErrInvalidValue,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn filled() -> OfferingForm {
        let mut f = OfferingForm::blank(datetime!(2026-11-22 10:00 +8));
        f.title = " 河小青·护河 ".into();
        f.category = "河小青".into();
        f.venue_id = "venue-station".into();
        f
    }

    #[test]
    fn a_blank_form_starts_tomorrow_and_closes_the_evening_before() {
        let f = OfferingForm::blank(datetime!(2026-11-22 23:30 +8));
        assert_eq!(f.starts_at, "2026-11-23T09:00");
        assert_eq!(f.ends_at, "2026-11-23T11:00");
        assert_eq!(f.signup_closes_at, "2026-11-22T20:00");
    }

    #[test]
    fn local_times_are_china_time() {
        assert_eq!(
            parse_local("2026-12-05T09:00"),
            Some(datetime!(2026-12-05 01:00 UTC))
        );
        assert_eq!(
            parse_local("2026-12-05T09:00:30"),
            Some(datetime!(2026-12-05 09:00:30 +8))
        );
        assert_eq!(parse_local("tomorrow"), None);
        assert_eq!(
            local_value(datetime!(2026-12-04 17:00 UTC)),
            "2026-12-05T01:00"
        );
    }

    #[test]
    fn a_filled_form_gives_a_valid_draft() {
        let mut f = filled();
        f.add_question();
        f.questions[0].label = "衣服尺码".into();
        f.questions[0].options = "S\n M \n\nL".into();
        f.min_share_percent = "70".into();
        let d = f.draft().unwrap();
        assert_eq!(d.title, "河小青·护河");
        assert_eq!(d.capacity(PoolKey::All), Some(30));
        let a = d.programme.activity().unwrap();
        assert_eq!(a.volunteer_hours, Some(2));
        assert_eq!(a.planned_hours, None);
        assert_eq!(a.min_share_percent, 70);
        assert_eq!(d.questions[0].options, ["S", "M", "L"]);
        assert_eq!(d.questions[0].id, "q1");
        assert_eq!(d.starts_at, datetime!(2026-11-23 09:00 +8));
    }

    #[test]
    fn every_problem_is_reported_with_its_field() {
        let mut f = filled();
        f.title = "".into();
        f.capacity = "abc".into();
        f.ends_at = f.starts_at.clone();
        f.add_question();
        f.add_question();
        f.questions[1].label = "尺码".into();
        f.questions[1].options = "只有一个".into();
        f.min_share_percent = "150".into();
        let errors = f.draft().unwrap_err();
        for expected in [
            ("capacity", "not_a_number"),
            ("min_share_percent", "out_of_range"),
            ("questions.0", "bad_label"),
            ("questions.1", "bad_options"),
            ("title", "required"),
            ("ends_at", "before_start"),
        ] {
            assert!(
                errors
                    .iter()
                    .any(|(f, c)| f == expected.0 && *c == expected.1),
                "{expected:?} not in {errors:?}"
            );
        }
        // The domain's summary "questions" error is not repeated.
        assert!(!errors.iter().any(|(f, _)| f == "questions"));
        let mut f = filled();
        f.starts_at = "".into();
        assert_eq!(
            f.draft().unwrap_err(),
            [("starts_at".to_owned(), "required")]
        );
    }

    #[test]
    fn questions_get_fresh_ids_and_move() {
        let mut f = filled();
        for _ in 0..3 {
            f.add_question();
        }
        f.questions.remove(0);
        f.add_question();
        let ids: Vec<_> = f.questions.iter().map(|q| q.id.as_str()).collect();
        assert_eq!(ids, ["q2", "q3", "q1"]);
        f.move_question(2, true);
        f.move_question(0, true);
        f.move_question(2, false);
        let ids: Vec<_> = f.questions.iter().map(|q| q.id.as_str()).collect();
        assert_eq!(ids, ["q2", "q1", "q3"]);
        for _ in 0..30 {
            f.add_question();
        }
        assert_eq!(f.questions.len(), MAX_QUESTIONS);
    }

    #[test]
    fn an_existing_offering_round_trips_through_the_form() {
        let mut f = filled();
        f.add_question();
        f.questions[0].label = "是否会游泳".into();
        f.questions[0].kind = QuestionKind::YesNo;
        f.questions[0].options = "ignored".into();
        f.organizer_ids = vec!["user-13900000002".into()];
        let d = f.draft().unwrap();
        assert!(d.questions[0].options.is_empty());
        let back = OfferingForm::from_offering(&saved(d));
        assert_eq!(back.title, "河小青·护河");
        assert_eq!(back.starts_at, f.starts_at);
        assert_eq!(back.min_share_percent, "60");
        assert_eq!(back.questions[0].kind, QuestionKind::YesNo);
        assert_eq!(back.organizer_ids, f.organizer_ids);
    }

    /// `plan` as the server answers it once saved (through the wire's JSON).
    fn saved(plan: Plan) -> AdminOffering {
        let json = serde_json::json!({
            "id": "o-1", "status": "draft", "plan": plan, "counts": [],
            "pending_reviews": 0, "organizer_ids": ["user-13900000002"]
        });
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn a_course_is_edited_as_its_first_lesson_and_its_weeks() {
        let mut f = filled();
        f.kind = OfferingKind::Course;
        f.sessions = "8".into();
        f.allocation = Allocation::Lottery;
        let d = f.draft().unwrap();
        let lessons = &d.programme.course().unwrap().lessons;
        assert_eq!(lessons.len(), 8);
        assert_eq!(d.starts_at, lessons[0].starts_at);
        assert_eq!(d.ends_at, lessons[7].ends_at);
        assert_eq!(d.allocation, Allocation::Lottery);
        // What the form does not show (the teacher) is kept on the way back.
        let mut o = saved(d);
        if let Programme::Course(c) = &mut o.offering.plan.programme {
            c.teacher = "王老师".into();
        }
        let back = OfferingForm::from_offering(&o);
        assert_eq!(
            (back.sessions.as_str(), back.ends_at.as_str()),
            ("8", "2026-11-23T11:00")
        );
        let again = back.draft().unwrap();
        assert_eq!(again.programme.course().unwrap().teacher, "王老师");
        assert_eq!(again, o.offering.plan);
    }

    #[test]
    fn a_mixer_has_places_per_gender_and_only_courses_draw() {
        let mut f = filled();
        f.kind = OfferingKind::Mixer;
        f.capacity = "20".into();
        f.capacity_female = "25".into();
        f.allocation = Allocation::Lottery;
        let d = f.draft().unwrap();
        assert_eq!(d.capacity(PoolKey::Male), Some(20));
        assert_eq!(d.capacity(PoolKey::Female), Some(25));
        assert_eq!(d.allocation, Allocation::FirstCome);
        let back = OfferingForm::from_offering(&saved(d));
        assert_eq!(
            (back.capacity.as_str(), back.capacity_female.as_str()),
            ("20", "25")
        );
        f.capacity_female = "".into();
        assert!(
            f.draft()
                .unwrap_err()
                .contains(&("capacity_female".to_owned(), "required"))
        );
    }

    #[test]
    fn a_mixer_has_an_age_range_and_picks_and_starts_with_review() {
        let mut f = filled();
        assert!(
            !f.requires_approval,
            "a new activity takes sign-ups without review"
        );
        f.kind = OfferingKind::Mixer;
        assert!(OfferingForm::review_by_default(OfferingKind::Mixer));
        assert!(!OfferingForm::review_by_default(OfferingKind::Activity));
        assert!(!OfferingForm::review_by_default(OfferingKind::Course));
        // The blank form's ages and picks are the domain's defaults.
        assert_eq!(
            (f.min_age.as_str(), f.max_age.as_str(), f.picks.as_str()),
            ("18", "35", "3")
        );
        f.min_age = "22".into();
        f.max_age = " 30 ".into();
        f.picks = "5".into();
        let d = f.draft().unwrap();
        let m = d.programme.mixer().unwrap();
        assert_eq!((m.min_age, m.max_age, m.picks), (22, 30, 5));
        let back = OfferingForm::from_offering(&saved(d));
        assert_eq!(
            (
                back.min_age.as_str(),
                back.max_age.as_str(),
                back.picks.as_str()
            ),
            ("22", "30", "5")
        );
        // Out of the domain's ranges, too large for any, not numbers, missing.
        let bad = |min: &str, max: &str, picks: &str| {
            let mut g = f.clone();
            (g.min_age, g.max_age, g.picks) = (min.into(), max.into(), picks.into());
            g.draft().unwrap_err()
        };
        let has = |errors: &FormErrors, field: &str, code: &str| {
            errors.iter().any(|(f, c)| f == field && *c == code)
        };
        let e = bad("30", "22", "11");
        assert!(has(&e, "max_age", "out_of_range"), "{e:?}");
        assert!(has(&e, "picks", "out_of_range"), "{e:?}");
        let e = bad("300", "35", "0");
        assert!(has(&e, "min_age", "out_of_range"), "{e:?}");
        assert!(has(&e, "picks", "out_of_range"), "{e:?}");
        let e = bad("x", "", "3");
        assert!(has(&e, "min_age", "not_a_number"), "{e:?}");
        assert!(has(&e, "max_age", "required"), "{e:?}");
        // Other kinds do not read them.
        let mut a = filled();
        a.picks = "x".into();
        assert!(a.draft().is_ok());
    }

    #[test]
    fn error_codes_have_texts() {
        assert_eq!(error_msg("capacity", "below_taken"), Msg::ErrBelowTaken);
        assert_eq!(error_msg("ends_at", "before_start"), Msg::ErrBeforeStart);
        assert_eq!(error_msg("title", "weird"), Msg::ErrInvalidValue);
    }
}
