//! Phase marks: where a run's wall time goes, for measuring (`TRAILCASE_PHASES=1`, see
//! docs/performance.md). `app` turns them on and prints them to stderr at the end; the stages
//! only call [`mark`], which does nothing unless they are on (one relaxed atomic load). Each
//! mark notes the wall time and the process's CPU time (user + system, from `/proc/self/stat`,
//! in the kernel's clock ticks of 1/100 s; 0 where `/proc` cannot tell). Marks change no output
//! and are never written into one.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

static ON: AtomicBool = AtomicBool::new(false);
static MARKS: Mutex<Vec<(&'static str, Instant, f64)>> = Mutex::new(Vec::new());

/// Start recording marks, from now.
pub fn enable() {
    ON.store(true, Ordering::Relaxed);
    mark("start");
}

/// Note that the phase `what` ends now (a no-op unless [`enable`]d).
pub fn mark(what: &'static str) {
    if ON.load(Ordering::Relaxed) {
        let now = Instant::now();
        let cpu = process_cpu();
        MARKS
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((what, now, cpu));
    }
}

/// One mark: when the phase ended since the first mark, its wall time, and the process's CPU
/// seconds over it.
pub struct Mark {
    pub what: &'static str,
    pub at: Duration,
    pub wall: Duration,
    pub cpu: f64,
}

/// The marks so far, in the order they were made. Empty unless [`enable`]d.
pub fn marks() -> Vec<Mark> {
    let marks = MARKS.lock().unwrap_or_else(|e| e.into_inner());
    let Some(&(_, first, first_cpu)) = marks.first() else {
        return Vec::new();
    };
    let (mut before, mut before_cpu) = (first, first_cpu);
    marks
        .iter()
        .map(|&(what, at, cpu)| {
            let mark = Mark {
                what,
                at: at.saturating_duration_since(first),
                wall: at.saturating_duration_since(before),
                cpu: (cpu - before_cpu).max(0.0),
            };
            (before, before_cpu) = (at, cpu);
            mark
        })
        .collect()
}

/// The process's CPU time so far in seconds (0 where `/proc` cannot tell).
fn process_cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command's name (which may hold spaces) in parentheses: utime and
    // stime are the 14th and 15th of all, in ticks of 1/100 s on Linux.
    let rest = stat.rsplit_once(')').map_or("", |r| r.1);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok());
    ticks(11).unwrap_or(0.0) / 100.0 + ticks(12).unwrap_or(0.0) / 100.0
}

/// Whether marks are being recorded (a stage may flush its output before a mark, so that the
/// mark's time includes the writing).
pub fn on() -> bool {
    ON.load(Ordering::Relaxed)
}
