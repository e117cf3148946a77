//! Night-school draws to measure: courses' applications as the server stores them (an
//! application number and a tier, in the order people applied), made up deterministically.
//! Pure (only `domain`): the native draw benchmark and the browser's recompute
//! (`tests/verify_draw.rs`, which includes this file) use the same lists.

use domain::{
    draw::{ApplicationNumber, FrozenList, MAX_APPLICANTS, PublicValue, PublishedDraw, Seed, tier},
    programme::course::Priority,
};

/// A small, fast deterministic generator (SplitMix64): made-up data, not the draw's randomness.
pub struct SplitMix(u64);

impl SplitMix {
    /// The stream for `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 bits.
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// The applications of course `course` (`n` of them, at most 2^20), as stored: each its
/// application number (the course's draw code, then an applicant code taken at random without
/// repeats) and its tier under the default priority (about a third took a course last term),
/// in the order they applied.
pub fn applications(course: u64, n: usize) -> Vec<(String, u8)> {
    assert!(n <= MAX_APPLICANTS as usize, "at most 2^20 applications");
    let mut rng = SplitMix::new(0x51A1_6A1C ^ course.wrapping_mul(0x2545_F491_4F6C_DD1D));
    let draw_code = (rng.next() & u64::from(MAX_APPLICANTS - 1)) as u32;
    // Distinct applicant codes without a set: `a·i + b mod 2^20` with `a` odd is a bijection.
    let a = (rng.next() as u32 | 1) & (MAX_APPLICANTS - 1);
    let b = rng.next() as u32;
    (0..n as u32)
        .map(|i| {
            let applicant = a.wrapping_mul(i).wrapping_add(b) & (MAX_APPLICANTS - 1);
            let number = ApplicationNumber::from_codes(draw_code, applicant);
            let took_a_course_last_term = rng.next().is_multiple_of(3);
            (
                number.as_str().to_owned(),
                tier(Priority::NewLearnersFirst, took_a_course_last_term),
            )
        })
        .collect()
}

/// How `total` applications spread over `courses` courses: unevenly, as popularity does
/// (course k gets a share proportional to 1/(k + 8)), every course at least one, summing to
/// `total` exactly.
pub fn course_sizes(courses: usize, total: usize) -> Vec<usize> {
    let weights: Vec<f64> = (0..courses).map(|k| 1.0 / (k as f64 + 8.0)).collect();
    let sum: f64 = weights.iter().sum();
    let mut sizes: Vec<usize> = weights
        .iter()
        .map(|w| ((w / sum * total as f64) as usize).max(1))
        .collect();
    let given: usize = sizes.iter().sum();
    // The rounding's remainder (or excess) to the most popular course.
    if let Some(first) = sizes.first_mut() {
        *first = (*first + total).saturating_sub(given).max(1);
    }
    sizes
}

/// Places in a course with `n` applications: one in ten, at least 20 (the courses are
/// oversubscribed about ten to one).
pub fn capacity(n: usize) -> u32 {
    u32::try_from((n / 10).max(20)).unwrap_or(u32::MAX)
}

/// The seed a course's draw reveals (made up: the server takes the OS's randomness).
pub fn seed(course: u64) -> Seed {
    let mut rng = SplitMix::new(course ^ 0xD1A5_EED5);
    let mut bytes = [0u8; 32];
    for chunk in bytes.chunks_mut(8) {
        chunk.copy_from_slice(&rng.next().to_be_bytes());
    }
    Seed::from_bytes(bytes)
}

/// The public value announced at the draws.
pub fn public_value() -> PublicValue {
    PublicValue::parse("抽签现场 7 3 9").unwrap_or_default()
}

/// Course `course`'s draw as the results page publishes it: `n` applications, frozen, drawn.
pub fn published(course: u64, n: usize) -> PublishedDraw {
    let pairs = applications(course, n);
    let list = FrozenList::from_pairs(pairs.iter().map(|(number, t)| (number.as_str(), *t)))
        .unwrap_or_else(|e| panic!("made-up applications that do not freeze: {e}"));
    PublishedDraw::new(&list, &seed(course), &public_value(), capacity(n))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn the_courses_add_up_and_their_numbers_are_distinct_and_well_formed() {
        let sizes = course_sizes(400, 650_000);
        assert_eq!(sizes.len(), 400);
        assert_eq!(sizes.iter().sum::<usize>(), 650_000);
        let most = MAX_APPLICANTS as usize;
        assert!(sizes.iter().all(|n| (1..=most).contains(n)));
        let pairs = applications(3, 5_000);
        let list = FrozenList::from_pairs(pairs.iter().map(|(n, t)| (n.as_str(), *t))).unwrap();
        assert_eq!(list.len(), 5_000);
        let codes: std::collections::BTreeSet<&str> = pairs.iter().map(|(n, _)| &n[..4]).collect();
        assert_eq!(codes.len(), 1, "one draw code per course");
        assert!(pairs.iter().any(|(_, t)| *t == 0) && pairs.iter().any(|(_, t)| *t == 1));
        assert_eq!(applications(3, 5_000), pairs, "deterministic");
        assert_eq!(capacity(5_000), 500);
        assert_eq!(domain::draw::verify(&published(3, 300)), Ok(()));
    }
}
