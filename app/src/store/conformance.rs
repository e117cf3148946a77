//! The behaviour every [`Store`] must have, run against each implementation.

use super::{Row, Store, StoreError};
use std::future::Future;

fn row(kind: &str, id: &str, n: u32) -> Row {
    Row::new(
        kind,
        id,
        &serde_json::json!({ "id": id, "n": n, "title": "河小青·护河行动" }),
    )
    .expect("serialisable")
}

/// Runs every check. `reopen` opens the same store again (a new connection for IndexedDB).
pub async fn run_all<S, R, F>(store: &S, reopen: R)
where
    S: Store,
    R: Fn() -> F,
    F: Future<Output = S>,
{
    stores_and_reads_back_rows_by_kind(store).await;
    replacing_a_kind_removes_stale_rows_and_leaves_other_kinds(store).await;
    a_bad_replace_changes_nothing(store).await;
    deleting_rows_and_metadata(store).await;
    rows_survive_reopening(store, reopen).await;
}

async fn stores_and_reads_back_rows_by_kind<S: Store>(store: &S) {
    store
        .put_rows(vec![
            row("offering", "b", 2),
            row("offering", "a", 1),
            row("venue", "v", 3),
        ])
        .await
        .unwrap();
    let offerings = store.rows("offering").await.unwrap();
    assert_eq!(
        offerings,
        vec![row("offering", "a", 1), row("offering", "b", 2)]
    );
    assert_eq!(
        store.rows("venue").await.unwrap(),
        vec![row("venue", "v", 3)]
    );
    assert!(store.rows("nothing").await.unwrap().is_empty());
    // A kind that is a prefix of another kind does not see the other's rows.
    store
        .put_rows(vec![row("offering_extra", "x", 9)])
        .await
        .unwrap();
    assert_eq!(store.rows("offering").await.unwrap().len(), 2);
    // Overwrite by key.
    store
        .put_rows(vec![row("offering", "a", 10)])
        .await
        .unwrap();
    let a: serde_json::Value = store.rows("offering").await.unwrap()[0].value().unwrap();
    assert_eq!(a["n"], 10);
}

async fn replacing_a_kind_removes_stale_rows_and_leaves_other_kinds<S: Store>(store: &S) {
    store
        .replace_kind("offering", vec![row("offering", "c", 3)])
        .await
        .unwrap();
    assert_eq!(
        store.rows("offering").await.unwrap(),
        vec![row("offering", "c", 3)]
    );
    assert_eq!(store.rows("venue").await.unwrap().len(), 1);
    assert_eq!(store.rows("offering_extra").await.unwrap().len(), 1);
}

async fn a_bad_replace_changes_nothing<S: Store>(store: &S) {
    let err = store
        .replace_kind(
            "offering",
            vec![row("offering", "d", 4), row("venue", "w", 5)],
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Data(_)), "{err:?}");
    assert_eq!(
        store.rows("offering").await.unwrap(),
        vec![row("offering", "c", 3)]
    );
}

async fn deleting_rows_and_metadata<S: Store>(store: &S) {
    store.delete_row("offering_extra", "x").await.unwrap();
    store.delete_row("offering_extra", "missing").await.unwrap();
    assert!(store.rows("offering_extra").await.unwrap().is_empty());
    assert_eq!(store.meta("cursor").await.unwrap(), None);
    store.set_meta("cursor", "41".into()).await.unwrap();
    store.set_meta("cursor", "42".into()).await.unwrap();
    assert_eq!(store.meta("cursor").await.unwrap().as_deref(), Some("42"));
}

async fn rows_survive_reopening<S, R, F>(store: &S, reopen: R)
where
    S: Store,
    R: Fn() -> F,
    F: Future<Output = S>,
{
    let many: Vec<Row> = (0..500)
        .map(|i| row("roster", &format!("{i:05}"), i))
        .collect();
    store.replace_kind("roster", many.clone()).await.unwrap();
    let again = reopen().await;
    assert_eq!(again.rows("roster").await.unwrap(), many);
    assert_eq!(
        again.rows("offering").await.unwrap(),
        vec![row("offering", "c", 3)]
    );
    assert_eq!(again.meta("cursor").await.unwrap().as_deref(), Some("42"));
}
