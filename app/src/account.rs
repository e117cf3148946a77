//! The pure side of the account screens: what a form sends, which text an error code shows,
//! where to go after signing in. No signals and no DOM, so it is tested natively.

use crate::{api::ApiError, i18n::Msg};
use domain::{
    Consent, ErrorCode, Guardian, PRIVACY_NOTICE_VERSION, PhoneNumber, Role, SignupRequest,
    account::{check_password, needs_guardian},
};

/// The name of the file "下载我的数据" saves.
pub const EXPORT_FILE_NAME: &str = "qingtuan-my-data.json";

/// Where to go when there is nowhere better.
pub const HOME_AFTER_SIGN_IN: &str = "/me";

/// A field and the text to show under it.
pub type FieldErrors = Vec<(String, Msg)>;

/// The error shown under `field`, if any.
pub fn error_for(errors: &FieldErrors, field: &str) -> Option<Msg> {
    errors.iter().find(|(f, _)| f == field).map(|(_, m)| *m)
}

/// The text for a validation code on a field (the codes are `domain::account`'s and the
/// server's). Some codes read differently depending on the field.
pub fn field_error_msg(field: &str, code: &str) -> Msg {
    let password = field == "password" || field.ends_with("_password");
    match (field, code) {
        ("consent", "required") => Msg::ErrConsentRequired,
        ("guardian", "required") => Msg::ErrGuardianRequired,
        ("guardian.consent", "required") => Msg::ErrGuardianConsentRequired,
        ("roles", "cannot_remove_own_admin") => Msg::ErrOwnAdmin,
        ("user_id", "not_an_organizer") => Msg::ErrNotOrganizer,
        (_, "invalid_phone") => Msg::ErrInvalidPhone,
        (_, "too_short") if password => Msg::ErrPasswordTooShort,
        (_, "too_long") if password => Msg::ErrPasswordTooLong,
        ("display_name" | "guardian.name", "too_long") => Msg::ErrNameTooLong,
        (_, "too_common") => Msg::ErrTooCommon,
        (_, "contains_phone") => Msg::ErrContainsPhone,
        (_, "required") => Msg::ErrRequired,
        (_, "bad_characters") => Msg::ErrBadCharacters,
        ("birth_year", "out_of_range") => Msg::ErrBirthYear,
        (_, "same_as_phone") => Msg::ErrSameAsPhone,
        (_, "mismatch") => Msg::ErrPasswordMismatch,
        _ => Msg::ErrInvalidValue,
    }
}

/// The role's name as people here say it.
pub fn role_msg(role: Role) -> Msg {
    match role {
        Role::Youth => Msg::RoleYouth,
        Role::Organizer => Msg::RoleOrganizer,
        Role::Admin => Msg::RoleAdmin,
    }
}

/// A failure that is not about one field, as a banner text. `offline` is the screen's own
/// "needs a network" text.
pub fn general_error_msg(error: &ApiError, offline: Msg) -> Msg {
    match error {
        ApiError::Network(_) => offline,
        ApiError::Decode(_) => Msg::ErrUnexpected,
        ApiError::Server(body) => match body.error {
            ErrorCode::InvalidCredentials => Msg::WrongCredentials,
            ErrorCode::TooManyRequests => Msg::TooManyAttempts,
            ErrorCode::PhoneTaken => Msg::PhoneTaken,
            ErrorCode::Unauthenticated => Msg::NeedsSignIn,
            ErrorCode::Forbidden => Msg::AdminOnly,
            ErrorCode::Unavailable | ErrorCode::Internal => Msg::ErrServer,
            _ => Msg::ErrUnexpected,
        },
    }
}

/// Where to go after signing in: the `?next=` path when it is a path on this site, else
/// [`HOME_AFTER_SIGN_IN`]. Anything that could leave the site (`//evil.example`, `/\evil`,
/// `https:…`) or loop back to the sign-in screens is refused.
pub fn safe_next(raw: Option<&str>) -> String {
    let Some(next) = raw.map(str::trim) else {
        return HOME_AFTER_SIGN_IN.to_owned();
    };
    let path_only = next.split(['?', '#']).next().unwrap_or("");
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control)
        && !matches!(path_only, "/signin" | "/signup");
    if ok {
        next.to_owned()
    } else {
        HOME_AFTER_SIGN_IN.to_owned()
    }
}

/// The sign-in link that brings the person back to `here` afterwards.
pub fn sign_in_href(here: &str) -> String {
    if here.is_empty() || here == "/" {
        return "/signin".to_owned();
    }
    format!("/signin?next={}", crate::api::encode_query_value(here))
}

/// The sign-up form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignupForm {
    /// Mobile number.
    pub phone: String,
    /// Password.
    pub password: String,
    /// Name.
    pub display_name: String,
    /// Year of birth, as typed.
    pub birth_year: String,
    /// Agrees to the privacy notice.
    pub consent: bool,
    /// Guardian's name.
    pub guardian_name: String,
    /// Guardian's phone.
    pub guardian_phone: String,
    /// The guardian agrees.
    pub guardian_consent: bool,
}

impl SignupForm {
    /// The year of birth, if it is a number.
    pub fn birth_year(&self) -> Option<i32> {
        self.birth_year.trim().parse().ok()
    }

    /// What was typed in a text field, by its request name.
    fn typed(&self, field: &str) -> Option<&str> {
        Some(match field {
            "phone" => &self.phone,
            "password" => &self.password,
            "display_name" => &self.display_name,
            "birth_year" => &self.birth_year,
            "guardian.name" => &self.guardian_name,
            "guardian.phone" => &self.guardian_phone,
            _ => return None,
        })
    }

    /// Whether the guardian section applies (shown, and sent).
    pub fn needs_guardian(&self, current_year: i32) -> bool {
        self.birth_year()
            .is_some_and(|y| needs_guardian(y, current_year))
    }

    /// The request to send, or the text for every field that is wrong, in form order. Runs
    /// the same rules the server runs, so a refused sign-up never leaves the device.
    pub fn check(&self, current_year: i32) -> Result<SignupRequest, FieldErrors> {
        let request = SignupRequest {
            phone: self.phone.clone(),
            password: self.password.clone(),
            display_name: self.display_name.clone(),
            birth_year: self.birth_year().unwrap_or(0),
            consent: Consent {
                version: PRIVACY_NOTICE_VERSION.to_owned(),
                accepted: self.consent,
            },
            guardian: self.needs_guardian(current_year).then(|| Guardian {
                name: self.guardian_name.clone(),
                phone: self.guardian_phone.clone(),
                consent: self.guardian_consent,
            }),
        };
        match request.validate(current_year) {
            Ok(_) => Ok(request),
            Err(errors) => Err(errors
                .into_iter()
                .map(|e| {
                    // An empty field is "required", whatever rule it then fails.
                    let code = if self.typed(e.field).is_some_and(|v| v.trim().is_empty()) {
                        "required"
                    } else {
                        e.code
                    };
                    (e.field.to_owned(), field_error_msg(e.field, code))
                })
                .collect()),
        }
    }
}

/// Checks the sign-in form before it costs an attempt against the rate limit.
pub fn check_sign_in(phone: &str, password: &str) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::new();
    if phone.trim().is_empty() {
        errors.push(("phone".into(), Msg::ErrRequired));
    } else if PhoneNumber::parse(phone).is_err() {
        errors.push(("phone".into(), Msg::ErrInvalidPhone));
    }
    if password.is_empty() {
        errors.push(("password".into(), Msg::ErrRequired));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Checks a password change: the current one given, the new one strong enough (the server's
/// rule) and typed the same twice.
pub fn check_password_change(
    current: &str,
    new: &str,
    repeat: &str,
    phone: &str,
) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::new();
    if current.is_empty() {
        errors.push(("current_password".into(), Msg::ErrRequired));
    }
    if let Err(code) = check_password(new, Some(phone)) {
        errors.push(("new_password".into(), field_error_msg("new_password", code)));
    } else if new != repeat {
        errors.push(("repeat_password".into(), Msg::ErrPasswordMismatch));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::ErrorBody;

    const YEAR: i32 = 2026;

    fn adult() -> SignupForm {
        SignupForm {
            phone: "139 0000 0009".into(),
            password: "river-patrol-2026".into(),
            display_name: "张小青".into(),
            birth_year: "2000".into(),
            consent: true,
            ..SignupForm::default()
        }
    }

    fn fields(r: Result<SignupRequest, FieldErrors>) -> Vec<(String, Msg)> {
        r.unwrap_err()
    }

    #[test]
    fn a_complete_adult_form_becomes_a_request_with_the_current_notice_version() {
        let request = adult().check(YEAR).unwrap();
        assert_eq!(request.birth_year, 2000);
        assert_eq!(request.consent.version, PRIVACY_NOTICE_VERSION);
        assert!(request.consent.accepted);
        assert!(request.guardian.is_none());
    }

    #[test]
    fn an_empty_form_marks_every_field_with_its_own_text() {
        let errors = fields(SignupForm::default().check(YEAR));
        assert_eq!(
            errors,
            [
                ("phone".to_owned(), Msg::ErrRequired),
                ("password".to_owned(), Msg::ErrRequired),
                ("display_name".to_owned(), Msg::ErrRequired),
                ("birth_year".to_owned(), Msg::ErrRequired),
                ("consent".to_owned(), Msg::ErrConsentRequired),
            ]
        );
        let mut form = adult();
        form.birth_year = "19x".into();
        form.phone = "12345".into();
        form.password = "short".into();
        assert_eq!(
            fields(form.check(YEAR)),
            [
                ("phone".to_owned(), Msg::ErrInvalidPhone),
                ("password".to_owned(), Msg::ErrPasswordTooShort),
                ("birth_year".to_owned(), Msg::ErrBirthYear),
            ]
        );
    }

    #[test]
    fn under_fourteen_the_guardian_section_is_required_and_checked() {
        let mut form = adult();
        form.birth_year = "2015".into();
        assert!(form.needs_guardian(YEAR));
        assert_eq!(
            fields(form.clone().check(YEAR)),
            [
                ("guardian.name".to_owned(), Msg::ErrRequired),
                ("guardian.phone".to_owned(), Msg::ErrRequired),
                (
                    "guardian.consent".to_owned(),
                    Msg::ErrGuardianConsentRequired
                ),
            ]
        );
        form.guardian_name = "张妈妈".into();
        form.guardian_phone = "13900000009".into();
        form.guardian_consent = true;
        assert_eq!(
            fields(form.clone().check(YEAR)),
            [("guardian.phone".to_owned(), Msg::ErrSameAsPhone)]
        );
        form.guardian_phone = "13800000008".into();
        let request = form.check(YEAR).unwrap();
        assert_eq!(request.guardian.unwrap().name, "张妈妈");
    }

    #[test]
    fn an_adult_never_sends_guardian_details_typed_earlier() {
        let mut form = adult();
        form.guardian_name = "typed while the year was 2015".into();
        assert!(!form.needs_guardian(YEAR));
        assert!(form.check(YEAR).unwrap().guardian.is_none());
        form.birth_year = String::new();
        assert!(!form.needs_guardian(YEAR));
    }

    #[test]
    fn every_validation_code_has_a_specific_text() {
        for (field, code) in [
            ("phone", "invalid_phone"),
            ("password", "too_short"),
            ("password", "too_long"),
            ("new_password", "too_short"),
            ("display_name", "too_long"),
            ("password", "too_common"),
            ("password", "contains_phone"),
            ("display_name", "required"),
            ("display_name", "bad_characters"),
            ("birth_year", "out_of_range"),
            ("guardian.phone", "same_as_phone"),
            ("consent", "required"),
            ("guardian", "required"),
            ("guardian.consent", "required"),
            ("roles", "cannot_remove_own_admin"),
            ("user_id", "not_an_organizer"),
        ] {
            assert_ne!(
                field_error_msg(field, code),
                Msg::ErrInvalidValue,
                "{field}: {code}"
            );
        }
        assert_eq!(field_error_msg("q", "whatever"), Msg::ErrInvalidValue);
        assert_eq!(
            field_error_msg("new_password", "too_long"),
            Msg::ErrPasswordTooLong
        );
        assert_eq!(
            field_error_msg("guardian.name", "too_long"),
            Msg::ErrNameTooLong
        );
    }

    #[test]
    fn server_answers_map_to_the_screen_texts() {
        let server = |error: ErrorCode| {
            ApiError::Server(
                serde_json::from_value::<ErrorBody>(serde_json::json!({
                    "error": error, "message": ""
                }))
                .unwrap(),
            )
        };
        let offline = Msg::SignInNeedsNetwork;
        assert_eq!(
            general_error_msg(&ApiError::Network("x".into()), offline),
            offline
        );
        assert_eq!(
            general_error_msg(&server(ErrorCode::InvalidCredentials), offline),
            Msg::WrongCredentials
        );
        assert_eq!(
            general_error_msg(&server(ErrorCode::TooManyRequests), offline),
            Msg::TooManyAttempts
        );
        assert_eq!(
            general_error_msg(&server(ErrorCode::PhoneTaken), offline),
            Msg::PhoneTaken
        );
        assert_eq!(
            general_error_msg(&server(ErrorCode::Internal), offline),
            Msg::ErrServer
        );
        assert_eq!(
            general_error_msg(&ApiError::Decode("HTTP 502".into()), offline),
            Msg::ErrUnexpected
        );
    }

    #[test]
    fn next_keeps_paths_on_this_site_only() {
        assert_eq!(safe_next(Some("/admin")), "/admin");
        assert_eq!(safe_next(Some("/courses?x=1#top")), "/courses?x=1#top");
        for bad in [
            "https://evil.example/",
            "//evil.example",
            "/\\evil.example",
            "evil",
            "",
            "javascript:alert(1)",
            "/signin",
            "/signup?next=/me",
            "/me\n",
        ] {
            assert_eq!(safe_next(Some(bad)), HOME_AFTER_SIGN_IN, "{bad:?}");
        }
        assert_eq!(safe_next(None), HOME_AFTER_SIGN_IN);
    }

    #[test]
    fn the_sign_in_link_remembers_where_the_person_was() {
        assert_eq!(sign_in_href("/admin"), "/signin?next=%2Fadmin");
        assert_eq!(sign_in_href("/"), "/signin");
        // What the link carries comes back out of safe_next unchanged.
        assert_eq!(safe_next(Some("/admin")), "/admin");
    }

    #[test]
    fn sign_in_is_checked_before_it_costs_an_attempt() {
        assert_eq!(
            check_sign_in("", ""),
            Err(vec![
                ("phone".to_owned(), Msg::ErrRequired),
                ("password".to_owned(), Msg::ErrRequired)
            ])
        );
        assert_eq!(
            check_sign_in("12345", "x"),
            Err(vec![("phone".to_owned(), Msg::ErrInvalidPhone)])
        );
        // Old passwords may be weak: sign-in never applies the strength rule.
        assert_eq!(check_sign_in("13900000001", "1"), Ok(()));
    }

    #[test]
    fn a_password_change_needs_a_strong_new_password_typed_twice() {
        let phone = "13900000003";
        assert_eq!(
            check_password_change("", "12345678", "12345678", phone),
            Err(vec![
                ("current_password".to_owned(), Msg::ErrRequired),
                ("new_password".to_owned(), Msg::ErrTooCommon)
            ])
        );
        assert_eq!(
            check_password_change("old", "lantern-river-7", "lantern-river-8", phone),
            Err(vec![(
                "repeat_password".to_owned(),
                Msg::ErrPasswordMismatch
            )])
        );
        assert_eq!(
            check_password_change("old", "x13900000003y", "x13900000003y", phone),
            Err(vec![("new_password".to_owned(), Msg::ErrContainsPhone)])
        );
        assert_eq!(
            check_password_change("old", "lantern-river-7", "lantern-river-7", phone),
            Ok(())
        );
    }
}
