//! A bound on the memory the threads reading inputs hold at once. Each thread may hold a file
//! of up to [`SMALL`] bytes (stored and inflated) without asking; past that it takes the one
//! [`LargeFile`] token, waiting until no other thread holds it. So the inputs being read hold
//! at most `threads × 2 × SMALL` plus the files of one thread (stored and inflated, each within
//! `--max-inflated`), however many threads run and however many inputs are gzip bombs.
//!
//! No deadlock: a thread waits only while it holds no token, and the holder waits for nothing.

use std::cell::Cell;
use std::sync::{Condvar, Mutex, PoisonError};

/// What one thread may hold per file without the token (64 MiB).
pub const SMALL: u64 = 64 << 20;

static TAKEN: Mutex<bool> = Mutex::new(false);
static FREED: Condvar = Condvar::new();

thread_local! {
    /// This thread holds the token (a second take on it is free: stored bytes, then content).
    static HOLDING: Cell<bool> = const { Cell::new(false) };
}

/// The right to hold a file past [`SMALL`] bytes; released when dropped, on the thread that
/// took it (not `Send`: the thread's flag must follow the token).
#[derive(Debug)]
pub struct LargeFile {
    owner: bool,
    _thread: std::marker::PhantomData<*const ()>,
}

impl LargeFile {
    /// Wait for the token (at once when this thread already holds it).
    pub fn take() -> LargeFile {
        if HOLDING.get() {
            return LargeFile {
                owner: false,
                _thread: std::marker::PhantomData,
            };
        }
        let mut taken = TAKEN.lock().unwrap_or_else(PoisonError::into_inner);
        while *taken {
            taken = FREED.wait(taken).unwrap_or_else(PoisonError::into_inner);
        }
        *taken = true;
        HOLDING.set(true);
        LargeFile {
            owner: true,
            _thread: std::marker::PhantomData,
        }
    }

    /// The token if no thread holds it (tests: is it held elsewhere?).
    pub fn try_take() -> Option<LargeFile> {
        let mut taken = TAKEN.lock().unwrap_or_else(PoisonError::into_inner);
        if *taken {
            return None;
        }
        *taken = true;
        HOLDING.set(true);
        Some(LargeFile {
            owner: true,
            _thread: std::marker::PhantomData,
        })
    }
}

impl Drop for LargeFile {
    fn drop(&mut self) {
        if self.owner {
            HOLDING.set(false);
            *TAKEN.lock().unwrap_or_else(PoisonError::into_inner) = false;
            FREED.notify_one();
        }
    }
}
