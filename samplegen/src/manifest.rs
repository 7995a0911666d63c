//! The sample's `manifest.json`, in the format `trailcase collect` writes (`trailcase::case::manifest`,
//! version 1): every generated file with its size and SHA-256, so `trailcase verify` can check the
//! sample as it checks an acquired case. Honest about its origin: each entry's source is
//! `synthetic:trailcase-samplegen`, not an S3 object or API call, and no collector identity is claimed.
//! Reads back the files the generator wrote; depends on nothing of trailcase.

use std::path::Path;

use rayon::prelude::*;
use sha2::{Digest as _, Sha256};

use crate::arr;
use crate::json::J;
use crate::obj;
use crate::time::{iso_z, Epoch};

/// Every regular file under `out`'s `dirs` and the named top-level `files`, as `/`-separated paths.
fn listed(out: &Path, dirs: &[&str], files: &[&str]) -> std::io::Result<Vec<String>> {
    let mut paths: Vec<String> = files.iter().map(|f| (*f).to_owned()).collect();
    let mut pending: Vec<String> = dirs.iter().map(|d| (*d).to_owned()).collect();
    while let Some(dir) = pending.pop() {
        if !out.join(&dir).is_dir() {
            continue;
        }
        for entry in std::fs::read_dir(out.join(&dir))? {
            let entry = entry?;
            let path = format!("{dir}/{}", entry.file_name().to_string_lossy());
            if entry.file_type()?.is_dir() {
                pending.push(path);
            } else {
                paths.push(path);
            }
        }
    }
    paths.sort();
    Ok(paths)
}

/// Writes `out/manifest.json` listing the generated files; `created` stands for the acquisition time.
pub fn write_manifest(
    out: &Path,
    dirs: &[&str],
    files: &[&str],
    seed: u64,
    created: Epoch,
) -> std::io::Result<usize> {
    let paths = listed(out, dirs, files)?;
    let at = iso_z(created);
    let entries: Vec<std::io::Result<J>> = paths
        .par_iter()
        .map(|path| {
            let bytes = std::fs::read(out.join(path))?;
            Ok(obj! {
                "path" => path.clone(),
                "source" => "synthetic:trailcase-samplegen",
                "size" => bytes.len() as i64,
                "sha256" => hex::encode(Sha256::digest(&bytes)),
                "acquired_at" => at.clone(),
            })
        })
        .collect();
    let entries = entries.into_iter().collect::<std::io::Result<Vec<J>>>()?;
    let count = entries.len();
    let manifest = obj! {
        "trailcase_manifest" => 1,
        "case_id" => "IR-2026-001",
        "tool_version" => concat!("trailcase-samplegen ", env!("CARGO_PKG_VERSION")),
        "created" => at,
        "command" => arr!["trailcase-samplegen", "--seed", seed.to_string()],
        "window" => J::Null,
        "entries" => J::Arr(entries),
        "api_calls" => arr![],
        "gaps" => arr![],
    };
    std::fs::write(out.join("manifest.json"), manifest.pretty())?;
    Ok(count)
}
