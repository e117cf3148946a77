//! Labelled form fields with their hint and error text under them.
//!
//! Every input has a `<label>`; the hint and the error are tied to the input with
//! `aria-describedby`, and the input is marked `aria-invalid` while it has an error.

use crate::{
    account::FieldErrors,
    i18n::{Msg, use_i18n},
};
use leptos::prelude::*;

/// Removes `field`'s error as soon as its value changes: the error was about what was there.
pub fn clear_error_on_edit<T>(
    errors: RwSignal<FieldErrors>,
    field: &'static str,
    value: RwSignal<T>,
) where
    T: Send + Sync + 'static,
{
    Effect::new(move |ran: Option<()>| {
        value.track();
        if ran.is_some() && errors.with_untracked(|e| e.iter().any(|(f, _)| f == field)) {
            errors.update(|e| e.retain(|(f, _)| f != field));
        }
    });
}

fn described_by(id: &str, hint: bool, error: bool) -> Option<String> {
    let mut ids = Vec::new();
    if hint {
        ids.push(format!("{id}-hint"));
    }
    if error {
        ids.push(format!("{id}-error"));
    }
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// The error line under a field (nothing when there is no error).
#[component]
fn FieldError(id: &'static str, error: Signal<Option<Msg>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        error.get().map(|msg| {
            view! {
                <p class="field-error" id=format!("{id}-error") role="alert" data-testid=format!("{id}-error")>
                    {i18n.t(msg)}
                </p>
            }
        })
    }
}

/// A text, phone, number or password input.
#[component]
pub fn TextField(
    /// The input's id (also names its hint and error).
    id: &'static str,
    /// The label.
    label: Msg,
    /// What is typed.
    value: RwSignal<String>,
    /// The error to show, if any.
    #[prop(into)]
    error: Signal<Option<Msg>>,
    /// A line of help under the label.
    #[prop(optional)]
    hint: Option<Msg>,
    /// The input type.
    #[prop(default = "text")]
    kind: &'static str,
    /// The autocomplete token, so password managers and phones fill the right thing.
    #[prop(default = "off")]
    autocomplete: &'static str,
    /// The on-screen keyboard to show.
    #[prop(optional)]
    inputmode: Option<&'static str>,
    /// The longest input accepted (the domain's limits).
    #[prop(optional)]
    maxlength: Option<usize>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field" class:field-invalid=move || error.with(Option::is_some)>
            <label class="field-label" for=id>{move || i18n.t(label)}</label>
            {hint.map(|h| view! { <p class="field-hint" id=format!("{id}-hint")>{move || i18n.t(h)}</p> })}
            <input
                class="input"
                id=id
                name=id
                type=kind
                autocomplete=autocomplete
                inputmode=inputmode
                maxlength=maxlength.map(|n| n.to_string())
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                aria-describedby=move || described_by(id, hint.is_some(), error.with(Option::is_some))
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            <FieldError id=id error=error />
        </div>
    }
}

/// A multi-line text input.
#[component]
pub fn TextAreaField(
    /// The input's id.
    id: &'static str,
    /// The label.
    label: Msg,
    /// What is typed.
    value: RwSignal<String>,
    /// The error to show, if any.
    #[prop(into)]
    error: Signal<Option<Msg>>,
    /// A line of help under the label.
    #[prop(optional)]
    hint: Option<Msg>,
    /// The longest input accepted.
    #[prop(optional)]
    maxlength: Option<usize>,
    /// Visible lines.
    #[prop(default = 4)]
    rows: u32,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field" class:field-invalid=move || error.with(Option::is_some)>
            <label class="field-label" for=id>{move || i18n.t(label)}</label>
            {hint.map(|h| view! { <p class="field-hint" id=format!("{id}-hint")>{move || i18n.t(h)}</p> })}
            <textarea
                class="input textarea"
                id=id
                name=id
                rows=rows
                maxlength=maxlength.map(|n| n.to_string())
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                aria-describedby=move || described_by(id, hint.is_some(), error.with(Option::is_some))
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            ></textarea>
            <FieldError id=id error=error />
        </div>
    }
}

/// A choice from a list (`<select>`): `(value, text)` options in order.
#[component]
pub fn SelectField(
    /// The input's id.
    id: &'static str,
    /// The label.
    label: Msg,
    /// The chosen value.
    value: RwSignal<String>,
    /// The options.
    #[prop(into)]
    options: Signal<Vec<(String, String)>>,
    /// The error to show, if any.
    #[prop(into)]
    error: Signal<Option<Msg>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field" class:field-invalid=move || error.with(Option::is_some)>
            <label class="field-label" for=id>{move || i18n.t(label)}</label>
            <select
                class="input select"
                id=id
                name=id
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                aria-describedby=move || described_by(id, false, error.with(Option::is_some))
                prop:value=move || value.get()
                on:change=move |ev| value.set(event_target_value(&ev))
            >
                {move || {
                    let chosen = value.get();
                    options
                        .get()
                        .into_iter()
                        .map(|(v, text)| {
                            let selected = v == chosen;
                            view! { <option value=v selected=selected>{text}</option> }
                        })
                        .collect_view()
                }}
            </select>
            <FieldError id=id error=error />
        </div>
    }
}

/// A checkbox with its label beside it (the whole line is the touch target).
#[component]
pub fn CheckField(
    /// The input's id.
    id: &'static str,
    /// The label.
    label: Msg,
    /// Whether it is ticked.
    checked: RwSignal<bool>,
    /// The error to show, if any.
    #[prop(into)]
    error: Signal<Option<Msg>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field" class:field-invalid=move || error.with(Option::is_some)>
            <label class="check">
                <input
                    type="checkbox"
                    id=id
                    name=id
                    aria-invalid=move || error.with(Option::is_some).then_some("true")
                    aria-describedby=move || described_by(id, false, error.with(Option::is_some))
                    prop:checked=move || checked.get()
                    on:change=move |ev| checked.set(event_target_checked(&ev))
                />
                <span>{move || i18n.t(label)}</span>
            </label>
            <FieldError id=id error=error />
        </div>
    }
}

/// A message about the whole form: what went wrong (`role="alert"`) or what was done
/// (`role="status"`).
#[component]
pub fn FormMessage(
    /// The text, if any.
    #[prop(into)]
    message: Signal<Option<Msg>>,
    /// An error (red) rather than a success (green).
    #[prop(default = true)]
    error: bool,
    /// Shown after the text, e.g. a link to sign in.
    #[prop(optional)]
    children: Option<ChildrenFn>,
    /// For tests.
    #[prop(default = "form-message")]
    testid: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let children = StoredValue::new(children);
    move || {
        message.get().map(|msg| {
            view! {
                <div
                    class=if error { "form-message form-message-error" } else { "form-message form-message-ok" }
                    role=if error { "alert" } else { "status" }
                    data-testid=testid
                >
                    <span>{i18n.t(msg)}</span>
                    {children.with_value(|c| c.as_ref().map(|c| c()))}
                </div>
            }
        })
    }
}

/// A form's last outcome, `(done, text)`: shown as a [`FormMessage`], green when it was done,
/// red when it was not.
#[component]
pub fn OutcomeMessage(
    /// The outcome, if any.
    #[prop(into)]
    outcome: Signal<Option<(bool, Msg)>>,
) -> impl IntoView {
    let failed = Signal::derive(move || outcome.get().and_then(|(ok, m)| (!ok).then_some(m)));
    let done = Signal::derive(move || outcome.get().and_then(|(ok, m)| ok.then_some(m)));
    view! {
        <FormMessage message=failed />
        <FormMessage message=done error=false />
    }
}

#[cfg(test)]
mod tests {
    use super::described_by;

    #[test]
    fn the_description_names_the_hint_and_the_error_that_exist() {
        assert_eq!(described_by("phone", false, false), None);
        assert_eq!(
            described_by("phone", true, false).as_deref(),
            Some("phone-hint")
        );
        assert_eq!(
            described_by("phone", true, true).as_deref(),
            Some("phone-hint phone-error")
        );
    }
}
