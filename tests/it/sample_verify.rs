//! The bundled sample is a verifiable case (#18, "Auditors"): `trailcase verify samples/incident-01`
//! checks its manifest and its hourly digests and says, in the text and the JSON, that the digests
//! were signed with the sample's own TEST key, not an AWS CloudTrail key.

use crate::support;

use support::*;
use trailcase::case::SAMPLE_TEST_KEY_FINGERPRINT;

#[test]
fn the_sample_verifies_and_names_its_test_key() {
    let run = trailcase(["verify", "samples/incident-01"]);
    assert_eq!(run.code, 0, "{}{}", run.text(), run.stderr);
    let text = run.text();
    let verdict = text.lines().next().unwrap();
    assert!(verdict.starts_with("verdict: verified ("), "{verdict}");
    assert!(
        verdict.contains("signed with the bundled sample's own TEST key")
            && verdict.contains(SAMPLE_TEST_KEY_FINGERPRINT)
            && verdict.contains("not an AWS CloudTrail key"),
        "{verdict}"
    );
    assert!(
        text.contains(
            "log files: 96 of 96 verified by a digest; 0 missing, 0 modified, 0 in no digest"
        ),
        "{text}"
    );
    assert!(
        text.contains("0 file(s) not listed, 0 acquisition gap(s)"),
        "{text}"
    );
    assert!(text.contains("8 region-hour(s) verified"), "{text}");
}

#[test]
fn the_json_verdict_names_the_test_key_too() {
    let run = trailcase(["verify", "--format", "json", "samples/incident-01"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v = run.json();
    assert_eq!(v["verdict"]["status"], "verified");
    assert!(v["verdict"]["line"]
        .as_str()
        .unwrap()
        .contains("own TEST key"));
    let summary = &v["digests"]["summary"];
    assert_eq!(summary["digests_verified"], 10, "{summary}");
    assert_eq!(summary["digests_verified_with_sample_test_key"], 10);
    assert_eq!(v["counts"]["log_files_verified"], 96);
    assert_eq!(v["problems"].as_array().unwrap().len(), 0);
}

/// The key in the sample is the one trailcase knows as the test key, and its file says so by name.
#[test]
fn the_sample_public_key_is_the_named_test_key() {
    let keys: serde_json::Value = serde_json::from_slice(
        &std::fs::read(repo().join("samples/incident-01/cloudtrail/public-keys.json")).unwrap(),
    )
    .unwrap();
    let list = keys["PublicKeyList"].as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["Fingerprint"], SAMPLE_TEST_KEY_FINGERPRINT);
    assert!(repo()
        .join("samplegen/test-key/SAMPLE-TEST-KEY-not-secret.pem")
        .is_file());
}

/// A case signed with any other key says nothing of a test key (the shared signed case).
#[test]
fn other_keys_are_not_called_the_test_key() {
    let dir = tempfile::tempdir().unwrap();
    crate::common::write_cloudtrail(dir.path(), &crate::common::clean_case());
    let run = trailcase(["verify", dir.path().to_str().unwrap()]);
    assert!(!run.text().contains("TEST key"), "{}", run.text());
}

/// The report never lets the sample's digests read as AWS's proof: the integrity verdict, the
/// pipeline diagram's validation label and the NIST AU-9 row all name the test key.
#[test]
fn the_sample_report_names_the_test_key_wherever_digests_are_claimed() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("report.pdf");
    let run = report_pdf(&pdf, &["samples/incident-01"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = pdf_text(&pdf);
    for needle in [
        "verified offline. samples/incident-01: verified (10 digest(s) signed with the bundled sample's own TEST key",
        "validation: digests verified (sample's TEST key, not AWS's)",
        "verified 96 of 96 trail log files offline (signatures, chain, log-file hashes), with the bundled sample's own TEST key, not an AWS CloudTrail key",
        "found the evidence intact (its digests signed with the bundled sample's own TEST key",
    ] {
        assert!(text.contains(needle), "{needle:?} in {text}");
    }
    // The verdict's own parentheses were once inside another pair: "verified offline
    // (samples/incident-01: verified (10 digest(s) …))".
    assert!(!text.contains("verified offline ("), "{text}");
}
