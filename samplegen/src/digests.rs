//! The sample's CloudTrail digest files: one per region and hour of delivery, chained and signed as
//! CloudTrail signs them (AWS CloudTrail User Guide, "CloudTrail digest file structure" and "Custom
//! implementations of CloudTrail log file integrity validation"), with the `.signature` sidecar of the
//! newest digest of each chain and the ListPublicKeys output (`public-keys.json`) holding the public key.
//!
//! The signing key is a fixed **TEST KEY** shipped in `samplegen/test-key/`: it is not AWS's and not a
//! secret. trailcase knows its fingerprint (`trailcase::case::SAMPLE_TEST_KEY_FINGERPRINT`) and says
//! "the sample's own test key, not AWS's" wherever a digest verified with it is reported. RSA PKCS#1 v1.5
//! signatures are deterministic, so the sample stays byte-identical from run to run. Writes files only
//! under the `cloudtrail/` directory it is given; depends on nothing of trailcase.

use std::collections::BTreeMap;
use std::path::Path;

use base64::Engine as _;
use md5::{Digest as _, Md5};
use rsa::pkcs1::{DecodeRsaPrivateKey as _, EncodeRsaPublicKey as _};
use rsa::{Pkcs1v15Sign, RsaPrivateKey};
use sha2::Sha256;

use crate::cli_outputs::trail::TRAIL_NAME;
use crate::identity::{ACCOUNT, MAIN_REGION};
use crate::json::J;
use crate::obj;
use crate::time::{civil, iso_z, Epoch, DAY, HOUR, MINUTE};

/// The sample's digest-signing TEST KEY (RSA 2048, PKCS#1 PEM). Public test data, never a real key.
const TEST_KEY_PEM: &str = include_str!("../test-key/SAMPLE-TEST-KEY-not-secret.pem");

/// CloudTrail delivers the sample trail's digests at 14 minutes 9 seconds past each hour (as
/// `trail/trail-status.json`'s `LatestDigestDeliveryTime` says); each lists the log files delivered
/// in the hour before.
const DIGEST_OFFSET: Epoch = 14 * MINUTE + 9;

/// What a digest needs to know about one log file it lists.
#[derive(Debug, Clone)]
pub struct LogFileFacts {
    pub region: &'static str,
    /// The S3 key (`AWSLogs/...`), the path under `cloudtrail/`.
    pub key: String,
    pub delivered: Epoch,
    /// Hex SHA-256 of the uncompressed content.
    pub sha256: String,
    pub oldest: Epoch,
    pub newest: Epoch,
}

/// The trail's bucket, as `trail/trails.json` names it.
pub fn bucket() -> String {
    format!("aws-cloudtrail-logs-{ACCOUNT}-7c1e4a90")
}

fn test_key() -> RsaPrivateKey {
    RsaPrivateKey::from_pkcs1_pem(TEST_KEY_PEM).expect("the bundled test key is a PKCS#1 RSA key")
}

fn public_der(key: &RsaPrivateKey) -> Vec<u8> {
    key.to_public_key()
        .to_pkcs1_der()
        .expect("an RSA public key encodes")
        .as_bytes()
        .to_vec()
}

/// The test key's fingerprint: hex MD5 of its DER public key, as CloudTrail's ListPublicKeys states it.
#[cfg(test)]
fn test_key_fingerprint() -> String {
    hex::encode(Md5::digest(public_der(&test_key())))
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(<Sha256 as sha2::Digest>::digest(bytes))
}

/// `AWSLogs/<account>/CloudTrail-Digest/<region>/<yyyy>/<mm>/<dd>/<account>_CloudTrail-Digest_<region>_<trail>_<home region>_<yyyymmddThhmmssZ>.json.gz`
fn digest_key(region: &str, end: Epoch) -> String {
    let c = civil(end);
    format!(
        "AWSLogs/{ACCOUNT}/CloudTrail-Digest/{region}/{:04}/{:02}/{:02}/{ACCOUNT}_CloudTrail-Digest_{region}_{TRAIL_NAME}_{MAIN_REGION}_{:04}{:02}{:02}T{:02}{:02}{:02}Z.json.gz",
        c.year, c.month, c.day, c.year, c.month, c.day, c.hour, c.minute, c.second
    )
}

/// The end of the digest period holding a file delivered at `delivered`.
fn period_end(delivered: Epoch) -> Epoch {
    (delivered - DIGEST_OFFSET).div_euclid(HOUR) * HOUR + HOUR + DIGEST_OFFSET
}

/// The previous digest of a chain: its key, uncompressed content and signature.
struct Previous {
    key: String,
    content: Vec<u8>,
    signature: String,
}

/// Writes the digests (the newest of each chain with its `.signature` sidecar) for `files` and `public-keys.json` under `root`
/// (the case's `cloudtrail/`); returns the number of digests. `gzip` is the trail writer's fixed-header gzip.
pub fn write_digests(
    root: &Path,
    files: &[LogFileFacts],
    gzip: fn(&[u8]) -> Vec<u8>,
) -> std::io::Result<usize> {
    let key = test_key();
    let fingerprint = hex::encode(Md5::digest(public_der(&key)));
    let bucket = bucket();
    let mut periods: BTreeMap<(&str, Epoch), Vec<&LogFileFacts>> = BTreeMap::new();
    for f in files {
        periods
            .entry((f.region, period_end(f.delivered)))
            .or_default()
            .push(f);
    }
    let mut written = 0;
    let mut chains: BTreeMap<&str, Previous> = BTreeMap::new();
    for ((region, end), mut listed) in periods {
        listed.sort_by(|a, b| a.key.cmp(&b.key));
        let object = digest_key(region, end);
        let log_files: Vec<J> = listed
            .iter()
            .map(|f| {
                obj! {
                    "s3Bucket" => bucket.clone(),
                    "s3Object" => f.key.clone(),
                    "hashValue" => f.sha256.clone(),
                    "hashAlgorithm" => "SHA-256",
                    "newestEventTime" => iso_z(f.newest),
                    "oldestEventTime" => iso_z(f.oldest),
                }
            })
            .collect();
        let newest = listed
            .iter()
            .map(|f| f.newest)
            .max()
            .expect("a period has a file");
        let oldest = listed
            .iter()
            .map(|f| f.oldest)
            .min()
            .expect("a period has a file");
        let previous = chains.get(region);
        let opt = |v: Option<String>| v.map_or(J::Null, J::from);
        let digest = obj! {
            "awsAccountId" => ACCOUNT,
            "digestStartTime" => iso_z(end - HOUR),
            "digestEndTime" => iso_z(end),
            "digestS3Bucket" => bucket.clone(),
            "digestS3Object" => object.clone(),
            "digestPublicKeyFingerprint" => fingerprint.clone(),
            "digestSignatureAlgorithm" => "SHA256withRSA",
            "newestEventTime" => iso_z(newest),
            "oldestEventTime" => iso_z(oldest),
            "previousDigestS3Bucket" => opt(previous.map(|_| bucket.clone())),
            "previousDigestS3Object" => opt(previous.map(|p| p.key.clone())),
            "previousDigestHashValue" => opt(previous.map(|p| sha256_hex(&p.content))),
            "previousDigestHashAlgorithm" => opt(previous.map(|_| "SHA-256".to_owned())),
            "previousDigestSignature" => opt(previous.map(|p| p.signature.clone())),
            "logFiles" => J::Arr(log_files),
        };
        let content = digest.compact().into_bytes();
        // The data signing string of the user guide's "D. Recreate the data signing string"; a
        // starting digest signs the literal `null` (as `aws cloudtrail validate-logs` expects).
        let signing = format!(
            "{}\n{bucket}/{object}\n{}\n{}",
            iso_z(end),
            sha256_hex(&content),
            previous.map_or("null", |p| p.signature.as_str())
        );
        let hashed = <Sha256 as sha2::Digest>::digest(signing.as_bytes());
        let signature = hex::encode(
            key.sign(Pkcs1v15Sign::new::<Sha256>(), &hashed)
                .expect("signing with the test key"),
        );
        let path = root.join(&object);
        std::fs::create_dir_all(path.parent().expect("a key has directories"))?;
        std::fs::write(&path, gzip(&content))?;
        written += 1;
        chains.insert(
            region,
            Previous {
                key: object,
                content,
                signature,
            },
        );
    }
    // Only the newest digest of each chain needs its signature from the object metadata (the
    // `.signature` sidecar): every earlier one is vouched for by the `previousDigestSignature` of
    // the digest after it, as `docs/verify.md` ("Building a case by hand") says. Fewer files keep
    // the sample's input list short.
    for last in chains.values() {
        std::fs::write(
            root.join(format!("{}.signature", last.key)),
            &last.signature,
        )?;
    }
    let first = files.iter().map(|f| f.delivered).min().unwrap_or(0);
    let public_keys = obj! {
        "PublicKeyList" => J::Arr(vec![obj! {
            "Value" => base64::engine::general_purpose::STANDARD.encode(public_der(&key)),
            "ValidityStartTime" => cli_validity(first.div_euclid(DAY) * DAY - 30 * DAY),
            "ValidityEndTime" => cli_validity(first.div_euclid(DAY) * DAY + 30 * DAY),
            "Fingerprint" => fingerprint,
        }]),
    };
    std::fs::write(root.join("public-keys.json"), public_keys.pretty())?;
    Ok(written)
}

fn cli_validity(t: Epoch) -> String {
    iso_z(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::at;

    #[test]
    fn a_file_belongs_to_the_digest_delivered_after_it() {
        let d = at(2026, 11, 20, 12, 7, 0);
        assert_eq!(period_end(d), at(2026, 11, 20, 12, 14, 9));
        assert_eq!(
            period_end(at(2026, 11, 20, 12, 14, 9)),
            at(2026, 11, 20, 13, 14, 9)
        );
        assert_eq!(
            digest_key("eu-west-1", at(2026, 11, 20, 13, 14, 9)),
            "AWSLogs/123456789012/CloudTrail-Digest/eu-west-1/2026/11/20/123456789012_CloudTrail-Digest_eu-west-1_management-events_us-east-1_20261120T131409Z.json.gz"
        );
    }

    #[test]
    fn the_test_key_fingerprint_is_the_one_trailcase_names() {
        // Keep in step with trailcase::case::SAMPLE_TEST_KEY_FINGERPRINT.
        assert_eq!(test_key_fingerprint(), FINGERPRINT);
    }

    const FINGERPRINT: &str = "b3540457d82ea4fbbb18e22c505a97ec";
}
