//! Questions an offering asks at sign-up, and the answers people give: checked here so the app
//! refuses a bad answer before sending and the server refuses it again.

use crate::text::Field;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Most questions on one offering.
pub const MAX_QUESTIONS: usize = 20;
/// Longest text answer.
pub const MAX_TEXT_ANSWER: usize = 500;

/// The kind of a custom question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

impl QuestionKind {
    /// Every value.
    pub const ALL: [Self; 4] = [
        Self::Text,
        Self::SingleChoice,
        Self::MultipleChoice,
        Self::YesNo,
    ];

    /// The name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::SingleChoice => "single_choice",
            Self::MultipleChoice => "multiple_choice",
            Self::YesNo => "yes_no",
        }
    }
}

crate::serde_by_name! {
    QuestionKind => "text, single_choice, multiple_choice or yes_no",
}

/// A question asked at sign-up (e.g. 衣服尺码, 是否会游泳).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use serde_json::json;

    pub(crate) fn questions() -> Vec<Question> {
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
}
