//! The device's store: rows as the server last sent them, and small metadata.
//!
//! One trait, two implementations: [`idb::IdbStore`] (IndexedDB, in the browser) and
//! [`memory::MemoryStore`] (native tests and browsers without IndexedDB). Both pass the same
//! [`conformance`] suite.

pub mod conformance;
#[cfg(target_arch = "wasm32")]
pub mod idb;
pub mod memory;

use serde::{Deserialize, Serialize, de::DeserializeOwned};

/// One synced row: a kind (`offering`, `venue` …), its id and its JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    /// The kind of row.
    pub kind: String,
    /// Its id, unique within the kind.
    pub id: String,
    /// The row as JSON text (kept as text: cheap to store, schema-free for the store).
    pub json: String,
}

impl Row {
    /// A row holding `value` serialised.
    pub fn new(kind: &str, id: &str, value: &impl Serialize) -> Result<Self, StoreError> {
        Ok(Self {
            kind: kind.to_owned(),
            id: id.to_owned(),
            json: serde_json::to_string(value).map_err(|e| StoreError::Data(e.to_string()))?,
        })
    }

    /// The row's value.
    pub fn value<T: DeserializeOwned>(&self) -> Result<T, StoreError> {
        serde_json::from_str(&self.json).map_err(|e| StoreError::Data(e.to_string()))
    }
}

/// Why the store failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// The browser has no usable IndexedDB (private mode, disabled storage).
    #[error("local storage is unavailable: {0}")]
    Unavailable(String),
    /// A stored value could not be read or written as expected.
    #[error("stored data is not as expected: {0}")]
    Data(String),
    /// The database reported an error.
    #[error("local database error: {0}")]
    Db(String),
}

/// What the app keeps on the device.
#[allow(async_fn_in_trait)] // used on one thread in the browser; no Send bound wanted
pub trait Store {
    /// Replaces every row of `kind` with `rows`, in one transaction.
    async fn replace_kind(&self, kind: &str, rows: Vec<Row>) -> Result<(), StoreError>;
    /// Inserts or overwrites rows (of any kinds), in one transaction.
    async fn put_rows(&self, rows: Vec<Row>) -> Result<(), StoreError>;
    /// All rows of `kind`, ordered by id.
    async fn rows(&self, kind: &str) -> Result<Vec<Row>, StoreError>;
    /// Removes one row; removing a missing row is not an error.
    async fn delete_row(&self, kind: &str, id: &str) -> Result<(), StoreError>;
    /// A metadata value as JSON text.
    async fn meta(&self, key: &str) -> Result<Option<String>, StoreError>;
    /// Sets a metadata value (JSON text).
    async fn set_meta(&self, key: &str, json: String) -> Result<(), StoreError>;
}

/// The storage key of a row: rows of one kind sort together, so a kind is one key range.
pub(crate) fn row_key(kind: &str, id: &str) -> String {
    format!("{kind}/{id}")
}

/// The key range `[start, end)` holding every row of `kind` ('0' follows '/').
pub(crate) fn kind_range(kind: &str) -> (String, String) {
    (format!("{kind}/"), format!("{kind}0"))
}

/// The store the app runs on: IndexedDB where the browser allows it, memory otherwise.
pub enum DeviceStore {
    /// IndexedDB.
    #[cfg(target_arch = "wasm32")]
    Idb(idb::IdbStore),
    /// Memory only: nothing survives a reload.
    Memory(memory::MemoryStore),
}

impl DeviceStore {
    /// Opens the device's database, falling back to memory when IndexedDB is refused.
    pub async fn open() -> Self {
        #[cfg(target_arch = "wasm32")]
        match idb::IdbStore::open("qingtuan").await {
            Ok(store) => return Self::Idb(store),
            Err(e) => leptos::logging::warn!("IndexedDB unavailable, using memory: {e}"),
        }
        Self::Memory(memory::MemoryStore::new())
    }

    /// Whether data survives a reload.
    pub fn is_persistent(&self) -> bool {
        !matches!(self, Self::Memory(_))
    }
}

macro_rules! delegate {
    ($self:ident, $s:ident => $call:expr) => {
        match $self {
            #[cfg(target_arch = "wasm32")]
            DeviceStore::Idb($s) => $call,
            DeviceStore::Memory($s) => $call,
        }
    };
}

impl Store for DeviceStore {
    async fn replace_kind(&self, kind: &str, rows: Vec<Row>) -> Result<(), StoreError> {
        delegate!(self, s => s.replace_kind(kind, rows).await)
    }
    async fn put_rows(&self, rows: Vec<Row>) -> Result<(), StoreError> {
        delegate!(self, s => s.put_rows(rows).await)
    }
    async fn rows(&self, kind: &str) -> Result<Vec<Row>, StoreError> {
        delegate!(self, s => s.rows(kind).await)
    }
    async fn delete_row(&self, kind: &str, id: &str) -> Result<(), StoreError> {
        delegate!(self, s => s.delete_row(kind, id).await)
    }
    async fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        delegate!(self, s => s.meta(key).await)
    }
    async fn set_meta(&self, key: &str, json: String) -> Result<(), StoreError> {
        delegate!(self, s => s.set_meta(key, json).await)
    }
}
