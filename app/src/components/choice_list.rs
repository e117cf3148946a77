//! A list of checkboxes for choosing several things (roles, programmes).

use leptos::prelude::*;

/// One thing to choose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// What is stored when chosen.
    pub value: String,
    /// What people read.
    pub label: String,
    /// A second, quieter line (a date, a place).
    pub detail: Option<String>,
}

/// Toggles `value` in `selected`, keeping the order things were chosen in.
pub fn toggle(selected: &mut Vec<String>, value: &str, on: bool) {
    let has = selected.iter().any(|v| v == value);
    if on && !has {
        selected.push(value.to_owned());
    } else if !on {
        selected.retain(|v| v != value);
    }
}

/// Checkboxes in a `<fieldset>`, each with its label; the whole line is the touch target.
#[component]
pub fn ChoiceList(
    /// What the choices are about (the fieldset's legend).
    #[prop(into)]
    legend: Signal<String>,
    /// The choices, in display order.
    #[prop(into)]
    options: Signal<Vec<Choice>>,
    /// The chosen values.
    selected: RwSignal<Vec<String>>,
    /// Makes the checkboxes' ids unique on the page.
    id_prefix: String,
    /// Lay the choices out in a row where they fit (short labels such as roles).
    #[prop(default = false)]
    inline: bool,
) -> impl IntoView {
    let id_prefix = StoredValue::new(id_prefix);
    view! {
        <fieldset class="choices" class:choices-inline=inline>
            <legend class="choices-legend">{move || legend.get()}</legend>
            <For each=move || options.get() key=|c| (c.value.clone(), c.label.clone()) let:choice>
                {
                    let id = format!("{}-{}", id_prefix.get_value(), choice.value);
                    let value = choice.value.clone();
                    let value2 = choice.value.clone();
                    view! {
                        <label class="check">
                            <input
                                type="checkbox"
                                id=id
                                value=choice.value.clone()
                                prop:checked=move || selected.with(|s| s.contains(&value))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    selected.update(|s| toggle(s, &value2, on));
                                }
                            />
                            <span class="check-text">
                                <span>{choice.label.clone()}</span>
                                {choice.detail.clone().map(|d| view! { <small class="check-detail">{d}</small> })}
                            </span>
                        </label>
                    }
                }
            </For>
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::toggle;

    #[test]
    fn toggling_adds_once_and_removes_every_copy() {
        let mut s = vec!["a".to_owned()];
        toggle(&mut s, "b", true);
        toggle(&mut s, "b", true);
        assert_eq!(s, ["a", "b"]);
        toggle(&mut s, "a", false);
        assert_eq!(s, ["b"]);
        toggle(&mut s, "zzz", false);
        assert_eq!(s, ["b"]);
    }
}
