//! The store conformance suite against IndexedDB, in headless Chromium.
#![cfg(target_arch = "wasm32")]

use engine::store::{Row, Store, conformance, idb::IdbStore};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn fresh(name: &str) -> IdbStore {
    // A name per test and per run, so a leftover database never hides a bug.
    let name = format!("{name}-{}", js_sys::Math::random());
    IdbStore::open(&name).await.expect("IndexedDB opens")
}

#[wasm_bindgen_test]
async fn indexed_db_passes_the_store_conformance_suite() {
    let name = format!("conformance-{}", js_sys::Math::random());
    let store = IdbStore::open(&name).await.unwrap();
    conformance::run_all(&store, || {
        let name = name.clone();
        async move { IdbStore::open(&name).await.unwrap() }
    })
    .await;
}

#[wasm_bindgen_test]
async fn rows_survive_closing_and_reopening_the_database() {
    let name = format!("reopen-{}", js_sys::Math::random());
    let store = IdbStore::open(&name).await.unwrap();
    let rows = vec![
        Row::new(
            "offering",
            "act-1",
            &serde_json::json!({"title": "河小青·护河"}),
        )
        .unwrap(),
        Row::new(
            "offering",
            "act-2",
            &serde_json::json!({"title": "垃圾分类"}),
        )
        .unwrap(),
    ];
    store.replace_kind("offering", rows.clone()).await.unwrap();
    store
        .set_meta("catalogue.updated_at", "1790000000".into())
        .await
        .unwrap();
    store.close();

    let reopened = IdbStore::open(&name).await.unwrap();
    assert_eq!(reopened.rows("offering").await.unwrap(), rows);
    assert_eq!(
        reopened
            .meta("catalogue.updated_at")
            .await
            .unwrap()
            .as_deref(),
        Some("1790000000")
    );
}

#[wasm_bindgen_test]
async fn a_new_database_is_empty() {
    let store = fresh("empty").await;
    assert!(store.rows("offering").await.unwrap().is_empty());
    assert_eq!(store.meta("anything").await.unwrap(), None);
}

#[wasm_bindgen_test]
async fn a_version_1_database_is_upgraded_in_place_keeping_its_rows() {
    use indexed_db_futures::{
        KeyPath, database::Database, prelude::*, transaction::TransactionMode,
    };
    let name = format!("upgrade-{}", js_sys::Math::random());
    // What the first release created: rows and meta, no outbox.
    let v1 = Database::open(name.as_str())
        .with_version(1u32)
        .with_on_upgrade_needed(|_, db| {
            db.create_object_store("rows")
                .with_key_path(KeyPath::One("key"))
                .build()?;
            db.create_object_store("meta").build()?;
            Ok(())
        })
        .await
        .unwrap();
    let tx = v1
        .transaction("meta")
        .with_mode(TransactionMode::Readwrite)
        .build()
        .unwrap();
    let meta = tx.object_store("meta").unwrap();
    meta.put("7".to_owned())
        .with_key("cursor".to_owned())
        .primitive()
        .unwrap();
    tx.commit().await.unwrap();
    v1.close();

    let store = IdbStore::open(&name).await.unwrap();
    assert_eq!(store.meta("cursor").await.unwrap().as_deref(), Some("7"));
    assert_eq!(
        store
            .enqueue("registration.request", "{}".into(), 1, None)
            .await
            .unwrap(),
        1
    );
}
