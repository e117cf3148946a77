//! The device's store: rows as the server last sent them (the base), the outbox of actions not
//! yet acknowledged, and small metadata.
//!
//! One trait, two implementations: [`idb::IdbStore`] (IndexedDB, in the browser) and
//! [`memory::MemoryStore`] (native tests, and browsers that refuse IndexedDB). Both pass the
//! same [`conformance`] suite. Every method is one transaction: a local action is in the outbox
//! (and so on screen, which replays the outbox over the base) or it is not; a pull's rows, its
//! cursor and the outbox entries it acknowledges change together.

pub mod conformance;
#[cfg(target_arch = "wasm32")]
pub mod idb;
pub mod memory;
pub mod upgrade;

use domain::sync::Change;
use serde::{Deserialize, Serialize, de::DeserializeOwned};

/// Metadata keys the engine uses.
pub mod keys {
    /// This device's id for the signed-in user (a UUID).
    pub const CLIENT_ID: &str = "client_id";
    /// The next mutation id to allocate.
    pub const NEXT_MUTATION_ID: &str = "next_mutation_id";
    /// The pull cursor.
    pub const CURSOR: &str = "cursor";
    /// The highest mutation id the server has acknowledged.
    pub const LAST_MUTATION_ID: &str = "last_mutation_id";
}

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
        crate::from_json(&self.json).map_err(|e| StoreError::Data(e.to_string()))
    }
}

/// The rows this build can read as `T`. A row it cannot read (another version's shape, a time
/// out of range, a broken write) is left out and counted in `unreadable`, never fatal: one bad
/// row must not take the screen, or the app, down with it.
pub fn read_rows<T: DeserializeOwned>(rows: &[Row], unreadable: &mut usize) -> Vec<T> {
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        match row.value() {
            Ok(v) => out.push(v),
            Err(_) => *unreadable += 1,
        }
    }
    out
}

/// A queued action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEntry {
    /// Per-client counter from 1, no gaps.
    pub id: u64,
    /// The mutation name.
    pub name: String,
    /// Its arguments, JSON text.
    pub args: String,
    /// The device's clock when the action was taken (Unix ms).
    pub created_at: i64,
    /// Device-only notes (e.g. what the screen predicted), JSON text.
    #[serde(default)]
    pub local: Option<String>,
    /// The server's outcome once known, JSON text. An entry leaves the outbox only once it has
    /// an outcome and a pull has brought the rows it changed.
    #[serde(default)]
    pub outcome: Option<String>,
}

/// What one pull brings, applied in one transaction.
#[derive(Debug, Clone, PartialEq)]
pub struct PullBatch {
    /// Rows to write (`data: Some`) or delete (`data: None`).
    pub changes: Vec<Change>,
    /// The new cursor.
    pub cursor: u64,
    /// Entries up to this id that have an outcome leave the outbox.
    pub last_mutation_id: u64,
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
    /// Replaces every row of `kind` with `rows`.
    async fn replace_kind(&self, kind: &str, rows: Vec<Row>) -> Result<(), StoreError>;
    /// Inserts or overwrites rows (of any kinds).
    async fn put_rows(&self, rows: Vec<Row>) -> Result<(), StoreError>;
    /// All rows of `kind`, ordered by id.
    async fn rows(&self, kind: &str) -> Result<Vec<Row>, StoreError>;
    /// Removes one row; removing a missing row is not an error.
    async fn delete_row(&self, kind: &str, id: &str) -> Result<(), StoreError>;
    /// A metadata value as JSON text.
    async fn meta(&self, key: &str) -> Result<Option<String>, StoreError>;
    /// Sets a metadata value (JSON text).
    async fn set_meta(&self, key: &str, json: String) -> Result<(), StoreError>;

    /// Appends an action to the outbox, allocating its id in the same transaction (two tabs
    /// never take the same id). Returns the id.
    async fn enqueue(
        &self,
        name: &str,
        args: String,
        created_at: i64,
        local: Option<String>,
    ) -> Result<u64, StoreError>;
    /// The outbox, oldest first.
    async fn outbox(&self) -> Result<Vec<OutboxEntry>, StoreError>;
    /// Notes the server's outcome on outbox entries (ids not in the outbox are ignored).
    async fn record_outcomes(&self, outcomes: Vec<(u64, String)>) -> Result<(), StoreError>;
    /// Applies a pull: rows, cursor, acknowledged mutation id, and drops the entries it settles.
    async fn apply_pull(&self, batch: PullBatch) -> Result<(), StoreError>;
    /// Forgets every synced row and the cursor; keeps the outbox and the client id.
    async fn reset_base(&self) -> Result<(), StoreError>;
    /// After the server lost this device's history: a new client id, the outbox renumbered from
    /// 1 in the same order (outcomes cleared), the base and cursor forgotten.
    async fn rebase_outbox(&self, new_client_id: &str) -> Result<(), StoreError>;
}

/// The storage key of a row: rows of one kind sort together, so a kind is one key range.
pub(crate) fn row_key(kind: &str, id: &str) -> String {
    format!("{kind}/{id}")
}

/// The key range `[start, end)` holding every row of `kind` ('0' follows '/').
pub(crate) fn kind_range(kind: &str) -> (String, String) {
    (format!("{kind}/"), format!("{kind}0"))
}

/// `replace_kind` takes rows of that kind only; anything else is a caller's bug, refused
/// before anything changes.
pub(crate) fn check_kinds(kind: &str, rows: &[Row]) -> Result<(), StoreError> {
    match rows.iter().find(|r| r.kind != kind) {
        Some(r) => Err(StoreError::Data(format!(
            "a {} row given to replace the {kind} rows",
            r.kind
        ))),
        None => Ok(()),
    }
}

/// The rows a pull writes, as store rows (tombstones are `None`).
pub(crate) fn change_rows(changes: &[Change]) -> Vec<(String, Option<Row>)> {
    changes
        .iter()
        .map(|c| {
            let key = row_key(&c.kind, &c.id);
            let row = c.data.as_ref().map(|d| Row {
                kind: c.kind.clone(),
                id: c.id.clone(),
                json: d.to_string(),
            });
            (key, row)
        })
        .collect()
}

/// Parses a stored counter.
pub(crate) fn parse_u64(v: Option<String>) -> u64 {
    v.and_then(|s| s.parse().ok()).unwrap_or(0)
}

/// The store the app runs on: IndexedDB where the browser allows it, memory otherwise.
pub enum DeviceStore {
    /// IndexedDB.
    #[cfg(target_arch = "wasm32")]
    Idb(idb::IdbStore),
    /// Memory only: nothing survives a reload (private mode, storage disabled, native).
    Memory(memory::MemoryStore),
}

impl DeviceStore {
    /// Opens the database `name`, falling back to memory when IndexedDB is refused; the error
    /// says why it fell back.
    pub async fn open(name: &str) -> (Self, Option<StoreError>) {
        #[cfg(target_arch = "wasm32")]
        {
            match idb::IdbStore::open(name).await {
                Ok(store) => (Self::Idb(store), None),
                Err(e) => (Self::Memory(memory::MemoryStore::new()), Some(e)),
            }
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            let _ = name;
            (Self::Memory(memory::MemoryStore::new()), None)
        }
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
    async fn enqueue(
        &self,
        name: &str,
        args: String,
        created_at: i64,
        local: Option<String>,
    ) -> Result<u64, StoreError> {
        delegate!(self, s => s.enqueue(name, args, created_at, local).await)
    }
    async fn outbox(&self) -> Result<Vec<OutboxEntry>, StoreError> {
        delegate!(self, s => s.outbox().await)
    }
    async fn record_outcomes(&self, outcomes: Vec<(u64, String)>) -> Result<(), StoreError> {
        delegate!(self, s => s.record_outcomes(outcomes).await)
    }
    async fn apply_pull(&self, batch: PullBatch) -> Result<(), StoreError> {
        delegate!(self, s => s.apply_pull(batch).await)
    }
    async fn reset_base(&self) -> Result<(), StoreError> {
        delegate!(self, s => s.reset_base().await)
    }
    async fn rebase_outbox(&self, new_client_id: &str) -> Result<(), StoreError> {
        delegate!(self, s => s.rebase_outbox(new_client_id).await)
    }
}
