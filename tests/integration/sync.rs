//! Sync through the real client engine (native, memory store) against the real server.

use domain::{
    registration::RegistrationStatus,
    sync::{CancelArgs, Op, RequestArgs, ReviewArgs, ReviewDecision, WalkInArgs},
};
use engine::{
    HttpTransport, Store, SyncEngine, SyncError, TransportError, store::memory::MemoryStore,
};
use server::db::pool::args;
use std::collections::{BTreeMap, BTreeSet};
use tests::{
    DEMO_PASSWORD, OfferingSpec, Options, TestServer, now_ms,
    proxy::{FaultProxy, Faults},
};

type Engine = SyncEngine<MemoryStore, HttpTransport>;

async fn demo() -> TestServer {
    TestServer::spawn_with(Options {
        demo: true,
        ..Options::default()
    })
    .await
}

fn engine(base_url: &str, token: &str) -> Engine {
    SyncEngine::new(
        MemoryStore::new(),
        HttpTransport::new(base_url, Some(token.to_owned())),
    )
}

fn request(offering: &str) -> (String, Op) {
    let id = uuid::Uuid::new_v4().to_string();
    let op = Op::RegistrationRequest(RequestArgs {
        registration_id: id.clone(),
        offering_id: offering.into(),
        answers: Default::default(),
    });
    (id, op)
}

fn cancel(id: &str) -> Op {
    Op::RegistrationCancel(CancelArgs {
        registration_id: id.into(),
    })
}

/// (status, waitlist position) of every registration of a user, as the server has them.
async fn server_view(
    server: &TestServer,
    user_id: &str,
) -> BTreeMap<String, (String, Option<i64>)> {
    let store = server.store().await;
    let rows: Vec<(String, String, Option<i64>)> = store
        .fetch_all(
            "SELECT id, status, waitlist_position FROM registrations WHERE user_id = ?1",
            args![user_id],
            |r| r.tuple(),
        )
        .await
        .unwrap();
    store.close().await;
    rows.into_iter().map(|(id, s, p)| (id, (s, p))).collect()
}

async fn device_view(engine: &Engine) -> BTreeMap<String, (String, Option<i64>)> {
    engine
        .registrations()
        .await
        .unwrap()
        .into_iter()
        .map(|r| {
            (
                r.id,
                (
                    r.status.as_str().to_owned(),
                    r.waitlist_position.map(i64::from),
                ),
            )
        })
        .collect()
}

/// Places and waitlists as the database has them, pool by pool, checked against the
/// registrations.
async fn check_offerings(server: &TestServer) {
    let pool = server.store().await;
    let pools: Vec<(String, String, i64, i64, i64)> = pool
        .fetch_all(
            "SELECT offering_id, pool, capacity, seats_taken, waitlist_len FROM offering_pools",
            args![],
            |r| r.tuple(),
        )
        .await
        .unwrap();
    let outside: i64 = pool
        .fetch_one(
            "SELECT COUNT(*) FROM registrations r WHERE NOT EXISTS
               (SELECT 1 FROM offering_pools p WHERE p.offering_id = r.offering_id AND p.pool = r.pool)
               AND r.status IN ('confirmed', 'waitlisted')",
            args![],
            |r| r.get(0),
        )
        .await
        .unwrap();
    assert_eq!(outside, 0, "places held in pools that do not exist");
    for (offering, key, capacity, seats_taken, waitlist_len) in pools {
        let id = format!("{offering}/{key}");
        let confirmed: i64 = pool
            .fetch_one(
                "SELECT COUNT(*) FROM registrations
                  WHERE offering_id = ?1 AND pool = ?2 AND status = 'confirmed'",
                args![offering, key],
                |r| r.get(0),
            )
            .await
            .unwrap();
        let mut positions: Vec<i64> = pool
            .fetch_all(
                "SELECT waitlist_position FROM registrations
                  WHERE offering_id = ?1 AND pool = ?2 AND status = 'waitlisted'",
                args![offering, key],
                |r| r.get(0),
            )
            .await
            .unwrap();
        positions.sort_unstable();
        assert!(
            confirmed <= capacity,
            "{id}: {confirmed} confirmed for {capacity} seats"
        );
        assert_eq!(
            seats_taken, confirmed,
            "{id}: seats_taken agrees with the registrations"
        );
        assert_eq!(waitlist_len, positions.len() as i64, "{id}: waitlist_len");
        assert_eq!(
            positions,
            (1..=waitlist_len).collect::<Vec<_>>(),
            "{id}: gapless waitlist"
        );
        if waitlist_len > 0 {
            assert_eq!(
                confirmed, capacity,
                "{id}: nobody waits while a seat is free"
            );
        }
    }
    pool.close().await;
}

struct Device {
    engine: Engine,
    user_id: String,
    rng: u64,
    enqueued: u64,
    valid_requests: Vec<String>,
    cancelled: Vec<String>,
}

impl Device {
    fn roll(&mut self, n: u64) -> u64 {
        self.rng ^= self.rng << 13;
        self.rng ^= self.rng >> 7;
        self.rng ^= self.rng << 17;
        self.rng % n
    }

    async fn act(&mut self, offerings: &[String]) {
        let roll = self.roll(100);
        if roll < 55 || self.valid_requests.is_empty() {
            let offering = offerings[self.roll(offerings.len() as u64) as usize].clone();
            let (id, op) = request(&offering);
            self.engine.enqueue(&op, now_ms(), None).await.unwrap();
            self.valid_requests.push(id);
        } else if roll < 80 {
            let pick = self.roll(self.valid_requests.len() as u64) as usize;
            let id = self.valid_requests[pick].clone();
            self.engine
                .enqueue(&cancel(&id), now_ms(), None)
                .await
                .unwrap();
            self.cancelled.push(id);
        } else if roll < 90 {
            let (_, op) = request("no-such-offering");
            self.engine.enqueue(&op, now_ms(), None).await.unwrap();
        } else {
            // A mutation this server does not know, straight into the outbox.
            self.engine
                .store()
                .enqueue(
                    "registration.explode",
                    "{\"boom\":1}".into(),
                    now_ms(),
                    None,
                )
                .await
                .unwrap();
        }
        self.enqueued += 1;
    }

    /// Syncs; network trouble is expected here and retried later.
    async fn try_sync(&self) {
        match self.engine.sync(now_ms()).await {
            Ok(_) => {}
            Err(SyncError::Transport(e)) if e.is_transient() => {}
            Err(e) => panic!("sync failed for good: {e:?}"),
        }
    }
}

#[tokio::test(flavor = "current_thread")]
async fn fifty_devices_through_a_faulty_network_and_a_restart_converge_exactly_once() {
    fifty_devices(1).await;
}

/// The same through two replicas on one database, the proxy spreading requests (and the two
/// copies of a duplicated one) over both, one replica restarted halfway while the other
/// serves: a rolling restart.
#[tokio::test]
async fn fifty_devices_through_a_faulty_network_and_two_replicas_with_a_rolling_restart_converge_exactly_once()
 {
    fifty_devices(2).await;
}

/// 50 devices of 40 people act on five small offerings for ten rounds through a faulty
/// network to `replicas` servers on one database, one of them restarted after round five; then
/// the network heals and every device syncs. Nothing is lost or applied twice, and every device
/// shows what the database has.
async fn fifty_devices(replicas: usize) {
    let mut server = demo().await;
    let other = if replicas > 1 {
        Some(
            server
                .beside(Options {
                    demo: true,
                    ..Options::default()
                })
                .await,
        )
    } else {
        None
    };
    let specs = [
        OfferingSpec::seats("few-a", 2),
        OfferingSpec::seats("few-b", 3),
        OfferingSpec {
            waitlist: false,
            ..OfferingSpec::seats("few-c", 1)
        },
        OfferingSpec {
            waitlist: false,
            ..OfferingSpec::seats("few-d", 2)
        },
        OfferingSpec {
            approval: true,
            ..OfferingSpec::seats("few-e", 3)
        },
    ];
    for s in &specs {
        server.add_offering(s).await;
    }
    let offerings: Vec<String> = specs.iter().map(|s| s.id.clone()).collect();
    let proxy = FaultProxy::start(&server.base_url, 7).await;
    let upstreams = |first: &TestServer| -> Vec<String> {
        std::iter::once(first.base_url.clone())
            .chain(other.iter().map(|o| o.base_url.clone()))
            .collect()
    };
    let spread = |urls: Vec<String>| {
        proxy.set_upstreams(&urls.iter().map(String::as_str).collect::<Vec<_>>());
    };
    spread(upstreams(&server));

    // 40 people; the first 10 use a second device too: 50 devices.
    let mut users = Vec::new();
    for i in 0..40 {
        users.push(
            server
                .signup(&format!("1370000{i:04}"), &format!("青年{i}"))
                .await,
        );
    }
    let mut devices: Vec<Device> = (0..50)
        .map(|d| {
            let user = &users[d % 40];
            Device {
                engine: engine(&proxy.url, &user.token),
                user_id: user.user.id.clone(),
                rng: 0x9E37_79B9_7F4A_7C15 ^ (d as u64 + 1),
                enqueued: 0,
                valid_requests: Vec::new(),
                cancelled: Vec::new(),
            }
        })
        .collect();

    proxy.set_faults(Faults {
        drop_request: 0.1,
        drop_response: 0.15,
        duplicate: 0.1,
        max_delay_ms: 15,
    });
    for round in 0..10 {
        if round == 5 {
            if other.is_some() {
                // The restarting replica is taken out of the proxy's pool first.
                spread(upstreams(&server).split_off(1));
            }
            server = server
                .restart(Options {
                    demo: true,
                    ..Options::default()
                })
                .await;
            spread(upstreams(&server));
        }
        futures::future::join_all(devices.iter_mut().map(|d| {
            let offerings = &offerings;
            async move {
                for _ in 0..10 {
                    d.act(offerings).await;
                }
                d.try_sync().await;
            }
        }))
        .await;
    }
    let counts = proxy.counts();
    use std::sync::atomic::Ordering::Relaxed;
    assert!(counts.dropped_requests.load(Relaxed) > 0);
    assert!(counts.dropped_responses.load(Relaxed) > 0);
    assert!(counts.duplicated.load(Relaxed) > 0);

    // The network heals: every device gets through.
    proxy.set_faults(Faults::default());
    for _ in 0..2 {
        for d in &devices {
            for _ in 0..5 {
                if d.engine.sync(now_ms()).await.is_ok()
                    && d.engine.store().outbox().await.unwrap().is_empty()
                {
                    break;
                }
            }
        }
    }

    let pool = server.store().await;
    for d in &devices {
        assert_eq!(d.enqueued, 100);
        assert!(
            d.engine.store().outbox().await.unwrap().is_empty(),
            "everything acknowledged"
        );
        // Nothing lost, nothing twice: exactly one outcome for each of ids 1..=100.
        let client_id = d.engine.client_id().await.unwrap();
        let (count, max, last): (i64, i64, i64) = pool
            .fetch_one(
                "SELECT COUNT(*), MAX(m.mutation_id), c.last_mutation_id
                   FROM client_mutations m JOIN clients c ON c.id = m.client_id
                  WHERE m.client_id = ?1 GROUP BY c.last_mutation_id",
                args![client_id],
                |r| r.tuple(),
            )
            .await
            .unwrap();
        assert_eq!((count, max, last), (100, 100, 100), "device {client_id}");
        for id in &d.valid_requests {
            let found: Option<String> = pool
                .fetch_optional(
                    "SELECT status FROM registrations WHERE id = ?1",
                    args![id],
                    |r| r.get(0),
                )
                .await
                .unwrap();
            assert!(
                found.is_some(),
                "request {id} was acknowledged but is not on the server"
            );
        }
        for id in &d.cancelled {
            let status: String = pool
                .fetch_one(
                    "SELECT status FROM registrations WHERE id = ?1",
                    args![id],
                    |r| r.get(0),
                )
                .await
                .unwrap();
            assert!(
                status == "cancelled" || status == "rejected",
                "{id} is {status} after a cancel"
            );
        }
        // The device shows exactly what the server has for this person.
        assert_eq!(
            device_view(&d.engine).await,
            server_view(&server, &d.user_id).await
        );
    }
    check_offerings(&server).await;
    // And the seats the devices show are the server's.
    for d in &devices[..3] {
        for row in d.engine.store().rows("offering").await.unwrap() {
            let o: domain::Offering = row.value().unwrap();
            let pools: Vec<(String, i64, i64)> = pool
                .fetch_all(
                    "SELECT pool, seats_taken, waitlist_len FROM offering_pools
                      WHERE offering_id = ?1",
                    args![o.id],
                    |r| r.tuple(),
                )
                .await
                .unwrap();
            assert!(!pools.is_empty(), "{}", o.id);
            for (key, taken, waiting) in pools {
                let shown = o.pool(domain::PoolKey::parse(&key).unwrap()).unwrap();
                assert_eq!(i64::from(shown.seats_taken), taken, "{} {key}", o.id);
                assert_eq!(i64::from(shown.waitlist_len), waiting, "{} {key}", o.id);
            }
        }
    }
    pool.close().await;
}

#[tokio::test]
async fn a_bad_mutation_does_not_block_the_good_ones_after_it() {
    let server = demo().await;
    server.add_offering(&OfferingSpec::seats("open", 5)).await;
    let auth = server.login("13900000003", DEMO_PASSWORD).await;
    let e = engine(&server.base_url, &auth.token);
    let (first, op) = request("open");
    e.enqueue(&op, now_ms(), None).await.unwrap();
    e.store()
        .enqueue("registration.explode", "{}".into(), now_ms(), None)
        .await
        .unwrap();
    e.store()
        .enqueue(
            "registration.request",
            "{\"registration_id\":7}".into(),
            now_ms(),
            None,
        )
        .await
        .unwrap();
    let (_, unknown) = request("no-such-offering");
    e.enqueue(&unknown, now_ms(), None).await.unwrap();
    let (second, op) = request("act-river-patrol");
    e.enqueue(&op, now_ms(), None).await.unwrap();

    let report = e.sync(now_ms()).await.unwrap();
    assert_eq!(report.pushed, 5);
    let codes: Vec<String> = report
        .notices
        .iter()
        .map(|n| {
            serde_json::to_value(&n.kind).unwrap()["code"]
                .as_str()
                .unwrap_or("")
                .to_owned()
        })
        .collect();
    assert_eq!(codes, ["unknown_mutation", "bad_args", "unknown_offering"]);
    let view = device_view(&e).await;
    assert_eq!(view.len(), 2);
    assert_eq!(view[&first].0, "confirmed");
    assert_eq!(view[&second].0, "confirmed");
    assert!(e.store().outbox().await.unwrap().is_empty());
    assert_eq!(
        e.notices().await.unwrap().len(),
        3,
        "notices are kept for the screen"
    );
}

#[tokio::test]
async fn the_server_decides_seats_waitlist_promotion_and_the_device_is_told() {
    let server = demo().await;
    server
        .add_offering(&OfferingSpec::seats("one-seat", 1))
        .await;
    let a = server.signup("13700000001", "甲").await;
    let b = server.signup("13700000002", "乙").await;
    let ea = engine(&server.base_url, &a.token);
    let eb = engine(&server.base_url, &b.token);
    let (ra, op) = request("one-seat");
    ea.enqueue(&op, now_ms(), None).await.unwrap();
    ea.sync(now_ms()).await.unwrap();
    // B's phone saw a free seat and predicted a confirmation; the server says waitlisted.
    let predicted = domain::registration::Decision::status(RegistrationStatus::Confirmed);
    let (rb, op) = request("one-seat");
    eb.enqueue(&op, now_ms(), Some(predicted)).await.unwrap();
    let before = eb.registrations().await.unwrap();
    assert_eq!(
        (before[0].status, before[0].pending),
        (RegistrationStatus::PendingSync, true)
    );
    let report = eb.sync(now_ms()).await.unwrap();
    assert_eq!(report.notices.len(), 1);
    assert_eq!(
        serde_json::to_value(&report.notices[0].kind).unwrap()["actual"]["status"],
        "waitlisted"
    );
    assert_eq!(device_view(&eb).await[&rb], ("waitlisted".into(), Some(1)));

    // A cancels: B is promoted in the same transaction.
    ea.enqueue(&cancel(&ra), now_ms(), None).await.unwrap();
    ea.sync(now_ms()).await.unwrap();
    eb.sync(now_ms()).await.unwrap();
    assert_eq!(device_view(&eb).await[&rb], ("confirmed".into(), None));
    assert_eq!(device_view(&ea).await[&ra], ("cancelled".into(), None));
    // One registration per person: B asking again is refused as a duplicate.
    let (again, op) = request("one-seat");
    eb.enqueue(&op, now_ms(), None).await.unwrap();
    eb.sync(now_ms()).await.unwrap();
    let view = device_view(&eb).await;
    assert_eq!(view[&again].0, "rejected");
    check_offerings(&server).await;
}

/// Approvals and walk-ins take seats by the same rules as sign-ups: a free seat, else the next
/// waitlist place (approvals, when the offering has a waitlist), else refused as full.
#[tokio::test]
async fn approvals_and_walk_ins_take_the_next_seat_or_waitlist_place() {
    let server = demo().await;
    let mut reviewed = OfferingSpec::seats("reviewed", 1);
    reviewed.approval = true;
    server.add_offering(&reviewed).await;
    let mut no_waitlist = OfferingSpec::seats("no-waitlist", 1);
    no_waitlist.approval = true;
    no_waitlist.waitlist = false;
    server.add_offering(&no_waitlist).await;
    let admin_token = server.login("13900000001", DEMO_PASSWORD).await.token;
    let admin = engine(&server.base_url, &admin_token);
    let decide = |id: &str| {
        Op::ReviewDecide(ReviewArgs {
            registration_id: id.into(),
            decision: ReviewDecision::Approve,
            reason: String::new(),
        })
    };
    let walk_in = |offering: &str, name: &str| {
        let id = uuid::Uuid::new_v4().to_string();
        let op = Op::WalkIn(WalkInArgs {
            registration_id: id.clone(),
            offering_id: offering.into(),
            display_name: name.into(),
            phone_last4: String::new(),
            gender: None,
        });
        (id, op)
    };

    // Four people ask for each offering; every request waits for review.
    let mut asked: Vec<(String, String)> = Vec::new();
    for n in 1..=4 {
        let person = server.signup(&format!("1370000010{n}"), "青年").await;
        let device = engine(&server.base_url, &person.token);
        for offering in ["reviewed", "no-waitlist"] {
            let (id, op) = request(offering);
            device.enqueue(&op, now_ms(), None).await.unwrap();
            asked.push((offering.into(), id));
        }
        device.sync(now_ms()).await.unwrap();
    }
    // The admin approves them in order, on one device, in one push.
    for (_, id) in &asked {
        admin.enqueue(&decide(id), now_ms(), None).await.unwrap();
    }
    // A walk-in at each full offering: walk-ins never join a waitlist.
    let (late_a, op) = walk_in("reviewed", "路人甲");
    admin.enqueue(&op, now_ms(), None).await.unwrap();
    let (late_b, op) = walk_in("no-waitlist", "路人乙");
    admin.enqueue(&op, now_ms(), None).await.unwrap();
    admin.sync(now_ms()).await.unwrap();

    let pool = server.store().await;
    let stored = |id: String| {
        let pool = pool.clone();
        async move {
            pool.fetch_one(
                "SELECT status, waitlist_position, reject_reason FROM registrations WHERE id = ?1",
                args![id],
                |r| -> server::db::sql::Result<(String, Option<i64>, Option<String>)> {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                },
            )
            .await
            .unwrap()
        }
    };
    let mut got = BTreeMap::new();
    for (offering, id) in &asked {
        got.entry(offering.clone())
            .or_insert_with(Vec::new)
            .push(stored(id.clone()).await);
    }
    let waitlisted = |p: i64| ("waitlisted".to_owned(), Some(p), None);
    assert_eq!(
        got["reviewed"],
        [
            ("confirmed".to_owned(), None, None),
            waitlisted(1),
            waitlisted(2),
            waitlisted(3),
        ]
    );
    let full = ("rejected".to_owned(), None, Some("full".to_owned()));
    assert_eq!(
        got["no-waitlist"],
        [
            ("confirmed".to_owned(), None, None),
            full.clone(),
            full.clone(),
            full.clone(),
        ]
    );
    assert_eq!(stored(late_a).await, full);
    assert_eq!(stored(late_b).await, full);
    check_offerings(&server).await;
}

#[tokio::test]
async fn a_server_restored_from_an_older_backup_resets_devices_and_nothing_wedges() {
    let server = demo().await;
    server
        .add_offering(&OfferingSpec::seats("restore", 10))
        .await;
    let auth = server.login("13900000003", DEMO_PASSWORD).await;
    let proxy = FaultProxy::start(&server.base_url, 1).await;
    let e = engine(&proxy.url, &auth.token);
    e.sync(now_ms()).await.unwrap();
    // A second device of the same person, with nothing queued, known to the backup.
    let idle = engine(&proxy.url, &auth.token);
    idle.sync(now_ms()).await.unwrap();

    // The backup is taken here.
    let backup = server.backup().await;

    // After the backup: one action reaches the server, one is still queued on the device.
    let (lost_on_server, op) = request("restore");
    e.enqueue(&op, now_ms(), None).await.unwrap();
    e.sync(now_ms()).await.unwrap();
    idle.sync(now_ms()).await.unwrap();
    assert!(device_view(&idle).await.contains_key(&lost_on_server));
    let (queued, op) = request("act-river-patrol");
    e.enqueue(&op, now_ms(), None).await.unwrap();

    // The server is restored from the backup.
    let server = server
        .restore(
            &backup,
            Options {
                demo: true,
                ..Options::default()
            },
        )
        .await;
    proxy.set_upstream(&server.base_url);
    let auth = server.login("13900000003", DEMO_PASSWORD).await;
    e.transport().set_token(Some(auth.token.clone()));
    idle.transport().set_token(Some(auth.token.clone()));

    // The device with a queue finds the server does not know its history: it forgets its base
    // and re-sends the queue under a new device id (which downloads everything again).
    let report = e.sync(now_ms()).await.unwrap();
    assert!(
        report.rebased,
        "the device re-sent its queue under a new id"
    );
    // The idle device's cursor was handed out by the database that is gone (even though the
    // restored one has moved past that number since): the server answers with a reset.
    let report = idle.sync(now_ms()).await.unwrap();
    assert!(report.reset, "the device downloaded everything again");
    assert_eq!(
        device_view(&idle).await,
        server_view(&server, &auth.user.id).await
    );
    let view = device_view(&e).await;
    assert_eq!(view, server_view(&server, &auth.user.id).await);
    assert_eq!(view[&queued].0, "confirmed", "the queued action arrived");
    assert!(
        !view.contains_key(&lost_on_server),
        "what the backup lost is gone from the device too"
    );
    // And it keeps working.
    let (later, op) = request("restore");
    e.enqueue(&op, now_ms(), None).await.unwrap();
    e.sync(now_ms()).await.unwrap();
    assert_eq!(device_view(&e).await[&later].0, "confirmed");
}

#[tokio::test]
async fn a_device_id_belongs_to_the_account_that_first_used_it() {
    let server = demo().await;
    let a = server.login("13900000003", DEMO_PASSWORD).await;
    let b = server.login("13900000002", DEMO_PASSWORD).await;
    let store = MemoryStore::new();
    let ea = SyncEngine::new(
        store.clone(),
        HttpTransport::new(&server.base_url, Some(a.token)),
    );
    ea.sync(now_ms()).await.unwrap();
    let (_, op) = request("act-river-patrol");
    ea.enqueue(&op, now_ms(), None).await.unwrap();
    // Someone else's session on the same device id is refused; the queue is kept.
    let eb = SyncEngine::new(store, HttpTransport::new(&server.base_url, Some(b.token)));
    let err = eb.sync(now_ms()).await.unwrap_err();
    assert_eq!(err, SyncError::Transport(TransportError::Forbidden));
    assert_eq!(eb.pending().await.unwrap(), 1);
}

#[tokio::test]
async fn an_expired_session_keeps_the_queue_until_signed_in_again() {
    let server = demo().await;
    let auth = server.login("13900000003", DEMO_PASSWORD).await;
    let e = engine(&server.base_url, &auth.token);
    let (id, op) = request("act-river-patrol");
    e.enqueue(&op, now_ms(), None).await.unwrap();
    let pool = server.store().await;
    pool.execute("UPDATE sessions SET expires_at = 0", args![])
        .await
        .unwrap();
    assert_eq!(
        e.sync(now_ms()).await.unwrap_err(),
        SyncError::Transport(TransportError::Unauthenticated)
    );
    assert_eq!(e.pending().await.unwrap(), 1);
    let again = server.login("13900000003", DEMO_PASSWORD).await;
    e.transport().set_token(Some(again.token));
    e.sync(now_ms()).await.unwrap();
    assert_eq!(device_view(&e).await[&id].0, "confirmed");
}

async fn raw_push(
    server: &TestServer,
    token: &str,
    body: serde_json::Value,
) -> (u16, serde_json::Value) {
    let r = server.post("/api/v1/sync/push", Some(token), &body).await;
    (r.status().as_u16(), r.json().await.unwrap_or_default())
}

#[tokio::test]
async fn pushes_are_checked_before_anything_is_applied() {
    let server = demo().await;
    let token = server.login("13900000003", DEMO_PASSWORD).await.token;
    let client = uuid::Uuid::new_v4().to_string();
    let m = |id: u64| serde_json::json!({ "id": id, "name": "registration.explode", "args": {}, "created_at": 0 });
    let push = |mutations: Vec<serde_json::Value>, schema: u32, client: &str| serde_json::json!({ "schema_version": schema, "client_id": client, "client_time": 0, "mutations": mutations });
    let (s, b) = raw_push(&server, &token, push(vec![m(1)], 99, &client)).await;
    assert_eq!(
        (s, b["error"].as_str()),
        (400, Some("version_not_supported"))
    );
    let (s, b) = raw_push(&server, &token, push(vec![m(1)], 1, "not-a-uuid")).await;
    assert_eq!((s, b["field"].as_str()), (400, Some("client_id")));
    let (s, b) = raw_push(&server, &token, push(vec![m(1), m(3)], 1, &client)).await;
    assert_eq!((s, b["field"].as_str()), (400, Some("mutations")));
    let (s, _) = raw_push(
        &server,
        &token,
        push((1..=501).map(m).collect(), 1, &client),
    )
    .await;
    assert_eq!(s, 400);
    let (s, b) = raw_push(&server, &token, push(vec![m(2)], 1, &client)).await;
    assert_eq!(
        (s, b["error"].as_str(), b["expected"].as_u64()),
        (409, Some("mutation_gap"), Some(1))
    );
    let (s, b) = raw_push(&server, &token, push(vec![m(1), m(2)], 1, &client)).await;
    assert_eq!((s, b["last_mutation_id"].as_u64()), (200, Some(2)));
    assert_eq!(b["outcomes"][1]["code"], "unknown_mutation");
    // The same push again: nothing new, the same outcomes.
    let (s, again) = raw_push(&server, &token, push(vec![m(1), m(2)], 1, &client)).await;
    assert_eq!((s, &again), (200, &b));
    for bad in ["{", "[]", "{\"schema_version\":1}"] {
        let r = server
            .http
            .post(server.url("/api/v1/sync/push"))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(bad)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "{bad}");
    }
}

#[tokio::test]
async fn a_registration_id_answers_what_is_stored_and_is_never_reused() {
    let server = demo().await;
    server.add_offering(&OfferingSpec::seats("open", 5)).await;
    let a = server.login("13900000003", DEMO_PASSWORD).await.token;
    let b = server.signup("13700000009", "乙").await.token;
    let id = uuid::Uuid::new_v4().to_string();
    // Each push from a device of its own, as a reinstalled phone or another person would.
    let request = |offering: &str| {
        serde_json::json!({
            "schema_version": 1,
            "client_id": uuid::Uuid::new_v4().to_string(),
            "client_time": 0,
            "mutations": [{
                "id": 1,
                "name": "registration.request",
                "args": { "registration_id": id, "offering_id": offering },
                "created_at": 0,
            }],
        })
    };
    let outcome = |body: &serde_json::Value| body["outcomes"][0].clone();

    let (s, first) = raw_push(&server, &a, request("open")).await;
    assert_eq!(s, 200);
    assert_eq!(
        outcome(&first)["decision"]["status"],
        "confirmed",
        "{first}"
    );
    // The same request again (same person, same offering): the stored answer, nothing new.
    let (s, again) = raw_push(&server, &a, request("open")).await;
    assert_eq!((s, outcome(&again)), (200, outcome(&first)));
    // The id is taken: for another offering, an unknown one, or another person.
    for (token, offering) in [
        (&a, "act-river-patrol"),
        (&a, "no-such-offering"),
        (&b, "open"),
    ] {
        let (s, body) = raw_push(&server, token, request(offering)).await;
        assert_eq!(s, 200);
        assert_eq!(outcome(&body)["code"], "id_conflict", "{offering}: {body}");
    }
    let pool = server.store().await;
    let (rows, taken): (i64, i64) = pool
        .fetch_one(
            "SELECT (SELECT COUNT(*) FROM registrations WHERE id = ?1),
                    (SELECT seats_taken FROM offering_pools WHERE offering_id = 'open')",
            args![id],
            |r| r.tuple(),
        )
        .await
        .unwrap();
    assert_eq!((rows, taken), (1, 1));
    pool.close().await;
}

#[tokio::test]
async fn mutation_ids_at_the_top_of_the_range_are_refused_and_later_pushes_still_work() {
    let server = demo().await;
    let token = server.login("13900000003", DEMO_PASSWORD).await.token;
    let client = uuid::Uuid::new_v4().to_string();
    let m = |id: u64| serde_json::json!({ "id": id, "name": "registration.explode", "args": {}, "created_at": 0 });
    let push = |mutations: Vec<serde_json::Value>| serde_json::json!({ "schema_version": 1, "client_id": client, "client_time": 0, "mutations": mutations });
    let (s, b) = raw_push(&server, &token, push(vec![m(u64::MAX), m(0)])).await;
    assert_eq!((s, b["field"].as_str()), (400, Some("mutations")));
    let (s, b) = raw_push(&server, &token, push(vec![m(u64::MAX)])).await;
    assert_eq!(
        (s, b["error"].as_str(), b["expected"].as_u64()),
        (409, Some("mutation_gap"), Some(1))
    );
    let (s, b) = raw_push(&server, &token, push(vec![m(1)])).await;
    assert_eq!((s, b["last_mutation_id"].as_u64()), (200, Some(1)));
}

#[tokio::test]
async fn pulls_page_through_everything_and_resets_on_a_cursor_from_the_future() {
    let server = demo().await;
    let token = server.login("13900000003", DEMO_PASSWORD).await.token;
    let client = uuid::Uuid::new_v4().to_string();
    let mut cursor = 0;
    let mut seen = BTreeSet::new();
    let mut pages = 0;
    loop {
        let r: serde_json::Value = server
            .get(
                &format!(
                    "/api/v1/sync/pull?schema_version=1&client_id={client}&cursor={cursor}&limit=4"
                ),
                Some(&token),
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(r["reset"], false);
        for c in r["changes"].as_array().unwrap() {
            assert!(
                c["version"].as_u64().unwrap() > cursor,
                "versions only move forward"
            );
            seen.insert(format!(
                "{}/{}",
                c["kind"].as_str().unwrap(),
                c["id"].as_str().unwrap()
            ));
        }
        cursor = r["cursor"].as_u64().unwrap();
        pages += 1;
        if r["has_more"] == false {
            break;
        }
    }
    assert!(pages > 3);
    // Every offering that is not a draft: the demo's coming week and its past months.
    let offerings: i64 = server
        .store()
        .await
        .fetch_one(
            "SELECT COUNT(*) FROM offerings WHERE status <> 'draft'",
            args![],
            |r| r.get(0),
        )
        .await
        .unwrap();
    assert!(offerings > 17);
    assert_eq!(
        seen.iter().filter(|k| k.starts_with("offering/")).count() as i64,
        offerings
    );
    assert_eq!(seen.iter().filter(|k| k.starts_with("venue/")).count(), 5);
    let r: serde_json::Value = server
        .get(
            &format!(
                "/api/v1/sync/pull?schema_version=1&client_id={client}&cursor={}",
                cursor + 1000
            ),
            Some(&token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r["reset"], true);
    let unknown = uuid::Uuid::new_v4();
    let r: serde_json::Value = server
        .get(
            &format!("/api/v1/sync/pull?schema_version=1&client_id={unknown}&cursor=5"),
            Some(&token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r["reset"], true, "an unknown device starts over");
}

/// An organizer's first download in pages: the assignments ride on the first page (at version
/// 1, before everything), but the cursor is still the page's last real change, so no page
/// sends again what an earlier one sent.
#[tokio::test]
async fn an_organizers_first_download_in_pages_sends_each_change_once() {
    let server = demo().await;
    let token = server.login("13900000002", DEMO_PASSWORD).await.token;
    let client = uuid::Uuid::new_v4().to_string();
    let mut cursor = 0;
    let mut seen = BTreeSet::new();
    let mut assignments = 0;
    for page in 0.. {
        assert!(page < 200, "the download never ended");
        let r: serde_json::Value = server
            .get(
                &format!(
                    "/api/v1/sync/pull?schema_version=1&client_id={client}&cursor={cursor}&limit=5"
                ),
                Some(&token),
            )
            .await
            .json()
            .await
            .unwrap();
        for c in r["changes"].as_array().unwrap() {
            let key = format!(
                "{}/{}",
                c["kind"].as_str().unwrap(),
                c["id"].as_str().unwrap()
            );
            if c["kind"] == "assignment" {
                assignments += 1;
            } else {
                assert!(seen.insert(key.clone()), "{key} sent twice (page {page})");
            }
        }
        let next = r["cursor"].as_u64().unwrap();
        assert!(
            next > 1,
            "the cursor is a real change's, not the assignments' (page {page})"
        );
        cursor = next;
        if r["has_more"] == false {
            break;
        }
    }
    assert!(assignments > 0, "the organizer's assignments came");
    assert!(seen.len() > 10, "{} changes", seen.len());
}

#[tokio::test]
async fn an_organizer_assigned_to_more_gets_a_reset_and_the_new_roster() {
    let server = demo().await;
    server.add_offering(&OfferingSpec::seats("later", 5)).await;
    let youth = server.login("13900000003", DEMO_PASSWORD).await;
    let ey = engine(&server.base_url, &youth.token);
    let (reg, op) = request("later");
    ey.enqueue(&op, now_ms(), None).await.unwrap();
    ey.sync(now_ms()).await.unwrap();

    let org = server.login("13900000002", DEMO_PASSWORD).await;
    let eo = engine(&server.base_url, &org.token);
    eo.sync(now_ms()).await.unwrap();
    assert!(
        eo.store()
            .rows("roster_entry")
            .await
            .unwrap()
            .iter()
            .all(|r| r.id != reg)
    );

    let admin = server.login("13900000001", DEMO_PASSWORD).await;
    let r = server
        .http
        .put(server.url(&format!("/api/v1/admin/users/{}/assignments", org.user.id)))
        .bearer_auth(&admin.token)
        .json(&serde_json::json!({ "offering_ids": ["act-river-patrol", "later"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let report = eo.sync(now_ms()).await.unwrap();
    assert!(report.reset);
    let roster = eo.store().rows("roster_entry").await.unwrap();
    let entry: serde_json::Value = roster
        .iter()
        .find(|r| r.id == reg)
        .expect("on the roster")
        .value()
        .unwrap();
    assert_eq!(entry["phone"], "139****0003");
    assert_eq!(entry["display_name"], "王青青");
}
