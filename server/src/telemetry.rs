//! Logging: one subscriber for the process; a line for every server error with its method and
//! path; at debug level, a span per request carrying the matched route.

use axum::{extract::MatchedPath, http::Request, response::Response};
use std::{
    future::Future,
    pin::Pin,
    task::{Context, Poll},
};
use tower_http::{
    classify::{ServerErrorsAsFailures, SharedClassifier},
    trace::TraceLayer,
};
use tracing::Span;
use tracing_subscriber::{EnvFilter, fmt, prelude::*};

/// Turns a handler's panic into the one JSON error shape (500 `internal`) and logs it: the
/// caller gets an answer instead of a closed connection, and the process and its other
/// requests go on (the server's release build unwinds).
pub fn catch_panics()
-> tower_http::catch_panic::CatchPanicLayer<fn(Box<dyn std::any::Any + Send + 'static>) -> Response>
{
    tower_http::catch_panic::CatchPanicLayer::custom(panic_response)
}

fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic with no message".to_owned());
    tracing::error!(panic = %what, "a request panicked");
    crate::error::error_response(
        domain::ErrorCode::Internal,
        "something went wrong on the server",
    )
}

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
///
/// At debug level (`RUST_LOG=info,server=debug`): a span per request cost every request an
/// eighth of its CPU in the enrollment rush (the registry's bookkeeping and the fields
/// formatted for every request, though at info nothing inside a request logs unless it fails).
/// Failures are logged with their method and path by [`LogServerErrors`] at any level.
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
        tracing::debug_span!(
            "request",
            method = %request.method(),
            path = %request.uri().path(),
            route,
        )
    })
}

/// Logs every answer with a 5xx status, with its method, path and time taken (the error
/// itself is logged where it is turned into the answer, `error::ApiError`). A plain tower layer:
/// axum's `from_fn` boxes the rest of the stack for every request, which cost as much as the
/// span it replaces.
#[derive(Clone, Copy, Default)]
pub struct LogServerErrors;

impl<S> tower::Layer<S> for LogServerErrors {
    type Service = LogServerErrorsService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        LogServerErrorsService(inner)
    }
}

/// The service of [`LogServerErrors`].
#[derive(Clone)]
pub struct LogServerErrorsService<S>(S);

impl<S, B> tower::Service<Request<B>> for LogServerErrorsService<S>
where
    S: tower::Service<Request<B>, Response = Response>,
{
    type Response = Response;
    type Error = S::Error;
    type Future = Logged<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        Logged {
            method: request.method().clone(),
            uri: request.uri().clone(),
            started: std::time::Instant::now(),
            inner: Box::pin(self.0.call(request)),
        }
    }
}

/// The future of [`LogServerErrorsService`].
pub struct Logged<F> {
    method: axum::http::Method,
    uri: axum::http::Uri,
    started: std::time::Instant,
    inner: Pin<Box<F>>,
}

impl<F, E> Future for Logged<F>
where
    F: Future<Output = Result<Response, E>>,
{
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let out = std::task::ready!(this.inner.as_mut().poll(cx));
        if let Ok(response) = &out
            && response.status().is_server_error()
        {
            tracing::error!(
                method = %this.method,
                path = this.uri.path(),
                status = response.status().as_u16(),
                ms = this.started.elapsed().as_millis() as u64,
                "server error"
            );
        }
        Poll::Ready(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::{Router, http::StatusCode, routing::post};
    use std::sync::{Arc, Mutex};
    use tower::ServiceExt;

    /// Log output captured for one test.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[tokio::test(flavor = "current_thread")]
    async fn server_errors_are_logged_with_their_method_and_path_and_nothing_else_is() {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .with_max_level(tracing::Level::INFO)
            .finish();
        let _guard = tracing::subscriber::set_default(subscriber);
        let app = Router::new()
            .route(
                "/boom",
                post(|| async { StatusCode::INTERNAL_SERVER_ERROR }),
            )
            .route("/fine", post(|| async { StatusCode::OK }))
            .layer(LogServerErrors)
            .layer(trace_layer());
        for path in ["/fine", "/boom?x=1"] {
            let request = Request::post(path).body(axum::body::Body::empty()).unwrap();
            app.clone().oneshot(request).await.unwrap();
        }
        let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
        let lines: Vec<&str> = log.lines().filter(|l| l.contains("server error")).collect();
        assert_eq!(lines.len(), 1, "{log}");
        assert!(lines[0].contains("ERROR"), "{log}");
        assert!(lines[0].contains("method=POST"), "{log}");
        assert!(lines[0].contains("path=\"/boom\""), "{log}");
        assert!(lines[0].contains("status=500"), "{log}");
        assert!(!log.contains("/fine"), "{log}");
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_panicking_handler_answers_500_json_and_is_logged() {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .with_max_level(tracing::Level::INFO)
            .finish();
        let _guard = tracing::subscriber::set_default(subscriber);
        let app = Router::new()
            .route(
                "/boom",
                post(|| async {
                    if std::hint::black_box(true) {
                        panic!("no year to format");
                    }
                    "unreachable"
                }),
            )
            .layer(catch_panics());
        let request = Request::post("/boom")
            .body(axum::body::Body::empty())
            .unwrap();
        let response = app.oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(response.into_body(), 4096)
            .await
            .unwrap();
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body["error"], "internal");
        let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
        assert!(log.contains("a request panicked"), "{log}");
        assert!(log.contains("no year to format"), "{log}");
    }
}
