//! 注册: phone, password, name, year of birth, the privacy notice in full with consent, and a
//! guardian's consent under 14. Checked on the device with the server's own rules first.

use crate::nav::{A, use_navigate};
use crate::{
    account::{FieldErrors, SignupForm, error_for, field_error_msg, general_error_msg},
    api,
    components::{
        field::{CheckField, FormMessage, TextField, clear_error_on_edit},
        privacy_notice::PrivacyNotice,
    },
    dom, format,
    i18n::{Msg, use_i18n},
    state::session::use_session,
};
use domain::account::{MAX_NAME_CHARS, MAX_PASSWORD_CHARS};
use leptos::{ev::SubmitEvent, prelude::*};

/// Fields that have an input on this form, in form order (for focus and for server errors).
const FIELDS: &[&str] = &[
    "phone",
    "password",
    "display_name",
    "birth_year",
    "consent",
    "guardian.name",
    "guardian.phone",
    "guardian.consent",
];

/// The input id of a request field (`guardian.name` → `guardian-name`).
fn input_id(field: &str) -> String {
    field.replace('.', "-")
}

/// The sign-up form.
#[component]
pub fn SignUp() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let year = format::current_year();

    let phone = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let birth_year = RwSignal::new(String::new());
    let consent = RwSignal::new(false);
    let guardian_name = RwSignal::new(String::new());
    let guardian_phone = RwSignal::new(String::new());
    let guardian_consent = RwSignal::new(false);

    let errors = RwSignal::new(FieldErrors::new());
    let message = RwSignal::new(None::<Msg>);
    let busy = RwSignal::new(false);
    let field_error =
        move |field: &'static str| Signal::derive(move || errors.with(|e| error_for(e, field)));
    clear_error_on_edit(errors, "phone", phone);
    clear_error_on_edit(errors, "password", password);
    clear_error_on_edit(errors, "display_name", display_name);
    clear_error_on_edit(errors, "birth_year", birth_year);
    clear_error_on_edit(errors, "consent", consent);
    clear_error_on_edit(errors, "guardian.name", guardian_name);
    clear_error_on_edit(errors, "guardian.phone", guardian_phone);
    clear_error_on_edit(errors, "guardian.consent", guardian_consent);

    let form = move || SignupForm {
        phone: phone.get_untracked(),
        password: password.get_untracked(),
        display_name: display_name.get_untracked(),
        birth_year: birth_year.get_untracked(),
        consent: consent.get_untracked(),
        guardian_name: guardian_name.get_untracked(),
        guardian_phone: guardian_phone.get_untracked(),
        guardian_consent: guardian_consent.get_untracked(),
    };
    let needs_guardian = Memo::new(move |_| {
        SignupForm {
            birth_year: birth_year.get(),
            ..SignupForm::default()
        }
        .needs_guardian(year)
    });

    let show_errors = move |found: FieldErrors| {
        if let Some((field, _)) = found.iter().find(|(f, _)| FIELDS.contains(&f.as_str())) {
            dom::focus(&input_id(field));
        }
        errors.set(found);
        message.set(Some(Msg::FormHasErrors));
    };

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let request = match form().check(year) {
            Ok(r) => r,
            Err(found) => return show_errors(found),
        };
        errors.set(FieldErrors::new());
        message.set(None);
        busy.set(true);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let result = api::signup(&request).await;
            busy.set(false);
            match result {
                Ok(auth) => {
                    session.signed_in(auth);
                    navigate("/me");
                }
                Err(e) => match e.field_error() {
                    Some((field, code)) if FIELDS.contains(&field) => {
                        show_errors(vec![(field.to_owned(), field_error_msg(field, code))]);
                    }
                    Some((field, code)) => message.set(Some(field_error_msg(field, code))),
                    None => message.set(Some(general_error_msg(&e, Msg::SignupNeedsNetwork))),
                },
            }
        });
    };

    let phone_taken = move || message.get() == Some(Msg::PhoneTaken);

    view! {
        <section class="page page-narrow">
            <h1 class="page-title">{move || i18n.t(Msg::SignupTitle)}</h1>
            <p class="hint">{move || i18n.t(Msg::SignupIntro)}</p>
            <form class="card form" novalidate=true on:submit=on_submit data-testid="signup-form">
                <TextField
                    id="phone"
                    label=Msg::FieldPhone
                    value=phone
                    error=field_error("phone")
                    kind="tel"
                    autocomplete="tel"
                    inputmode="tel"
                    maxlength=20
                />
                <TextField
                    id="password"
                    label=Msg::FieldPassword
                    hint=Msg::FieldPasswordHint
                    value=password
                    error=field_error("password")
                    kind="password"
                    autocomplete="new-password"
                    maxlength=MAX_PASSWORD_CHARS
                />
                <TextField
                    id="display_name"
                    label=Msg::FieldDisplayName
                    hint=Msg::FieldDisplayNameHint
                    value=display_name
                    error=field_error("display_name")
                    autocomplete="name"
                    maxlength=MAX_NAME_CHARS
                />
                <TextField
                    id="birth_year"
                    label=Msg::FieldBirthYear
                    hint=Msg::FieldBirthYearHint
                    value=birth_year
                    error=field_error("birth_year")
                    autocomplete="bday-year"
                    inputmode="numeric"
                    maxlength=4
                />

                <Show when=move || needs_guardian.get()>
                    <fieldset class="fieldset" data-testid="guardian-section">
                        <legend>{move || i18n.t(Msg::GuardianTitle)}</legend>
                        <p class="hint">{move || i18n.t(Msg::GuardianIntro)}</p>
                        <TextField
                            id="guardian-name"
                            label=Msg::FieldGuardianName
                            value=guardian_name
                            error=field_error("guardian.name")
                            maxlength=MAX_NAME_CHARS
                        />
                        <TextField
                            id="guardian-phone"
                            label=Msg::FieldGuardianPhone
                            value=guardian_phone
                            error=field_error("guardian.phone")
                            kind="tel"
                            inputmode="tel"
                            maxlength=20
                        />
                        <CheckField
                            id="guardian-consent"
                            label=Msg::GuardianConsentLabel
                            checked=guardian_consent
                            error=field_error("guardian.consent")
                        />
                    </fieldset>
                </Show>

                <div
                    class="privacy-box"
                    role="region"
                    tabindex="0"
                    aria-label=move || i18n.t(Msg::PrivacyTitle)
                >
                    <h2 class="privacy-box-title">{move || i18n.t(Msg::PrivacyTitle)}</h2>
                    <PrivacyNotice heading_level=3 />
                </div>
                <p class="form-alt">
                    // A new tab, so what is typed here is not lost.
                    <a href="/privacy" class="button" target="_blank" rel="noopener">
                        {move || i18n.t(Msg::PrivacyReadInFull)}
                    </a>
                </p>
                <CheckField id="consent" label=Msg::ConsentLabel checked=consent error=field_error("consent") />

                <FormMessage message=message testid="signup-message">
                    <Show when=phone_taken>
                        <A href="/signin" attr:class="button">{move || i18n.t(Msg::SignIn)}</A>
                    </Show>
                </FormMessage>
                <button
                    type="submit"
                    class="button button-primary button-block"
                    aria-busy=move || busy.get().then_some("true")
                    disabled=move || busy.get()
                >
                    {move || i18n.t(if busy.get() { Msg::PleaseWait } else { Msg::SignupSubmit })}
                </button>
            </form>
            <p class="form-alt">
                <span>{move || i18n.t(Msg::HaveAccount)}</span>
                <A href="/signin" attr:class="button">{move || i18n.t(Msg::SignIn)}</A>
            </p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::tests::server;
    use domain::ErrorCode;

    #[test]
    fn every_field_the_rules_can_name_has_an_input_here() {
        // The codes domain::account reports, by field; "guardian" alone only happens when the
        // section is hidden, which check() rules out.
        for field in [
            "phone",
            "password",
            "display_name",
            "birth_year",
            "consent",
            "guardian.name",
            "guardian.phone",
            "guardian.consent",
        ] {
            assert!(FIELDS.contains(&field), "{field}");
        }
        assert_eq!(input_id("guardian.consent"), "guardian-consent");
    }

    #[test]
    fn a_phone_taken_answer_is_not_a_field_error() {
        let e = server(ErrorCode::PhoneTaken, "taken", None);
        assert_eq!(e.field_error(), None);
        assert_eq!(
            general_error_msg(&e, Msg::SignupNeedsNetwork),
            Msg::PhoneTaken
        );
    }
}
