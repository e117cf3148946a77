//! The header's account link: the signed-in person's name, or 登录.

use crate::i18n::{Msg, use_i18n};
use crate::nav::A;
use leptos::prelude::*;

/// Links to 我的 with the person's name, or to sign-in when nobody is signed in.
#[component]
pub fn AccountLink(
    /// The signed-in person's name.
    #[prop(into)]
    name: Signal<Option<String>>,
    /// The sign-in link (it carries where to come back to).
    #[prop(into)]
    sign_in_href: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        match name.get() {
        Some(name) => {
            // The name is read from the text itself (no `aria-label`), so what the link is
            // called always holds what it shows: "My account:" is said, not shown.
            view! {
                <A href="/me" attr:class="account-link" attr:data-testid="account-link">
                    <span class="account-avatar" aria-hidden="true">
                        {name.chars().next().map(String::from).unwrap_or_default()}
                    </span>
                    <span class="visually-hidden">{i18n.t(Msg::AccountLinkLabel)}</span>
                    <span class="account-name">{name}</span>
                </A>
            }
            .into_any()
        }
        None => view! {
            <A href=move || sign_in_href.get() attr:class="account-link" attr:data-testid="account-link">
                {i18n.t(Msg::SignIn)}
            </A>
        }
        .into_any(),
    }
    }
}
