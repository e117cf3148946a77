//! Stable sorts that share one copy of the standard library's sort.
//!
//! `slice::sort_by` is generic over the element type and the comparison closure, so every call
//! site gets its own copy of the driftsort machinery (≈ 3–4 KB of wasm each; an unstable sort
//! costs as much). These functions sort a list of indices instead, through a single
//! non-generic instantiation that compares via `&mut dyn FnMut`, then move the elements into
//! that order in place. Only the small comparison adapter and the permutation loop are per
//! type. The result is exactly that of `slice::sort_by` (stable: equal elements keep their
//! order); the cost is an index vector and one indirect call per comparison, negligible for
//! the client's lists.

use std::cmp::Ordering;

/// Sorts `v` stably with `cmp`, like `slice::sort_by`.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    let order = sorted_order(v.len(), &mut |i, j| cmp(&v[i], &v[j]));
    permute(v, order);
}

/// Sorts `v` stably by the key `f` returns, like `slice::sort_by_key`.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut f: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| f(a).cmp(&f(b)));
}

/// Sorts `v` stably, like `slice::sort`.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// The indices `0..n` in the order `cmp` gives them, equal ones in ascending order.
#[inline(never)]
fn sorted_order(n: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| cmp(i, j));
    order
}

/// Rearranges `v` so that position `k` holds what was at `order[k]` (a permutation of the
/// indices), one cycle at a time with swaps. `order` is consumed as the visited marks.
fn permute<T>(v: &mut [T], mut order: Vec<usize>) {
    for start in 0..order.len() {
        let mut cur = start;
        loop {
            let from = std::mem::replace(&mut order[cur], usize::MAX);
            if from == usize::MAX || from == start {
                break;
            }
            v.swap(cur, from);
            cur = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_library_and_keeps_equal_elements_in_order() {
        // (key, original position): the second field shows stability.
        let mut seed = 12345u32;
        for len in [0usize, 1, 2, 3, 7, 20, 33, 100, 1000] {
            let mut v: Vec<(u32, usize)> = (0..len)
                .map(|i| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    ((seed >> 16) % 10, i)
                })
                .collect();
            let mut expected = v.clone();
            expected.sort_by_key(|x| x.0);
            sort_by_key(&mut v, |x| x.0);
            assert_eq!(v, expected, "len {len}");
        }
    }

    #[test]
    fn sort_by_with_reverse_order_and_plain_sort() {
        let mut v = vec![3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5];
        sort_by(&mut v, |a, b| b.cmp(a));
        assert_eq!(v, [9, 6, 5, 5, 5, 4, 3, 3, 2, 1, 1]);
        sort(&mut v);
        assert_eq!(v, [1, 1, 2, 3, 3, 4, 5, 5, 5, 6, 9]);
    }

    #[test]
    fn moves_owned_values_without_losing_or_duplicating_any() {
        let mut v: Vec<String> = ["d", "b", "e", "a", "c", "b"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        sort(&mut v);
        assert_eq!(v, ["a", "b", "b", "c", "d", "e"]);
    }

    #[test]
    fn already_sorted_and_reversed_inputs() {
        let mut v: Vec<u32> = (0..50).collect();
        sort(&mut v);
        assert_eq!(v, (0..50).collect::<Vec<_>>());
        let mut v: Vec<u32> = (0..50).rev().collect();
        sort(&mut v);
        assert_eq!(v, (0..50).collect::<Vec<_>>());
    }
}
