//! A value of the evidence that is not what was expected, as a gap names it: described, quoted
//! only where its shape rules out a secret. A gap's reason reaches the terminal, every export and
//! the report, and what an attacker wrote (an object's keys, a field's value) may be a credential
//! planted to be printed.
//!
//! Pure: depends on nothing else of the crate.

use serde_json::{Map, Value};

/// How many keys of an object a description names at most.
const KEYS_NAMED: usize = 6;

/// An object that is not what was expected: how many keys it has, and those written as names
/// ([`is_name_like`]), the first [`KEYS_NAMED`]: `an object with keys Items`, `an object with 2
/// keys, among them other; 1 not shown (a key is shown only when it reads as a name, ...)`.
pub fn object_keys(obj: &Map<String, Value>) -> String {
    let n = obj.len();
    if n == 0 {
        return "an empty JSON object".into();
    }
    let named: Vec<&str> = obj
        .keys()
        .map(String::as_str)
        .filter(|k| is_name_like(k))
        .collect();
    let hidden = n - named.len();
    let shown = &named[..named.len().min(KEYS_NAMED)];
    if hidden == 0 && shown.len() == n {
        return format!("an object with keys {}", shown.join(", "));
    }
    let mut out = format!("an object with {n} key{}", if n == 1 { "" } else { "s" });
    if !shown.is_empty() {
        out.push_str(&format!(", among them {}", shown.join(", ")));
    }
    if hidden > 0 {
        out.push_str(&format!(
            "; {hidden} not shown (a key is shown only when it reads as a name, in letters: a planted secret is never printed)"
        ));
    }
    out
}

/// A value that is not what was expected, by its kind: `2` (a small integer), `a
/// string of 12 characters`, `an object with keys ...` ([`object_keys`]), `an array of 3
/// values`, `true`, `null`.
pub fn value_kind(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match n.as_i64() {
            Some(i) if i.abs() < 10_000 => i.to_string(),
            _ => "a number".into(),
        },
        Value::String(s) => match s.chars().count() {
            0 => "an empty string".into(),
            1 => "a string of 1 character".into(),
            c => format!("a string of {c} characters"),
        },
        Value::Array(a) => match a.len() {
            1 => "an array of 1 value".into(),
            n => format!("an array of {n} values"),
        },
        Value::Object(o) => object_keys(o),
    }
}

/// A label of the evidence (an EventBridge `detail-type`), quoted when written as words
/// (`"AWS API Call via CloudTrail"`, `"EC2 Instance State-change Notification"`: each word
/// [`is_name_like`] or up to 4 letters and digits, at most 80 characters), else by its kind
/// ([`value_kind`]).
pub fn label(v: &Value) -> String {
    match v.as_str() {
        Some(s)
            if !s.is_empty()
                && s.len() <= 80
                && s.split(' ').all(|w| {
                    is_name_like(w)
                        || (1..=4).contains(&w.len())
                            && w.bytes().all(|c| c.is_ascii_alphanumeric())
                }) =>
        {
            v.to_string()
        }
        _ => value_kind(v),
    }
}

/// An EventBridge event with no CloudTrail record in its `detail`, by its `detail-type`: quoted
/// when [`label`] quotes it (`an EventBridge event of type "Scheduled Event" without a
/// CloudTrail record`), else only its length, never "of type a string of 37 characters" (which
/// read as if that were the type). Not quoted redacted: the redaction finds the credentials of
/// known shapes, not a password or token of no known shape, so only a label written as words is
/// safe to print.
pub fn event_without_record(detail_type: &Value) -> String {
    match detail_type {
        Value::Null => "an EventBridge event without a CloudTrail record or a detail-type".into(),
        Value::String(s) if !label(detail_type).starts_with('"') => format!(
            "an EventBridge event without a CloudTrail record, its detail-type not quoted ({} \
             characters: only a detail-type written as words is quoted)",
            s.chars().count()
        ),
        Value::String(_) => format!(
            "an EventBridge event of type {} without a CloudTrail record",
            label(detail_type)
        ),
        other => format!(
            "an EventBridge event without a CloudTrail record, its detail-type not a string but {}",
            value_kind(other)
        ),
    }
}

/// Whether a key is written as a name (`Records`, `eventVersion`, `detail-type`, `AWS_REGION`),
/// so that quoting it cannot quote a secret: 1 to 40 ASCII letters in words of 2 to 16 letters
/// (split at `_`, `-`, `.` and where the case changes), a word of 5 letters or more with a
/// vowel; no digit, no other character. A random string (`wJalrXUtnFEMI`, `AKIA…`, a token)
/// fails: digits, one-letter words, a run of consonants.
pub fn is_name_like(key: &str) -> bool {
    if key.is_empty() || key.len() > 40 {
        return false;
    }
    let b = key.as_bytes();
    if !b
        .iter()
        .all(|c| c.is_ascii_alphabetic() || b"_-.".contains(c))
        || !b[0].is_ascii_alphabetic()
    {
        return false;
    }
    let mut words: Vec<&str> = Vec::new();
    for part in key.split(['_', '-', '.']) {
        if part.is_empty() {
            return false;
        }
        let p = part.as_bytes();
        let mut start = 0;
        for i in 1..p.len() {
            let next_lower = p.get(i + 1).is_some_and(u8::is_ascii_lowercase);
            let starts = p[i].is_ascii_uppercase()
                && (p[i - 1].is_ascii_lowercase() || (p[i - 1].is_ascii_uppercase() && next_lower));
            if starts {
                words.push(&part[start..i]);
                start = i;
            }
        }
        words.push(&part[start..]);
    }
    words.iter().all(|w| {
        (2..=16).contains(&w.len())
            && (w.len() < 5 || w.bytes().any(|c| b"aeiouyAEIOUY".contains(&c)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_quoted_random_strings_are_not() {
        for name in [
            "Records",
            "eventVersion",
            "detail-type",
            "AWS_REGION",
            "ResponseMetadata",
            "logEvents",
            "NextToken",
            "XMLHttpRequest",
        ] {
            assert!(is_name_like(name), "{name}");
        }
        for secret in [
            "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY",
            "wJalrXUtnFEMIKMDENGbPxRfiCYEXAMPLEKEY",
            "AKIAIOSFODNN7EXAMPLE",
            "LEAK-KEY-AKIAXXXXXXXX/wJalrXUtnFEMI",
            "QWRTPLKJHGFD",
            "hunter2",
            "ghp_abc123",
            "x",
            "",
            "a b",
        ] {
            assert!(!is_name_like(secret), "{secret}");
        }
    }

    #[test]
    fn an_object_is_described_by_its_count_and_its_name_like_keys() {
        let obj = |json: &str| {
            object_keys(
                serde_json::from_str::<Value>(json)
                    .unwrap()
                    .as_object()
                    .unwrap(),
            )
        };
        assert_eq!(obj("{}"), "an empty JSON object");
        assert_eq!(obj(r#"{"Items": 1}"#), "an object with keys Items");
        assert_eq!(
            obj(r#"{"AKIAIOSFODNN7EXAMPLE": 1, "other": 2}"#),
            "an object with 2 keys, among them other; 1 not shown (a key is shown only when it reads as a name, in letters: a planted secret is never printed)"
        );
        assert_eq!(
            obj(r#"{"s3cr3t": 1}"#),
            "an object with 1 key; 1 not shown (a key is shown only when it reads as a name, in letters: a planted secret is never printed)"
        );
        assert_eq!(
            obj(r#"{"a1":1,"b2":1,"Ca":1,"Da":1,"Ea":1,"Fa":1,"Ga":1,"Ha":1}"#),
            "an object with 8 keys, among them Ca, Da, Ea, Fa, Ga, Ha; 2 not shown (a key is shown only when it reads as a name, in letters: a planted secret is never printed)"
        );
        assert_eq!(
            value_kind(&serde_json::json!("sk-planted")),
            "a string of 10 characters"
        );
        assert_eq!(value_kind(&serde_json::json!(2)), "2");
        assert_eq!(
            label(&serde_json::json!("EC2 Instance State-change Notification")),
            "\"EC2 Instance State-change Notification\""
        );
        assert_eq!(
            label(&serde_json::json!("wJalrXUtnFEMIK7MDENGbPxRfiCY")),
            "a string of 28 characters"
        );
        assert_eq!(
            label(&serde_json::json!({"AKIAIOSFODNN7EXAMPLE": "x"})),
            "an object with 1 key; 1 not shown (a key is shown only when it reads as a name, in letters: a planted secret is never printed)"
        );
        assert_eq!(value_kind(&serde_json::json!(123456789)), "a number");
    }

    #[test]
    fn an_event_without_a_record_quotes_only_a_detail_type_of_words() {
        use serde_json::json;
        assert_eq!(
            event_without_record(&json!("Scheduled Event")),
            "an EventBridge event of type \"Scheduled Event\" without a CloudTrail record"
        );
        assert_eq!(
            event_without_record(&json!("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")),
            "an EventBridge event without a CloudTrail record, its detail-type not quoted (40 characters: only a detail-type written as words is quoted)"
        );
        assert_eq!(
            event_without_record(&Value::Null),
            "an EventBridge event without a CloudTrail record or a detail-type"
        );
        assert_eq!(
            event_without_record(&json!(7)),
            "an EventBridge event without a CloudTrail record, its detail-type not a string but 7"
        );
    }
}
