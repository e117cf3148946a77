//! The IndexedDB [`Store`] (through `indexed_db_futures`).
//!
//! Schema upgrades are explicit steps, one per version, run in order inside the browser's
//! upgrade transaction: a device that skipped versions runs every step it missed.

use super::{Row, Store, StoreError, kind_range, memory::check_kinds, row_key};
use indexed_db_futures::{KeyPath, database::Database, prelude::*, transaction::TransactionMode};
use serde::{Deserialize, Serialize};

/// The schema version this build expects.
pub const SCHEMA_VERSION: u32 = 1;

const ROWS: &str = "rows";
const META: &str = "meta";

/// Rows as IndexedDB holds them: the row plus its key (`kind/id`).
#[derive(Serialize, Deserialize)]
struct StoredRow {
    key: String,
    kind: String,
    id: String,
    json: String,
}

impl From<Row> for StoredRow {
    fn from(r: Row) -> Self {
        Self {
            key: row_key(&r.kind, &r.id),
            kind: r.kind,
            id: r.id,
            json: r.json,
        }
    }
}

impl From<StoredRow> for Row {
    fn from(r: StoredRow) -> Self {
        Self {
            kind: r.kind,
            id: r.id,
            json: r.json,
        }
    }
}

/// A connection to the device's database.
pub struct IdbStore {
    db: Database,
}

fn db_err(e: impl std::fmt::Display) -> StoreError {
    StoreError::Db(e.to_string())
}

impl IdbStore {
    /// Opens (creating or upgrading) the database called `name`.
    pub async fn open(name: &str) -> Result<Self, StoreError> {
        let db = Database::open(name)
            .with_version(SCHEMA_VERSION)
            .with_on_upgrade_needed(|event, db| {
                let old = event.old_version() as u32;
                // v0 → v1: synced rows keyed by `kind/id`, and metadata by name.
                if old < 1 {
                    db.create_object_store(ROWS)
                        .with_key_path(KeyPath::One("key"))
                        .build()?;
                    db.create_object_store(META).build()?;
                }
                Ok(())
            })
            .await
            .map_err(|e| StoreError::Unavailable(e.to_string()))?;
        Ok(Self { db })
    }

    /// Closes this connection (the data stays).
    pub fn close(self) {
        self.db.close();
    }
}

impl Store for IdbStore {
    async fn replace_kind(&self, kind: &str, rows: Vec<Row>) -> Result<(), StoreError> {
        check_kinds(kind, &rows)?;
        let tx = self
            .db
            .transaction(ROWS)
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(db_err)?;
        let store = tx.object_store(ROWS).map_err(db_err)?;
        let (start, end) = kind_range(kind);
        store.delete(start..end).primitive().map_err(db_err)?;
        for row in rows {
            // Requests go out when built; the commit below waits for all of them.
            store.put(StoredRow::from(row)).serde().map_err(db_err)?;
        }
        tx.commit().await.map_err(db_err)
    }

    async fn put_rows(&self, rows: Vec<Row>) -> Result<(), StoreError> {
        let tx = self
            .db
            .transaction(ROWS)
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(db_err)?;
        let store = tx.object_store(ROWS).map_err(db_err)?;
        for row in rows {
            store.put(StoredRow::from(row)).serde().map_err(db_err)?;
        }
        tx.commit().await.map_err(db_err)
    }

    async fn rows(&self, kind: &str) -> Result<Vec<Row>, StoreError> {
        let tx = self.db.transaction(ROWS).build().map_err(db_err)?;
        let store = tx.object_store(ROWS).map_err(db_err)?;
        let (start, end) = kind_range(kind);
        let found = store
            .get_all::<StoredRow>()
            .with_query(start..end)
            .serde()
            .map_err(db_err)?
            .await
            .map_err(db_err)?;
        found
            .map(|r| {
                r.map(Row::from)
                    .map_err(|e| StoreError::Data(e.to_string()))
            })
            .collect()
    }

    async fn delete_row(&self, kind: &str, id: &str) -> Result<(), StoreError> {
        let tx = self
            .db
            .transaction(ROWS)
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(db_err)?;
        let store = tx.object_store(ROWS).map_err(db_err)?;
        store
            .delete(row_key(kind, id))
            .primitive()
            .map_err(db_err)?;
        tx.commit().await.map_err(db_err)
    }

    async fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        let tx = self.db.transaction(META).build().map_err(db_err)?;
        let store = tx.object_store(META).map_err(db_err)?;
        store
            .get::<String, _, _>(key.to_owned())
            .primitive()
            .map_err(db_err)?
            .await
            .map_err(db_err)
    }

    async fn set_meta(&self, key: &str, json: String) -> Result<(), StoreError> {
        let tx = self
            .db
            .transaction(META)
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(db_err)?;
        let store = tx.object_store(META).map_err(db_err)?;
        store
            .put(json)
            .with_key(key.to_owned())
            .primitive()
            .map_err(db_err)?;
        tx.commit().await.map_err(db_err)
    }
}
