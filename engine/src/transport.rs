//! How the engine reaches the server: a trait, and the HTTP implementation (reqwest: `fetch` in
//! the browser, TCP natively).

use domain::{
    ErrorBody, ErrorCode,
    sync::{PullResponse, PushRequest, PushResponse, SCHEMA_VERSION},
};
use std::{cell::RefCell, rc::Rc};

/// Why a request gave no usable answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// No connection, a timeout, or a server that is down or restarting.
    #[error("network: {0}")]
    Network(String),
    /// The session is gone: sign in again (the outbox is kept).
    #[error("sign in again")]
    Unauthenticated,
    /// The server expects the mutations to continue at `expected`.
    #[error("mutation gap: the server expects {expected}")]
    Gap {
        /// The id the server expects next.
        expected: u64,
    },
    /// This app speaks another protocol version: reload it.
    #[error("the app is out of date")]
    VersionNotSupported,
    /// The device id belongs to another account.
    #[error("forbidden")]
    Forbidden,
    /// Any other error answer.
    #[error("server answered {status}: {message}")]
    Server {
        /// HTTP status.
        status: u16,
        /// Its message.
        message: String,
    },
}

impl TransportError {
    /// Worth retrying later by itself (as opposed to needing the person or a reload).
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Network(_) => true,
            Self::Server { status, .. } => *status >= 500 || *status == 429,
            _ => false,
        }
    }
}

/// The two calls of the sync protocol.
#[allow(async_fn_in_trait)]
pub trait Transport {
    /// `POST /api/v1/sync/push`
    async fn push(&self, request: &PushRequest) -> Result<PushResponse, TransportError>;
    /// `GET /api/v1/sync/pull`
    async fn pull(
        &self,
        client_id: &str,
        cursor: u64,
        limit: u32,
    ) -> Result<PullResponse, TransportError>;
}

/// The HTTP transport. Clones share the token, so signing in again reaches every user of it.
#[derive(Clone)]
pub struct HttpTransport {
    base_url: String,
    token: Rc<RefCell<Option<String>>>,
    http: reqwest::Client,
}

impl HttpTransport {
    /// Talks to the server at `base_url` (`http://host:port`, no trailing slash).
    pub fn new(base_url: impl Into<String>, token: Option<String>) -> Self {
        Self {
            base_url: base_url.into(),
            token: Rc::new(RefCell::new(token)),
            http: reqwest::Client::new(),
        }
    }

    /// Replaces the session token (after signing in again).
    pub fn set_token(&self, token: Option<String>) {
        *self.token.borrow_mut() = token;
    }

    fn authorize(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match self.token.borrow().as_deref() {
            Some(t) => request.bearer_auth(t),
            None => request,
        }
    }

    async fn send<T: serde::de::DeserializeOwned>(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<T, TransportError> {
        let (status, bytes) = self.fetch(request).await?;
        serde_json::from_slice(&bytes).map_err(|e| TransportError::Server {
            status,
            message: format!("unreadable answer: {e}"),
        })
    }

    /// Sends a request; the status and body of a successful answer. Not generic over the
    /// answer's type, so push and pull share one copy of reqwest's request handling.
    async fn fetch(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<(u16, Vec<u8>), TransportError> {
        let response = self
            .authorize(request)
            .send()
            .await
            .map_err(|e| TransportError::Network(e.to_string()))?;
        let status = response.status().as_u16();
        let bytes = response
            .bytes()
            .await
            .map_err(|e| TransportError::Network(e.to_string()))?;
        if (200..300).contains(&status) {
            // Without a copy when the buffer is not shared (`From<Bytes> for Vec<u8>`).
            return Ok((status, bytes.into()));
        }
        let body: Option<ErrorBody> = serde_json::from_slice(&bytes).ok();
        Err(match body {
            Some(b) => match b.error {
                ErrorCode::Unauthenticated => TransportError::Unauthenticated,
                ErrorCode::MutationGap => TransportError::Gap {
                    expected: b.expected.unwrap_or(1),
                },
                ErrorCode::VersionNotSupported => TransportError::VersionNotSupported,
                ErrorCode::Forbidden => TransportError::Forbidden,
                _ => TransportError::Server {
                    status,
                    message: b.message,
                },
            },
            // Not our error shape: a proxy or a server that is starting or stopping.
            None if status >= 500 => TransportError::Network(format!("HTTP {status}")),
            None => TransportError::Server {
                status,
                message: String::from_utf8_lossy(&bytes).chars().take(200).collect(),
            },
        })
    }
}

impl Transport for HttpTransport {
    async fn push(&self, request: &PushRequest) -> Result<PushResponse, TransportError> {
        let url = format!("{}/api/v1/sync/push", self.base_url);
        self.send(self.http.post(url).json(request)).await
    }

    async fn pull(
        &self,
        client_id: &str,
        cursor: u64,
        limit: u32,
    ) -> Result<PullResponse, TransportError> {
        let url = format!(
            "{}/api/v1/sync/pull?schema_version={SCHEMA_VERSION}&client_id={client_id}&cursor={cursor}&limit={limit}",
            self.base_url
        );
        self.send(self.http.get(url)).await
    }
}
