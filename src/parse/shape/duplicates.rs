//! A record that writes one of its keys twice (AWS's own Organizations guide prints one with
//! `readOnly` and `eventType` each twice). JSON allows it and most readers keep the last value;
//! serde_json's record view refuses it. When every repeated key holds the same value, keeping
//! either loses nothing: the record is read without the repetition. When they differ, which one
//! AWS wrote is not known, and the record is a gap that names the key (never the values: they
//! may be secret). Pure: no I/O.

use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::Value;
use std::fmt;

/// What the top-level keys of an object written twice or more come to.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Repeated {
    /// No top-level key is repeated (the repetition, if any, is deeper), or not an object.
    None,
    /// Each repeated key holds the same value every time: the object's text without the later
    /// members, and the keys (in their order).
    Same { text: String, keys: Vec<String> },
    /// The first key whose values differ.
    Differ { key: String },
}

/// The top-level members of an object: each key and the span of its value in the text.
struct Members<'a>(Vec<(String, &'a RawValue)>);

impl<'de: 'a, 'a> serde::Deserialize<'de> for Members<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Members<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut m: M) -> Result<Members<'a>, M::Error> {
                let mut v = Vec::new();
                while let Some((k, raw)) = m.next_entry::<String, &'de RawValue>()? {
                    v.push((k, raw));
                }
                Ok(Members(v))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

/// The first of `keys` that the object `text` writes twice or more with different values at its
/// top level (an envelope's field a reader of it uses: which one AWS wrote is not known).
pub(super) fn differing(text: &str, keys: &[&str]) -> Option<String> {
    let Members(members) = serde_json::from_str::<Members<'_>>(text).ok()?;
    let value = |r: &RawValue| serde_json::from_str::<Value>(r.get()).ok();
    members.iter().enumerate().find_map(|(n, (key, raw))| {
        let first = members[..n].iter().find(|(k, _)| k == key)?;
        (keys.contains(&key.as_str()) && value(first.1) != value(raw)).then(|| key.clone())
    })
}

/// The repeated top-level keys of the object `text` holds.
pub(super) fn repeated(text: &str) -> Repeated {
    let Ok(Members(members)) = serde_json::from_str::<Members<'_>>(text) else {
        return Repeated::None;
    };
    let base = text.as_ptr() as usize;
    // (start, end) of each value in `text`: RawValue borrows from it.
    let span = |r: &RawValue| {
        let start = r.get().as_ptr() as usize - base;
        (start, start + r.get().len())
    };
    let mut later: Vec<usize> = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    for (n, (key, raw)) in members.iter().enumerate() {
        let Some(first) = members[..n].iter().position(|(k, _)| k == key) else {
            continue;
        };
        let value = |r: &RawValue| serde_json::from_str::<Value>(r.get()).ok();
        if value(members[first].1) != value(raw) {
            return Repeated::Differ { key: key.clone() };
        }
        later.push(n);
        if !keys.contains(key) {
            keys.push(key.clone());
        }
    }
    if later.is_empty() {
        return Repeated::None;
    }
    // A later member goes with what separates it from the member before it (a repeated key is
    // never the first member): from the end of the previous value to the end of its own.
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for n in later {
        let start = span(members[n - 1].1).1;
        out.push_str(&text[at..start]);
        at = span(members[n].1).1;
    }
    out.push_str(&text[at..]);
    Repeated::Same { text: out, keys }
}

#[cfg(test)]
mod tests {
    use super::{differing, repeated, Repeated};

    #[test]
    fn identical_repeats_are_dropped_and_differing_ones_named() {
        assert_eq!(repeated(r#"{"a":1,"b":2}"#), Repeated::None);
        assert_eq!(repeated(r#"{"a":{"b":1,"b":1}}"#), Repeated::None);
        assert_eq!(repeated("[1]"), Repeated::None);
        assert_eq!(
            repeated("{\"a\": 1,\n \"b\" : [1, 2],\"b\":[1,2], \"a\":1 ,\"c\":3}"),
            Repeated::Same {
                text: "{\"a\": 1,\n \"b\" : [1, 2] ,\"c\":3}".into(),
                keys: vec!["b".into(), "a".into()]
            }
        );
        assert_eq!(
            repeated(r#"{"readOnly":false,"readOnly":true}"#),
            Repeated::Differ {
                key: "readOnly".into()
            }
        );
    }

    #[test]
    fn only_the_named_keys_written_twice_differently_count() {
        let keys = ["CloudTrailEvent", "EventTime"];
        assert_eq!(differing(r#"{"CloudTrailEvent":"a"}"#, &keys), None);
        assert_eq!(
            differing(r#"{"CloudTrailEvent":"a","CloudTrailEvent":"a"}"#, &keys),
            None
        );
        assert_eq!(differing(r#"{"Username":"a","Username":"b"}"#, &keys), None);
        assert_eq!(
            differing(
                r#"{"Username":"a","Username":"b","EventTime":1,"EventTime":2}"#,
                &keys
            ),
            Some("EventTime".into())
        );
        assert_eq!(differing("[1]", &keys), None);
    }
}
