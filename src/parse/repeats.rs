//! Keys a record writes twice or more in one of its nested objects (`requestParameters`,
//! `resources`, ...) with different values. JSON allows it and readers disagree on which value
//! counts (serde_json's `Value` and Python keep the last, others the first), so a record written
//! by someone who can write to the bucket could name the honeytoken in one and something else in
//! the other and be read as a harmless call: such a record is a gap naming the key, as one that
//! repeats a top-level key is (`shape/duplicates.rs`). Only on the general way (the plain reader
//! hands back any object that repeats a key). Pure: no I/O.

use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::Value;
use std::fmt;

/// The members of an object (key and value text) or the elements of an array.
enum Node<'a> {
    Object(Vec<(String, &'a RawValue)>),
    Array(Vec<&'a RawValue>),
}

impl<'de: 'a, 'a> serde::Deserialize<'de> for Node<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Node<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object or an array")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut m: M) -> Result<Node<'a>, M::Error> {
                let mut v = Vec::new();
                while let Some((k, raw)) = m.next_entry::<String, &'de RawValue>()? {
                    v.push((k, raw));
                }
                Ok(Node::Object(v))
            }
            fn visit_seq<S: SeqAccess<'de>>(self, mut s: S) -> Result<Node<'a>, S::Error> {
                let mut v = Vec::new();
                while let Some(raw) = s.next_element::<&'de RawValue>()? {
                    v.push(raw);
                }
                Ok(Node::Array(v))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// The path (`requestParameters.secretId`; an array element adds nothing) of the first key that
/// an object inside the object `text` writes twice or more with different values, or `None`.
/// The object's own top-level keys are not looked at (`shape/duplicates.rs` tells those).
pub(crate) fn nested_differing(text: &str) -> Option<Vec<String>> {
    let Ok(Node::Object(members)) = serde_json::from_str::<Node<'_>>(text) else {
        return None;
    };
    members
        .iter()
        .find_map(|(key, raw)| within(raw.get(), 1).map(|p| [vec![key.clone()], p].concat()))
}

/// The path of the first key that the record `text` writes twice or more with different values,
/// at its top level (a key the view does not read, such as `requestID` or `sharedEventID`: serde
/// ignores it, so `shape/duplicates.rs` is never asked) or in an object inside it; or `None`.
pub(crate) fn record_differing(text: &str) -> Option<Vec<String>> {
    within(text.trim_start_matches([' ', '\t', '\n', '\r']), 0)
}

/// How a gap names the key at `path`: quoted only when each part is written as a name (a key is
/// the evidence's text and may be a planted secret).
pub(crate) fn key_named(path: &[String]) -> String {
    if path.iter().all(|k| super::described::is_name_like(k)) {
        format!("the key `{}`", path.join("."))
    } else {
        "a key (not written as a name: not quoted)".to_string()
    }
}

/// Nested past this, serde_json's own limit is near: not looked into.
const MAX_DEPTH: u32 = 64;

fn within(text: &str, depth: u32) -> Option<Vec<String>> {
    if depth > MAX_DEPTH || !text.starts_with(['{', '[']) {
        return None;
    }
    match serde_json::from_str::<Node<'_>>(text).ok()? {
        Node::Array(items) => items.iter().find_map(|r| within(r.get(), depth + 1)),
        Node::Object(members) => {
            let value = |r: &RawValue| serde_json::from_str::<Value>(r.get()).ok();
            for (n, (key, raw)) in members.iter().enumerate() {
                if let Some((_, first)) = members[..n].iter().find(|(k, _)| k == key) {
                    if value(first) != value(raw) {
                        return Some(vec![key.clone()]);
                    }
                }
            }
            members.iter().find_map(|(key, raw)| {
                within(raw.get(), depth + 1).map(|p| [vec![key.clone()], p].concat())
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::nested_differing;

    #[test]
    fn a_nested_key_written_twice_differently_is_found_by_its_path() {
        let path = |t: &str| nested_differing(t).map(|p| p.join("."));
        assert_eq!(path(r#"{"a":1,"a":2}"#), None, "top level: not this one's");
        assert_eq!(path(r#"{"r":{"s":"x","s":"x"}}"#), None, "the same value");
        assert_eq!(path(r#"{"r":{"s":"x","t":"x"}}"#), None);
        assert_eq!(
            path(r#"{"e":1,"r":{"s":"x","s":"y"}}"#).as_deref(),
            Some("r.s")
        );
        assert_eq!(
            path(r#"{"res":[{"ARN":"a"},{"ARN":"b","ARN":"c"}]}"#).as_deref(),
            Some("res.ARN")
        );
        assert_eq!(
            path(r#"{"r":{"u":{"k":[1],"k":[2]}}}"#).as_deref(),
            Some("r.u.k")
        );
        assert_eq!(path("[1]"), None);
        assert_eq!(path("not json"), None);
    }
}
