//! A fault-injecting HTTP proxy between the real client engine and the real server: it drops
//! requests, drops responses after the server has acted on them, sends requests twice, and
//! delays them, at rates the test sets. Deterministic for a given seed.

use axum::{body::Bytes, extract::State, http::StatusCode, response::IntoResponse};
use std::sync::{
    Arc, Mutex,
    atomic::{AtomicU64, Ordering},
};
use tokio::net::TcpListener;

/// How often each fault happens (probabilities in [0, 1]).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Faults {
    /// The request never reaches the server.
    pub drop_request: f64,
    /// The server handles the request; the answer is lost.
    pub drop_response: f64,
    /// The server gets the request twice.
    pub duplicate: f64,
    /// Up to this many milliseconds of delay before forwarding.
    pub max_delay_ms: u64,
}

/// What the proxy did, for the test to check it really injected faults.
#[derive(Debug, Default)]
pub struct Counts {
    /// Requests seen.
    pub requests: AtomicU64,
    /// Requests dropped before the server.
    pub dropped_requests: AtomicU64,
    /// Answers dropped after the server.
    pub dropped_responses: AtomicU64,
    /// Requests sent twice.
    pub duplicated: AtomicU64,
    /// Requests that found the server down.
    pub upstream_down: AtomicU64,
}

struct Shared {
    /// Where requests go: each request (and each copy of a duplicated one) to one of them,
    /// chosen at random, as a reverse proxy spreads requests over replicas.
    upstreams: Mutex<Vec<String>>,
    faults: Mutex<Faults>,
    rng: Mutex<u64>,
    counts: Counts,
    http: reqwest::Client,
}

/// A running proxy.
pub struct FaultProxy {
    /// `http://127.0.0.1:PORT`
    pub url: String,
    shared: Arc<Shared>,
}

impl FaultProxy {
    /// Starts a proxy in front of `upstream` with no faults.
    pub async fn start(upstream: &str, seed: u64) -> Self {
        let shared = Arc::new(Shared {
            upstreams: Mutex::new(vec![upstream.to_owned()]),
            faults: Mutex::new(Faults::default()),
            rng: Mutex::new(seed.max(1)),
            counts: Counts::default(),
            http: reqwest::Client::builder()
                .pool_max_idle_per_host(0)
                .build()
                .expect("client"),
        });
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let app = axum::Router::new()
            .fallback(forward)
            .with_state(shared.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { url, shared }
    }

    /// Sets the fault rates.
    pub fn set_faults(&self, faults: Faults) {
        *self.shared.faults.lock().expect("lock") = faults;
    }

    /// Points the proxy at a (restarted) server.
    pub fn set_upstream(&self, upstream: &str) {
        self.set_upstreams(&[upstream]);
    }

    /// Spreads requests over several servers (replicas on one database) from now on.
    pub fn set_upstreams(&self, upstreams: &[&str]) {
        assert!(!upstreams.is_empty(), "at least one upstream");
        *self.shared.upstreams.lock().expect("lock") =
            upstreams.iter().map(|u| (*u).to_owned()).collect();
    }

    /// What the proxy did so far.
    pub fn counts(&self) -> &Counts {
        &self.shared.counts
    }
}

impl Shared {
    /// xorshift64*: a uniform number in [0, 1).
    fn roll(&self) -> f64 {
        let mut s = self.rng.lock().expect("lock");
        *s ^= *s >> 12;
        *s ^= *s << 25;
        *s ^= *s >> 27;
        let x = s.wrapping_mul(0x2545_F491_4F6C_DD1D);
        (x >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn lost() -> axum::response::Response {
    // Not the API's error shape: to the client this looks like a broken connection.
    (StatusCode::BAD_GATEWAY, "connection lost").into_response()
}

async fn forward(
    State(shared): State<Arc<Shared>>,
    request: axum::extract::Request,
) -> axum::response::Response {
    shared.counts.requests.fetch_add(1, Ordering::Relaxed);
    let faults = *shared.faults.lock().expect("lock");
    let (parts, body) = request.into_parts();
    let Ok(body) = axum::body::to_bytes(body, 64 * 1024 * 1024).await else {
        return lost();
    };
    if faults.max_delay_ms > 0 {
        let ms = (shared.roll() * faults.max_delay_ms as f64) as u64;
        tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
    }
    if shared.roll() < faults.drop_request {
        shared
            .counts
            .dropped_requests
            .fetch_add(1, Ordering::Relaxed);
        return lost();
    }
    let times = if shared.roll() < faults.duplicate {
        shared.counts.duplicated.fetch_add(1, Ordering::Relaxed);
        2
    } else {
        1
    };
    let mut answer = None;
    for _ in 0..times {
        answer = Some(send(&shared, &parts, body.clone()).await);
    }
    let Some(Ok((status, content_type, bytes))) = answer else {
        shared.counts.upstream_down.fetch_add(1, Ordering::Relaxed);
        return lost();
    };
    if shared.roll() < faults.drop_response {
        shared
            .counts
            .dropped_responses
            .fetch_add(1, Ordering::Relaxed);
        return lost();
    }
    let mut response = (
        StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY),
        bytes,
    )
        .into_response();
    if let Some(ct) = content_type {
        response
            .headers_mut()
            .insert(axum::http::header::CONTENT_TYPE, ct);
    }
    response
}

async fn send(
    shared: &Shared,
    parts: &axum::http::request::Parts,
    body: Bytes,
) -> Result<(u16, Option<axum::http::HeaderValue>, Bytes), reqwest::Error> {
    let upstream = {
        let upstreams = shared.upstreams.lock().expect("lock").clone();
        // One upstream draws nothing: a seed's faults stay what they were.
        let pick = if upstreams.len() > 1 {
            (shared.roll() * upstreams.len() as f64) as usize
        } else {
            0
        };
        upstreams[pick.min(upstreams.len() - 1)].clone()
    };
    let url = format!(
        "{upstream}{}",
        parts.uri.path_and_query().map_or("/", |p| p.as_str())
    );
    let mut request = shared.http.request(parts.method.clone(), url).body(body);
    for name in [
        axum::http::header::AUTHORIZATION,
        axum::http::header::CONTENT_TYPE,
    ] {
        if let Some(v) = parts.headers.get(&name) {
            request = request.header(name, v.clone());
        }
    }
    let response = request.send().await?;
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .cloned();
    let bytes = response.bytes().await?;
    Ok((status, content_type, bytes))
}
