//! Digest verification and the keys: a wrong key, a key whose stated fingerprint is not its own,
//! an unknown fingerprint, missing or malformed public keys, a bad signature sidecar, a digest
//! outside its key's validity, and the report naming the keys it verified with.

use super::*;

#[test]
fn wrong_key_is_found() {
    let mut files = clean_case();
    // Another key published under the real fingerprint: unusable, so no digest verifies.
    files.insert(
        "public-keys.json".into(),
        public_keys_json(other_key(), &fingerprint(signing_key())),
    );
    let report = verify_digests(&files);
    assert_eq!(report.summary.digests_failed, 10);
    assert_eq!(
        report.findings_of(FindingKind::PublicKeyUnusable).count(),
        10
    );
    assert_eq!(
        report
            .findings_of(FindingKind::PublicKeyFingerprintMismatch)
            .count(),
        1
    );
    assert_eq!(report.summary.log_files_verified, 0);
}

/// The attacker's own key published under a fingerprint that is not its MD5, and a digest signed
/// with it naming that fingerprint: the signature is good, but the key must not vouch for
/// anything, so the digest fails and the mismatch is a problem.
#[test]
fn a_key_whose_stated_fingerprint_is_not_its_own_verifies_nothing() {
    let mut files = clean_case();
    let forged = "00112233445566778899aabbccddeeff";
    let mut keys: Value = serde_json::from_slice(&files["public-keys.json"]).unwrap();
    let mut entry = keys["PublicKeyList"][0].clone();
    entry["Fingerprint"] = json!(forged);
    keys["PublicKeyList"].as_array_mut().unwrap().push(entry);
    files.insert(
        "public-keys.json".into(),
        serde_json::to_vec(&keys).unwrap(),
    );
    // The newest digest of a region, so no later digest points back at it.
    let key = digest_key("us-east-1", HOURS - 1);
    let mut digest = digest_json(&files, &key);
    digest["digestPublicKeyFingerprint"] = json!(forged);
    store_digest(&mut files, &key, &digest);

    let report = verify_digests(&files);
    assert_eq!(
        kinds_for(&report, &key),
        vec![FindingKind::PublicKeyUnusable]
    );
    let mismatch: Vec<_> = report
        .findings_of(FindingKind::PublicKeyFingerprintMismatch)
        .collect();
    assert_eq!(mismatch.len(), 1);
    assert!(mismatch[0].kind.is_problem());
    assert!(mismatch[0].detail.contains(forged));
    assert_eq!(report.summary.digests_failed, 1);
    assert!(!report.is_clean());
}

#[test]
fn unknown_fingerprint_is_found() {
    let mut files = clean_case();
    files.insert(
        "public-keys.json".into(),
        public_keys_json(other_key(), &fingerprint(other_key())),
    );
    let report = verify_digests(&files);
    assert_eq!(
        report.findings_of(FindingKind::PublicKeyNotFound).count(),
        10
    );
    assert_eq!(
        report
            .findings_of(FindingKind::PublicKeyFingerprintMismatch)
            .count(),
        0
    );
}

#[test]
fn missing_or_malformed_public_keys_are_reported() {
    let mut files = clean_case();
    files.remove("public-keys.json");
    let report = verify_digests(&files);
    assert_eq!(
        kinds_for(&report, "public-keys.json"),
        vec![FindingKind::PublicKeysMissing]
    );
    assert_eq!(
        report.findings_of(FindingKind::PublicKeyNotFound).count(),
        10
    );

    files.insert(
        "public-keys.json".into(),
        b"{\"PublicKeyList\": [{\"Value\": \"AAAA\", \"Fingerprint\": \"x\"}".to_vec(),
    );
    let report = verify_digests(&files);
    assert_eq!(
        kinds_for(&report, "public-keys.json"),
        vec![FindingKind::PublicKeysMalformed]
    );
}

#[test]
fn bad_signature_sidecar_is_found() {
    let mut files = clean_case();
    let sidecar = |key: &str| format!("{key}.signature");
    let foreign = files[&sidecar(&digest_key("eu-west-1", 1))].clone();
    // Not hex: the newest digest has no other source for its signature.
    let newest_us = digest_key("us-east-1", HOURS - 1);
    files.insert(sidecar(&newest_us), b"not-a-signature\n".to_vec());
    // Hex, but another digest's signature, on the newest digest: nothing vouches for it.
    let newest_eu = digest_key("eu-west-1", HOURS - 1);
    files.insert(sidecar(&newest_eu), foreign.clone());
    // The same on a middle digest: the next digest carries its real signature, so only the sidecar is wrong.
    let middle = digest_key("eu-west-1", 2);
    files.insert(sidecar(&middle), foreign);
    let report = verify_digests(&files);
    assert_eq!(
        kinds_for(&report, &sidecar(&newest_us)),
        vec![FindingKind::SignatureSidecarMalformed]
    );
    assert_eq!(
        kinds_for(&report, &newest_us),
        vec![FindingKind::DigestSignatureUnavailable]
    );
    assert_eq!(
        kinds_for(&report, &newest_eu),
        vec![FindingKind::DigestSignatureInvalid]
    );
    assert_eq!(
        kinds_for(&report, &sidecar(&middle)),
        vec![FindingKind::SignatureSidecarInvalid]
    );
    assert_eq!(kinds_for(&report, &middle), vec![FindingKind::DigestEmpty]);
    // The log files of the two unverifiable newest digests hash right but are not verified.
    let unverified = listed_logs(&files, &newest_us).len() + listed_logs(&files, &newest_eu).len();
    assert_eq!(report.summary.log_files_unverified, unverified);
    assert_eq!(
        problems(&report).len(),
        4 + unverified,
        "{:#?}",
        problems(&report)
    );
}

/// ListPublicKeys output for the signing key, with the validity period given.
fn keys_valid(from: &str, to: &str) -> Vec<u8> {
    use base64::Engine as _;
    serde_json::to_vec(&json!({"PublicKeyList": [{
        "ValidityStartTime": from,
        "ValidityEndTime": to,
        "Value": base64::engine::general_purpose::STANDARD.encode(der(signing_key())),
        "Fingerprint": fingerprint(signing_key())
    }]}))
    .unwrap()
}

/// Audit t11: a key whose validity ended years before the digests were signed still verified
/// them. `ValidityStartTime`/`ValidityEndTime` now bound what a key vouches for.
#[test]
fn a_digest_outside_its_keys_validity_is_not_verified() {
    let mut files = clean_case();
    files.insert(
        "public-keys.json".into(),
        keys_valid("2019-01-01T00:00:00Z", "2019-02-01T00:00:00Z"),
    );
    let report = verify_digests(&files);
    assert_eq!(
        (
            report.summary.digests_verified,
            report.summary.digests_failed
        ),
        (0, 10)
    );
    let outside: Vec<_> = report
        .findings_of(FindingKind::PublicKeyOutsideValidity)
        .collect();
    assert_eq!(outside.len(), 10);
    assert!(FindingKind::PublicKeyOutsideValidity.is_problem());
    assert!(
        outside[0].detail.contains(&format!(
            "outside the validity of key {} (from 2019-01-01T00:00:00Z to 2019-02-01T00:00:00Z",
            fingerprint(signing_key())
        )),
        "{}",
        outside[0].detail
    );
    assert_eq!(report.summary.log_files_verified, 0);

    // A period that ends before the last hour of each region: only its digests fail.
    let last_end = iso(hour_start(HOURS));
    let before_last = iso(hour_start(HOURS) - Duration::minutes(30));
    files.insert(
        "public-keys.json".into(),
        keys_valid("2026-03-01T00:00:00Z", &before_last),
    );
    let report = verify_digests(&files);
    assert_eq!(
        (
            report.summary.digests_verified,
            report.summary.digests_failed
        ),
        (8, 2)
    );
    for f in report.findings_of(FindingKind::PublicKeyOutsideValidity) {
        assert!(
            f.key.contains(&digest_key("us-east-1", HOURS - 1)[..40])
                || f.key.contains("eu-west-1")
        );
        assert!(
            f.detail.contains(&format!("the digest ends {last_end}")),
            "{}",
            f.detail
        );
    }
}

/// Audit t01: the digests verify with whatever key the case's public-keys.json holds; the
/// summary names the keys used, so the verdict can say which and that they were not examined.
#[test]
fn the_keys_the_digests_verified_with_are_named() {
    let report = verify_digests(&clean_case());
    assert_eq!(
        report.summary.signing_keys.iter().collect::<Vec<_>>(),
        vec![&fingerprint(signing_key())]
    );
}
