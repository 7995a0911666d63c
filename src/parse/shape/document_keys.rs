//! A document whose top-level object writes a key twice or more (`{"Records":[A,B],
//! "Records":[C,D]}`, `"Events"`, `"AlarmHistoryItems"`, `"NextToken"` twice). JSON allows it;
//! jq and Python's json keep the last value, so they see two records where every array read
//! sees four. Nothing is lost here: the elements of every array under the key are read, in the
//! order written (any other value counts as the last, as there), and the difference is a
//! `repeated_key` gap naming the key and each value's size, never silent. A record's or an
//! envelope's own repeated keys are told elsewhere (`duplicates.rs`, `repeated.rs`). Pure: no
//! I/O.

use super::Ctx;
use crate::model::GapKind;
use crate::parse::described::is_name_like;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::fmt;

/// A top-level key written more than once, and each of its values in order: the number of
/// elements of an array, `None` for any other value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct RepeatedKey {
    pub(super) key: String,
    pub(super) values: Vec<Option<u64>>,
}

/// The keys written more than once among a document's top-level `keys` (each with its value's
/// size, as in [`RepeatedKey`]), in the order of their first writing. Sorts: a crafted document
/// of many keys costs `n log n`, not `n²`.
pub(super) fn repeated_among<K: AsRef<str>>(keys: &[(K, Option<u64>)]) -> Vec<RepeatedKey> {
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by(|&a, &b| keys[a].0.as_ref().cmp(keys[b].0.as_ref()).then(a.cmp(&b)));
    let mut repeated: Vec<(usize, RepeatedKey)> = Vec::new();
    for run in order.chunk_by(|&a, &b| keys[a].0.as_ref() == keys[b].0.as_ref()) {
        if run.len() > 1 {
            repeated.push((
                run[0],
                RepeatedKey {
                    key: keys[run[0]].0.as_ref().to_string(),
                    values: run.iter().map(|&n| keys[n].1).collect(),
                },
            ));
        }
    }
    repeated.sort_by_key(|(first, _)| *first);
    repeated.into_iter().map(|(_, r)| r).collect()
}

/// The JSON value `raw` as a `Value` reads it, except that an object's top-level key written
/// more than once keeps the elements of every array written under it (a `Value` keeps the last
/// value), and the keys so written. The same error as `serde_json::from_str::<Value>` on text
/// that is not JSON.
pub(super) fn read_value(raw: &str) -> Result<(Value, Vec<RepeatedKey>), serde_json::Error> {
    if !raw
        .trim_start_matches([' ', '\t', '\n', '\r'])
        .starts_with('{')
    {
        return serde_json::from_str(raw).map(|v| (v, Vec::new()));
    }
    let mut de = serde_json::Deserializer::from_str(raw);
    let (map, repeated) = de.deserialize_map(TopObject)?;
    de.end()?;
    Ok((Value::Object(map), repeated))
}

/// Reads an object as a `Value` does, merging the values of a key written again (see
/// [`read_value`]).
struct TopObject;

impl<'de> Visitor<'de> for TopObject {
    type Value = (Map<String, Value>, Vec<RepeatedKey>);

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut m: M) -> Result<Self::Value, M::Error> {
        let mut map = Map::new();
        let mut repeated: Vec<RepeatedKey> = Vec::new();
        // Where each repeated key is in `repeated`: a crafted document may repeat many.
        let mut at: HashMap<String, usize> = HashMap::new();
        while let Some(key) = m.next_key::<String>()? {
            let value: Value = m.next_value()?;
            let Some(old) = map.get_mut(&key) else {
                map.insert(key, value);
                continue;
            };
            let n = *at.entry(key.clone()).or_insert_with(|| {
                repeated.push(RepeatedKey {
                    key,
                    values: vec![size(old)],
                });
                repeated.len() - 1
            });
            repeated[n].values.push(size(&value));
            match (old, value) {
                (Value::Array(read), Value::Array(more)) => read.extend(more),
                // The elements read stay; a later value that is no array adds none.
                (Value::Array(_), _) => {}
                (old, value) => *old = value,
            }
        }
        // In the order of their first writing (the map keeps it), as `repeated_among` has them.
        if !repeated.is_empty() {
            let first: HashMap<&str, usize> = map
                .keys()
                .enumerate()
                .map(|(n, k)| (k.as_str(), n))
                .collect();
            repeated.sort_by_key(|r| first[r.key.as_str()]);
        }
        Ok((map, repeated))
    }
}

fn size(v: &Value) -> Option<u64> {
    v.as_array().map(|a| a.len() as u64)
}

/// Keys named in a gap at most.
const NAMED: usize = 3;

/// A gap's reason for `repeated` (not empty): each key (quoted only when written as a name: a
/// key is the evidence's text), how many times and each value's size, what was read and what
/// jq and Python's json read.
pub(super) fn reason(repeated: &[RepeatedKey]) -> String {
    let named: Vec<String> = repeated
        .iter()
        .take(NAMED)
        .map(|r| {
            let name = if is_name_like(&r.key) {
                format!("`{}`", r.key)
            } else {
                "a key not written as a name (not quoted)".to_string()
            };
            let values: Vec<String> = (r.values.iter())
                .map(|v| match v {
                    Some(1) => "an array of 1 element".to_string(),
                    Some(n) => format!("an array of {n} elements"),
                    None => "a value that is not an array".to_string(),
                })
                .collect();
            format!("{name} {} times ({})", r.values.len(), values.join(", "))
        })
        .collect();
    let more = match repeated.len().saturating_sub(NAMED) {
        0 => String::new(),
        n => format!(", and {n} more key(s)"),
    };
    let every: u64 = repeated
        .iter()
        .flat_map(|r| r.values.iter().flatten())
        .sum();
    let last: u64 = repeated.iter().filter_map(|r| *r.values.last()?).sum();
    let arrays = if repeated
        .iter()
        .any(|r| r.values.iter().any(Option::is_some))
    {
        format!("the elements of every array under it were read ({every} in all), where jq and Python's json keep only the last value ({last} elements), so a reader of the raw file with those tools sees another document; ")
    } else {
        String::new()
    };
    format!(
        "the document's top-level object writes a key more than once: {}{more}; {arrays}a value that is not an array counts as the last one written, as in those tools",
        named.join("; ")
    )
}

impl Ctx<'_> {
    /// The `repeated_key` gap of a document (`top`: a whole document or line, a gap of the file)
    /// or of the object at `index` within one, when it repeats a top-level key.
    pub(super) fn repeated_top_keys(&mut self, repeated: &[RepeatedKey], index: u64, top: bool) {
        if !repeated.is_empty() {
            let at = (!top).then_some(index);
            self.scan
                .gaps
                .push((at, GapKind::RepeatedKey, reason(repeated)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::scan_document_with;
    use super::super::trail_file::tests::{Seen, A, B};
    use super::*;
    use proptest::prelude::*;

    fn key(key: &str, values: &[Option<u64>]) -> RepeatedKey {
        RepeatedKey {
            key: key.into(),
            values: values.to_vec(),
        }
    }

    #[test]
    fn keys_written_again_are_found_in_the_order_first_written() {
        let keys = [
            ("b", Some(2)),
            ("a", None),
            ("b", Some(3)),
            ("c", None),
            ("a", None),
            ("b", None),
        ];
        assert_eq!(
            repeated_among(&keys),
            vec![key("b", &[Some(2), Some(3), None]), key("a", &[None, None])]
        );
        assert_eq!(repeated_among(&[("a", None), ("b", None)]), vec![]);
        assert_eq!(repeated_among::<&str>(&[]), vec![]);
    }

    /// What a `Value` reads, but every array's elements under a key written again, and the
    /// key named: as `repeated_among` finds on the same document.
    #[test]
    fn a_value_keeps_every_array_under_a_key_written_again() {
        let text = r#"{"Items":[1,2],"NextToken":"a","Items":[3],"NextToken":"b","Items":null,"x":{"y":1,"y":2}}"#;
        let (value, repeated) = read_value(text).unwrap();
        assert_eq!(
            value,
            serde_json::json!({"Items": [1, 2, 3], "NextToken": "b", "x": {"y": 2}})
        );
        assert_eq!(
            repeated,
            vec![
                key("Items", &[Some(2), Some(1), None]),
                key("NextToken", &[None, None])
            ]
        );
        // A key that is no array first, an array after: the array.
        let (value, _) = read_value(r#"{"a":null,"a":[1]}"#).unwrap();
        assert_eq!(value, serde_json::json!({"a": [1]}));
        // Without a repeated key, or not an object: exactly a `Value`, errors included.
        for text in [
            r#" {"a":[1],"b":{"a":2}} "#,
            "[1,2]",
            "\"s\"",
            r#"{"a":1"#,
            r#"{"a":1} x"#,
            "\u{a0}{}",
            r#"{"a":"\ud800"}"#,
        ] {
            let value = serde_json::from_str::<Value>(text);
            match read_value(text) {
                Ok((read, repeated)) => {
                    assert_eq!(read, value.unwrap(), "{text}");
                    assert!(repeated.is_empty());
                }
                Err(e) => assert_eq!(e.to_string(), value.unwrap_err().to_string(), "{text}"),
            }
        }
    }

    #[test]
    fn the_reason_names_each_key_and_what_each_reader_sees_never_a_secret() {
        let r = reason(&[key("Records", &[Some(2), Some(2)])]);
        assert!(
            r.contains("`Records` 2 times (an array of 2 elements, an array of 2 elements)"),
            "{r}"
        );
        assert!(r.contains("were read (4 in all)"), "{r}");
        assert!(r.contains("keep only the last value (2 elements)"), "{r}");
        let r = reason(&[key("NextToken", &[None, None])]);
        assert!(!r.contains("in all"), "{r}");
        let r = reason(&[key("AKIAPLANTEDSECRET123", &[None, None])]);
        assert!(!r.contains("AKIA"), "{r}");
        let many: Vec<RepeatedKey> = (0..5)
            .map(|n| key(&format!("k{n}"), &[None, None]))
            .collect();
        assert!(reason(&many).contains(", and 2 more key(s)"));
    }

    /// A member's value: an array of small numbers, or a number or null.
    fn member_value() -> impl Strategy<Value = Value> {
        prop_oneof![
            prop::collection::vec(0u8..9, 0..4).prop_map(|v| serde_json::json!(v)),
            (0u8..9).prop_map(|n| serde_json::json!(n)),
            Just(Value::Null),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

        /// Any object, keys repeated or not: every array's elements under a key, in order, and a
        /// key's last value where none is an array; the keys written again, named; without one,
        /// exactly what a `Value` reads.
        #[test]
        fn every_arrays_elements_are_kept_and_every_repeat_named(
            members in prop::collection::vec((prop::sample::select(vec!["a", "b", "Items"]), member_value()), 0..8)
        ) {
            let body: Vec<String> = members.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
            let text = format!("{{{}}}", body.join(","));
            let (read, repeated) = read_value(&text).unwrap();
            let mut model: Map<String, Value> = Map::new();
            for (k, v) in &members {
                let elements: Vec<&Value> = (members.iter())
                    .filter(|(key, _)| key == k)
                    .filter_map(|(_, v)| v.as_array())
                    .flatten()
                    .collect();
                let any_array = members.iter().any(|(key, v)| key == k && v.is_array());
                let value = if any_array { serde_json::json!(elements) } else { v.clone() };
                model.insert(k.to_string(), value);
            }
            prop_assert_eq!(&read, &Value::Object(model));
            let sizes: Vec<(&str, Option<u64>)> = (members.iter())
                .map(|(k, v)| (*k, v.as_array().map(|a| a.len() as u64)))
                .collect();
            prop_assert_eq!(&repeated, &repeated_among(&sizes));
            if repeated.is_empty() {
                prop_assert_eq!(read, serde_json::from_str::<Value>(&text).unwrap());
            }
        }

        /// A trail file's records split over `Records` written once or more: every record is
        /// read, in order, on the fast and the general way alike, and the file has one
        /// `repeated_key` gap exactly when the key is written more than once.
        #[test]
        fn records_written_under_repeated_keys_are_all_read(
            parts in prop::collection::vec(prop::collection::vec(any::<bool>(), 0..4), 1..4)
        ) {
            let arrays: Vec<String> = (parts.iter())
                .map(|p| format!("[{}]", p.iter().map(|&a| if a { A } else { B }).collect::<Vec<_>>().join(",")))
                .collect();
            let body: Vec<String> = arrays.iter().map(|a| format!("\"Records\":{a}")).collect();
            let text = format!("{{{}}}", body.join(","));
            let total: usize = parts.iter().map(Vec::len).sum();
            for fast in [true, false] {
                let mut seen = Seen::default();
                let scan = scan_document_with(text.as_bytes(), 0, "x.json", &mut seen, fast);
                let expected: Vec<&str> = parts.iter().flatten().map(|&a| if a { A } else { B }).collect();
                let got: Vec<&str> = seen.0.iter().map(|r| r.1.as_str()).collect();
                prop_assert_eq!(got, expected);
                prop_assert_eq!(scan.records, total as u64);
                let indexes: Vec<u64> = seen.0.iter().map(|r| r.0).collect();
                prop_assert_eq!(indexes, (0..total as u64).collect::<Vec<_>>());
                let gaps: Vec<_> = scan.gaps.iter().map(|g| (g.0, g.1)).collect();
                if parts.len() > 1 {
                    prop_assert_eq!(gaps, vec![(None, GapKind::RepeatedKey)]);
                    let read = format!("were read ({total} in all)");
                    prop_assert!(scan.gaps[0].2.contains(&read), "{}", scan.gaps[0].2);
                } else {
                    prop_assert_eq!(gaps, vec![]);
                }
            }
        }
    }
}
