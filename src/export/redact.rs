//! Never print secret values or credentials: session tokens, secret keys, secret strings and
//! passwords are replaced before a record leaves the tool.

use serde_json::Value;

const SECRET_KEYS: &[&str] = &[
    "sessiontoken",
    "secretaccesskey",
    "secretstring",
    "secretbinary",
    "password",
    "privatekey",
    "newpassword",
    "oldpassword",
];

/// Replace every secret-bearing value (by key, case-insensitive) with `"[REDACTED]"`.
pub fn redact(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, val) in map.iter_mut() {
                if SECRET_KEYS.contains(&k.to_ascii_lowercase().as_str()) && !val.is_null() {
                    *val = Value::String("[REDACTED]".into());
                } else {
                    redact(val);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_replaced_everywhere() {
        let mut v: Value = serde_json::from_str(
            r#"{"responseElements":{"credentials":{"accessKeyId":"ASIA1","sessionToken":"IQoJb3JpZ2lu","SecretAccessKey":"x"}},"list":[{"password":"p"}]}"#,
        )
        .unwrap();
        redact(&mut v);
        let s = v.to_string();
        assert!(!s.contains("IQoJb3JpZ2lu") && !s.contains("\"x\"") && !s.contains("\"p\""));
        assert!(s.contains("ASIA1"));
    }
}
