//! The behaviour every [`Store`] must have, run against each implementation.

use super::{PullBatch, Row, Store, StoreError, keys};
use domain::sync::Change;
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
    rows_survive_reopening(store, &reopen).await;
    the_outbox_allocates_ids_without_gaps_or_collisions(store, &reopen).await;
    a_pull_applies_rows_and_settles_acknowledged_entries(store).await;
    a_reset_forgets_the_base_but_keeps_the_outbox(store).await;
    a_rebase_renumbers_the_outbox_from_one(store, &reopen).await;
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

async fn rows_survive_reopening<S, R, F>(store: &S, reopen: &R)
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

async fn the_outbox_allocates_ids_without_gaps_or_collisions<S, R, F>(store: &S, reopen: &R)
where
    S: Store,
    R: Fn() -> F,
    F: Future<Output = S>,
{
    assert!(store.outbox().await.unwrap().is_empty());
    assert_eq!(
        store
            .enqueue("registration.request", "{}".into(), 1, None)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        store
            .enqueue(
                "registration.cancel",
                "{\"a\":1}".into(),
                2,
                Some("note".into())
            )
            .await
            .unwrap(),
        2
    );
    // Two connections (two tabs) enqueueing at once never take the same id.
    let other = reopen().await;
    let (a, b) = futures_join(
        store.enqueue("x", "{}".into(), 3, None),
        other.enqueue("y", "{}".into(), 3, None),
    )
    .await;
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_ne!(a, b);
    assert_eq!([a.min(b), a.max(b)], [3, 4]);
    let outbox = other.outbox().await.unwrap();
    let ids: Vec<u64> = outbox.iter().map(|e| e.id).collect();
    assert_eq!(ids, [1, 2, 3, 4]);
    assert_eq!(outbox[1].name, "registration.cancel");
    assert_eq!(outbox[1].args, "{\"a\":1}");
    assert_eq!(outbox[1].local.as_deref(), Some("note"));
    assert_eq!(outbox[1].outcome, None);
}

/// Polls two futures to completion, interleaved (no executor needed).
async fn futures_join<A: Future, B: Future>(a: A, b: B) -> (A::Output, B::Output) {
    let mut a = std::pin::pin!(a);
    let mut b = std::pin::pin!(b);
    let mut ra = None;
    let mut rb = None;
    std::future::poll_fn(|cx| {
        if ra.is_none()
            && let std::task::Poll::Ready(v) = a.as_mut().poll(cx)
        {
            ra = Some(v);
        }
        if rb.is_none()
            && let std::task::Poll::Ready(v) = b.as_mut().poll(cx)
        {
            rb = Some(v);
        }
        if ra.is_some() && rb.is_some() {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
    (ra.expect("done"), rb.expect("done"))
}

async fn a_pull_applies_rows_and_settles_acknowledged_entries<S: Store>(store: &S) {
    store
        .record_outcomes(vec![
            (1, "{\"outcome\":\"applied\"}".into()),
            (3, "{}".into()),
            (99, "{}".into()),
        ])
        .await
        .unwrap();
    let change = |kind: &str, id: &str, version, data| Change {
        kind: kind.into(),
        id: id.into(),
        version,
        data,
    };
    store
        .apply_pull(PullBatch {
            changes: vec![
                change(
                    "registration",
                    "r1",
                    10,
                    Some(serde_json::json!({ "status": "confirmed" })),
                ),
                change("offering", "c", 11, None),
                change(
                    "registration",
                    "r2",
                    12,
                    Some(serde_json::json!({ "status": "waitlisted" })),
                ),
            ],
            cursor: 12,
            last_mutation_id: 2,
        })
        .await
        .unwrap();
    let regs = store.rows("registration").await.unwrap();
    assert_eq!(regs.len(), 2);
    assert_eq!(
        regs[0].value::<serde_json::Value>().unwrap()["status"],
        "confirmed"
    );
    assert!(
        store.rows("offering").await.unwrap().is_empty(),
        "tombstone applied"
    );
    assert_eq!(
        store.meta(keys::CURSOR).await.unwrap().as_deref(),
        Some("12")
    );
    assert_eq!(
        store.meta(keys::LAST_MUTATION_ID).await.unwrap().as_deref(),
        Some("2")
    );
    // 1 is settled (acknowledged with an outcome); 2 has no outcome yet; 3 and 4 are beyond
    // last_mutation_id.
    let left: Vec<u64> = store.outbox().await.unwrap().iter().map(|e| e.id).collect();
    assert_eq!(left, [2, 3, 4]);
    assert_eq!(
        store.outbox().await.unwrap()[1].outcome.as_deref(),
        Some("{}")
    );
}

async fn a_reset_forgets_the_base_but_keeps_the_outbox<S: Store>(store: &S) {
    store.set_meta(keys::CLIENT_ID, "c-1".into()).await.unwrap();
    store.reset_base().await.unwrap();
    assert!(store.rows("registration").await.unwrap().is_empty());
    assert!(store.rows("roster").await.unwrap().is_empty());
    assert_eq!(
        store.meta(keys::CURSOR).await.unwrap().as_deref(),
        Some("0")
    );
    assert_eq!(store.outbox().await.unwrap().len(), 3);
    assert_eq!(
        store.meta(keys::CLIENT_ID).await.unwrap().as_deref(),
        Some("c-1")
    );
}

async fn a_rebase_renumbers_the_outbox_from_one<S, R, F>(store: &S, reopen: &R)
where
    S: Store,
    R: Fn() -> F,
    F: Future<Output = S>,
{
    let before: Vec<String> = store
        .outbox()
        .await
        .unwrap()
        .iter()
        .map(|e| e.name.clone())
        .collect();
    store.rebase_outbox("c-2").await.unwrap();
    let again = reopen().await;
    let after = again.outbox().await.unwrap();
    assert_eq!(after.iter().map(|e| e.id).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(
        after.iter().map(|e| e.name.clone()).collect::<Vec<_>>(),
        before
    );
    assert!(after.iter().all(|e| e.outcome.is_none()));
    assert_eq!(
        again.meta(keys::CLIENT_ID).await.unwrap().as_deref(),
        Some("c-2")
    );
    assert_eq!(again.enqueue("z", "{}".into(), 5, None).await.unwrap(), 4);
}
