//! The first visit's page: drawn by the app's components with the data the API would answer,
//! that data in the page, and the plain page wherever the drawn one does not belong.

use app::first::{ELEMENT_ID, FirstData};
use reqwest::{StatusCode, header};
use server::db::pool::args;
use tests::{Options, TestServer};

async fn demo() -> TestServer {
    TestServer::spawn_with(Options {
        demo: true,
        drawn_pages: true,
        ..Options::default()
    })
    .await
}

/// The page at `path`, as a client that accepts no compression gets it.
async fn page(server: &TestServer, path: &str) -> (reqwest::header::HeaderMap, String) {
    let r = server.http.get(server.url(path)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    let headers = r.headers().clone();
    (headers, r.text().await.unwrap())
}

/// The data in a drawn page, as the app reads it.
fn data_of(html: &str) -> Option<FirstData> {
    let open = format!("<script type=\"application/json\" id=\"{ELEMENT_ID}\">");
    let start = html.find(&open)? + open.len();
    let end = start + html[start..].find("</script>")?;
    Some(serde_json::from_str(&html[start..end]).expect("the page's data is JSON the app reads"))
}

async fn api_json(server: &TestServer, path: &str) -> serde_json::Value {
    let r = server.http.get(server.url(path)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    r.json().await.unwrap()
}

#[tokio::test]
async fn the_home_page_comes_drawn_with_the_catalogue_it_was_drawn_from() {
    let server = demo().await;
    let (headers, html) = page(&server, "/").await;
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html"),
    );
    assert_eq!(headers[header::CACHE_CONTROL], "no-cache");
    assert!(
        headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .contains("script-src 'self'"),
        "the page's policy"
    );
    let data = data_of(&html).expect("the page carries its data");
    let catalogue = data.catalogue.expect("the catalogue");
    assert_eq!(
        serde_json::to_value(&catalogue).unwrap(),
        api_json(&server, "/api/v1/catalogue").await,
        "the same catalogue as the API's"
    );
    assert_eq!(data.course_results, None);
    // The list is drawn: every upcoming activity's link, in the page's body.
    let body = &html[html.find("<body>").unwrap()..];
    let activities: Vec<_> = catalogue
        .offerings
        .iter()
        .filter(|o| o.kind() == domain::OfferingKind::Activity)
        .collect();
    assert!(!activities.is_empty());
    for o in activities {
        assert!(
            body.contains(&format!("href=\"/o/{}\"", o.id)),
            "{}: {body}",
            o.id
        );
    }
    assert!(body.contains("<div class=\"shell\">"));
    assert!(!body.contains("data-testid=\"loading\""), "{body}");
    assert!(
        html.trim_end().ends_with("</body></html>"),
        "the rest of the page"
    );
}

#[tokio::test]
async fn a_courses_pages_come_with_its_public_results() {
    let server = demo().await;
    let results = api_json(&server, "/api/v1/courses/course-calligraphy/results").await;
    for path in [
        "/courses/course-calligraphy/results",
        "/o/course-calligraphy",
    ] {
        let (_, html) = page(&server, path).await;
        let data = data_of(&html).expect("the page carries its data");
        let first = data.course_results.expect("the course's results");
        assert_eq!(first.id, "course-calligraphy", "{path}");
        assert_eq!(
            first.results,
            serde_json::from_value(results.clone()).unwrap(),
            "{path}: the API's answer"
        );
    }
    let (_, html) = page(&server, "/courses/course-calligraphy/results").await;
    assert!(html.contains(results["title"].as_str().unwrap()));
    // A course no one has, and an activity: no results with the page.
    for path in ["/courses/no-such-course/results", "/o/no-such", "/courses"] {
        let (_, html) = page(&server, path).await;
        let data = data_of(&html).expect("still the catalogue");
        assert_eq!(data.course_results, None, "{path}");
    }
}

#[tokio::test]
async fn what_anyone_typed_cannot_end_the_pages_data_or_become_markup() {
    let server = demo().await;
    let title = "</script><script>alert(1)</script><!-- <b>x</b>";
    server
        .store()
        .await
        .execute(
            "UPDATE offerings SET title = ?1 WHERE id = 'course-calligraphy'",
            args![title],
        )
        .await
        .unwrap();
    let (_, html) = page(&server, "/courses").await;
    assert_eq!(
        html.matches("<script>").count(),
        0,
        "no script element made of the title"
    );
    assert!(!html.contains("<b>x</b>"));
    let data = data_of(&html).expect("the data ends where it should");
    let titles: Vec<_> = data
        .catalogue
        .unwrap()
        .offerings
        .into_iter()
        .map(|o| o.plan.title)
        .collect();
    assert!(titles.iter().any(|t| t == title), "read back as written");
    assert!(
        html.contains("&lt;/script&gt;&lt;script&gt;"),
        "drawn as text"
    );
}

#[tokio::test]
async fn the_service_workers_copy_the_staff_pages_and_other_methods_get_the_plain_page() {
    let server = demo().await;
    for path in ["/index.html", "/admin", "/venue/x"] {
        let (_, html) = page(&server, path).await;
        assert!(data_of(&html).is_none(), "{path}: {html}");
        assert!(!html.contains("class=\"shell\""), "{path}");
    }
    let r = server.http.head(server.url("/")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = server
        .http
        .get(server.url("/"))
        .header(header::ACCEPT_ENCODING, "br")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()[header::CONTENT_ENCODING], "br", "compressed");
}

#[tokio::test]
async fn when_its_data_cannot_be_read_the_page_is_still_sent_plain() {
    let server = demo().await;
    server
        .store()
        .await
        .execute("ALTER TABLE offerings RENAME TO offerings_gone", args![])
        .await
        .unwrap();
    assert_eq!(
        server.get("/api/v1/catalogue", None).await.status(),
        StatusCode::INTERNAL_SERVER_ERROR
    );
    let (_, html) = page(&server, "/").await;
    assert!(data_of(&html).is_none());
    assert!(html.contains("<body><noscript>"), "{html}");
}
