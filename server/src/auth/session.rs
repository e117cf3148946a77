//! Sessions: opaque random tokens handed out once, stored only as SHA-256 hashes, with a
//! sliding 30-day expiry.

use crate::db::pool::{Pool, args};
use crate::db::sql::Result;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use sha2::{Digest, Sha256};
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

/// What the database keeps of a token: its SHA-256, in lowercase hex.
pub fn token_hash(token: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(token.as_bytes());
    // Every request hashes its token: two table lookups per byte, not a `format!` per byte.
    let mut hex = String::with_capacity(digest.len() * 2);
    for b in digest {
        hex.push(char::from(HEX[usize::from(b >> 4)]));
        hex.push(char::from(HEX[usize::from(b & 0x0f)]));
    }
    hex
}

/// Starts a session for `user_id`; returns the token (to give to the client once) and expiry.
pub async fn create(
    db: &Pool,
    user_id: &str,
    now: OffsetDateTime,
) -> anyhow::Result<(String, OffsetDateTime)> {
    let token = new_token()?;
    let expires_at = now + SESSION_TTL;
    db.execute(
        "INSERT INTO sessions (id, user_id, token_hash, created_at, last_used_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?4, ?5)",
        args![
            uuid::Uuid::new_v4().to_string(),
            user_id,
            token_hash(&token),
            now.unix_timestamp(),
            expires_at.unix_timestamp()
        ],
    )
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

/// The session behind a token hash, with its user's roles (every request needs them).
const FIND: &str = "SELECT id, user_id, last_used_at, expires_at,
            (SELECT group_concat(role, ' ') FROM user_roles r WHERE r.user_id = s.user_id)
       FROM sessions s WHERE token_hash = ?1";

/// [`FIND`] in PostgreSQL's words (`string_agg` for `group_concat`).
const FIND_PG: &str = "SELECT id, user_id, last_used_at, expires_at,
            (SELECT string_agg(role, ' ') FROM user_roles r WHERE r.user_id = s.user_id)
       FROM sessions s WHERE token_hash = ?1";

/// A stored session as [`FIND`] reads it: id, user, last used, expires, roles.
type Found = (String, String, i64, i64, Option<String>);

/// Connections kept open for [`SessionReader`] at most; more requests at once open more and
/// close them afterwards.
const READERS_KEPT: usize = 8;

/// Reads sessions on the calling thread, through read-only SQLite connections of its own.
///
/// Every API request looks its session up. Through the sqlx pool that one indexed read is a hop
/// to a driver thread and back (a channel send, a thread wake-up, a second wake-up for the
/// answer), which cost more than the read itself: in the enrollment rush a fifth of the server's
/// CPU went to it. Here the read is a prepared statement on the request's own thread, a few
/// microseconds, with no await. In WAL mode a reader never waits for the writer; if SQLite
/// answers busy or anything else goes wrong, [`authenticate`] falls back to the pool.
pub struct SessionReader {
    path: std::path::PathBuf,
    idle: std::sync::Mutex<Vec<rusqlite::Connection>>,
}

impl SessionReader {
    /// Reads the database file at `path` (which must exist and be migrated).
    pub fn new(path: impl Into<std::path::PathBuf>) -> Self {
        Self {
            path: path.into(),
            idle: std::sync::Mutex::new(Vec::new()),
        }
    }

    fn open(&self) -> rusqlite::Result<rusqlite::Connection> {
        use rusqlite::OpenFlags;
        let conn = rusqlite::Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        // Never block the request's thread on a lock: busy means "ask the pool instead".
        conn.busy_timeout(std::time::Duration::ZERO)?;
        Ok(conn)
    }

    /// The session stored under `hash`.
    fn find(&self, hash: &str) -> rusqlite::Result<Option<Found>> {
        use rusqlite::OptionalExtension;
        let taken = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        let conn = match taken {
            Some(conn) => conn,
            None => self.open()?,
        };
        let found = conn
            .prepare_cached(FIND)?
            .query_row([hash], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .optional();
        // A connection that failed is dropped rather than kept.
        if found.is_ok() {
            self.give_back(conn);
        }
        found
    }

    /// Keeps `conn` for the next lookup, unless [`READERS_KEPT`] are kept already.
    fn give_back(&self, conn: rusqlite::Connection) {
        if let Ok(mut idle) = self.idle.lock()
            && idle.len() < READERS_KEPT
        {
            idle.push(conn);
        }
    }
}

/// The live session behind a token. Extends its expiry; removes it if it has expired.
///
/// The lookup goes through `reader` when given (see [`SessionReader`]), else, or when that
/// fails, through the pool; the rare writes (expiry, extension) always go through the pool.
pub async fn authenticate(
    db: &Pool,
    reader: Option<&SessionReader>,
    token: &str,
    now: OffsetDateTime,
) -> Result<Option<LiveSession>> {
    let hash = token_hash(token);
    let row = match reader.map(|r| r.find(&hash)) {
        Some(Ok(row)) => row,
        Some(Err(e)) => {
            tracing::debug!(error = %e, "session read fell back to the pool");
            find_in_pool(db, &hash).await?
        }
        None => find_in_pool(db, &hash).await?,
    };
    let Some((id, user_id, last_used_at, expires_at, roles)) = row else {
        return Ok(None);
    };
    let now_s = now.unix_timestamp();
    if expires_at <= now_s {
        db.execute("DELETE FROM sessions WHERE id = ?1", args![id])
            .await?;
        return Ok(None);
    }
    if now_s - last_used_at >= TOUCH_EVERY {
        db.execute(
            "UPDATE sessions SET last_used_at = ?1, expires_at = ?2 WHERE id = ?3",
            args![now_s, (now + SESSION_TTL).unix_timestamp(), id],
        )
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

async fn find_in_pool(db: &Pool, hash: &str) -> Result<Option<Found>> {
    db.fetch_optional(db.backend().pick(FIND, FIND_PG), args![hash], |r| r.tuple())
        .await
}

/// Ends one session.
pub async fn revoke(db: &Pool, session_id: &str) -> Result<()> {
    db.execute("DELETE FROM sessions WHERE id = ?1", args![session_id])
        .await?;
    Ok(())
}

/// Ends every session of a user, except `keep` if given.
pub async fn revoke_all(db: &Pool, user_id: &str, keep: Option<&str>) -> Result<()> {
    db.execute(
        "DELETE FROM sessions WHERE user_id = ?1 AND id <> COALESCE(?2, '')",
        args![user_id, keep],
    )
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

    #[test]
    fn the_hash_is_lowercase_hex_sha256() {
        // SHA-256("abc"), the FIPS 180-2 example: stored hashes must not change form.
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    use crate::db::test_database as database;

    async fn user(db: &sqlx::SqlitePool, id: &str, roles: &[&str]) {
        sqlx::query(
            "INSERT INTO users (id, phone, display_name, password_hash, birth_year,
                                consent_version, consent_at, created_at, version)
             VALUES (?1, ?1, ?1, 'x', 2000, 'v1', 0, 0, 1)",
        )
        .bind(id)
        .execute(db)
        .await
        .unwrap();
        for role in roles {
            sqlx::query("INSERT INTO user_roles (user_id, role) VALUES (?, ?)")
                .bind(id)
                .bind(role)
                .execute(db)
                .await
                .unwrap();
        }
    }

    /// A database with user `u1` holding `roles`, signed in at `at`: the database, a reader
    /// of it, and the token.
    async fn signed_in(
        roles: &[&str],
        at: OffsetDateTime,
    ) -> (tempfile::TempDir, crate::db::Db, SessionReader, String) {
        let (dir, db) = database().await;
        let reader = SessionReader::new(db.options.get_filename());
        user(&db.pool, "u1", roles).await;
        let (token, _) = create(&Pool::Sqlite(db.pool.clone()), "u1", at)
            .await
            .unwrap();
        (dir, db, reader, token)
    }

    #[tokio::test]
    async fn the_reader_sees_every_change_at_once() {
        let now = OffsetDateTime::now_utc();
        let (_dir, db, reader, token) = signed_in(&["organizer"], now).await;

        let found = authenticate(&Pool::Sqlite(db.pool.clone()), Some(&reader), &token, now)
            .await
            .unwrap()
            .expect("a live session");
        assert_eq!(found.user_id, "u1");
        assert_eq!(found.role_names, ["organizer"]);
        assert_eq!(
            authenticate(&Pool::Sqlite(db.pool.clone()), None, &token, now)
                .await
                .unwrap(),
            Some(found.clone()),
            "the reader and the pool agree"
        );
        assert_eq!(
            authenticate(
                &Pool::Sqlite(db.pool.clone()),
                Some(&reader),
                "no-such-token",
                now
            )
            .await
            .unwrap(),
            None
        );

        // A role granted through the pool counts on the very next request: nothing is cached.
        sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ('u1', 'admin')")
            .execute(&db.pool)
            .await
            .unwrap();
        let again = authenticate(&Pool::Sqlite(db.pool.clone()), Some(&reader), &token, now)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(again.role_names.len(), 2, "{:?}", again.role_names);

        // Signing out ends the session for the reader too.
        revoke(&Pool::Sqlite(db.pool.clone()), &found.id)
            .await
            .unwrap();
        assert_eq!(
            authenticate(&Pool::Sqlite(db.pool.clone()), Some(&reader), &token, now)
                .await
                .unwrap(),
            None
        );
    }

    #[tokio::test]
    async fn expiry_still_applies_through_the_reader() {
        let then = OffsetDateTime::now_utc();
        let (_dir, db, reader, token) = signed_in(&[], then).await;
        let later = then + SESSION_TTL + Duration::seconds(1);
        assert_eq!(
            authenticate(&Pool::Sqlite(db.pool.clone()), Some(&reader), &token, later)
                .await
                .unwrap(),
            None
        );
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!(left, 0, "the expired session is removed");
    }

    #[tokio::test]
    async fn a_reader_that_cannot_read_falls_back_to_the_pool() {
        let now = OffsetDateTime::now_utc();
        let (dir, db, _, token) = signed_in(&[], now).await;
        let broken = SessionReader::new(dir.path().join("missing.db"));
        let found = authenticate(&Pool::Sqlite(db.pool.clone()), Some(&broken), &token, now)
            .await
            .unwrap();
        assert_eq!(found.map(|s| s.user_id).as_deref(), Some("u1"));
        assert!(
            broken.idle.lock().unwrap().is_empty(),
            "a failed connection is not kept"
        );
    }

    #[tokio::test]
    async fn the_reader_keeps_a_few_connections_not_one_per_request() {
        let now = OffsetDateTime::now_utc();
        let (_dir, db, reader, token) = signed_in(&[], now).await;
        for _ in 0..50 {
            authenticate(&Pool::Sqlite(db.pool.clone()), Some(&reader), &token, now)
                .await
                .unwrap()
                .unwrap();
        }
        assert_eq!(
            reader.idle.lock().unwrap().len(),
            1,
            "one at a time reuses one"
        );
        // Many requests at once each open one; afterwards only a few stay open.
        let held: Vec<_> = (0..READERS_KEPT + 3)
            .map(|_| reader.open().unwrap())
            .collect();
        for conn in held {
            reader.give_back(conn);
        }
        assert_eq!(reader.idle.lock().unwrap().len(), READERS_KEPT);
    }
}
