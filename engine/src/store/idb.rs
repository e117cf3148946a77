//! The IndexedDB [`Store`] (through `indexed_db_futures`).
//!
//! Schema upgrades are explicit steps, one per version, run in order inside the browser's
//! upgrade transaction: a device that skipped versions runs every step it missed. Changes to the
//! shape of stored rows are data steps (`super::upgrade`), run right after opening in one
//! transaction with the mark that they ran.

use super::{
    OutboxEntry, PullBatch, Row, Store, StoreError, change_rows, check_kinds, keys, kind_range,
    parse_u64, row_key,
};
use indexed_db_futures::{
    KeyPath,
    database::{Database, ObjectStoreName},
    prelude::*,
    transaction::{Transaction, TransactionMode},
};
use serde::{Deserialize, Serialize};

/// The schema version this build expects.
pub const SCHEMA_VERSION: u32 = 2;

const ROWS: &str = "rows";
const META: &str = "meta";
const OUTBOX: &str = "outbox";

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
                // v1 → v2: the outbox of actions not yet acknowledged, keyed by mutation id.
                if old < 2 {
                    db.create_object_store(OUTBOX)
                        .with_key_path(KeyPath::One("id"))
                        .build()?;
                }
                Ok(())
            })
            .await
            .map_err(|e| StoreError::Unavailable(e.to_string()))?;
        let store = Self { db };
        store.run_data_steps().await?;
        Ok(store)
    }

    /// Brings rows saved in an older shape to today's, the steps this database has not run yet,
    /// in one transaction with the mark that they ran (a closed tab leaves neither).
    async fn run_data_steps(&self) -> Result<(), StoreError> {
        use super::upgrade::{self, CURRENT, DATA_VERSION};
        let tx = self.write([ROWS, META])?;
        let meta = tx.object_store(META).map_err(db_err)?;
        let done: Option<String> = meta
            .get(DATA_VERSION.to_owned())
            .primitive()
            .map_err(db_err)?
            .await
            .map_err(db_err)?;
        let done = done.and_then(|v| v.parse::<u32>().ok()).unwrap_or(1);
        if done >= CURRENT {
            return Ok(());
        }
        // 1 → 2: offerings in the programme shape.
        if done < 2 {
            let rows = tx.object_store(ROWS).map_err(db_err)?;
            let (start, end) = kind_range("offering");
            let found = rows
                .get_all::<StoredRow>()
                .with_query(start..end)
                .serde()
                .map_err(db_err)?
                .await
                .map_err(db_err)?;
            for row in found {
                let mut row = row.map_err(|e| StoreError::Data(e.to_string()))?;
                row.json = upgrade::offering_v2(&row.json);
                rows.put(row).serde().map_err(db_err)?;
            }
        }
        meta.put(CURRENT.to_string())
            .with_key(DATA_VERSION.to_owned())
            .primitive()
            .map_err(db_err)?;
        tx.commit().await.map_err(db_err)
    }

    /// A read-write transaction over `stores` (rolled back unless committed).
    fn write<S: ObjectStoreName>(&self, stores: S) -> Result<Transaction<'_>, StoreError> {
        self.db
            .transaction(stores)
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(db_err)
    }

    /// A read-only transaction over `stores`.
    fn read<S: ObjectStoreName>(&self, stores: S) -> Result<Transaction<'_>, StoreError> {
        self.db.transaction(stores).build().map_err(db_err)
    }

    /// Closes this connection (the data stays).
    pub fn close(self) {
        self.db.close();
    }
}

impl Store for IdbStore {
    async fn replace_kind(&self, kind: &str, rows: Vec<Row>) -> Result<(), StoreError> {
        check_kinds(kind, &rows)?;
        let tx = self.write(ROWS)?;
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
        let tx = self.write(ROWS)?;
        let store = tx.object_store(ROWS).map_err(db_err)?;
        for row in rows {
            store.put(StoredRow::from(row)).serde().map_err(db_err)?;
        }
        tx.commit().await.map_err(db_err)
    }

    async fn rows(&self, kind: &str) -> Result<Vec<Row>, StoreError> {
        let tx = self.read(ROWS)?;
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
        let tx = self.write(ROWS)?;
        let store = tx.object_store(ROWS).map_err(db_err)?;
        store
            .delete(row_key(kind, id))
            .primitive()
            .map_err(db_err)?;
        tx.commit().await.map_err(db_err)
    }

    async fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        let tx = self.read(META)?;
        let store = tx.object_store(META).map_err(db_err)?;
        store
            .get::<String, _, _>(key.to_owned())
            .primitive()
            .map_err(db_err)?
            .await
            .map_err(db_err)
    }

    async fn set_meta(&self, key: &str, json: String) -> Result<(), StoreError> {
        let tx = self.write(META)?;
        let store = tx.object_store(META).map_err(db_err)?;
        store
            .put(json)
            .with_key(key.to_owned())
            .primitive()
            .map_err(db_err)?;
        tx.commit().await.map_err(db_err)
    }

    async fn enqueue(
        &self,
        name: &str,
        args: String,
        created_at: i64,
        local: Option<String>,
    ) -> Result<u64, StoreError> {
        let tx = self.write([OUTBOX, META])?;
        let meta = tx.object_store(META).map_err(db_err)?;
        let outbox = tx.object_store(OUTBOX).map_err(db_err)?;
        // Read and bump the counter inside this transaction: IndexedDB runs overlapping
        // read-write transactions one after another, so two tabs never take the same id.
        let next: Option<String> = meta
            .get(keys::NEXT_MUTATION_ID.to_owned())
            .primitive()
            .map_err(db_err)?
            .await
            .map_err(db_err)?;
        let id = parse_u64(next).max(1);
        outbox
            .put(OutboxEntry {
                id,
                name: name.to_owned(),
                args,
                created_at,
                local,
                outcome: None,
            })
            .serde()
            .map_err(db_err)?;
        meta.put((id + 1).to_string())
            .with_key(keys::NEXT_MUTATION_ID.to_owned())
            .primitive()
            .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        Ok(id)
    }

    async fn outbox(&self) -> Result<Vec<OutboxEntry>, StoreError> {
        let tx = self.read(OUTBOX)?;
        let store = tx.object_store(OUTBOX).map_err(db_err)?;
        let found = store
            .get_all::<OutboxEntry>()
            .serde()
            .map_err(db_err)?
            .await
            .map_err(db_err)?;
        found
            .map(|r| r.map_err(|e| StoreError::Data(e.to_string())))
            .collect()
    }

    async fn record_outcomes(&self, outcomes: Vec<(u64, String)>) -> Result<(), StoreError> {
        let tx = self.write(OUTBOX)?;
        let store = tx.object_store(OUTBOX).map_err(db_err)?;
        for (id, outcome) in outcomes {
            let entry: Option<OutboxEntry> = store
                .get(id as f64)
                .serde()
                .map_err(db_err)?
                .await
                .map_err(db_err)?;
            if let Some(mut e) = entry {
                e.outcome = Some(outcome);
                store.put(e).serde().map_err(db_err)?;
            }
        }
        tx.commit().await.map_err(db_err)
    }

    async fn apply_pull(&self, batch: PullBatch) -> Result<(), StoreError> {
        let tx = self.write([ROWS, OUTBOX, META])?;
        let rows = tx.object_store(ROWS).map_err(db_err)?;
        let outbox = tx.object_store(OUTBOX).map_err(db_err)?;
        let meta = tx.object_store(META).map_err(db_err)?;
        for (key, row) in change_rows(&batch.changes) {
            match row {
                Some(row) => {
                    rows.put(StoredRow::from(row)).serde().map_err(db_err)?;
                }
                None => {
                    rows.delete(key).primitive().map_err(db_err)?;
                }
            }
        }
        meta.put(batch.cursor.to_string())
            .with_key(keys::CURSOR.to_owned())
            .primitive()
            .map_err(db_err)?;
        meta.put(batch.last_mutation_id.to_string())
            .with_key(keys::LAST_MUTATION_ID.to_owned())
            .primitive()
            .map_err(db_err)?;
        let entries = outbox
            .get_all::<OutboxEntry>()
            .serde()
            .map_err(db_err)?
            .await
            .map_err(db_err)?;
        for e in entries {
            let e = e.map_err(|e| StoreError::Data(e.to_string()))?;
            if e.id <= batch.last_mutation_id && e.outcome.is_some() {
                outbox.delete(e.id as f64).primitive().map_err(db_err)?;
            }
        }
        tx.commit().await.map_err(db_err)
    }

    async fn reset_base(&self) -> Result<(), StoreError> {
        let tx = self.write([ROWS, META])?;
        tx.object_store(ROWS)
            .map_err(db_err)?
            .clear()
            .map_err(db_err)?;
        tx.object_store(META)
            .map_err(db_err)?
            .put("0".to_owned())
            .with_key(keys::CURSOR.to_owned())
            .primitive()
            .map_err(db_err)?;
        tx.commit().await.map_err(db_err)
    }

    async fn rebase_outbox(&self, new_client_id: &str) -> Result<(), StoreError> {
        let tx = self.write([ROWS, OUTBOX, META])?;
        let outbox = tx.object_store(OUTBOX).map_err(db_err)?;
        let meta = tx.object_store(META).map_err(db_err)?;
        let entries = outbox
            .get_all::<OutboxEntry>()
            .serde()
            .map_err(db_err)?
            .await
            .map_err(db_err)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| StoreError::Data(e.to_string()))?;
        outbox.clear().map_err(db_err)?;
        let n = entries.len() as u64;
        for (i, mut e) in entries.into_iter().enumerate() {
            e.id = i as u64 + 1;
            e.outcome = None;
            outbox.put(e).serde().map_err(db_err)?;
        }
        tx.object_store(ROWS)
            .map_err(db_err)?
            .clear()
            .map_err(db_err)?;
        for (k, v) in [
            (keys::CLIENT_ID, new_client_id.to_owned()),
            (keys::NEXT_MUTATION_ID, (n + 1).to_string()),
            (keys::CURSOR, "0".to_owned()),
            (keys::LAST_MUTATION_ID, "0".to_owned()),
        ] {
            meta.put(v)
                .with_key(k.to_owned())
                .primitive()
                .map_err(db_err)?;
        }
        tx.commit().await.map_err(db_err)
    }
}
