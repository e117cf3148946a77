//! The client's offline engine: the device store, the outbox and the sync engine.
//!
//! It knows nothing of the UI. It runs in the browser (IndexedDB, `fetch` through reqwest) and
//! natively (the memory store, reqwest over TCP), so the integration tests drive this very code
//! against a real server.

pub mod backoff;
pub mod store;
pub mod sync;
pub mod transport;
pub mod venue;
pub mod view;

pub use store::{OutboxEntry, PullBatch, Row, Store, StoreError};
pub use sync::{Notice, SyncEngine, SyncError, SyncReport};
pub use transport::{HttpTransport, Transport, TransportError};

/// Parses JSON text, like `serde_json::from_str`, through the same reader as the bytes that
/// come off the network (`serde_json::from_slice`). `from_str` and `from_slice` instantiate
/// serde_json's whole deserializer once per reader type, so a type read both from the device
/// store (text) and from the server (bytes) would otherwise carry two copies of its
/// deserializer in the wasm. The input is valid UTF-8 already; the result is the same.
pub fn from_json<T: serde::de::DeserializeOwned>(s: &str) -> serde_json::Result<T> {
    serde_json::from_slice(s.as_bytes())
}

#[cfg(test)]
mod tests {
    #[test]
    fn from_json_reads_text_like_from_str() {
        let text = r#"{"a":"青年 \u00e9\n","b":[1,2]}"#;
        let ours: serde_json::Value = super::from_json(text).unwrap();
        let theirs: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(ours, theirs);
        assert!(super::from_json::<String>("\"unterminated").is_err());
    }
}
