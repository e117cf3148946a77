//! The HTTP client for the server's JSON API.

use domain::{Catalogue, ErrorBody};

/// Why a request did not give an answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// No connection (or the server could not be reached at all).
    #[error("offline or unreachable: {0}")]
    Network(String),
    /// The server answered with its error shape.
    #[error("{}", .0.message)]
    Server(ErrorBody),
    /// The server answered something this build does not understand.
    #[error("unexpected answer: {0}")]
    Decode(String),
}

/// An absolute URL for an API path. reqwest in wasm refuses relative URLs, so the page's
/// origin is put in front.
pub fn url(path: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        let origin = web_sys::window()
            .and_then(|w| w.location().origin().ok())
            .unwrap_or_default();
        format!("{origin}{path}")
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        format!("http://127.0.0.1:8080{path}")
    }
}

async fn get_json<T: serde::de::DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let response = reqwest::Client::new()
        .get(url(path))
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    let status = response.status();
    let bytes = response
        .bytes()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    if !status.is_success() {
        return Err(match serde_json::from_slice::<ErrorBody>(&bytes) {
            Ok(body) => ApiError::Server(body),
            Err(_) => ApiError::Decode(format!("HTTP {status}")),
        });
    }
    serde_json::from_slice(&bytes).map_err(|e| ApiError::Decode(e.to_string()))
}

/// The public catalogue.
pub async fn catalogue() -> Result<Catalogue, ApiError> {
    get_json("/api/v1/catalogue").await
}
