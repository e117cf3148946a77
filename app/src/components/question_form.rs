//! The sign-up questions of an offering: text, single choice, multiple choice, yes/no, each
//! marked when required, with the error under the question it is about.

use crate::i18n::{Msg, use_i18n};
use domain::questions::{Question, QuestionKind};
use leptos::prelude::*;
use serde_json::{Map, Value};

/// Sets (or, for an empty text or an empty multiple choice, removes) one answer.
pub fn set_answer(answers: &mut Map<String, Value>, id: &str, value: Option<Value>) {
    let empty = match &value {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.trim().is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        _ => false,
    };
    if empty {
        answers.remove(id);
    } else if let Some(v) = value {
        answers.insert(id.to_owned(), v);
    }
}

/// Ticks or unticks `option` in a multiple-choice answer, keeping the options' order.
pub fn toggle_option(current: Option<&Value>, options: &[String], option: &str, on: bool) -> Value {
    let chosen: Vec<&str> = current
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    Value::Array(
        options
            .iter()
            .filter(|o| {
                if o.as_str() == option {
                    on
                } else {
                    chosen.contains(&o.as_str())
                }
            })
            .map(|o| Value::String(o.clone()))
            .collect(),
    )
}

/// The input id of a question's first control (for focus on error).
pub fn question_input_id(question_id: &str) -> String {
    format!("answer-{question_id}")
}

/// The questions, bound to `answers`; `error` is the question id at fault and its text.
#[component]
pub fn QuestionForm(
    /// The questions, in order.
    questions: Vec<Question>,
    /// The answers so far, keyed by question id.
    answers: RwSignal<Map<String, Value>>,
    /// The question at fault and what to say.
    #[prop(into)]
    error: Signal<Option<(String, Msg)>>,
) -> impl IntoView {
    let i18n = use_i18n();
    questions
        .into_iter()
        .map(|q| {
            let qid = StoredValue::new(q.id.clone());
            let input_id = question_input_id(&q.id);
            let error_id = format!("{input_id}-error");
            let has_error = move || error.with(|e| e.as_ref().is_some_and(|(id, _)| qid.with_value(|q| q == id)));
            let error_line = move || {
                error.get().filter(|(id, _)| qid.with_value(|q| q == id)).map(|(_, msg)| {
                    view! {
                        <p class="field-error" id=format!("answer-{}-error", qid.get_value()) role="alert">
                            {i18n.t(msg)}
                        </p>
                    }
                })
            };
            let required = q.required.then(|| {
                view! { <span class="tag tag-required">{move || i18n.t(Msg::Required)}</span> }
            });
            let label = q.label.clone();
            let control = match q.kind {
                QuestionKind::Text => {
                    let id = input_id.clone();
                    view! {
                        <label class="field-label" for=id.clone()>{label} " " {required}</label>
                        <textarea
                            class="input textarea"
                            id=id
                            rows="3"
                            maxlength=domain::questions::MAX_TEXT_ANSWER.to_string()
                            aria-invalid=move || has_error().then_some("true")
                            aria-describedby=move || has_error().then(|| error_id.clone())
                            prop:value=move || {
                                answers.with(|a| a.get(&qid.get_value()).and_then(Value::as_str).unwrap_or("").to_owned())
                            }
                            on:input=move |ev| {
                                let text = event_target_value(&ev);
                                answers.update(|a| set_answer(a, &qid.get_value(), Some(Value::String(text))));
                            }
                        ></textarea>
                    }
                    .into_any()
                }
                QuestionKind::SingleChoice | QuestionKind::YesNo | QuestionKind::MultipleChoice => {
                    let multiple = q.kind == QuestionKind::MultipleChoice;
                    // Yes and no are words of the app (translated); options are the admin's.
                    let choices: Vec<(Value, Option<Msg>, String)> = match q.kind {
                        QuestionKind::YesNo => vec![
                            (Value::Bool(true), Some(Msg::Yes), String::new()),
                            (Value::Bool(false), Some(Msg::No), String::new()),
                        ],
                        _ => q.options.iter().map(|o| (Value::String(o.clone()), None, o.clone())).collect(),
                    };
                    let options = StoredValue::new(q.options.clone());
                    let items = choices
                        .into_iter()
                        .enumerate()
                        .map(|(i, (value, msg, text))| {
                            let id = if i == 0 { input_id.clone() } else { format!("{input_id}-{i}") };
                            let v1 = value.clone();
                            let v2 = value.clone();
                            let checked = move || {
                                answers.with(|a| {
                                    let current = a.get(&qid.get_value());
                                    if multiple {
                                        current.and_then(Value::as_array).is_some_and(|arr| arr.contains(&v1))
                                    } else {
                                        current == Some(&v1)
                                    }
                                })
                            };
                            let on_change = move |ev| {
                                let on = event_target_checked(&ev);
                                let id = qid.get_value();
                                answers.update(|a| {
                                    let next = if multiple {
                                        let option = v2.as_str().unwrap_or_default().to_owned();
                                        Some(options.with_value(|o| toggle_option(a.get(&id), o, &option, on)))
                                    } else if on {
                                        Some(v2.clone())
                                    } else {
                                        return;
                                    };
                                    set_answer(a, &id, next);
                                });
                            };
                            view! {
                                <label class="check">
                                    <input
                                        type=if multiple { "checkbox" } else { "radio" }
                                        id=id
                                        name=format!("answer-{}", qid.get_value())
                                        prop:checked=checked
                                        on:change=on_change
                                    />
                                    <span>{move || msg.map(|m| i18n.t(m).to_owned()).unwrap_or_else(|| text.clone())}</span>
                                </label>
                            }
                        })
                        .collect_view();
                    view! {
                        <fieldset
                            class="choices"
                            aria-invalid=move || has_error().then_some("true")
                            aria-describedby=move || has_error().then(|| error_id.clone())
                        >
                            <legend class="choices-legend">{label} " " {required}</legend>
                            {items}
                        </fieldset>
                    }
                    .into_any()
                }
            };
            view! {
                <div
                    class="field question"
                    class:field-invalid=has_error
                    data-testid="question"
                    data-question=q.id.clone()
                >
                    {control}
                    {error_line}
                </div>
            }
        })
        .collect_view()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn empty_answers_are_removed_so_required_questions_are_caught() {
        let mut a = Map::new();
        set_answer(&mut a, "note", Some(json!("  hello ")));
        set_answer(&mut a, "swim", Some(json!(false)));
        assert_eq!(a.len(), 2);
        set_answer(&mut a, "note", Some(json!("   ")));
        set_answer(&mut a, "skills", Some(json!([])));
        assert_eq!(Value::Object(a), json!({ "swim": false }));
    }

    #[test]
    fn multiple_choices_keep_the_options_order() {
        let options = ["急救".to_owned(), "摄影".into(), "翻译".into()];
        let v = toggle_option(None, &options, "翻译", true);
        let v = toggle_option(Some(&v), &options, "急救", true);
        assert_eq!(v, json!(["急救", "翻译"]));
        let v = toggle_option(Some(&v), &options, "急救", false);
        assert_eq!(v, json!(["翻译"]));
        assert_eq!(question_input_id("size"), "answer-size");
    }
}
