//! Tickets: a signed QR payload that an organizer's device verifies with no network.
//!
//! `QT1.<payload>.<signature>`, both base64url without padding. The payload is compact JSON
//! `{"k": key id, "r": registration id, "o": offering id, "n": display name}`; the signature is
//! Ed25519 over the text `QT1.<payload>`. The server signs when a registration is confirmed;
//! devices hold the public keys (they are not secret), so a ticket issued after a roster was
//! downloaded still verifies at the door.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

const PREFIX: &str = "QT1.";
/// Longest ticket text accepted (a QR code holds far more, but nothing legitimate is longer).
pub const MAX_TICKET_LEN: usize = 600;

/// What a ticket says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TicketClaims {
    /// The signing key's id.
    #[serde(rename = "k")]
    pub key_id: u32,
    /// The registration.
    #[serde(rename = "r")]
    pub registration_id: String,
    /// The offering it admits to.
    #[serde(rename = "o")]
    pub offering_id: String,
    /// The person's display name, to compare at the door.
    #[serde(rename = "n")]
    pub name: String,
}

/// A public key devices verify with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TicketKey {
    /// Key id (in the ticket).
    pub id: u32,
    /// The Ed25519 public key, base64url.
    pub public_key: String,
}

/// Why a ticket is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TicketError {
    /// Not a Qingtuan ticket at all.
    #[error("not a ticket")]
    Malformed,
    /// Signed by a key this device does not know.
    #[error("unknown signing key")]
    UnknownKey,
    /// The signature does not match: forged or altered.
    #[error("the signature does not match")]
    BadSignature,
    /// A real ticket, for another offering.
    #[error("this ticket is for another activity")]
    WrongOffering,
}

/// Signs a ticket (server side).
pub fn sign(secret: &[u8; 32], claims: &TicketClaims) -> String {
    sign_with(PREFIX, secret, claims)
}

/// Signs `claims` as `<prefix><base64url JSON>.<base64url Ed25519 signature>`: a ticket's
/// shape, for any signed code (tickets, course certificates).
pub(crate) fn sign_with<T: Serialize>(prefix: &str, secret: &[u8; 32], claims: &T) -> String {
    let key = SigningKey::from_bytes(secret);
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap_or_default());
    let signed = format!("{prefix}{payload}");
    let signature = key.sign(signed.as_bytes());
    format!("{signed}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()))
}

pub fn public_key(secret: &[u8; 32]) -> String {
    URL_SAFE_NO_PAD.encode(SigningKey::from_bytes(secret).verifying_key().to_bytes())
}

/// Verifies a ticket against the known keys and the offering being checked in.
pub fn verify(
    ticket: &str,
    keys: &[TicketKey],
    offering_id: &str,
) -> Result<TicketClaims, TicketError> {
    let claims: TicketClaims = verify_with(PREFIX, ticket, keys, |c: &TicketClaims| c.key_id)?;
    if claims.offering_id != offering_id {
        return Err(TicketError::WrongOffering);
    }
    Ok(claims)
}

/// Checks a code signed by [`sign_with`] under `prefix` against the published keys and returns
/// its claims (`key_id` says which key signed them).
pub(crate) fn verify_with<T: serde::de::DeserializeOwned>(
    prefix: &str,
    code: &str,
    keys: &[TicketKey],
    key_id: impl Fn(&T) -> u32,
) -> Result<T, TicketError> {
    let code = code.trim();
    if code.len() > MAX_TICKET_LEN {
        return Err(TicketError::Malformed);
    }
    let rest = code.strip_prefix(prefix).ok_or(TicketError::Malformed)?;
    let (payload, signature) = rest.split_once('.').ok_or(TicketError::Malformed)?;
    let bytes = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|_| TicketError::Malformed)?;
    let claims: T = serde_json::from_slice(&bytes).map_err(|_| TicketError::Malformed)?;
    let signature: [u8; 64] = URL_SAFE_NO_PAD
        .decode(signature)
        .ok()
        .and_then(|s| s.try_into().ok())
        .ok_or(TicketError::Malformed)?;
    let id = key_id(&claims);
    let key = keys
        .iter()
        .find(|k| k.id == id)
        .ok_or(TicketError::UnknownKey)?;
    let public: [u8; 32] = URL_SAFE_NO_PAD
        .decode(&key.public_key)
        .ok()
        .and_then(|k| k.try_into().ok())
        .ok_or(TicketError::UnknownKey)?;
    let public = VerifyingKey::from_bytes(&public).map_err(|_| TicketError::UnknownKey)?;
    public
        .verify(
            &code.as_bytes()[..prefix.len() + payload.len()],
            &Signature::from_bytes(&signature),
        )
        .map_err(|_| TicketError::BadSignature)?;
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: [u8; 32] = [7; 32];

    fn keys() -> Vec<TicketKey> {
        vec![TicketKey {
            id: 1,
            public_key: public_key(&SECRET),
        }]
    }

    fn claims() -> TicketClaims {
        TicketClaims {
            key_id: 1,
            registration_id: "6f1c3a52-8a8e-4f43-9c55-3f0f4c2f9b11".into(),
            offering_id: "act-river-patrol".into(),
            name: "王青青".into(),
        }
    }

    #[test]
    fn a_signed_ticket_verifies_for_its_offering_only() {
        let t = sign(&SECRET, &claims());
        assert!(t.starts_with("QT1.") && t.len() < 300, "{t}");
        assert_eq!(verify(&t, &keys(), "act-river-patrol"), Ok(claims()));
        assert_eq!(
            verify(&t, &keys(), "act-waste-sorting"),
            Err(TicketError::WrongOffering)
        );
    }

    #[test]
    fn forged_altered_and_foreign_tickets_are_refused() {
        let t = sign(&SECRET, &claims());
        // Another registration id under the same signature.
        let mut other = claims();
        other.registration_id = "00000000-0000-4000-8000-000000000000".into();
        let forged_payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&other).unwrap());
        let sig = t.rsplit('.').next().unwrap();
        let forged = format!("QT1.{forged_payload}.{sig}");
        assert_eq!(
            verify(&forged, &keys(), "act-river-patrol"),
            Err(TicketError::BadSignature)
        );
        // Signed by someone else's key with our key id.
        let foreign = sign(&[9; 32], &claims());
        assert_eq!(
            verify(&foreign, &keys(), "act-river-patrol"),
            Err(TicketError::BadSignature)
        );
        // A key id the device does not have.
        let mut c = claims();
        c.key_id = 2;
        assert_eq!(
            verify(&sign(&SECRET, &c), &keys(), "act-river-patrol"),
            Err(TicketError::UnknownKey)
        );
        for junk in [
            "",
            "hello",
            "QT1.",
            "QT1.abc",
            "QT1.abc.def",
            &"QT1.".repeat(500),
        ] {
            assert_eq!(
                verify(junk, &keys(), "act-river-patrol"),
                Err(TicketError::Malformed),
                "{junk}"
            );
        }
    }
}
