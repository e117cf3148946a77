//! Accounts: sign-up, sign-in, sessions, bad input, secrets at rest, rate limits, data rights.

use domain::{AuthResponse, ErrorBody, ErrorCode, Role, UserProfile};
use serde_json::{Value, json};
use server::db::pool::{Pool, args};
use tests::{DEMO_PASSWORD, GOOD_PASSWORD, Options, TestServer, signup_body};

async fn demo() -> TestServer {
    TestServer::spawn_with(Options {
        demo: true,
        ..Options::default()
    })
    .await
}

async fn pool(server: &TestServer) -> Pool {
    server.store().await
}

async fn count_users(server: &TestServer) -> i64 {
    let pool = pool(server).await;
    let n = pool
        .fetch_one("SELECT COUNT(*) FROM users", args![], |r| r.get(0))
        .await
        .unwrap();
    pool.close().await;
    n
}

async fn error_of(r: reqwest::Response) -> (u16, ErrorBody) {
    let status = r.status().as_u16();
    (status, r.json().await.expect("the JSON error shape"))
}

#[tokio::test]
async fn sign_up_signs_in_and_the_token_opens_me() {
    let server = TestServer::spawn().await;
    let auth = server.signup("13812345678", "张小青").await;
    assert_eq!(auth.user.phone, "13812345678");
    assert_eq!(auth.user.roles, vec![Role::Youth]);
    assert!(auth.token.len() >= 43);
    let me: UserProfile = server
        .get("/api/v1/me", Some(&auth.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me, auth.user);
    // The number may be typed with +86 and spaces.
    let again = server.login("+86 138 1234 5678", GOOD_PASSWORD).await;
    assert_eq!(again.user.id, auth.user.id);
    assert_ne!(again.token, auth.token);
}

/// Status, error code and field of a refusal.
type Expected = (u16, ErrorCode, Option<&'static str>);

async fn check_signup_refused(
    server: &TestServer,
    body: Value,
    status: u16,
    code: ErrorCode,
    field: Option<&str>,
) {
    let before = count_users(server).await;
    let r = server.post("/api/v1/auth/signup", None, &body).await;
    let (got, err) = error_of(r).await;
    assert_eq!((got, err.error), (status, code), "{body}");
    assert_eq!(err.field.as_deref(), field, "{body}");
    if code == ErrorCode::InvalidField {
        assert!(
            err.reason.as_deref().is_some_and(|r| !r.is_empty()),
            "a reason for {body}"
        );
    }
    assert_eq!(
        count_users(server).await,
        before,
        "nothing stored for {body}"
    );
}

#[tokio::test]
async fn bad_sign_ups_get_a_clear_error_and_store_nothing() {
    let server = TestServer::spawn().await;
    let ok = || signup_body("13812345678", "张小青");
    let with = |key: &str, value: Value| {
        let mut b = ok();
        b[key] = value;
        b
    };
    let field = |f| (400, ErrorCode::InvalidField, Some(f));
    let cases: Vec<(Value, Expected)> = vec![
        (with("phone", json!("")), field("phone")),
        (with("phone", json!("12345")), field("phone")),
        (with("phone", json!("1390000000a")), field("phone")),
        (with("phone", json!("+1 202 555 0100")), field("phone")),
        (with("phone", json!("23900000001")), field("phone")),
        (
            with("phone", json!("１３９０００００００1")),
            field("phone"),
        ),
        (with("phone", json!("1".repeat(100_000))), field("phone")),
        (with("password", json!("short")), field("password")),
        (with("password", json!("12345678")), field("password")),
        (with("password", json!("woaini1314")), field("password")),
        (with("password", json!("a13812345678")), field("password")),
        (with("password", json!("密".repeat(129))), field("password")),
        (with("display_name", json!("")), field("display_name")),
        (with("display_name", json!("   ")), field("display_name")),
        (
            with("display_name", json!("青".repeat(33))),
            field("display_name"),
        ),
        (
            with("display_name", json!("李\u{202E}四")),
            field("display_name"),
        ),
        (
            with("display_name", json!("李\u{0000}四")),
            field("display_name"),
        ),
        (
            with("display_name", json!("\u{200B}")),
            field("display_name"),
        ),
        (with("birth_year", json!(1800)), field("birth_year")),
        (with("birth_year", json!(2100)), field("birth_year")),
        (
            with("birth_year", json!("1999")),
            (400, ErrorCode::BadRequest, None),
        ),
        (
            with("birth_year", json!(1e20)),
            (400, ErrorCode::BadRequest, None),
        ),
        (
            with(
                "consent",
                json!({ "version": domain::PRIVACY_NOTICE_VERSION, "accepted": false }),
            ),
            field("consent"),
        ),
        (
            with(
                "consent",
                json!({ "version": "2019-01-01", "accepted": true }),
            ),
            field("consent"),
        ),
        (
            with("consent", Value::Null),
            (400, ErrorCode::BadRequest, None),
        ),
        (with("birth_year", json!(2015)), field("guardian")),
        (
            {
                let mut b = with("birth_year", json!(2015));
                b["guardian"] =
                    json!({ "name": "张妈妈", "phone": "13912345678", "consent": false });
                b
            },
            field("guardian.consent"),
        ),
        (json!({}), (400, ErrorCode::BadRequest, None)),
        (json!([]), (400, ErrorCode::BadRequest, None)),
        (json!(null), (400, ErrorCode::BadRequest, None)),
    ];
    for (body, (status, code, f)) in cases {
        check_signup_refused(&server, body, status, code, f).await;
    }
    // Not JSON at all.
    for (content_type, text) in [
        ("application/json", "{"),
        ("application/json", "\u{FEFF}{}"),
        ("text/plain", "hello"),
    ] {
        let r = server
            .http
            .post(server.url("/api/v1/auth/signup"))
            .header("content-type", content_type)
            .body(text)
            .send()
            .await
            .unwrap();
        let (status, err) = error_of(r).await;
        assert!(status == 400 || status == 415, "{text}: {status}");
        assert!(matches!(
            err.error,
            ErrorCode::BadRequest | ErrorCode::UnsupportedMediaType
        ));
    }
    assert_eq!(count_users(&server).await, 0);
}

#[tokio::test]
async fn a_child_with_a_consenting_guardian_can_sign_up() {
    let server = TestServer::spawn().await;
    let mut body = signup_body("13812345678", "小明");
    body["birth_year"] = json!(2015);
    body["guardian"] = json!({ "name": "小明妈妈", "phone": "139 1234 5678", "consent": true });
    let r = server.post("/api/v1/auth/signup", None, &body).await;
    assert_eq!(r.status(), 201);
    let auth: AuthResponse = r.json().await.unwrap();
    let export: Value = server
        .get("/api/v1/me/export", Some(&auth.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(export["user"]["guardian"]["name"], "小明妈妈");
    assert_eq!(export["user"]["guardian"]["phone"], "13912345678");
}

#[tokio::test]
async fn a_taken_phone_is_refused_and_changes_nothing() {
    let server = TestServer::spawn().await;
    server.signup("13812345678", "张小青").await;
    let mut body = signup_body("+86 138-1234-5678", "冒名者");
    body["password"] = json!("another-password-1");
    let (status, err) = error_of(server.post("/api/v1/auth/signup", None, &body).await).await;
    assert_eq!((status, err.error), (409, ErrorCode::PhoneTaken));
    assert_eq!(count_users(&server).await, 1);
    server.login("13812345678", GOOD_PASSWORD).await;
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_phone_look_the_same() {
    let server = demo().await;
    let wrong = server
        .post(
            "/api/v1/auth/login",
            None,
            &json!({ "phone": "13900000003", "password": "not-the-password" }),
        )
        .await;
    let unknown = server
        .post(
            "/api/v1/auth/login",
            None,
            &json!({ "phone": "13999999999", "password": "not-the-password" }),
        )
        .await;
    let garbage = server
        .post(
            "/api/v1/auth/login",
            None,
            &json!({ "phone": "nonsense", "password": "x" }),
        )
        .await;
    let a = error_of(wrong).await;
    let b = error_of(unknown).await;
    let c = error_of(garbage).await;
    assert_eq!(a.0, 401);
    assert_eq!(a.1.error, ErrorCode::InvalidCredentials);
    assert_eq!(a, b);
    assert_eq!(a, c);
}

#[tokio::test]
async fn sign_out_ends_one_session_and_sign_out_everywhere_ends_all() {
    let server = demo().await;
    let one = server.login("13900000003", DEMO_PASSWORD).await.token;
    let two = server.login("13900000003", DEMO_PASSWORD).await.token;
    let three = server.login("13900000003", DEMO_PASSWORD).await.token;
    let r = server
        .post("/api/v1/auth/logout", Some(&one), &json!({}))
        .await;
    assert_eq!(r.status(), 204);
    assert_eq!(server.get("/api/v1/me", Some(&one)).await.status(), 401);
    assert_eq!(server.get("/api/v1/me", Some(&two)).await.status(), 200);
    let r = server
        .post("/api/v1/auth/logout-all", Some(&two), &json!({}))
        .await;
    assert_eq!(r.status(), 204);
    assert_eq!(server.get("/api/v1/me", Some(&two)).await.status(), 401);
    assert_eq!(server.get("/api/v1/me", Some(&three)).await.status(), 401);
}

#[tokio::test]
async fn changing_the_password_needs_the_old_one_and_signs_out_other_devices() {
    let server = demo().await;
    let here = server.login("13900000003", DEMO_PASSWORD).await.token;
    let elsewhere = server.login("13900000003", DEMO_PASSWORD).await.token;
    let change =
        |current: &str, new: &str| json!({ "current_password": current, "new_password": new });
    let (status, err) = error_of(
        server
            .post(
                "/api/v1/auth/password",
                Some(&here),
                &change("wrong-password", "new-secret-2026"),
            )
            .await,
    )
    .await;
    assert_eq!((status, err.error), (401, ErrorCode::InvalidCredentials));
    let (status, err) = error_of(
        server
            .post(
                "/api/v1/auth/password",
                Some(&here),
                &change(DEMO_PASSWORD, "12345678"),
            )
            .await,
    )
    .await;
    assert_eq!((status, err.field.as_deref()), (400, Some("new_password")));
    let r = server
        .post(
            "/api/v1/auth/password",
            Some(&here),
            &change(DEMO_PASSWORD, "new-secret-2026"),
        )
        .await;
    assert_eq!(r.status(), 204);
    assert_eq!(server.get("/api/v1/me", Some(&here)).await.status(), 200);
    assert_eq!(
        server.get("/api/v1/me", Some(&elsewhere)).await.status(),
        401
    );
    server.login("13900000003", "new-secret-2026").await;
    let r = server
        .post(
            "/api/v1/auth/login",
            None,
            &json!({ "phone": "13900000003", "password": DEMO_PASSWORD }),
        )
        .await;
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn an_expired_session_is_refused_and_removed() {
    let server = demo().await;
    let token = server.login("13900000003", DEMO_PASSWORD).await.token;
    let pool = pool(&server).await;
    pool.execute("UPDATE sessions SET expires_at = 0", args![])
        .await
        .unwrap();
    assert_eq!(server.get("/api/v1/me", Some(&token)).await.status(), 401);
    let left: i64 = pool
        .fetch_one("SELECT COUNT(*) FROM sessions", args![], |r| r.get(0))
        .await
        .unwrap();
    assert_eq!(left, 0);
}

#[tokio::test]
async fn using_a_session_slides_its_expiry_forward() {
    let server = demo().await;
    let token = server.login("13900000003", DEMO_PASSWORD).await.token;
    let pool = pool(&server).await;
    // Pretend it was last used 10 days ago and expires in 20.
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    pool.execute(
        "UPDATE sessions SET last_used_at = ?1, expires_at = ?2",
        args![now - 10 * 86_400, now + 20 * 86_400],
    )
    .await
    .unwrap();
    assert_eq!(server.get("/api/v1/me", Some(&token)).await.status(), 200);
    let expires: i64 = pool
        .fetch_one("SELECT expires_at FROM sessions", args![], |r| r.get(0))
        .await
        .unwrap();
    assert!(
        expires >= now + 30 * 86_400 - 5,
        "extended to 30 days from now"
    );
}

#[tokio::test]
async fn neither_passwords_nor_tokens_are_stored_in_clear() {
    let server = TestServer::spawn().await;
    let auth = server.signup("13812345678", "张小青").await;
    let again = server.login("13812345678", GOOD_PASSWORD).await;
    // Every byte of the database and its write-ahead log; on PostgreSQL, whose files belong
    // to the cluster, every row as an operator's dump holds it.
    let mut bytes = Vec::new();
    if server.is_postgres() {
        let dump = server.dir().join("secrets.sql");
        tests::pg_tool(
            "pg_dump",
            &[
                "--format=plain",
                "--file",
                &dump.display().to_string(),
                &server.database_url(),
            ],
        );
        bytes = std::fs::read(&dump).unwrap();
    } else {
        for suffix in ["", "-wal", "-shm"] {
            let path = format!("{}{suffix}", server.db_path().display());
            if let Ok(b) = std::fs::read(&path) {
                bytes.extend(b);
            }
        }
    }
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("13812345678"), "the scan reads the data");
    let devices = [&auth, &again].map(|a| a.device_token.clone().unwrap());
    for secret in [
        GOOD_PASSWORD,
        &auth.token,
        &again.token,
        &devices[0],
        &devices[1],
    ] {
        assert!(!text.contains(secret), "{secret} is stored in clear");
    }
    assert!(text.contains("$argon2id$"));
}

#[tokio::test]
async fn repeated_failures_for_one_account_are_limited() {
    let server = TestServer::spawn_with(Options {
        demo: true,
        login_limit_account: Some(3),
        ..Options::default()
    })
    .await;
    let attempt = |password: &'static str| {
        let body = json!({ "phone": "13900000003", "password": password });
        let server = &server;
        async move { server.post("/api/v1/auth/login", None, &body).await }
    };
    for _ in 0..3 {
        assert_eq!(attempt("wrong-password").await.status(), 401);
    }
    let r = attempt(DEMO_PASSWORD).await;
    assert_eq!(r.status(), 429, "even the right password waits");
    assert!(r.headers().get("retry-after").is_some());
    let (_, err) = error_of(r).await;
    assert_eq!(err.error, ErrorCode::TooManyRequests);
    // Other accounts are not affected.
    server.login("13900000002", DEMO_PASSWORD).await;
}

#[tokio::test]
async fn many_attempts_from_one_address_are_limited() {
    let server = TestServer::spawn_with(Options {
        demo: true,
        login_limit_addr: Some(5),
        ..Options::default()
    })
    .await;
    for i in 0..5 {
        let r = server
            .post(
                "/api/v1/auth/login",
                None,
                &json!({ "phone": format!("1390000{i:04}"), "password": "x-wrong-1" }),
            )
            .await;
        assert_eq!(r.status(), 401);
    }
    let r = server
        .post(
            "/api/v1/auth/login",
            None,
            &json!({ "phone": "13900000003", "password": DEMO_PASSWORD }),
        )
        .await;
    assert_eq!(r.status(), 429);
}

/// Signs in to 王青青's demo account with `client`; the answer's status and `Retry-After`.
async fn sign_in_from(
    server: &TestServer,
    client: &reqwest::Client,
    password: &str,
) -> (u16, Option<u64>) {
    let r = client
        .post(server.url("/api/v1/auth/login"))
        .json(&json!({ "phone": "13900000003", "password": password }))
        .send()
        .await
        .unwrap();
    let retry = r
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().parse().unwrap());
    (r.status().as_u16(), retry)
}

#[tokio::test]
async fn wrong_passwords_from_ten_addresses_only_delay_the_right_one() {
    // The server's limits (10 failures per account, a first wait of 1 s), every address.
    let server = TestServer::spawn_with(Options {
        demo: true,
        login_limit_addr: Some(100),
        ..Options::default()
    })
    .await;
    for n in 2..12 {
        let (status, _) = sign_in_from(&server, &server.client_from(n), "wrong-password").await;
        assert_eq!(status, 401, "attempt from 127.0.0.{n}");
    }
    let owner = server.client_from(100);
    let (status, retry) = sign_in_from(&server, &owner, DEMO_PASSWORD).await;
    assert_eq!(
        status, 429,
        "the account is slowed down: even the right password waits"
    );
    let retry = retry.expect("Retry-After");
    assert!(retry <= 1, "a short wait, not a lock: {retry} s");
    tokio::time::sleep(std::time::Duration::from_secs(retry)).await;
    let (status, _) = sign_in_from(&server, &owner, DEMO_PASSWORD).await;
    assert_eq!(
        status, 200,
        "once the wait is over the right password works"
    );
    // The attackers' failures still count: the next one waits again.
    let (status, _) = sign_in_from(&server, &server.client_from(12), "wrong-password").await;
    assert_eq!(status, 429);
}

/// Limits for the guessing tests: the server's, with a first wait so long that no test sees it
/// end.
fn slow(limit_account: Option<u32>) -> Options {
    Options {
        demo: true,
        login_limit_account: limit_account,
        login_slowdown_base_ms: Some(60_000),
        ..Options::default()
    }
}

async fn change_password(server: &TestServer, token: &str, current: &str) -> reqwest::Response {
    let body = json!({ "current_password": current, "new_password": "new-secret-2026" });
    server
        .post("/api/v1/auth/password", Some(token), &body)
        .await
}

async fn delete_me(server: &TestServer, token: &str, password: &str) -> reqwest::Response {
    server
        .http
        .delete(server.url("/api/v1/me"))
        .bearer_auth(token)
        .json(&json!({ "password": password }))
        .send()
        .await
        .unwrap()
}

/// The statuses of 30 wrong guesses: ten refused as wrong (the server's limit), then slowed.
fn assert_guesses_limited(statuses: &[u16]) {
    assert_eq!(statuses[..10], [401; 10], "{statuses:?}");
    assert!(statuses[10..].iter().all(|s| *s == 429), "{statuses:?}");
}

async fn assert_too_many(r: reqwest::Response) {
    assert!(r.headers().get("retry-after").is_some());
    let (status, err) = error_of(r).await;
    assert_eq!((status, err.error), (429, ErrorCode::TooManyRequests));
}

#[tokio::test]
async fn guessing_the_current_password_to_change_it_is_limited() {
    let server = TestServer::spawn_with(slow(None)).await;
    let token = server.login("13900000003", DEMO_PASSWORD).await.token;
    let mut statuses = Vec::new();
    for i in 0..30 {
        let r = change_password(&server, &token, &format!("guess-{i:02}")).await;
        statuses.push(r.status().as_u16());
    }
    assert_guesses_limited(&statuses);
    assert_too_many(change_password(&server, &token, DEMO_PASSWORD).await).await;
}

#[tokio::test]
async fn guessing_the_password_to_delete_the_account_is_limited() {
    let server = TestServer::spawn_with(slow(None)).await;
    let token = server.login("13900000003", DEMO_PASSWORD).await.token;
    let mut statuses = Vec::new();
    for i in 0..30 {
        let r = delete_me(&server, &token, &format!("guess-{i:02}")).await;
        statuses.push(r.status().as_u16());
    }
    assert_guesses_limited(&statuses);
    assert_too_many(delete_me(&server, &token, DEMO_PASSWORD).await).await;
    assert_eq!(server.get("/api/v1/me", Some(&token)).await.status(), 200);
}

#[tokio::test]
async fn guesses_with_a_session_and_at_sign_in_share_one_budget() {
    let server = TestServer::spawn_with(slow(Some(3))).await;
    let token = server.login("13900000003", DEMO_PASSWORD).await.token;
    assert_eq!(
        change_password(&server, &token, "guess-1").await.status(),
        401
    );
    assert_eq!(delete_me(&server, &token, "guess-2").await.status(), 401);
    let (status, _) = sign_in_from(&server, &server.client_from(2), "guess-3").await;
    assert_eq!(status, 401);
    // Three failures on the account, whichever way: signing in from elsewhere now waits,
    let (status, retry) = sign_in_from(&server, &server.client_from(3), DEMO_PASSWORD).await;
    // for the slow-down's base (60 s) counted from the last failure: what has passed since is
    // taken off (a loaded machine took over a second between the two, and the answer was 59).
    assert_eq!(status, 429);
    assert!(
        retry.is_some_and(|s| (50..=60).contains(&s)),
        "about a minute: {retry:?}"
    );
    // and so does a guess through the session.
    assert_too_many(change_password(&server, &token, "guess-4").await).await;
}

/// Signs in to `phone` with `client`, presenting a known-device token if given.
async fn sign_in_with_device(
    server: &TestServer,
    client: &reqwest::Client,
    phone: &str,
    password: &str,
    device_token: Option<&str>,
) -> reqwest::Response {
    client
        .post(server.url("/api/v1/auth/login"))
        .json(&json!({ "phone": phone, "password": password, "device_token": device_token }))
        .send()
        .await
        .unwrap()
}

/// Wrong passwords for 王青青's account from ten addresses: enough to slow it down.
async fn attack(server: &TestServer) {
    for n in 2..12 {
        let (status, _) = sign_in_from(server, &server.client_from(n), "wrong-password").await;
        assert_eq!(status, 401, "attempt from 127.0.0.{n}");
    }
    let (status, _) = sign_in_from(server, &server.client_from(12), DEMO_PASSWORD).await;
    assert_eq!(status, 429, "a new device waits");
}

#[tokio::test]
async fn a_known_device_signs_in_while_its_account_is_under_attack() {
    let server = TestServer::spawn_with(slow(None)).await;
    let phone = "13900000003";
    // The owner's phone signed in once, and kept its token through signing out.
    let first: AuthResponse =
        sign_in_with_device(&server, &server.client_from(50), phone, DEMO_PASSWORD, None)
            .await
            .json()
            .await
            .unwrap();
    let device = first.device_token.expect("a known-device token");
    assert!(device.len() >= 43);
    let r = server
        .post("/api/v1/auth/logout", Some(&first.token), &json!({}))
        .await;
    assert_eq!(r.status(), 204);
    attack(&server).await;
    // The phone is not slowed, from its own address or another (phones change networks), and
    // keeps its token.
    for n in [50, 51] {
        let r = sign_in_with_device(
            &server,
            &server.client_from(n),
            phone,
            DEMO_PASSWORD,
            Some(&device),
        )
        .await;
        assert_eq!(r.status(), 200, "from 127.0.0.{n}");
        let auth: AuthResponse = r.json().await.unwrap();
        assert_eq!(auth.device_token.as_deref(), Some(device.as_str()));
    }
    // A token the server never gave, or gave for another account, is no token.
    let other: AuthResponse = server.login("13900000002", DEMO_PASSWORD).await;
    let other_device = other.device_token.expect("a token for every sign-in");
    for token in ["made-up-token", other_device.as_str()] {
        let r = sign_in_with_device(
            &server,
            &server.client_from(52),
            phone,
            DEMO_PASSWORD,
            Some(token),
        )
        .await;
        assert_eq!(r.status(), 429, "{token}");
    }
    // The known device's own failures are limited like an address's (ten, the server's).
    for _ in 0..10 {
        let r = sign_in_with_device(
            &server,
            &server.client_from(50),
            phone,
            "wrong-password",
            Some(&device),
        )
        .await;
        assert_eq!(r.status(), 401);
    }
    let r = sign_in_with_device(
        &server,
        &server.client_from(50),
        phone,
        DEMO_PASSWORD,
        Some(&device),
    )
    .await;
    assert_eq!(r.status(), 429);
}

#[tokio::test]
async fn one_device_stays_known_for_each_account_that_signs_in_on_it() {
    let server = TestServer::spawn_with(slow(None)).await;
    let shared = server.client_from(50);
    let first: AuthResponse =
        sign_in_with_device(&server, &shared, "13900000002", DEMO_PASSWORD, None)
            .await
            .json()
            .await
            .unwrap();
    let device = first.device_token.unwrap();
    let second: AuthResponse = sign_in_with_device(
        &server,
        &shared,
        "13900000003",
        DEMO_PASSWORD,
        Some(&device),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(second.device_token.as_deref(), Some(device.as_str()));
    attack(&server).await;
    let r = sign_in_with_device(
        &server,
        &shared,
        "13900000003",
        DEMO_PASSWORD,
        Some(&device),
    )
    .await;
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn changing_the_password_forgets_the_known_devices() {
    let server = TestServer::spawn_with(slow(None)).await;
    let auth = server.login("13900000003", DEMO_PASSWORD).await;
    let device = auth.device_token.unwrap();
    let r = change_password(&server, &auth.token, DEMO_PASSWORD).await;
    assert_eq!(r.status(), 204);
    attack(&server).await;
    let r = sign_in_with_device(
        &server,
        &server.client_from(50),
        "13900000003",
        "new-secret-2026",
        Some(&device),
    )
    .await;
    assert_eq!(
        r.status(),
        429,
        "a device that knew the old password waits like any other"
    );
}

#[tokio::test]
async fn a_person_can_download_and_delete_their_data() {
    let server = demo().await;
    let auth = server.signup("13812345678", "张小青").await;
    let pool = pool(&server).await;
    pool.execute(
        "INSERT INTO registrations (id, offering_id, user_id, status, answers, created_at,
                                    received_at, updated_at, version)
         VALUES ('reg-1', 'act-river-patrol', ?1, 'confirmed', '{\"t\":\"XL\"}', 0, 0, 0, 999)",
        args![auth.user.id],
    )
    .await
    .unwrap();
    pool.execute(
        "UPDATE offering_pools SET seats_taken = 1 WHERE offering_id = 'act-river-patrol'",
        args![],
    )
    .await
    .unwrap();

    let export: Value = server
        .get("/api/v1/me/export", Some(&auth.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(export["user"]["phone"], "13812345678");
    assert_eq!(
        export["user"]["consent"]["privacy_notice_version"],
        domain::PRIVACY_NOTICE_VERSION
    );
    assert_eq!(
        export["registrations"][0]["offering_title"],
        "河小青·湘江护河巡查"
    );
    assert_eq!(export["registrations"][0]["answers"], json!({ "t": "XL" }));
    assert_eq!(export["registrations"][0]["checked_in_at"], Value::Null);
    assert_eq!(export["registrations"][0]["credited_minutes"], 0);
    assert_eq!(export["registrations"][0]["hours_flags"], json!([]));
    assert_eq!(export["sessions"].as_array().unwrap().len(), 1);
    assert_eq!(export["known_devices"].as_array().unwrap().len(), 1);
    let text = export.to_string();
    let device = auth.device_token.as_deref().unwrap();
    assert!(
        !text.contains(&auth.token) && !text.contains(device) && !text.contains("argon2"),
        "no secrets in the copy"
    );

    let delete = |password: &str| {
        server
            .http
            .delete(server.url("/api/v1/me"))
            .bearer_auth(&auth.token)
            .json(&json!({ "password": password }))
            .send()
    };
    assert_eq!(delete("wrong-password").await.unwrap().status(), 401);
    assert_eq!(delete(GOOD_PASSWORD).await.unwrap().status(), 204);

    assert_eq!(
        server.get("/api/v1/me", Some(&auth.token)).await.status(),
        401
    );
    let r = server
        .post(
            "/api/v1/auth/login",
            None,
            &json!({ "phone": "13812345678", "password": GOOD_PASSWORD }),
        )
        .await;
    assert_eq!(r.status(), 401);
    let (user_id, answers): (Option<String>, String) = pool
        .fetch_one(
            "SELECT user_id, answers FROM registrations WHERE id = 'reg-1'",
            args![],
            |r| r.tuple(),
        )
        .await
        .unwrap();
    assert_eq!(user_id, None, "anonymised");
    assert_eq!(answers, "{}");
    let (status, taken): (String, i64) = pool
        .fetch_one(
            "SELECT r.status, p.seats_taken FROM registrations r
               JOIN offering_pools p ON p.offering_id = r.offering_id AND p.pool = r.pool
              WHERE r.id = 'reg-1'",
            args![],
            |r| r.tuple(),
        )
        .await
        .unwrap();
    assert_eq!(status, "cancelled", "the upcoming place was given up");
    assert_eq!(taken, 0);
    let phones: i64 = pool
        .fetch_one(
            "SELECT COUNT(*) FROM users WHERE phone = '13812345678'",
            args![],
            |r| r.get(0),
        )
        .await
        .unwrap();
    assert_eq!(phones, 0);
    // The phone number can be used for a new account.
    server.signup("13812345678", "张小青").await;
}

#[tokio::test]
async fn admin_actions_are_audited_with_before_and_after() {
    let server = demo().await;
    let admin = server.login("13900000001", DEMO_PASSWORD).await;
    let youth = server.login("13900000003", DEMO_PASSWORD).await;
    let r = server
        .http
        .put(server.url(&format!("/api/v1/admin/users/{}/roles", youth.user.id)))
        .bearer_auth(&admin.token)
        .json(&json!({ "roles": ["youth", "organizer"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let log: Value = server
        .get(
            &format!("/api/v1/admin/audit?target=user:{}", youth.user.id),
            Some(&admin.token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(log[0]["action"], "user.roles");
    assert_eq!(log[0]["actor_id"], admin.user.id);
    assert_eq!(log[0]["before"], json!(["youth"]));
    assert_eq!(log[0]["after"], json!(["youth", "organizer"]));
    // The new role is in force at once, on the existing session.
    let me: UserProfile = server
        .get("/api/v1/me", Some(&youth.token))
        .await
        .json()
        .await
        .unwrap();
    assert!(me.has(Role::Organizer));
}

#[tokio::test]
async fn admins_cannot_remove_their_own_admin_role_and_bad_ids_are_refused() {
    let server = demo().await;
    let admin = server.login("13900000001", DEMO_PASSWORD).await;
    let put = |path: String, body: Value| {
        server
            .http
            .put(server.url(&path))
            .bearer_auth(&admin.token)
            .json(&body)
            .send()
    };
    let r = put(
        format!("/api/v1/admin/users/{}/roles", admin.user.id),
        json!({ "roles": ["youth"] }),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 400);
    let r = put(
        "/api/v1/admin/users/nobody/roles".into(),
        json!({ "roles": ["youth"] }),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 404);
    let r = put(
        format!("/api/v1/admin/users/{}/roles", admin.user.id),
        json!({ "roles": ["emperor"] }),
    )
    .await
    .unwrap();
    let (status, err) = error_of(r).await;
    assert_eq!((status, err.error), (400, ErrorCode::BadRequest));
    let organizer = server.login("13900000002", DEMO_PASSWORD).await;
    // An id that names nothing is refused by name, whichever list it is in.
    for (body, field, reason) in [
        (
            json!({ "offering_ids": ["no-such-offering"] }),
            "offering_ids",
            "unknown_offering",
        ),
        (
            json!({ "venue_ids": ["no-such-venue"] }),
            "venue_ids",
            "unknown_venue",
        ),
    ] {
        let r = put(
            format!("/api/v1/admin/users/{}/assignments", organizer.user.id),
            body,
        )
        .await
        .unwrap();
        let (status, err) = error_of(r).await;
        assert_eq!(
            (
                status,
                err.error,
                err.field.as_deref(),
                err.reason.as_deref()
            ),
            (400, ErrorCode::InvalidField, Some(field), Some(reason))
        );
    }
    // Nothing changed: the organizer still runs the demo activity.
    let a: Value = server
        .get(
            &format!("/api/v1/admin/users/{}/assignments", organizer.user.id),
            Some(&admin.token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(
        a["offering_ids"]
            .as_array()
            .unwrap()
            .contains(&json!("act-river-patrol"))
    );
}

#[tokio::test]
async fn admins_search_users_by_phone_or_name() {
    let server = demo().await;
    let admin = server.login("13900000001", DEMO_PASSWORD).await;
    let find = |q: &str| {
        let url = format!("/api/v1/admin/users?q={}", q);
        let s = &server;
        let t = admin.token.clone();
        async move { s.get(&url, Some(&t)).await.json::<Value>().await.unwrap() }
    };
    // The demo district also has its past months' young people (phones 1880000xxxx).
    assert_eq!(find("13900000003").await.as_array().unwrap().len(), 1);
    let found = find("0003").await;
    let found = found.as_array().unwrap();
    assert!(found.iter().any(|u| u["display_name"] == "王青青"));
    assert!(found.iter().all(|u| {
        u["phone"].as_str().unwrap().contains("0003")
            || u["display_name"].as_str().unwrap().contains("0003")
    }));
    // Newest accounts first: the demo accounts were made after the history's.
    assert_eq!(find("%E7%8E%8B").await[0]["display_name"], "王青青"); // 王
    assert_eq!(
        find("%25").await.as_array().unwrap().len(),
        0,
        "% is not a wildcard"
    );
    // An empty search lists everyone, up to the default page of 50.
    let everyone: i64 = server
        .store()
        .await
        .fetch_one("SELECT COUNT(*) FROM users", args![], |r| r.get(0))
        .await
        .unwrap();
    assert!(everyone > 50);
    assert_eq!(find("").await.as_array().unwrap().len(), 50);
}

/// A deleted account's registrations are kept anonymised, each at a version of its own: a pull
/// page never splits a version, so two rows sharing one could be left behind an organizer's
/// cursor.
#[tokio::test]
async fn an_accounts_registrations_are_anonymised_each_at_its_own_version() {
    let server = demo().await;
    let token = server.signup("13755550001", "将注销").await.token;
    let mutations: Vec<Value> = ["act-river-patrol", "act-waste-sorting", "act-hope-house"]
        .iter()
        .enumerate()
        .map(|(i, o)| {
            json!({ "id": i + 1, "name": "registration.request", "created_at": tests::now_ms(),
                    "args": { "registration_id": uuid::Uuid::new_v4().to_string(), "offering_id": o } })
        })
        .collect();
    let r = server
        .post(
            "/api/v1/sync/push",
            Some(&token),
            &json!({ "schema_version": 1, "client_id": uuid::Uuid::new_v4().to_string(),
                     "client_time": tests::now_ms(), "mutations": mutations }),
        )
        .await;
    assert_eq!(r.status(), 200);
    let pool = pool(&server).await;
    let user_id: String = pool
        .fetch_one(
            "SELECT id FROM users WHERE phone = '13755550001'",
            args![],
            |r| r.get(0),
        )
        .await
        .unwrap();
    let ids: Vec<String> = pool
        .fetch_all(
            "SELECT id FROM registrations WHERE user_id = ?1 ORDER BY id",
            args![user_id],
            |r| r.get(0),
        )
        .await
        .unwrap();
    assert_eq!(ids.len(), 3);
    assert_eq!(
        delete_me(&server, &token, GOOD_PASSWORD).await.status(),
        204
    );
    let mut versions: Vec<i64> = Vec::new();
    for id in &ids {
        let (user, v): (Option<String>, i64) = pool
            .fetch_one(
                "SELECT user_id, version FROM registrations WHERE id = ?1",
                args![id],
                |r| r.tuple(),
            )
            .await
            .unwrap();
        assert_eq!(user, None);
        versions.push(v);
    }
    versions.sort_unstable();
    versions.dedup();
    assert_eq!(versions.len(), 3, "each row its own version");
}
