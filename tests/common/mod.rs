//! The signed test case shared by the integration tests: an RSA key from a seeded RNG, two regions of
//! hourly CloudTrail digests listing gzip log files, chained and signed as the AWS CloudTrail User Guide
//! ("Custom implementations of CloudTrail log file integrity validation") describes, and a ListPublicKeys
//! output for the key. Keys are S3 keys as stored under a case's `cloudtrail/` folder.
//!
//! Each test module uses a different part of it, so unused items are expected here.
#![allow(dead_code)]

pub mod acquired;
pub mod bucket;
pub mod moto;

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::Path;
use std::sync::OnceLock;

use base64::Engine as _;
use chrono::{DateTime, Duration, TimeZone, Utc};
use md5::Md5;
use rand_chacha::rand_core::SeedableRng as _;
use rand_chacha::ChaCha8Rng;
use rsa::pkcs1::EncodeRsaPublicKey as _;
use rsa::{Pkcs1v15Sign, RsaPrivateKey};
use serde_json::{json, Value};
use sha2::{Digest as _, Sha256};

pub const ACCOUNT: &str = "111122223333";
pub const BUCKET: &str = "example-org-trail-bucket";
pub const TRAIL: &str = "org-audit";
pub const HOME_REGION: &str = "us-east-1";
pub const REGIONS: [&str; 2] = ["us-east-1", "eu-west-1"];
pub const HOURS: u32 = 5;
/// (region, hour) of the one hour with no activity: its digest lists no log file.
pub const EMPTY_HOUR: (&str, u32) = ("eu-west-1", 2);

pub type Files = BTreeMap<String, Vec<u8>>;

/// One key for the whole file: RSA key generation is the slow part of these tests. (AWS uses a key per
/// region; one shared key changes nothing that is checked here.)
pub fn signing_key() -> &'static RsaPrivateKey {
    static KEY: OnceLock<RsaPrivateKey> = OnceLock::new();
    KEY.get_or_init(|| {
        RsaPrivateKey::new(&mut ChaCha8Rng::seed_from_u64(20_260_001), 2048).unwrap()
    })
}

pub fn other_key() -> &'static RsaPrivateKey {
    static KEY: OnceLock<RsaPrivateKey> = OnceLock::new();
    // Only needs to be a different key; 1024 bits keeps the test quick.
    KEY.get_or_init(|| RsaPrivateKey::new(&mut ChaCha8Rng::seed_from_u64(7), 1024).unwrap())
}

pub fn der(key: &RsaPrivateKey) -> Vec<u8> {
    key.to_public_key()
        .to_pkcs1_der()
        .unwrap()
        .as_bytes()
        .to_vec()
}

pub fn fingerprint(key: &RsaPrivateKey) -> String {
    hex::encode(Md5::digest(der(key)))
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

pub fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(bytes), &mut out).unwrap();
    out
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

pub fn iso(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

pub fn hour_start(hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 22, 1, 31).unwrap() + Duration::hours(i64::from(hour))
}

/// Digest key layout from the user guide's "CloudTrail digest file structure"; hour 3 crosses midnight.
pub fn digest_key(region: &str, hour: u32) -> String {
    let end = hour_start(hour) + Duration::hours(1);
    format!(
        "AWSLogs/{ACCOUNT}/CloudTrail-Digest/{region}/{}/{ACCOUNT}_CloudTrail-Digest_{region}_{TRAIL}_{HOME_REGION}_{}.json.gz",
        end.format("%Y/%m/%d"),
        end.format("%Y%m%dT%H%M%SZ")
    )
}

pub fn log_key(region: &str, delivered: DateTime<Utc>, suffix: &str) -> String {
    format!(
        "AWSLogs/{ACCOUNT}/CloudTrail/{region}/{}/{ACCOUNT}_CloudTrail_{region}_{}_{suffix}.json.gz",
        delivered.format("%Y/%m/%d"),
        delivered.format("%Y%m%dT%H%MZ")
    )
}

pub fn log_body(region: &str, at: DateTime<Utc>, n: u32) -> Vec<u8> {
    let records: Vec<Value> = (0..n)
        .map(|i| {
            json!({
                "eventVersion": "1.09",
                "userIdentity": {"type": "IAMUser", "arn": format!("arn:aws:iam::{ACCOUNT}:user/honey-{i}"), "accountId": ACCOUNT},
                "eventTime": iso(at + Duration::seconds(i64::from(i) * 7)),
                "eventSource": "secretsmanager.amazonaws.com",
                "eventName": "GetSecretValue",
                "awsRegion": region,
                "sourceIPAddress": "203.0.113.7",
                "eventID": format!("{region}-{}-{i}", at.timestamp()),
                "readOnly": true,
                "managementEvent": true
            })
        })
        .collect();
    serde_json::to_vec(&json!({ "Records": records })).unwrap()
}

/// The data signing string, written out from the user guide's "D. Recreate the data signing string";
/// a starting digest's null previous signature is signed as `null` (as `aws cloudtrail validate-logs` does).
pub fn aws_signing_string(digest: &Value, content: &[u8]) -> String {
    let previous = digest["previousDigestSignature"].as_str().unwrap_or("null");
    format!(
        "{}\n{}/{}\n{}\n{}",
        digest["digestEndTime"].as_str().unwrap(),
        digest["digestS3Bucket"].as_str().unwrap(),
        digest["digestS3Object"].as_str().unwrap(),
        sha256_hex(content),
        previous
    )
}

pub fn sign(key: &RsaPrivateKey, digest: &Value, content: &[u8]) -> String {
    let hashed = Sha256::digest(aws_signing_string(digest, content).as_bytes());
    hex::encode(key.sign(Pkcs1v15Sign::new::<Sha256>(), &hashed).unwrap())
}

/// Store a digest body as S3 holds it (gzip) with its `x-amz-meta-signature` sidecar; returns the
/// uncompressed content and the signature.
pub fn store_digest(files: &mut Files, key: &str, digest: &Value) -> (Vec<u8>, String) {
    let content = serde_json::to_vec(digest).unwrap();
    let signature = sign(signing_key(), digest, &content);
    files.insert(key.to_owned(), gzip(&content));
    files.insert(format!("{key}.signature"), signature.clone().into_bytes());
    (content, signature)
}

pub fn public_keys_json(key: &RsaPrivateKey, stated_fingerprint: &str) -> Vec<u8> {
    serde_json::to_vec_pretty(&json!({"PublicKeyList": [{
        "ValidityStartTime": 1_772_000_000.0,
        "ValidityEndTime": 1_774_592_000.0,
        "Value": base64::engine::general_purpose::STANDARD.encode(der(key)),
        "Fingerprint": stated_fingerprint
    }]}))
    .unwrap()
}

/// The untouched case: per region, HOURS chained digests, the first a starting digest.
pub fn clean_case() -> Files {
    let mut files = Files::new();
    files.insert(
        "public-keys.json".into(),
        public_keys_json(signing_key(), &fingerprint(signing_key())),
    );
    for region in REGIONS {
        let mut previous: Option<(String, Vec<u8>, String)> = None;
        for hour in 0..HOURS {
            let start = hour_start(hour);
            let count = if (region, hour) == EMPTY_HOUR {
                0
            } else {
                2 + hour % 2
            };
            let mut log_files = Vec::new();
            for i in 0..count {
                let delivered = start + Duration::minutes(5 + 15 * i64::from(i));
                let key = log_key(region, delivered, &format!("r{hour}x{i}AbCdEf"));
                let body = log_body(region, delivered - Duration::minutes(5), 1 + i);
                log_files.push(json!({
                    "s3Bucket": BUCKET,
                    "s3Object": key,
                    "hashValue": sha256_hex(&body),
                    "hashAlgorithm": "SHA-256",
                    "newestEventTime": iso(delivered - Duration::minutes(4)),
                    "oldestEventTime": iso(delivered - Duration::minutes(5))
                }));
                files.insert(key, gzip(&body));
            }
            let (newest, oldest) = match log_files.as_slice() {
                [] => (Value::Null, Value::Null),
                [first, .., last] => (
                    last["newestEventTime"].clone(),
                    first["oldestEventTime"].clone(),
                ),
                [only] => (
                    only["newestEventTime"].clone(),
                    only["oldestEventTime"].clone(),
                ),
            };
            let key = digest_key(region, hour);
            let digest = json!({
                "awsAccountId": ACCOUNT,
                "digestStartTime": iso(start),
                "digestEndTime": iso(start + Duration::hours(1)),
                "digestS3Bucket": BUCKET,
                "digestS3Object": key,
                "digestPublicKeyFingerprint": fingerprint(signing_key()),
                "digestSignatureAlgorithm": "SHA256withRSA",
                "newestEventTime": newest,
                "oldestEventTime": oldest,
                "previousDigestS3Bucket": previous.as_ref().map(|_| BUCKET),
                "previousDigestS3Object": previous.as_ref().map(|p| p.0.clone()),
                "previousDigestHashValue": previous.as_ref().map(|p| sha256_hex(&p.1)),
                "previousDigestHashAlgorithm": previous.as_ref().map(|_| "SHA-256"),
                "previousDigestSignature": previous.as_ref().map(|p| p.2.clone()),
                "logFiles": log_files
            });
            let (content, signature) = store_digest(&mut files, &key, &digest);
            previous = Some((key, content, signature));
        }
    }
    files
}

pub fn digest_json(files: &Files, key: &str) -> Value {
    serde_json::from_slice(&gunzip(&files[key])).unwrap()
}

pub fn listed_logs(files: &Files, digest: &str) -> Vec<String> {
    digest_json(files, digest)["logFiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["s3Object"].as_str().unwrap().to_owned())
        .collect()
}

/// Write `files` into `case/cloudtrail/` as S3 stores them; returns nothing, panics on I/O errors.
pub fn write_cloudtrail(case: &Path, files: &Files) {
    for (key, bytes) in files {
        let path = case.join("cloudtrail").join(key);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}

/// Run `c` and return its exit code and its peak resident size in bytes: the kernel's `VmHWM`
/// (a high-water mark, so a later reading is never lower) read from `/proc` until it exits.
#[cfg(target_os = "linux")]
pub fn run_measured(mut c: std::process::Command) -> (Option<i32>, u64) {
    let mut child = c
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let status = format!("/proc/{}/status", child.id());
    let mut peak = 0u64;
    loop {
        if let Ok(text) = std::fs::read_to_string(&status) {
            let hwm = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok());
            peak = peak.max(hwm.unwrap_or(0) * 1024);
        }
        if let Some(exit) = child.try_wait().unwrap() {
            return (exit.code(), peak);
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}
