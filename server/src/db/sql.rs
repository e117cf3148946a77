//! One way to run SQL on either database: the store interface the rules are written against.
//!
//! The rules (the registration core, venue scans and hours, the draw, mixers, …) are written
//! once, as SQL text and the Rust around it, against the types here: a [`Conn`]ection that runs
//! statements with [`params!`] and hands each result row to a closure as a [`Row`]. The interface
//! has two implementations behind it:
//!
//! - **SQLite** (the embedded default): the sync writer's own rusqlite connection, exactly as
//!   before: statements prepared once and kept, no hop to another thread.
//! - **PostgreSQL**: one sqlx connection driven synchronously on the writer's thread (its own
//!   single-threaded runtime), each statement's text rewritten once from SQLite's numbered
//!   parameters (`?1`, or `?` counted) to PostgreSQL's (`$1`) and kept prepared by sqlx.
//!
//! The statements are written in the SQL both databases read (docs/postgres.md, "One SQL text"):
//! `ON CONFLICT … DO NOTHING` rather than `INSERT OR IGNORE`, `COALESCE`, sums cast to `BIGINT`,
//! flags compared as 0/1 integers. Where the two must differ (aggregating text, reading JSON), the
//! statement is chosen by [`Backend`]. Values are read by Rust type through [`FromSql`], which
//! knows each database's column types (an `INT4` read as `i64`, a 0/1 `BIGINT` as `bool`).

use sqlx::{
    Column as _, Row as _, TypeInfo as _, ValueRef as _,
    postgres::{PgConnection, PgRow},
};
use std::{borrow::Cow, cell::RefCell, collections::HashMap, fmt};

/// Which database a connection reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite, embedded.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

impl Backend {
    /// `sqlite` or `postgres`.
    pub fn pick<'a>(self, sqlite: &'a str, postgres: &'a str) -> &'a str {
        match self {
            Self::Sqlite => sqlite,
            Self::Postgres => postgres,
        }
    }
}

/// Why a statement failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// SQLite's error.
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    /// PostgreSQL's (or the driver's) error.
    #[error(transparent)]
    Postgres(#[from] sqlx::Error),
    /// A statement that must return a row returned none.
    #[error("the statement returned no row")]
    NoRows,
    /// A column could not be read as the type asked for.
    #[error("column {column}: cannot read {found} as {wanted}")]
    Decode {
        /// Its index.
        column: usize,
        /// The Rust type asked for.
        wanted: &'static str,
        /// What the column held.
        found: String,
    },
    /// A value the rules refuse to store or read (a seed of the wrong size, …).
    #[error("{0}")]
    Invalid(String),
}

impl Error {
    /// Whether a unique constraint (or primary key) refused the write.
    pub fn is_unique_violation(&self) -> bool {
        match self {
            Self::Sqlite(rusqlite::Error::SqliteFailure(f, _)) => {
                f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                    || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
            }
            Self::Postgres(sqlx::Error::Database(db)) => db.is_unique_violation(),
            _ => false,
        }
    }

    /// The constraint that refused the write, when the database names it (PostgreSQL does:
    /// its index's name; SQLite names the columns in its message instead).
    pub fn constraint(&self) -> Option<&str> {
        match self {
            Self::Postgres(sqlx::Error::Database(db)) => db.constraint(),
            _ => None,
        }
    }

    /// The database's own message, when it gave one.
    pub fn message(&self) -> Option<String> {
        match self {
            Self::Sqlite(rusqlite::Error::SqliteFailure(_, Some(m))) => Some(m.clone()),
            Self::Postgres(sqlx::Error::Database(db)) => Some(db.message().to_owned()),
            _ => None,
        }
    }

    /// Whether the database could not be reached (gone, restarting, out of connections): the
    /// request may be tried again later, nothing of it was applied.
    pub fn is_unavailable(&self) -> bool {
        match self {
            Self::Postgres(e) => super::postgres::is_unavailable(e),
            Self::Sqlite(rusqlite::Error::SqliteFailure(f, _)) => matches!(
                f.code,
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
            ),
            _ => false,
        }
    }
}

/// The result of a statement.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// `Ok(None)` for [`Error::NoRows`], as rusqlite's extension of the same name.
pub trait OptionalExtension<T> {
    /// The row, or `None` when the statement returned none.
    fn optional(self) -> Result<Option<T>>;
}

impl<T> OptionalExtension<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(Error::NoRows) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// The type of a parameter when its value is `NULL` (PostgreSQL types every parameter).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `BIGINT` (also flags, 0/1).
    Int,
    /// `DOUBLE PRECISION`.
    Real,
    /// `TEXT`.
    Text,
    /// `BYTEA` / `BLOB`.
    Blob,
}

/// A parameter's value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    /// `NULL` of a type.
    Null(Kind),
    /// An integer.
    Int(i64),
    /// A float.
    Real(f64),
    /// Text.
    Text(&'a str),
    /// Bytes.
    Blob(&'a [u8]),
}

impl rusqlite::ToSql for Value<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput::Borrowed, ValueRef};
        Ok(Borrowed(match *self {
            Value::Null(_) => ValueRef::Null,
            Value::Int(i) => ValueRef::Integer(i),
            Value::Real(f) => ValueRef::Real(f),
            Value::Text(s) => ValueRef::Text(s.as_bytes()),
            Value::Blob(b) => ValueRef::Blob(b),
        }))
    }
}

/// What can be a statement's parameter.
pub trait ToSql {
    /// Its value.
    fn to_value(&self) -> Value<'_>;
}

/// The type of `NULL` that stands for a `None` of this type.
pub trait NullKind {
    /// That type.
    const KIND: Kind;
}

macro_rules! null_kind {
    ($kind:ident: $($t:ty),*) => {$(
        impl NullKind for $t {
            const KIND: Kind = Kind::$kind;
        }
    )*};
}
null_kind!(Int: i64, i32, u32, i16, u16, i8, u8, bool, usize);
null_kind!(Real: f64);
null_kind!(Text: str, String, Cow<'_, str>);
null_kind!(Blob: [u8], Vec<u8>);

impl<const N: usize> NullKind for [u8; N] {
    const KIND: Kind = Kind::Blob;
}

impl<T: NullKind + ?Sized> NullKind for &T {
    const KIND: Kind = T::KIND;
}

macro_rules! int_to_sql {
    ($($t:ty),*) => {$(
        impl ToSql for $t {
            fn to_value(&self) -> Value<'_> {
                Value::Int(i64::from(*self))
            }
        }
    )*};
}
int_to_sql!(i64, i32, u32, i16, u16, i8, u8, bool);

impl ToSql for usize {
    fn to_value(&self) -> Value<'_> {
        Value::Int(i64::try_from(*self).unwrap_or(i64::MAX))
    }
}

impl ToSql for f64 {
    fn to_value(&self) -> Value<'_> {
        Value::Real(*self)
    }
}

impl ToSql for str {
    fn to_value(&self) -> Value<'_> {
        Value::Text(self)
    }
}

impl ToSql for String {
    fn to_value(&self) -> Value<'_> {
        Value::Text(self)
    }
}

impl ToSql for Cow<'_, str> {
    fn to_value(&self) -> Value<'_> {
        Value::Text(self)
    }
}

impl ToSql for [u8] {
    fn to_value(&self) -> Value<'_> {
        Value::Blob(self)
    }
}

impl ToSql for Vec<u8> {
    fn to_value(&self) -> Value<'_> {
        Value::Blob(self)
    }
}

impl<const N: usize> ToSql for [u8; N] {
    fn to_value(&self) -> Value<'_> {
        Value::Blob(self)
    }
}

impl<T: ToSql + ?Sized> ToSql for &T {
    fn to_value(&self) -> Value<'_> {
        (**self).to_value()
    }
}

impl<T: ToSql + NullKind> ToSql for Option<T> {
    fn to_value(&self) -> Value<'_> {
        match self {
            Some(v) => v.to_value(),
            None => Value::Null(T::KIND),
        }
    }
}

impl ToSql for Value<'_> {
    fn to_value(&self) -> Value<'_> {
        *self
    }
}

/// A statement's parameters, in order (`?1` first).
pub trait Params {
    /// Their values.
    fn values(&self) -> Vec<Value<'_>>;
}

impl Params for [&dyn ToSql; 0] {
    fn values(&self) -> Vec<Value<'_>> {
        Vec::new()
    }
}

macro_rules! array_params {
    ($($n:literal)*) => {$(
        impl<T: ToSql> Params for [T; $n] {
            fn values(&self) -> Vec<Value<'_>> {
                self.iter().map(ToSql::to_value).collect()
            }
        }
    )*};
}
array_params!(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16);

impl<T: ToSql> Params for &[T] {
    fn values(&self) -> Vec<Value<'_>> {
        self.iter().map(ToSql::to_value).collect()
    }
}

impl<T: ToSql> Params for Vec<T> {
    fn values(&self) -> Vec<Value<'_>> {
        self.iter().map(ToSql::to_value).collect()
    }
}

/// A statement's parameters of mixed types: `params![id, now, note]`.
#[macro_export]
macro_rules! sql_params {
    () => { &[] as &[&dyn $crate::db::sql::ToSql] };
    ($($p:expr),+ $(,)?) => { &[$(&$p as &dyn $crate::db::sql::ToSql),+] as &[&dyn $crate::db::sql::ToSql] };
}
pub use crate::sql_params as params;

/// A result row, from either database.
pub enum Row<'a> {
    /// SQLite's (the sync writer's rusqlite connection).
    Sqlite(&'a rusqlite::Row<'a>),
    /// SQLite's (a pool's sqlx connection).
    SqlitePool(&'a sqlx::sqlite::SqliteRow),
    /// PostgreSQL's.
    Postgres(&'a PgRow),
}

impl Row<'_> {
    /// Column `idx` (from 0) as a `T`. The first parameter stays for rusqlite's shape
    /// (`r.get::<_, Option<i64>>(3)`).
    pub fn get<I: ColumnIndex, T: FromSql>(&self, idx: I) -> Result<T> {
        let idx = idx.index();
        match self {
            Self::Sqlite(r) => {
                let v = r.get_ref(idx)?;
                T::from_sqlite(v).map_err(|found| Error::Decode {
                    column: idx,
                    wanted: std::any::type_name::<T>(),
                    found,
                })
            }
            Self::SqlitePool(r) => sqlx_sqlite_value(r, idx)
                .and_then(|v| T::from_sqlite(rusqlite::types::ValueRef::from(&v)))
                .map_err(|found| Error::Decode {
                    column: idx,
                    wanted: std::any::type_name::<T>(),
                    found,
                }),
            Self::Postgres(r) => T::from_pg(r, idx).map_err(|found| Error::Decode {
                column: idx,
                wanted: std::any::type_name::<T>(),
                found,
            }),
        }
    }
}

impl Row<'_> {
    /// The row's first columns as a tuple, in order (`let (a, b): (String, i64) = r.tuple()?`):
    /// what `Ok((r.get(0)?, r.get(1)?, …))` reads, for one to twelve columns.
    pub fn tuple<T: FromRow>(&self) -> Result<T> {
        T::from_row(self)
    }
}

/// A tuple of [`FromSql`] types, read from a row's first columns in order ([`Row::tuple`]).
pub trait FromRow: Sized {
    /// Reads it.
    fn from_row(row: &Row<'_>) -> Result<Self>;
}

macro_rules! tuple_from_row {
    ($($t:ident $i:tt),+) => {
        impl<$($t: FromSql),+> FromRow for ($($t,)+) {
            fn from_row(row: &Row<'_>) -> Result<Self> {
                Ok(($(row.get::<usize, $t>($i)?,)+))
            }
        }
    };
}
tuple_from_row!(A 0);
tuple_from_row!(A 0, B 1);
tuple_from_row!(A 0, B 1, C 2);
tuple_from_row!(A 0, B 1, C 2, D 3);
tuple_from_row!(A 0, B 1, C 2, D 3, E 4);
tuple_from_row!(A 0, B 1, C 2, D 3, E 4, F 5);
tuple_from_row!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
tuple_from_row!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);
tuple_from_row!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8);
tuple_from_row!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9);
tuple_from_row!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10);
tuple_from_row!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11);

/// How a column is named: by its index from 0.
pub trait ColumnIndex {
    /// The index.
    fn index(self) -> usize;
}

impl ColumnIndex for usize {
    fn index(self) -> usize {
        self
    }
}

/// A column's value, owned.
#[derive(Debug, Clone, PartialEq)]
pub enum Owned {
    /// `NULL`.
    Null,
    /// An integer.
    Int(i64),
    /// A float.
    Real(f64),
    /// Text.
    Text(String),
    /// Bytes.
    Blob(Vec<u8>),
}

/// What a column can be read as.
pub trait FromSql: Sized {
    /// From SQLite's value; the error names what it held.
    fn from_sqlite(v: rusqlite::types::ValueRef<'_>) -> Result<Self, String>;
    /// From column `idx` of PostgreSQL's row; the error names its type.
    fn from_pg(row: &PgRow, idx: usize) -> Result<Self, String>;
}

fn sqlite_found(v: rusqlite::types::ValueRef<'_>) -> String {
    format!("{:?}", v.data_type())
}

/// Column `idx` of a pool's SQLite row as SQLite's own value, so one reader serves both SQLite
/// drivers.
fn sqlx_sqlite_value(
    row: &sqlx::sqlite::SqliteRow,
    idx: usize,
) -> Result<rusqlite::types::Value, String> {
    use rusqlite::types::Value as V;
    use sqlx::Decode;
    use sqlx::sqlite::Sqlite;
    let raw = row.try_get_raw(idx).map_err(|e| e.to_string())?;
    if raw.is_null() {
        return Ok(V::Null);
    }
    let name = raw.type_info().name().to_owned();
    let bad = |e: sqlx::error::BoxDynError| format!("{name}: {e}");
    Ok(match name.as_str() {
        "INTEGER" | "BOOLEAN" => V::Integer(<i64 as Decode<Sqlite>>::decode(raw).map_err(bad)?),
        "REAL" | "NUMERIC" => V::Real(<f64 as Decode<Sqlite>>::decode(raw).map_err(bad)?),
        "BLOB" => V::Blob(<Vec<u8> as Decode<Sqlite>>::decode(raw).map_err(bad)?),
        _ => V::Text(<String as Decode<Sqlite>>::decode(raw).map_err(bad)?),
    })
}

/// Column `idx` of a PostgreSQL row, as the one `Owned` value its type reads as.
fn pg_owned(row: &PgRow, idx: usize) -> Result<Owned, String> {
    use sqlx::Decode;
    use sqlx::postgres::Postgres;
    let raw = row.try_get_raw(idx).map_err(|e| e.to_string())?;
    if raw.is_null() {
        return Ok(Owned::Null);
    }
    let name = raw.type_info().name().to_owned();
    let bad = |e: sqlx::error::BoxDynError| format!("{name}: {e}");
    Ok(match name.as_str() {
        "INT8" => Owned::Int(<i64 as Decode<Postgres>>::decode(raw).map_err(bad)?),
        "INT4" => Owned::Int(<i32 as Decode<Postgres>>::decode(raw).map_err(bad)?.into()),
        "INT2" => Owned::Int(<i16 as Decode<Postgres>>::decode(raw).map_err(bad)?.into()),
        "BOOL" => Owned::Int(<bool as Decode<Postgres>>::decode(raw).map_err(bad)?.into()),
        "FLOAT8" => Owned::Real(<f64 as Decode<Postgres>>::decode(raw).map_err(bad)?),
        "FLOAT4" => Owned::Real(<f32 as Decode<Postgres>>::decode(raw).map_err(bad)?.into()),
        "TEXT" | "VARCHAR" | "BPCHAR" | "NAME" | "UNKNOWN" => {
            Owned::Text(<String as Decode<Postgres>>::decode(raw).map_err(bad)?)
        }
        "BYTEA" => Owned::Blob(<Vec<u8> as Decode<Postgres>>::decode(raw).map_err(bad)?),
        // NUMERIC (a SUM of BIGINTs) and anything else: the statement casts it.
        other => {
            return Err(format!(
                "a {other} (column {:?}; cast it in the statement)",
                row.column(idx).name()
            ));
        }
    })
}

impl FromSql for Owned {
    fn from_sqlite(v: rusqlite::types::ValueRef<'_>) -> Result<Self, String> {
        use rusqlite::types::ValueRef as V;
        Ok(match v {
            V::Null => Self::Null,
            V::Integer(i) => Self::Int(i),
            V::Real(f) => Self::Real(f),
            V::Text(t) => Self::Text(String::from_utf8_lossy(t).into_owned()),
            V::Blob(b) => Self::Blob(b.to_vec()),
        })
    }

    fn from_pg(row: &PgRow, idx: usize) -> Result<Self, String> {
        pg_owned(row, idx)
    }
}

impl FromSql for i64 {
    fn from_sqlite(v: rusqlite::types::ValueRef<'_>) -> Result<Self, String> {
        match v {
            rusqlite::types::ValueRef::Integer(i) => Ok(i),
            other => Err(sqlite_found(other)),
        }
    }

    fn from_pg(row: &PgRow, idx: usize) -> Result<Self, String> {
        match pg_owned(row, idx)? {
            Owned::Int(i) => Ok(i),
            other => Err(format!("{other:?}")),
        }
    }
}

macro_rules! narrow_from_sql {
    ($($t:ty),*) => {$(
        impl FromSql for $t {
            fn from_sqlite(v: rusqlite::types::ValueRef<'_>) -> Result<Self, String> {
                let i = i64::from_sqlite(v)?;
                <$t>::try_from(i).map_err(|_| format!("{i}, out of range"))
            }
            fn from_pg(row: &PgRow, idx: usize) -> Result<Self, String> {
                let i = i64::from_pg(row, idx)?;
                <$t>::try_from(i).map_err(|_| format!("{i}, out of range"))
            }
        }
    )*};
}
narrow_from_sql!(i32, u32, u16, u8, usize, u64);

impl FromSql for bool {
    fn from_sqlite(v: rusqlite::types::ValueRef<'_>) -> Result<Self, String> {
        Ok(i64::from_sqlite(v)? != 0)
    }

    fn from_pg(row: &PgRow, idx: usize) -> Result<Self, String> {
        Ok(i64::from_pg(row, idx)? != 0)
    }
}

impl FromSql for f64 {
    fn from_sqlite(v: rusqlite::types::ValueRef<'_>) -> Result<Self, String> {
        match v {
            rusqlite::types::ValueRef::Real(f) => Ok(f),
            #[allow(clippy::cast_precision_loss)]
            rusqlite::types::ValueRef::Integer(i) => Ok(i as f64),
            other => Err(sqlite_found(other)),
        }
    }

    fn from_pg(row: &PgRow, idx: usize) -> Result<Self, String> {
        match pg_owned(row, idx)? {
            Owned::Real(f) => Ok(f),
            #[allow(clippy::cast_precision_loss)]
            Owned::Int(i) => Ok(i as f64),
            other => Err(format!("{other:?}")),
        }
    }
}

impl FromSql for String {
    fn from_sqlite(v: rusqlite::types::ValueRef<'_>) -> Result<Self, String> {
        match v {
            rusqlite::types::ValueRef::Text(t) => {
                String::from_utf8(t.to_vec()).map_err(|e| e.to_string())
            }
            other => Err(sqlite_found(other)),
        }
    }

    fn from_pg(row: &PgRow, idx: usize) -> Result<Self, String> {
        match pg_owned(row, idx)? {
            Owned::Text(t) => Ok(t),
            other => Err(format!("{other:?}")),
        }
    }
}

impl FromSql for Vec<u8> {
    fn from_sqlite(v: rusqlite::types::ValueRef<'_>) -> Result<Self, String> {
        match v {
            rusqlite::types::ValueRef::Blob(b) => Ok(b.to_vec()),
            other => Err(sqlite_found(other)),
        }
    }

    fn from_pg(row: &PgRow, idx: usize) -> Result<Self, String> {
        match pg_owned(row, idx)? {
            Owned::Blob(b) => Ok(b),
            other => Err(format!("{other:?}")),
        }
    }
}

impl<T: FromSql> FromSql for Option<T> {
    fn from_sqlite(v: rusqlite::types::ValueRef<'_>) -> Result<Self, String> {
        match v {
            rusqlite::types::ValueRef::Null => Ok(None),
            v => T::from_sqlite(v).map(Some),
        }
    }

    fn from_pg(row: &PgRow, idx: usize) -> Result<Self, String> {
        let raw = row.try_get_raw(idx).map_err(|e| e.to_string())?;
        if raw.is_null() {
            Ok(None)
        } else {
            T::from_pg(row, idx).map(Some)
        }
    }
}

/// Rewrites SQLite's parameters (`?NNN`, and `?` numbered from the last one) to PostgreSQL's
/// (`$NNN`), leaving quoted text, quoted names and comments as they are.
pub fn to_postgres(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    let mut last = 0u32;
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                out.push(c);
                for d in chars.by_ref() {
                    out.push(d);
                    if d == c {
                        break;
                    }
                }
            }
            '-' if chars.peek() == Some(&'-') => {
                out.push(c);
                for d in chars.by_ref() {
                    out.push(d);
                    if d == '\n' {
                        break;
                    }
                }
            }
            '?' => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().copied().filter(char::is_ascii_digit) {
                    digits.push(d);
                    chars.next();
                }
                let n = if digits.is_empty() {
                    last + 1
                } else {
                    digits.parse().unwrap_or(last + 1)
                };
                last = n;
                out.push('$');
                out.push_str(&n.to_string());
            }
            _ => out.push(c),
        }
    }
    out
}

/// `values` bound to a PostgreSQL query, each `NULL` with its type.
pub(crate) fn bind_pg<'q>(
    mut q: sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>,
    values: &[Value<'q>],
) -> sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments> {
    for v in values {
        q = match *v {
            Value::Null(Kind::Int) => q.bind(None::<i64>),
            Value::Null(Kind::Real) => q.bind(None::<f64>),
            Value::Null(Kind::Text) => q.bind(None::<&str>),
            Value::Null(Kind::Blob) => q.bind(None::<&[u8]>),
            Value::Int(i) => q.bind(i),
            Value::Real(f) => q.bind(f),
            Value::Text(s) => q.bind(s),
            Value::Blob(b) => q.bind(b),
        };
    }
    q
}

/// A PostgreSQL connection driven synchronously: for a thread of its own (the sync writer's).
pub struct PgSync {
    rt: tokio::runtime::Runtime,
    conn: RefCell<PgConnection>,
    /// How to connect again after the database went away.
    options: sqlx::postgres::PgConnectOptions,
    /// The connection failed as if the database were gone: connect again before the next use.
    broken: std::cell::Cell<bool>,
    /// Statements' text rewritten for PostgreSQL, by SQLite's text.
    texts: RefCell<HashMap<String, std::sync::Arc<str>>>,
}

impl fmt::Debug for PgSync {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PgSync")
    }
}

impl PgSync {
    /// Connects with `options` on a runtime of its own. Not from inside another runtime.
    pub fn connect(options: &sqlx::postgres::PgConnectOptions) -> Result<Self> {
        use sqlx::ConnectOptions;
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::Invalid(format!("a runtime for PostgreSQL: {e}")))?;
        let conn = rt.block_on(options.connect())?;
        Ok(Self {
            rt,
            conn: RefCell::new(conn),
            options: options.clone(),
            broken: std::cell::Cell::new(false),
            texts: RefCell::new(HashMap::new()),
        })
    }

    fn text(&self, sql: &str) -> std::sync::Arc<str> {
        if let Some(t) = self.texts.borrow().get(sql) {
            return t.clone();
        }
        let t: std::sync::Arc<str> = to_postgres(sql).into();
        self.texts.borrow_mut().insert(sql.to_owned(), t.clone());
        t
    }

    /// `r`, noting a failure that says the database went away.
    fn noting<T>(&self, r: Result<T, sqlx::Error>) -> Result<T> {
        r.map_err(|e| {
            if super::postgres::is_unavailable(&e) {
                self.broken.set(true);
            }
            Error::Postgres(e)
        })
    }

    fn execute(&self, sql: &str, values: &[Value<'_>]) -> Result<usize> {
        let text = self.text(sql);
        let q = bind_pg(sqlx::query(sqlx::AssertSqlSafe(text)), values);
        let mut conn = self.conn.borrow_mut();
        let done = self.noting(self.rt.block_on(q.execute(&mut *conn)))?;
        Ok(usize::try_from(done.rows_affected()).unwrap_or(usize::MAX))
    }

    fn fetch(&self, sql: &str, values: &[Value<'_>]) -> Result<Vec<PgRow>> {
        let text = self.text(sql);
        let q = bind_pg(sqlx::query(sqlx::AssertSqlSafe(text)), values);
        let mut conn = self.conn.borrow_mut();
        self.noting(self.rt.block_on(q.fetch_all(&mut *conn)))
    }

    fn batch(&self, sql: &str) -> Result<()> {
        let mut conn = self.conn.borrow_mut();
        let q = sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()));
        self.noting(self.rt.block_on(q.execute(&mut *conn)))?;
        Ok(())
    }

    /// Connects again if the connection failed as if the database were gone. A failure to
    /// connect leaves it marked, to be tried again next time.
    fn recover(&self) -> Result<()> {
        use sqlx::ConnectOptions;
        if !self.broken.get() {
            return Ok(());
        }
        let conn = self.noting(self.rt.block_on(self.options.connect()))?;
        let old = self.conn.replace(conn);
        // The old connection is dead; closing it only frees its socket.
        drop(old);
        self.broken.set(false);
        tracing::info!("the sync writer reconnected to PostgreSQL");
        Ok(())
    }
}

/// A connection of either kind, synchronous: the sync writer's.
pub enum Conn {
    /// SQLite through rusqlite.
    Sqlite(rusqlite::Connection),
    /// PostgreSQL through sqlx, driven on this thread.
    Postgres(Box<PgSync>),
}

impl Conn {
    /// Which database it reaches.
    pub fn backend(&self) -> Backend {
        match self {
            Self::Sqlite(_) => Backend::Sqlite,
            Self::Postgres(_) => Backend::Postgres,
        }
    }

    /// SQLite's connection, for what only SQLite has (pragmas, checkpoints).
    pub fn sqlite(&self) -> Option<&rusqlite::Connection> {
        match self {
            Self::Sqlite(c) => Some(c),
            Self::Postgres(_) => None,
        }
    }

    /// Runs a statement; the rows it changed.
    pub fn execute<P: Params>(&self, sql: &str, params: P) -> Result<usize> {
        self.prepare_cached(sql)?.execute(params)
    }

    /// Runs statements separated by `;`, with no parameters.
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        match self {
            Self::Sqlite(c) => Ok(c.execute_batch(sql)?),
            Self::Postgres(p) => p.batch(sql),
        }
    }

    /// The first row of a statement through `f`; [`Error::NoRows`] when it returned none.
    pub fn query_row<T, P: Params, F: FnOnce(&Row<'_>) -> Result<T>>(
        &self,
        sql: &str,
        params: P,
        f: F,
    ) -> Result<T> {
        self.prepare_cached(sql)?.query_row(params, f)
    }

    /// A statement, prepared once per connection (SQLite's cache; sqlx's for PostgreSQL).
    pub fn prepare_cached(&self, sql: &str) -> Result<Statement<'_>> {
        Ok(match self {
            Self::Sqlite(c) => Statement::Sqlite(StmtRef::Cached(c.prepare_cached(sql)?)),
            Self::Postgres(p) => Statement::Postgres(p.as_ref(), sql.to_owned().into()),
        })
    }

    /// A statement to hold for the connection's life.
    pub fn prepare(&self, sql: &str) -> Result<Statement<'_>> {
        Ok(match self {
            Self::Sqlite(c) => Statement::Sqlite(StmtRef::Held(c.prepare(sql)?)),
            Self::Postgres(p) => Statement::Postgres(p.as_ref(), sql.to_owned().into()),
        })
    }

    /// Opens a write transaction. SQLite: `BEGIN IMMEDIATE`, the database's one write lock.
    /// PostgreSQL: `BEGIN` (READ COMMITTED), then the row lock of the version counter, held to
    /// the commit: every transaction that writes rows devices pull takes it first, so versions
    /// commit in the order they are taken and a pull's cursor never passes a version still to
    /// commit (docs/postgres.md, "A pull never misses a row"); and since it is every writer's
    /// first lock, writers cannot deadlock on the rows they touch after it.
    pub fn begin_write(&self) -> Result<()> {
        self.execute_batch(self.backend().pick(
            "BEGIN IMMEDIATE",
            "BEGIN; SELECT value FROM version_counter WHERE id = 1 FOR UPDATE",
        ))
    }

    /// Runs `f`; if it fails, undoes what it wrote and nothing else. SQLite undoes a refused
    /// statement by itself and leaves the transaction usable; PostgreSQL aborts the whole
    /// transaction, so there `f` runs in a savepoint.
    pub fn attempt<T>(&self, f: impl FnOnce() -> Result<T>) -> Result<T> {
        if self.backend() == Backend::Sqlite {
            return f();
        }
        self.execute_batch("SAVEPOINT attempt")?;
        match f() {
            Ok(v) => {
                self.execute_batch("RELEASE attempt")?;
                Ok(v)
            }
            Err(e) => {
                self.execute_batch("ROLLBACK TO attempt; RELEASE attempt")?;
                Err(e)
            }
        }
    }

    /// After the database went away (PostgreSQL): connects again, or says it still cannot.
    /// Nothing to do on SQLite, a file.
    pub fn recover(&self) -> Result<()> {
        match self {
            Self::Sqlite(_) => Ok(()),
            Self::Postgres(p) => p.recover(),
        }
    }

    /// Whether no transaction is open.
    pub fn is_autocommit(&self) -> bool {
        match self {
            Self::Sqlite(c) => c.is_autocommit(),
            Self::Postgres(p) => {
                use sqlx::Connection;
                !p.conn.borrow().is_in_transaction()
            }
        }
    }
}

/// SQLite's prepared statement: from the cache, or held.
pub enum StmtRef<'c> {
    /// Given back to the cache when dropped.
    Cached(rusqlite::CachedStatement<'c>),
    /// Owned.
    Held(rusqlite::Statement<'c>),
}

impl<'c> std::ops::Deref for StmtRef<'c> {
    type Target = rusqlite::Statement<'c>;
    fn deref(&self) -> &Self::Target {
        match self {
            Self::Cached(s) => s,
            Self::Held(s) => s,
        }
    }
}

impl std::ops::DerefMut for StmtRef<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        match self {
            Self::Cached(s) => s,
            Self::Held(s) => s,
        }
    }
}

/// A prepared statement on either database.
pub enum Statement<'c> {
    /// SQLite's.
    Sqlite(StmtRef<'c>),
    /// PostgreSQL's: its text (sqlx prepares and keeps it on first use).
    Postgres(&'c PgSync, Cow<'static, str>),
}

impl Statement<'_> {
    /// Runs it; the rows it changed.
    pub fn execute<P: Params>(&mut self, params: P) -> Result<usize> {
        let values = params.values();
        match self {
            Self::Sqlite(s) => Ok(s.execute(rusqlite::params_from_iter(values.iter()))?),
            Self::Postgres(p, sql) => p.execute(sql, &values),
        }
    }

    /// Its first row through `f`; [`Error::NoRows`] when it returned none.
    pub fn query_row<T, P: Params, F: FnOnce(&Row<'_>) -> Result<T>>(
        &mut self,
        params: P,
        f: F,
    ) -> Result<T> {
        let values = params.values();
        match self {
            Self::Sqlite(s) => {
                let mut rows = s.query(rusqlite::params_from_iter(values.iter()))?;
                match rows.next()? {
                    Some(r) => f(&Row::Sqlite(r)),
                    None => Err(Error::NoRows),
                }
            }
            Self::Postgres(p, sql) => {
                let rows = p.fetch(sql, &values)?;
                match rows.first() {
                    Some(r) => f(&Row::Postgres(r)),
                    None => Err(Error::NoRows),
                }
            }
        }
    }

    /// Every row through `f`, in order.
    pub fn query_map<T, P: Params, F: FnMut(&Row<'_>) -> Result<T>>(
        &mut self,
        params: P,
        mut f: F,
    ) -> Result<std::vec::IntoIter<Result<T>>> {
        let values = params.values();
        let mut out = Vec::new();
        match self {
            Self::Sqlite(s) => {
                let mut rows = s.query(rusqlite::params_from_iter(values.iter()))?;
                while let Some(r) = rows.next()? {
                    out.push(f(&Row::Sqlite(r)));
                }
            }
            Self::Postgres(p, sql) => {
                for r in p.fetch(sql, &values)? {
                    out.push(f(&Row::Postgres(&r)));
                }
            }
        }
        Ok(out.into_iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_parameters_become_postgres_parameters() {
        assert_eq!(
            to_postgres("SELECT a FROM t WHERE a = ?1 AND b = ?2 OR c = ?1"),
            "SELECT a FROM t WHERE a = $1 AND b = $2 OR c = $1"
        );
        assert_eq!(
            to_postgres("UPDATE t SET a = ? WHERE b = ? AND c = ?"),
            "UPDATE t SET a = $1 WHERE b = $2 AND c = $3"
        );
        // After ?3 a bare ? is the fourth, as SQLite counts them.
        assert_eq!(to_postgres("VALUES (?3, ?)"), "VALUES ($3, $4)");
        // Quoted text, quoted names and comments keep their question marks.
        assert_eq!(
            to_postgres("SELECT '?1', \"a?\" -- why?\n FROM t WHERE x = ?10"),
            "SELECT '?1', \"a?\" -- why?\n FROM t WHERE x = $10"
        );
        assert_eq!(to_postgres("SELECT 'it''s ?' , ?"), "SELECT 'it''s ?' , $1");
    }

    #[test]
    fn values_read_back_as_their_types_on_sqlite() {
        let c = Conn::Sqlite(rusqlite::Connection::open_in_memory().unwrap());
        c.execute_batch("CREATE TABLE t (i INTEGER, s TEXT, b BLOB, r REAL)")
            .unwrap();
        let none: Option<String> = None;
        c.execute(
            "INSERT INTO t VALUES (?1, ?2, ?3, ?4)",
            params![7i64, none, vec![1u8, 2], 0.5f64],
        )
        .unwrap();
        let got = c
            .query_row("SELECT i, s, b, r, i = 7 FROM t", [], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, Vec<u8>>(2)?,
                    r.get::<_, f64>(3)?,
                    r.get::<_, bool>(4)?,
                ))
            })
            .unwrap();
        assert_eq!(got, (7, None, vec![1, 2], 0.5, true));
        let text = c.query_row("SELECT s FROM t", [], |r| r.get::<_, i64>(0));
        assert!(
            matches!(text, Err(Error::Decode { column: 0, .. })),
            "{text:?}"
        );
        let missing = c
            .query_row("SELECT i FROM t WHERE i = 8", [], |r| r.get::<_, i64>(0))
            .optional()
            .unwrap();
        assert_eq!(missing, None);
    }
}
