//! The authorization matrix: every API route × every kind of caller × own and someone else's
//! resource, with the status expected in each cell. The table must list exactly the server's
//! routes (`server::routes::api_table`), so a new route cannot be added without its row.

use reqwest::Method;
use serde_json::{Value, json};
use tests::{DEMO_PASSWORD, GOOD_PASSWORD, Options, TestServer};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Actor {
    Anonymous,
    YouthA,
    YouthB,
    OrganizerX,
    OrganizerY,
    Admin,
}
use Actor::*;
const ACTORS: [Actor; 6] = [Anonymous, YouthA, YouthB, OrganizerX, OrganizerY, Admin];

const OFFERING_X: &str = "act-river-patrol"; // the demo organizer runs it
const OFFERING_Y: &str = "course-calligraphy"; // assigned to organizer Y below

/// Expected statuses for [Anonymous, YouthA, YouthB, OrganizerX, OrganizerY, Admin], on the
/// caller's own resource and on someone else's.
struct Row {
    method: Method,
    path: &'static str,
    own: [u16; 6],
    other: [u16; 6],
}

fn row(method: Method, path: &'static str, own: [u16; 6], other: [u16; 6]) -> Row {
    Row {
        method,
        path,
        own,
        other,
    }
}

fn table() -> Vec<Row> {
    use Method as M;
    let everyone = [200; 6];
    let signed_in = |ok| [401, ok, ok, ok, ok, ok];
    let admin_only = |ok| [401, 403, 403, 403, 403, ok];
    vec![
        row(M::GET, "/v1/catalogue", everyone, everyone),
        row(M::GET, "/v1/openapi.json", everyone, everyone),
        row(M::POST, "/v1/auth/signup", [201; 6], [201; 6]),
        row(M::POST, "/v1/auth/login", everyone, everyone),
        row(M::POST, "/v1/auth/logout", signed_in(204), signed_in(204)),
        row(
            M::POST,
            "/v1/auth/logout-all",
            signed_in(204),
            signed_in(204),
        ),
        row(M::POST, "/v1/auth/password", signed_in(204), signed_in(204)),
        row(M::GET, "/v1/me", signed_in(200), signed_in(200)),
        row(M::GET, "/v1/me/export", signed_in(200), signed_in(200)),
        row(
            M::GET,
            "/v1/me/hours-changes",
            signed_in(200),
            signed_in(200),
        ),
        // The public notice of hours (公示): names masked, open to anyone.
        row(M::GET, "/v1/hours/notices", everyone, everyone),
        row(
            M::GET,
            "/v1/offerings/{offering_id}/hours-changes",
            [401, 403, 403, 200, 200, 200],
            [401, 403, 403, 403, 403, 200],
        ),
        row(
            M::GET,
            "/v1/admin/league-progress",
            admin_only(200),
            admin_only(200),
        ),
        row(M::DELETE, "/v1/me", signed_in(204), signed_in(204)),
        row(M::GET, "/v1/admin/users", admin_only(200), admin_only(200)),
        row(
            M::PUT,
            "/v1/admin/users/{user_id}/roles",
            admin_only(200),
            admin_only(200),
        ),
        row(
            M::GET,
            "/v1/admin/users/{user_id}/assignments",
            admin_only(200),
            admin_only(200),
        ),
        // The admin is no organizer, so assigning offerings to themselves is refused (400):
        // the request got past authorization.
        row(
            M::PUT,
            "/v1/admin/users/{user_id}/assignments",
            admin_only(400),
            admin_only(200),
        ),
        row(M::GET, "/v1/admin/audit", admin_only(200), admin_only(200)),
        row(M::GET, "/v1/admin/venues", admin_only(200), admin_only(200)),
        row(
            M::GET,
            "/v1/admin/offerings",
            admin_only(200),
            admin_only(200),
        ),
        row(
            M::POST,
            "/v1/admin/offerings",
            admin_only(201),
            admin_only(201),
        ),
        row(
            M::PUT,
            "/v1/admin/offerings/{offering_id}",
            admin_only(200),
            admin_only(200),
        ),
        row(
            M::POST,
            "/v1/admin/offerings/{offering_id}/publish",
            admin_only(200),
            admin_only(200),
        ),
        row(
            M::POST,
            "/v1/admin/offerings/{offering_id}/cancel",
            admin_only(200),
            admin_only(200),
        ),
        row(
            M::GET,
            "/v1/admin/offerings/{offering_id}/registrations.csv",
            admin_only(200),
            admin_only(200),
        ),
        row(
            M::GET,
            "/v1/admin/reviews",
            admin_only(200),
            admin_only(200),
        ),
        row(
            M::GET,
            "/v1/admin/dashboard",
            admin_only(200),
            admin_only(200),
        ),
        row(
            M::GET,
            "/v1/admin/dashboard.xlsx",
            admin_only(200),
            admin_only(200),
        ),
        row(
            M::GET,
            "/v1/admin/hours.xlsx",
            admin_only(200),
            admin_only(200),
        ),
        row(
            M::GET,
            "/v1/admin/league-progress.xlsx",
            admin_only(200),
            admin_only(200),
        ),
        row(M::GET, "/v1/admin/report", admin_only(200), admin_only(200)),
        row(
            M::GET,
            "/v1/admin/report.xlsx",
            admin_only(200),
            admin_only(200),
        ),
        // X is an activity (no draw: 404); Y, a demo course, is still open (409).
        row(
            M::POST,
            "/v1/admin/offerings/{offering_id}/draw",
            admin_only(404),
            admin_only(409),
        ),
        // X is an activity (no course summary: 404); Y is a course.
        row(
            M::GET,
            "/v1/admin/offerings/{offering_id}/course",
            admin_only(404),
            admin_only(200),
        ),
        // Public: a course's results (Y); an activity has none (X).
        row(
            M::GET,
            "/v1/courses/{offering_id}/results",
            [404, 404, 404, 404, 200, 404],
            [200, 200, 200, 200, 404, 200],
        ),
        // Public: without a code, the code is missing (400) for anyone.
        row(M::GET, "/v1/certificates/verify", [400; 6], [400; 6]),
        row(M::POST, "/v1/sync/push", signed_in(200), signed_in(200)),
        row(M::GET, "/v1/sync/pull", signed_in(200), signed_in(200)),
        row(
            M::GET,
            "/v1/offerings/{offering_id}/roster",
            [401, 403, 403, 200, 200, 200],
            [401, 403, 403, 403, 403, 200],
        ),
        // A mixer's window and counts, for its organizers and admins: X and Y are not mixers
        // (404 to those who may ask; the mixers test closes a real one).
        row(
            M::POST,
            "/v1/offerings/{offering_id}/picks/close",
            [401, 403, 403, 404, 404, 404],
            [401, 403, 403, 403, 403, 404],
        ),
        row(
            M::GET,
            "/v1/offerings/{offering_id}/mixer",
            [401, 403, 403, 404, 404, 404],
            [401, 403, 403, 403, 403, 404],
        ),
        // The exports of an offering, for its organizers and admins only.
        row(
            M::GET,
            "/v1/offerings/{offering_id}/registrations.xlsx",
            [401, 403, 403, 200, 200, 200],
            [401, 403, 403, 403, 403, 200],
        ),
        // Attendance per lesson is a course's: X, an activity, has none (409); Y is a course.
        row(
            M::GET,
            "/v1/offerings/{offering_id}/attendance.xlsx",
            [401, 403, 403, 409, 200, 409],
            [401, 403, 403, 403, 403, 200],
        ),
        // Draw results: X is no course, Y has not been drawn (409 both; the exports test
        // downloads a drawn one).
        row(
            M::GET,
            "/v1/offerings/{offering_id}/draw.xlsx",
            [401, 403, 403, 409, 409, 409],
            [401, 403, 403, 403, 403, 409],
        ),
    ]
}

struct World {
    server: TestServer,
    ids: Vec<(Actor, String, String)>, // (actor, user id, phone)
}

impl World {
    async fn new() -> Self {
        let server = TestServer::spawn_with(Options {
            demo: true,
            ..Options::default()
        })
        .await;
        let admin = server.login("13900000001", DEMO_PASSWORD).await;
        let org_x = server.login("13900000002", DEMO_PASSWORD).await;
        let youth_a = server.login("13900000003", DEMO_PASSWORD).await;
        let youth_b = server.signup("13700000001", "青年乙").await;
        let org_y = server.signup("13700000002", "组织者丙").await;
        let put = |path: String, body: Value| {
            server
                .http
                .put(server.url(&path))
                .bearer_auth(&admin.token)
                .json(&body)
                .send()
        };
        let r = put(
            format!("/api/v1/admin/users/{}/roles", org_y.user.id),
            json!({ "roles": ["youth", "organizer"] }),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 200);
        let r = put(
            format!("/api/v1/admin/users/{}/assignments", org_y.user.id),
            json!({ "offering_ids": [OFFERING_Y] }),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 200);
        let ids = vec![
            (Admin, admin.user.id, "13900000001".into()),
            (OrganizerX, org_x.user.id, "13900000002".into()),
            (YouthA, youth_a.user.id, "13900000003".into()),
            (YouthB, youth_b.user.id, "13700000001".into()),
            (OrganizerY, org_y.user.id, "13700000002".into()),
        ];
        Self { server, ids }
    }

    fn id(&self, actor: Actor) -> &str {
        &self
            .ids
            .iter()
            .find(|(a, _, _)| *a == actor)
            .expect("known actor")
            .1
    }

    fn password(actor: Actor) -> &'static str {
        match actor {
            YouthB | OrganizerY => GOOD_PASSWORD,
            _ => DEMO_PASSWORD,
        }
    }

    /// This world again: a server of its own on its own copy of the database (made once, then
    /// copied for each route or mutation that needs a world of its own).
    async fn copy(&self) -> Self {
        Self {
            server: self.server.copy(Options::default()).await,
            ids: self.ids.clone(),
        }
    }

    /// A fresh session for the actor (so a sign-out in one cell does not affect the next),
    /// made as signing in makes it, without hashing the password again for every cell (signing
    /// in itself is tested in accounts.rs).
    async fn token(&self, actor: Actor) -> Option<String> {
        let id = &self.ids.iter().find(|(a, _, _)| *a == actor)?.1;
        let store = self.server.store().await;
        let (token, _) = server::auth::session::create(&store, id, time::OffsetDateTime::now_utc())
            .await
            .unwrap();
        store.close().await;
        Some(token)
    }

    fn path(&self, template: &str, actor: Actor, own: bool, cell: usize) -> String {
        if template == "/v1/sync/pull" {
            return format!(
                "/api/v1/sync/pull?schema_version=1&client_id={}&cursor=0",
                client_id(cell)
            );
        }
        let user = match (actor, own) {
            (Anonymous, true) => YouthA,
            (a, true) => a,
            (OrganizerY, false) => OrganizerX,
            (_, false) => OrganizerY,
        };
        let offering = Self::offering(actor, own);
        format!(
            "/api{}",
            template
                .replace("{user_id}", self.id(user))
                .replace("{offering_id}", offering)
        )
    }

    /// The offering a cell's path names.
    fn offering(actor: Actor, own: bool) -> &'static str {
        match (actor, own) {
            (OrganizerY, true) | (OrganizerX, false) => OFFERING_Y,
            (_, true) | (OrganizerY, false) => OFFERING_X,
            (_, false) => OFFERING_Y,
        }
    }

    fn body(&self, template: &str, actor: Actor, own: bool, cell: usize) -> Value {
        match template {
            "/v1/auth/signup" => tests::signup_body(&format!("1360000{cell:04}"), "新青年"),
            "/v1/auth/login" => json!({ "phone": "13900000003", "password": DEMO_PASSWORD }),
            "/v1/auth/password" => json!({
                "current_password": Self::password(actor),
                "new_password": "a-new-password-2026",
            }),
            "/v1/me" => json!({ "password": Self::password(actor) }),
            "/v1/admin/users/{user_id}/roles" if own => json!({ "roles": ["admin"] }),
            "/v1/admin/users/{user_id}/roles" => json!({ "roles": ["youth", "organizer"] }),
            "/v1/admin/users/{user_id}/assignments" => json!({ "offering_ids": [OFFERING_Y] }),
            "/v1/admin/offerings" => json!({
                "draft": tests::draft_json("矩阵测试活动"),
                "publish": true,
                "organizer_ids": [],
            }),
            // An edit keeps the offering's kind.
            "/v1/admin/offerings/{offering_id}" => json!({
                "draft": if Self::offering(actor, own) == OFFERING_Y {
                    tests::course_draft_json("矩阵测试课程")
                } else {
                    tests::draft_json("矩阵测试活动")
                },
                "publish": true,
                "organizer_ids": [],
            }),
            "/v1/admin/offerings/{offering_id}/cancel" => json!({ "reason": "天气原因" }),
            "/v1/sync/push" => json!({
                "schema_version": 1,
                "client_id": client_id(cell),
                "client_time": 0,
                "mutations": [],
            }),
            _ => json!({}),
        }
    }
}

/// A device id per cell, so no cell reuses another caller's device.
fn client_id(cell: usize) -> String {
    format!("00000000-0000-4000-8000-{cell:012}")
}

#[test]
fn the_matrix_lists_exactly_the_servers_routes() {
    let mut served: Vec<String> = server::routes::api_table()
        .into_iter()
        .map(|(m, p, _)| format!("{m} {p}"))
        .collect();
    let mut tested: Vec<String> = table()
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    served.sort();
    tested.sort();
    assert_eq!(
        served, tested,
        "every route needs a row in the authorization matrix"
    );
}

#[tokio::test]
async fn every_route_answers_every_caller_as_the_matrix_says() {
    let mut failures = Vec::new();
    let mut cell = 0;
    let template = World::new().await;
    for row in table() {
        // A fresh world per route: some routes change their caller (sign out, delete account).
        let world = template.copy().await;
        for (i, actor) in ACTORS.into_iter().enumerate() {
            for own in [true, false] {
                cell += 1;
                let expected = if own { row.own[i] } else { row.other[i] };
                // Deleting the account or changing its password changes the caller: the second
                // cell gets a world of its own.
                let changes_caller =
                    row.path == "/v1/auth/password" || row.method == Method::DELETE;
                let fresh = if changes_caller && !own && actor != Anonymous {
                    Some(template.copy().await)
                } else {
                    None
                };
                let world = fresh.as_ref().unwrap_or(&world);
                let token = match actor {
                    Anonymous => None,
                    a => world.token(a).await,
                };
                let path = world.path(row.path, actor, own, cell);
                let mut request = world
                    .server
                    .http
                    .request(row.method.clone(), world.server.url(&path));
                if row.method != Method::GET {
                    request = request.json(&world.body(row.path, actor, own, cell));
                }
                if let Some(t) = &token {
                    request = request.bearer_auth(t);
                }
                let response = request.send().await.unwrap();
                let status = response.status().as_u16();
                if status >= 400 {
                    let body: Value = response.json().await.unwrap_or(Value::Null);
                    assert!(body["error"].is_string(), "{path}: {body}");
                }
                if status != expected {
                    failures.push(format!(
                        "{} {} as {actor:?} ({}): expected {expected}, got {status}",
                        row.method,
                        row.path,
                        if own { "own" } else { "other's" }
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "authorization matrix:\n{}",
        failures.join("\n")
    );
}

#[tokio::test]
async fn a_bad_or_expired_token_is_unauthenticated_not_anonymous() {
    let world = World::new().await;
    for token in ["", "nonsense", &"x".repeat(5000)] {
        let r = world.server.get("/api/v1/me", Some(token)).await;
        assert_eq!(r.status(), 401, "{token:.20}");
    }
    // On a public route a bad token is simply ignored.
    let r = world
        .server
        .get("/api/v1/catalogue", Some("nonsense"))
        .await;
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn organizers_see_masked_phones_and_admins_see_them_whole() {
    let world = World::new().await;
    let server = &world.server;
    let youth = server.login("13900000003", DEMO_PASSWORD).await;
    let pool = server.store().await;
    pool.execute(
        "INSERT INTO registrations (id, offering_id, user_id, status, created_at, received_at,
                                    updated_at, version)
         VALUES ('reg-1', ?1, ?2, 'confirmed', 0, 0, 0, 999)",
        server::db::pool::args![OFFERING_X, youth.user.id],
    )
    .await
    .unwrap();
    pool.close().await;

    let org = world.token(OrganizerX).await;
    let roster: Value = server
        .get(
            &format!("/api/v1/offerings/{OFFERING_X}/roster"),
            org.as_deref(),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(roster[0]["phone"], "139****0003");
    assert_eq!(roster[0]["phone_last4"], "0003");
    assert_eq!(roster[0]["display_name"], "王青青");
    let keys: Vec<&String> = roster[0].as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "display_name",
            "phone",
            "phone_last4",
            "registration_id",
            "status"
        ]
    );

    let admin = world.token(Admin).await;
    let roster: Value = server
        .get(
            &format!("/api/v1/offerings/{OFFERING_X}/roster"),
            admin.as_deref(),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(roster[0]["phone"], "13900000003");
    let r = server
        .get(
            "/api/v1/offerings/no-such-offering/roster",
            admin.as_deref(),
        )
        .await;
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn an_organizer_assigned_to_a_venue_runs_all_its_offerings() {
    let world = World::new().await;
    let server = &world.server;
    let admin = world.token(Admin).await.unwrap();
    let r = server
        .http
        .put(server.url(&format!(
            "/api/v1/admin/users/{}/assignments",
            world.id(OrganizerY)
        )))
        .bearer_auth(&admin)
        // Both lists, explicitly: a list left out stays as it was.
        .json(&json!({ "offering_ids": [], "venue_ids": ["venue-station"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let org_y = world.token(OrganizerY).await;
    // act-river-patrol is at venue-station; course-calligraphy (no longer assigned) is not.
    let r = server
        .get(
            &format!("/api/v1/offerings/{OFFERING_X}/roster"),
            org_y.as_deref(),
        )
        .await;
    assert_eq!(r.status(), 200);
    let r = server
        .get(
            &format!("/api/v1/offerings/{OFFERING_Y}/roster"),
            org_y.as_deref(),
        )
        .await;
    assert_eq!(r.status(), 403);
    // Taking the organizer role away takes the rosters away at once.
    let r = server
        .http
        .put(server.url(&format!(
            "/api/v1/admin/users/{}/roles",
            world.id(OrganizerY)
        )))
        .bearer_auth(&admin)
        .json(&json!({ "roles": ["youth"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = server
        .get(
            &format!("/api/v1/offerings/{OFFERING_X}/roster"),
            org_y.as_deref(),
        )
        .await;
    assert_eq!(r.status(), 403);
}

/// Whether each signed-in caller [YouthA, YouthB, OrganizerX, OrganizerY, Admin] may run a
/// mutation on offering X and YouthA's registration there (`false`: refused as `forbidden`).
fn mutation_table() -> Vec<(&'static str, [bool; 5])> {
    let everyone = [true; 5];
    let organizers_of_x = [false, false, true, false, true];
    vec![
        ("registration.request", everyone),
        // Anyone may ask to cancel; only the owner's registration is found.
        ("registration.cancel", everyone),
        ("review.decide", [false, false, false, false, true]),
        ("checkin.record", organizers_of_x),
        ("walkin.register", organizers_of_x),
        ("hours.correct", organizers_of_x),
        // Anyone may confirm or rate; only the owner's registration is found (and X is an
        // activity: nobody's place there is a course's to confirm or rate).
        ("course.confirm", everyone),
        ("course.rate", everyone),
        // Anyone may write their own profile, and pick with their own registration (only the
        // owner's is found); opening a pick window is for those who run the offering.
        ("mixer.profile", everyone),
        ("mixer.pick", everyone),
        ("mixer.open", organizers_of_x),
        // A correction request is the owner's alone (anyone else's is refused as forbidden).
        ("hours.request", [true, false, false, false, false]),
        // Answering is for organizers and admins; the request aimed at does not exist, so
        // organizers learn only that (tests/integration/hours.rs answers a real one as an
        // organizer who does not run it, refused as forbidden).
        ("hours.answer", [false, false, true, true, true]),
    ]
}

const SIGNED_IN: [Actor; 5] = [YouthA, YouthB, OrganizerX, OrganizerY, Admin];

/// Arguments for `name` aimed at offering X and YouthA's registration `reg` there.
fn mutation_args(name: &str, reg: &str) -> Value {
    let new_id = uuid::Uuid::new_v4().to_string();
    match name {
        "registration.request" => json!({ "registration_id": new_id, "offering_id": OFFERING_X }),
        "registration.cancel" => json!({ "registration_id": reg }),
        "review.decide" => {
            json!({ "registration_id": reg, "decision": "reject", "reason": "名额有限" })
        }
        "checkin.record" => json!({ "checkin_id": new_id, "registration_id": reg, "kind": "in",
                                    "scanned_at": tests::now_ms(), "device_id": "door-1" }),
        "walkin.register" => json!({ "registration_id": new_id, "offering_id": OFFERING_X,
                                     "display_name": "路人", "phone_last4": "" }),
        "hours.correct" => json!({ "registration_id": reg, "minutes": 60, "reason": "补录" }),
        "course.confirm" => json!({ "registration_id": reg, "accept": true }),
        "course.rate" => json!({ "registration_id": reg, "stars": 5, "comment": "" }),
        "mixer.profile" => json!({ "profile": {
            "nickname": "小青", "gender": "female", "education": "bachelor",
            "occupation": "教师", "contact_kind": "phone", "single": true } }),
        "mixer.pick" => json!({ "registration_id": reg, "badges": ["M01"] }),
        "mixer.open" => json!({ "offering_id": OFFERING_X }),
        "hours.request" => json!({ "request_id": new_id, "registration_id": reg, "minutes": 90,
                                   "reason": "签退漏扫" }),
        "hours.answer" => json!({ "request_id": new_id, "accept": false, "reason": "记录无误" }),
        other => panic!("no arguments for {other}: add them with its row"),
    }
}

#[test]
fn every_mutation_has_a_row_in_the_matrix_and_a_rule_in_the_server() {
    let mut served: Vec<&str> = server::auth::access::MUTATIONS
        .iter()
        .map(|(n, _)| *n)
        .collect();
    let mut tested: Vec<&str> = mutation_table().iter().map(|(n, _)| *n).collect();
    let mut parsed: Vec<&str> = domain::sync::Op::NAMES.to_vec();
    served.sort_unstable();
    tested.sort_unstable();
    parsed.sort_unstable();
    assert_eq!(
        served, parsed,
        "every mutation needs a rule in auth::access::MUTATIONS"
    );
    assert_eq!(
        tested, parsed,
        "every mutation needs a row in the authorization matrix"
    );
}

#[tokio::test]
async fn every_mutation_answers_every_caller_as_the_matrix_says() {
    let mut failures = Vec::new();
    let template = World::new().await;
    for (name, allowed) in mutation_table() {
        // A fresh world per mutation: each changes the registration it is aimed at.
        let world = template.copy().await;
        let youth = world.token(YouthA).await.unwrap();
        let reg = uuid::Uuid::new_v4().to_string();
        let push = |token: String, mutation: Value| {
            let server = &world.server;
            async move {
                let body = json!({ "schema_version": 1, "client_id": uuid::Uuid::new_v4().to_string(),
                                   "client_time": tests::now_ms(), "mutations": [mutation] });
                let r = server.post("/api/v1/sync/push", Some(&token), &body).await;
                assert_eq!(r.status(), 200);
                let body: Value = r.json().await.unwrap();
                body["outcomes"][0].clone()
            }
        };
        let signed_up = push(
            youth.clone(),
            json!({ "id": 1, "name": "registration.request", "created_at": tests::now_ms(),
                    "args": { "registration_id": reg, "offering_id": OFFERING_X } }),
        )
        .await;
        assert_eq!(signed_up["outcome"], "applied", "{signed_up}");
        for (actor, allowed) in SIGNED_IN.into_iter().zip(allowed) {
            let token = world.token(actor).await.unwrap();
            let outcome = push(
                token,
                json!({ "id": 1, "name": name, "created_at": tests::now_ms(),
                        "args": mutation_args(name, &reg) }),
            )
            .await;
            let forbidden = outcome["code"] == "forbidden";
            if forbidden == allowed {
                failures.push(format!(
                    "{name} as {actor:?}: expected {}, got {outcome}",
                    if allowed {
                        "not forbidden"
                    } else {
                        "forbidden"
                    }
                ));
            }
            // A refusal says only that: nothing about the registration it was aimed at.
            if forbidden {
                assert!(
                    outcome.get("decision").is_none(),
                    "{name} as {actor:?}: {outcome}"
                );
            }
        }
    }
    assert!(
        failures.is_empty(),
        "mutation authorization matrix:\n{}",
        failures.join("\n")
    );
}
