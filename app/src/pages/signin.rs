//! 登录: phone and password, then back to where the person came from.

use crate::nav::{A, use_navigate, use_query_map};
use crate::{
    account::{FieldErrors, check_sign_in, error_for, general_error_msg, safe_next},
    api,
    components::field::{FormMessage, TextField, clear_error_on_edit},
    dom,
    i18n::{Msg, use_i18n},
    state::session::use_session,
};
use domain::LoginRequest;
use leptos::{ev::SubmitEvent, prelude::*};

/// The sign-in form. With a session the server refused, the phone is filled in and the
/// screen says whose account to sign back in to.
#[component]
pub fn SignIn() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let query = use_query_map();
    let navigate = use_navigate();
    let next = Memo::new(move |_| safe_next(query.with(|q| q.get("next")).as_deref()));

    let remembered = session
        .needs_sign_in
        .get_untracked()
        .then(|| {
            session
                .session
                .with_untracked(|s| s.as_ref().map(|s| s.user.clone()))
        })
        .flatten();
    let phone = RwSignal::new(
        remembered
            .as_ref()
            .map(|u| u.phone.clone())
            .unwrap_or_default(),
    );
    let password = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::new());
    let message = RwSignal::new(None::<Msg>);
    let busy = RwSignal::new(false);
    let field_error =
        move |field: &'static str| Signal::derive(move || errors.with(|e| error_for(e, field)));
    clear_error_on_edit(errors, "phone", phone);
    clear_error_on_edit(errors, "password", password);

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let request = LoginRequest {
            phone: phone.get_untracked(),
            password: password.get_untracked(),
            device_token: crate::state::session::device_token(),
        };
        if let Err(found) = check_sign_in(&request.phone, &request.password) {
            if let Some((field, _)) = found.first() {
                dom::focus(field);
            }
            errors.set(found);
            message.set(Some(Msg::FormHasErrors));
            return;
        }
        errors.set(FieldErrors::new());
        message.set(None);
        busy.set(true);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let result = api::login(&request).await;
            busy.set(false);
            match result {
                Ok(auth) => {
                    // Signing in as someone else while a refused session waits would hand
                    // that person's unsent actions to the new account; today nothing is
                    // queued, and the screen names whose account to sign back in to.
                    session.signed_in(auth);
                    password.set(String::new());
                    navigate(&next.get_untracked());
                }
                Err(e) => {
                    message.set(Some(general_error_msg(&e, Msg::SignInNeedsNetwork)));
                    dom::focus("password");
                }
            }
        });
    };

    let signed_in_as = move || {
        (!session.needs_sign_in.get())
            .then(|| session.user())
            .flatten()
    };

    view! {
        <section class="page page-narrow">
            <h1 class="page-title">{move || i18n.t(Msg::SigninTitle)}</h1>
            {move || match signed_in_as() {
                Some(user) => view! {
                    <div class="card" data-testid="already-signed-in">
                        <p>{i18n.f(Msg::AlreadySignedIn, &[&user.display_name])}</p>
                        <div class="actions">
                            <A href="/me" attr:class="button button-primary">{i18n.t(Msg::GoToMe)}</A>
                        </div>
                    </div>
                }
                .into_any(),
                None => view! {
                    <form class="card form" novalidate=true on:submit=on_submit.clone() data-testid="signin-form">
                        {remembered.clone().map(|u| view! {
                            <p class="hint" data-testid="sign-in-again-as">
                                {move || i18n.f(Msg::SignInAgainAs, &[&u.display_name])}
                            </p>
                        })}
                        <TextField
                            id="phone"
                            label=Msg::FieldPhone
                            value=phone
                            error=field_error("phone")
                            kind="tel"
                            autocomplete="username"
                            inputmode="tel"
                            maxlength=20
                        />
                        <TextField
                            id="password"
                            label=Msg::FieldPassword
                            value=password
                            error=field_error("password")
                            kind="password"
                            autocomplete="current-password"
                            maxlength=domain::account::MAX_PASSWORD_CHARS
                        />
                        <FormMessage message=message testid="signin-message" />
                        <button
                            type="submit"
                            class="button button-primary button-block"
                            aria-busy=move || busy.get().then_some("true")
                            disabled=move || busy.get()
                        >
                            {move || i18n.t(if busy.get() { Msg::PleaseWait } else { Msg::SigninSubmit })}
                        </button>
                    </form>
                    <p class="form-alt">
                        <span>{move || i18n.t(Msg::NoAccount)}</span>
                        <A href="/signup" attr:class="button">{move || i18n.t(Msg::SignUp)}</A>
                    </p>
                }
                .into_any(),
            }}
        </section>
    }
}
