//! An in-memory [`Store`], for native tests and for browsers that refuse IndexedDB.

use super::{
    OutboxEntry, PullBatch, Row, Store, StoreError, change_rows, check_kinds, keys, kind_range,
    parse_u64, row_key,
};
use std::{cell::RefCell, collections::BTreeMap, rc::Rc};

/// Rows, outbox and metadata in memory. Clones share the same data, like two connections to one
/// database, so "reopening" is cloning. Each method runs without an `.await` inside, so it is
/// one indivisible step, like an IndexedDB transaction.
#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    inner: Rc<RefCell<Inner>>,
}

/// The metadata and the outbox are small, so plain vectors: each `BTreeMap` key/value type
/// costs ≈ 6 KB of wasm, and this store ships in the browser build as the fallback.
#[derive(Debug, Default)]
struct Inner {
    rows: BTreeMap<String, Row>,
    /// A handful of keys, each once.
    meta: Vec<(String, String)>,
    /// In id order, each id once.
    outbox: Vec<OutboxEntry>,
}

impl Inner {
    fn meta(&self, key: &str) -> Option<&String> {
        self.meta.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    fn set_meta(&mut self, key: &str, value: String) {
        match self.meta.iter_mut().find(|(k, _)| k == key) {
            Some((_, v)) => *v = value,
            None => self.meta.push((key.to_owned(), value)),
        }
    }

    /// Adds `entry`, or replaces the entry with its id.
    fn put_outbox(&mut self, entry: OutboxEntry) {
        match self.outbox.binary_search_by_key(&entry.id, |e| e.id) {
            Ok(i) => self.outbox[i] = entry,
            Err(i) => self.outbox.insert(i, entry),
        }
    }
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }
}

impl Store for MemoryStore {
    async fn replace_kind(&self, kind: &str, rows: Vec<Row>) -> Result<(), StoreError> {
        check_kinds(kind, &rows)?;
        let mut inner = self.inner.borrow_mut();
        let (start, end) = kind_range(kind);
        let stale: Vec<String> = inner
            .rows
            .range(start..end)
            .map(|(k, _)| k.clone())
            .collect();
        for key in stale {
            inner.rows.remove(&key);
        }
        for row in rows {
            inner.rows.insert(row_key(&row.kind, &row.id), row);
        }
        Ok(())
    }

    async fn put_rows(&self, rows: Vec<Row>) -> Result<(), StoreError> {
        let mut inner = self.inner.borrow_mut();
        for row in rows {
            inner.rows.insert(row_key(&row.kind, &row.id), row);
        }
        Ok(())
    }

    async fn rows(&self, kind: &str) -> Result<Vec<Row>, StoreError> {
        let (start, end) = kind_range(kind);
        Ok(self
            .inner
            .borrow()
            .rows
            .range(start..end)
            .map(|(_, r)| r.clone())
            .collect())
    }

    async fn delete_row(&self, kind: &str, id: &str) -> Result<(), StoreError> {
        self.inner.borrow_mut().rows.remove(&row_key(kind, id));
        Ok(())
    }

    async fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self.inner.borrow().meta(key).cloned())
    }

    async fn set_meta(&self, key: &str, json: String) -> Result<(), StoreError> {
        self.inner.borrow_mut().set_meta(key, json);
        Ok(())
    }

    async fn enqueue(
        &self,
        name: &str,
        args: String,
        created_at: i64,
        local: Option<String>,
    ) -> Result<u64, StoreError> {
        let mut inner = self.inner.borrow_mut();
        let id = parse_u64(inner.meta(keys::NEXT_MUTATION_ID).cloned()).max(1);
        inner.put_outbox(OutboxEntry {
            id,
            name: name.to_owned(),
            args,
            created_at,
            local,
            outcome: None,
        });
        inner.set_meta(keys::NEXT_MUTATION_ID, (id + 1).to_string());
        Ok(id)
    }

    async fn outbox(&self) -> Result<Vec<OutboxEntry>, StoreError> {
        Ok(self.inner.borrow().outbox.clone())
    }

    async fn record_outcomes(&self, outcomes: Vec<(u64, String)>) -> Result<(), StoreError> {
        let mut inner = self.inner.borrow_mut();
        for (id, outcome) in outcomes {
            if let Ok(i) = inner.outbox.binary_search_by_key(&id, |e| e.id) {
                inner.outbox[i].outcome = Some(outcome);
            }
        }
        Ok(())
    }

    async fn apply_pull(&self, batch: PullBatch) -> Result<(), StoreError> {
        let mut inner = self.inner.borrow_mut();
        for (key, row) in change_rows(&batch.changes) {
            match row {
                Some(row) => inner.rows.insert(key, row),
                None => inner.rows.remove(&key),
            };
        }
        inner.set_meta(keys::CURSOR, batch.cursor.to_string());
        inner.set_meta(keys::LAST_MUTATION_ID, batch.last_mutation_id.to_string());
        inner
            .outbox
            .retain(|e| e.id > batch.last_mutation_id || e.outcome.is_none());
        Ok(())
    }

    async fn reset_base(&self) -> Result<(), StoreError> {
        let mut inner = self.inner.borrow_mut();
        inner.rows.clear();
        inner.set_meta(keys::CURSOR, "0".to_owned());
        Ok(())
    }

    async fn rebase_outbox(&self, new_client_id: &str) -> Result<(), StoreError> {
        let mut inner = self.inner.borrow_mut();
        // Already in id order: renumbering keeps it.
        for (i, e) in inner.outbox.iter_mut().enumerate() {
            e.id = i as u64 + 1;
            e.outcome = None;
        }
        let n = inner.outbox.len() as u64;
        inner.rows.clear();
        for (k, v) in [
            (keys::CLIENT_ID, new_client_id.to_owned()),
            (keys::NEXT_MUTATION_ID, (n + 1).to_string()),
            (keys::CURSOR, "0".to_owned()),
            (keys::LAST_MUTATION_ID, "0".to_owned()),
        ] {
            inner.set_meta(k, v);
        }
        Ok(())
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::store::conformance;
    use futures::executor::block_on;

    #[test]
    fn the_memory_store_passes_the_conformance_suite() {
        block_on(async {
            let store = MemoryStore::new();
            let reopen = store.clone();
            conformance::run_all(&store, || {
                let s = reopen.clone();
                async move { s }
            })
            .await;
        });
    }
}
