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
