//! The headers every answer carries, whatever produced it: a handler, an extractor's
//! rejection, a fallback or the static files.
//!
//! `/api` answers hold personal data and session tokens, so no cache may keep them
//! (`no-store`). No answer may be framed by another site (clickjacking), or read by a browser
//! as another type than the one it declares. A script policy is not set here: the wasm client
//! needs one of its own.
//!
//! Requests hyper cannot parse (a malformed request line, headers over its limit) are answered
//! by hyper itself, with an empty body, and never reach this layer.

use super::is_api_path;
use axum::{
    extract::Request,
    http::{HeaderMap, HeaderValue, header},
    response::Response,
};
use std::{
    future::Future,
    pin::Pin,
    task::{Context, Poll},
};

/// The policy for pages and files: the browsers' current default, stated so that older
/// browsers send other sites no more than our origin (not the path, which names activities).
static PAGE_REFERRER: HeaderValue = HeaderValue::from_static("strict-origin-when-cross-origin");
/// The policy for the API: its answers are never pages whose links anyone follows, so the
/// strictest policy costs nothing and covers an API address opened in a tab or redirected.
static API_REFERRER: HeaderValue = HeaderValue::from_static("no-referrer");
static NO_STORE: HeaderValue = HeaderValue::from_static("no-store");
static NOSNIFF: HeaderValue = HeaderValue::from_static("nosniff");
/// Only the framing part of a content security policy, for now (see the module's comment).
static FRAME_ANCESTORS: HeaderValue = HeaderValue::from_static("frame-ancestors 'none'");
/// `frame-ancestors` for browsers that predate it.
static DENY: HeaderValue = HeaderValue::from_static("DENY");

// Statics, cloned per answer: a static `HeaderValue`'s clone copies a pointer and a length.
fn common(headers: &mut HeaderMap, referrer: &HeaderValue) {
    headers.reserve(5);
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, NOSNIFF.clone());
    headers.insert(header::REFERRER_POLICY, referrer.clone());
    headers.insert(header::CONTENT_SECURITY_POLICY, FRAME_ANCESTORS.clone());
    headers.insert(header::X_FRAME_OPTIONS, DENY.clone());
}

/// Sets the headers of an `/api` answer; the static files' JSON 404 for API-like paths
/// comes through here too.
fn api(headers: &mut HeaderMap) {
    common(headers, &API_REFERRER);
    headers.insert(header::CACHE_CONTROL, NO_STORE.clone());
}

/// Sets the headers of any other answer; its `Cache-Control` is the static files' own.
fn page(headers: &mut HeaderMap) {
    common(headers, &PAGE_REFERRER);
}

/// The layer that sets them (`Router::layer`, outermost, so it covers every route and fallback).
#[derive(Clone, Copy, Default)]
pub struct SecurityHeaders;

impl<S> tower::Layer<S> for SecurityHeaders {
    type Service = SecurityHeadersService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        SecurityHeadersService(inner)
    }
}

/// The service of [`SecurityHeaders`].
#[derive(Clone)]
pub struct SecurityHeadersService<S>(S);

impl<S> tower::Service<Request> for SecurityHeadersService<S>
where
    S: tower::Service<Request, Response = Response>,
    S::Future: Unpin,
{
    type Response = Response;
    type Error = S::Error;
    type Future = WithHeaders<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let set = if is_api_path(request.uri().path()) {
            api
        } else {
            page
        };
        WithHeaders {
            inner: self.0.call(request),
            set,
        }
    }
}

/// The future of [`SecurityHeadersService`]. Its inner future must be `Unpin` (axum's route
/// futures are: they box the handler's), which spares both a pin projection and boxing it.
pub struct WithHeaders<F> {
    inner: F,
    set: fn(&mut HeaderMap),
}

impl<F, E> Future for WithHeaders<F>
where
    F: Future<Output = Result<Response, E>> + Unpin,
{
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let mut out = std::task::ready!(Pin::new(&mut this.inner).poll(cx));
        if let Ok(response) = &mut out {
            (this.set)(response.headers_mut());
        }
        Poll::Ready(out)
    }
}
