//! The accept loop: HTTP/1.1 connections served by hyper with a deadline for every request's
//! headers, the client's address for the rate limits, and a graceful shutdown.
//!
//! `axum::serve` takes no settings, and its hyper has no timer, so a client that sent half a
//! header (or nothing, or nothing more after an answer) held its connection open forever. This
//! is that loop with hyper's header timeout switched on.

use axum::{Router, extract::ConnectInfo};
use hyper::{body::Incoming, server::conn::http1};
use hyper_util::rt::{TokioIo, TokioTimer};
use std::{future::Future, pin::pin, time::Duration};
use tokio::{net::TcpListener, sync::watch};
use tower::ServiceExt;

/// Serves `app` on `listener` until `shutdown` completes, then stops accepting, lets every
/// connection finish the request it is in (closing idle ones at once) and returns when all
/// are closed.
///
/// A request's headers must arrive within `header_timeout` of the connection's first read
/// (or, on a kept-alive connection, of the previous answer): hyper starts its timer when it
/// waits for a request's head, so one deadline bounds a slow header and an idle keep-alive
/// alike. A connection that misses it is closed.
pub async fn serve(
    mut listener: TcpListener,
    app: Router,
    header_timeout: Duration,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(header_timeout);

    // Dropping `stop`'s only receiver tells every connection to shut down gracefully; every
    // connection holds a clone of `open`, whose closing tells us the last one has ended.
    let (stop, stop_rx) = watch::channel(());
    tokio::spawn(async move {
        shutdown.await;
        drop(stop_rx);
    });
    let (open, open_rx) = watch::channel(());

    loop {
        let (stream, remote) = tokio::select! {
            // axum's accept retries on its own: at once after a failed handshake, after a
            // second when out of file descriptors.
            accepted = axum::serve::Listener::accept(&mut listener) => accepted,
            () = stop.closed() => break,
        };
        let app = app.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            // What `into_make_service_with_connect_info` did: the peer for `ConnectInfo`.
            request.extensions_mut().insert(ConnectInfo(remote));
            app.clone().oneshot(request)
        });
        let connection = http.serve_connection(TokioIo::new(stream), service);
        let stop = stop.clone();
        let open_rx = open_rx.clone();
        tokio::spawn(async move {
            let mut connection = pin!(connection);
            let mut stopping = pin!(stop.closed());
            let mut shutting_down = false;
            loop {
                tokio::select! {
                    result = connection.as_mut() => {
                        // A missed header deadline, a reset, a malformed request: the
                        // connection is over, and nothing here can be done about it.
                        if let Err(e) = result {
                            tracing::debug!(error = %e, %remote, "connection ended");
                        }
                        break;
                    }
                    () = stopping.as_mut(), if !shutting_down => {
                        connection.as_mut().graceful_shutdown();
                        shutting_down = true;
                    }
                }
            }
            drop(open_rx);
        });
    }

    drop(listener);
    drop(open_rx);
    open.closed().await;
}
