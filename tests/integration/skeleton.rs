//! The skeleton: health, static serving, the API's error shape, migrations and demo data.

use domain::{Catalogue, ErrorBody, ErrorCode, OfferingKind};
use reqwest::{StatusCode, header};
use tests::{Options, TestServer};

async fn check_error(response: reqwest::Response, status: StatusCode, code: ErrorCode) {
    assert_eq!(response.status(), status);
    let content_type = response.headers()[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    let body: ErrorBody = response.json().await.expect("the JSON error shape");
    assert_eq!(body.error, code);
    assert!(!body.message.is_empty());
}

fn cache_control(response: &reqwest::Response) -> &str {
    response.headers()[header::CACHE_CONTROL].to_str().unwrap()
}

#[tokio::test]
async fn health_answers_ok() {
    let server = TestServer::spawn().await;
    let r = server
        .http
        .get(server.url("/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["status"], "ok");
}

#[tokio::test]
async fn client_routes_get_index_html() {
    let server = TestServer::spawn().await;
    for path in ["/", "/courses", "/me/hours", "/o/venue", "/administer"] {
        let r = server.http.get(server.url(path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert_eq!(cache_control(&r), "no-cache", "{path}");
        let text = r.text().await.unwrap();
        assert!(text.contains("<div id=app>"), "{path}: {text}");
    }
}

#[tokio::test]
async fn staff_screens_get_the_staff_builds_index_html() {
    let server = TestServer::spawn().await;
    for path in ["/venue", "/venue/act-1", "/admin", "/admin/reviews?x=1"] {
        let r = server.http.get(server.url(path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert_eq!(cache_control(&r), "no-cache", "{path}");
        let text = r.text().await.unwrap();
        assert!(text.contains("<div id=staff>"), "{path}: {text}");
    }
    let r = server
        .http
        .get(server.url("/staff/staff-0123456789abcdef.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(cache_control(&r), "public, max-age=31536000, immutable");
}

#[tokio::test]
async fn hashed_assets_are_immutable_and_the_shell_revalidates() {
    let server = TestServer::spawn().await;
    for (path, expected) in [
        (
            "/app-0123456789abcdef.js",
            "public, max-age=31536000, immutable",
        ),
        (
            "/app-0123456789abcdef_bg.wasm",
            "public, max-age=31536000, immutable",
        ),
        (
            "/style-fedcba9876543210.css",
            "public, max-age=31536000, immutable",
        ),
        ("/index.html", "no-cache"),
        ("/sw.js", "no-cache"),
        ("/manifest.webmanifest", "no-cache"),
        ("/icon-192.png", "no-cache"),
    ] {
        let r = server.http.get(server.url(path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert_eq!(cache_control(&r), expected, "{path}");
    }
    let r = server
        .http
        .get(server.url("/app-0123456789abcdef_bg.wasm"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()[header::CONTENT_TYPE], "application/wasm");
}

#[tokio::test]
async fn a_missing_hashed_asset_is_never_cached_forever() {
    let server = TestServer::spawn().await;
    let r = server
        .http
        .get(server.url("/app-aaaaaaaaaaaaaaaa.js"))
        .send()
        .await
        .unwrap();
    assert_ne!(cache_control(&r), "public, max-age=31536000, immutable");
}

#[tokio::test]
async fn robots_txt_is_itself_in_plain_text_and_keeps_crawlers_off_the_api_and_staff_screens() {
    let server = TestServer::spawn().await;
    let r = server
        .http
        .get(server.url("/robots.txt"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let content_type = r.headers()[header::CONTENT_TYPE].to_str().unwrap();
    assert!(content_type.starts_with("text/plain"), "{content_type}");
    let text = r.text().await.unwrap();
    assert!(text.contains("User-agent: *"), "{text}");
    for rule in [
        "Disallow: /api/",
        "Disallow: /admin",
        "Disallow: /venue",
        "Disallow: /staff/",
    ] {
        assert!(text.lines().any(|l| l == rule), "{rule} in {text}");
    }
    // 我的 is crawlable (Lighthouse's SEO audit on it): its page is the public shell, and
    // nothing personal is ever in the HTML.
    assert!(
        !text.lines().any(|l| l.starts_with("Disallow: /me")),
        "{text}"
    );
}

#[tokio::test]
async fn a_missing_file_is_a_plain_404_never_the_apps_page() {
    let server = TestServer::spawn().await;
    for path in [
        "/app-aaaaaaaaaaaaaaaa.js",
        "/favicon.ico",
        "/sitemap.xml",
        "/.well-known/security.txt",
        "/.well-known/assetlinks.json",
        "/.env",
        "/staff/missing.js",
        "/o/act-1/picture.png",
    ] {
        let r = server.http.get(server.url(path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
        let content_type = r.headers()[header::CONTENT_TYPE].to_str().unwrap();
        assert!(
            content_type.starts_with("text/plain"),
            "{path}: {content_type}"
        );
        let text = r.text().await.unwrap();
        assert!(!text.contains("<div id="), "{path}: {text}");
    }
}

#[tokio::test]
async fn unknown_api_paths_get_a_json_404() {
    let server = TestServer::spawn().await;
    for path in [
        "/api",
        "/api/",
        "/api/v1/nope",
        "/api/v9/catalogue",
        "/api/v1/catalogue/x",
    ] {
        let r = server.http.get(server.url(path)).send().await.unwrap();
        check_error(r, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    }
    let r = server
        .http
        .delete(server.url("/api/v1/nope"))
        .send()
        .await
        .unwrap();
    check_error(r, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
}

#[tokio::test]
async fn a_wrong_method_gets_a_json_405() {
    let server = TestServer::spawn().await;
    let r = server
        .http
        .delete(server.url("/api/v1/catalogue"))
        .send()
        .await
        .unwrap();
    check_error(
        r,
        StatusCode::METHOD_NOT_ALLOWED,
        ErrorCode::MethodNotAllowed,
    )
    .await;
}

#[tokio::test]
async fn an_oversized_body_gets_a_json_413() {
    let server = TestServer::spawn_with(Options {
        body_limit: Some(1024),
        ..Options::default()
    })
    .await;
    let r = server
        .http
        .post(server.url("/api/v1/catalogue"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(vec![b' '; 4096])
        .send()
        .await
        .unwrap();
    check_error(r, StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::PayloadTooLarge).await;
    // The server is still fine afterwards.
    let r = server
        .http
        .get(server.url("/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn responses_are_compressed_when_asked() {
    let server = TestServer::spawn_with(Options {
        demo: true,
        ..Options::default()
    })
    .await;
    let r = server
        .http
        .get(server.url("/api/v1/catalogue"))
        .header(header::ACCEPT_ENCODING, "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()[header::CONTENT_ENCODING], "gzip");
}

#[tokio::test]
async fn an_empty_database_is_migrated_and_serves_an_empty_catalogue() {
    let server = TestServer::spawn().await;
    let catalogue: Catalogue = server
        .http
        .get(server.url("/api/v1/catalogue"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(catalogue.offerings.is_empty());
    assert!(catalogue.venues.is_empty());
}

async fn count(server: &TestServer, table: &str) -> i64 {
    let pool = server.store().await;
    let n = pool
        .fetch_one(
            &format!("SELECT COUNT(*) FROM {table}"),
            server::db::pool::args![],
            |r| r.get(0),
        )
        .await
        .unwrap();
    pool.close().await;
    n
}

#[tokio::test]
async fn the_demo_data_is_created_once_not_twice() {
    let demo = Options {
        demo: true,
        ..Options::default()
    };
    let server = TestServer::spawn_with(demo.clone()).await;
    let first = (
        count(&server, "users").await,
        count(&server, "offerings").await,
        count(&server, "venues").await,
    );
    // The demo accounts, and the young people of the demo's past months.
    assert_eq!(
        first.0,
        i64::try_from(server::demo::DEMO_ACCOUNTS.len() + server::demo::HISTORY_PEOPLE).unwrap()
    );
    assert!(first.1 >= 14, "{first:?}");
    assert!(first.2 >= 4, "{first:?}");

    // An existing database: migrations run again (as no-ops) and the demo is not added twice.
    let server = server.restart(demo).await;
    let second = (
        count(&server, "users").await,
        count(&server, "offerings").await,
        count(&server, "venues").await,
    );
    assert_eq!(first, second);
    assert_eq!(
        count(&server, "_sqlx_migrations").await,
        count_migrations(server.is_postgres())
    );
}

/// The migrations of the database's kind: `server/migrations` or `server/migrations-pg`.
fn count_migrations(postgres: bool) -> i64 {
    let dir = if postgres {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../server/migrations-pg")
    } else {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../server/migrations")
    };
    std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "sql")
        })
        .count() as i64
}

#[tokio::test]
async fn the_demo_catalogue_has_every_kind_with_venues() {
    let server = TestServer::spawn_with(Options {
        demo: true,
        ..Options::default()
    })
    .await;
    let catalogue: Catalogue = server
        .http
        .get(server.url("/api/v1/catalogue"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for kind in OfferingKind::ALL {
        assert!(
            catalogue.offerings.iter().any(|o| o.kind() == kind),
            "{kind:?}"
        );
    }
    for o in &catalogue.offerings {
        assert!(
            catalogue.venues.iter().any(|v| v.id == o.plan.venue_id),
            "{}",
            o.id
        );
        assert!(o.starts_at() < o.ends_at());
    }
    let starts: Vec<_> = catalogue.offerings.iter().map(|o| o.starts_at()).collect();
    assert!(starts.is_sorted(), "soonest first");
}

#[tokio::test]
async fn an_unreachable_postgres_is_a_clear_error_without_the_password() {
    let dir = tempfile::tempdir().unwrap();
    // A port nobody listens on: the connection is refused before anything else is said.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let config = server::Config::for_tests(
        format!("postgres://u:secret@127.0.0.1:{port}/qt"),
        dir.path().into(),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let err = server::launch(config, listener, async {})
        .await
        .unwrap_err();
    let shown = format!("{err:#}");
    assert!(
        shown.contains(&format!(
            "cannot connect to PostgreSQL at 127.0.0.1:{port}, database qt"
        )),
        "{shown}"
    );
    assert!(!shown.contains("secret"), "{shown}");
}

/// The build writes `FILE.br` and `FILE.gz` beside its files at the strongest levels
/// (app/build/precompress.mjs): a browser that accepts one gets it as it is, with the file's
/// own type and caching, and a client that accepts neither gets the file itself. Each stand-in
/// here holds bytes no compressor would write, so the answer shows which file was sent.
#[tokio::test]
async fn precompressed_files_are_sent_to_browsers_that_accept_them() {
    let server = TestServer::spawn().await;
    let dir = server.dir().join("static");
    for (file, body) in [
        ("app-0123456789abcdef_bg.wasm.br", "wasm as brotli"),
        ("app-0123456789abcdef_bg.wasm.gz", "wasm as gzip"),
        ("index.html.br", "page as brotli"),
        ("index.html.gz", "page as gzip"),
    ] {
        std::fs::write(dir.join(file), body).unwrap();
    }
    let get = |path: &'static str, accept: &'static str| {
        let request = server.http.get(server.url(path));
        let request = if accept.is_empty() {
            request
        } else {
            request.header(header::ACCEPT_ENCODING, accept)
        };
        request.send()
    };
    for (path, accept, encoding, body) in [
        (
            "/app-0123456789abcdef_bg.wasm",
            "gzip, deflate, br",
            "br",
            "wasm as brotli",
        ),
        (
            "/app-0123456789abcdef_bg.wasm",
            "gzip, deflate",
            "gzip",
            "wasm as gzip",
        ),
        (
            "/o/act-1",
            "gzip, deflate, br, zstd",
            "br",
            "page as brotli",
        ),
        ("/", "gzip", "gzip", "page as gzip"),
    ] {
        let r = get(path, accept).await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path} {accept}");
        assert_eq!(
            r.headers()[header::CONTENT_ENCODING],
            encoding,
            "{path} {accept}"
        );
        let expected_type = if path.ends_with(".wasm") {
            "application/wasm"
        } else {
            "text/html"
        };
        let content_type = r.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            content_type.starts_with(expected_type),
            "{path}: {content_type}"
        );
        let cache = cache_control(&r).to_owned();
        assert_eq!(
            cache,
            if path.ends_with(".wasm") {
                "public, max-age=31536000, immutable"
            } else {
                "no-cache"
            },
            "{path}"
        );
        assert!(
            r.headers().contains_key(header::CONTENT_SECURITY_POLICY),
            "{path}: the page's headers on a precompressed answer too"
        );
        assert_eq!(r.text().await.unwrap(), body, "{path} {accept}");
    }
    // Accepting neither: the file itself, not encoded.
    let r = get("/app-0123456789abcdef_bg.wasm", "").await.unwrap();
    assert!(!r.headers().contains_key(header::CONTENT_ENCODING));
    assert_eq!(r.bytes().await.unwrap().as_ref(), b"\0asm");
}
