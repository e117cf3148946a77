//! The key that signs tickets: made once, kept in the database.

use crate::db::{begin_write, next_versions};
use sqlx::SqlitePool;

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

/// The newest key, making one if there is none.
pub async fn ensure(db: &SqlitePool, now: i64) -> anyhow::Result<TicketSigner> {
    let mut tx = begin_write(db).await?;
    let existing: Option<(i64, Vec<u8>)> =
        sqlx::query_as("SELECT id, secret FROM signing_keys ORDER BY id DESC LIMIT 1")
            .fetch_optional(&mut *tx)
            .await?;
    let (id, secret) = match existing {
        Some((id, secret)) => (id, secret),
        None => {
            let mut secret = [0u8; 32];
            getrandom::fill(&mut secret).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
            let version = next_versions(&mut tx, 1).await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO signing_keys (secret, public_key, created_at, version)
                 VALUES (?, ?, ?, ?) RETURNING id",
            )
            .bind(secret.to_vec())
            .bind(domain::ticket::public_key(&secret))
            .bind(now)
            .bind(version)
            .fetch_one(&mut *tx)
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
