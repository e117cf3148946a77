//! Accounts: the sign-up and sign-in wire types and the rules a valid sign-up meets.
//!
//! The rules live here so the app can check a form before sending it and the server checks
//! the same rules again (it never trusts the client).

use crate::phone::PhoneNumber;
use serde::{Deserialize, Serialize};

/// The version of the privacy notice (隐私政策) the app shows; a sign-up must agree to this one.
pub const PRIVACY_NOTICE_VERSION: &str = "2026-11-22";

/// Younger than this (by birth year, counted strictly) needs a guardian's consent.
pub const GUARDIAN_AGE: i32 = 14;

/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Longest password accepted (argon2 would take any, but a bound keeps hashing cheap).
pub const MAX_PASSWORD_CHARS: usize = 128;
/// Longest display name.
pub const MAX_NAME_CHARS: usize = 32;

/// What a person may do. One person may hold several roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 青年: signs up for programmes.
    Youth,
    /// 活动负责人: runs the rosters of the offerings assigned to them.
    Organizer,
    /// 团区委 staff: everything.
    Admin,
}

impl Role {
    /// All roles.
    pub const ALL: [Role; 3] = [Role::Youth, Role::Organizer, Role::Admin];

    /// The stable string used in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Youth => "youth",
            Self::Organizer => "organizer",
            Self::Admin => "admin",
        }
    }

    /// Parses the stable string.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// Agreement to the privacy notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Consent {
    /// The notice version shown.
    pub version: String,
    /// Must be true.
    pub accepted: bool,
}

/// A guardian's details and consent, required under [`GUARDIAN_AGE`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Guardian {
    /// The guardian's name.
    pub name: String,
    /// The guardian's mobile number.
    pub phone: String,
    /// The guardian agrees.
    pub consent: bool,
}

/// `POST /api/v1/auth/signup`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignupRequest {
    /// Mobile number, any common format.
    pub phone: String,
    /// At least 8 characters, not a common password.
    pub password: String,
    /// The name shown to organizers.
    pub display_name: String,
    /// Year of birth.
    pub birth_year: i32,
    /// Agreement to the privacy notice.
    pub consent: Consent,
    /// Required when born less than 14 years ago.
    #[serde(default)]
    pub guardian: Option<Guardian>,
}

/// `POST /api/v1/auth/login`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    /// Mobile number.
    pub phone: String,
    /// Password.
    pub password: String,
    /// The known-device token this device was given at an earlier sign-in, if any: it spares
    /// the device the slow-down of an account under attack.
    #[serde(default)]
    pub device_token: Option<String>,
}

/// `POST /api/v1/auth/password`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordChange {
    /// The password now.
    pub current_password: String,
    /// The new one.
    pub new_password: String,
}

/// `DELETE /api/v1/me`: deleting an account asks for the password again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeleteAccount {
    /// The password.
    pub password: String,
}

/// A person as they see themselves (`GET /api/v1/me`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserProfile {
    /// Stable id.
    pub id: String,
    /// Mobile number (their own, unmasked).
    pub phone: String,
    /// Display name.
    pub display_name: String,
    /// Year of birth.
    pub birth_year: i32,
    /// Roles held.
    pub roles: Vec<Role>,
}

impl UserProfile {
    /// Whether the person holds `role`.
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// One row of the admin's user list (`GET /api/v1/admin/users`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserSummary {
    /// Id.
    pub id: String,
    /// Phone (admins see it whole).
    pub phone: String,
    /// Display name.
    pub display_name: String,
    /// Year of birth.
    pub birth_year: i32,
    /// Roles.
    pub roles: Vec<Role>,
}

/// What an organizer runs: offerings one by one, and whole venues
/// (`/api/v1/admin/users/{id}/assignments`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assignments {
    /// Offering ids.
    #[serde(default)]
    pub offering_ids: Vec<String>,
    /// Venue ids (all their offerings).
    #[serde(default)]
    pub venue_ids: Vec<String>,
}

/// The answer to a sign-up or sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuthResponse {
    /// The bearer token; shown once, stored only as a hash on the server.
    pub token: String,
    /// Who signed in.
    pub user: UserProfile,
    /// When the session expires unless used (RFC 3339); every use extends it.
    pub expires_at: String,
    /// The known-device token for this device to keep (also after signing out) and send with
    /// its next sign-ins.
    #[serde(default)]
    pub device_token: Option<String>,
}

/// One field that failed validation, with a code the app translates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The request field.
    pub field: &'static str,
    /// What is wrong, snake_case.
    pub code: &'static str,
}

impl FieldError {
    fn new(field: &'static str, code: &'static str) -> Self {
        Self { field, code }
    }
}

/// A sign-up that passed every rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidSignup {
    /// The normalised phone.
    pub phone: PhoneNumber,
    /// The password.
    pub password: String,
    /// The trimmed name.
    pub display_name: String,
    /// Year of birth.
    pub birth_year: i32,
    /// The guardian, when one is required (and only then).
    pub guardian: Option<(String, PhoneNumber)>,
}

/// A name as published in a draw's results (公示): its first and last characters with the
/// middle hidden (王*青; 王* for two characters; * for one).
pub fn masked_name(name: &str) -> String {
    let chars: Vec<char> = name.trim().chars().collect();
    match chars.as_slice() {
        [] => String::new(),
        [_] => "*".into(),
        [first, _] => format!("{first}*"),
        [first, .., last] => format!("{first}*{last}"),
    }
}

/// Whether a person born in `birth_year` needs a guardian in `current_year`. With only a year,
/// someone who turns 14 this year may still be 13: they need one too (the stricter reading).
pub fn needs_guardian(birth_year: i32, current_year: i32) -> bool {
    current_year - birth_year <= GUARDIAN_AGE
}

/// A display name: trimmed, 1–32 characters, under the text rule for names
/// ([`crate::text`]: no control, direction or invisible characters).
pub fn parse_display_name(raw: &str) -> Result<String, &'static str> {
    crate::text::check(raw, crate::text::Field::Name, MAX_NAME_CHARS, true).map(str::to_owned)
}

/// Passwords people pick first; refused whatever their length.
const COMMON_PASSWORDS: &[&str] = &[
    "12345678",
    "123456789",
    "1234567890",
    "87654321",
    "11111111",
    "00000000",
    "88888888",
    "66666666",
    "12341234",
    "11223344",
    "123123123",
    "147258369",
    "password",
    "password1",
    "password123",
    "passw0rd",
    "qwertyui",
    "qwertyuiop",
    "1qaz2wsx",
    "1q2w3e4r",
    "abc12345",
    "abcd1234",
    "a1234567",
    "a12345678",
    "a123456789",
    "aa123456",
    "iloveyou",
    "woaini1314",
    "woaini520",
    "5201314520",
    "1314520520",
    "asdfghjk",
    "zxcvbnm123",
    "admin123",
    "admin888",
    "qingtuan",
    "qingtuan123",
    "qingtuan-demo",
    "gongqingtuan",
    "00000000a",
    "abcdefgh",
];

/// Why a password is refused, as a code.
pub fn check_password(password: &str, phone: Option<&str>) -> Result<(), &'static str> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err("too_short");
    }
    if n > MAX_PASSWORD_CHARS {
        return Err("too_long");
    }
    // The list and phone numbers are ASCII; ASCII folding is enough (and keeps Unicode's case
    // tables out of the wasm).
    let lower = password.to_ascii_lowercase();
    if COMMON_PASSWORDS.contains(&lower.as_str()) {
        return Err("too_common");
    }
    if phone.is_some_and(|p| lower.contains(p)) {
        return Err("contains_phone");
    }
    let first = password.chars().next();
    if password.chars().all(|c| Some(c) == first) {
        return Err("too_common");
    }
    Ok(())
}

impl SignupRequest {
    /// Checks every rule; all failures at once so a form can mark every field.
    pub fn validate(&self, current_year: i32) -> Result<ValidSignup, Vec<FieldError>> {
        let mut errors = Vec::new();
        let phone = PhoneNumber::parse(&self.phone)
            .map_err(|_| errors.push(FieldError::new("phone", "invalid_phone")))
            .ok();
        if let Err(code) = check_password(&self.password, phone.as_ref().map(PhoneNumber::as_str)) {
            errors.push(FieldError::new("password", code));
        }
        let display_name = parse_display_name(&self.display_name)
            .map_err(|code| errors.push(FieldError::new("display_name", code)))
            .ok();
        if !(current_year - 100..=current_year).contains(&self.birth_year) {
            errors.push(FieldError::new("birth_year", "out_of_range"));
        }
        if !self.consent.accepted || self.consent.version != PRIVACY_NOTICE_VERSION {
            errors.push(FieldError::new("consent", "required"));
        }
        let mut guardian = None;
        if needs_guardian(self.birth_year, current_year) {
            match &self.guardian {
                None => errors.push(FieldError::new("guardian", "required")),
                Some(g) => {
                    let name = parse_display_name(&g.name)
                        .map_err(|code| errors.push(FieldError::new("guardian.name", code)))
                        .ok();
                    let g_phone = PhoneNumber::parse(&g.phone)
                        .map_err(|_| {
                            errors.push(FieldError::new("guardian.phone", "invalid_phone"))
                        })
                        .ok();
                    if g_phone.is_some() && g_phone == phone {
                        errors.push(FieldError::new("guardian.phone", "same_as_phone"));
                    }
                    if !g.consent {
                        errors.push(FieldError::new("guardian.consent", "required"));
                    }
                    if let (Some(name), Some(p)) = (name, g_phone) {
                        guardian = Some((name, p));
                    }
                }
            }
        }
        match (phone, display_name) {
            (Some(phone), Some(display_name)) if errors.is_empty() => Ok(ValidSignup {
                phone,
                password: self.password.clone(),
                display_name,
                birth_year: self.birth_year,
                guardian,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn adult() -> SignupRequest {
        SignupRequest {
            phone: "13800138000".into(),
            password: "river-patrol-2026".into(),
            display_name: " 张小青 ".into(),
            birth_year: 2000,
            consent: Consent {
                version: PRIVACY_NOTICE_VERSION.into(),
                accepted: true,
            },
            guardian: None,
        }
    }

    fn fields(r: Result<ValidSignup, Vec<FieldError>>) -> Vec<(&'static str, &'static str)> {
        r.unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn published_names_hide_their_middle() {
        assert_eq!(masked_name("王小青"), "王*青");
        assert_eq!(masked_name("欧阳青青"), "欧*青");
        assert_eq!(masked_name("王青"), "王*");
        assert_eq!(masked_name("青"), "*");
        assert_eq!(masked_name(""), "");
    }

    #[test]
    fn a_complete_adult_sign_up_is_valid_and_normalised() {
        let v = adult().validate(2026).unwrap();
        assert_eq!(v.display_name, "张小青");
        assert_eq!(v.phone.as_str(), "13800138000");
        assert!(v.guardian.is_none());
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let mut r = adult();
        r.phone = "12345".into();
        r.password = "short".into();
        r.display_name = "   ".into();
        r.birth_year = 1800;
        r.consent.accepted = false;
        assert_eq!(
            fields(r.validate(2026)),
            [
                ("phone", "invalid_phone"),
                ("password", "too_short"),
                ("display_name", "required"),
                ("birth_year", "out_of_range"),
                ("consent", "required"),
            ]
        );
    }

    #[test]
    fn an_old_privacy_notice_version_is_not_consent() {
        let mut r = adult();
        r.consent.version = "2020-01-01".into();
        assert_eq!(fields(r.validate(2026)), [("consent", "required")]);
    }

    #[test]
    fn under_fourteen_needs_a_guardian_who_consents() {
        let mut r = adult();
        r.birth_year = 2013;
        assert_eq!(fields(r.clone().validate(2026)), [("guardian", "required")]);
        r.guardian = Some(Guardian {
            name: "张妈妈".into(),
            phone: "13800138000".into(),
            consent: false,
        });
        assert_eq!(
            fields(r.clone().validate(2026)),
            [
                ("guardian.phone", "same_as_phone"),
                ("guardian.consent", "required")
            ]
        );
        r.guardian = Some(Guardian {
            name: "张妈妈".into(),
            phone: "139 0013 9000".into(),
            consent: true,
        });
        let v = r.validate(2026).unwrap();
        assert_eq!(v.guardian.unwrap().1.as_str(), "13900139000");
    }

    #[test]
    fn the_guardian_boundary_is_the_stricter_reading() {
        assert!(
            needs_guardian(2012, 2026),
            "turns 14 this year: may still be 13"
        );
        assert!(!needs_guardian(2011, 2026));
    }

    #[test]
    fn weak_passwords_are_refused() {
        assert_eq!(check_password("1234567", None), Err("too_short"));
        assert_eq!(check_password("12345678", None), Err("too_common"));
        assert_eq!(check_password("WoAini1314", None), Err("too_common"));
        assert_eq!(check_password("zzzzzzzzzz", None), Err("too_common"));
        assert_eq!(
            check_password("x13800138000", Some("13800138000")),
            Err("contains_phone")
        );
        assert_eq!(check_password(&"长".repeat(129), None), Err("too_long"));
        assert_eq!(check_password("长江黄河长城泰山", None), Ok(()));
    }

    #[test]
    fn names_refuse_control_and_invisible_characters() {
        assert_eq!(parse_display_name("李\u{202E}四"), Err("bad_characters"));
        assert_eq!(parse_display_name("李\n四"), Err("bad_characters"));
        assert_eq!(parse_display_name(&"青".repeat(33)), Err("too_long"));
        assert_eq!(parse_display_name("  Ａ青 "), Ok("Ａ青".into()));
    }
}
