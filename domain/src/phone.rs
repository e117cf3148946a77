//! Mainland China mobile numbers, parsed once at the edge.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An 11-digit mainland mobile number `1[3-9]xxxxxxxxx`, normalised (no spaces, no `+86`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct PhoneNumber(String);

/// Why a string is not a mobile number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    /// Not 11 digits after removing spaces, dashes and the country code.
    #[error("a mobile number has 11 digits")]
    WrongLength,
    /// Contains something other than digits, spaces, dashes and a leading +86.
    #[error("a mobile number contains only digits")]
    NotDigits,
    /// Does not start with 13–19.
    #[error("a mainland mobile number starts with 13 to 19")]
    NotMobile,
}

impl PhoneNumber {
    /// Parses and normalises `" +86 139-0000-0001 "` into `13900000001`.
    pub fn parse(input: &str) -> Result<Self, PhoneError> {
        let trimmed = input.trim();
        let rest = trimmed
            .strip_prefix("+86")
            .or_else(|| trimmed.strip_prefix("0086"))
            .unwrap_or(trimmed);
        let mut digits = String::with_capacity(11);
        for c in rest.chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '-' | '\u{3000}' => {}
                _ => return Err(PhoneError::NotDigits),
            }
            if digits.len() > 11 {
                return Err(PhoneError::WrongLength);
            }
        }
        if digits.len() != 11 {
            return Err(PhoneError::WrongLength);
        }
        let b = digits.as_bytes();
        if b[0] != b'1' || !(b'3'..=b'9').contains(&b[1]) {
            return Err(PhoneError::NotMobile);
        }
        Ok(Self(digits))
    }

    /// The 11 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `138****1234`, for rosters that must not show the whole number.
    pub fn masked(&self) -> String {
        format!("{}****{}", &self.0[..3], &self.0[7..])
    }

    /// The last four digits, which organizers may search by.
    pub fn last4(&self) -> &str {
        &self.0[7..]
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for PhoneNumber {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: Result<&str, PhoneError>) {
        assert_eq!(
            PhoneNumber::parse(input).as_ref().map(PhoneNumber::as_str),
            expected.as_ref().map(|s| *s),
            "input {input:?}"
        );
    }

    #[test]
    fn accepts_and_normalises_mainland_mobiles() {
        check("13900000001", Ok("13900000001"));
        check(" +86 139 0000 0001 ", Ok("13900000001"));
        check("0086-139-0000-0001", Ok("13900000001"));
        check("19912345678", Ok("19912345678"));
    }

    #[test]
    fn rejects_everything_else() {
        check("", Err(PhoneError::WrongLength));
        check("1390000000", Err(PhoneError::WrongLength));
        check("139000000011", Err(PhoneError::WrongLength));
        check("12900000001", Err(PhoneError::NotMobile));
        check("23900000001", Err(PhoneError::NotMobile));
        check("1390000000a", Err(PhoneError::NotDigits));
        check("１３９００００００01", Err(PhoneError::NotDigits));
        check(&"1".repeat(10_000), Err(PhoneError::WrongLength));
    }

    #[test]
    fn masks_the_middle_four_digits() {
        let p = PhoneNumber::parse("13812341234").unwrap();
        assert_eq!(p.masked(), "138****1234");
        assert_eq!(p.last4(), "1234");
    }

    #[test]
    fn deserialising_validates() {
        assert!(serde_json::from_str::<PhoneNumber>(r#""13900000001""#).is_ok());
        assert!(serde_json::from_str::<PhoneNumber>(r#""12345""#).is_err());
    }
}
