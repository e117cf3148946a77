//! Exponential backoff with jitter, for retrying sync after failures.

use std::time::Duration;

/// The delay before retry number `attempt` (0-based): `base · 2^attempt`, capped, then scaled
/// by `jitter` ∈ [0, 1) into [½, 1) of that, so many devices that failed together do not all
/// come back at the same instant.
pub fn delay(attempt: u32, base: Duration, cap: Duration, jitter: f64) -> Duration {
    let exp = base.saturating_mul(1u32.checked_shl(attempt.min(31)).unwrap_or(u32::MAX));
    let capped = exp.min(cap);
    capped.mul_f64(0.5 + 0.5 * jitter.clamp(0.0, 1.0))
}

/// The app's policy: 1 s doubling to 5 minutes.
pub fn sync_delay(attempt: u32, jitter: f64) -> Duration {
    delay(
        attempt,
        Duration::from_secs(1),
        Duration::from_secs(300),
        jitter,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_up_to_the_cap_and_jitters_within_half() {
        let s = Duration::from_secs;
        assert_eq!(sync_delay(0, 1.0), s(1));
        assert_eq!(sync_delay(3, 1.0), s(8));
        assert_eq!(sync_delay(3, 0.0), s(4));
        assert_eq!(sync_delay(20, 1.0), s(300));
        assert_eq!(sync_delay(u32::MAX, 0.0), s(150));
        for j in [0.0, 0.3, 0.99] {
            let d = sync_delay(5, j);
            assert!(d >= s(16) && d <= s(32), "{d:?}");
        }
    }
}
