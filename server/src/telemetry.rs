//! Logging: one subscriber for the process, one span per request carrying the matched route.

use axum::{extract::MatchedPath, http::Request};
use tower_http::{
    classify::{ServerErrorsAsFailures, SharedClassifier},
    trace::TraceLayer,
};
use tracing::Span;
use tracing_subscriber::{EnvFilter, fmt, prelude::*};

/// Installs the global subscriber; `RUST_LOG` overrides the default `info` level.
pub fn init(json: bool) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let registry = tracing_subscriber::registry().with(filter);
    if json {
        let _ = registry.with(fmt::layer().json()).try_init();
    } else {
        // Colours only on a terminal: a log file or the journal would keep the escape codes
        // (and writing them was a tenth of the cost of every request's span).
        let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout());
        let _ = registry
            .with(fmt::layer().compact().with_ansi(ansi))
            .try_init();
    }
}

/// A span per request: method, path, matched route; the response status and latency on close.
pub fn trace_layer() -> TraceLayer<
    SharedClassifier<ServerErrorsAsFailures>,
    impl Fn(&Request<axum::body::Body>) -> Span + Clone,
> {
    TraceLayer::new_for_http().make_span_with(|request: &Request<axum::body::Body>| {
        let route = request
            .extensions()
            .get::<MatchedPath>()
            .map(MatchedPath::as_str)
            .unwrap_or("");
        tracing::info_span!(
            "request",
            method = %request.method(),
            path = %request.uri().path(),
            route,
        )
    })
}
