//! The key that signs tickets: made once, kept in the database.

use crate::db::pool::{Pool, args};

/// The current signing key.
#[derive(Clone)]
pub struct TicketSigner {
    /// Key id (in each ticket).
    pub id: u32,
    secret: [u8; 32],
}

impl std::fmt::Debug for TicketSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TicketSigner")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl TicketSigner {
    /// Signs a ticket for a confirmed registration.
    pub fn sign(&self, registration_id: &str, offering_id: &str, name: &str) -> String {
        domain::ticket::sign(
            &self.secret,
            &domain::ticket::TicketClaims {
                key_id: self.id,
                registration_id: registration_id.to_owned(),
                offering_id: offering_id.to_owned(),
                name: name.to_owned(),
            },
        )
    }
}

impl TicketSigner {
    /// Signs a course's completion certificate (the key id is this key's).
    pub fn certify(&self, mut claims: domain::certificate::CertificateClaims) -> String {
        claims.key_id = self.id;
        domain::certificate::sign(&self.secret, &claims)
    }
}

/// The newest key, making one if there is none (either database).
pub async fn ensure(db: &Pool, now: i64) -> anyhow::Result<TicketSigner> {
    let mut tx = db.begin_write().await?;
    let existing: Option<(i64, Vec<u8>)> = tx
        .fetch_optional(
            "SELECT id, secret FROM signing_keys ORDER BY id DESC LIMIT 1",
            args![],
            |r| r.tuple(),
        )
        .await?;
    let (id, secret) = match existing {
        Some((id, secret)) => (id, secret),
        None => {
            let mut secret = [0u8; 32];
            getrandom::fill(&mut secret).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
            let version = tx.take_versions(1).await?;
            let public = domain::ticket::public_key(&secret);
            let id: i64 = tx
                .fetch_one(
                    "INSERT INTO signing_keys (secret, public_key, created_at, version)
                     VALUES (?1, ?2, ?3, ?4) RETURNING id",
                    args![secret, public, now, version],
                    |r| r.get(0),
                )
                .await?;
            (id, secret.to_vec())
        }
    };
    tx.commit().await?;
    let secret: [u8; 32] = secret
        .try_into()
        .map_err(|_| anyhow::anyhow!("a stored signing key is not 32 bytes"))?;
    Ok(TicketSigner {
        id: u32::try_from(id)?,
        secret,
    })
}
