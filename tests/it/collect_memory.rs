//! `collect`'s memory does not grow with the size of an object: a 128 MiB object (an attacker
//! can put one in the trail bucket) is streamed to the case, not held whole. The peak resident
//! size of the `trailcase` process itself is read from the kernel (`/proc/<pid>/status`), over real HTTP
//! against moto's server.
//!
//! The reading is taken while the process runs; a zombie has no `VmHWM`, so the last reading
//! before it exits is what is compared (the download, where an object held whole would be, is
//! long over by then).

use crate::common;

use common::acquired::manifest;
use common::bucket::{collect, serving};
use sha2::{Digest as _, Sha256};
use std::io::Write as _;

const OBJECT: usize = 128 << 20;

/// A valid gzip of `n` incompressible bytes (stored blocks), so the object is read whole.
fn big_gzip(n: usize) -> Vec<u8> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut data = vec![0u8; n];
    for chunk in data.chunks_mut(8) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let bytes = state.to_le_bytes();
        chunk.copy_from_slice(&bytes[..chunk.len()]);
    }
    let mut e =
        flate2::write::GzEncoder::new(Vec::with_capacity(n + 4096), flate2::Compression::none());
    e.write_all(&data).unwrap();
    e.finish().unwrap()
}

#[cfg(target_os = "linux")]
#[test]
fn a_huge_object_is_streamed_to_the_case_not_held_in_memory() {
    let key = "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/20/111122223333_CloudTrail_us-east-1_20261120T1405Z_huge0000.json.gz".to_string();
    let body = big_gzip(OBJECT);
    let sha = hex::encode(Sha256::digest(&body));
    let size = body.len();
    let (moto, _dir, case) = serving(&[(key.clone(), body)], "trail-bucket", "us-east-1");
    let (code, peak) = common::run_measured(collect(&moto, &case, "trail-bucket", &["--quiet"]));
    assert_eq!(code, Some(0));
    eprintln!("collect peaked at {} MiB", peak >> 20);
    let m = manifest(&case);
    let entry = &m["entries"][0];
    assert_eq!(entry["sha256"], sha.as_str());
    assert_eq!(entry["size"], size);
    assert!(
        peak < (OBJECT / 2) as u64,
        "collect peaked at {} MiB for a {} MiB object",
        peak >> 20,
        OBJECT >> 20
    );
}
