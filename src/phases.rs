//! Phase marks: where a run's wall time goes, for measuring (`TRAILCASE_PHASES=1`, see
//! docs/performance.md). `app` turns them on and prints them to stderr at the end; the stages
//! only call [`mark`], which does nothing unless they are on (one relaxed atomic load). Marks
//! change no output and are never written into one.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

static ON: AtomicBool = AtomicBool::new(false);
static MARKS: Mutex<Vec<(&'static str, Instant)>> = Mutex::new(Vec::new());

/// Start recording marks, from now.
pub fn enable() {
    ON.store(true, Ordering::Relaxed);
    mark("start");
}

/// Note that the phase `what` ends now (a no-op unless [`enable`]d).
pub fn mark(what: &'static str) {
    if ON.load(Ordering::Relaxed) {
        let now = Instant::now();
        MARKS
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((what, now));
    }
}

/// The marks so far, in the order they were made: each with its time since the first mark
/// and since the one before. Empty unless [`enable`]d.
pub fn marks() -> Vec<(&'static str, Duration, Duration)> {
    let marks = MARKS.lock().unwrap_or_else(|e| e.into_inner());
    let Some(&(_, first)) = marks.first() else {
        return Vec::new();
    };
    let mut before = first;
    marks
        .iter()
        .map(|&(what, at)| {
            let step = at.saturating_duration_since(before);
            before = at;
            (what, at.saturating_duration_since(first), step)
        })
        .collect()
}
