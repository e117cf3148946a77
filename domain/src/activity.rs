//! What admins create: offerings with their rules and custom questions, and the answers people
//! give. Checked here so the app can refuse a bad form before sending and the server refuses it
//! again.

use crate::account::FieldError;
use crate::registration::Allocation;
use crate::text::Field;
use crate::{OfferingKind, OfferingSummary};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;

/// Most questions on one offering.
pub const MAX_QUESTIONS: usize = 20;
/// Longest text answer.
pub const MAX_TEXT_ANSWER: usize = 500;

/// The kind of a custom question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// Free text (up to 500 characters). Answer: a string.
    Text,
    /// One of `options`. Answer: one option string.
    SingleChoice,
    /// Any of `options`. Answer: an array of option strings.
    MultipleChoice,
    /// 是 / 否. Answer: a boolean.
    YesNo,
}

/// A question asked at sign-up (e.g. 衣服尺码, 是否会游泳).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    /// Stable id within the offering (answers are keyed by it).
    pub id: String,
    /// The question as shown.
    pub label: String,
    /// What kind of answer.
    pub kind: QuestionKind,
    /// The choices, for single and multiple choice.
    #[serde(default)]
    pub options: Vec<String>,
    /// Must be answered.
    #[serde(default)]
    pub required: bool,
}

/// Why answers are refused: the question and a code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerError {
    /// The question's id.
    pub question_id: String,
    /// `required`, `not_an_option`, `wrong_type`, `too_long`, `bad_characters`,
    /// `unknown_question`.
    pub code: &'static str,
}

fn answer_error(q: &str, code: &'static str) -> AnswerError {
    AnswerError {
        question_id: q.to_owned(),
        code,
    }
}

/// Checks answers against the questions: every required one answered, each answer of the right
/// shape, no answers to questions that do not exist.
pub fn check_answers(
    questions: &[Question],
    answers: &Map<String, Value>,
) -> Result<(), AnswerError> {
    if let Some(unknown) = answers
        .keys()
        .find(|k| !questions.iter().any(|q| &q.id == *k))
    {
        return Err(answer_error(unknown, "unknown_question"));
    }
    for q in questions {
        let answer = answers.get(&q.id).filter(|v| !is_blank(v));
        let Some(a) = answer else {
            if q.required {
                return Err(answer_error(&q.id, "required"));
            }
            continue;
        };
        match q.kind {
            QuestionKind::Text => match a.as_str() {
                Some(s) => {
                    if let Err(code) = crate::text::check(s, Field::Lines, MAX_TEXT_ANSWER, false) {
                        return Err(answer_error(&q.id, code));
                    }
                }
                None => return Err(answer_error(&q.id, "wrong_type")),
            },
            QuestionKind::YesNo => {
                if !a.is_boolean() {
                    return Err(answer_error(&q.id, "wrong_type"));
                }
            }
            QuestionKind::SingleChoice => match a.as_str() {
                Some(s) if q.options.iter().any(|o| o == s) => {}
                Some(_) => return Err(answer_error(&q.id, "not_an_option")),
                None => return Err(answer_error(&q.id, "wrong_type")),
            },
            QuestionKind::MultipleChoice => {
                let Some(items) = a.as_array() else {
                    return Err(answer_error(&q.id, "wrong_type"));
                };
                for item in items {
                    match item.as_str() {
                        Some(s) if q.options.iter().any(|o| o == s) => {}
                        _ => return Err(answer_error(&q.id, "not_an_option")),
                    }
                }
                if q.required && items.is_empty() {
                    return Err(answer_error(&q.id, "required"));
                }
            }
        }
    }
    Ok(())
}

fn is_blank(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// An offering as an admin writes it (`POST /api/v1/admin/offerings`, `PUT …/{id}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfferingDraft {
    /// Activity, course or mixer.
    pub kind: OfferingKind,
    /// Title.
    pub title: String,
    /// Description.
    pub summary: String,
    /// Category (河小青, 垃圾分类, 希望小屋, 讲座 …).
    pub category: String,
    /// Venue id.
    pub venue_id: String,
    /// Start.
    #[serde(with = "crate::moment::rfc3339")]
    pub starts_at: OffsetDateTime,
    /// End.
    #[serde(with = "crate::moment::rfc3339")]
    pub ends_at: OffsetDateTime,
    /// Lessons (courses); 1 otherwise.
    #[serde(default = "one")]
    pub sessions: u32,
    /// Seats.
    pub capacity: u32,
    /// Sign-up opens; `None`: at once.
    #[serde(default, with = "crate::moment::rfc3339::option")]
    pub signup_opens_at: Option<OffsetDateTime>,
    /// Sign-up closes.
    #[serde(with = "crate::moment::rfc3339")]
    pub signup_closes_at: OffsetDateTime,
    /// An admin approves each registration.
    #[serde(default)]
    pub requires_approval: bool,
    /// A waitlist when full.
    #[serde(default = "yes")]
    pub waitlist_enabled: bool,
    /// First come or lottery.
    #[serde(default)]
    pub allocation: Allocation,
    /// Volunteer hours granted for full attendance (the cap on credited hours).
    #[serde(default)]
    pub volunteer_hours: Option<u32>,
    /// The planned total of service hours (for honour hours and reports).
    #[serde(default)]
    pub planned_hours: Option<u32>,
    /// Minimum share of the activity to earn hours, in percent (default 60).
    #[serde(default)]
    pub min_share_percent: Option<u8>,
    /// Questions asked at sign-up.
    #[serde(default)]
    pub questions: Vec<Question>,
}

fn one() -> u32 {
    1
}

fn yes() -> bool {
    true
}

/// A required one-line field under the text rule ([`crate::text`]).
fn text_ok(s: &str, max: usize) -> Result<(), &'static str> {
    crate::text::check(s, Field::Line, max, true).map(|_| ())
}

impl OfferingDraft {
    /// Checks every field; all failures at once.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Vec::new();
        let mut push = |field: &'static str, code: &'static str| e.push(FieldError { field, code });
        if let Err(c) = text_ok(&self.title, 60) {
            push("title", c);
        }
        if let Err(c) = crate::text::check(&self.summary, Field::Lines, 2000, false) {
            push("summary", c);
        }
        if let Err(c) = text_ok(&self.category, 20) {
            push("category", c);
        }
        if self.venue_id.trim().is_empty() {
            push("venue_id", "required");
        }
        for (field, t) in [
            ("starts_at", Some(self.starts_at)),
            ("ends_at", Some(self.ends_at)),
            ("signup_opens_at", self.signup_opens_at),
            ("signup_closes_at", Some(self.signup_closes_at)),
        ] {
            if t.is_some_and(|t| !crate::moment::is_schedule(t)) {
                push(field, "out_of_range");
            }
        }
        if self.ends_at <= self.starts_at {
            push("ends_at", "before_start");
        }
        if self.ends_at - self.starts_at > time::Duration::days(7) {
            push("ends_at", "too_long");
        }
        if !(1..=100).contains(&self.sessions) {
            push("sessions", "out_of_range");
        }
        if !(1..=100_000).contains(&self.capacity) {
            push("capacity", "out_of_range");
        }
        if self.signup_closes_at > self.ends_at {
            push("signup_closes_at", "after_end");
        }
        if self
            .signup_opens_at
            .is_some_and(|o| o >= self.signup_closes_at)
        {
            push("signup_opens_at", "after_close");
        }
        if self.volunteer_hours.is_some_and(|h| h > 24 * 7) {
            push("volunteer_hours", "out_of_range");
        }
        if self.planned_hours.is_some_and(|h| h > 100_000) {
            push("planned_hours", "out_of_range");
        }
        if self.min_share_percent.is_some_and(|p| p > 100) {
            push("min_share_percent", "out_of_range");
        }
        if self.questions.len() > MAX_QUESTIONS {
            push("questions", "too_many");
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
            if bad_id || !ids.insert(q.id.clone()) {
                push("questions", "bad_id");
            } else if text_ok(&q.label, 100).is_err() {
                push("questions", "bad_label");
            } else if (choice && !(2..=20).contains(&q.options.len()))
                || q.options.iter().any(|o| text_ok(o, 50).is_err())
            {
                push("questions", "bad_options");
            }
        }
        if e.is_empty() { Ok(()) } else { Err(e) }
    }
}

/// An offering as the admin screens see it: the public summary and what only admins set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminOffering {
    /// What everyone sees.
    #[serde(flatten)]
    pub summary: OfferingSummary,
    /// Planned total service hours.
    pub planned_hours: Option<u32>,
    /// Minimum share for hours, percent.
    pub min_share_percent: u8,
    /// Registrations awaiting review.
    pub pending_reviews: u32,
    /// Organizers assigned directly.
    pub organizer_ids: Vec<String>,
}

/// `POST /api/v1/admin/offerings/{id}/cancel`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancelOffering {
    /// Shown to every registrant.
    pub reason: String,
}

/// The longest reason an admin or organizer gives (a rejection, a cancellation, a correction).
pub const MAX_REASON: usize = 200;

/// A reason shown to people (why a sign-up was rejected, an offering cancelled, hours
/// corrected): one line under the text rule, trimmed, at most [`MAX_REASON`] characters.
pub fn parse_reason(raw: &str, required: bool) -> Result<&str, &'static str> {
    crate::text::check(raw, Field::Line, MAX_REASON, required)
}

/// One registration in the admin's review queue (`GET /api/v1/admin/reviews`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewItem {
    /// The registration.
    pub registration_id: String,
    /// The offering.
    pub offering_id: String,
    /// Its title.
    pub offering_title: String,
    /// The person.
    pub display_name: String,
    /// Their phone (admins see it whole).
    pub phone: String,
    /// Year of birth.
    pub birth_year: i32,
    /// Their answers.
    pub answers: Map<String, Value>,
    /// Status (`pending_review` in the queue; others when filtering by status).
    pub status: crate::registration::RegistrationStatus,
    /// When the server received it (Unix seconds).
    #[serde(deserialize_with = "crate::moment::unix_s")]
    pub received_at: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn questions() -> Vec<Question> {
        vec![
            Question {
                id: "size".into(),
                label: "衣服尺码".into(),
                kind: QuestionKind::SingleChoice,
                options: vec!["S".into(), "M".into(), "L".into()],
                required: true,
            },
            Question {
                id: "swim".into(),
                label: "是否会游泳".into(),
                kind: QuestionKind::YesNo,
                options: vec![],
                required: false,
            },
            Question {
                id: "skills".into(),
                label: "特长".into(),
                kind: QuestionKind::MultipleChoice,
                options: vec!["急救".into(), "摄影".into()],
                required: false,
            },
            Question {
                id: "note".into(),
                label: "备注".into(),
                kind: QuestionKind::Text,
                options: vec![],
                required: false,
            },
        ]
    }

    fn check(answers: Value) -> Result<(), (String, &'static str)> {
        check_answers(&questions(), answers.as_object().unwrap())
            .map_err(|e| (e.question_id, e.code))
    }

    #[test]
    fn answers_are_checked_against_the_questions() {
        assert_eq!(check(json!({ "size": "M" })), Ok(()));
        assert_eq!(
            check(json!({ "size": "M", "swim": true, "skills": ["急救"], "note": "无" })),
            Ok(())
        );
        assert_eq!(check(json!({})), Err(("size".into(), "required")));
        assert_eq!(
            check(json!({ "size": "  " })),
            Err(("size".into(), "required"))
        );
        assert_eq!(
            check(json!({ "size": "XXL" })),
            Err(("size".into(), "not_an_option"))
        );
        assert_eq!(
            check(json!({ "size": "M", "swim": "yes" })),
            Err(("swim".into(), "wrong_type"))
        );
        assert_eq!(
            check(json!({ "size": "M", "skills": ["跳舞"] })),
            Err(("skills".into(), "not_an_option"))
        );
        assert_eq!(
            check(json!({ "size": "M", "note": "长".repeat(501) })),
            Err(("note".into(), "too_long"))
        );
        assert_eq!(
            check(json!({ "size": "M", "hack": 1 })),
            Err(("hack".into(), "unknown_question"))
        );
    }

    #[test]
    fn a_draft_is_checked_field_by_field() {
        let t = |s: &str| {
            OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).unwrap()
        };
        let mut d = OfferingDraft {
            kind: OfferingKind::Activity,
            title: "河小青·护河".into(),
            summary: "".into(),
            category: "河小青".into(),
            venue_id: "venue-station".into(),
            starts_at: t("2026-12-05T09:00:00+08:00"),
            ends_at: t("2026-12-05T11:30:00+08:00"),
            sessions: 1,
            capacity: 30,
            signup_opens_at: None,
            signup_closes_at: t("2026-12-04T20:00:00+08:00"),
            requires_approval: false,
            waitlist_enabled: true,
            allocation: Allocation::FirstCome,
            volunteer_hours: Some(2),
            planned_hours: Some(60),
            min_share_percent: None,
            questions: questions(),
        };
        assert_eq!(d.validate(), Ok(()));
        d.title = " ".into();
        d.ends_at = d.starts_at;
        d.capacity = 0;
        d.questions.push(questions()[0].clone());
        let codes: Vec<_> = d
            .validate()
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect();
        assert_eq!(
            codes,
            [
                ("title", "required"),
                ("ends_at", "before_start"),
                ("capacity", "out_of_range"),
                ("questions", "bad_id")
            ]
        );
    }
}
