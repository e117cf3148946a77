//! Fixed-window counters for login attempts, per account and per address, in memory.
//! With several replicas each keeps its own counts (a stricter shared limit needs the
//! database); a limit of 0 turns a counter off (load tests).

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

/// Counts events per key within a window.
#[derive(Debug)]
pub struct RateLimiter {
    limit: u32,
    window: Duration,
    counts: Mutex<HashMap<String, (Instant, u32)>>,
}

/// Over the limit: try again after this long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryAfter(pub Duration);

const PRUNE_ABOVE: usize = 10_000;

impl RateLimiter {
    /// At most `limit` events per `window` per key; 0 means no limit.
    pub fn new(limit: u32, window: Duration) -> Self {
        Self {
            limit,
            window,
            counts: Mutex::new(HashMap::new()),
        }
    }

    /// Whether `key` is already over the limit (does not count).
    pub fn check(&self, key: &str, now: Instant) -> Result<(), RetryAfter> {
        if self.limit == 0 {
            return Ok(());
        }
        let counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        match counts.get(key) {
            Some(&(start, n)) if n >= self.limit && now.duration_since(start) < self.window => {
                Err(RetryAfter(self.window - now.duration_since(start)))
            }
            _ => Ok(()),
        }
    }

    /// Counts one event for `key`.
    pub fn hit(&self, key: &str, now: Instant) {
        if self.limit == 0 {
            return;
        }
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        if counts.len() > PRUNE_ABOVE {
            let window = self.window;
            counts.retain(|_, (start, _)| now.duration_since(*start) < window);
        }
        let entry = counts.entry(key.to_owned()).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        entry.1 += 1;
    }

    /// Forgets `key` (after a successful sign-in).
    pub fn reset(&self, key: &str) {
        self.counts
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_the_limit_until_the_window_passes() {
        let rl = RateLimiter::new(3, Duration::from_secs(60));
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(rl.check("a", t0).is_ok());
            rl.hit("a", t0);
        }
        let RetryAfter(wait) = rl.check("a", t0 + Duration::from_secs(10)).unwrap_err();
        assert_eq!(wait, Duration::from_secs(50));
        assert!(rl.check("b", t0).is_ok(), "other keys are not affected");
        assert!(rl.check("a", t0 + Duration::from_secs(61)).is_ok());
        rl.hit("a", t0 + Duration::from_secs(61));
        assert!(rl.check("a", t0 + Duration::from_secs(61)).is_ok());
    }

    #[test]
    fn zero_means_unlimited_and_reset_forgets() {
        let off = RateLimiter::new(0, Duration::from_secs(60));
        let t0 = Instant::now();
        for _ in 0..100 {
            off.hit("a", t0);
        }
        assert!(off.check("a", t0).is_ok());
        let rl = RateLimiter::new(1, Duration::from_secs(60));
        rl.hit("a", t0);
        assert!(rl.check("a", t0).is_err());
        rl.reset("a");
        assert!(rl.check("a", t0).is_ok());
    }
}
