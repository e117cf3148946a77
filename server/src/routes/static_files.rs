//! The built client: hashed assets cached forever, the shell revalidated on every load, and
//! `index.html` for any path the client router owns: the staff build's (`staff/index.html`)
//! for its screens (`domain::bundle`), the main build's for every other path. API-like paths
//! the API router did not match (`//api/…`, `/API/…`) get its JSON 404 instead, and a missing
//! file (a path with an extension, such as `/favicon.ico`, or under a dot folder, such as
//! `/.well-known/…`) a plain-text 404: crawlers, browsers and tools asking for a file must not
//! be handed the app's page as if it were that file. No client route has either.

use super::first_page::FirstPage;
use crate::error::error_response;
use axum::{
    extract::Request,
    http::{HeaderValue, Method, StatusCode, header},
    response::{IntoResponse, Response},
};
use domain::{
    ErrorCode,
    bundle::{Bundle, STAFF_DIR, bundle_for_path},
};
use std::{convert::Infallible, path::Path};
use tower::{ServiceExt, service_fn};
use tower_http::services::{ServeDir, ServeFile};

/// `Cache-Control` for files whose name carries a content hash (Trunk's `name-<hex>.ext`).
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// `Cache-Control` for everything else: always revalidate (ETag / Last-Modified make it cheap).
pub const REVALIDATE: &str = "no-cache";

/// A service that serves `dir`, falling back to `dir/index.html` for any path outside `/api`
/// ([`is_api_path`])
/// (`dir/staff/index.html` for the staff screens, when that build is there). With `first`, a
/// `GET` of the main build's page is answered drawn ([`FirstPage`]).
pub fn service(
    dir: &Path,
    first: Option<FirstPage>,
) -> impl tower::Service<Request, Response = Response, Error = Infallible, Future = impl Send + 'static>
+ Clone
+ Send
+ Sync
+ 'static {
    // The build's `FILE.br` and `FILE.gz` (app/build/precompress.mjs), at the strongest levels,
    // when the browser accepts them; the compression layer leaves an encoded answer alone.
    let files = ServeDir::new(dir)
        .append_index_html_on_directories(true)
        .precompressed_br()
        .precompressed_gzip();
    let page =
        |path: std::path::PathBuf| ServeFile::new(path).precompressed_br().precompressed_gzip();
    let serve = files.clone().fallback(page(dir.join("index.html")));
    let staff_index = dir.join(STAFF_DIR).join("index.html");
    let staff = staff_index.is_file().then(|| page(staff_index));
    service_fn(move |request: Request| {
        let files = files.clone();
        let serve = serve.clone();
        let staff = staff.clone();
        let first = first.clone();
        async move {
            let path = request.uri().path();
            // Whatever the API router did not match must not become the client's index.html,
            // however the path spells `/api`.
            if is_api_path(path) {
                return Ok(error_response(ErrorCode::NotFound, "no such API route"));
            }
            let hashed = is_hashed_asset(path);
            let mut response = if is_file_path(path) {
                let found = files.oneshot(request).await?;
                if found.status() == StatusCode::NOT_FOUND {
                    (StatusCode::NOT_FOUND, "Not found\n").into_response()
                } else {
                    found.map(axum::body::Body::new)
                }
            } else {
                match (staff, first) {
                    (Some(staff), _) if bundle_for_path(path) == Bundle::Staff => {
                        staff.oneshot(request).await?.map(axum::body::Body::new)
                    }
                    (_, Some(first))
                        if request.method() == Method::GET
                            && bundle_for_path(path) == Bundle::Main =>
                    {
                        let at = request
                            .uri()
                            .path_and_query()
                            .map_or(path, |p| p.as_str())
                            .to_owned();
                        match first.page(&at).await {
                            Some(page) => page,
                            None => serve.oneshot(request).await?.map(axum::body::Body::new),
                        }
                    }
                    _ => serve.oneshot(request).await?.map(axum::body::Body::new),
                }
            };
            let is_html = response
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("text/html"));
            let policy = if hashed && !is_html && response.status().is_success() {
                IMMUTABLE
            } else {
                REVALIDATE
            };
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
            Ok(response)
        }
    })
}

/// Whether `path` is the API's or looks like it: `api` as the first segment in any case and
/// after any number of slashes (`/api`, `/api/…`, `//api/…`, `/API/…`). Clients that reach the
/// API by such a spelling get the API's answers and headers, never the client's `index.html`.
pub fn is_api_path(path: &str) -> bool {
    let rest = path.trim_start_matches('/').as_bytes();
    rest.len() >= 3
        && rest[..3].eq_ignore_ascii_case(b"api")
        && (rest.len() == 3 || rest[3] == b'/')
}

/// Whether `path` names a file rather than a client route: its last segment has an extension
/// (`/robots.txt`, `/favicon.ico`, `/app-….js`) or a segment starts with a dot
/// (`/.well-known/security.txt`). Client routes have neither: their segments are words and ids
/// of letters, digits and dashes.
pub fn is_file_path(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or("");
    path.split('/').any(|s| s.starts_with('.'))
        || last
            .rsplit_once('.')
            .is_some_and(|(stem, ext)| !stem.is_empty() && !ext.is_empty())
}

/// Whether the last path segment looks like `name-0123456789abcdef.ext` or
/// `name-0123456789abcdef_bg.wasm`. Trunk prints its 64-bit hash without zero padding, so a
/// hash may be a little shorter than 16 digits.
pub fn is_hashed_asset(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or("");
    let stem = file.split('.').next().unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        (12..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

#[cfg(test)]
mod tests {
    use super::{is_api_path, is_file_path, is_hashed_asset};

    #[test]
    fn files_are_told_from_client_routes() {
        for path in [
            "/robots.txt",
            "/favicon.ico",
            "/app-0123456789abcdef.js",
            "/staff/staff-0123456789abcdef_bg.wasm",
            "/.well-known/security.txt",
            "/.well-known/",
            "/.env",
            "/snippets/app-1/src/scanner.js",
        ] {
            assert!(is_file_path(path), "{path}");
        }
        for path in [
            "/",
            "",
            "/courses",
            "/o/act-river-patrol",
            "/me/hours/2026/certificate",
            "/venue/act-1/sheet",
            "/staff/",
            "/admin/report/2026",
        ] {
            assert!(!is_file_path(path), "{path}");
        }
    }

    #[test]
    fn recognises_trunk_hashed_names() {
        assert!(is_hashed_asset("/app-1a2b3c4d5e6f7a8b.js"));
        assert!(is_hashed_asset("/app-1a2b3c4d5e6f7a8b_bg.wasm"));
        assert!(is_hashed_asset("/style-00112233aabbccdd.css"));
        assert!(!is_hashed_asset("/sw.js"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/manifest.webmanifest"));
        assert!(!is_hashed_asset("/icon-192.png"));
        assert!(is_hashed_asset("/app-1a2b3c4d5e6f7a8_bg.wasm"));
        assert!(!is_hashed_asset("/activities/act-1"));
        assert!(!is_hashed_asset("/activities/act-river-patrol"));
    }

    #[test]
    fn api_paths_are_recognised_in_any_case_after_any_slashes() {
        for path in [
            "/api",
            "/api/",
            "/api/v1/catalogue",
            "//api/v1/catalogue",
            "///api",
            "/API/v1/x",
            "/Api",
            "/aPi/",
        ] {
            assert!(is_api_path(path), "{path}");
        }
        for path in [
            "/",
            "",
            "/apiary",
            "/ap",
            "/app-0123456789abcdef.js",
            "/x/api",
        ] {
            assert!(!is_api_path(path), "{path}");
        }
    }
}
