//! A value per reading thread (rayon's worker index; any other thread shares one more), each on
//! a cache line of its own: what every record updates (a count, a batch of keys) costs no lock
//! or cache line that another thread writes too. Imports nothing of the crate.

/// One `T` per rayon worker of the global pool, plus one for every other thread.
pub struct PerThread<T> {
    slots: Vec<Padded<T>>,
}

/// 128 bytes: two cache lines, as the adjacent-line prefetcher pairs them.
#[repr(align(128))]
struct Padded<T>(T);

impl<T: Default> Default for PerThread<T> {
    fn default() -> Self {
        PerThread {
            slots: (0..=rayon::current_num_threads())
                .map(|_| Padded(T::default()))
                .collect(),
        }
    }
}

impl<T> PerThread<T> {
    /// The calling thread's value.
    pub fn get(&self) -> &T {
        let last = self.slots.len() - 1;
        let at = rayon::current_thread_index().map_or(last, |i| i.min(last));
        &self.slots[at].0
    }

    /// Every thread's value.
    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.slots.iter().map(|p| &p.0)
    }

    pub fn into_values(self) -> impl Iterator<Item = T> {
        self.slots.into_iter().map(|p| p.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rayon::prelude::*;
    use std::sync::atomic::{AtomicU64, Ordering};

    #[test]
    fn counts_from_every_thread_add_up() {
        let counts: PerThread<AtomicU64> = PerThread::default();
        (0..100_000u64).into_par_iter().for_each(|_| {
            counts.get().fetch_add(1, Ordering::Relaxed);
        });
        counts.get().fetch_add(1, Ordering::Relaxed);
        let total: u64 = counts.into_values().map(AtomicU64::into_inner).sum();
        assert_eq!(total, 100_001);
    }
}
