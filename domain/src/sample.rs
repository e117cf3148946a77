//! Made-up data, the same on every run: the demo's history, the seeded years of the tests and
//! of the benchmark. Not the draw's randomness (`draw`), which must be verifiable.

/// A small deterministic generator (a 64-bit linear congruential generator, Knuth's MMIX
/// constants; the high 31 bits of each state are its output).
#[derive(Clone, Debug)]
pub struct Lcg(pub u64);

impl Lcg {
    /// The next number, below 2^31.
    pub fn step(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.step() % n.max(1)
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_numbers_within_their_bounds() {
        let (mut a, mut b) = (Lcg(2026), Lcg(2026));
        let xs: Vec<u64> = (0..1000).map(|_| a.below(7)).collect();
        let ys: Vec<u64> = (0..1000).map(|_| b.below(7)).collect();
        assert_eq!(xs, ys);
        assert!(xs.iter().all(|x| *x < 7));
        // Every value turns up: the low bits are not stuck.
        assert!((0..7).all(|v| xs.contains(&v)));
        assert_eq!(Lcg(1).below(0), 0);
        let hits = (0..10_000).filter(|_| a.chance(30)).count();
        assert!((2_700..3_300).contains(&hits), "{hits}");
    }
}
