//! Transport: API-like paths.

use domain::{ErrorBody, ErrorCode};
use reqwest::StatusCode;
use tests::TestServer;

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
        let body: ErrorBody = r.json().await.expect("the JSON error shape");
        assert_eq!(body.error, ErrorCode::NotFound, "{path}");
        assert!(!body.message.is_empty(), "{path}");
    }
    // A client path that merely starts with the letters is still the client's.
    let r = server.http.get(server.url("/apiary")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("<div id=app>"));
}
