//! The result of digest verification: per-file findings and counts, as plain serializable data.
//!
//! No logic beyond classification and sorting; the report layer and the CLI read it.

use serde::Serialize;

/// What was found about one file. Kinds marked "not a problem" below describe verified or merely
/// informative facts; every other kind is an integrity problem or an evidence gap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// Signature verified; the digest lists log files. Not a problem.
    DigestValid,
    /// Signature verified; the digest lists no log files (no activity that hour). Not a problem.
    DigestEmpty,
    /// Not gzip/JSON, or required fields missing: this file cannot be checked.
    DigestMalformed,
    /// The digest's own `digestS3Object` is not the key it is stored under.
    DigestMoved,
    /// The signature does not verify: the digest was changed, or the signature it was checked with was.
    DigestSignatureInvalid,
    /// No sidecar and no later digest pointing back to it: nothing to check the signature with.
    DigestSignatureUnavailable,
    /// A digest referenced by the chain, or an hour between two digests, is not in the case.
    DigestMissing,
    /// The sidecar is not a hex signature.
    SignatureSidecarMalformed,
    /// A well-formed sidecar signature that does not verify, while the signature the next digest carries
    /// for this one does: the sidecar is wrong, the digest is not.
    SignatureSidecarInvalid,
    /// A sidecar whose digest file is not in the case.
    SignatureSidecarOrphaned,
    /// No public key in the case has the digest's fingerprint.
    PublicKeyNotFound,
    /// The key with that fingerprint is in the case but could not be decoded.
    PublicKeyUnusable,
    /// The case holds no ListPublicKeys output.
    PublicKeysMissing,
    /// A ListPublicKeys output that could not be read.
    PublicKeysMalformed,
    /// The digest's time (`digestEndTime`) is outside the `ValidityStartTime`..`ValidityEndTime`
    /// that ListPublicKeys states for the key it names: the key did not sign digests then, so the
    /// digest is not verified with it.
    PublicKeyOutsideValidity,
    /// A key whose stated fingerprint is not the MD5 of its bytes: the key is not used, so no digest
    /// verifies with it (a key published under another key's fingerprint must not vouch for anything).
    PublicKeyFingerprintMismatch,
    /// The first digest of a chain with no previous digest. Not a problem.
    ChainStart,
    /// The oldest digest in the case points back to one that was not collected. Not a problem by itself:
    /// the case starts there.
    ChainStartOutsideCase,
    /// A starting digest after earlier ones: logging or validation was off in between. (A backfill digest
    /// that starts a new backfill chain is a [`FindingKind::ChainStart`]: backfills come when they are
    /// needed, not every hour.)
    ChainRestart,
    /// A digest's `previousDigest*` fields do not match the previous digest.
    ChainBroken,
    /// Present, its digest verified, and its decompressed SHA-256 matches. Not a problem.
    LogFileValid,
    /// Listed in a digest but not in the case.
    LogFileMissing,
    /// Listed in a digest, not in the case, and left out on purpose: the case holds the files an
    /// Athena search chose (`athena/selection.json`) and this was not one. Not a problem, not
    /// verified either.
    LogFileOutsideSelection,
    /// Its decompressed SHA-256 differs from the digest's, or it cannot be decompressed.
    LogFileModified,
    /// Has data after the end of its first gzip member (another member, or bytes that are not gzip):
    /// appended after delivery, since CloudTrail writes one member per file. `aws cloudtrail validate-logs`
    /// rejects such a file whatever its first member hashes to; so does this check.
    LogFileAppendedData,
    /// Present but listed in no digest of the case.
    LogFileUnlisted,
    /// Its hash matches, but the digest listing it was not verified (or uses another hash algorithm).
    LogFileUnverified,
    /// Present and delivered after the newest digest of its region in the case, so no digest covers it yet.
    /// Not a problem by itself, but not verified.
    LogFileAfterLastDigest,
    /// Listed more than once (twice in one digest, or in two digests): CloudTrail lists each log
    /// file in one digest. Counted once; each listing is checked. Not a problem by itself.
    LogFileListedMoreThanOnce,
    /// A digest lists an object of the case whose name is not a CloudTrail log file's (such as
    /// `public-keys.json`): its hash is checked, but it is not counted as a log file, verified or
    /// not. Not a problem by itself.
    ListedObjectNotALogFile,
}

impl FindingKind {
    pub fn is_problem(self) -> bool {
        !matches!(
            self,
            Self::DigestValid
                | Self::DigestEmpty
                | Self::ChainStart
                | Self::ChainStartOutsideCase
                | Self::LogFileValid
                | Self::LogFileAfterLastDigest
                | Self::LogFileOutsideSelection
                | Self::LogFileListedMoreThanOnce
                | Self::ListedObjectNotALogFile
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Finding {
    pub kind: FindingKind,
    /// The key (path under `cloudtrail/`) the finding is about.
    pub key: String,
    pub detail: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DigestSummary {
    /// Digest files in the case (including malformed ones).
    pub digests: usize,
    /// Of them, backfill digests (`..._backfill.json.gz`).
    pub backfill_digests: usize,
    pub digests_verified: usize,
    /// Of the verified ones, those that list no log file.
    pub digests_empty: usize,
    /// Malformed, bad signature, or no usable public key.
    pub digests_failed: usize,
    /// No signature to check it with.
    pub digests_unverified: usize,
    /// Hourly digests the chains show are missing (an estimate for runs of more than one).
    pub digests_missing: usize,
    pub log_files_listed: usize,
    pub log_files_verified: usize,
    pub log_files_missing: usize,
    pub log_files_modified: usize,
    pub log_files_unlisted: usize,
    pub log_files_unverified: usize,
    pub log_files_after_last_digest: usize,
    /// Listed in a digest and left out on purpose by an Athena search (see
    /// [`FindingKind::LogFileOutsideSelection`]). Absent when none.
    #[serde(skip_serializing_if = "is_zero")]
    pub log_files_outside_selection: usize,
    /// Findings that are problems (see [`FindingKind::is_problem`]).
    pub problems: usize,
    /// Of the verified digests, those whose key is the bundled sample's TEST key
    /// ([`super::public_keys::SAMPLE_TEST_KEY_FINGERPRINT`]), not an AWS key. Absent when none.
    #[serde(skip_serializing_if = "is_zero")]
    pub digests_verified_with_sample_test_key: usize,
    /// The fingerprints of the public keys the verified digests were checked with, sorted: taken
    /// from the case's `public-keys.json`, so offline nothing shows they are AWS CloudTrail's.
    pub signing_keys: std::collections::BTreeSet<String>,
}

impl DigestSummary {
    /// The fingerprints of [`signing_keys`](Self::signing_keys) other than the bundled
    /// sample's TEST key (which the verdict names as such): the keys nothing offline shows to
    /// be AWS's.
    pub fn keys_not_examined(&self) -> Vec<&str> {
        self.signing_keys
            .iter()
            .map(String::as_str)
            .filter(|k| *k != super::public_keys::SAMPLE_TEST_KEY_FINGERPRINT)
            .collect()
    }
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// One hourly chain: a trail's digests for one account and region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainSummary {
    pub chain: String,
    pub region: String,
    /// A chain of backfill digests, beside the hourly chain of the same trail.
    pub backfill: bool,
    pub digests: usize,
    pub first_start: String,
    pub last_end: String,
    pub digests_missing: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DigestReport {
    pub summary: DigestSummary,
    /// Sorted by key, then kind, then detail.
    pub findings: Vec<Finding>,
    /// Sorted by chain.
    pub chains: Vec<ChainSummary>,
}

impl DigestReport {
    /// No problem was found (informative findings allowed).
    pub fn is_clean(&self) -> bool {
        self.summary.problems == 0
    }

    pub fn findings_of(&self, kind: FindingKind) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(move |f| f.kind == kind)
    }
}

pub(crate) fn finding(kind: FindingKind, key: &str, detail: impl Into<String>) -> Finding {
    Finding {
        kind,
        key: key.to_owned(),
        detail: detail.into(),
    }
}

/// Sort findings, fill the summary's problem count.
pub(crate) fn finish(report: &mut DigestReport) {
    report
        .findings
        .sort_by(|a, b| (&a.key, a.kind, &a.detail).cmp(&(&b.key, b.kind, &b.detail)));
    report.findings.dedup();
    report.summary.problems = report
        .findings
        .iter()
        .filter(|f| f.kind.is_problem())
        .count();
}
