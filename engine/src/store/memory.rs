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

#[derive(Debug, Default)]
struct Inner {
    rows: BTreeMap<String, Row>,
    meta: BTreeMap<String, String>,
    outbox: BTreeMap<u64, OutboxEntry>,
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
        Ok(self.inner.borrow().meta.get(key).cloned())
    }

    async fn set_meta(&self, key: &str, json: String) -> Result<(), StoreError> {
        self.inner.borrow_mut().meta.insert(key.to_owned(), json);
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
        let id = parse_u64(inner.meta.get(keys::NEXT_MUTATION_ID).cloned()).max(1);
        inner.outbox.insert(
            id,
            OutboxEntry {
                id,
                name: name.to_owned(),
                args,
                created_at,
                local,
                outcome: None,
            },
        );
        inner
            .meta
            .insert(keys::NEXT_MUTATION_ID.to_owned(), (id + 1).to_string());
        Ok(id)
    }

    async fn outbox(&self) -> Result<Vec<OutboxEntry>, StoreError> {
        Ok(self.inner.borrow().outbox.values().cloned().collect())
    }

    async fn record_outcomes(&self, outcomes: Vec<(u64, String)>) -> Result<(), StoreError> {
        let mut inner = self.inner.borrow_mut();
        for (id, outcome) in outcomes {
            if let Some(e) = inner.outbox.get_mut(&id) {
                e.outcome = Some(outcome);
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
        inner
            .meta
            .insert(keys::CURSOR.to_owned(), batch.cursor.to_string());
        inner.meta.insert(
            keys::LAST_MUTATION_ID.to_owned(),
            batch.last_mutation_id.to_string(),
        );
        inner
            .outbox
            .retain(|id, e| *id > batch.last_mutation_id || e.outcome.is_none());
        Ok(())
    }

    async fn reset_base(&self) -> Result<(), StoreError> {
        let mut inner = self.inner.borrow_mut();
        inner.rows.clear();
        inner.meta.insert(keys::CURSOR.to_owned(), "0".to_owned());
        Ok(())
    }

    async fn rebase_outbox(&self, new_client_id: &str) -> Result<(), StoreError> {
        let mut inner = self.inner.borrow_mut();
        let entries: Vec<OutboxEntry> = std::mem::take(&mut inner.outbox).into_values().collect();
        let n = entries.len() as u64;
        for (i, mut e) in entries.into_iter().enumerate() {
            e.id = i as u64 + 1;
            e.outcome = None;
            inner.outbox.insert(e.id, e);
        }
        inner.rows.clear();
        for (k, v) in [
            (keys::CLIENT_ID, new_client_id.to_owned()),
            (keys::NEXT_MUTATION_ID, (n + 1).to_string()),
            (keys::CURSOR, "0".to_owned()),
            (keys::LAST_MUTATION_ID, "0".to_owned()),
        ] {
            inner.meta.insert(k.to_owned(), v);
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
