//! Parse `aws cloudtrail list-public-keys` output (ListPublicKeys) into RSA public keys by fingerprint.
//!
//! Pure: bytes in, keys out. One bad key entry is recorded against its fingerprint and does not spoil the
//! others; only a file that is not ListPublicKeys output at all is an error.

use std::collections::BTreeMap;

use base64::Engine as _;
use chrono::{DateTime, Utc};
use md5::{Digest as _, Md5};
use rsa::pkcs1::DecodeRsaPublicKey as _;
use rsa::pkcs8::DecodePublicKey as _;
use rsa::RsaPublicKey;
use serde::Deserialize;

use super::time::parse_validity_time;

/// The fingerprint of the TEST key that signs the bundled sample's digests
/// (`samplegen/test-key/SAMPLE-TEST-KEY-not-secret.pem`, a public test key, not AWS's and not a secret).
/// A digest verified with it proves the sample consistent, not that AWS CloudTrail delivered it, so
/// every verdict that relies on it says so. samplegen's tests check that its key has this fingerprint.
pub const SAMPLE_TEST_KEY_FINGERPRINT: &str = "b3540457d82ea4fbbb18e22c505a97ec";

/// How a verdict names the sample's test key wherever it vouches for a digest.
pub const SAMPLE_TEST_KEY_NOTE: &str = "signed with the bundled sample's own TEST key (fingerprint b3540457d82ea4fbbb18e22c505a97ec), not an AWS CloudTrail key: this proves the sample consistent, not that AWS delivered it";

#[derive(Debug, thiserror::Error)]
pub enum PublicKeyError {
    #[error("not ListPublicKeys output: {0}")]
    Json(#[source] serde_json::Error),
    #[error("not ListPublicKeys output: no PublicKeyList array")]
    NoKeyList,
}

/// One usable public key from ListPublicKeys.
#[derive(Debug, Clone)]
pub struct PublicKey {
    /// As ListPublicKeys states it, lower-cased; digests name their key by this value.
    pub fingerprint: String,
    /// Hex MD5 of the DER bytes we decoded; see [`PublicKey::fingerprint_matches`].
    pub der_md5: String,
    pub validity_start: Option<DateTime<Utc>>,
    pub validity_end: Option<DateTime<Utc>>,
    pub key: RsaPublicKey,
}

impl PublicKey {
    /// Whether the stated fingerprint is the MD5 of the key bytes.
    ///
    /// The AWS documentation does not say how the fingerprint is derived: the ListPublicKeys API reference
    /// and the user guide ("Custom implementations of CloudTrail log file integrity validation") describe it
    /// only as "the fingerprint of the public key", used to pick the key whose fingerprint equals the
    /// digest's `digestPublicKeyFingerprint`, and `aws cloudtrail validate-logs` only looks keys up by that
    /// stated value. That it is the hex MD5 of the base64-decoded `Value` (the DER bytes exactly as returned)
    /// is our observation, not a documented rule: it holds for all four published keys (three in the user
    /// guide, one in the aws-cli `list-public-keys` example), including the one the user guide shows in
    /// SubjectPublicKeyInfo rather than PKCS#1 form. Keys are matched by the stated fingerprint, as AWS
    /// does; a key whose stated fingerprint is not its MD5 is never usable (see [`PublicKeySet::add`]):
    /// otherwise anyone who can write the case could publish their own key under CloudTrail's fingerprint.
    pub fn fingerprint_matches(&self) -> bool {
        self.fingerprint == self.der_md5
    }
}

/// An entry that could not be used, kept so digests that name it get a precise finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedKey {
    pub fingerprint: String,
    pub reason: String,
    /// Rejected because its stated fingerprint is not the MD5 of its value (not for being unreadable).
    pub fingerprint_mismatch: bool,
}

/// All keys of one or more ListPublicKeys outputs, by fingerprint.
#[derive(Debug, Clone, Default)]
pub struct PublicKeySet {
    pub keys: BTreeMap<String, PublicKey>,
    pub rejected: Vec<RejectedKey>,
}

#[derive(Deserialize)]
struct ListPublicKeysOutput {
    // The CLI prints `PublicKeyList`; the user guide's sample response spells it `publicKeyList`.
    #[serde(alias = "publicKeyList", rename = "PublicKeyList")]
    public_key_list: Option<Vec<RawKey>>,
}

#[derive(Deserialize)]
struct RawKey {
    #[serde(rename = "Value")]
    value: Option<String>,
    #[serde(rename = "Fingerprint")]
    fingerprint: Option<String>,
    #[serde(rename = "ValidityStartTime", default)]
    validity_start: serde_json::Value,
    #[serde(rename = "ValidityEndTime", default)]
    validity_end: serde_json::Value,
}

impl PublicKeySet {
    /// Parse one ListPublicKeys output.
    pub fn parse(bytes: &[u8]) -> Result<Self, PublicKeyError> {
        let mut set = Self::default();
        set.add(bytes)?;
        Ok(set)
    }

    /// Add the keys of another ListPublicKeys output (each region is a separate call).
    pub fn add(&mut self, bytes: &[u8]) -> Result<(), PublicKeyError> {
        let output: ListPublicKeysOutput =
            serde_json::from_slice(bytes).map_err(PublicKeyError::Json)?;
        for raw in output.public_key_list.ok_or(PublicKeyError::NoKeyList)? {
            let fingerprint = raw
                .fingerprint
                .as_deref()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            match decode_key(raw.value.as_deref()) {
                Ok((der, _)) if hex::encode(Md5::digest(&der)) != fingerprint => {
                    self.rejected.push(RejectedKey {
                        reason: format!(
                            "its stated fingerprint is not the MD5 of its value ({}): the key is not used",
                            hex::encode(Md5::digest(&der))
                        ),
                        fingerprint,
                        fingerprint_mismatch: true,
                    })
                }
                Ok((der, key)) => {
                    let entry = PublicKey {
                        der_md5: hex::encode(Md5::digest(&der)),
                        validity_start: parse_validity_time(&raw.validity_start),
                        validity_end: parse_validity_time(&raw.validity_end),
                        fingerprint: fingerprint.clone(),
                        key,
                    };
                    self.keys.insert(fingerprint, entry);
                }
                Err(reason) => self.rejected.push(RejectedKey {
                    fingerprint,
                    reason,
                    fingerprint_mismatch: false,
                }),
            }
        }
        Ok(())
    }

    pub fn get(&self, fingerprint: &str) -> Option<&PublicKey> {
        self.keys.get(&fingerprint.trim().to_ascii_lowercase())
    }

    pub fn rejected(&self, fingerprint: &str) -> Option<&RejectedKey> {
        let fingerprint = fingerprint.trim().to_ascii_lowercase();
        self.rejected.iter().find(|r| r.fingerprint == fingerprint)
    }
}

/// `Value` is base64 of a DER RSAPublicKey (PKCS#1), as the API reference states ("The DER encoded public
/// key value in PKCS #1 format"); the user guide's third sample key is a SubjectPublicKeyInfo instead, so
/// that form is accepted too.
fn decode_key(value: Option<&str>) -> Result<(Vec<u8>, RsaPublicKey), String> {
    let value = value.ok_or("no Value")?;
    let der = base64::engine::general_purpose::STANDARD
        .decode(value.trim())
        .map_err(|e| format!("Value is not base64: {e}"))?;
    let key = RsaPublicKey::from_pkcs1_der(&der)
        .or_else(|_| RsaPublicKey::from_public_key_der(&der))
        .map_err(|e| format!("Value is not a DER RSA public key (PKCS#1 or SPKI): {e}"))?;
    Ok((der, key))
}

#[cfg(test)]
mod tests {
    use super::*;

    // From the aws-cli `list-public-keys` example (Apache-2.0), see tests/data/shared/cloudtrail-digest.
    const CLI_EXAMPLE: &str = r#"{"PublicKeyList": [{
        "ValidityStartTime": 1453076702.0, "ValidityEndTime": 1455668702.0,
        "Value": "MIIBCgKCAQEAlSS3cl92HDycr/MTj0moOhas8habjrraXw+KzlWF0axSI2tcF+3iJ9BKQAVSKxGwxwu3m0wG3J+kUl1xboEcEPHYoIYMbgfSw7KGnuDKwkLzsQWhUJ0cIbOHASox1vv/5fNXkrHhGbDCHeVXm804c83nvHUEFYThr1PfyP/8HwrCtR3FX5OANtQCP61C1nJtSSkC8JSQUOrIP4CuwJjc+4WGDk+BGH5m9iuiAKkipEHWmUl8/P7XpfpWQuk4h8g3pXZOrNXr08lbh4d39svj7UqdhvOXoBISp9t/EXYuePGEtBdrKD9Dz+VHwyUPtBQvYr9BnkF88qBnaPNhS44rzwIDAQAB",
        "Fingerprint": "7f3f401420072e50a65a141430817ab3"}]}"#;

    #[test]
    fn parses_the_cli_example_and_its_fingerprint_is_the_md5_of_the_der() {
        let set = PublicKeySet::parse(CLI_EXAMPLE.as_bytes()).unwrap();
        let key = set.get("7F3F401420072E50A65A141430817AB3").unwrap();
        assert!(key.fingerprint_matches());
        assert_eq!(key.validity_start.unwrap().timestamp(), 1453076702);
        assert!(set.rejected.is_empty());
    }

    #[test]
    fn a_bad_entry_is_rejected_alone() {
        let json = r#"{"publicKeyList": [{"Value": "bm90IGEga2V5", "Fingerprint": "aa"},
                                          {"Value": "%%%", "Fingerprint": "bb"}, {"Fingerprint": "cc"}]}"#;
        let set = PublicKeySet::parse(json.as_bytes()).unwrap();
        assert!(set.keys.is_empty());
        assert_eq!(set.rejected.len(), 3);
        assert!(set.rejected("AA").is_some());
    }

    #[test]
    fn a_key_under_a_fingerprint_that_is_not_its_md5_is_unusable() {
        let forged = CLI_EXAMPLE.replace(
            "7f3f401420072e50a65a141430817ab3",
            "00000000000000000000000000000000",
        );
        let set = PublicKeySet::parse(forged.as_bytes()).unwrap();
        assert!(set.get("00000000000000000000000000000000").is_none());
        let r = set.rejected("00000000000000000000000000000000").unwrap();
        assert!(r.fingerprint_mismatch);
        assert!(r.reason.contains("7f3f401420072e50a65a141430817ab3"));
    }

    #[test]
    fn a_file_that_is_not_list_public_keys_is_an_error() {
        assert!(matches!(
            PublicKeySet::parse(b"nope"),
            Err(PublicKeyError::Json(_))
        ));
        assert!(matches!(
            PublicKeySet::parse(b"{}"),
            Err(PublicKeyError::NoKeyList)
        ));
    }
}
