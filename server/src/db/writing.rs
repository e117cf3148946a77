//! The sync writer's connection as its jobs see it: the connection, and the statements every
//! push runs held prepared for the thread's life.
//!
//! rusqlite's statement cache finds a statement by its SQL text: each use hashed and compared the
//! whole text to take the statement out of the cache, and hashed it again to put it back. For a
//! push's dozen statements that was a tenth of the writer's time in the rush. These are looked
//! up by field instead. Every other statement on the writer still goes through the cache.

use super::sql::{Conn, Result, Statement};
use std::{cell::RefCell, ops::Deref};

/// The writer's connection with its hot statements. Derefs to the connection.
pub struct Writing<'c> {
    conn: &'c Conn,
    /// `db::clients` (for `sync::push`): a device's claim, its known progress, its new
    /// progress, a mutation's logged outcome.
    pub(crate) claim_client: RefCell<Statement<'c>>,
    pub(crate) known_client: RefCell<Statement<'c>>,
    pub(crate) client_progress: RefCell<Statement<'c>>,
    pub(crate) log_mutation: RefCell<Statement<'c>>,
    /// `db::registrations`: a registration by id, an offering's rules and the live check, a new
    /// registration, a seat, a waitlist place.
    pub(crate) find_registration: RefCell<Statement<'c>>,
    pub(crate) rules_and_live: RefCell<Statement<'c>>,
    pub(crate) insert_registration: RefCell<Statement<'c>>,
    pub(crate) take_seat: RefCell<Statement<'c>>,
    pub(crate) join_waitlist: RefCell<Statement<'c>>,
    /// The version counter: taking versions, reading the last taken.
    take_versions: RefCell<Statement<'c>>,
    read_version: RefCell<Statement<'c>>,
}

impl<'c> Writing<'c> {
    /// Prepares the hot statements on `conn` (which must be migrated).
    pub fn new(conn: &'c Conn) -> Result<Self> {
        use super::clients as p;
        use super::registrations as r;
        let prepare = |sql: &str| conn.prepare(sql).map(RefCell::new);
        Ok(Self {
            conn,
            claim_client: prepare(p::CLAIM_CLIENT)?,
            known_client: prepare(p::KNOWN_CLIENT)?,
            client_progress: prepare(p::CLIENT_PROGRESS)?,
            log_mutation: prepare(p::LOG_MUTATION)?,
            find_registration: prepare(r::FIND)?,
            rules_and_live: prepare(&r::RULES_AND_LIVE)?,
            insert_registration: prepare(r::INSERT)?,
            take_seat: prepare(r::TAKE_SEAT)?,
            join_waitlist: prepare(r::JOIN_WAITLIST)?,
            take_versions: prepare(super::WRITER_TAKE_VERSIONS)?,
            read_version: prepare(super::READ_VERSION)?,
        })
    }

    /// Takes the next `n` values of the global version counter inside the writer's transaction
    /// and returns the first (as [`super::pool::Tx::take_versions`] does on the pool's).
    pub fn take_versions(&self, n: i64) -> Result<i64> {
        self.take_versions.borrow_mut().execute([n])?;
        let last: i64 = self.read_version.borrow_mut().query_row([], |r| r.get(0))?;
        Ok(last - n + 1)
    }
}

impl Deref for Writing<'_> {
    type Target = Conn;

    fn deref(&self) -> &Conn {
        self.conn
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_writer_and_the_pool_take_versions_from_one_counter() {
        let (_dir, db) = super::super::test_database().await;
        let conn = super::super::sql::Conn::Sqlite(super::super::open_writer(&db.options).unwrap());
        let w = Writing::new(&conn).unwrap();
        let first = w.take_versions(2).unwrap();
        assert_eq!(w.take_versions(1).unwrap(), first + 2);
        let pool = super::super::pool::Pool::Sqlite(db.pool.clone());
        let mut tx = pool.begin_write().await.unwrap();
        assert_eq!(tx.take_versions(3).await.unwrap(), first + 3);
        tx.commit().await.unwrap();
        assert_eq!(w.take_versions(1).unwrap(), first + 6);
    }
}
