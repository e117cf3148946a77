//! Known devices: a device that signs in to an account successfully is given a long-lived
//! random token (256 bits, stored only as its SHA-256, like a session's). Presented at a later
//! sign-in to the same account, it spares that device the account's slow-down (see
//! [`super::rate_limit`]), so an attack on the account does not keep its owner out. It grants
//! nothing else: the password is still needed, and the device's own failures are limited.
//!
//! A device keeps one token: signing in to another account on it makes the same token known
//! for that account too (a row each), so a shared phone stays known for everyone who uses it.

use super::session::{new_token, token_hash};
use crate::db::pool::{Pool, args};
use time::{Duration, OffsetDateTime};

/// A token not used for this long is no longer honoured (and is deleted).
pub const KNOWN_DEVICE_TTL: Duration = Duration::days(365);
/// Known devices kept per account, the most recently used.
const KEPT_PER_ACCOUNT: i64 = 20;

/// The device behind `token` if it is known for `user_id`: its key for the per-device limit
/// (the token's hash, which the client cannot choose without the token).
pub async fn recognise(
    db: &Pool,
    user_id: &str,
    token: &str,
    now: OffsetDateTime,
) -> crate::db::sql::Result<Option<String>> {
    let hash = token_hash(token);
    let known: Option<i64> = db
        .fetch_optional(
            "SELECT 1 FROM known_devices
              WHERE token_hash = ?1 AND user_id = ?2 AND last_used_at > ?3",
            args![hash, user_id, (now - KNOWN_DEVICE_TTL).unix_timestamp()],
            |r| r.get(0),
        )
        .await?;
    Ok(known.map(|_| hash))
}

/// After a successful sign-in to `user_id`: the token the device should keep. The token it
/// presented is kept if the server issued it (for this account or another); anything else
/// gets a new one. The account's oldest and long-unused devices are forgotten.
pub async fn remember(
    db: &Pool,
    user_id: &str,
    presented: Option<&str>,
    now: OffsetDateTime,
) -> anyhow::Result<String> {
    let issued = match presented {
        Some(token) => {
            let found: Option<i64> = db
                .fetch_optional(
                    "SELECT 1 FROM known_devices WHERE token_hash = ?1 LIMIT 1",
                    args![token_hash(token)],
                    |r| r.get(0),
                )
                .await?;
            found.map(|_| token.to_owned())
        }
        None => None,
    };
    let token = match issued {
        Some(token) => token,
        None => new_token()?,
    };
    let now_s = now.unix_timestamp();
    let mut tx = db.begin().await?;
    tx.execute(
        "INSERT INTO known_devices (token_hash, user_id, created_at, last_used_at)
         VALUES (?1, ?2, ?3, ?3)
         ON CONFLICT (token_hash, user_id) DO UPDATE SET last_used_at = excluded.last_used_at",
        args![token_hash(&token), user_id, now_s],
    )
    .await?;
    tx.execute(
        "DELETE FROM known_devices
          WHERE user_id = ?1
            AND (last_used_at <= ?2
                 OR token_hash NOT IN (SELECT token_hash FROM known_devices WHERE user_id = ?1
                                        ORDER BY last_used_at DESC LIMIT ?3))",
        args![
            user_id,
            (now - KNOWN_DEVICE_TTL).unix_timestamp(),
            KEPT_PER_ACCOUNT
        ],
    )
    .await?;
    tx.commit().await?;
    Ok(token)
}

/// Forgets every known device of `user_id` (after a password change: a device that knew the
/// old password is not to guess the new one unslowed).
pub async fn forget_all(db: &Pool, user_id: &str) -> crate::db::sql::Result<()> {
    db.execute(
        "DELETE FROM known_devices WHERE user_id = ?1",
        args![user_id],
    )
    .await?;
    Ok(())
}
