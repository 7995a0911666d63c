//! `trailcase posture --case DIR` and `collect --posture` against moto: the result is stored as
//! posture/posture.json, entered in the case manifest with its SHA-256, and `timeline` reads it
//! back from the case (the `posture` key and a finding naming the failing checks).

use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;

/// Store the posture of the pipeline at `endpoint` in a fresh case; `failing` are the checks
/// expected not to pass.
pub fn stored_in_case(endpoint: &str, failing: &BTreeSet<String>) {
    let case = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_trailcase"))
        .args([
            "posture",
            "--regions",
            "us-east-1",
            "--endpoint-url",
            endpoint,
        ])
        .arg("--case")
        .arg(case.path())
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_MAX_ATTEMPTS", "1")
        .env_remove("AWS_PROFILE")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let stored = std::fs::read(case.path().join("posture/posture.json")).unwrap();
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(case.path().join("manifest.json")).unwrap()).unwrap();
    let entry = manifest["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"] == "posture/posture.json")
        .expect("the manifest lists the posture result");
    assert_eq!(entry["sha256"], hex::encode(Sha256::digest(&stored)));
    assert_eq!(entry["source"], "trailcase:posture:us-east-1");

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_trailcase"))
        .args(["timeline", "--quiet", "--format", "json"])
        .arg(case.path())
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let posture = &doc["posture"][0];
    let not_passing: BTreeSet<String> = posture["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] != "PASS")
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(&not_passing, failing, "{posture:#}");
    assert!(posture["input"]
        .as_str()
        .unwrap()
        .ends_with("posture/posture.json"));
    let finding = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "posture_check_failed")
        .expect("a posture finding");
    for id in failing {
        assert!(finding["summary"].as_str().unwrap().contains(id.as_str()));
    }
}

/// `collect --posture` stores the same checks beside the collected configuration.
pub fn collected_with_the_case(endpoint: &str, failing: &BTreeSet<String>) {
    let case = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_trailcase"))
        .args([
            "collect",
            "--quiet",
            "--from",
            "2026-11-20T00:00Z",
            "--to",
            "2026-11-21T00:00Z",
        ])
        .args([
            "--regions",
            "us-east-1",
            "--endpoint-url",
            endpoint,
            "--posture",
            "--case",
        ])
        .arg(case.path())
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_MAX_ATTEMPTS", "1")
        .env_remove("AWS_PROFILE")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stored = std::fs::read(case.path().join("posture/posture.json"))
        .unwrap_or_else(|e| panic!("posture/posture.json ({e}); stderr: {stderr}"));
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(case.path().join("manifest.json")).unwrap()).unwrap();
    let entries = manifest["entries"].as_array().unwrap();
    let entry = entries
        .iter()
        .find(|e| e["path"] == "posture/posture.json")
        .expect("the manifest lists the posture result");
    assert_eq!(entry["sha256"], hex::encode(Sha256::digest(&stored)));
    assert!(
        entries.len() > 1,
        "the collected configuration is there too"
    );
    let report: Value = serde_json::from_slice(&stored).unwrap();
    let not_passing: BTreeSet<String> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] != "PASS")
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(&not_passing, failing);
}
