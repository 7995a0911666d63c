//! The evidence case manifest (`manifest.json`): every acquired object with its source, size,
//! SHA-256 and S3 or API provenance, the API calls made, and what could not be acquired.
//!
//! Written by `collect`, read by `verify` and the report's appendix. Serialised with sorted
//! entries so the same acquisition gives the same bytes.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;

/// The manifest format version, under the key that also marks the file as a manifest.
pub const MANIFEST_VERSION: u32 = 1;
pub const MANIFEST_FILE: &str = "manifest.json";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`MANIFEST_VERSION`]; its presence marks the file as a trailcase manifest.
    pub trailcase_manifest: u32,
    pub case_id: Option<String>,
    pub tool_version: String,
    /// Who acquired the case, as AWS named the caller at collect time; absent from manifests
    /// written before it was recorded (and from cases not acquired from AWS).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collector: Option<Collector>,
    /// When acquisition started (RFC 3339 UTC; from SOURCE_DATE_EPOCH when set).
    pub created: String,
    /// The command line that acquired the case (credentials never appear in it).
    pub command: Vec<String>,
    pub window: Option<Window>,
    pub entries: Vec<ManifestEntry>,
    #[serde(default)]
    pub api_calls: Vec<ApiCall>,
    #[serde(default)]
    pub gaps: Vec<AcquisitionGap>,
}

/// The identity that collected, from `sts:GetCallerIdentity` at collect time. An identity that
/// could not be read is recorded as unknown, with why: that is not a failure of the acquisition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Collector {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// Why the caller identity is unknown, when it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unknown_reason: Option<String>,
}

impl Collector {
    /// The identity in one phrase: its ARN, or "unknown" and why.
    pub fn identity(&self) -> String {
        match (&self.arn, &self.unknown_reason) {
            (Some(arn), _) => arn.clone(),
            (None, Some(why)) => format!("an unknown identity (GetCallerIdentity failed: {why})"),
            (None, None) => "an unknown identity".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub from: String,
    pub to: String,
}

/// One stored file: where it came from and what its bytes hash to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ManifestEntry {
    /// Path inside the case directory, `/`-separated.
    pub path: String,
    /// `s3://bucket/key` or `aws:<service>:<operation>:<region>[:page N]`.
    pub source: String,
    pub size: u64,
    /// SHA-256 of the stored bytes, hex.
    pub sha256: String,
    pub acquired_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub s3: Option<S3Object>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct S3Object {
    pub bucket: String,
    pub key: String,
    pub etag: Option<String>,
    pub version_id: Option<String>,
    pub last_modified: Option<String>,
}

/// How often one API was called and how it went.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ApiCall {
    pub service: String,
    pub operation: String,
    pub region: String,
    pub calls: u64,
    pub errors: u64,
}

/// Something that could not be acquired, with the permission it needed when that is the cause.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct AcquisitionGap {
    pub source: String,
    pub reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is not a trailcase manifest: {reason}")]
    Invalid { path: String, reason: String },
}

impl Manifest {
    pub fn load(path: &Path) -> Result<Manifest, ManifestError> {
        let text = std::fs::read(path).map_err(|source| ManifestError::Read {
            path: path.display().to_string(),
            source,
        })?;
        serde_json::from_slice(&text).map_err(|e| ManifestError::Invalid {
            path: path.display().to_string(),
            reason: e.to_string(),
        })
    }

    /// Sort everything into its canonical order.
    pub fn normalise(&mut self) {
        self.entries.sort();
        self.entries.dedup_by(|a, b| a.path == b.path);
        self.api_calls.sort();
        self.gaps.sort();
    }

    /// Pretty JSON in canonical order, newline-terminated.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut m = self.clone();
        m.normalise();
        let mut out = serde_json::to_vec_pretty(&m).unwrap_or_default();
        out.push(b'\n');
        out
    }

    pub fn entry(&self, path: &str) -> Option<&ManifestEntry> {
        self.entries.iter().find(|e| e.path == path)
    }
}

/// SHA-256 of a file's bytes, hex, streamed.
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(hex::encode(h.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_bytes_do_not_depend_on_insertion_order() {
        let e = |p: &str| ManifestEntry {
            path: p.into(),
            source: format!("s3://b/{p}"),
            size: 1,
            sha256: "00".into(),
            acquired_at: "2026-11-20T00:00:00Z".into(),
            s3: None,
        };
        let mut a = Manifest {
            trailcase_manifest: MANIFEST_VERSION,
            case_id: None,
            tool_version: "0".into(),
            collector: None,
            created: "2026-11-20T00:00:00Z".into(),
            command: vec![],
            window: None,
            entries: vec![e("b"), e("a")],
            api_calls: vec![],
            gaps: vec![],
        };
        let b_bytes = {
            let mut b = a.clone();
            b.entries.reverse();
            b.to_bytes()
        };
        assert_eq!(a.to_bytes(), b_bytes);
        a.normalise();
        assert_eq!(a.entries[0].path, "a");
    }

    /// A manifest written before the collector was recorded still loads, without one.
    #[test]
    fn manifest_without_collector_still_loads() {
        let old = r#"{"trailcase_manifest": 1, "case_id": null, "tool_version": "0.1.0",
            "created": "2026-11-20T00:00:00Z", "command": [], "window": null, "entries": []}"#;
        let m: Manifest = serde_json::from_str(old).unwrap();
        assert_eq!(m.collector, None);
        assert!(!String::from_utf8(m.to_bytes())
            .unwrap()
            .contains("collector"));
    }
}
