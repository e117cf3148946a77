//! IndexedDB through our store (`engine::store::idb::IdbStore::replace_kind`) against Dexie.js
//! `bulkPut`, in the same page of headless Chromium, writing the same roster rows. Run by the
//! benchmark command (`cargo test -p bench --target wasm32-unknown-unknown --release --test
//! idb_vs_dexie -- --nocapture idb_vs_dexie_full`); prints one `BENCH_IDB {json}` line.
//!
//! Dexie is imported from its npm package's ES module build, which `npm ci` in `web/` copies to
//! `web/dexie.js` (the test runner serves `.mjs` files as `application/octet-stream`, which
//! browsers refuse to run as modules); wasm-bindgen copies it beside the test as a snippet.
//!
//! Fair by construction: each side gets its input in its natural form before the clock starts
//! (our store: `Vec<Row>`; Dexie: an array of plain objects of the same shape and contents as
//! the store keeps: `{key, kind, id, json}`), writes into a fresh, empty database opened
//! before the clock starts, and stops the clock when its transaction has committed (Dexie's
//! implicit transaction resolves after `complete`; `replace_kind` awaits the commit). Neither
//! asks for a durability mode, so both get the browser's default. Runs alternate which goes
//! first, after one unmeasured warm-up each, and the medians are reported. A third contender,
//! the same objects put by hand in one transaction with no library, shows the floor; a fourth,
//! only each row's JSON text under an out-of-line key, shows what a leaner record would save;
//! a fifth, 500 rows' texts to a record, what fewer records would.
#![cfg(target_arch = "wasm32")]

use engine::store::{Row, Store, idb::IdbStore};
use js_sys::{Array, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(module = "/web/dexie.js")]
extern "C" {
    /// The `Dexie` class (a named export of the ES module).
    type Dexie;
    #[wasm_bindgen(constructor)]
    fn new(name: &str) -> Dexie;
    #[wasm_bindgen(method)]
    fn version(this: &Dexie, number: f64) -> DexieVersion;
    #[wasm_bindgen(method)]
    fn open(this: &Dexie) -> Promise;
    #[wasm_bindgen(method)]
    fn table(this: &Dexie, name: &str) -> DexieTable;
    #[wasm_bindgen(method)]
    fn close(this: &Dexie);
    /// The native `IDBDatabase` under Dexie.
    #[wasm_bindgen(method, js_name = backendDB)]
    fn backend_db(this: &Dexie) -> JsValue;
}

// The floor: the same objects put by hand into the same kind of store, one transaction, no
// library. (`inline_js` snippets are `.js` files, which the runner serves as JavaScript.)
#[wasm_bindgen(inline_js = r#"
export function rawPut(idb, objects) {
  return new Promise((resolve, reject) => {
    const tx = idb.transaction("rows", "readwrite");
    const store = tx.objectStore("rows");
    for (const o of objects) store.put(o);
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}
export function rawPutText(idb, keys, texts) {
  return new Promise((resolve, reject) => {
    const tx = idb.transaction("text", "readwrite");
    const store = tx.objectStore("text");
    for (let i = 0; i < keys.length; i++) store.put(texts[i], keys[i]);
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = rawPut)]
    fn raw_put(idb: &JsValue, objects: &Array) -> Promise;
    #[wasm_bindgen(js_name = rawPutText)]
    fn raw_put_text(idb: &JsValue, keys: &Array, texts: &Array) -> Promise;
}

#[wasm_bindgen]
extern "C" {
    /// What `db.version(n)` returns.
    type DexieVersion;
    #[wasm_bindgen(method)]
    fn stores(this: &DexieVersion, schema: &Object) -> DexieVersion;

    /// A Dexie table.
    type DexieTable;
    #[wasm_bindgen(method, js_name = bulkPut)]
    fn bulk_put(this: &DexieTable, items: &Array) -> Promise;
    #[wasm_bindgen(method)]
    fn count(this: &DexieTable) -> Promise;

    #[wasm_bindgen(js_namespace = performance)]
    fn now() -> f64;
    #[wasm_bindgen(js_namespace = indexedDB, js_name = deleteDatabase)]
    fn delete_database(name: &str) -> JsValue;
}

/// Roster entries as the server sends them (`server/src/sync/pull.rs`), about 200 bytes each.
fn roster_rows(n: usize) -> Vec<Row> {
    (0..n)
        .map(|i| {
            let id = format!("{i:08x}-7c1e-4b2a-9d3f-{:012x}", i * 7919);
            let json = serde_json::json!({
                "registration_id": id,
                "offering_id": "bench-roster",
                "display_name": format!("名单青年{i:05}"),
                "phone": format!("136****{:04}", i % 10_000),
                "phone_last4": format!("{:04}", i % 10_000),
                "status": "confirmed",
            })
            .to_string();
            Row {
                kind: "roster_entry".into(),
                id,
                json,
            }
        })
        .collect()
}

/// The same rows as the plain objects the store keeps.
fn as_objects(rows: &[Row]) -> Array {
    let out = Array::new();
    for r in rows {
        let o = Object::new();
        for (k, v) in [
            ("key", format!("{}/{}", r.kind, r.id)),
            ("kind", r.kind.clone()),
            ("id", r.id.clone()),
            ("json", r.json.clone()),
        ] {
            Reflect::set(&o, &k.into(), &v.into()).unwrap();
        }
        out.push(&o);
    }
    out
}

fn unique(name: &str) -> String {
    format!("bench-{name}-{}", js_sys::Math::random())
}

/// Deletes a database and waits until it is gone, so the next run starts on a quiet disk.
async fn drop_database(name: &str) {
    let request = delete_database(name);
    let done = Promise::new(&mut |resolve, _reject| {
        for event in ["onsuccess", "onerror", "onblocked"] {
            Reflect::set(&request, &event.into(), &resolve).unwrap();
        }
    });
    JsFuture::from(done).await.unwrap();
}

async fn time_store(rows: Vec<Row>) -> f64 {
    let n = rows.len();
    let name = unique("store");
    let store = IdbStore::open(&name).await.unwrap();
    let start = now();
    store.replace_kind("roster_entry", rows).await.unwrap();
    let ms = now() - start;
    assert_eq!(store.rows("roster_entry").await.unwrap().len(), n);
    store.close();
    drop_database(&name).await;
    ms
}

/// A fresh Dexie database with one table `rows` keyed by `key`, open.
async fn open_dexie(name: &str) -> Dexie {
    let db = Dexie::new(name);
    let schema = Object::new();
    Reflect::set(&schema, &"rows".into(), &"key".into()).unwrap();
    // Out-of-line keys: the value is the row's JSON text alone.
    Reflect::set(&schema, &"text".into(), &"".into()).unwrap();
    db.version(1.0).stores(&schema);
    JsFuture::from(db.open()).await.unwrap();
    db
}

/// How the objects go in.
#[derive(Clone, Copy, PartialEq)]
enum Way {
    /// Dexie's `bulkPut`.
    Dexie,
    /// By hand, the same objects, one transaction.
    Raw,
    /// By hand, only each row's JSON text under its key (out-of-line keys).
    RawText,
    /// By hand, the rows' JSON texts 500 to a record (a JSON array), out-of-line keys.
    RawChunks,
}

/// Rows per record for [`Way::RawChunks`].
const CHUNK: usize = 500;

async fn time_dexie(objects: &Array, way: Way) -> f64 {
    let name = unique("dexie");
    let db = open_dexie(&name).await;
    let (keys, texts) = (Array::new(), Array::new());
    if way == Way::RawText {
        for o in objects.iter() {
            keys.push(&Reflect::get(&o, &"key".into()).unwrap());
            texts.push(&Reflect::get(&o, &"json".into()).unwrap());
        }
    }
    if way == Way::RawChunks {
        let all: Vec<String> = objects
            .iter()
            .map(|o| {
                Reflect::get(&o, &"json".into())
                    .unwrap()
                    .as_string()
                    .unwrap()
            })
            .collect();
        for (i, chunk) in all.chunks(CHUNK).enumerate() {
            keys.push(&format!("roster_entry#{i:05}").into());
            texts.push(&format!("[{}]", chunk.join(",")).into());
        }
    }
    let start = now();
    let done = match way {
        Way::Dexie => db.table("rows").bulk_put(objects),
        Way::Raw => raw_put(&db.backend_db(), objects),
        Way::RawText | Way::RawChunks => raw_put_text(&db.backend_db(), &keys, &texts),
    };
    JsFuture::from(done).await.unwrap();
    let ms = now() - start;
    let (table, records) = match way {
        Way::Dexie | Way::Raw => ("rows", objects.length()),
        Way::RawText | Way::RawChunks => ("text", keys.length()),
    };
    let count = JsFuture::from(db.table(table).count()).await.unwrap();
    assert_eq!(count.as_f64(), Some(f64::from(records)));
    db.close();
    drop_database(&name).await;
    ms
}

fn median(xs: &[f64]) -> f64 {
    let mut s = xs.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    }
}

async fn compare(n: usize, runs: usize) {
    let rows = roster_rows(n);
    let objects = as_objects(&rows);
    // Warm-up: compiled code and Dexie's first-use setup, not measured.
    let warm = roster_rows(500);
    time_store(warm.clone()).await;
    for way in [Way::Dexie, Way::Raw, Way::RawText, Way::RawChunks] {
        time_dexie(&as_objects(&warm), way).await;
    }

    let (mut ours, mut dexie, mut raw, mut text, mut chunks) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for run in 0..runs {
        // Rotate who goes first: a later run may find a warmer (or busier) disk.
        for turn in 0..5 {
            match (run + turn) % 5 {
                0 => ours.push(time_store(rows.clone()).await),
                1 => dexie.push(time_dexie(&objects, Way::Dexie).await),
                2 => raw.push(time_dexie(&objects, Way::Raw).await),
                3 => text.push(time_dexie(&objects, Way::RawText).await),
                _ => chunks.push(time_dexie(&objects, Way::RawChunks).await),
            }
        }
    }
    let navigator = Reflect::get(&js_sys::global(), &"navigator".into()).unwrap();
    let user_agent = Reflect::get(&navigator, &"userAgent".into())
        .unwrap()
        .as_string()
        .unwrap_or_default();
    let result = serde_json::json!({
        "rows": n,
        "idb_ms": median(&ours),
        "dexie_ms": median(&dexie),
        "idb_runs": ours,
        "dexie_runs": dexie,
        "raw_ms": median(&raw),
        "raw_runs": raw,
        "raw_text_ms": median(&text),
        "raw_text_runs": text,
        "raw_chunks_ms": median(&chunks),
        "raw_chunks_runs": chunks,
        "user_agent": user_agent,
    });
    console_log!("BENCH_IDB {result}");
}

#[wasm_bindgen_test]
async fn idb_vs_dexie_full() {
    compare(10_000, 7).await;
}

#[wasm_bindgen_test]
async fn idb_vs_dexie_quick() {
    compare(1_000, 1).await;
}
