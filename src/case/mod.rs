//! The evidence case directory: layout, manifest, hashing, offline verification of CloudTrail digest files,
//! and the whole-case integrity check built on them.
//!
//! Depends on nothing AWS-specific at run time: it reads bytes a responder already copied to disk (or hands
//! over in memory) and never touches the network, the clock or the environment. The exceptions are
//! `acquire`, which writes a case while `collect` runs (the clock is handed to it), and `record`,
//! which adds one file (a posture result) to a case.
//!
//! Below `source`: the sources acquire into the case through its [`sink::Sink`] and name its
//! files with [`key_path`]; the case imports `model` and `parse`, never `source`.

pub mod acquire;
pub mod attested;
pub mod digest;
pub mod integrity;
pub mod key_path;
pub mod manifest;
pub mod printable;
pub mod public_keys;
pub mod record;
pub mod report;
pub mod report_pdf;
pub mod signing;
pub mod sink;
pub mod source;
pub mod verify;
pub mod walk;

mod chain;
mod links;
mod log_files;
mod time;

pub use digest::{DigestError, DigestFile, DigestLogFile, ParsedDigest};
pub use integrity::{
    coverage_of_case, verified_log_files, verify_case, IntegrityError, IntegrityOptions,
    IntegrityReport, VerdictStatus,
};
pub use public_keys::{
    PublicKey, PublicKeyError, PublicKeySet, SAMPLE_TEST_KEY_FINGERPRINT, SAMPLE_TEST_KEY_NOTE,
};
pub use report::{ChainSummary, DigestReport, DigestSummary, Finding, FindingKind};
pub use signing::{signing_string, verify_signature, SignatureError};
pub use source::{AppendedData, CaseDir, CaseDirError, EvidenceSource, LogFileHash};
pub use verify::{verify_case_dir, verify_digests, verify_digests_with_keys};
