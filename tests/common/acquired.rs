//! What a responder checks in an acquired case: files on disk with the bytes expected, their
//! SHA-256 and size in `manifest.json`, the gaps by source, the API calls, and that nothing
//! half-written lies anywhere.

use serde_json::Value;
use sha2::{Digest as _, Sha256};
use std::path::{Path, PathBuf};

/// What an interrupted write leaves beside its final name.
const PARTIAL: &str = ".trailcase-partial";

pub fn manifest(case: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(case.join("manifest.json")).unwrap()).unwrap()
}

pub fn stored(case: &Path, key: &str) -> PathBuf {
    case.join("cloudtrail").join(key)
}

/// The gap whose source is this object.
pub fn gap_of(m: &Value, bucket: &str, key: &str) -> String {
    let source = format!("s3://{bucket}/{key}");
    m["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["source"] == source.as_str())
        .unwrap_or_else(|| panic!("a gap for {source}: {:#}", m["gaps"]))["reason"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The file is on disk with exactly these bytes, and the manifest has its hash and size.
pub fn assert_acquired(case: &Path, m: &Value, key: &str, bytes: &[u8]) {
    let path = format!("cloudtrail/{key}");
    assert_eq!(std::fs::read(case.join(&path)).unwrap(), bytes, "{path}");
    let entry = m["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"] == path.as_str())
        .unwrap_or_else(|| panic!("{path} in the manifest"));
    assert_eq!(entry["sha256"], hex::encode(Sha256::digest(bytes)));
    assert_eq!(entry["size"], bytes.len());
}

pub fn get_object_calls(m: &Value) -> u64 {
    m["api_calls"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["operation"] == "GetObject")
        .map(|c| c["calls"].as_u64().unwrap())
        .sum()
}

/// Every file below `dir`, relative, sorted.
pub fn files_below(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd.filter_map(Result::ok) {
            let p = e.path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                out.push(p.strip_prefix(root).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// Nothing half-written anywhere, and every file of the case is in the manifest with its hash.
pub fn assert_consistent(case: &Path) {
    let m = manifest(case);
    for f in files_below(case) {
        assert!(!f.ends_with(PARTIAL), "a partial file was left: {f}");
        if f == "manifest.json" {
            continue;
        }
        let entry = m["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["path"] == f.as_str())
            .unwrap_or_else(|| panic!("{f} is on disk but not in the manifest"));
        let bytes = std::fs::read(case.join(&f)).unwrap();
        assert_eq!(entry["sha256"], hex::encode(Sha256::digest(&bytes)), "{f}");
    }
}
