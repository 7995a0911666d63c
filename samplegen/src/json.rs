//! An ordered JSON value for generated output.
//!
//! AWS prints keys in a fixed order (CloudTrail's `eventVersion, userIdentity, eventTime, ...`, the CLI's
//! `AlarmName, AlarmArn, ...`). `serde_json::Value` sorts keys unless `preserve_order` is enabled, and
//! enabling that feature here would change the root crate's maps through feature unification, so the
//! generator keeps its own insertion-ordered value. Depends on nothing but serde.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

/// A JSON value whose objects keep the order in which keys were added.
#[derive(Debug, Clone, PartialEq)]
pub enum J {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(&'static str, J)>),
}

impl J {
    /// Compact JSON, as CloudTrail writes records and as `CloudTrailEvent` / `HistoryData` embed them.
    pub fn compact(&self) -> String {
        serde_json::to_string(self).expect("an in-memory JSON value always serializes")
    }

    /// Pretty JSON with four-space indentation, as `aws ... --output json` prints, plus a final newline.
    pub fn pretty(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
        let mut ser = serde_json::Serializer::with_formatter(&mut out, fmt);
        self.serialize(&mut ser)
            .expect("an in-memory JSON value always serializes");
        out.push(b'\n');
        out
    }

    /// Appends a key to an object; panics on a non-object, which is a bug in the generator.
    pub fn push(&mut self, key: &'static str, value: impl Into<J>) {
        match self {
            J::Obj(fields) => fields.push((key, value.into())),
            other => panic!("push({key}) on a non-object {other:?}"),
        }
    }

    /// Looks a key up in an object.
    pub fn get(&self, key: &str) -> Option<&J> {
        match self {
            J::Obj(fields) => fields.iter().find(|(k, _)| *k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string inside, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            J::Str(s) => Some(s),
            _ => None,
        }
    }
}

impl Serialize for J {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            J::Null => s.serialize_unit(),
            J::Bool(b) => s.serialize_bool(*b),
            J::Int(i) => s.serialize_i64(*i),
            J::Float(f) => s.serialize_f64(*f),
            J::Str(v) => s.serialize_str(v),
            J::Arr(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            J::Obj(fields) => {
                let mut map = s.serialize_map(Some(fields.len()))?;
                for (k, v) in fields {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

impl From<&str> for J {
    fn from(v: &str) -> Self {
        J::Str(v.to_owned())
    }
}
impl From<String> for J {
    fn from(v: String) -> Self {
        J::Str(v)
    }
}
impl From<&String> for J {
    fn from(v: &String) -> Self {
        J::Str(v.clone())
    }
}
impl From<bool> for J {
    fn from(v: bool) -> Self {
        J::Bool(v)
    }
}
impl From<i64> for J {
    fn from(v: i64) -> Self {
        J::Int(v)
    }
}
impl From<i32> for J {
    fn from(v: i32) -> Self {
        J::Int(v.into())
    }
}
impl From<u32> for J {
    fn from(v: u32) -> Self {
        J::Int(v.into())
    }
}
impl From<f64> for J {
    fn from(v: f64) -> Self {
        J::Float(v)
    }
}
impl From<Vec<J>> for J {
    fn from(v: Vec<J>) -> Self {
        J::Arr(v)
    }
}
impl<T: Into<J>> From<Option<T>> for J {
    fn from(v: Option<T>) -> Self {
        v.map_or(J::Null, Into::into)
    }
}

/// Builds an ordered object: `obj! { "a" => 1, "b" => "x" }`.
#[macro_export]
macro_rules! obj {
    () => { $crate::json::J::Obj(Vec::new()) };
    ($($k:literal => $v:expr),+ $(,)?) => {
        $crate::json::J::Obj(vec![$(($k, $crate::json::J::from($v))),+])
    };
}

/// Builds an array: `arr![a, b]`.
#[macro_export]
macro_rules! arr {
    () => { $crate::json::J::Arr(Vec::new()) };
    ($($v:expr),+ $(,)?) => { $crate::json::J::Arr(vec![$($crate::json::J::from($v)),+]) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_key_order_and_prints_like_the_cli() {
        let v = obj! { "b" => 1, "a" => arr![1.0, "x"], "n" => J::Null, "e" => arr![] };
        assert_eq!(v.compact(), r#"{"b":1,"a":[1.0,"x"],"n":null,"e":[]}"#);
        let pretty = String::from_utf8(v.pretty()).unwrap();
        assert!(pretty.starts_with("{\n    \"b\": 1,\n    \"a\": [\n        1.0,"));
        assert!(pretty.ends_with("\"e\": []\n}\n"));
    }
}
