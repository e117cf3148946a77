//! The admin's offering editor as typed, and its translation into an
//! [`OfferingDraft`](domain::activity::OfferingDraft): date-time inputs in China time, numbers
//! as text, questions with one option per line. Checked with the domain's own rules before
//! anything is sent. Pure, tested natively.

use crate::{
    format::{self, CHINA},
    i18n::Msg,
};
use domain::{
    OfferingKind,
    activity::{AdminOffering, MAX_QUESTIONS, OfferingDraft, Question, QuestionKind},
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
    /// Start, `YYYY-MM-DDTHH:MM` in China time.
    pub starts_at: String,
    /// End.
    pub ends_at: String,
    /// Sign-up opens (empty: at once).
    pub signup_opens_at: String,
    /// Sign-up closes.
    pub signup_closes_at: String,
    /// Lessons.
    pub sessions: String,
    /// Seats.
    pub capacity: String,
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
            volunteer_hours: "2".into(),
            planned_hours: String::new(),
            min_share_percent: String::new(),
            requires_approval: false,
            waitlist_enabled: true,
            allocation: Allocation::FirstCome,
            questions: Vec::new(),
            organizer_ids: Vec::new(),
        }
    }

    /// The form for editing an existing offering.
    pub fn from_offering(o: &AdminOffering) -> Self {
        let s = &o.summary;
        let opt = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
        Self {
            kind: s.kind,
            title: s.title.clone(),
            summary: s.summary.clone(),
            category: s.category.clone(),
            venue_id: s.venue_id.clone(),
            starts_at: local_value(s.starts_at),
            ends_at: local_value(s.ends_at),
            signup_opens_at: s.signup_opens_at.map(local_value).unwrap_or_default(),
            signup_closes_at: local_value(s.signup_closes_at),
            sessions: s.sessions.to_string(),
            capacity: s.capacity.to_string(),
            volunteer_hours: opt(s.volunteer_hours),
            planned_hours: opt(o.planned_hours),
            min_share_percent: o.min_share_percent.to_string(),
            requires_approval: s.requires_approval,
            waitlist_enabled: s.waitlist_enabled,
            allocation: s.allocation,
            questions: s
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
            organizer_ids: o.organizer_ids.clone(),
        }
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

    /// The draft to send, or every problem found (the domain's rules, plus numbers that are
    /// not numbers and which question is wrong).
    pub fn draft(&self) -> Result<OfferingDraft, FormErrors> {
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
        let draft = OfferingDraft {
            kind: self.kind,
            title: self.title.trim().to_owned(),
            summary: self.summary.trim().to_owned(),
            category: self.category.trim().to_owned(),
            venue_id: self.venue_id.clone(),
            starts_at,
            ends_at,
            sessions: sessions.unwrap_or(1),
            capacity: capacity.unwrap_or(0),
            signup_opens_at,
            signup_closes_at,
            requires_approval: self.requires_approval,
            waitlist_enabled: self.waitlist_enabled,
            allocation: self.allocation,
            volunteer_hours,
            planned_hours,
            min_share_percent,
            questions: self
                .questions
                .iter()
                .map(QuestionDraft::to_question)
                .collect(),
        };
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
        assert_eq!(d.capacity, 30);
        assert_eq!(d.volunteer_hours, Some(2));
        assert_eq!(d.planned_hours, None);
        assert_eq!(d.min_share_percent, Some(70));
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
        let json = serde_json::json!({
            "id": "act-1", "kind": "activity", "title": d.title, "summary": d.summary,
            "category": d.category, "venue_id": d.venue_id,
            "starts_at": "2026-11-23T09:00:00+08:00", "ends_at": "2026-11-23T11:00:00+08:00",
            "sessions": 1, "capacity": 30, "seats_taken": 0,
            "signup_closes_at": "2026-11-22T20:00:00+08:00", "volunteer_hours": 2,
            "status": "draft", "questions": d.questions, "waitlist_enabled": true,
            "planned_hours": null, "min_share_percent": 60, "pending_reviews": 0,
            "organizer_ids": ["user-13900000002"]
        });
        let o: AdminOffering = serde_json::from_value(json).unwrap();
        let back = OfferingForm::from_offering(&o);
        assert_eq!(back.title, "河小青·护河");
        assert_eq!(back.starts_at, f.starts_at);
        assert_eq!(back.min_share_percent, "60");
        assert_eq!(back.questions[0].kind, QuestionKind::YesNo);
        assert_eq!(back.organizer_ids, f.organizer_ids);
    }

    #[test]
    fn error_codes_have_texts() {
        assert_eq!(error_msg("capacity", "below_taken"), Msg::ErrBelowTaken);
        assert_eq!(error_msg("ends_at", "before_start"), Msg::ErrBeforeStart);
        assert_eq!(error_msg("title", "weird"), Msg::ErrInvalidValue);
    }
}
