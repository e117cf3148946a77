//! Users, their roles and assignments.

use crate::auth::access::roles_of;
use domain::{
    Role, UserProfile,
    account::{UserSummary, ValidSignup},
};
use sqlx::{SqliteConnection, SqlitePool};
use time::OffsetDateTime;

/// What the user may see has changed (roles, assignments, an offering moved between venues
/// they run): their devices download everything again at their next pull, and so gain, or
/// lose, rosters.
pub async fn see_anew(conn: &mut SqliteConnection, user_id: &str) -> Result<(), sqlx::Error> {
    let version = crate::db::next_version(conn).await?;
    sqlx::query(
        "UPDATE users SET visibility_epoch = visibility_epoch + 1, version = ? WHERE id = ?",
    )
    .bind(version)
    .bind(user_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The profile a person sees of themselves.
pub async fn profile(db: &SqlitePool, user_id: &str) -> Result<Option<UserProfile>, sqlx::Error> {
    let row: Option<(String, String, String, i64)> =
        sqlx::query_as("SELECT id, phone, display_name, birth_year FROM users WHERE id = ?")
            .bind(user_id)
            .fetch_optional(db)
            .await?;
    let Some((id, phone, display_name, birth_year)) = row else {
        return Ok(None);
    };
    let roles = roles_of(db, &id).await?;
    Ok(Some(UserProfile {
        id,
        phone,
        display_name,
        birth_year: i32::try_from(birth_year).unwrap_or_default(),
        roles,
    }))
}

/// `(user_id, password_hash)` for a phone.
pub async fn credentials(
    db: &SqlitePool,
    phone: &str,
) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, password_hash FROM users WHERE phone = ?")
        .bind(phone)
        .fetch_optional(db)
        .await
}

/// `(phone, password_hash)` of a user.
pub async fn phone_and_password_hash(
    db: &SqlitePool,
    user_id: &str,
) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT phone, password_hash FROM users WHERE id = ?")
        .bind(user_id)
        .fetch_optional(db)
        .await
}

/// Why a new account could not be stored.
#[derive(Debug, thiserror::Error)]
pub enum InsertUserError {
    /// The phone has an account already.
    #[error("phone taken")]
    PhoneTaken,
    /// The database failed.
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Stores a new youth account; returns its id.
pub async fn insert(
    conn: &mut SqliteConnection,
    signup: &ValidSignup,
    password_hash: &str,
    consent_version: &str,
    now: OffsetDateTime,
) -> Result<String, InsertUserError> {
    let id = uuid::Uuid::new_v4().to_string();
    let version = crate::db::next_version(conn).await?;
    let now_s = now.unix_timestamp();
    let (g_name, g_phone, g_at) = match &signup.guardian {
        Some((name, phone)) => (Some(name.clone()), Some(phone.to_string()), Some(now_s)),
        None => (None, None, None),
    };
    let inserted = sqlx::query(
        "INSERT INTO users (id, phone, display_name, password_hash, birth_year, consent_version,
                            consent_at, guardian_name, guardian_phone, guardian_consent_at,
                            created_at, version)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (phone) DO NOTHING",
    )
    .bind(&id)
    .bind(signup.phone.as_str())
    .bind(&signup.display_name)
    .bind(password_hash)
    .bind(signup.birth_year)
    .bind(consent_version)
    .bind(now_s)
    .bind(g_name)
    .bind(g_phone)
    .bind(g_at)
    .bind(now_s)
    .bind(version)
    .execute(&mut *conn)
    .await?;
    if inserted.rows_affected() == 0 {
        return Err(InsertUserError::PhoneTaken);
    }
    sqlx::query("INSERT INTO user_roles (user_id, role) VALUES (?, 'youth')")
        .bind(&id)
        .execute(&mut *conn)
        .await?;
    Ok(id)
}

/// Users whose phone or name contains `query` (all when empty), newest first.
pub async fn search(
    db: &SqlitePool,
    query: &str,
    limit: u32,
) -> Result<Vec<UserSummary>, sqlx::Error> {
    let pattern = format!(
        "%{}%",
        query
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let rows: Vec<(String, String, String, i64, Option<String>)> = sqlx::query_as(
        "SELECT u.id, u.phone, u.display_name, u.birth_year, GROUP_CONCAT(r.role)
           FROM users u LEFT JOIN user_roles r ON r.user_id = u.id
          WHERE u.phone LIKE ?1 ESCAPE '\\' OR u.display_name LIKE ?1 ESCAPE '\\'
          GROUP BY u.id
          ORDER BY u.created_at DESC, u.id
          LIMIT ?2",
    )
    .bind(pattern)
    .bind(i64::from(limit))
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, phone, display_name, birth_year, roles)| {
            let mut roles: Vec<Role> = roles
                .unwrap_or_default()
                .split(',')
                .filter_map(Role::parse)
                .collect();
            roles.sort();
            UserSummary {
                id,
                phone,
                display_name,
                birth_year: i32::try_from(birth_year).unwrap_or_default(),
                roles,
            }
        })
        .collect())
}
