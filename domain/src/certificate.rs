//! A night-school course's completion certificate: printable, with a code anyone can check on
//! the public page without signing in. The code is signed like a ticket (the same keys, a
//! different prefix, so a ticket is never taken for a certificate or back).

use crate::ticket::{TicketError, TicketKey, sign_with, verify_with};
use serde::{Deserialize, Serialize};

const PREFIX: &str = "QC1.";

/// What a certificate says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CertificateClaims {
    /// The signing key.
    #[serde(rename = "k")]
    pub key_id: u32,
    /// The learner's registration.
    #[serde(rename = "r")]
    pub registration_id: String,
    /// The course.
    #[serde(rename = "o")]
    pub offering_id: String,
    /// The course's title.
    #[serde(rename = "t")]
    pub title: String,
    /// The course's term.
    #[serde(rename = "m")]
    pub term: String,
    /// The learner's name as on their account.
    #[serde(rename = "n")]
    pub name: String,
    /// Lessons attended.
    #[serde(rename = "a")]
    pub attended: u32,
    /// Lessons in the course.
    #[serde(rename = "l")]
    pub lessons: u32,
}

/// The signed code.
pub fn sign(secret: &[u8; 32], claims: &CertificateClaims) -> String {
    sign_with(PREFIX, secret, claims)
}

/// What a certificate code says, if one of `keys` signed it unaltered.
pub fn verify(code: &str, keys: &[TicketKey]) -> Result<CertificateClaims, TicketError> {
    verify_with(PREFIX, code, keys, |c: &CertificateClaims| c.key_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims() -> CertificateClaims {
        CertificateClaims {
            key_id: 1,
            registration_id: "r1".into(),
            offering_id: "c1".into(),
            title: "书法入门".into(),
            term: "2027 春".into(),
            name: "王小青".into(),
            attended: 7,
            lessons: 8,
        }
    }

    #[test]
    fn a_certificate_verifies_and_an_altered_one_does_not() {
        let secret = [7u8; 32];
        let keys = [TicketKey {
            id: 1,
            public_key: crate::ticket::public_key(&secret),
        }];
        let code = sign(&secret, &claims());
        assert_eq!(verify(&code, &keys), Ok(claims()));
        let mut more = claims();
        more.attended = 8;
        let forged_payload = sign(&[9u8; 32], &more);
        let (_, sig) = code.rsplit_once('.').unwrap();
        let (body, _) = forged_payload.rsplit_once('.').unwrap();
        assert_eq!(
            verify(&format!("{body}.{sig}"), &keys),
            Err(TicketError::BadSignature)
        );
        assert_eq!(verify("QC1.x", &keys), Err(TicketError::Malformed));
        // A ticket is not a certificate.
        let ticket = crate::ticket::sign(
            &secret,
            &crate::ticket::TicketClaims {
                key_id: 1,
                registration_id: "r1".into(),
                offering_id: "c1".into(),
                name: "王小青".into(),
            },
        );
        assert_eq!(verify(&ticket, &keys), Err(TicketError::Malformed));
    }
}
