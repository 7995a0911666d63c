//! IAM policy documents as IAM returns them: URL-encoded JSON (RFC 3986: a space is `%20` and
//! `+` is itself), or plain JSON as some emulators return it. The kill-switch reads its own
//! inline policies back this way; `trailcase posture` reads the kill-switch role's policies.

use serde_json::Value;

/// The document as JSON, `None` when it is neither JSON nor URL-encoded JSON.
pub fn decode(text: &str) -> Option<Value> {
    if let Ok(v) = serde_json::from_str(text) {
        return Some(v);
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    serde_json::from_slice(&out).ok()
}

/// A document's statements: its `Statement` array, or the one statement object IAM also allows.
pub fn statements(doc: &Value) -> Vec<&Value> {
    match doc.get("Statement") {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(s) => vec![s],
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn url_encoded_documents_are_read() {
        let encoded = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D";
        assert_eq!(
            decode(encoded),
            Some(json!({"Version": "2012-10-17", "Statement": []}))
        );
        let plain = json!({"Statement": [{"Effect": "Deny", "Action": "*"}]});
        assert_eq!(decode(&plain.to_string()), Some(plain));
        assert_eq!(decode("%7"), None);
        assert_eq!(decode("%7B%22Sid%22%3A%22%zz%22%7D"), None);
        // RFC 3986, as IAM encodes: `+` is a plus sign, not a space.
        assert_eq!(
            decode("%7B%22Sid%22%3A%22a+b%20c%22%7D"),
            Some(json!({"Sid": "a+b c"}))
        );
    }

    #[test]
    fn one_statement_or_many() {
        let one = json!({"Statement": {"Effect": "Allow"}});
        assert_eq!(statements(&one), vec![&json!({"Effect": "Allow"})]);
        let many = json!({"Statement": [{"Sid": "a"}, {"Sid": "b"}]});
        assert_eq!(statements(&many).len(), 2);
        assert!(statements(&json!({})).is_empty());
    }
}
