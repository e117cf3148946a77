//! Sign-in limits, in memory: guessing a password is slow, yet nobody can lock a person out.
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
//! attempts sent at once cannot all pass before any of them is counted. With several replicas
//! each keeps its own counts (a stricter shared limit needs the database). A limit of 0 turns
//! its counters off (load tests); a base of 0 turns the slow-down off.

use crate::Config;
use std::{
    collections::HashMap,
    hash::Hash,
    sync::{Mutex, MutexGuard},
    time::{Duration, Instant},
};

/// Over a limit: try again after this long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryAfter(pub Duration);

/// The longest slow-down, in multiples of its base (1 s → 1 min).
const MAX_SLOWDOWN_FACTOR: u32 = 60;

/// Above this many keys, a map drops the ones whose window is over.
const PRUNE_ABOVE: usize = 10_000;

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
    /// The key of the per-(account, address or device) limit.
    fn pair(&self) -> (String, String) {
        let who = match self.device {
            Some(device) => format!("device:{device}"),
            None => format!("addr:{}", self.addr),
        };
        (self.account.to_owned(), who)
    }
}

/// A count within a fixed window that starts with its first event.
#[derive(Debug, Clone, Copy)]
struct Window {
    start: Instant,
    count: u32,
}

/// An account's failures and the time of its last attempt let through.
#[derive(Debug, Clone, Copy)]
struct Slow {
    failures: u32,
    last: Instant,
}

#[derive(Debug, Default)]
struct State {
    by_addr: HashMap<String, Window>,
    by_pair: HashMap<(String, String), Window>,
    by_account: HashMap<String, Slow>,
}

/// The sign-in limits of one server process. One lock for all three, so an attempt is checked
/// against all of them and counted in all of them at once.
#[derive(Debug)]
pub struct Limits {
    settings: Settings,
    state: Mutex<State>,
}

/// How long `key` must still wait under a hard limit of `limit` per `window`.
fn window_wait<K: Hash + Eq>(
    map: &HashMap<K, Window>,
    key: &K,
    limit: u32,
    window: Duration,
    now: Instant,
) -> Option<Duration> {
    let w = map.get(key)?;
    let elapsed = now.saturating_duration_since(w.start);
    (limit > 0 && w.count >= limit && elapsed < window).then(|| window - elapsed)
}

fn window_count<K: Hash + Eq>(
    map: &mut HashMap<K, Window>,
    key: K,
    window: Duration,
    now: Instant,
) {
    if map.len() > PRUNE_ABOVE {
        map.retain(|_, w| now.saturating_duration_since(w.start) < window);
    }
    let w = map.entry(key).or_insert(Window {
        start: now,
        count: 0,
    });
    if now.saturating_duration_since(w.start) >= window {
        *w = Window {
            start: now,
            count: 0,
        };
    }
    w.count += 1;
}

impl Limits {
    /// Limits with these settings.
    pub fn new(settings: Settings) -> Self {
        Self {
            settings,
            state: Mutex::new(State::default()),
        }
    }

    /// The limits the flags ask for.
    pub fn from_config(config: &Config) -> Self {
        Self::new(Settings::from_config(config))
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A sign-up from `addr`: only the address's limit applies. Counts it if let through.
    pub fn sign_up(&self, addr: &str, now: Instant) -> Result<(), RetryAfter> {
        let s = &self.settings;
        if s.limit_addr == 0 {
            return Ok(());
        }
        let mut state = self.lock();
        let key = addr.to_owned();
        if let Some(wait) = window_wait(&state.by_addr, &key, s.limit_addr, s.window, now) {
            return Err(RetryAfter(wait));
        }
        window_count(&mut state.by_addr, key, s.window, now);
        Ok(())
    }

    /// Whether a password may be checked now; if so, the attempt is counted against its
    /// address, and as a failure of its account and pair until [`Limits::succeeded`].
    /// Refused, it counts nowhere and the longest of the waits is returned.
    pub fn begin(&self, attempt: &Attempt<'_>, now: Instant) -> Result<(), RetryAfter> {
        let s = self.settings;
        let mut state = self.lock();
        let addr = attempt.addr.to_owned();
        let pair = attempt.pair();
        let slowed = || {
            let slow = state.by_account.get(attempt.account)?;
            let since = now.saturating_duration_since(slow.last);
            if s.limit_account == 0 || slow.failures < s.limit_account || since >= s.window {
                return None;
            }
            let wait = s.delay(slow.failures - s.limit_account);
            (since < wait).then(|| wait - since)
        };
        let waits = [
            window_wait(&state.by_addr, &addr, s.limit_addr, s.window, now),
            window_wait(&state.by_pair, &pair, s.limit_account, s.window, now),
            // A known device is spared the account's slow-down, not its own limit above.
            attempt.device.is_none().then(slowed).flatten(),
        ];
        if let Some(wait) = waits.into_iter().flatten().max() {
            return Err(RetryAfter(wait));
        }
        if s.limit_addr > 0 {
            window_count(&mut state.by_addr, addr, s.window, now);
        }
        if s.limit_account > 0 {
            window_count(&mut state.by_pair, pair, s.window, now);
            let accounts = &mut state.by_account;
            if accounts.len() > PRUNE_ABOVE {
                accounts.retain(|_, a| now.saturating_duration_since(a.last) < s.window);
            }
            let slow = accounts.entry(attempt.account.to_owned()).or_insert(Slow {
                failures: 0,
                last: now,
            });
            if now.saturating_duration_since(slow.last) >= s.window {
                slow.failures = 0;
            }
            slow.failures += 1;
            slow.last = now;
        }
        Ok(())
    }

    /// The password was right: this address's (or device's) failures on the account are
    /// forgotten, and this attempt no longer counts against the account. Failures from
    /// elsewhere still do: a success here says nothing about them.
    pub fn succeeded(&self, attempt: &Attempt<'_>) {
        let mut state = self.lock();
        state.by_pair.remove(&attempt.pair());
        if let Some(slow) = state.by_account.get_mut(attempt.account) {
            slow.failures = slow.failures.saturating_sub(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WINDOW: Duration = Duration::from_secs(900);
    const SECOND: Duration = Duration::from_secs(1);

    fn limits(limit_account: u32, limit_addr: u32) -> Limits {
        Limits::new(Settings {
            limit_account,
            limit_addr,
            window: WINDOW,
            slowdown_base: SECOND,
        })
    }

    fn from(addr: &str) -> Attempt<'_> {
        Attempt {
            account: "13900000003",
            addr,
            device: None,
        }
    }

    /// A failed attempt: let through, never succeeded.
    fn fail(l: &Limits, attempt: &Attempt<'_>, at: Instant) {
        l.begin(attempt, at).expect("let through");
    }

    #[test]
    fn one_address_is_stopped_at_its_limit_until_the_window_ends() {
        let l = limits(3, 0);
        let t0 = Instant::now();
        for _ in 0..3 {
            fail(&l, &from("10.0.0.1"), t0);
        }
        // The account is slowed too, but this pair's hard limit is the longer wait.
        let RetryAfter(wait) = l.begin(&from("10.0.0.1"), t0 + 10 * SECOND).unwrap_err();
        assert_eq!(wait, WINDOW - 10 * SECOND);
        assert!(l.begin(&from("10.0.0.1"), t0 + WINDOW - SECOND).is_err());
        assert!(l.begin(&from("10.0.0.1"), t0 + WINDOW).is_ok());
    }

    #[test]
    fn failures_from_many_addresses_slow_the_account_down_but_never_lock_it() {
        let l = limits(10, 0);
        let t0 = Instant::now();
        for i in 0..10 {
            fail(&l, &from(&format!("10.0.0.{i}")), t0);
        }
        let owner = from("192.168.1.7");
        assert_eq!(l.begin(&owner, t0).unwrap_err(), RetryAfter(SECOND));
        assert_eq!(
            l.begin(&owner, t0 + SECOND / 4).unwrap_err(),
            RetryAfter(SECOND * 3 / 4),
            "a refused attempt does not move the wait"
        );
        // Once the wait is over the owner gets through, and with the right password the
        // account is back where it was.
        l.begin(&owner, t0 + SECOND).unwrap();
        l.succeeded(&owner);
        assert_eq!(
            l.begin(&from("10.0.0.99"), t0 + SECOND).unwrap_err(),
            RetryAfter(SECOND),
            "the owner's success leaves the attackers' failures counted"
        );
    }

    #[test]
    fn each_failure_beyond_the_limit_doubles_the_wait_up_to_a_minute() {
        let l = limits(2, 0);
        let mut t = Instant::now();
        let mut waits = Vec::new();
        // A new address each time: only the account's slow-down applies.
        for i in 0..12 {
            let addr = format!("10.0.0.{i}");
            if let Err(RetryAfter(wait)) = l.begin(&from(&addr), t) {
                waits.push(wait.as_secs());
                t += wait;
                l.begin(&from(&addr), t)
                    .expect("let through once the wait is over");
            }
        }
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 60, 60, 60, 60]);
    }

    #[test]
    fn the_slow_down_ends_after_a_quiet_window() {
        let l = limits(1, 0);
        let t0 = Instant::now();
        fail(&l, &from("10.0.0.1"), t0);
        assert!(l.begin(&from("10.0.0.2"), t0).is_err());
        fail(&l, &from("10.0.0.2"), t0 + SECOND);
        fail(&l, &from("10.0.0.3"), t0 + 3 * SECOND);
        // Four seconds' wait now; but after a window without attempts, none.
        assert!(l.begin(&from("10.0.0.4"), t0 + 4 * SECOND).is_err());
        assert!(l.begin(&from("10.0.0.4"), t0 + 3 * SECOND + WINDOW).is_ok());
        assert!(
            l.begin(&from("10.0.0.5"), t0 + 3 * SECOND + WINDOW)
                .is_err(),
            "counting starts again: one failure is the limit"
        );
    }

    #[test]
    fn a_known_device_skips_the_slow_down_but_not_its_own_limit() {
        let l = limits(3, 0);
        let t0 = Instant::now();
        for i in 0..20 {
            let _ = l.begin(&from(&format!("10.0.0.{i}")), t0);
        }
        assert!(l.begin(&from("192.168.1.7"), t0).is_err(), "slowed");
        let device = Attempt {
            device: Some("abc"),
            ..from("10.0.0.1")
        };
        l.begin(&device, t0).expect("a known device is not slowed");
        l.succeeded(&device);
        // Its own failures are limited like an address's, and only its own.
        for _ in 0..3 {
            fail(&l, &device, t0);
        }
        let RetryAfter(wait) = l.begin(&device, t0 + SECOND).unwrap_err();
        assert_eq!(wait, WINDOW - SECOND);
        let other = Attempt {
            device: Some("def"),
            ..from("10.0.0.1")
        };
        assert!(l.begin(&other, t0 + SECOND).is_ok());
    }

    #[test]
    fn attempts_in_flight_count_before_they_finish() {
        let l = limits(2, 0);
        let t0 = Instant::now();
        // Two checks let through, neither finished: a third, at once, is slowed.
        l.begin(&from("10.0.0.1"), t0).unwrap();
        l.begin(&from("10.0.0.2"), t0).unwrap();
        assert!(l.begin(&from("10.0.0.3"), t0).is_err());
    }

    #[test]
    fn success_forgets_the_pairs_failures_but_not_the_accounts() {
        let l = limits(3, 0);
        let t0 = Instant::now();
        // A known device, so that only its own limit applies to it.
        let device = Attempt {
            device: Some("abc"),
            ..from("10.0.0.1")
        };
        for _ in 0..2 {
            fail(&l, &device, t0);
        }
        l.begin(&device, t0).unwrap();
        l.succeeded(&device);
        for _ in 0..3 {
            fail(&l, &device, t0);
        }
        assert!(l.begin(&device, t0).is_err(), "three new failures");
        // All five failures count on the account: others are slowed.
        assert_eq!(
            l.begin(&from("10.0.0.2"), t0).unwrap_err(),
            RetryAfter(4 * SECOND)
        );
    }

    #[test]
    fn each_address_has_a_hard_limit_on_attempts_and_sign_ups() {
        let l = limits(0, 3);
        let t0 = Instant::now();
        l.sign_up("10.0.0.1", t0).unwrap();
        for i in 0..2 {
            let attempt = Attempt {
                account: &format!("1390000000{i}"),
                addr: "10.0.0.1",
                device: None,
            };
            l.begin(&attempt, t0).unwrap();
            l.succeeded(&attempt);
        }
        assert_eq!(
            l.begin(&from("10.0.0.1"), t0 + SECOND).unwrap_err(),
            RetryAfter(WINDOW - SECOND),
            "successes count on the address too"
        );
        assert!(l.sign_up("10.0.0.1", t0).is_err());
        assert!(l.begin(&from("10.0.0.2"), t0).is_ok());
    }

    #[test]
    fn zero_turns_the_limits_off() {
        let l = limits(0, 0);
        let t0 = Instant::now();
        for _ in 0..1000 {
            l.begin(&from("10.0.0.1"), t0).unwrap();
            l.sign_up("10.0.0.1", t0).unwrap();
        }
        let no_slowdown = Limits::new(Settings {
            slowdown_base: Duration::ZERO,
            ..limits(2, 0).settings
        });
        for i in 0..10 {
            no_slowdown
                .begin(&from(&format!("10.0.0.{i}")), t0)
                .expect("no wait with a base of zero");
        }
        no_slowdown.begin(&from("10.0.0.1"), t0).unwrap();
        assert!(
            no_slowdown.begin(&from("10.0.0.1"), t0).is_err(),
            "the hard limit per account and address still applies"
        );
    }
}
