//! The only source of randomness: ChaCha8 streams derived from one seed.
//!
//! Each independent part of the output (the incident, one trail file, one actor's session keys, ...)
//! draws from its own stream, so the bytes of a part do not depend on how many values other parts drew,
//! nor on the order in which threads ran. Never reads the clock or the OS entropy pool.

use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};

/// Stream numbers of the fixed parts; per-file and per-session streams are built by [`Stream`].
pub mod streams {
    pub const INCIDENT: u64 = 1;
    pub const LOOKUP: u64 = 2;
}

/// Families of derived streams, kept apart in the high bits.
#[derive(Clone, Copy)]
pub enum Stream {
    /// One trail file: region index and slot index.
    TrailFile { region: usize, slot: u64 },
    /// One temporary-credential session of a background actor.
    Session { actor: u64, bucket: i64 },
}

impl Stream {
    fn id(self) -> u64 {
        match self {
            Stream::TrailFile { region, slot } => (1 << 60) | ((region as u64) << 40) | slot,
            Stream::Session { actor, bucket } => {
                (2 << 60) | (actor << 40) | (bucket as u64 & 0xff_ffff_ffff)
            }
        }
    }
}

const UPPER_DIGITS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// A seeded generator with the few sampling helpers the generator needs.
pub struct Rng(ChaCha8Rng);

impl Rng {
    /// A fixed stream of `seed`.
    pub fn stream(seed: u64, stream: u64) -> Self {
        let mut r = ChaCha8Rng::seed_from_u64(seed);
        r.set_stream(stream);
        Rng(r)
    }

    /// A derived stream of `seed`.
    pub fn derived(seed: u64, stream: Stream) -> Self {
        Self::stream(seed, stream.id())
    }

    /// Uniform in `0..n` (rejection sampling: no modulo bias, portable).
    pub fn below(&mut self, n: u64) -> u64 {
        assert!(n > 0, "below(0)");
        let zone = u64::MAX - (u64::MAX % n);
        loop {
            let v = self.0.next_u64();
            if v < zone {
                return v % n;
            }
        }
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// True with probability `per_mille / 1000`.
    pub fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// Index chosen with the given weights.
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|w| u64::from(*w)).sum();
        let mut x = self.below(total);
        for (i, w) in weights.iter().enumerate() {
            if x < u64::from(*w) {
                return i;
            }
            x -= u64::from(*w);
        }
        unreachable!("weights sum checked above")
    }

    /// Fisher-Yates shuffle.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }

    /// A random (version 4) UUID in lower-case hex, as CloudTrail's eventID and most requestIDs.
    pub fn uuid_v4(&mut self) -> String {
        let mut b = [0u8; 16];
        self.0.fill_bytes(&mut b);
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        let h = hex_lower(&b);
        format!(
            "{}-{}-{}-{}-{}",
            &h[0..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..32]
        )
    }

    /// `n` characters of `[A-Za-z0-9]`, as the random part of a trail file name.
    pub fn alnum(&mut self, n: usize) -> String {
        (0..n).map(|_| *self.pick(ALNUM) as char).collect()
    }

    /// `n` characters of `[A-Z2-7]`, as the body of an access key id.
    pub fn key_chars(&mut self, n: usize) -> String {
        (0..n).map(|_| *self.pick(UPPER_DIGITS) as char).collect()
    }

    /// `n` upper-case hex digits, as an S3 request id.
    pub fn hex_upper(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| *self.pick(b"0123456789ABCDEF") as char)
            .collect()
    }

    /// `n` lower-case hex digits.
    pub fn hex(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| *self.pick(b"0123456789abcdef") as char)
            .collect()
    }
}

fn hex_lower(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let a = Rng::stream(7, 1).uuid_v4();
        assert_eq!(a, Rng::stream(7, 1).uuid_v4());
        assert_ne!(a, Rng::stream(7, 2).uuid_v4());
        assert_ne!(a, Rng::stream(8, 1).uuid_v4());
        assert_eq!(&a[14..15], "4");
    }
}
