//! The answers to an offering's questions, in words.

use crate::i18n::{Lang, Msg};
use domain::questions::Question;
use serde_json::Value;

/// An answer in words: texts as given, yes/no, choices joined.
pub fn answer_text(lang: Lang, v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(true) => Msg::Yes.text(lang).to_owned(),
        Value::Bool(false) => Msg::No.text(lang).to_owned(),
        Value::Array(items) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| i.to_string())
            })
            .collect::<Vec<_>>()
            .join(Msg::ListJoin.text(lang)),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The answers as `(question, answer)` in the offering's order; answers to questions the
/// offering no longer has come last under their id.
pub fn answer_lines(
    lang: Lang,
    questions: &[Question],
    answers: &serde_json::Map<String, Value>,
) -> Vec<(String, String)> {
    let mut lines: Vec<(String, String)> = questions
        .iter()
        .filter_map(|q| {
            answers
                .get(&q.id)
                .map(|a| (q.label.clone(), answer_text(lang, a)))
        })
        .collect();
    for (id, a) in answers {
        if !questions.iter().any(|q| &q.id == id) {
            lines.push((id.clone(), answer_text(lang, a)));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::questions::QuestionKind;
    use serde_json::json;

    #[test]
    fn answers_read_in_the_offerings_order() {
        let questions = vec![
            Question {
                id: "size".into(),
                label: "尺码".into(),
                kind: QuestionKind::SingleChoice,
                options: vec!["M".into()],
                required: true,
            },
            Question {
                id: "swim".into(),
                label: "会游泳".into(),
                kind: QuestionKind::YesNo,
                options: vec![],
                required: false,
            },
            Question {
                id: "skills".into(),
                label: "特长".into(),
                kind: QuestionKind::MultipleChoice,
                options: vec![],
                required: false,
            },
        ];
        let answers = json!({ "skills": ["急救", "摄影"], "swim": false, "size": "M", "old": "x" });
        let lines = answer_lines(Lang::Zh, &questions, answers.as_object().unwrap());
        assert_eq!(
            lines,
            [
                ("尺码".to_owned(), "M".to_owned()),
                ("会游泳".into(), "否".into()),
                ("特长".into(), "急救、摄影".into()),
                ("old".into(), "x".into()),
            ]
        );
    }
}
