//! Under a programme: its registration state and the action the person can take.

use crate::i18n::{Lang, Msg};
use leptos::prelude::*;

/// What the bar knows of the person's registration for this programme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registered {
    /// The registration id.
    pub id: String,
    /// The state in words.
    pub label: String,
    /// Not yet confirmed by the server.
    pub pending: bool,
    /// The person may cancel it.
    pub cancellable: bool,
    /// A live registration: no new sign-up offered.
    pub live: bool,
    /// A line under the state (an admin's note on an approval).
    pub note: Option<String>,
}

/// 报名 / 登录后报名, the state, and a two-step 取消报名.
#[component]
pub fn RegistrationBar(
    /// Display language.
    lang: Lang,
    /// Signed in (else a link to sign in).
    signed_in: bool,
    /// Where signing in starts.
    sign_in_href: String,
    /// The registration, if any.
    registered: Option<Registered>,
    /// Sign-up is possible now (window open).
    can_sign_up: bool,
    /// Signing up needs a form (questions): a link there instead of the one-tap button.
    #[prop(optional_no_strip)]
    signup_href: Option<String>,
    /// Sign up.
    on_request: Callback<()>,
    /// Cancel the registration with this id.
    on_cancel: Callback<String>,
) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let state = registered.as_ref().map(|r| {
        view! {
            <div class="reg-lines">
                <span class="reg-state" class:reg-pending=r.pending data-testid="registration-state">
                    {r.label.clone()}
                </span>
                {r.note.clone().map(|n| view! { <span class="reg-note" data-testid="registration-note">{n}</span> })}
            </div>
        }
    });
    let live = registered.as_ref().is_some_and(|r| r.live);
    let action = if !signed_in {
        Some(
            view! { <a class="button" href=sign_in_href>{Msg::SignInToSignUp.text(lang)}</a> }
                .into_any(),
        )
    } else if let Some(r) = registered.clone().filter(|r| r.cancellable) {
        let id = r.id.clone();
        Some(
            view! {
                <Show
                    when=move || confirming.get()
                    fallback=move || {
                        view! {
                            <button type="button" class="button" on:click=move |_| confirming.set(true)>
                                {Msg::CancelAction.text(lang)}
                            </button>
                        }
                    }
                >
                    {
                        let id = id.clone();
                        view! {
                            <button
                                type="button"
                                class="button button-danger"
                                on:click=move |_| {
                                    confirming.set(false);
                                    on_cancel.run(id.clone());
                                }
                            >
                                {Msg::CancelConfirm.text(lang)}
                            </button>
                            <button type="button" class="button" on:click=move |_| confirming.set(false)>
                                {Msg::CancelKeep.text(lang)}
                            </button>
                        }
                    }
                </Show>
            }
            .into_any(),
        )
    } else if let Some(href) = signup_href.filter(|_| !live && can_sign_up) {
        Some(
            view! { <a class="button button-primary" href=href>{Msg::SignUpAction.text(lang)}</a> }
                .into_any(),
        )
    } else if !live && can_sign_up {
        Some(
            view! {
                <button type="button" class="button button-primary" on:click=move |_| on_request.run(())>
                    {Msg::SignUpAction.text(lang)}
                </button>
            }
            .into_any(),
        )
    } else {
        None
    };
    view! {
        <div class="registration-bar">
            {state}
            <div class="registration-actions">{action}</div>
        </div>
    }
}
