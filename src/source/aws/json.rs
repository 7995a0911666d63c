//! Building the JSON that `aws ... --output json` prints: PascalCase keys as the API names them,
//! absent members left out, times as ISO 8601 strings in UTC the way the CLI shows them.

use aws_smithy_types::DateTime;
use serde_json::{Map, Value};

/// A JSON object built member by member; `None` members are left out, as the CLI does.
#[derive(Debug, Default)]
pub struct Obj(Map<String, Value>);

impl Obj {
    pub fn new() -> Self {
        Obj(Map::new())
    }

    pub fn opt<T: Into<Value>>(mut self, key: &str, value: Option<T>) -> Self {
        if let Some(v) = value {
            self.0.insert(key.to_string(), v.into());
        }
        self
    }

    pub fn put<T: Into<Value>>(mut self, key: &str, value: T) -> Self {
        self.0.insert(key.to_string(), value.into());
        self
    }

    pub fn time(self, key: &str, value: Option<&DateTime>) -> Self {
        self.opt(key, value.map(cli_time))
    }

    /// A list member; the CLI prints an empty list when the API returned one.
    pub fn list<T: Into<Value>>(self, key: &str, items: impl IntoIterator<Item = T>) -> Self {
        let items: Vec<Value> = items.into_iter().map(Into::into).collect();
        self.put(key, Value::Array(items))
    }

    /// A list member that the API leaves out when empty (the SDK cannot tell the two apart).
    pub fn some_list<T: Into<Value>>(self, key: &str, items: impl IntoIterator<Item = T>) -> Self {
        let items: Vec<Value> = items.into_iter().map(Into::into).collect();
        if items.is_empty() {
            self
        } else {
            self.put(key, Value::Array(items))
        }
    }

    pub fn strs(self, key: &str, items: &[String]) -> Self {
        self.list(key, items.iter().map(String::as_str))
    }

    pub fn build(self) -> Value {
        Value::Object(self.0)
    }
}

impl From<Obj> for Value {
    fn from(o: Obj) -> Value {
        o.build()
    }
}

/// AWS CLI v2's rendering of a timestamp: `2026-11-20T14:02:17+00:00`, with microseconds
/// (`.123000`) only when the time has a fraction.
pub fn cli_time(t: &DateTime) -> String {
    let secs = t.secs();
    let micros = t.subsec_nanos() / 1000;
    let dt = chrono::DateTime::from_timestamp(secs, micros * 1000).unwrap_or_default();
    if micros == 0 {
        dt.format("%Y-%m-%dT%H:%M:%S+00:00").to_string()
    } else {
        dt.format("%Y-%m-%dT%H:%M:%S%.6f+00:00").to_string()
    }
}

/// RFC 3339 UTC with `Z`, for the manifest.
pub fn rfc3339(t: &DateTime) -> String {
    let dt = chrono::DateTime::from_timestamp(t.secs(), t.subsec_nanos()).unwrap_or_default();
    super::plan::rfc3339(dt)
}

/// An SDK time from a chrono one.
pub fn smithy_time(t: chrono::DateTime<chrono::Utc>) -> DateTime {
    DateTime::from_millis(t.timestamp_millis())
}

/// Pretty JSON ending with a newline: the bytes stored in the case.
pub fn to_bytes(v: &Value) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(v).unwrap_or_default();
    out.push(b'\n');
    out
}

/// A name made safe to use in a file name (rule and trail names are already close to it).
pub fn file_safe(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_print_like_the_cli() {
        assert_eq!(
            cli_time(&DateTime::from_secs(1_795_183_337)),
            "2026-11-20T14:02:17+00:00"
        );
        assert_eq!(
            cli_time(&DateTime::from_millis(1_795_183_337_512)),
            "2026-11-20T14:02:17.512000+00:00"
        );
        let parsed =
            crate::parse::time::parse_time(&cli_time(&DateTime::from_millis(1_795_183_337_512)));
        assert_eq!(parsed.map(|t| t.0), Some(1_795_183_337_512));
    }

    #[test]
    fn absent_members_are_left_out() {
        let v = Obj::new()
            .opt("A", Some("x"))
            .opt::<&str>("B", None)
            .list("C", Vec::<Value>::new())
            .build();
        assert_eq!(v.to_string(), r#"{"A":"x","C":[]}"#);
    }
}
