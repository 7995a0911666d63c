//! The inputs the fuzz targets found (`tests/data/fuzz/<target>/`, each a crash or a
//! disagreement once, fixed since), replayed on the stable toolchain through the same checks the
//! targets run (`tests/support/fuzz_checks.rs`); and those checks on the bundled sample's files
//! and the shared CloudTrail documents, so that they are known to hold on real evidence.

use crate::support;

use std::path::{Path, PathBuf};
use support::fuzz_checks;

/// Every file of `tests/data/fuzz/<target>/` (none when the target has found nothing).
fn found(target: &str) -> Vec<PathBuf> {
    let dir = support::repo().join("tests/data/fuzz").join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.is_file() && p.file_name().is_some_and(|n| n != "README.md"));
    files.sort();
    files
}

/// Runs `check` on `data`, naming `what` when it panics.
fn holds(check: fn(&[u8]), data: &[u8], what: &Path) {
    let ran = std::panic::catch_unwind(|| check(data));
    assert!(ran.is_ok(), "{} breaks its check", what.display());
}

#[test]
fn every_input_the_fuzzers_found_passes_their_checks() {
    type Check = fn(&[u8]);
    let targets: [(&str, Check); 3] = [
        ("record_view", fuzz_checks::record_view),
        ("evidence_file", fuzz_checks::evidence_file),
        ("redact", fuzz_checks::redaction),
    ];
    for (target, check) in targets {
        for file in found(target) {
            holds(check, &std::fs::read(&file).unwrap(), &file);
        }
    }
}

/// The checks hold on real evidence: every file of the bundled sample and every shared
/// CloudTrail document, stored each way the `evidence_file` target stores its input; each
/// record of them through `record_view` and `redact`.
#[test]
fn the_fuzz_checks_hold_on_the_sample_and_the_shared_records() {
    let mut files = Vec::new();
    for dir in [
        support::repo().join("samples/incident-01"),
        support::repo().join("tests/data/records"),
    ] {
        walk(&dir, &mut files);
    }
    let mut checked = 0;
    for file in &files {
        let content = trailcase::source::decode(std::fs::read(file).unwrap(), 64 << 20).content;
        // The small ones (most of them): the checks redact each planted copy several times.
        if content.len() > 16 << 10 {
            continue;
        }
        checked += 1;
        for mode in [0u8, 1, 2, 3, 4, 5, 6, 7, 0x80] {
            let data = [&[mode][..], &content].concat();
            holds(fuzz_checks::evidence_file, &data, file);
        }
        holds(fuzz_checks::record_view, &content, file);
        holds(fuzz_checks::redaction, &content, file);
    }
    assert!(checked > 20, "{checked} files");
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries {
        let path = e.unwrap().path();
        if path.is_dir() {
            walk(&path, out);
        } else {
            out.push(path);
        }
    }
}
