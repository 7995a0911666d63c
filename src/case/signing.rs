//! The string CloudTrail signs for each digest file, and RSA PKCS#1 v1.5 / SHA-256 verification of it.
//!
//! All cryptography is RustCrypto's (`rsa`, `sha2`) and ring's (a signature's first, faster check);
//! this file only assembles the documented inputs.

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
///
/// ring checks first (a tenth of the `rsa` crate's time, which matters with a month of hourly
/// digests per region); what ring does not accept (a bad signature, or a key outside the
/// 2048 to 8192 bits and exponents ring takes) is decided by the `rsa` crate, as before, so
/// the answer is the `rsa` crate's whenever ring refuses.
pub fn verify_signature(
    key: &RsaPublicKey,
    signing_string: &[u8],
    hex_signature: &str,
) -> Result<(), SignatureError> {
    let signature = decode_signature(hex_signature)?;
    if verified_by_ring(key, signing_string, &signature) {
        return Ok(());
    }
    let hashed = Sha256::digest(signing_string);
    key.verify(Pkcs1v15Sign::new::<Sha256>(), &hashed, &signature)
        .map_err(|_| SignatureError::Mismatch)
}

fn verified_by_ring(key: &RsaPublicKey, message: &[u8], signature: &[u8]) -> bool {
    use rsa::traits::PublicKeyParts as _;
    let (n, e) = (key.n().to_bytes_be(), key.e().to_bytes_be());
    ring::signature::RsaPublicKeyComponents { n: &n, e: &e }
        .verify(
            &ring::signature::RSA_PKCS1_2048_8192_SHA256,
            message,
            signature,
        )
        .is_ok()
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

    /// ring's check and the `rsa` crate's give the same answers: a 2048-bit key (ring's range)
    /// and a 1024-bit key (outside it: the `rsa` crate decides), each with its own signature
    /// (verified), another string or a changed signature (not), and the other key (not).
    #[test]
    fn ring_and_the_rsa_crate_agree_inside_and_outside_rings_key_sizes() {
        use rand_chacha::rand_core::SeedableRng;
        use rsa::pkcs1::DecodeRsaPrivateKey as _;
        use rsa::RsaPrivateKey;
        let big = RsaPrivateKey::from_pkcs1_pem(include_str!(
            "../../samplegen/test-key/SAMPLE-TEST-KEY-not-secret.pem"
        ))
        .unwrap();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let small = RsaPrivateKey::new(&mut rng, 1024).unwrap();
        let message = b"2026-11-20T15:14:09Z\nbucket/key\nabc\nnull";
        for (key, other, ring_takes_it) in [(&big, &small, true), (&small, &big, false)] {
            let hashed = Sha256::digest(message);
            let signature = key.sign(Pkcs1v15Sign::new::<Sha256>(), &hashed).unwrap();
            let public = key.to_public_key();
            assert_eq!(
                verified_by_ring(&public, message, &signature),
                ring_takes_it
            );
            let hex_signature = hex::encode(&signature);
            assert_eq!(verify_signature(&public, message, &hex_signature), Ok(()));
            let mismatch = Err(SignatureError::Mismatch);
            assert_eq!(
                verify_signature(&public, b"other", &hex_signature),
                mismatch
            );
            let mut changed = signature.clone();
            changed[10] ^= 1;
            assert!(!verified_by_ring(&public, message, &changed));
            assert_eq!(
                verify_signature(&public, message, &hex::encode(&changed)),
                mismatch
            );
            let other = other.to_public_key();
            assert_eq!(verify_signature(&other, message, &hex_signature), mismatch);
        }
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
