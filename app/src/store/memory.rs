//! An in-memory [`Store`], for native tests and for browsers that refuse IndexedDB.

use super::{Row, Store, StoreError, kind_range, row_key};
use std::{cell::RefCell, collections::BTreeMap, rc::Rc};

/// Rows and metadata in memory. Clones share the same data, like two connections to one
/// database, so "reopening" is cloning.
#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    inner: Rc<RefCell<Inner>>,
}

#[derive(Debug, Default)]
struct Inner {
    rows: BTreeMap<String, Row>,
    meta: BTreeMap<String, String>,
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
