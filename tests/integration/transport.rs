//! Transport: the headers every answer carries, API-like paths.

use domain::{ErrorBody, ErrorCode};
use reqwest::{StatusCode, header};
use tests::{Options, TestServer};

/// Asserts the headers every answer carries, with `referrer` as its referrer policy.
fn check_common_headers(r: &reqwest::Response, referrer: &str, what: &str) {
    let h = r.headers();
    assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{what}");
    assert_eq!(h[header::REFERRER_POLICY], referrer, "{what}");
    assert_eq!(
        h[header::CONTENT_SECURITY_POLICY],
        "frame-ancestors 'none'",
        "{what}"
    );
    assert_eq!(h[header::X_FRAME_OPTIONS], "DENY", "{what}");
}

fn check_api_headers(r: &reqwest::Response, what: &str) {
    check_common_headers(r, "no-referrer", what);
    assert_eq!(r.headers()[header::CACHE_CONTROL], "no-store", "{what}");
}

#[tokio::test]
async fn every_api_answer_is_never_stored_or_framed_errors_included() {
    let server = TestServer::spawn_with(Options {
        demo: true,
        ..Options::default()
    })
    .await;
    let auth = server.login("13900000003", tests::DEMO_PASSWORD).await;

    let r = server.get("/api/v1/catalogue", None).await;
    assert_eq!(r.status(), StatusCode::OK);
    check_api_headers(&r, "a public answer");

    let r = server.get("/api/v1/me", Some(&auth.token)).await;
    assert_eq!(r.status(), StatusCode::OK);
    check_api_headers(&r, "a personal answer");

    let r = server.get("/api/v1/me", None).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    check_api_headers(&r, "a 401");

    let r = server.get("/api/v1/admin/users", Some(&auth.token)).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    check_api_headers(&r, "a 403");

    let r = server.get("/api/v1/nope", None).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    check_api_headers(&r, "a 404");

    let r = server
        .http
        .delete(server.url("/api/v1/catalogue"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    check_api_headers(&r, "a 405");

    let r = server
        .post(
            "/api/v1/auth/login",
            None,
            &serde_json::json!({ "phone": "13900000003", "password": "wrong-password" }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    check_api_headers(&r, "a failed sign-in");
}

#[tokio::test]
async fn static_files_and_health_are_never_framed_and_keep_their_cache_policy() {
    let server = TestServer::spawn().await;
    for (path, cache) in [
        (
            "/app-0123456789abcdef.js",
            Some("public, max-age=31536000, immutable"),
        ),
        ("/index.html", Some("no-cache")),
        ("/", Some("no-cache")),
        ("/venue", Some("no-cache")),
        ("/healthz", None),
    ] {
        let r = server.http.get(server.url(path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        check_common_headers(&r, "strict-origin-when-cross-origin", path);
        if let Some(cache) = cache {
            assert_eq!(r.headers()[header::CACHE_CONTROL], cache, "{path}");
        }
    }
}

#[tokio::test]
async fn api_paths_spelled_with_extra_slashes_or_capitals_get_the_json_404() {
    let server = TestServer::spawn().await;
    for path in [
        "//api/v1/catalogue",
        "///api",
        "/API/v1/x",
        "/Api",
        "/aPi/",
        "/API/v1/catalogue",
    ] {
        let r = server.http.get(server.url(path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
        check_api_headers(&r, path);
        let body: ErrorBody = r.json().await.expect("the JSON error shape");
        assert_eq!(body.error, ErrorCode::NotFound, "{path}");
        assert!(!body.message.is_empty(), "{path}");
    }
    // A client path that merely starts with the letters is still the client's.
    let r = server.http.get(server.url("/apiary")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("<div id=app>"));
}
