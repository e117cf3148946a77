//! A server restored from a backup written by `server backup` (`server::backup::backup`, the
//! subcommand's function): devices that synced past the backup reset and end with exactly
//! the restored database's rows, and what was still queued on a device is sent again.

use domain::sync::{CancelArgs, Op, RequestArgs};
use engine::Store;
use server::db::pool::args;
use std::collections::BTreeMap;
use tests::{
    DEMO_PASSWORD, OfferingSpec, Options, TestServer,
    device::{Engine, engine, uuid},
    now_ms,
    proxy::FaultProxy,
};

/// Every kind of row a pull sends (docs/sync-protocol.md).
const KINDS: [&str; 10] = [
    "venue",
    "offering",
    "ticket_key",
    "registration",
    "hours_request",
    "mixer_profile",
    "pick_window",
    "roster_entry",
    "checkin",
    "assignment",
];

/// Every row in a device's base, by kind and id, as JSON text.
async fn base(e: &Engine) -> BTreeMap<(String, String), String> {
    let mut rows = BTreeMap::new();
    for kind in KINDS {
        for row in e.store().rows(kind).await.unwrap() {
            rows.insert((row.kind, row.id), row.json);
        }
    }
    rows
}

/// What a device that has never synced downloads from `server` for `token`: the server's
/// rows, as the server itself sends them.
async fn fresh_download(server: &TestServer, token: &str) -> BTreeMap<(String, String), String> {
    let e = engine(&server.base_url, token);
    e.sync(now_ms()).await.unwrap();
    base(&e).await
}

fn request(offering: &str) -> (String, Op) {
    let id = uuid();
    let op = Op::RegistrationRequest(RequestArgs {
        registration_id: id.clone(),
        offering_id: offering.into(),
        answers: Default::default(),
    });
    (id, op)
}

async fn cursor(e: &Engine) -> i64 {
    let text = e.store().meta(engine::store::keys::CURSOR).await.unwrap();
    text.and_then(|t| t.trim_matches('"').parse().ok())
        .unwrap_or(0)
}

async fn head(server: &TestServer) -> i64 {
    let pool = server.store().await;
    let head = pool
        .fetch_one("SELECT value FROM version_counter", args![], |r| r.get(0))
        .await
        .unwrap();
    pool.close().await;
    head
}

async fn status(server: &TestServer, registration: &str) -> Option<String> {
    let pool = server.store().await;
    let status = pool
        .fetch_optional(
            "SELECT status FROM registrations WHERE id = ?1",
            args![registration],
            |r| r.get(0),
        )
        .await
        .unwrap();
    pool.close().await;
    status
}

#[tokio::test]
async fn a_restore_from_a_backup_resets_the_devices_that_synced_past_it_and_keeps_their_queues() {
    let demo = Options {
        demo: true,
        ..Options::default()
    };
    let server = TestServer::spawn_with(demo.clone()).await;
    server
        .add_offering(&OfferingSpec::seats("restore", 10))
        .await;
    let auth = server.login("13900000003", DEMO_PASSWORD).await;
    // The devices talk to the server through a proxy (with no faults), which stays where it
    // is when the restored server starts on another port.
    let proxy = FaultProxy::start(&server.base_url, 1).await;
    // A device that acts, and two of the same person's devices that only read: one will pull
    // while the restored counter is still behind its cursor, the other once it has passed it.
    let actor = engine(&proxy.url, &auth.token);
    let behind = engine(&proxy.url, &auth.token);
    let passed = engine(&proxy.url, &auth.token);
    let (kept, op) = request("restore");
    actor.enqueue(&op, now_ms(), None).await.unwrap();
    actor.sync(now_ms()).await.unwrap();
    for e in [&behind, &passed] {
        e.sync(now_ms()).await.unwrap();
    }

    // The backup while the server runs: `server backup`'s own function on SQLite, pg_dump on
    // PostgreSQL.
    let written = server.backup().await;

    // After it: a new place, and the kept one cancelled, reach the server and every device.
    let (lost, op) = request("restore");
    actor.enqueue(&op, now_ms(), None).await.unwrap();
    let cancel = Op::RegistrationCancel(CancelArgs {
        registration_id: kept.clone(),
    });
    actor.enqueue(&cancel, now_ms(), None).await.unwrap();
    actor.sync(now_ms()).await.unwrap();
    for e in [&behind, &passed] {
        e.sync(now_ms()).await.unwrap();
        let rows = tests::device::own(e).await;
        assert!(rows.iter().any(|r| r.id == lost));
        assert!(
            rows.iter()
                .any(|r| r.id == kept && r.status.as_str() == "cancelled")
        );
    }
    let synced_to = cursor(&behind).await;
    assert!(
        synced_to > written.version,
        "the devices synced past the backup ({synced_to} > {})",
        written.version
    );
    // And one action still queued on the device, not yet sent.
    let (queued, op) = request("act-river-patrol");
    actor.enqueue(&op, now_ms(), None).await.unwrap();

    // The restore: the server stops, the backup takes the database's place, a server starts.
    let server = server.restore(&written, demo).await;
    proxy.set_upstream(&server.base_url);
    assert_eq!(
        head(&server).await,
        written.version,
        "the counter went back"
    );
    assert_eq!(status(&server, &kept).await.as_deref(), Some("confirmed"));
    assert_eq!(status(&server, &lost).await, None);
    let auth = server.login("13900000003", DEMO_PASSWORD).await;
    for e in [&actor, &behind, &passed] {
        e.transport().set_token(Some(auth.token.clone()));
    }

    // A device whose cursor is ahead of the restored counter resets, and then holds exactly
    // what a new device downloads: the lost place gone, the cancelled one confirmed again.
    let report = behind.sync(now_ms()).await.unwrap();
    assert!(report.reset, "the device ahead of the counter reset");
    assert_eq!(
        base(&behind).await,
        fresh_download(&server, &auth.token).await
    );
    let rows = tests::device::own(&behind).await;
    assert!(!rows.iter().any(|r| r.id == lost));
    assert!(
        rows.iter()
            .any(|r| r.id == kept && r.status.as_str() == "confirmed")
    );

    // The device with a queue: the server no longer knows what it sent, so it re-sends its
    // queue under a new device id and downloads everything again.
    let report = actor.sync(now_ms()).await.unwrap();
    assert!(report.rebased, "the queue was sent again under a new id");
    assert_eq!(actor.pending().await.unwrap(), 0);
    assert_eq!(status(&server, &queued).await.as_deref(), Some("confirmed"));
    assert_eq!(
        status(&server, &lost).await,
        None,
        "a settled action is not re-sent"
    );
    assert_eq!(
        base(&actor).await,
        fresh_download(&server, &auth.token).await
    );

    // The restored server moves past the other device's cursor: the number is one this
    // database never handed that device, so it still resets rather than skip what lies
    // between.
    while head(&server).await < cursor(&passed).await {
        let (_, op) = request("restore");
        actor.enqueue(&op, now_ms(), None).await.unwrap();
        actor.sync(now_ms()).await.unwrap();
    }
    let report = passed.sync(now_ms()).await.unwrap();
    assert!(
        report.reset,
        "the device whose cursor the counter passed reset"
    );
    let expected = fresh_download(&server, &auth.token).await;
    assert_eq!(base(&passed).await, expected);
    actor.sync(now_ms()).await.unwrap();
    assert_eq!(base(&actor).await, expected, "every device agrees again");
}
