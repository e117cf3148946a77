//! Sessions: opaque random tokens handed out once, stored only as SHA-256 hashes, with a
//! sliding 30-day expiry.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use sha2::{Digest, Sha256};
use sqlx::SqlitePool;
use time::{Duration, OffsetDateTime};

/// How long a session lasts without use.
pub const SESSION_TTL: Duration = Duration::days(30);
/// Extending the expiry is a write; do it at most this often per session.
const TOUCH_EVERY: i64 = 300;

/// A new token: 256 random bits, base64url.
pub fn new_token() -> anyhow::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// What the database keeps of a token.
pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Starts a session for `user_id`; returns the token (to give to the client once) and expiry.
pub async fn create(
    db: &SqlitePool,
    user_id: &str,
    now: OffsetDateTime,
) -> anyhow::Result<(String, OffsetDateTime)> {
    let token = new_token()?;
    let expires_at = now + SESSION_TTL;
    sqlx::query(
        "INSERT INTO sessions (id, user_id, token_hash, created_at, last_used_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(user_id)
    .bind(token_hash(&token))
    .bind(now.unix_timestamp())
    .bind(now.unix_timestamp())
    .bind(expires_at.unix_timestamp())
    .execute(db)
    .await?;
    Ok((token, expires_at))
}

/// A live session, found by its token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveSession {
    /// The session.
    pub id: String,
    /// Its user.
    pub user_id: String,
    /// The user's role names, read in the same statement (every request needs them).
    pub role_names: Vec<String>,
}

/// The live session behind a token. Extends its expiry; removes it if it has expired.
pub async fn authenticate(
    db: &SqlitePool,
    token: &str,
    now: OffsetDateTime,
) -> Result<Option<LiveSession>, sqlx::Error> {
    // The roles come with the session: one round trip to the pool per request, not two.
    let row: Option<(String, String, i64, i64, Option<String>)> = sqlx::query_as(
        "SELECT id, user_id, last_used_at, expires_at,
                (SELECT group_concat(role, ' ') FROM user_roles r WHERE r.user_id = s.user_id)
           FROM sessions s WHERE token_hash = ?",
    )
    .bind(token_hash(token))
    .fetch_optional(db)
    .await?;
    let Some((id, user_id, last_used_at, expires_at, roles)) = row else {
        return Ok(None);
    };
    let now_s = now.unix_timestamp();
    if expires_at <= now_s {
        sqlx::query("DELETE FROM sessions WHERE id = ?")
            .bind(&id)
            .execute(db)
            .await?;
        return Ok(None);
    }
    if now_s - last_used_at >= TOUCH_EVERY {
        sqlx::query("UPDATE sessions SET last_used_at = ?, expires_at = ? WHERE id = ?")
            .bind(now_s)
            .bind((now + SESSION_TTL).unix_timestamp())
            .bind(&id)
            .execute(db)
            .await?;
    }
    Ok(Some(LiveSession {
        id,
        user_id,
        role_names: roles
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_owned)
            .collect(),
    }))
}

/// Ends one session.
pub async fn revoke(db: &SqlitePool, session_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE id = ?")
        .bind(session_id)
        .execute(db)
        .await?;
    Ok(())
}

/// Ends every session of a user, except `keep` if given.
pub async fn revoke_all(
    db: &SqlitePool,
    user_id: &str,
    keep: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE user_id = ? AND id <> COALESCE(?, '')")
        .bind(user_id)
        .bind(keep)
        .execute(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_hashed() {
        let a = new_token().unwrap();
        let b = new_token().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43, "256 bits in base64url");
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
        assert_eq!(token_hash(&a), token_hash(&a));
    }
}
