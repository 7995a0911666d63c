//! The string CloudTrail signs for each digest file, and RSA PKCS#1 v1.5 / SHA-256 verification of it.
//!
//! All cryptography is RustCrypto's (`rsa`, `sha2`); this file only assembles the documented inputs.

use rsa::{Pkcs1v15Sign, RsaPublicKey};
use sha2::{Digest as _, Sha256};

use super::digest::DigestFile;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SignatureError {
    #[error("signature is not hex: {0}")]
    NotHex(String),
    #[error("signature is empty")]
    Empty,
    #[error("signature does not verify with the public key")]
    Mismatch,
}

/// The data signing string of a digest file.
///
/// Source: AWS CloudTrail User Guide, "Custom implementations of CloudTrail log file integrity validation",
/// section "D. Recreate the data signing string" (copy in `tests/data/shared/cloudtrail-digest/awsdocs-cloudtrail-user-guide/`):
///
/// ```text
/// Data_To_Sign_String =
///   Digest_End_Timestamp_in_UTC_Extended_format + '\n' +
///   Current_Digest_File_S3_Path + '\n' +
///   Hex(Sha256(current-digest-file-content)) + '\n' +
///   Previous_digest_signature_in_hex
/// ```
///
/// - the end timestamp is the `digestEndTime` field exactly as written, and the S3 path is
///   `digestS3Bucket + "/" + digestS3Object` (the guide's Java sample formats `"%s%n%s/%s%n%s%n%s"` from
///   those fields; `%n` is `\n` on the Linux hosts that sign);
/// - the hash is over the *uncompressed* digest content: the guide's "digest file structure" page defines
///   `previousDigestHashValue` as the hash "of the uncompressed contents of the previous digest file", and
///   `aws cloudtrail validate-logs` hashes the inflated file;
/// - in a starting digest `previousDigestSignature` is JSON null (digest file structure page, "Starting
///   digest files"); the documents do not say what is signed then, but `aws cloudtrail validate-logs`
///   (awscli/customizations/cloudtrail/validation.py) substitutes the four characters `null`, noting that it
///   must do so "to match the Java implementation". We follow it.
///
/// The whole string is signed with SHA256withRSA (RSA PKCS#1 v1.5 over its SHA-256), and the hex signature
/// is stored as the `x-amz-meta-signature` metadata of the digest object.
pub fn signing_string(digest: &DigestFile, content_sha256_hex: &str) -> String {
    format!(
        "{}\n{}/{}\n{}\n{}",
        digest.digest_end_time,
        digest.digest_s3_bucket,
        digest.digest_s3_object,
        content_sha256_hex,
        digest
            .previous_digest_signature
            .as_deref()
            .unwrap_or("null"),
    )
}

/// Decode a hex signature as found in `x-amz-meta-signature` or `previousDigestSignature`.
pub fn decode_signature(hex_signature: &str) -> Result<Vec<u8>, SignatureError> {
    let text = hex_signature.trim();
    if text.is_empty() {
        return Err(SignatureError::Empty);
    }
    hex::decode(text).map_err(|e| SignatureError::NotHex(e.to_string()))
}

/// Verify a hex signature over `signing_string` with RSA PKCS#1 v1.5 and SHA-256.
pub fn verify_signature(
    key: &RsaPublicKey,
    signing_string: &[u8],
    hex_signature: &str,
) -> Result<(), SignatureError> {
    let signature = decode_signature(hex_signature)?;
    let hashed = Sha256::digest(signing_string);
    key.verify(Pkcs1v15Sign::new::<Sha256>(), &hashed, &signature)
        .map_err(|_| SignatureError::Mismatch)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digest(previous: Option<&str>) -> DigestFile {
        serde_json::from_value(serde_json::json!({
            "awsAccountId": "111122223333",
            "digestStartTime": "2015-08-12T03:01:31Z",
            "digestEndTime": "2015-08-12T04:01:31Z",
            "digestS3Bucket": "S3-bucket-name",
            "digestS3Object": "AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2015/08/12/d.json.gz",
            "digestPublicKeyFingerprint": "aa",
            "previousDigestSignature": previous,
            "logFiles": []
        }))
        .unwrap()
    }

    #[test]
    fn signing_string_has_the_documented_four_lines() {
        let s = signing_string(&digest(Some("6e85")), "4ff0");
        assert_eq!(
            s,
            "2015-08-12T04:01:31Z\nS3-bucket-name/AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2015/08/12/d.json.gz\n4ff0\n6e85"
        );
    }

    #[test]
    fn a_starting_digest_signs_the_literal_null() {
        assert!(signing_string(&digest(None), "4ff0").ends_with("\n4ff0\nnull"));
    }

    #[test]
    fn signatures_that_are_not_hex_are_typed_errors() {
        assert_eq!(decode_signature("  "), Err(SignatureError::Empty));
        assert!(matches!(
            decode_signature("xyz"),
            Err(SignatureError::NotHex(_))
        ));
        assert_eq!(decode_signature("0aFF\n").unwrap(), vec![0x0a, 0xff]);
    }
}
