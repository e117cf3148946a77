//! Users, their roles and assignments.

use crate::db::pool::{On, Pool, args};
use crate::db::sql::Result;
use domain::{
    Role, UserProfile,
    account::{UserSummary, ValidSignup},
};
use time::OffsetDateTime;

/// What the user may see has changed (roles, assignments, an offering moved between venues
/// they run): their devices download everything again at their next pull, and so gain, or
/// lose, rosters.
pub async fn see_anew(on: impl Into<On<'_>>, user_id: &str) -> Result<()> {
    let mut on = on.into();
    let version = on.take_versions(1).await?;
    on.execute(
        "UPDATE users SET visibility_epoch = visibility_epoch + 1, version = ?1 WHERE id = ?2",
        args![version, user_id],
    )
    .await?;
    Ok(())
}

/// The profile a person sees of themselves.
pub async fn profile(db: &Pool, user_id: &str) -> Result<Option<UserProfile>> {
    let row: Option<(String, String, String, i64)> = db
        .fetch_optional(
            "SELECT id, phone, display_name, birth_year FROM users WHERE id = ?1",
            args![user_id],
            |r| r.tuple(),
        )
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
pub async fn credentials(db: &Pool, phone: &str) -> Result<Option<(String, String)>> {
    db.fetch_optional(
        "SELECT id, password_hash FROM users WHERE phone = ?1",
        args![phone],
        |r| r.tuple(),
    )
    .await
}

/// `(phone, password_hash)` of a user.
pub async fn phone_and_password_hash(db: &Pool, user_id: &str) -> Result<Option<(String, String)>> {
    db.fetch_optional(
        "SELECT phone, password_hash FROM users WHERE id = ?1",
        args![user_id],
        |r| r.tuple(),
    )
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
    Db(#[from] crate::db::sql::Error),
}

/// Stores a new youth account; returns its id.
pub async fn insert(
    on: impl Into<On<'_>>,
    signup: &ValidSignup,
    password_hash: &str,
    consent_version: &str,
    now: OffsetDateTime,
) -> std::result::Result<String, InsertUserError> {
    let mut on = on.into();
    let id = uuid::Uuid::new_v4().to_string();
    let version = on.take_versions(1).await?;
    let now_s = now.unix_timestamp();
    let (g_name, g_phone, g_at) = match &signup.guardian {
        Some((name, phone)) => (Some(name.clone()), Some(phone.to_string()), Some(now_s)),
        None => (None, None, None),
    };
    let inserted = on
        .execute(
            "INSERT INTO users (id, phone, display_name, password_hash, birth_year,
                                consent_version, consent_at, guardian_name, guardian_phone,
                                guardian_consent_at, created_at, version)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
             ON CONFLICT (phone) DO NOTHING",
            args![
                id,
                signup.phone.as_str(),
                signup.display_name,
                password_hash,
                signup.birth_year,
                consent_version,
                now_s,
                g_name,
                g_phone,
                g_at,
                now_s,
                version
            ],
        )
        .await?;
    if inserted == 0 {
        return Err(InsertUserError::PhoneTaken);
    }
    on.execute(
        "INSERT INTO user_roles (user_id, role) VALUES (?1, 'youth')",
        args![id],
    )
    .await?;
    Ok(id)
}

/// Users whose phone or name contains `query` (all when empty), newest first.
pub async fn search(db: &Pool, query: &str, limit: u32) -> Result<Vec<UserSummary>> {
    let pattern = format!(
        "%{}%",
        query
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let roles = db
        .backend()
        .pick("GROUP_CONCAT(r.role)", "string_agg(r.role, ',')");
    let sql = format!(
        "SELECT u.id, u.phone, u.display_name, u.birth_year, {roles}
           FROM users u LEFT JOIN user_roles r ON r.user_id = u.id
          WHERE u.phone LIKE ?1 ESCAPE '\\' OR u.display_name LIKE ?1 ESCAPE '\\'
          GROUP BY u.id
          ORDER BY u.created_at DESC, u.id
          LIMIT ?2"
    );
    let rows: Vec<(String, String, String, i64, Option<String>)> = db
        .fetch_all(&sql, args![pattern, i64::from(limit)], |r| r.tuple())
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

/// The roles of a user.
pub async fn roles_of(db: &Pool, user_id: &str) -> Result<Vec<Role>> {
    let names: Vec<String> = db
        .fetch_all(
            "SELECT role FROM user_roles WHERE user_id = ?1 ORDER BY role",
            args![user_id],
            |r| r.get(0),
        )
        .await?;
    Ok(parse_roles(&names))
}

/// Roles from their stored names, in order; names this build does not know are skipped.
pub fn parse_roles(names: &[String]) -> Vec<Role> {
    let mut roles: Vec<Role> = names.iter().filter_map(|n| Role::parse(n)).collect();
    roles.sort();
    roles
}

/// Whether organizer `?1` runs offering `?2`, directly or through its venue (one text for the
/// routes' check on the pool and the mutations' on the sync writer).
const ORGANIZES: &str = "SELECT COUNT(*) FROM organizer_assignments a
       JOIN user_roles r ON r.user_id = a.user_id AND r.role = 'organizer'
      WHERE a.user_id = ?1
        AND (a.offering_id = ?2
             OR a.venue_id = (SELECT venue_id FROM offerings WHERE id = ?2))";

/// Whether someone with `roles` runs `offering_id` (on the sync writer's connection): admins
/// run everything, organizers what they are assigned to.
pub fn runs(
    conn: &crate::db::sql::Conn,
    user_id: &str,
    roles: &[Role],
    offering_id: &str,
) -> crate::db::sql::Result<bool> {
    if roles.contains(&Role::Admin) {
        return Ok(true);
    }
    if !roles.contains(&Role::Organizer) {
        return Ok(false);
    }
    let n: i64 = conn
        .prepare_cached(ORGANIZES)?
        .query_row(crate::db::sql::params![user_id, offering_id], |r| r.get(0))?;
    Ok(n > 0)
}

/// Whether `user_id` organizes `offering_id`, directly or through the offering's venue.
pub async fn organizes(db: &Pool, user_id: &str, offering_id: &str) -> Result<bool> {
    let n: i64 = db
        .fetch_one(ORGANIZES, args![user_id, offering_id], |r| r.get(0))
        .await?;
    Ok(n > 0)
}

/// Replaces the user's roles with `roles`.
pub async fn set_roles(on: impl Into<On<'_>>, user_id: &str, roles: &[Role]) -> Result<()> {
    let mut on = on.into();
    on.execute("DELETE FROM user_roles WHERE user_id = ?1", args![user_id])
        .await?;
    for role in roles {
        on.execute(
            "INSERT INTO user_roles (user_id, role) VALUES (?1, ?2)",
            args![user_id, role.as_str()],
        )
        .await?;
    }
    Ok(())
}

/// What the organizer runs: offerings one by one, and whole venues.
pub async fn assignments(db: &Pool, user_id: &str) -> Result<domain::account::Assignments> {
    let rows: Vec<(Option<String>, Option<String>)> = db
        .fetch_all(
            "SELECT offering_id, venue_id FROM organizer_assignments WHERE user_id = ?1
              ORDER BY offering_id, venue_id",
            args![user_id],
            |r| r.tuple(),
        )
        .await?;
    let mut a = domain::account::Assignments::default();
    for (offering, venue) in rows {
        a.offering_ids.extend(offering);
        a.venue_ids.extend(venue);
    }
    Ok(a)
}

/// Why [`set_assignments`] refused: an id that names nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnknownAssignment {
    /// An offering id.
    Offering,
    /// A venue id.
    Venue,
}

impl UnknownAssignment {
    /// The request's field at fault.
    pub fn field(self) -> &'static str {
        match self {
            Self::Offering => "offering_ids",
            Self::Venue => "venue_ids",
        }
    }

    /// What is wrong with it (`ErrorBody::reason`).
    pub fn reason(self) -> &'static str {
        match self {
            Self::Offering => "unknown_offering",
            Self::Venue => "unknown_venue",
        }
    }
}

/// Replaces what the organizer runs with `to`, inside the caller's transaction. An id that
/// does not exist: `Err` with the field that named it (`offering_ids`, `venue_ids`), and the
/// caller rolls back.
pub async fn set_assignments(
    on: impl Into<On<'_>>,
    user_id: &str,
    to: &domain::account::Assignments,
) -> Result<std::result::Result<(), UnknownAssignment>> {
    let mut on = on.into();
    on.execute(
        "DELETE FROM organizer_assignments WHERE user_id = ?1",
        args![user_id],
    )
    .await?;
    for id in &to.offering_ids {
        let ok = on
            .execute(
                "INSERT INTO organizer_assignments (user_id, offering_id)
                 SELECT ?1, id FROM offerings WHERE id = ?2",
                args![user_id, id],
            )
            .await?;
        if ok == 0 {
            return Ok(Err(UnknownAssignment::Offering));
        }
    }
    for id in &to.venue_ids {
        let ok = on
            .execute(
                "INSERT INTO organizer_assignments (user_id, venue_id)
                 SELECT ?1, id FROM venues WHERE id = ?2",
                args![user_id, id],
            )
            .await?;
        if ok == 0 {
            return Ok(Err(UnknownAssignment::Venue));
        }
    }
    Ok(Ok(()))
}

/// Whether the account exists.
pub async fn exists(db: &Pool, user_id: &str) -> Result<bool> {
    Ok(db
        .fetch_optional("SELECT id FROM users WHERE id = ?1", args![user_id], |r| {
            r.get::<_, String>(0)
        })
        .await?
        .is_some())
}

/// Whether the account holds the organizer role.
pub async fn is_organizer(on: impl Into<On<'_>>, user_id: &str) -> Result<bool> {
    on.into()
        .fetch_one(
            "SELECT EXISTS (SELECT 1 FROM user_roles WHERE user_id = ?1 AND role = 'organizer')",
            args![user_id],
            |r| r.get(0),
        )
        .await
}
