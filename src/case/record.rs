//! Add one file to an existing (or new) evidence case and enter it in `manifest.json` with its
//! SHA-256, keeping everything else the manifest says (the acquisition's command, window, API
//! calls and gaps). Used by `trailcase posture --case DIR`; `collect` uses [`super::acquire`].

use super::acquire::{plain_rel, prepare, write_atomic, AcquireError};
use super::manifest::{Manifest, ManifestEntry, MANIFEST_FILE, MANIFEST_VERSION};
use sha2::{Digest, Sha256};
use std::path::Path;

/// Who adds the file, for a manifest this creates.
#[derive(Debug, Clone)]
pub struct Adder {
    pub tool_version: String,
    pub command: Vec<String>,
    /// RFC 3339 UTC.
    pub at: String,
}

/// Write `bytes` to `root/rel` (atomically) and record it in the manifest, replacing an entry
/// for the same path.
pub fn add_file(
    root: &Path,
    rel: &str,
    bytes: &[u8],
    source: &str,
    by: &Adder,
) -> Result<ManifestEntry, AcquireError> {
    let write_err = |path: &str| {
        let path = path.to_string();
        move |source| AcquireError::Write { path, source }
    };
    std::fs::create_dir_all(root).map_err(|source| AcquireError::CreateDir {
        path: root.display().to_string(),
        source,
    })?;
    // Plain, and nothing on the way (the case's own folders included) a symbolic link.
    let full = plain_rel(rel, MANIFEST_FILE)
        .and_then(|rel| prepare(root, rel))
        .map_err(write_err(rel))?;
    write_atomic(&full, bytes).map_err(write_err(rel))?;
    let manifest_path = root.join(MANIFEST_FILE);
    let mut manifest = if manifest_path.is_file() {
        Manifest::load(&manifest_path)?
    } else {
        Manifest {
            trailcase_manifest: MANIFEST_VERSION,
            case_id: None,
            tool_version: by.tool_version.clone(),
            collector: None,
            created: by.at.clone(),
            command: by.command.clone(),
            window: None,
            entries: Vec::new(),
            api_calls: Vec::new(),
            gaps: Vec::new(),
        }
    };
    let entry = ManifestEntry {
        path: rel.to_string(),
        source: source.to_string(),
        size: bytes.len() as u64,
        sha256: hex::encode(Sha256::digest(bytes)),
        acquired_at: by.at.clone(),
        s3: None,
    };
    manifest.entries.retain(|e| e.path != rel);
    manifest.entries.push(entry.clone());
    write_atomic(&manifest_path, &manifest.to_bytes()).map_err(write_err(MANIFEST_FILE))?;
    Ok(entry)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn by() -> Adder {
        Adder {
            tool_version: "test".into(),
            command: vec!["trailcase".into(), "posture".into()],
            at: "2026-11-24T11:00:00Z".into(),
        }
    }

    #[test]
    fn adds_to_a_new_case_and_replaces_its_own_entry_keeping_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        add_file(
            dir.path(),
            "posture/posture.json",
            b"{}",
            "trailcase:posture:us-east-1",
            &by(),
        )
        .unwrap();
        let e = add_file(
            dir.path(),
            "posture/posture.json",
            b"abc",
            "trailcase:posture:us-east-1",
            &by(),
        )
        .unwrap();
        assert_eq!(
            e.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let m = Manifest::load(&dir.path().join(MANIFEST_FILE)).unwrap();
        assert_eq!(m.entries.len(), 1);
        assert_eq!(m.command, ["trailcase", "posture"]);
        assert!(add_file(dir.path(), "../x", b"", "s", &by()).is_err());
        assert!(add_file(dir.path(), "manifest.json", b"", "s", &by()).is_err());
    }
}
