//! Sign-in limits, in the database: guessing a password is slow, yet nobody can lock a person
//! out, and every server process on the database counts against the same limits.
//!
//! Every check of a password (signing in, changing the password, deleting the account) is an
//! [`Attempt`] on an account (its normalised phone number) from an address, and from a known
//! device when it presents a valid known-device token. Three limits apply:
//!
//! - **per address**: at most `limit_addr` attempts (sign-ups included) per window; over it,
//!   refused until the window ends;
//! - **per account and address** (or account and known device): at most `limit_account`
//!   failures per window; over it, refused until the window ends; forgotten on success;
//! - **per account, across all addresses, a slow-down rather than a lock**: after
//!   `limit_account` failures, each further attempt waits `base · 2^k` after the last one
//!   (k: failures beyond the limit), at most `60 · base`; once the wait is over the right
//!   password works. The failures are forgotten after a window with no attempt. A known
//!   device skips this wait, so an attack on an account does not keep its owner out.
//!
//! An attempt counts as a failure from the moment it is let through until it succeeds, so
//! attempts sent at once cannot all pass before any of them is counted. A limit of 0 turns its
//! counters off (load tests: then the database is not touched); a base of 0 turns the
//! slow-down off.
//!
//! The counts live in `sign_in_limits` (migration 0016), one row per key (`addr:…`,
//! `pair:<account>\n<addr:… or device:…>`, `account:…`), so several processes on one database
//! share them and a restart keeps them; times are Unix milliseconds (wall clock: shared by the
//! processes, unlike an `Instant`). An attempt is checked and counted in one write transaction
//! (read the keys' rows, decide with [`decide`], write them back); a success is one `UPDATE`
//! in a transaction of its own. On SQLite the transaction takes the database's write lock
//! (`BEGIN IMMEDIATE`). On PostgreSQL it first takes a transaction-scoped advisory lock per key
//! it touches ([`LOCK_KEY`], in key order, so two attempts never wait on each other in a
//! circle): two attempts that share a key (an address, an account) are one after the other
//! across processes and replicas, and attempts that share none run side by side. They never
//! take the sync writers' lock on the version counter, so a flood of sign-ins does not slow
//! the registrations down, nor a busy writer the sign-ins.
//! Rows quiet for a window are deleted by the periodic job ([`expire_on`], run once across
//! processes by the server's `jobs` module).

use crate::Config;
use crate::db::pool::{Pool, Tx, args};
use crate::db::sql::{self, Backend};
use std::time::Duration;

/// Over a limit: try again after this long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryAfter(pub Duration);

/// The longest slow-down, in multiples of its base (1 s → 1 min).
const MAX_SLOWDOWN_FACTOR: u32 = 60;

/// The numbers the limits use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// Failures per account before the slow-down; also per account and address (or known
    /// device) before the hard limit. 0: neither.
    pub limit_account: u32,
    /// Attempts per address per window. 0: no limit.
    pub limit_addr: u32,
    /// The window of the hard limits, and the quiet time that ends a slow-down.
    pub window: Duration,
    /// The first wait of a slow-down. Zero: no slow-down.
    pub slowdown_base: Duration,
}

impl Settings {
    /// The settings the flags ask for.
    pub fn from_config(config: &Config) -> Self {
        Self {
            limit_account: config.login_limit_account,
            limit_addr: config.login_limit_addr,
            window: Duration::from_secs(config.login_window_secs.max(1)),
            slowdown_base: Duration::from_millis(config.login_slowdown_base_ms),
        }
    }

    /// The wait after the `k`-th failure beyond the limit (from 0): doubling, capped.
    fn delay(&self, k: u32) -> Duration {
        let cap = self.slowdown_base.saturating_mul(MAX_SLOWDOWN_FACTOR);
        self.slowdown_base
            .saturating_mul(2u32.saturating_pow(k))
            .min(cap)
    }
}

/// One password check: which account, from where, and from which known device if any.
#[derive(Debug, Clone, Copy)]
pub struct Attempt<'a> {
    /// The account: the normalised phone number (or what was typed, if it is not one).
    pub account: &'a str,
    /// The client's address.
    pub addr: &'a str,
    /// A known device of this account (an id the server derived, never the client's word).
    pub device: Option<&'a str>,
}

impl Attempt<'_> {
    /// The key of the per-(account, address or device) limit. An address or a device id never
    /// holds a line break, so the last one splits the key back into its two parts: no two
    /// pairs share a key, whatever was typed as the account.
    fn pair_key(&self) -> String {
        match self.device {
            Some(device) => format!("pair:{}\ndevice:{device}", self.account),
            None => format!("pair:{}\naddr:{}", self.account, self.addr),
        }
    }

    fn account_key(&self) -> String {
        format!("account:{}", self.account)
    }
}

fn addr_key(addr: &str) -> String {
    format!("addr:{addr}")
}

/// Now, in Unix milliseconds: the clock the limits count in (one clock for every process).
pub fn now_ms() -> i64 {
    let ms = time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000;
    i64::try_from(ms).unwrap_or(i64::MAX)
}

/// One row of `sign_in_limits`: a count, when its window started and its last event (Unix
/// milliseconds). For an account, `count` is its failures and `last_ms` the last one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count {
    /// The first event of the window.
    pub start_ms: i64,
    /// Events in the window (a pair's or an account's: failures).
    pub count: i64,
    /// The last event counted.
    pub last_ms: i64,
}

/// The counts one check reads and writes, by limit (`None`: no row, or the limit is off).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// The address's attempts.
    pub addr: Option<Count>,
    /// The account's failures from this address or known device.
    pub pair: Option<Count>,
    /// The account's failures from anywhere.
    pub account: Option<Count>,
}

/// Time from `from` to `now`; none if the clock went back.
fn since(from: i64, now: i64) -> Duration {
    Duration::from_millis(u64::try_from(now.saturating_sub(from)).unwrap_or(0))
}

/// How long a count must still wait under a hard limit of `limit` per `window`.
fn window_wait(c: Option<Count>, limit: u32, window: Duration, now: i64) -> Option<Duration> {
    let c = c?;
    let elapsed = since(c.start_ms, now);
    (limit > 0 && c.count >= i64::from(limit) && elapsed < window).then(|| window - elapsed)
}

/// `c` with one more event at `now`. A window starts with its first event: a new one when the
/// last is over, or when nothing is counted in it (a pair's failures forgotten on success).
fn window_count(c: Option<Count>, window: Duration, now: i64) -> Count {
    match c {
        Some(c) if c.count > 0 && since(c.start_ms, now) < window => Count {
            count: c.count + 1,
            last_ms: now,
            ..c
        },
        _ => Count {
            start_ms: now,
            count: 1,
            last_ms: now,
        },
    }
}

/// A sign-up from an address with `counts` (its `addr` only) at `now`: refused with the wait,
/// or let through with the counts to write.
pub fn decide_sign_up(s: &Settings, counts: &Counts, now: i64) -> Result<Counts, RetryAfter> {
    if s.limit_addr == 0 {
        return Ok(Counts::default());
    }
    if let Some(wait) = window_wait(counts.addr, s.limit_addr, s.window, now) {
        return Err(RetryAfter(wait));
    }
    Ok(Counts {
        addr: Some(window_count(counts.addr, s.window, now)),
        ..Counts::default()
    })
}

/// A password check with `counts` at `now`, from a known device or not: refused with the
/// longest of the waits (counted nowhere), or let through with the counts to write (the
/// address's attempt, the pair's and the account's failure).
pub fn decide(
    s: &Settings,
    counts: &Counts,
    known_device: bool,
    now: i64,
) -> Result<Counts, RetryAfter> {
    let slowed = || {
        let slow = counts.account?;
        let quiet = since(slow.last_ms, now);
        let limit = i64::from(s.limit_account);
        if s.limit_account == 0 || slow.count < limit || quiet >= s.window {
            return None;
        }
        let wait = s.delay(u32::try_from(slow.count - limit).unwrap_or(u32::MAX));
        (quiet < wait).then(|| wait - quiet)
    };
    let waits = [
        window_wait(counts.addr, s.limit_addr, s.window, now),
        window_wait(counts.pair, s.limit_account, s.window, now),
        // A known device is spared the account's slow-down, not its own limit above.
        (!known_device).then(slowed).flatten(),
    ];
    if let Some(wait) = waits.into_iter().flatten().max() {
        return Err(RetryAfter(wait));
    }
    let mut next = Counts::default();
    if s.limit_addr > 0 {
        next.addr = Some(window_count(counts.addr, s.window, now));
    }
    if s.limit_account > 0 {
        next.pair = Some(window_count(counts.pair, s.window, now));
        next.account = Some(match counts.account {
            Some(a) if since(a.last_ms, now) < s.window => Count {
                count: a.count + 1,
                last_ms: now,
                ..a
            },
            _ => Count {
                start_ms: now,
                count: 1,
                last_ms: now,
            },
        });
    }
    Ok(next)
}

/// The keys of one check, by limit (`None`: that limit is off).
#[derive(Default)]
struct Keys {
    addr: Option<String>,
    pair: Option<String>,
    account: Option<String>,
}

/// On PostgreSQL, the advisory lock of one key until the transaction ends. The two-number
/// form: its first number names this use ("QTSL"), so the key's hash cannot meet another
/// advisory lock of the server's (those are one-number locks, a separate key space).
/// (A column of a known type around it: the lock function returns `void`.)
const LOCK_KEY: &str =
    "SELECT 1 FROM (SELECT pg_advisory_xact_lock(1364480844, hashtext(?1))) AS locked";

/// The rows of up to three keys.
const READ: &str = "SELECT key, start_ms, count, last_ms FROM sign_in_limits
                     WHERE key IN (?1, ?2, ?3)";

/// Forgets a pair's failures (its count to 0: its next window starts with its next failure)
/// and takes one failure off its account.
const SUCCEEDED: &str = "UPDATE sign_in_limits
                            SET count = CASE WHEN key = ?1 THEN 0 ELSE count - 1 END
                          WHERE key IN (?1, ?2) AND count > 0";

/// Rows quiet since this time: a window over, an account's failures forgotten.
const EXPIRE: &str = "DELETE FROM sign_in_limits WHERE last_ms <= ?1";

/// The upsert of one to three rows, placeholders `?1`…`?4n` in order.
macro_rules! write_rows {
    ($($rows:literal),+) => {
        concat!(
            "INSERT INTO sign_in_limits (key, start_ms, count, last_ms) VALUES ",
            $($rows,)+
            " ON CONFLICT (key) DO UPDATE SET start_ms = excluded.start_ms,",
            " count = excluded.count, last_ms = excluded.last_ms"
        )
    };
}
const WRITE: [&str; 3] = [
    write_rows!("(?1, ?2, ?3, ?4)"),
    write_rows!("(?1, ?2, ?3, ?4), (?5, ?6, ?7, ?8)"),
    write_rows!("(?1, ?2, ?3, ?4), (?5, ?6, ?7, ?8), (?9, ?10, ?11, ?12)"),
];

/// The sign-in limits, counted in the database the server runs on.
#[derive(Debug)]
pub struct Limits {
    settings: Settings,
    db: Pool,
}

impl Limits {
    /// Limits with these settings, counted in `db`.
    pub fn new(settings: Settings, db: Pool) -> Self {
        Self { settings, db }
    }

    /// The limits the flags ask for.
    pub fn from_config(config: &Config, db: Pool) -> Self {
        Self::new(Settings::from_config(config), db)
    }

    /// A sign-up from `addr` at `now` (Unix ms): only the address's limit applies. Counts it
    /// if let through.
    pub async fn sign_up(&self, addr: &str, now: i64) -> sql::Result<Result<(), RetryAfter>> {
        let s = self.settings;
        let keys = Keys {
            addr: (s.limit_addr > 0).then(|| addr_key(addr)),
            ..Keys::default()
        };
        self.check_and_count(keys, |counts| decide_sign_up(&s, counts, now))
            .await
    }

    /// Whether a password may be checked at `now` (Unix ms); if so, the attempt is counted
    /// against its address, and as a failure of its account and pair until
    /// [`Limits::succeeded`]. Refused, it counts nowhere and the longest of the waits is
    /// returned.
    pub async fn begin(
        &self,
        attempt: &Attempt<'_>,
        now: i64,
    ) -> sql::Result<Result<(), RetryAfter>> {
        let s = self.settings;
        let keys = Keys {
            addr: (s.limit_addr > 0).then(|| addr_key(attempt.addr)),
            pair: (s.limit_account > 0).then(|| attempt.pair_key()),
            account: (s.limit_account > 0).then(|| attempt.account_key()),
        };
        let known = attempt.device.is_some();
        self.check_and_count(keys, |counts| decide(&s, counts, known, now))
            .await
    }

    /// The password was right: this address's (or device's) failures on the account are
    /// forgotten, and this attempt no longer counts against the account. Failures from
    /// elsewhere still do: a success here says nothing about them.
    pub async fn succeeded(&self, attempt: &Attempt<'_>) -> sql::Result<()> {
        if self.settings.limit_account == 0 {
            return Ok(());
        }
        let (pair, account) = (attempt.pair_key(), attempt.account_key());
        let mut tx = self.db.begin().await?;
        lock_keys(&mut tx, [Some(&pair), Some(&account)]).await?;
        tx.execute(SUCCEEDED, args![pair, account]).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Reads the keys' rows, asks `decide`, and writes what it returns, in one write
    /// transaction; nothing at all when every limit is off.
    async fn check_and_count(
        &self,
        keys: Keys,
        decide: impl FnOnce(&Counts) -> Result<Counts, RetryAfter>,
    ) -> sql::Result<Result<(), RetryAfter>> {
        if keys.addr.is_none() && keys.pair.is_none() && keys.account.is_none() {
            return Ok(decide(&Counts::default()).map(drop));
        }
        let mut tx = self.db.begin().await?;
        lock_keys(
            &mut tx,
            [&keys.addr, &keys.pair, &keys.account].map(Option::as_ref),
        )
        .await?;
        let rows: Vec<(String, i64, i64, i64)> = tx
            .fetch_all(READ, args![keys.addr, keys.pair, keys.account], |r| {
                r.tuple()
            })
            .await?;
        let find = |key: &Option<String>| {
            let key = key.as_deref()?;
            rows.iter()
                .find(|(k, ..)| k == key)
                .map(|&(_, start_ms, count, last_ms)| Count {
                    start_ms,
                    count,
                    last_ms,
                })
        };
        let counts = Counts {
            addr: find(&keys.addr),
            pair: find(&keys.pair),
            account: find(&keys.account),
        };
        let next = match decide(&counts) {
            Ok(next) => next,
            // Dropped: rolled back, nothing written.
            Err(wait) => return Ok(Err(wait)),
        };
        let writes: Vec<(&String, Count)> = [
            (&keys.addr, next.addr),
            (&keys.pair, next.pair),
            (&keys.account, next.account),
        ]
        .into_iter()
        .filter_map(|(key, count)| Some((key.as_ref()?, count?)))
        .collect();
        if let Some(sql) = writes.len().checked_sub(1).and_then(|i| WRITE.get(i)) {
            let mut values = Vec::with_capacity(4 * writes.len());
            for (key, c) in &writes {
                values.extend(args![**key, c.start_ms, c.count, c.last_ms]);
            }
            tx.execute(sql, values).await?;
        }
        tx.commit().await?;
        Ok(Ok(()))
    }
}

/// On PostgreSQL, takes [`LOCK_KEY`] for each of `keys` there is, in key order; nothing on
/// SQLite, whose transactions hold the whole database's write lock from their start.
async fn lock_keys<const N: usize>(tx: &mut Tx, keys: [Option<&String>; N]) -> sql::Result<()> {
    if tx.backend() != Backend::Postgres {
        return Ok(());
    }
    let mut keys: Vec<&String> = keys.into_iter().flatten().collect();
    keys.sort_unstable();
    keys.dedup();
    for key in keys {
        tx.execute(LOCK_KEY, args![key.as_str()]).await?;
    }
    Ok(())
}

/// Deletes the counts quiet for `window` before `now` (Unix ms), inside the caller's
/// transaction: every window they belong to is over and an account's failures are forgotten,
/// so [`decide`] would treat them as absent. The periodic job runs it. Returns how many.
pub fn expire_on(
    conn: &crate::db::sql::Conn,
    now: i64,
    window: Duration,
) -> crate::db::sql::Result<usize> {
    let window_ms = i64::try_from(window.as_millis()).unwrap_or(i64::MAX);
    conn.prepare_cached(EXPIRE)?
        .execute([now.saturating_sub(window_ms)])
}

#[cfg(test)]
mod tests {
    use super::*;

    const WINDOW: i64 = 900_000;
    const SECOND: i64 = 1_000;
    /// A start time (2026-01-01, Unix ms).
    const T0: i64 = 1_767_225_600_000;

    fn ms(n: i64) -> Duration {
        Duration::from_millis(u64::try_from(n).unwrap())
    }

    fn settings(limit_account: u32, limit_addr: u32) -> Settings {
        Settings {
            limit_account,
            limit_addr,
            window: ms(WINDOW),
            slowdown_base: ms(SECOND),
        }
    }

    /// Limits on a fresh database (kept while the folder lives).
    struct Test {
        _dir: tempfile::TempDir,
        /// The database's file, as a second process would open it.
        file: sqlx::SqlitePool,
        limits: Limits,
    }

    async fn limits(limit_account: u32, limit_addr: u32) -> Test {
        with(settings(limit_account, limit_addr)).await
    }

    async fn with(settings: Settings) -> Test {
        let (dir, db) = crate::db::test_database().await;
        Test {
            _dir: dir,
            limits: Limits::new(settings, Pool::Sqlite(db.pool.clone())),
            file: db.pool,
        }
    }

    impl Test {
        async fn begin(&self, attempt: &Attempt<'_>, at: i64) -> Result<(), RetryAfter> {
            self.limits.begin(attempt, at).await.expect("the database")
        }

        async fn sign_up(&self, addr: &str, at: i64) -> Result<(), RetryAfter> {
            self.limits.sign_up(addr, at).await.expect("the database")
        }

        async fn succeeded(&self, attempt: &Attempt<'_>) {
            self.limits.succeeded(attempt).await.expect("the database");
        }

        /// A failed attempt: let through, never succeeded.
        async fn fail(&self, attempt: &Attempt<'_>, at: i64) {
            self.begin(attempt, at).await.expect("let through");
        }

        async fn rows(&self) -> i64 {
            self.limits
                .db
                .fetch_one("SELECT COUNT(*) FROM sign_in_limits", args![], |r| r.get(0))
                .await
                .unwrap()
        }
    }

    fn from(addr: &str) -> Attempt<'_> {
        Attempt {
            account: "13900000003",
            addr,
            device: None,
        }
    }

    #[tokio::test]
    async fn one_address_is_stopped_at_its_limit_until_the_window_ends() {
        let l = limits(3, 0).await;
        for _ in 0..3 {
            l.fail(&from("10.0.0.1"), T0).await;
        }
        // The account is slowed too, but this pair's hard limit is the longer wait.
        let RetryAfter(wait) = l
            .begin(&from("10.0.0.1"), T0 + 10 * SECOND)
            .await
            .unwrap_err();
        assert_eq!(wait, ms(WINDOW - 10 * SECOND));
        assert!(
            l.begin(&from("10.0.0.1"), T0 + WINDOW - SECOND)
                .await
                .is_err()
        );
        assert!(l.begin(&from("10.0.0.1"), T0 + WINDOW).await.is_ok());
    }

    #[tokio::test]
    async fn failures_from_many_addresses_slow_the_account_down_but_never_lock_it() {
        let l = limits(10, 0).await;
        for i in 0..10 {
            l.fail(&from(&format!("10.0.0.{i}")), T0).await;
        }
        let owner = from("192.168.1.7");
        assert_eq!(
            l.begin(&owner, T0).await.unwrap_err(),
            RetryAfter(ms(SECOND))
        );
        assert_eq!(
            l.begin(&owner, T0 + SECOND / 4).await.unwrap_err(),
            RetryAfter(ms(SECOND * 3 / 4)),
            "a refused attempt does not move the wait"
        );
        // Once the wait is over the owner gets through, and with the right password the
        // account is back where it was.
        l.begin(&owner, T0 + SECOND).await.unwrap();
        l.succeeded(&owner).await;
        assert_eq!(
            l.begin(&from("10.0.0.99"), T0 + SECOND).await.unwrap_err(),
            RetryAfter(ms(SECOND)),
            "the owner's success leaves the attackers' failures counted"
        );
    }

    #[tokio::test]
    async fn each_failure_beyond_the_limit_doubles_the_wait_up_to_a_minute() {
        let l = limits(2, 0).await;
        let mut t = T0;
        let mut waits = Vec::new();
        // A new address each time: only the account's slow-down applies.
        for i in 0..12 {
            let addr = format!("10.0.0.{i}");
            if let Err(RetryAfter(wait)) = l.begin(&from(&addr), t).await {
                waits.push(wait.as_secs());
                t += i64::try_from(wait.as_millis()).unwrap();
                l.begin(&from(&addr), t)
                    .await
                    .expect("let through once the wait is over");
            }
        }
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 60, 60, 60, 60]);
    }

    #[tokio::test]
    async fn the_slow_down_ends_after_a_quiet_window() {
        let l = limits(1, 0).await;
        l.fail(&from("10.0.0.1"), T0).await;
        assert!(l.begin(&from("10.0.0.2"), T0).await.is_err());
        l.fail(&from("10.0.0.2"), T0 + SECOND).await;
        l.fail(&from("10.0.0.3"), T0 + 3 * SECOND).await;
        // Four seconds' wait now; but after a window without attempts, none.
        assert!(l.begin(&from("10.0.0.4"), T0 + 4 * SECOND).await.is_err());
        assert!(
            l.begin(&from("10.0.0.4"), T0 + 3 * SECOND + WINDOW)
                .await
                .is_ok()
        );
        assert!(
            l.begin(&from("10.0.0.5"), T0 + 3 * SECOND + WINDOW)
                .await
                .is_err(),
            "counting starts again: one failure is the limit"
        );
    }

    #[tokio::test]
    async fn a_known_device_skips_the_slow_down_but_not_its_own_limit() {
        let l = limits(3, 0).await;
        for i in 0..20 {
            let _ = l.begin(&from(&format!("10.0.0.{i}")), T0).await;
        }
        assert!(l.begin(&from("192.168.1.7"), T0).await.is_err(), "slowed");
        let device = Attempt {
            device: Some("abc"),
            ..from("10.0.0.1")
        };
        l.begin(&device, T0)
            .await
            .expect("a known device is not slowed");
        l.succeeded(&device).await;
        // Its own failures are limited like an address's, and only its own.
        for _ in 0..3 {
            l.fail(&device, T0).await;
        }
        let RetryAfter(wait) = l.begin(&device, T0 + SECOND).await.unwrap_err();
        assert_eq!(wait, ms(WINDOW - SECOND));
        let other = Attempt {
            device: Some("def"),
            ..from("10.0.0.1")
        };
        assert!(l.begin(&other, T0 + SECOND).await.is_ok());
    }

    #[tokio::test]
    async fn attempts_in_flight_count_before_they_finish() {
        let l = limits(2, 0).await;
        // Two checks let through, neither finished: a third, at once, is slowed.
        l.begin(&from("10.0.0.1"), T0).await.unwrap();
        l.begin(&from("10.0.0.2"), T0).await.unwrap();
        assert!(l.begin(&from("10.0.0.3"), T0).await.is_err());
    }

    #[tokio::test]
    async fn success_forgets_the_pairs_failures_but_not_the_accounts() {
        let l = limits(3, 0).await;
        // A known device, so that only its own limit applies to it.
        let device = Attempt {
            device: Some("abc"),
            ..from("10.0.0.1")
        };
        for _ in 0..2 {
            l.fail(&device, T0).await;
        }
        l.begin(&device, T0).await.unwrap();
        l.succeeded(&device).await;
        for _ in 0..3 {
            l.fail(&device, T0).await;
        }
        assert!(l.begin(&device, T0).await.is_err(), "three new failures");
        // All five failures count on the account: others are slowed.
        assert_eq!(
            l.begin(&from("10.0.0.2"), T0).await.unwrap_err(),
            RetryAfter(ms(4 * SECOND))
        );
    }

    #[tokio::test]
    async fn after_a_success_the_pairs_next_window_starts_with_its_next_failure() {
        let l = limits(2, 0).await;
        let device = Attempt {
            device: Some("abc"),
            ..from("10.0.0.1")
        };
        l.fail(&device, T0).await;
        l.begin(&device, T0).await.unwrap();
        l.succeeded(&device).await;
        // Two failures just before the old window would have ended: a full window's wait.
        let late = T0 + WINDOW - SECOND;
        l.fail(&device, late).await;
        l.fail(&device, late).await;
        assert_eq!(
            l.begin(&device, late + SECOND).await.unwrap_err(),
            RetryAfter(ms(WINDOW - SECOND))
        );
    }

    #[tokio::test]
    async fn each_address_has_a_hard_limit_on_attempts_and_sign_ups() {
        let l = limits(0, 3).await;
        l.sign_up("10.0.0.1", T0).await.unwrap();
        for i in 0..2 {
            let attempt = Attempt {
                account: &format!("1390000000{i}"),
                addr: "10.0.0.1",
                device: None,
            };
            l.begin(&attempt, T0).await.unwrap();
            l.succeeded(&attempt).await;
        }
        assert_eq!(
            l.begin(&from("10.0.0.1"), T0 + SECOND).await.unwrap_err(),
            RetryAfter(ms(WINDOW - SECOND)),
            "successes count on the address too"
        );
        assert!(l.sign_up("10.0.0.1", T0).await.is_err());
        assert!(l.begin(&from("10.0.0.2"), T0).await.is_ok());
    }

    #[tokio::test]
    async fn zero_turns_the_limits_off() {
        let l = limits(0, 0).await;
        for _ in 0..1000 {
            l.begin(&from("10.0.0.1"), T0).await.unwrap();
            l.sign_up("10.0.0.1", T0).await.unwrap();
        }
        assert_eq!(
            l.rows().await,
            0,
            "nothing is written when the limits are off"
        );
        let no_slowdown = with(Settings {
            slowdown_base: Duration::ZERO,
            ..settings(2, 0)
        })
        .await;
        for i in 0..10 {
            no_slowdown
                .begin(&from(&format!("10.0.0.{i}")), T0)
                .await
                .expect("no wait with a base of zero");
        }
        no_slowdown.begin(&from("10.0.0.1"), T0).await.unwrap();
        assert!(
            no_slowdown.begin(&from("10.0.0.1"), T0).await.is_err(),
            "the hard limit per account and address still applies"
        );
    }

    #[tokio::test]
    async fn limits_on_one_database_share_their_counts() {
        // Two processes' limits: two pools on one file.
        let l = limits(0, 4).await;
        let other = Limits::new(
            settings(0, 4),
            Pool::Sqlite(
                sqlx::SqlitePool::connect_with(l.file.connect_options().as_ref().clone())
                    .await
                    .unwrap(),
            ),
        );
        for i in 0..4 {
            let side = if i % 2 == 0 { &l.limits } else { &other };
            side.begin(&from("10.0.0.1"), T0).await.unwrap().unwrap();
        }
        assert!(l.begin(&from("10.0.0.1"), T0).await.is_err());
        assert!(other.begin(&from("10.0.0.1"), T0).await.unwrap().is_err());
    }

    #[tokio::test]
    async fn quiet_counts_expire_and_the_rest_stay() {
        let l = limits(3, 5).await;
        l.fail(&from("10.0.0.1"), T0).await;
        l.fail(&from("10.0.0.2"), T0 + 10 * SECOND).await;
        // addr:10.0.0.1, addr:10.0.0.2, two pairs, one account.
        assert_eq!(l.rows().await, 5);
        let conn = crate::db::sql::Conn::Sqlite(
            crate::db::open_writer(&l.file.connect_options()).unwrap(),
        );
        let gone = expire_on(&conn, T0 + WINDOW + SECOND, ms(WINDOW)).unwrap();
        assert_eq!(gone, 2, "the first address's rows, quiet for a window");
        assert_eq!(l.rows().await, 3);
        // The account's failures stay: its last was within the window.
        let failures: i64 = l
            .limits
            .db
            .fetch_one(
                "SELECT count FROM sign_in_limits WHERE key = 'account:13900000003'",
                args![],
                |r| r.get(0),
            )
            .await
            .unwrap();
        assert_eq!(failures, 2);
    }

    #[test]
    fn pair_keys_never_collide_whatever_is_typed() {
        let typed = Attempt {
            account: "13900000003\naddr:10.0.0.1",
            addr: "10.0.0.2",
            device: None,
        };
        let real = from("10.0.0.1");
        assert_ne!(typed.pair_key(), real.pair_key());
    }
}
