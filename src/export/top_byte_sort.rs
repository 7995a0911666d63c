//! An in-place sort of keys whose order begins with a well-spread byte (the copy count's
//! eventID hashes): one pass moves each key into its byte's bucket (an American flag sort's
//! first step, no second buffer, so a run's memory stays its keys'), then each bucket, about
//! 1/256 of the keys, is sorted alone. Fewer comparisons than sorting the whole run at once.
//! Imports nothing of the crate.

/// Keys fewer than this are sorted whole: the buckets' pass is not worth it.
const SMALL: usize = 4096;

/// Sort `keys`, whose order is first the order of `top(key)`, a byte.
pub fn sort_by_top_byte<K: Ord + Copy>(keys: &mut [K], top: impl Fn(&K) -> u8) {
    if keys.len() < SMALL {
        keys.sort_unstable();
        return;
    }
    let mut ends = [0usize; 256];
    for k in keys.iter() {
        ends[usize::from(top(k))] += 1;
    }
    let mut sum = 0;
    for end in ends.iter_mut() {
        sum += *end;
        *end = sum;
    }
    // Where the next key of each bucket goes: its start, then on.
    let mut next = [0usize; 256];
    next[1..].copy_from_slice(&ends[..255]);
    let starts = next;
    for b in 0..256 {
        while next[b] < ends[b] {
            // Carry the key found here to its bucket, and the one found there, until one of
            // this bucket's comes back.
            let mut k = keys[next[b]];
            let mut to = usize::from(top(&k));
            while to != b {
                std::mem::swap(&mut k, &mut keys[next[to]]);
                next[to] += 1;
                to = usize::from(top(&k));
            }
            keys[next[b]] = k;
            next[b] += 1;
        }
    }
    for (start, end) in starts.iter().zip(&ends) {
        keys[*start..*end].sort_unstable();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same order as a whole sort, for spread and bunched top bytes, small and large.
    #[test]
    fn sorts_as_a_whole_sort_does() {
        for (n, spread) in [(0u64, 8), (10, 8), (5_000, 8), (100_000, 8), (100_000, 1)] {
            let mut keys: Vec<u128> = (0..n)
                .map(|i| {
                    let h = i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
                    let top = if spread == 1 {
                        h & 0x00FF_FFFF_FFFF_FFFF
                    } else {
                        h
                    };
                    u128::from(top) << 64 | u128::from(i % 7)
                })
                .collect();
            let mut want = keys.clone();
            want.sort_unstable();
            sort_by_top_byte(&mut keys, |k| (k >> 120) as u8);
            assert_eq!(keys, want, "{n} {spread}");
        }
    }
}
