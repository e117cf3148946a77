//! What the person should be told after a sync (the server decided otherwise, or refused).

use leptos::prelude::*;

/// A list of notices with one button to dismiss them all.
#[component]
pub fn NoticeList(
    /// The notices, in words.
    items: Signal<Vec<String>>,
    /// The dismiss button's label.
    dismiss_label: Signal<&'static str>,
    /// Called when the person dismisses them.
    on_dismiss: Callback<()>,
) -> impl IntoView {
    view! {
        <Show when=move || !items.get().is_empty()>
            <div class="banner banner-notice" role="alert" data-testid="notices">
                <ul class="notice-items">
                    {move || items.get().into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}
                </ul>
                <button type="button" class="button" on:click=move |_| on_dismiss.run(())>
                    {move || dismiss_label.get()}
                </button>
            </div>
        </Show>
    }
}
