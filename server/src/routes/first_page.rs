//! The main build's page on a first visit, drawn here by the app's own components
//! (`app::first::prerender`, natively) from the data the API would answer, with that data in
//! the page: the programmes are on screen before the wasm arrives, and the app takes the page
//! over without drawing anything again (see `app::first`).
//!
//! Only the main build's client routes get it, and only for `GET`. A file path (the service
//! worker caches `/index.html` itself) gets the plain page, and so does any failure here: the
//! database unavailable, a render that panicked. The page must never be worse than the plain
//! one.

use super::courses::Results;
use crate::{db, db::pool::Pool};
use app::first::ELEMENT_ID;
use axum::{
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use domain::Catalogue;
use serde::Serialize;
use std::{path::Path, sync::Arc};
use time::OffsetDateTime;

/// What the page carries, as `app::first::FirstData` reads it: the API's answers.
#[derive(Serialize)]
struct First {
    catalogue: Catalogue,
    course_results: Option<CourseResults>,
}

#[derive(Serialize)]
struct CourseResults {
    id: String,
    results: Results,
}

/// The built `index.html`, cut where the drawn page goes (right after `<body>`), and what the
/// data come from.
#[derive(Clone)]
pub struct FirstPage {
    store: Pool,
    template: Arc<(String, String)>,
}

impl FirstPage {
    /// For the main build in `dir`; `None` without one (API only) or if its `index.html` has
    /// no `<body>`.
    pub fn new(dir: &Path, store: Pool) -> Option<Self> {
        let html = std::fs::read_to_string(dir.join("index.html")).ok()?;
        let at = html.find("<body>")? + "<body>".len();
        let (head, tail) = html.split_at(at);
        Some(Self {
            store,
            template: Arc::new((head.to_owned(), tail.to_owned())),
        })
    }

    /// The page at `path_and_query`, drawn; `None` if it could not be (the caller sends the
    /// plain page).
    pub async fn page(&self, path_and_query: &str) -> Option<Response> {
        let data = self.data(path_and_query).await?;
        let json = serde_json::to_string(&data).ok()?;
        let at = path_and_query.to_owned();
        let (json, drawn) = tokio::task::spawn_blocking(move || {
            let drawn = app::first::prerender(&at, &json);
            (json, drawn)
        })
        .await
        .map_err(|e| tracing::error!("drawing the first page panicked: {e}"))
        .ok()?;
        let drawn = drawn
            .map_err(|e| tracing::error!("drawing the first page failed: {e}"))
            .ok()?;
        let (head, tail) = &*self.template;
        let mut html =
            String::with_capacity(head.len() + json.len() + drawn.len() + tail.len() + 80);
        html.push_str(head);
        html.push_str("<script type=\"application/json\" id=\"");
        html.push_str(ELEMENT_ID);
        html.push_str("\">");
        // Inside a script element only `</script` (or `<!--`) could end it early: JSON never
        // needs a raw `<`, so every one is written as its escape.
        html.push_str(&json.replace('<', "\\u003c"));
        html.push_str("</script>");
        html.push_str(&drawn);
        html.push_str(tail);
        let mut response = html.into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        Some(response)
    }

    /// What the page's first render needs: the catalogue, and a course's public results on
    /// its results page and on a lottery course's page.
    async fn data(&self, path_and_query: &str) -> Option<First> {
        let catalogue = db::catalogue::published(&self.store, OffsetDateTime::now_utc())
            .await
            .map_err(|e| tracing::warn!("no first page: the catalogue failed: {e}"))
            .ok()?;
        // The results page's course, or a lottery course's own page (found as the app's
        // router finds them).
        let course = app::first::course_of(path_and_query).filter(|id| {
            path_and_query.starts_with("/courses/")
                || catalogue.offerings.iter().any(|o| {
                    o.id == *id && o.plan.allocation == domain::registration::Allocation::Lottery
                })
        });
        let course_results = match course.as_deref() {
            Some(id) => match super::courses::results_of(&self.store, id).await {
                Ok(Some(results)) => Some(CourseResults {
                    id: id.to_owned(),
                    results,
                }),
                Ok(None) => None,
                Err(e) => {
                    tracing::warn!("no first page: the course's results failed: {e:?}");
                    return None;
                }
            },
            None => None,
        };
        Some(First {
            catalogue,
            course_results,
        })
    }
}
