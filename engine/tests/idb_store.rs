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

#[wasm_bindgen_test]
async fn offerings_saved_in_the_flat_shape_open_in_the_programme_shape() {
    use indexed_db_futures::{
        KeyPath, database::Database, prelude::*, transaction::TransactionMode,
    };
    let name = format!("flat-{}", js_sys::Math::random());
    // What a device saved before programme kinds: an offering row in the flat shape.
    let v2 = Database::open(name.as_str())
        .with_version(2u32)
        .with_on_upgrade_needed(|_, db| {
            db.create_object_store("rows")
                .with_key_path(KeyPath::One("key"))
                .build()?;
            db.create_object_store("meta").build()?;
            db.create_object_store("outbox")
                .with_key_path(KeyPath::One("id"))
                .build()?;
            Ok(())
        })
        .await
        .unwrap();
    let flat = serde_json::json!({
        "id": "course-1", "kind": "course", "title": "书法入门", "summary": "", "category": "书法",
        "venue_id": "venue-binjiang", "starts_at": "2026-12-07T19:00:00+08:00",
        "ends_at": "2026-12-07T20:30:00+08:00", "sessions": 4, "capacity": 20, "seats_taken": 2,
        "signup_closes_at": "2026-12-04T20:00:00+08:00", "volunteer_hours": null,
        "status": "published", "allocation": "lottery", "waitlist_len": 0,
    });
    let tx = v2
        .transaction("rows")
        .with_mode(TransactionMode::Readwrite)
        .build()
        .unwrap();
    let rows = tx.object_store("rows").unwrap();
    let stored = js_sys::Object::new();
    for (k, v) in [
        ("key", "offering/course-1".to_owned()),
        ("kind", "offering".to_owned()),
        ("id", "course-1".to_owned()),
        ("json", flat.to_string()),
    ] {
        js_sys::Reflect::set(&stored, &k.into(), &v.into()).unwrap();
    }
    rows.put(stored).primitive().unwrap();
    tx.commit().await.unwrap();
    v2.close();

    let store = IdbStore::open(&name).await.unwrap();
    let rows = store.rows("offering").await.unwrap();
    let o: domain::Offering = rows[0].value().unwrap();
    assert_eq!(o.kind(), domain::OfferingKind::Course);
    assert_eq!(o.plan.programme.course().unwrap().lessons.len(), 4);
    assert_eq!(o.pool(domain::PoolKey::All).unwrap().seats_taken, 2);
    // The step ran once and is marked: opening again changes nothing.
    store.close();
    let again = IdbStore::open(&name).await.unwrap();
    assert_eq!(again.rows("offering").await.unwrap(), rows);
    assert_eq!(
        again.meta("store.data_version").await.unwrap().as_deref(),
        Some("2")
    );
}
