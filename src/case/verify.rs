//! Offline verification of CloudTrail digests: signatures, the hourly chain, and the log files they list.
//!
//! Follows the procedure of the AWS CloudTrail User Guide, "Custom implementations of CloudTrail log file
//! integrity validation", section "Validating digest and log files offline": the newest digest of a chain
//! is checked with its `x-amz-meta-signature` (kept as a `<digest key>.signature` sidecar), older ones with
//! that sidecar or with the `previousDigestSignature` of the digest after them. Reads through
//! [`EvidenceSource`] only; returns data and never prints.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::chain::{self, SIDECAR_SUFFIX};
use super::digest::ParsedDigest;
use super::public_keys::PublicKeySet;
use super::report::{finding, finish, DigestReport, Finding, FindingKind};
use super::signing::{decode_signature, signing_string, verify_signature, SignatureError};
use super::source::{CaseDir, CaseDirError, EvidenceSource};

/// Verify the digests of a case directory (`<case>/cloudtrail/...`).
pub fn verify_case_dir(case: &Path) -> Result<DigestReport, CaseDirError> {
    Ok(verify_digests(&CaseDir::open(case)?))
}

/// Verify every digest in `source`, with the public keys from its `public-keys*.json`, and the
/// log files they list.
pub fn verify_digests<S: EvidenceSource + ?Sized>(source: &S) -> DigestReport {
    verify_with(source, LogFiles::Read).0
}

/// [`verify_digests`] without reading the log files the digests list: their public keys,
/// signatures and hourly chains only. The report holds no finding about a log file, so no log
/// file counts as verified. For what needs only to know which digests are verified (the
/// timeline's coverage by region-hour, which asks whether an hour holds a trail file, not
/// whether that file is intact).
pub fn verify_digests_alone<S: EvidenceSource + ?Sized>(source: &S) -> DigestReport {
    verify_digests_alone_parsed(source).0
}

/// The digests a verification parsed, by key: every one that was read and parsed.
pub type ParsedDigests = BTreeMap<String, ParsedDigest>;

/// [`verify_digests_alone`], with the digests it parsed: what reads their content next (the
/// coverage's time ranges) need not read and parse each again.
pub fn verify_digests_alone_parsed<S: EvidenceSource + ?Sized>(
    source: &S,
) -> (DigestReport, ParsedDigests) {
    verify_with(source, LogFiles::NotRead)
}

/// Whether a verification reads the log files the digests list.
#[derive(Clone, Copy, PartialEq, Eq)]
enum LogFiles {
    Read,
    NotRead,
}

fn verify_with<S: EvidenceSource + ?Sized>(
    source: &S,
    log_files: LogFiles,
) -> (DigestReport, ParsedDigests) {
    let mut findings = Vec::new();
    let mut keys = PublicKeySet::default();
    let files: Vec<String> = source
        .keys()
        .into_iter()
        .filter(|k| chain::is_public_keys_key(k))
        .collect();
    if files.is_empty() {
        findings.push(finding(
            FindingKind::PublicKeysMissing,
            "public-keys.json",
            "no ListPublicKeys output in the case; no digest signature can be checked",
        ));
    }
    for file in files {
        let mut one = PublicKeySet::default();
        let loaded = source
            .read(&file)
            .map_err(|e| e.to_string())
            .and_then(|b| one.add(&b).map_err(|e| e.to_string()));
        match loaded {
            Ok(()) => {
                findings.extend(key_findings(&one, &file));
                keys.keys.extend(one.keys);
                keys.rejected.extend(one.rejected);
            }
            Err(e) => findings.push(finding(FindingKind::PublicKeysMalformed, &file, e)),
        }
    }
    let (mut report, parsed) = checks(source, &keys, log_files);
    report.findings.extend(findings);
    finish(&mut report);
    (report, parsed)
}

/// Verify every digest in `source` with the given public keys (any `public-keys*.json` in it is ignored).
pub fn verify_digests_with_keys<S: EvidenceSource + ?Sized>(
    source: &S,
    keys: &PublicKeySet,
) -> DigestReport {
    checks(source, keys, LogFiles::Read).0
}

fn checks<S: EvidenceSource + ?Sized>(
    source: &S,
    keys: &PublicKeySet,
    log_files: LogFiles,
) -> (DigestReport, ParsedDigests) {
    let all_keys = source.keys();
    let present: BTreeSet<&str> = all_keys.iter().map(String::as_str).collect();
    let mut run = Run {
        report: DigestReport::default(),
        keys,
        malformed: BTreeSet::new(),
    };

    let mut digests = run.load_digests(source, &all_keys, &present);
    let chains = group_chains(&digests);
    run.check_signatures(&mut digests);
    run.check_chains(&digests, &chains);
    if log_files == LogFiles::Read {
        run.check_log_files(source, &digests, &all_keys, &present);
    }
    finish(&mut run.report);
    let parsed = digests.into_iter().map(|(k, e)| (k, e.parsed)).collect();
    (run.report, parsed)
}

/// One parsed digest and what is known about its signature.
pub(super) struct Entry {
    pub(super) parsed: ParsedDigest,
    /// A well-formed hex signature from the sidecar.
    pub(super) sidecar: Option<String>,
    /// The signature (lower-case hex) the digest verified with, if it did.
    pub(super) verified_with: Option<String>,
}

/// The state of one verification run, shared by the checks in `links` and `log_files`.
pub(super) struct Run<'k> {
    pub(super) report: DigestReport,
    keys: &'k PublicKeySet,
    /// Digest keys present but unreadable: already reported, so links to them are not called missing.
    pub(super) malformed: BTreeSet<String>,
}

fn key_findings(set: &PublicKeySet, file: &str) -> Vec<Finding> {
    set.rejected
        .iter()
        .map(|r| {
            let kind = if r.fingerprint_mismatch {
                FindingKind::PublicKeyFingerprintMismatch
            } else {
                FindingKind::PublicKeysMalformed
            };
            finding(
                kind,
                file,
                format!("key {:?} unusable: {}", r.fingerprint, r.reason),
            )
        })
        .collect()
}

/// Digest keys of each chain, oldest first (by end time, then key).
fn group_chains(digests: &BTreeMap<String, Entry>) -> BTreeMap<String, Vec<String>> {
    let mut chains: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for key in digests.keys() {
        chains
            .entry(chain::chain_id(key))
            .or_default()
            .push(key.clone());
    }
    for keys in chains.values_mut() {
        keys.sort_by(|a, b| (digests[a].parsed.end, a).cmp(&(digests[b].parsed.end, b)));
    }
    chains
}

/// Why `key` cannot vouch for a digest that ends at `at`: `at` is outside the validity period
/// ListPublicKeys states for it (`ValidityStartTime`, `ValidityEndTime`; a bound it does not state
/// is not checked). `None` when it is inside.
fn outside_validity(
    key: &super::public_keys::PublicKey,
    at: chrono::DateTime<chrono::Utc>,
) -> Option<String> {
    let before = key.validity_start.filter(|start| at < *start);
    let after = key.validity_end.filter(|end| at > *end);
    if before.is_none() && after.is_none() {
        return None;
    }
    let bound = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map_or_else(|| "(not stated)".to_string(), super::time::format_timestamp)
    };
    Some(format!(
        "the digest ends {}, outside the validity of key {} (from {} to {}, as public-keys.json states it): not verified with it",
        super::time::format_timestamp(at),
        key.fingerprint,
        bound(key.validity_start),
        bound(key.validity_end)
    ))
}

/// Sidecar content: the hex signature as `aws s3api head-object` shows it, or that command's whole JSON
/// output (`{"Metadata": {"signature": ...}}`).
fn sidecar_signature(bytes: &[u8]) -> Result<String, String> {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim();
    let hex_text = if text.starts_with('{') {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
        let signature = value
            .pointer("/Metadata/signature")
            .or_else(|| value.get("signature"));
        signature
            .and_then(|s| s.as_str())
            .ok_or("JSON without Metadata.signature")?
            .to_owned()
    } else {
        text.to_owned()
    };
    decode_signature(&hex_text).map_err(|e| e.to_string())?;
    Ok(hex_text.to_ascii_lowercase())
}

impl Run<'_> {
    pub(super) fn push(&mut self, kind: FindingKind, key: &str, detail: impl Into<String>) {
        self.report.findings.push(finding(kind, key, detail));
    }

    fn load_digests<S: EvidenceSource + ?Sized>(
        &mut self,
        source: &S,
        all_keys: &[String],
        present: &BTreeSet<&str>,
    ) -> BTreeMap<String, Entry> {
        let mut digests = BTreeMap::new();
        for key in all_keys.iter().filter(|k| chain::is_digest_key(k)) {
            self.report.summary.digests += 1;
            if chain::is_backfill_digest_key(key) {
                self.report.summary.backfill_digests += 1;
            }
            let parsed = source
                .read(key)
                .map_err(|e| format!("cannot read: {e}"))
                .and_then(|bytes| ParsedDigest::parse(&bytes).map_err(|e| e.to_string()));
            let parsed = match parsed {
                Ok(parsed) => parsed,
                Err(e) => {
                    self.report.summary.digests_failed += 1;
                    self.push(FindingKind::DigestMalformed, key, e);
                    self.malformed.insert(key.clone());
                    continue;
                }
            };
            if parsed.file.digest_s3_object != *key {
                let detail = format!(
                    "stored under this key but says it is {}",
                    parsed.file.digest_s3_object
                );
                self.push(FindingKind::DigestMoved, key, detail);
            }
            let sidecar_key = format!("{key}{SIDECAR_SUFFIX}");
            let mut sidecar = None;
            if present.contains(sidecar_key.as_str()) {
                match source
                    .read(&sidecar_key)
                    .map_err(|e| format!("cannot read: {e}"))
                    .and_then(|b| sidecar_signature(&b))
                {
                    Ok(signature) => sidecar = Some(signature),
                    Err(e) => self.push(FindingKind::SignatureSidecarMalformed, &sidecar_key, e),
                }
            }
            digests.insert(
                key.clone(),
                Entry {
                    parsed,
                    sidecar,
                    verified_with: None,
                },
            );
        }
        for key in all_keys.iter().filter(|k| k.ends_with(SIDECAR_SUFFIX)) {
            let digest_key = &key[..key.len() - SIDECAR_SUFFIX.len()];
            if chain::is_digest_key(digest_key) && !present.contains(digest_key) {
                self.push(
                    FindingKind::SignatureSidecarOrphaned,
                    key,
                    format!("the digest {digest_key} is not in the case"),
                );
            }
        }
        digests
    }

    fn check_signatures(&mut self, digests: &mut BTreeMap<String, Entry>) {
        // A digest's signature is also the `previousDigestSignature` of the digest that follows it.
        let mut successors: BTreeMap<String, (String, String)> = BTreeMap::new();
        for (key, entry) in digests.iter() {
            let file = &entry.parsed.file;
            if let (Some(previous), Some(signature)) = (
                &file.previous_digest_s3_object,
                &file.previous_digest_signature,
            ) {
                successors
                    .entry(previous.clone())
                    .or_insert_with(|| (key.clone(), signature.clone()));
            }
        }
        for (key, entry) in digests.iter_mut() {
            let mut candidates = Vec::new();
            if let Some(sidecar) = &entry.sidecar {
                candidates.push((sidecar.clone(), "its signature sidecar".to_owned()));
            }
            if let Some((next, signature)) = successors.get(key) {
                let origin = format!("the previousDigestSignature of {next}");
                candidates.push((signature.trim().to_ascii_lowercase(), origin));
            }
            if candidates.is_empty() {
                self.report.summary.digests_unverified += 1;
                let detail =
                    "no signature sidecar and no later digest in the case points back to it";
                self.push(FindingKind::DigestSignatureUnavailable, key, detail);
                continue;
            }
            let fingerprint = &entry.parsed.file.digest_public_key_fingerprint;
            let Some(public_key) = self.keys.get(fingerprint) else {
                self.report.summary.digests_failed += 1;
                let (kind, detail) = match self.keys.rejected(fingerprint) {
                    Some(rejected) => (
                        FindingKind::PublicKeyUnusable,
                        format!("key {fingerprint}: {}", rejected.reason),
                    ),
                    None => (
                        FindingKind::PublicKeyNotFound,
                        format!("no public key with fingerprint {fingerprint}"),
                    ),
                };
                self.push(kind, key, detail);
                continue;
            };
            if let Some(outside) = outside_validity(public_key, entry.parsed.end) {
                self.report.summary.digests_failed += 1;
                self.push(FindingKind::PublicKeyOutsideValidity, key, outside);
                continue;
            }
            let to_sign = signing_string(&entry.parsed.file, &entry.parsed.content_sha256);
            let mut failures = Vec::new();
            let mut verified = None;
            for (signature, origin) in candidates {
                match verify_signature(&public_key.key, to_sign.as_bytes(), &signature) {
                    Ok(()) => {
                        verified = Some((signature, origin));
                        break;
                    }
                    Err(e) => failures.push((origin, e)),
                }
            }
            let Some((signature, origin)) = verified else {
                self.report.summary.digests_failed += 1;
                let tried: Vec<String> = failures
                    .iter()
                    .map(|(origin, e)| format!("with {origin}: {e}"))
                    .collect();
                let hint = if failures.iter().all(|(_, e)| *e == SignatureError::Mismatch) {
                    "the digest, its signature or the public key was changed"
                } else {
                    "a signature is not usable"
                };
                self.push(
                    FindingKind::DigestSignatureInvalid,
                    key,
                    format!("checked {}; {hint}", tried.join(", ")),
                );
                continue;
            };
            if let Some((failed, e)) = failures.first() {
                // Only the sidecar is tried before the chain's copy, so it is the one that failed.
                let detail = format!("{failed} does not verify ({e}), but {origin} does: the sidecar, not the digest, is wrong");
                self.push(
                    FindingKind::SignatureSidecarInvalid,
                    &format!("{key}{SIDECAR_SUFFIX}"),
                    detail,
                );
            }
            entry.verified_with = Some(signature);
            self.report.summary.digests_verified += 1;
            self.report
                .summary
                .signing_keys
                .insert(public_key.fingerprint.clone());
            if public_key.fingerprint == super::public_keys::SAMPLE_TEST_KEY_FINGERPRINT {
                self.report.summary.digests_verified_with_sample_test_key += 1;
            }
            let listed = entry.parsed.file.log_files.len();
            if listed == 0 {
                self.report.summary.digests_empty += 1;
                self.push(
                    FindingKind::DigestEmpty,
                    key,
                    format!("signature verified with {origin}; lists no log file"),
                );
            } else {
                let detail =
                    format!("signature verified with {origin}; lists {listed} log file(s)");
                self.push(FindingKind::DigestValid, key, detail);
            }
        }
    }
}
