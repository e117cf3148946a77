//! One custom question in the editor: its label, kind, options and whether it is required,
//! moved up or down or removed.

use crate::{
    account::{FieldErrors, error_for},
    i18n::{Lang, Msg, use_i18n},
    offering_form::{QuestionDraft, move_item},
};
use domain::questions::QuestionKind;
use leptos::prelude::*;

fn question_kind_msg(kind: QuestionKind) -> Msg {
    match kind {
        QuestionKind::SingleChoice => Msg::QuestionSingle,
        QuestionKind::MultipleChoice => Msg::QuestionMultiple,
        QuestionKind::Text => Msg::QuestionText,
        QuestionKind::YesNo => Msg::QuestionYesNo,
    }
}

const QUESTION_KINDS: [(QuestionKind, &str); 4] = [
    (QuestionKind::SingleChoice, "single_choice"),
    (QuestionKind::MultipleChoice, "multiple_choice"),
    (QuestionKind::Text, "text"),
    (QuestionKind::YesNo, "yes_no"),
];

/// One question in the editor, found by its id (so reordering keeps what was typed).
#[component]
pub(super) fn QuestionEditor(
    id: String,
    questions: RwSignal<Vec<QuestionDraft>>,
    errors: RwSignal<FieldErrors>,
) -> impl IntoView {
    let i18n = use_i18n();
    let qid = StoredValue::new(id.clone());
    let index = move || questions.with(|qs| qs.iter().position(|q| q.id == qid.get_value()));
    let get = move |read: fn(&QuestionDraft) -> String| {
        questions.with(|qs| {
            qs.iter()
                .find(|q| q.id == qid.get_value())
                .map(read)
                .unwrap_or_default()
        })
    };
    let update = move |change: Box<dyn FnOnce(&mut QuestionDraft)>| {
        questions.update(|qs| {
            if let Some(q) = qs.iter_mut().find(|q| q.id == qid.get_value()) {
                change(q);
            }
        });
    };
    let kind = move || {
        questions
            .with(|qs| qs.iter().find(|q| q.id == qid.get_value()).map(|q| q.kind))
            .unwrap_or(QuestionKind::Text)
    };
    let required =
        move || questions.with(|qs| qs.iter().any(|q| q.id == qid.get_value() && q.required));
    let is_choice = move || {
        matches!(
            kind(),
            QuestionKind::SingleChoice | QuestionKind::MultipleChoice
        )
    };
    let error = move || {
        let i = index()?;
        errors.with(|e| error_for(e, &format!("questions.{i}")))
    };
    let label_id = format!("question-{id}-label");
    let kind_id = format!("question-{id}-kind");
    let options_id = format!("question-{id}-options");
    let required_id = format!("question-{id}-required");
    let lang_kinds = move |lang: Lang| {
        QUESTION_KINDS
            .iter()
            .map(|(k, v)| (*k, *v, question_kind_msg(*k).text(lang)))
            .collect::<Vec<_>>()
    };
    view! {
        <li class="question-edit" data-testid="question-edit" class:field-invalid=move || error().is_some()>
            <div class="field">
                <label class="field-label" for=label_id.clone()>
                    {move || i18n.f(Msg::QuestionNumber, &[&index().map(|i| i + 1).unwrap_or(0).to_string()])}
                </label>
                <input
                    class="input"
                    id=label_id.clone()
                    maxlength="100"
                    prop:value=move || get(|q| q.label.clone())
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        update(Box::new(move |q| q.label = v));
                    }
                />
            </div>
            <div class="field">
                <label class="field-label" for=kind_id.clone()>{move || i18n.t(Msg::QuestionKindLabel)}</label>
                <select
                    class="input select"
                    id=kind_id.clone()
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if let Some((k, _)) = QUESTION_KINDS.iter().find(|(_, s)| *s == v) {
                            let k = *k;
                            update(Box::new(move |q| q.kind = k));
                        }
                    }
                >
                    {move || {
                        let current = kind();
                        lang_kinds(i18n.lang.get())
                            .into_iter()
                            .map(|(k, v, text)| view! { <option value=v selected=k == current>{text}</option> })
                            .collect_view()
                    }}
                </select>
            </div>
            <Show when=is_choice>
                <div class="field">
                    <label class="field-label" for=options_id.clone()>{move || i18n.t(Msg::QuestionOptions)}</label>
                    <p class="field-hint">{move || i18n.t(Msg::QuestionOptionsHint)}</p>
                    <textarea
                        class="input textarea"
                        id=options_id.clone()
                        rows="3"
                        prop:value=move || get(|q| q.options.clone())
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            update(Box::new(move |q| q.options = v));
                        }
                    ></textarea>
                </div>
            </Show>
            <label class="check">
                <input
                    type="checkbox"
                    id=required_id
                    prop:checked=required
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        update(Box::new(move |q| q.required = on));
                    }
                />
                <span>{move || i18n.t(Msg::QuestionRequired)}</span>
            </label>
            {move || error().map(|m| view! { <p class="field-error" role="alert">{i18n.t(m)}</p> })}
            <div class="actions">
                <button
                    type="button"
                    class="button"
                    disabled=move || index() == Some(0)
                    on:click=move |_| {
                        if let Some(i) = index() {
                            questions.update(|qs| move_item(qs, i, true));
                        }
                    }
                >
                    {move || i18n.t(Msg::MoveUp)}
                </button>
                <button
                    type="button"
                    class="button"
                    disabled=move || index().is_some_and(|i| i + 1 >= questions.with(Vec::len))
                    on:click=move |_| {
                        if let Some(i) = index() {
                            questions.update(|qs| move_item(qs, i, false));
                        }
                    }
                >
                    {move || i18n.t(Msg::MoveDown)}
                </button>
                <button
                    type="button"
                    class="button"
                    on:click=move |_| questions.update(|qs| qs.retain(|q| q.id != qid.get_value()))
                >
                    {move || i18n.t(Msg::RemoveQuestion)}
                </button>
            </div>
        </li>
    }
}
