//! The recompute a results page does in the browser: `domain::draw::verify` on a published
//! draw of one course, in wasm32 in headless Chromium. Run by the benchmark command (`cargo
//! test -p bench --target wasm32-unknown-unknown --release --test verify_draw -- --nocapture
//! verify_draw_full`); prints one `BENCH_VERIFY {json}` line.
//!
//! The page gets the draw as JSON; reading it (`serde_json::from_str`) is timed apart from the
//! recompute. The draw is made in the page before the clock starts (`PublishedDraw::new`, as the
//! server does), then verified once unmeasured (a warm-up), then timed over several runs; the
//! median is reported. Every run must find the draw correct.
#![cfg(target_arch = "wasm32")]

#[path = "../src/draw_data.rs"]
#[allow(dead_code)]
mod draw_data;

use domain::draw::{PublishedDraw, verify};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance)]
    fn now() -> f64;
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

fn measure(applications: usize, runs: usize) {
    let page = draw_data::published(7, applications);
    let text = serde_json::to_string(&page).unwrap();
    // Warm-up: the first call compiles and touches what the others reuse.
    let read: PublishedDraw = serde_json::from_str(&text).unwrap();
    assert_eq!(verify(&read), Ok(()));
    let (mut parse, mut recompute) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let start = now();
        let read: PublishedDraw = serde_json::from_str(&text).unwrap();
        parse.push(now() - start);
        let start = now();
        let verdict = verify(&read);
        recompute.push(now() - start);
        assert_eq!(verdict, Ok(()));
        assert_eq!(read.order.len(), applications);
    }
    // A draw changed anywhere is caught: the recompute is not a no-op.
    let mut wrong = page;
    wrong.order.swap(applications / 3, applications / 2);
    assert!(verify(&wrong).is_err());
    let result = serde_json::json!({
        "applications": applications,
        "verify_ms": median(&recompute),
        "runs": recompute,
        "json_bytes": text.len(),
        "parse_ms": median(&parse),
    });
    console_log!("BENCH_VERIFY {result}");
}

#[wasm_bindgen_test]
fn verify_draw_full() {
    measure(10_000, 7);
}

#[wasm_bindgen_test]
fn verify_draw_quick() {
    measure(1_000, 3);
}
