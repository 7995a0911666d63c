//! Never print secret values or credentials: a record's secret-bearing values are replaced with
//! `"[REDACTED]"` before the record leaves the tool (the JSON formats' `record`, the report's
//! `--timeline-json`). The analysis reads the evidence as it is; only what is written is redacted.
//!
//! The rules (documented in the README, "Secrets"):
//! 1. **By key name.** A key is compared lowercased with `_`, `-` and `.` removed. It is
//!    secret-bearing when it contains one of [`SECRET_WORDS`] (`secret`, `password`, `token`,
//!    `privatekey`, `keymaterial`, …), unless it names an identifier or a property rather than
//!    a value: one of [`NOT_SECRET_KEYS`] (`nextToken`, `clientToken`, …) or a key ending in one
//!    of [`NOT_SECRET_SUFFIXES`] (`secretId`, `secretArn`, `secretName`, `tokenIssueTime`,
//!    `passwordLastUsed`, …). The strings and numbers under a secret-bearing key are replaced
//!    (also inside its arrays); objects under it are searched by the same rules; booleans and
//!    `null` are kept (`passwordResetRequired: true` reveals nothing).
//! 2. **Name/value pairs.** An object with a `name` (or `key`) and a `value` whose name is
//!    secret-bearing by rule 1 has its value replaced (ECS, Batch and CodeBuild environment
//!    lists: `{"name": "DB_PASSWORD", "value": "…"}`).
//! 3. **Per API.** Fields whose key says nothing but whose value is the secret: see [`PER_API`]
//!    (SSM `PutParameter`'s `value`).
//! 4. **By value.** A string that is an STS session token (it starts as every one does) is
//!    replaced wherever it is.
//! 5. **Inside JSON-encoded strings.** A string holding a JSON object or array (a Lambda
//!    environment, a Step Functions input, a CloudFormation template) is parsed and redacted by
//!    the same rules; when anything in it was replaced, the string is written again from the
//!    redacted value, otherwise it is kept exactly as it was.
//!
//! Pure: no I/O; depends on nothing else of the crate.

use serde_json::{Map, Value};

/// The replacement of every secret value.
pub const REDACTED: &str = "[REDACTED]";

/// A normalised key containing one of these holds a secret (rule 1).
const SECRET_WORDS: &[&str] = &[
    "secret",
    "password",
    "passwd",
    "passphrase",
    "token",
    "privatekey",
    "keymaterial",
    "apikey",
    "authorization",
];

/// Normalised keys that contain a secret word but hold a non-secret identifier (rule 1).
const NOT_SECRET_KEYS: &[&str] = &[
    "nexttoken",
    "clienttoken",
    "clientrequesttoken",
    "idempotencytoken",
    "continuationtoken",
    "paginationtoken",
    "starttoken",
];

/// Normalised key endings that name an identifier or a property of a secret, not its value
/// (rule 1): `secretId`, `secretArn`, `secretName`, `secretVersionId`, `tokenIssueTime`,
/// `passwordLastUsed`, `passwordPolicy`, `secretType`, `rotationEnabled`, …
const NOT_SECRET_SUFFIXES: &[&str] = &[
    "id",
    "ids",
    "idlist",
    "arn",
    "arns",
    "name",
    "names",
    "type",
    "types",
    "lastused",
    "lastuseddate",
    "required",
    "policy",
    "expiration",
    "expiry",
    "expires",
    "time",
    "date",
    "age",
    "length",
    "count",
    "enabled",
    "status",
    "version",
    "versions",
    "stage",
    "stages",
    "rules",
    "filters",
    "location",
    "origin",
];

/// Rule 3: `(eventSource, eventName, path under the record)` whose value is a secret although
/// its key does not say so.
const PER_API: &[(&str, &str, &[&str])] = &[
    (
        "ssm.amazonaws.com",
        "PutParameter",
        &["requestParameters", "value"],
    ),
    (
        "ssm.amazonaws.com",
        "LabelParameterVersion",
        &["requestParameters", "value"],
    ),
];

/// Rule 4: every STS session token starts with one of these (the base64 of its fixed header).
const SESSION_TOKEN_PREFIXES: &[&str] = &["IQoJb3JpZ2lu", "FwoGZXIvYXdz", "FQoGZXIvYXdz"];

/// Replace every secret-bearing value of a record (rules 1 to 5).
pub fn redact(record: &mut Value) {
    per_api(record);
    walk(record);
}

fn per_api(record: &mut Value) {
    let Value::Object(map) = record else { return };
    let field = |k: &str| map.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
    let (source, name) = (field("eventSource"), field("eventName"));
    for (s, n, path) in PER_API {
        if *s == source && *n == name {
            let mut at: Option<&mut Value> = Some(&mut *record);
            for key in *path {
                at = at.and_then(|v| v.get_mut(*key));
            }
            if let Some(v) = at {
                replace_scalars(v);
            }
            return;
        }
    }
}

/// Whether a key names a secret value (rule 1).
pub fn is_secret_key(key: &str) -> bool {
    let k: String = key
        .chars()
        .filter(|c| !matches!(c, '_' | '-' | '.'))
        .flat_map(char::to_lowercase)
        .collect();
    SECRET_WORDS.iter().any(|w| k.contains(w))
        && !NOT_SECRET_KEYS.contains(&k.as_str())
        && !NOT_SECRET_SUFFIXES.iter().any(|s| k.ends_with(s))
}

fn walk(v: &mut Value) -> bool {
    match v {
        Value::Object(map) => object(map),
        Value::Array(items) => items.iter_mut().fold(false, |changed, i| walk(i) | changed),
        Value::String(s) => string(s),
        _ => false,
    }
}

fn object(map: &mut Map<String, Value>) -> bool {
    let mut changed = pair(map);
    for (k, val) in map.iter_mut() {
        changed |= if is_secret_key(k) {
            replace_scalars(val)
        } else {
            walk(val)
        };
    }
    changed
}

/// Rule 2: `{"name": "DB_PASSWORD", "value": "…"}`.
fn pair(map: &mut Map<String, Value>) -> bool {
    let name = ["name", "Name", "key", "Key"]
        .iter()
        .find_map(|k| map.get(*k).and_then(Value::as_str));
    if !name.is_some_and(is_secret_key) {
        return false;
    }
    let mut changed = false;
    for k in ["value", "Value"] {
        if let Some(v) = map.get_mut(k) {
            changed |= replace_scalars(v);
        }
    }
    changed
}

/// The value under a secret-bearing key: strings and numbers replaced, in arrays too; objects
/// searched by the ordinary rules.
fn replace_scalars(v: &mut Value) -> bool {
    match v {
        Value::String(s) if s == REDACTED => false,
        Value::String(_) | Value::Number(_) => {
            *v = Value::String(REDACTED.into());
            true
        }
        Value::Array(items) => items
            .iter_mut()
            .fold(false, |changed, i| replace_scalars(i) | changed),
        Value::Object(map) => object(map),
        Value::Bool(_) | Value::Null => false,
    }
}

/// Rules 4 and 5 for one string.
fn string(s: &mut String) -> bool {
    if SESSION_TOKEN_PREFIXES.iter().any(|p| s.starts_with(p)) {
        *s = REDACTED.into();
        return true;
    }
    let t = s.trim_start();
    if !(t.starts_with('{') || t.starts_with('[')) {
        return false;
    }
    let Ok(mut inner) = serde_json::from_str::<Value>(s) else {
        return false;
    };
    if !walk(&mut inner) {
        return false;
    }
    *s = inner.to_string();
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redacted(json: &str) -> String {
        let mut v: Value = serde_json::from_str(json).unwrap();
        redact(&mut v);
        v.to_string()
    }

    #[test]
    fn tokens_are_replaced_everywhere() {
        let s = redacted(
            r#"{"responseElements":{"credentials":{"accessKeyId":"ASIA1","sessionToken":"IQoJb3JpZ2lu","SecretAccessKey":"x"}},"list":[{"password":"p"}]}"#,
        );
        assert!(!s.contains("IQoJb3JpZ2lu") && !s.contains("\"x\"") && !s.contains("\"p\""));
        assert!(s.contains("ASIA1"));
    }

    #[test]
    fn identifiers_named_like_secrets_are_kept() {
        for key in [
            "secretId",
            "SecretArn",
            "secretName",
            "secretIdList",
            "secretVersionId",
            "nextToken",
            "clientRequestToken",
            "tokenIssueTime",
            "passwordLastUsed",
            "accessKeyId",
            "roleSessionName",
        ] {
            assert!(!is_secret_key(key), "{key}");
        }
        for key in [
            "clientSecret",
            "masterUserPassword",
            "keyMaterial",
            "accessToken",
            "refreshToken",
            "idToken",
            "AWS_SESSION_TOKEN",
            "DB_PASSWORD",
            "secretAccessKey",
            "SecretString",
            "tokenCode",
            "privateKeyPem",
        ] {
            assert!(is_secret_key(key), "{key}");
        }
    }

    #[test]
    fn booleans_and_unchanged_json_strings_are_kept_exactly() {
        let policy =
            r#"{"policyDocument":"{\"Version\": \"2012-10-17\"}","passwordResetRequired":true}"#;
        assert_eq!(
            redacted(policy),
            serde_json::from_str::<Value>(policy).unwrap().to_string()
        );
    }
}
