//! `--all`'s phases timed, for whoever measures where its wall time goes: with the environment
//! variable `TRAILCASE_PHASES` set, each phase's wall time and the process's CPU time over it
//! (user + system, from `/proc/self/stat`, in the kernel's clock ticks) go to stderr. Without
//! it, nothing is read or written. Not an output of the run: the numbers are the machine's.

use std::time::Instant;

/// The time of the last mark.
pub(super) struct Phases {
    pub(super) on: bool,
    last: Instant,
    cpu: f64,
}

impl Phases {
    pub(super) fn new() -> Phases {
        let on = std::env::var_os("TRAILCASE_PHASES").is_some();
        Phases {
            on,
            last: Instant::now(),
            cpu: if on { process_cpu() } else { 0.0 },
        }
    }

    /// The phase `name` ended now.
    pub(super) fn mark(&mut self, name: &str) {
        if self.on {
            let cpu = process_cpu();
            eprintln!(
                "phase {name:<10} wall {:.3} s, CPU {:.2} s",
                self.last.elapsed().as_secs_f64(),
                cpu - self.cpu
            );
            self.last = Instant::now();
            self.cpu = cpu;
        }
    }
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
