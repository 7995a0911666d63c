//! The progress line `collect` shows on stderr while it acquires (a terminal only, not with
//! `--quiet`), and the byte counts it and the summary print.

use crate::case::acquire::CaseWriter;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub(super) fn human_bytes(n: u64) -> String {
    if n >= 1 << 20 {
        format!("{:.1} MiB", n as f64 / f64::from(1 << 20))
    } else {
        format!("{:.1} KiB", n as f64 / 1024.0)
    }
}

/// The progress line on stderr (Athena queries and data scanned, objects, bytes, events, rate,
/// ETA), on a terminal only.
pub(super) struct Ticker {
    stop: Arc<AtomicBool>,
    handle: Option<std::thread::JoinHandle<()>>,
}

impl Ticker {
    pub(super) fn start(quiet: bool, writer: Arc<CaseWriter>) -> Ticker {
        let stop = Arc::new(AtomicBool::new(false));
        if quiet || !std::io::stderr().is_terminal() {
            return Ticker { stop, handle: None };
        }
        let flag = Arc::clone(&stop);
        let handle = std::thread::spawn(move || {
            let started = Instant::now();
            while !flag.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(250));
                let s = writer.stats();
                let secs = started.elapsed().as_secs_f64().max(0.001);
                let rate = s.stored_bytes as f64 / secs;
                let left = s.planned_bytes.saturating_sub(s.stored_bytes) as f64;
                let eta = if rate > 0.0 && s.planned_bytes > 0 {
                    format!("{:.0}s", left / rate)
                } else {
                    "-".into()
                };
                let athena = if s.queries_started > 0 {
                    format!(
                        "Athena: {} quer{} running, {} done, {} scanned; ",
                        s.queries_started - s.queries_ended,
                        if s.queries_started - s.queries_ended == 1 {
                            "y"
                        } else {
                            "ies"
                        },
                        s.queries_ended,
                        human_bytes(s.scanned_bytes)
                    )
                } else {
                    String::new()
                };
                eprint!(
                    "\r\x1b[K{athena}acquiring: {} file(s), {} of {} planned, {}/s, {} event(s), {} skipped, {} gap(s), ETA {eta}",
                    s.stored_files,
                    human_bytes(s.stored_bytes),
                    human_bytes(s.planned_bytes),
                    human_bytes(rate as u64),
                    s.events,
                    s.skipped_objects,
                    s.gaps
                );
            }
            eprint!("\r\x1b[K");
        });
        Ticker {
            stop,
            handle: Some(handle),
        }
    }

    pub(super) fn stop(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}
