//! Parse one CloudTrail digest file (gzip or plain JSON) into typed data, keeping unknown fields.
//!
//! Field meanings follow the AWS CloudTrail User Guide, "CloudTrail digest file structure". Pure: bytes in,
//! values or a typed error out; no file system, no cryptography beyond hashing the content.

use std::collections::BTreeMap;
use std::io::Read;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use super::time::parse_timestamp;

/// Decompressed digests larger than this are refused: real ones are a few kilobytes per listed log file,
/// so this only stops a decompression bomb planted in a case.
const MAX_DIGEST_BYTES: u64 = 64 * 1024 * 1024;

/// Why a digest file could not be read. Each is about one file and never stops a verification run.
#[derive(Debug, thiserror::Error)]
pub enum DigestError {
    #[error("gzip data is corrupt: {0}")]
    Decompress(#[source] std::io::Error),
    #[error("decompressed content exceeds {MAX_DIGEST_BYTES} bytes")]
    TooLarge,
    #[error("not a digest file: {0}")]
    Json(#[source] serde_json::Error),
    #[error("field {field} is not a timestamp: {value:?}")]
    BadTime { field: &'static str, value: String },
}

/// One entry of `logFiles`: a log file the digest vouches for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DigestLogFile {
    pub s3_bucket: String,
    pub s3_object: String,
    /// Hex hash of the log file's uncompressed content.
    pub hash_value: String,
    pub hash_algorithm: String,
    /// As written; may be malformed (`2025-10-21TT00:52:27Z`): see [`DigestLogFile::newest_event`].
    #[serde(default)]
    pub newest_event_time: Option<String>,
    #[serde(default)]
    pub oldest_event_time: Option<String>,
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

impl DigestLogFile {
    pub fn newest_event(&self) -> Option<DateTime<Utc>> {
        self.newest_event_time.as_deref().and_then(parse_timestamp)
    }

    pub fn oldest_event(&self) -> Option<DateTime<Utc>> {
        self.oldest_event_time.as_deref().and_then(parse_timestamp)
    }
}

/// The JSON body of a digest file. Strings are kept exactly as written, because the signing string is built
/// from them byte for byte.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DigestFile {
    pub aws_account_id: String,
    pub digest_start_time: String,
    pub digest_end_time: String,
    pub digest_s3_bucket: String,
    pub digest_s3_object: String,
    pub digest_public_key_fingerprint: String,
    #[serde(default)]
    pub digest_signature_algorithm: Option<String>,
    /// Null in a digest that lists no log files.
    #[serde(default)]
    pub newest_event_time: Option<String>,
    #[serde(default)]
    pub oldest_event_time: Option<String>,
    /// The five `previousDigest*` fields are null in a starting digest (first of a chain, or after logging
    /// or validation was turned off and on again).
    #[serde(default)]
    pub previous_digest_s3_bucket: Option<String>,
    #[serde(default)]
    pub previous_digest_s3_object: Option<String>,
    #[serde(default)]
    pub previous_digest_hash_value: Option<String>,
    #[serde(default)]
    pub previous_digest_hash_algorithm: Option<String>,
    #[serde(default)]
    pub previous_digest_signature: Option<String>,
    pub log_files: Vec<DigestLogFile>,
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

impl DigestFile {
    /// The digest is a starting digest: it does not point back to a previous one.
    pub fn is_chain_start(&self) -> bool {
        self.previous_digest_s3_object.is_none()
    }

    pub fn is_empty(&self) -> bool {
        self.log_files.is_empty()
    }
}

/// A digest file with the facts verification needs about its bytes.
#[derive(Debug, Clone)]
pub struct ParsedDigest {
    pub file: DigestFile,
    /// Hex SHA-256 of the uncompressed content: what the signing string and the next digest's
    /// `previousDigestHashValue` refer to.
    pub content_sha256: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl ParsedDigest {
    /// Parse a digest from the bytes as stored (gzip, as S3 holds them) or already decompressed.
    pub fn parse(bytes: &[u8]) -> Result<Self, DigestError> {
        let content = decompress(bytes)?;
        let file: DigestFile = serde_json::from_slice(&content).map_err(DigestError::Json)?;
        let start = required_time("digestStartTime", &file.digest_start_time)?;
        let end = required_time("digestEndTime", &file.digest_end_time)?;
        Ok(Self {
            content_sha256: hex::encode(Sha256::digest(&content)),
            file,
            start,
            end,
        })
    }
}

fn required_time(field: &'static str, value: &str) -> Result<DateTime<Utc>, DigestError> {
    parse_timestamp(value).ok_or_else(|| DigestError::BadTime {
        field,
        value: value.to_owned(),
    })
}

/// Gzip content (magic `1f 8b`) is inflated; anything else is taken as already plain.
fn decompress(bytes: &[u8]) -> Result<Vec<u8>, DigestError> {
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Ok(bytes.to_vec());
    }
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes)
        .take(MAX_DIGEST_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(DigestError::Decompress)?;
    if out.len() as u64 > MAX_DIGEST_BYTES {
        return Err(DigestError::TooLarge);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC_EXAMPLE: &str = r#"{
      "awsAccountId": "111122223333",
      "digestStartTime": "2015-08-17T14:01:31Z",
      "digestEndTime": "2015-08-17T15:01:31Z",
      "digestS3Bucket": "S3-bucket-name",
      "digestS3Object": "AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2015/08/17/x.json.gz",
      "digestPublicKeyFingerprint": "31e8b5433410dfb61a9dc45cc65b22ff",
      "digestSignatureAlgorithm": "SHA256withRSA",
      "newestEventTime": null, "oldestEventTime": null,
      "previousDigestS3Bucket": null, "previousDigestS3Object": null, "previousDigestHashValue": null,
      "previousDigestHashAlgorithm": null, "previousDigestSignature": null,
      "logFiles": [{"s3Bucket": "b", "s3Object": "k", "hashValue": "00", "hashAlgorithm": "SHA-256",
                    "newestEventTime": "2025-10-21TT00:52:27Z", "oldestEventTime": null, "extra": 1}],
      "futureField": {"a": 1}
    }"#;

    #[test]
    fn parses_plain_and_gzip_identically() {
        let plain = ParsedDigest::parse(DOC_EXAMPLE.as_bytes()).unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut gz, DOC_EXAMPLE.as_bytes()).unwrap();
        let zipped = ParsedDigest::parse(&gz.finish().unwrap()).unwrap();
        assert_eq!(plain.file, zipped.file);
        assert_eq!(plain.content_sha256, zipped.content_sha256);
        assert!(plain.file.is_chain_start());
        assert_eq!(plain.file.other["futureField"]["a"], 1);
        assert_eq!(plain.file.log_files[0].other["extra"], 1);
        assert!(plain.file.log_files[0].newest_event().is_some());
    }

    #[test]
    fn malformed_digests_are_errors() {
        assert!(matches!(
            ParsedDigest::parse(b"{"),
            Err(DigestError::Json(_))
        ));
        assert!(matches!(
            ParsedDigest::parse(b"[]"),
            Err(DigestError::Json(_))
        ));
        assert!(matches!(
            ParsedDigest::parse(&[0x1f, 0x8b, 0, 1, 2]),
            Err(DigestError::Decompress(_))
        ));
        let bad_time = DOC_EXAMPLE.replace("2015-08-17T15:01:31Z", "soon");
        assert!(matches!(
            ParsedDigest::parse(bad_time.as_bytes()),
            Err(DigestError::BadTime { .. })
        ));
    }

    #[test]
    fn every_truncation_of_a_digest_is_an_error_not_a_panic() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut gz, DOC_EXAMPLE.as_bytes()).unwrap();
        let zipped = gz.finish().unwrap();
        for bytes in [DOC_EXAMPLE.as_bytes(), zipped.as_slice()] {
            for end in 0..bytes.len() {
                assert!(
                    ParsedDigest::parse(&bytes[..end]).is_err(),
                    "prefix of {end} bytes parsed"
                );
            }
        }
    }
}
