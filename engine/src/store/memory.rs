//! An in-memory [`Store`], for native tests and for browsers that refuse IndexedDB.

use super::{
    OutboxEntry, PullBatch, Row, Store, StoreError, change_rows, check_kinds, keys, kind_range,
    parse_u64, row_key,
};
use std::{cell::RefCell, rc::Rc};

/// Rows, outbox and metadata in memory. Clones share the same data, like two connections to one
/// database, so "reopening" is cloning. Each method runs without an `.await` inside, so it is
/// one indivisible step, like an IndexedDB transaction.
#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    inner: Rc<RefCell<Inner>>,
}

/// Plain vectors rather than `BTreeMap`s: each map key/value type costs ≈ 6 KB of wasm, and
/// this store ships in the browser build as the fallback.
#[derive(Debug, Default)]
struct Inner {
    /// By key ([`row_key`]), each key once, so a kind is one slice.
    rows: Vec<(String, Row)>,
    /// A handful of keys, each once.
    meta: Vec<(String, String)>,
    /// In id order, each id once.
    outbox: Vec<OutboxEntry>,
}

impl Inner {
    /// Where the rows of `kind` are.
    fn kind_slice(&self, kind: &str) -> std::ops::Range<usize> {
        let (start, end) = kind_range(kind);
        let at = |bound: &str| self.rows.partition_point(|(k, _)| k.as_str() < bound);
        at(&start)..at(&end)
    }

    /// Writes rows in order: for a key written more than once the last write wins; `None`
    /// deletes. One merge of the sorted writes into the sorted rows.
    fn write_rows(&mut self, mut writes: Vec<(String, Option<Row>)>) {
        // Stable, so the writes to one key keep their order; then keep each key's last one.
        domain::sort::sort_by(&mut writes, |a, b| a.0.cmp(&b.0));
        writes.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                std::mem::swap(later, kept);
            }
            same
        });
        let mut old = std::mem::take(&mut self.rows).into_iter().peekable();
        let mut rows = Vec::with_capacity(old.len() + writes.len());
        for (key, row) in writes {
            while let Some(kept) = old.next_if(|(k, _)| *k < key) {
                rows.push(kept);
            }
            // The old row under this key, replaced or deleted.
            old.next_if(|(k, _)| *k == key);
            if let Some(row) = row {
                rows.push((key, row));
            }
        }
        rows.extend(old);
        self.rows = rows;
    }

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
        let stale = inner.kind_slice(kind);
        inner.rows.drain(stale);
        inner.write_rows(
            rows.into_iter()
                .map(|row| (row_key(&row.kind, &row.id), Some(row)))
                .collect(),
        );
        Ok(())
    }

    async fn put_rows(&self, rows: Vec<Row>) -> Result<(), StoreError> {
        self.inner.borrow_mut().write_rows(
            rows.into_iter()
                .map(|row| (row_key(&row.kind, &row.id), Some(row)))
                .collect(),
        );
        Ok(())
    }

    async fn rows(&self, kind: &str) -> Result<Vec<Row>, StoreError> {
        let inner = self.inner.borrow();
        Ok(inner.rows[inner.kind_slice(kind)]
            .iter()
            .map(|(_, r)| r.clone())
            .collect())
    }

    async fn delete_row(&self, kind: &str, id: &str) -> Result<(), StoreError> {
        self.inner
            .borrow_mut()
            .write_rows(vec![(row_key(kind, id), None)]);
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
        inner.write_rows(change_rows(&batch.changes));
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

    fn row(kind: &str, id: &str, json: &str) -> Row {
        Row {
            kind: kind.into(),
            id: id.into(),
            json: json.into(),
        }
    }

    #[test]
    fn writes_apply_in_order_and_keep_the_rows_sorted() {
        let mut inner = Inner::default();
        let w = |r: &Row| (row_key(&r.kind, &r.id), Some(r.clone()));
        inner.write_rows(vec![
            w(&row("b", "2", "1")),
            w(&row("a", "1", "1")),
            w(&row("b", "1", "1")),
        ]);
        inner.write_rows(vec![
            // The same key twice: the last write wins.
            w(&row("b", "1", "2")),
            w(&row("b", "1", "3")),
            // Written, then deleted.
            w(&row("c", "1", "1")),
            (row_key("c", "1"), None),
            // Deleted, then written.
            (row_key("a", "1"), None),
            w(&row("a", "1", "2")),
            // Deleting what is not there.
            (row_key("z", "9"), None),
        ]);
        let keys: Vec<(&str, &str)> = inner
            .rows
            .iter()
            .map(|(k, r)| (k.as_str(), r.json.as_str()))
            .collect();
        assert_eq!(keys, [("a/1", "2"), ("b/1", "3"), ("b/2", "1")]);
        let b = inner.kind_slice("b");
        assert_eq!(b, 1..3);
        assert!(inner.kind_slice("c").is_empty());
    }

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
