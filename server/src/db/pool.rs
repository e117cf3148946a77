//! The store interface for the request handlers: the async counterpart of [`sql::Conn`], over a
//! pool of either database. The same SQL text (SQLite's `?N` parameters, rewritten once per
//! statement for PostgreSQL), the same [`sql::Row`] and [`sql::FromSql`] reading, the same
//! errors; parameters are given as [`args!`] (values taken before the first await, so handlers'
//! futures stay `Send`).
//!
//! Reads go to the pool; writes that take versions run in [`Pool::begin_write`]'s transaction,
//! which takes the same lock the sync writer's do (`BEGIN IMMEDIATE` on SQLite, the version
//! counter's row on PostgreSQL: docs/postgres.md, "A pull never misses a row").

use super::sql::{self, Backend, Error, Result, Row, Value};
use sqlx::{
    Postgres, Sqlite, SqlitePool,
    pool::PoolConnection,
    postgres::{PgArguments, PgPool},
    query::Query,
    sqlite::SqliteArguments,
};
use std::sync::{Arc, LazyLock, Mutex};

/// A statement's parameters, taken as values: `args![user_id, now]`.
#[macro_export]
macro_rules! sql_args {
    () => { ::std::vec::Vec::<$crate::db::sql::Value<'_>>::new() };
    ($($p:expr),+ $(,)?) => { vec![$($crate::db::sql::ToSql::to_value(&$p)),+] };
}
pub use crate::sql_args as args;

/// A pool of connections to either database.
#[derive(Clone, Debug)]
pub enum Pool {
    /// SQLite (WAL), through sqlx.
    Sqlite(SqlitePool),
    /// PostgreSQL, through sqlx.
    Postgres(PgPool),
}

/// Statements' text rewritten for PostgreSQL, by their SQLite text: each is rewritten once.
static PG_TEXT: LazyLock<Mutex<std::collections::HashMap<String, Arc<str>>>> =
    LazyLock::new(Default::default);

fn pg_text(sql: &str) -> Arc<str> {
    let mut texts = PG_TEXT
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(t) = texts.get(sql) {
        return t.clone();
    }
    let t: Arc<str> = sql::to_postgres(sql).into();
    texts.insert(sql.to_owned(), t.clone());
    t
}

fn bind_sqlite<'q>(
    mut q: Query<'q, Sqlite, SqliteArguments>,
    values: &[Value<'q>],
) -> Query<'q, Sqlite, SqliteArguments> {
    for v in values {
        q = match *v {
            Value::Null(_) => q.bind(None::<i64>),
            Value::Int(i) => q.bind(i),
            Value::Real(f) => q.bind(f),
            Value::Text(s) => q.bind(s),
            Value::Blob(b) => q.bind(b),
        };
    }
    q
}

fn sqlite_query<'q>(sql: &str, values: &[Value<'q>]) -> Query<'q, Sqlite, SqliteArguments> {
    bind_sqlite(sqlx::query(sqlx::AssertSqlSafe(sql.to_owned())), values)
}

fn pg_query<'q>(sql: &str, values: &[Value<'q>]) -> Query<'q, Postgres, PgArguments> {
    sql::bind_pg(sqlx::query(sqlx::AssertSqlSafe(pg_text(sql))), values)
}

fn rows_to<T, R>(
    rows: &[R],
    wrap: impl Fn(&R) -> Row<'_>,
    mut f: impl FnMut(&Row<'_>) -> Result<T>,
) -> Result<Vec<T>> {
    rows.iter().map(|r| f(&wrap(r))).collect()
}

fn wrap_sqlite(r: &sqlx::sqlite::SqliteRow) -> Row<'_> {
    Row::SqlitePool(r)
}

fn wrap_pg(r: &sqlx::postgres::PgRow) -> Row<'_> {
    Row::Postgres(r)
}

/// Runs `$body` with `$e` bound to the executor of either database, `$q` to the matching
/// query builder and `$wrap` to the matching row wrapper.
macro_rules! on_either {
    ($target:expr, |$e:ident, $q:ident, $wrap:ident| $body:expr) => {
        match $target {
            Either::Sqlite($e) => {
                let $q = sqlite_query;
                let $wrap = wrap_sqlite;
                $body
            }
            Either::Postgres($e) => {
                let $q = pg_query;
                let $wrap = wrap_pg;
                $body
            }
        }
    };
}

/// What a statement runs on: a pool's connection or a transaction's.
enum Either<'e> {
    Sqlite(&'e mut sqlx::SqliteConnection),
    Postgres(&'e mut sqlx::PgConnection),
}

async fn execute(target: Either<'_>, sql: &str, values: &[Value<'_>]) -> Result<u64> {
    on_either!(target, |e, q, _w| Ok(q(sql, values)
        .execute(e)
        .await?
        .rows_affected()))
}

async fn fetch_all<T>(
    target: Either<'_>,
    sql: &str,
    values: &[Value<'_>],
    f: impl FnMut(&Row<'_>) -> Result<T>,
) -> Result<Vec<T>> {
    on_either!(target, |e, q, wrap| {
        let rows = q(sql, values).fetch_all(e).await?;
        rows_to(&rows, wrap, f)
    })
}

async fn fetch_optional<T>(
    target: Either<'_>,
    sql: &str,
    values: &[Value<'_>],
    f: impl FnOnce(&Row<'_>) -> Result<T>,
) -> Result<Option<T>> {
    on_either!(target, |e, q, wrap| {
        match q(sql, values).fetch_optional(e).await? {
            Some(r) => f(&wrap(&r)).map(Some),
            None => Ok(None),
        }
    })
}

impl Pool {
    /// Which database it reaches.
    pub fn backend(&self) -> Backend {
        match self {
            Self::Sqlite(_) => Backend::Sqlite,
            Self::Postgres(_) => Backend::Postgres,
        }
    }

    /// Closes every connection, waiting for those in use to come back.
    pub async fn close(&self) {
        match self {
            Self::Sqlite(p) => p.close().await,
            Self::Postgres(p) => p.close().await,
        }
    }

    /// Runs `work` in a write transaction of its own ([`super::in_write_transaction`]) on a
    /// writer's connection of its own to the same database, on a blocking thread: for tools
    /// and tests that run a writer job (a sweep) outside the server's sync writer.
    pub async fn in_writer<T: Send + 'static>(
        &self,
        work: impl FnOnce(&super::writing::Writing<'_>) -> Result<T> + Send + 'static,
    ) -> anyhow::Result<T> {
        use super::sql::{Conn, PgSync};
        let open: Box<dyn FnOnce() -> Result<Conn> + Send> = match self {
            Self::Sqlite(p) => {
                let options = p.connect_options();
                Box::new(move || Ok(Conn::Sqlite(super::open_writer(&options)?)))
            }
            Self::Postgres(p) => {
                let options = p.connect_options();
                Box::new(move || Ok(Conn::Postgres(Box::new(PgSync::connect(&options)?))))
            }
        };
        let done = tokio::task::spawn_blocking(move || super::in_write_transaction(&open()?, work));
        Ok(done
            .await
            .map_err(|e| anyhow::anyhow!("the writer's work stopped: {e}"))??)
    }

    /// A connection of the pool, for one statement.
    async fn acquire(&self) -> Result<Held> {
        Ok(match self {
            Self::Sqlite(p) => Held::Sqlite(p.acquire().await?),
            Self::Postgres(p) => Held::Postgres(p.acquire().await?),
        })
    }

    /// Runs a statement outside any transaction; the rows it changed.
    pub async fn execute(&self, sql: &str, values: Vec<Value<'_>>) -> Result<u64> {
        execute(self.acquire().await?.target(), sql, &values).await
    }

    /// Every row of a statement through `f`.
    pub async fn fetch_all<T>(
        &self,
        sql: &str,
        values: Vec<Value<'_>>,
        f: impl FnMut(&Row<'_>) -> Result<T>,
    ) -> Result<Vec<T>> {
        fetch_all(self.acquire().await?.target(), sql, &values, f).await
    }

    /// The first row of a statement through `f`, if it returned one.
    pub async fn fetch_optional<T>(
        &self,
        sql: &str,
        values: Vec<Value<'_>>,
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<Option<T>> {
        fetch_optional(self.acquire().await?.target(), sql, &values, f).await
    }

    /// The first row of a statement through `f`; [`Error::NoRows`] when it returned none.
    pub async fn fetch_one<T>(
        &self,
        sql: &str,
        values: Vec<Value<'_>>,
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<T> {
        self.fetch_optional(sql, values, f)
            .await?
            .ok_or(Error::NoRows)
    }

    /// A write transaction for rows devices do not pull (no versions taken): SQLite still
    /// takes its write lock at once (a read that turned into a write could fail), PostgreSQL
    /// not the version counter's.
    pub async fn begin(&self) -> Result<Tx> {
        Ok(match self {
            Self::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Self::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    /// A write transaction that takes the writers' lock first (see the module's doc).
    pub async fn begin_write(&self) -> Result<Tx> {
        Ok(match self {
            Self::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Self::Postgres(p) => {
                let mut tx = p.begin().await?;
                sqlx::query("SELECT value FROM version_counter WHERE id = 1 FOR UPDATE")
                    .execute(&mut *tx)
                    .await?;
                Tx::Postgres(tx)
            }
        })
    }
}

/// A pool's connection, held for a statement.
enum Held {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

impl Held {
    fn target(&mut self) -> Either<'_> {
        match self {
            Self::Sqlite(c) => Either::Sqlite(c),
            Self::Postgres(c) => Either::Postgres(c),
        }
    }
}

/// A transaction on either database; rolled back if dropped before [`Tx::commit`].
pub enum Tx {
    /// SQLite's.
    Sqlite(sqlx::Transaction<'static, Sqlite>),
    /// PostgreSQL's.
    Postgres(sqlx::Transaction<'static, Postgres>),
}

impl Tx {
    fn target(&mut self) -> Either<'_> {
        match self {
            Self::Sqlite(t) => Either::Sqlite(t),
            Self::Postgres(t) => Either::Postgres(t),
        }
    }

    /// Which database it is on.
    pub fn backend(&self) -> Backend {
        match self {
            Self::Sqlite(_) => Backend::Sqlite,
            Self::Postgres(_) => Backend::Postgres,
        }
    }

    /// Runs a statement; the rows it changed.
    pub async fn execute(&mut self, sql: &str, values: Vec<Value<'_>>) -> Result<u64> {
        execute(self.target(), sql, &values).await
    }

    /// Every row of a statement through `f`.
    pub async fn fetch_all<T>(
        &mut self,
        sql: &str,
        values: Vec<Value<'_>>,
        f: impl FnMut(&Row<'_>) -> Result<T>,
    ) -> Result<Vec<T>> {
        fetch_all(self.target(), sql, &values, f).await
    }

    /// The first row of a statement through `f`, if it returned one.
    pub async fn fetch_optional<T>(
        &mut self,
        sql: &str,
        values: Vec<Value<'_>>,
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<Option<T>> {
        fetch_optional(self.target(), sql, &values, f).await
    }

    /// The first row of a statement through `f`; [`Error::NoRows`] when it returned none.
    pub async fn fetch_one<T>(
        &mut self,
        sql: &str,
        values: Vec<Value<'_>>,
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<T> {
        self.fetch_optional(sql, values, f)
            .await?
            .ok_or(Error::NoRows)
    }

    /// Takes `n` consecutive versions of the global counter; returns the first.
    pub async fn take_versions(&mut self, n: i64) -> Result<i64> {
        let last: i64 = self
            .fetch_one(
                "UPDATE version_counter SET value = value + ?1 WHERE id = 1 RETURNING value",
                args![n],
                |r| r.get(0),
            )
            .await?;
        Ok(last - n + 1)
    }

    /// Makes it durable.
    pub async fn commit(self) -> Result<()> {
        match self {
            Self::Sqlite(t) => t.commit().await?,
            Self::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}

/// Where a store function runs its statements: the pool (one statement at a time) or a
/// transaction. Functions take `impl Into<On<'_>>`, so each caller passes what it has:
/// `&state.store`, `&mut tx`.
pub enum On<'a> {
    /// The pool: each statement on a connection of its own, outside any transaction.
    Pool(&'a Pool),
    /// A transaction of the store interface.
    Tx(&'a mut Tx),
}

impl<'a> From<&'a Pool> for On<'a> {
    fn from(p: &'a Pool) -> Self {
        Self::Pool(p)
    }
}

impl<'a> From<&'a mut Tx> for On<'a> {
    fn from(t: &'a mut Tx) -> Self {
        Self::Tx(t)
    }
}

impl On<'_> {
    /// The same place, borrowed again (to hand to another store function and go on after).
    pub fn reborrow(&mut self) -> On<'_> {
        match self {
            Self::Pool(p) => On::Pool(p),
            Self::Tx(t) => On::Tx(t),
        }
    }

    /// Which database it reaches.
    pub fn backend(&self) -> Backend {
        match self {
            Self::Pool(p) => p.backend(),
            Self::Tx(t) => t.backend(),
        }
    }

    /// Runs a statement; the rows it changed.
    pub async fn execute(&mut self, sql: &str, values: Vec<Value<'_>>) -> Result<u64> {
        match self {
            Self::Pool(p) => p.execute(sql, values).await,
            Self::Tx(t) => t.execute(sql, values).await,
        }
    }

    /// Every row of a statement through `f`.
    pub async fn fetch_all<T>(
        &mut self,
        sql: &str,
        values: Vec<Value<'_>>,
        f: impl FnMut(&Row<'_>) -> Result<T>,
    ) -> Result<Vec<T>> {
        match self {
            Self::Pool(p) => p.fetch_all(sql, values, f).await,
            Self::Tx(t) => t.fetch_all(sql, values, f).await,
        }
    }

    /// The first row of a statement through `f`, if it returned one.
    pub async fn fetch_optional<T>(
        &mut self,
        sql: &str,
        values: Vec<Value<'_>>,
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<Option<T>> {
        match self {
            Self::Pool(p) => p.fetch_optional(sql, values, f).await,
            Self::Tx(t) => t.fetch_optional(sql, values, f).await,
        }
    }

    /// The first row of a statement through `f`; [`Error::NoRows`] when it returned none.
    pub async fn fetch_one<T>(
        &mut self,
        sql: &str,
        values: Vec<Value<'_>>,
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<T> {
        self.fetch_optional(sql, values, f)
            .await?
            .ok_or(Error::NoRows)
    }

    /// Takes `n` consecutive versions of the global counter; returns the first. Only inside a
    /// transaction: on the pool it is refused ([`Error::Invalid`]), as a version taken outside
    /// the writers' lock could be pulled past.
    pub async fn take_versions(&mut self, n: i64) -> Result<i64> {
        match self {
            Self::Pool(_) => Err(Error::Invalid(
                "versions are taken inside a write transaction, not on the pool".into(),
            )),
            Self::Tx(t) => t.take_versions(n).await,
        }
    }
}
