//! 登录已过期，请重新登录: shown while the server refuses the saved session.

use crate::i18n::{Msg, use_i18n};
use crate::nav::A;
use leptos::prelude::*;

/// The banner with a link to sign in again and come back to `href`'s `next`.
#[component]
pub fn SessionBanner(
    /// Whether to show it.
    #[prop(into)]
    show: Signal<bool>,
    /// Where the sign-in link goes.
    #[prop(into)]
    href: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Show when=move || show.get()>
            <div class="banner banner-session" role="alert" data-testid="needs-sign-in">
                <span>{move || i18n.t(Msg::NeedsSignIn)}</span>
                <A href=move || href.get() attr:class="button button-primary">
                    {move || i18n.t(Msg::SignInAgain)}
                </A>
            </div>
        </Show>
    }
}
