//! Transport: the headers every answer carries, API-like paths, slow and idle connections.

use domain::{ErrorBody, ErrorCode};
use reqwest::{StatusCode, header};
use std::time::Duration;
use tests::{Options, TestServer};
use tokio::{
    io::{AsyncRead, AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
    time::{Instant, timeout},
};

/// Asserts the headers every answer carries, with `referrer` as its referrer policy.
fn check_common_headers(r: &reqwest::Response, referrer: &str, what: &str) {
    let h = r.headers();
    assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{what}");
    assert_eq!(h[header::REFERRER_POLICY], referrer, "{what}");
    assert_eq!(h[header::X_FRAME_OPTIONS], "DENY", "{what}");
    let permissions = h["permissions-policy"].to_str().unwrap();
    for feature in [
        "camera=(self)",
        "microphone=()",
        "geolocation=()",
        "payment=()",
    ] {
        assert!(permissions.contains(feature), "{what}: {permissions}");
    }
    assert_eq!(h["cross-origin-opener-policy"], "same-origin", "{what}");
    assert!(
        csp(r).contains("frame-ancestors 'none'"),
        "{what}: {}",
        csp(r)
    );
}

fn csp(r: &reqwest::Response) -> &str {
    r.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
}

fn check_api_headers(r: &reqwest::Response, what: &str) {
    check_common_headers(r, "no-referrer", what);
    assert_eq!(r.headers()[header::CACHE_CONTROL], "no-store", "{what}");
    assert_eq!(
        csp(r),
        "default-src 'none'; frame-ancestors 'none'",
        "{what}"
    );
}

/// Asserts the headers of a page or file: the client's strict policy.
fn check_page_headers(r: &reqwest::Response, what: &str) {
    check_common_headers(r, "strict-origin-when-cross-origin", what);
    let policy = csp(r);
    for directive in [
        "default-src 'none'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ] {
        assert!(
            policy.split("; ").any(|d| d == directive),
            "{what}: {directive} in {policy}"
        );
    }
    let scripts = policy
        .split("; ")
        .find(|d| d.starts_with("script-src "))
        .unwrap_or_else(|| panic!("{what}: a script-src in {policy}"));
    assert!(
        scripts.starts_with("script-src 'self' "),
        "{what}: {scripts}"
    );
    assert!(
        scripts.ends_with(" 'wasm-unsafe-eval'"),
        "{what}: {scripts}"
    );
    assert!(!policy.contains("unsafe-inline"), "{what}: {policy}");
    assert!(!policy.contains(" 'unsafe-eval'"), "{what}: {policy}");
}

/// The `'sha256-…'` source of each inline `<script>` in `html` (the fake client's are
/// `<script type="module">…</script>`, as Trunk writes them).
fn inline_script_hashes(html: &str) -> Vec<String> {
    use base64::Engine;
    use sha2::Digest;
    html.split("<script type=\"module\">")
        .skip(1)
        .map(|rest| {
            let text = &rest[..rest.find("</script>").expect("a closed script")];
            let digest = sha2::Sha256::digest(text.as_bytes());
            format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect()
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

    let r = server.get("/api/v1/openapi.json", None).await;
    assert_eq!(r.status(), StatusCode::OK);
    check_api_headers(&r, "the API's description");
    assert_eq!(r.headers()[header::CONTENT_TYPE], "application/json");
    let described: serde_json::Value = r.json().await.unwrap();
    assert!(
        described["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1.")),
        "{}",
        described["openapi"]
    );
    let operations: usize = described["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|item| item.as_object().unwrap().len())
        .sum();
    assert_eq!(operations, server::routes::api_table().len());

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
        ("/robots.txt", Some("no-cache")),
        ("/sw.js", Some("no-cache")),
        ("/healthz", None),
    ] {
        let r = server.http.get(server.url(path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        check_page_headers(&r, path);
        if let Some(cache) = cache {
            assert_eq!(r.headers()[header::CACHE_CONTROL], cache, "{path}");
        }
    }
}

#[tokio::test]
async fn a_missing_file_is_a_404_with_the_page_headers() {
    let server = TestServer::spawn().await;
    for path in ["/app-aaaaaaaaaaaaaaaa.js", "/.well-known/security.txt"] {
        let r = server.http.get(server.url(path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
        check_page_headers(&r, path);
    }
}

#[tokio::test]
async fn the_page_policy_allows_each_builds_inline_loader_by_its_hash_and_no_other_script() {
    let server = TestServer::spawn().await;
    let mut hashes = Vec::new();
    for path in ["/", "/venue"] {
        let r = server.http.get(server.url(path)).send().await.unwrap();
        let html = r.text().await.unwrap();
        let found = inline_script_hashes(&html);
        assert_eq!(found.len(), 1, "{path}: one inline loader in {html}");
        hashes.extend(found);
    }
    assert_ne!(hashes[0], hashes[1], "each build loads its own files");
    for path in ["/", "/venue", "/courses", "/app-0123456789abcdef.js"] {
        let r = server.http.get(server.url(path)).send().await.unwrap();
        let policy = csp(&r);
        let scripts = policy
            .split("; ")
            .find(|d| d.starts_with("script-src "))
            .unwrap();
        assert_eq!(
            scripts,
            format!(
                "script-src 'self' {} {} 'wasm-unsafe-eval'",
                hashes[0], hashes[1]
            ),
            "{path}"
        );
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

/// How long a test waits for the server to close a connection before calling it held open.
const PATIENCE: Duration = Duration::from_secs(5);

async fn spawn_with_a_one_second_header_timeout() -> TestServer {
    TestServer::spawn_with(Options {
        header_timeout_secs: Some(1),
        ..Options::default()
    })
    .await
}

/// Waits until the server closes the connection (an end of stream or a reset; whatever it
/// sends before is ignored) and says after how long since `since`, or `None` if it is still
/// open after [`PATIENCE`].
async fn closed_after(reader: &mut (impl AsyncRead + Unpin), since: Instant) -> Option<Duration> {
    let mut buf = [0u8; 1024];
    let closed = timeout(PATIENCE, async {
        loop {
            match reader.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    })
    .await;
    closed.ok().map(|()| since.elapsed())
}

/// Reads one answer with a `Content-Length` and returns its status line.
async fn read_answer(stream: &mut TcpStream) -> String {
    let mut data = Vec::new();
    let mut buf = [0u8; 1024];
    let head_end = loop {
        if let Some(i) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = timeout(PATIENCE, stream.read(&mut buf))
            .await
            .expect("an answer in time")
            .expect("read");
        assert!(n > 0, "closed before answering: {data:?}");
        data.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().unwrap())
        })
        .expect("a content-length");
    while data.len() < head_end + length {
        let n = timeout(PATIENCE, stream.read(&mut buf))
            .await
            .expect("the body in time")
            .expect("read");
        assert!(n > 0, "closed in the body");
        data.extend_from_slice(&buf[..n]);
    }
    head.lines().next().unwrap_or_default().to_owned()
}

const HEALTH_REQUEST: &[u8] = b"GET /healthz HTTP/1.1\r\nHost: qingtuan\r\n\r\n";

#[tokio::test]
async fn a_connection_that_sends_half_a_header_is_closed_after_the_timeout() {
    let server = spawn_with_a_one_second_header_timeout().await;
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    let started = Instant::now();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: qingtuan\r\nX-Slow: ")
        .await
        .unwrap();
    let after = closed_after(&mut stream, started)
        .await
        .expect("the server closed the connection");
    assert!(
        after >= Duration::from_millis(900),
        "closed after {after:?}"
    );
}

#[tokio::test]
async fn a_header_trickled_a_byte_at_a_time_is_cut_off_at_the_timeout() {
    let server = spawn_with_a_one_second_header_timeout().await;
    let stream = TcpStream::connect(server.addr).await.unwrap();
    let started = Instant::now();
    let (mut reader, mut writer) = stream.into_split();
    // Every byte arrives well within any per-read timeout; the header as a whole never does.
    let trickle = tokio::spawn(async move {
        let _ = writer
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: qingtuan\r\nX-Slow: ")
            .await;
        while writer.write_all(b"a").await.is_ok() {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    let after = closed_after(&mut reader, started).await;
    trickle.abort();
    let after = after.expect("the server closed the connection");
    assert!(
        after >= Duration::from_millis(900),
        "closed after {after:?}"
    );
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_and_a_busy_one_is_kept() {
    let server = spawn_with_a_one_second_header_timeout().await;
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    // Three requests 600 ms apart: the connection outlives the timeout while it is used.
    for i in 0..3 {
        if i > 0 {
            tokio::time::sleep(Duration::from_millis(600)).await;
        }
        stream.write_all(HEALTH_REQUEST).await.unwrap();
        let status = read_answer(&mut stream).await;
        assert!(status.contains(" 200 "), "request {i}: {status}");
    }
    let answered = Instant::now();
    let after = closed_after(&mut stream, answered)
        .await
        .expect("the server closed the idle connection");
    assert!(
        after >= Duration::from_millis(900),
        "closed after {after:?}"
    );
}

#[tokio::test]
async fn a_request_in_flight_when_the_server_stops_is_still_answered() {
    let mut server = TestServer::spawn().await;
    let body = br#"{"phone":"13900000003","password":"wrong-password-1"}"#;
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    let head = format!(
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: qingtuan\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&body[..10]).await.unwrap();
    // The handler is now waiting for the rest of the body.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let client = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        stream.write_all(&body[10..]).await.unwrap();
        read_answer(&mut stream).await
    };
    let ((), status) = tokio::join!(server.stop_and_wait(), client);
    assert!(status.contains(" 401 "), "{status}");
}

#[tokio::test]
async fn sign_in_limits_count_each_client_address_apart() {
    let server = TestServer::spawn_with(Options {
        login_limit_addr: Some(2),
        ..Options::default()
    })
    .await;
    let from = |ip: [u8; 4]| {
        reqwest::Client::builder()
            .local_address(std::net::IpAddr::from(ip))
            .build()
            .unwrap()
    };
    let attempt = |client: reqwest::Client| {
        let url = server.url("/api/v1/auth/login");
        async move {
            client
                .post(url)
                .json(&serde_json::json!({ "phone": "13900000003", "password": "wrong-1" }))
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    let first = from([127, 0, 0, 1]);
    for _ in 0..2 {
        assert_eq!(attempt(first.clone()).await, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        attempt(first).await,
        StatusCode::TOO_MANY_REQUESTS,
        "the address's limit is reached"
    );
    // The server tells the clients apart by their address (`ConnectInfo`).
    assert_eq!(
        attempt(from([127, 0, 0, 2])).await,
        StatusCode::UNAUTHORIZED
    );
}

/// Behind a trusted reverse proxy (`--trusted-proxies`) the per-address sign-in limit counts
/// each client by the address the proxy forwards, so one busy address does not lock out the
/// others; from an untrusted peer the same header is ignored.
#[tokio::test]
async fn the_address_limit_counts_the_forwarded_client_behind_a_trusted_proxy_only() {
    let attempt = |server: &TestServer, forwarded: &'static str| {
        let request = server
            .http
            .post(server.url("/api/v1/auth/login"))
            .header("x-forwarded-for", forwarded)
            .json(&serde_json::json!({ "phone": "13900000003", "password": "x-wrong-1" }));
        async move { request.send().await.unwrap().status().as_u16() }
    };
    let limited = |trusted: Vec<std::net::IpAddr>| {
        TestServer::spawn_with(Options {
            demo: true,
            login_limit_addr: Some(2),
            // The account's own limit out of the way: only the address limit is counted.
            login_limit_account: Some(0),
            trusted_proxies: trusted,
            ..Options::default()
        })
    };
    // The test's requests come from 127.0.0.1, trusted here as the proxy.
    let server = limited(vec!["127.0.0.1".parse().unwrap()]).await;
    for _ in 0..2 {
        assert_eq!(attempt(&server, "198.51.100.1").await, 401);
    }
    assert_eq!(attempt(&server, "198.51.100.1").await, 429);
    assert_eq!(
        attempt(&server, "198.51.100.2").await,
        401,
        "another client"
    );
    // A client's forged entry before the proxy's does not move it to a fresh count.
    assert_eq!(attempt(&server, "203.0.113.7, 198.51.100.1").await, 429);

    // Not trusted: every request is 127.0.0.1's, whatever the header says.
    let server = limited(Vec::new()).await;
    for _ in 0..2 {
        assert_eq!(attempt(&server, "198.51.100.1").await, 401);
    }
    assert_eq!(attempt(&server, "198.51.100.2").await, 429);
}
