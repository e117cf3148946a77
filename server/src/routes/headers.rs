//! The headers every answer carries, whatever produced it: a handler, an extractor's
//! rejection, a fallback or the static files.
//!
//! `/api` answers hold personal data and session tokens, so no cache may keep them
//! (`no-store`), and they are data, never documents: their content security policy allows
//! nothing at all. No answer may be framed by another site (clickjacking), or read by a browser
//! as another type than the one it declares.
//!
//! Pages and files get the client's policy ([`page_policy`]): scripts only from our origin,
//! plus the one inline loader Trunk writes into each build's `index.html`, allowed by its
//! SHA-256. The hashes are read from the served files when the router is built, so they cannot
//! drift from the build; a client rebuilt under a running server needs a restart.
//!
//! Requests hyper cannot parse (a malformed request line, headers over its limit) are answered
//! by hyper itself, with an empty body, and never reach this layer.

use super::is_api_path;
use axum::{
    extract::Request,
    http::{HeaderMap, HeaderName, HeaderValue, header},
    response::Response,
};
use base64::{Engine, engine::general_purpose::STANDARD};
use domain::bundle::STAFF_DIR;
use sha2::{Digest, Sha256};
use std::{
    future::Future,
    path::Path,
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
/// The API's content security policy: JSON and workbooks run nothing, load nothing, and are
/// never framed.
static API_POLICY: HeaderValue =
    HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'");
/// `frame-ancestors` for browsers that predate it.
static DENY: HeaderValue = HeaderValue::from_static("DENY");
/// The camera for venue mode's QR scanner, to our own pages only (never to a frame, which
/// `frame-ancestors` forbids anyway); the powerful features the app does not use, to nobody.
/// Only features Chromium knows: it warns about an unknown one (`bluetooth`) on every page.
const PERMISSIONS_POLICY: &str = "camera=(self), microphone=(), geolocation=(), \
    payment=(), usb=(), serial=(), hid=(), midi=(), display-capture=(), \
    accelerometer=(), gyroscope=(), magnetometer=(), xr-spatial-tracking=()";
static PERMISSIONS: HeaderValue = HeaderValue::from_static(PERMISSIONS_POLICY);
/// A page opened from ours (or ours opened by another) shares no window with it.
static SAME_ORIGIN: HeaderValue = HeaderValue::from_static("same-origin");

/// The content security policy of the client's pages and files, allowing the inline scripts
/// whose `'sha256-…'` sources are `script_hashes`. Every directive the app needs, and why:
///
/// - `script-src 'self'`, the hashes and `'wasm-unsafe-eval'`: the wasm-bindgen modules and
///   snippets are our files, Trunk's inline loader is allowed by its hash, and compiling
///   WebAssembly needs `'wasm-unsafe-eval'` (it allows no JavaScript `eval`).
/// - `style-src 'self'`: only our stylesheets. The app sets no `style` attribute (the one
///   computed width, the hours bar, goes through the CSSOM, which a policy does not govern), and
///   its SVG (QR codes, charts) is drawn with attributes, not styles.
/// - `img-src 'self'`: the icons. QR codes and charts are inline SVG, not images; downloads
///   through `blob:` links are navigations, which `img-src` and `connect-src` do not govern.
/// - `connect-src 'self'`: the API and the service worker's fetches; `worker-src 'self'`: the
///   service worker; `manifest-src 'self'`: the web app manifest.
/// - Everything else is refused (`default-src 'none'`, `object-src 'none'`, `base-uri 'none'`),
///   forms post only here, and no site may frame us. The camera's stream is attached as
///   `srcObject`, which `media-src` does not govern.
pub fn page_policy<S: AsRef<str>>(script_hashes: &[S]) -> String {
    let mut scripts = String::from("'self'");
    for hash in script_hashes {
        scripts.push(' ');
        scripts.push_str(hash.as_ref());
    }
    format!(
        "default-src 'none'; script-src {scripts} 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self'; connect-src 'self'; worker-src 'self'; manifest-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The text of each inline `<script>` (one without `src`) in `html`, exactly as a browser
/// hashes it: everything between the opening tag's `>` and `</script`. Enough for the HTML
/// Trunk writes; not a general HTML parser (a `<script` inside a comment counts too, which
/// only adds a hash).
pub fn inline_scripts(html: &str) -> Vec<&str> {
    let lower = html.to_ascii_lowercase();
    let mut scripts = Vec::new();
    let mut at = 0;
    while let Some(open) = lower[at..].find("<script").map(|i| at + i) {
        let Some(tag_end) = lower[open..].find('>').map(|i| open + i) else {
            break;
        };
        let tag = &lower[open + "<script".len()..tag_end];
        let Some(close) = lower[tag_end..].find("</script").map(|i| tag_end + i) else {
            break;
        };
        let has_src = tag
            .split(|c: char| c.is_ascii_whitespace())
            .any(|attr| attr == "src" || attr.starts_with("src="));
        if !has_src {
            scripts.push(&html[tag_end + 1..close]);
        }
        at = close;
    }
    scripts
}

/// The CSP source expression (`'sha256-…'`) that allows an inline script with `text`.
pub fn script_hash(text: &str) -> String {
    format!(
        "'sha256-{}'",
        STANDARD.encode(Sha256::digest(text.as_bytes()))
    )
}

/// The hashes of the inline scripts of both builds' `index.html` under `dir`, in order,
/// without repeats; none for a build that is not there.
fn client_script_hashes(dir: &Path) -> Vec<String> {
    let mut hashes: Vec<String> = Vec::new();
    for index in [
        dir.join("index.html"),
        dir.join(STAFF_DIR).join("index.html"),
    ] {
        let Ok(html) = std::fs::read_to_string(&index) else {
            continue;
        };
        for hash in inline_scripts(&html).into_iter().map(script_hash) {
            if !hashes.contains(&hash) {
                hashes.push(hash);
            }
        }
    }
    hashes
}

// Statics, cloned per answer: a static `HeaderValue`'s clone copies a pointer and a length,
// the page policy's bumps a reference count.
fn common(headers: &mut HeaderMap, referrer: &HeaderValue, policy: HeaderValue) {
    const CROSS_ORIGIN_OPENER_POLICY: HeaderName =
        HeaderName::from_static("cross-origin-opener-policy");
    const PERMISSIONS_POLICY: HeaderName = HeaderName::from_static("permissions-policy");
    headers.reserve(7);
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, NOSNIFF.clone());
    headers.insert(header::REFERRER_POLICY, referrer.clone());
    headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    headers.insert(header::X_FRAME_OPTIONS, DENY.clone());
    headers.insert(PERMISSIONS_POLICY, PERMISSIONS.clone());
    headers.insert(CROSS_ORIGIN_OPENER_POLICY, SAME_ORIGIN.clone());
}

/// Sets the headers of an `/api` answer; the static files' JSON 404 for API-like paths
/// comes through here too.
fn api(headers: &mut HeaderMap) {
    common(headers, &API_REFERRER, API_POLICY.clone());
    headers.insert(header::CACHE_CONTROL, NO_STORE.clone());
}

/// Sets the headers of any other answer; its `Cache-Control` is the static files' own.
fn page(headers: &mut HeaderMap, policy: HeaderValue) {
    common(headers, &PAGE_REFERRER, policy);
}

/// The layer that sets them (`Router::layer`, outermost, so it covers every route and fallback).
#[derive(Clone)]
pub struct SecurityHeaders {
    page_policy: HeaderValue,
}

impl SecurityHeaders {
    /// The headers for the client built into `dir`: its pages' policy allows the inline
    /// scripts of `dir/index.html` and `dir/staff/index.html`, read now.
    pub fn for_client(dir: &Path) -> Self {
        let hashes = client_script_hashes(dir);
        tracing::debug!(
            ?hashes,
            "inline scripts allowed by the content security policy"
        );
        let page_policy = HeaderValue::try_from(page_policy(&hashes))
            .expect("a policy of ASCII directives and base64 hashes is a valid header value");
        Self { page_policy }
    }
}

impl<S> tower::Layer<S> for SecurityHeaders {
    type Service = SecurityHeadersService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        SecurityHeadersService {
            inner,
            page_policy: self.page_policy.clone(),
        }
    }
}

/// The service of [`SecurityHeaders`].
#[derive(Clone)]
pub struct SecurityHeadersService<S> {
    inner: S,
    page_policy: HeaderValue,
}

impl<S> tower::Service<Request> for SecurityHeadersService<S>
where
    S: tower::Service<Request, Response = Response>,
    S::Future: Unpin,
{
    type Response = Response;
    type Error = S::Error;
    type Future = WithHeaders<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        // `None`: an API answer.
        let page_policy = (!is_api_path(request.uri().path())).then(|| self.page_policy.clone());
        WithHeaders {
            inner: self.inner.call(request),
            page_policy,
        }
    }
}

/// The future of [`SecurityHeadersService`]. Its inner future must be `Unpin` (axum's route
/// futures are: they box the handler's), which spares both a pin projection and boxing it.
pub struct WithHeaders<F> {
    inner: F,
    page_policy: Option<HeaderValue>,
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
            match this.page_policy.take() {
                Some(policy) => page(response.headers_mut(), policy),
                None => api(response.headers_mut()),
            }
        }
        Poll::Ready(out)
    }
}

#[cfg(test)]
mod tests {
    use super::{inline_scripts, page_policy, script_hash};

    #[test]
    fn finds_the_inline_scripts_trunk_writes_and_skips_loaded_ones() {
        let html = "<head><script src=\"/a.js\"></script>\n<SCRIPT type=\"module\">\nimport init \
                    from '/app-1.js';\n</SCRIPT><link rel=modulepreload href=/app-1.js>\
                    <script>one()</script></head>";
        assert_eq!(
            inline_scripts(html),
            ["\nimport init from '/app-1.js';\n", "one()"]
        );
        assert!(inline_scripts("<p>no scripts</p>").is_empty());
        assert!(inline_scripts("<script>unclosed").is_empty());
    }

    #[test]
    fn a_hash_is_the_base64_sha256_of_the_exact_text() {
        // The empty string's SHA-256, as browsers print it in their violation reports.
        assert_eq!(
            script_hash(""),
            "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
        );
    }

    #[test]
    fn the_page_policy_allows_scripts_only_from_here_and_by_hash() {
        let policy = page_policy(&["'sha256-abc='"]);
        assert!(policy.contains("script-src 'self' 'sha256-abc=' 'wasm-unsafe-eval';"));
        assert!(policy.starts_with("default-src 'none';"));
        assert!(!policy.contains("unsafe-inline"));
        assert!(policy.contains("frame-ancestors 'none'"));
    }
}
