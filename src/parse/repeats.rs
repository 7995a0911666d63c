//! Keys a record writes twice or more in one of its nested objects (`requestParameters`,
//! `resources`, ...) with different values. JSON allows it and readers disagree on which value
//! counts (serde_json's `Value` and Python keep the last, others the first), so a record written
//! by someone who can write to the bucket could name the honeytoken in one and something else in
//! the other and be read as a harmless call: such a record is a gap naming the key, as one that
//! repeats a top-level key is (`shape/duplicates.rs`). Only on the general way (the plain reader
//! hands back any object that repeats a key). Pure: no I/O.

use super::json_bytes::{skip_ws, string_end};
use serde_json::Value;

/// The path (`requestParameters.secretId`; an array element adds nothing) of the first key that
/// an object inside the object `text` writes twice or more with different values, or `None`.
/// The object's own top-level keys are not looked at (`shape/duplicates.rs` tells those).
pub(crate) fn nested_differing(text: &str) -> Option<Vec<String>> {
    let b = text.as_bytes();
    // An array's elements are not an object's members: nothing to tell.
    (b.get(skip_ws(b, 0)) == Some(&b'{'))
        .then(|| walk(b, false))
        .flatten()
}

/// The path of the first key that the record `text` writes twice or more with different values,
/// at its top level (a key the view does not read, such as `requestID` or `sharedEventID`: serde
/// ignores it, so `shape/duplicates.rs` is never asked) or in an object inside it; or `None`.
pub(crate) fn record_differing(text: &str) -> Option<Vec<String>> {
    walk(text.as_bytes(), true)
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

/// An object or array open in [`walk`]: an object's members (the key as written, its value's
/// bytes) and the first path found inside a member or element that has closed.
struct Open {
    object: bool,
    members: Vec<(std::ops::Range<usize>, std::ops::Range<usize>)>,
    key: Option<std::ops::Range<usize>>,
    value_from: usize,
    found: Option<Vec<String>>,
}

/// One pass over the JSON `b` (an object or an array; anything else, or text that is not JSON,
/// finds nothing): the path of the first key written twice or more with different values in an
/// object, that object's own members first, then its members' insides in order, as a reader
/// walking the record top down meets them. `own`: whether the outermost object's own keys count.
/// Each byte is read once whatever the depth (each level's text was parsed again before, down
/// to 64 levels, which it did not look past: a record of nested arrays cost 64 reads of itself);
/// objects are looked into at any depth; values are compared only for a key met twice.
fn walk(b: &[u8], own: bool) -> Option<Vec<String>> {
    let mut stack: Vec<Open> = Vec::new();
    let mut i = skip_ws(b, 0);
    if !matches!(b.get(i), Some(b'{' | b'[')) {
        return None;
    }
    loop {
        // A value starts at `i`.
        i = skip_ws(b, i);
        let value_start = i;
        match *b.get(i)? {
            c @ (b'{' | b'[') => {
                let inside = skip_ws(b, i + 1);
                let close = if c == b'{' { b'}' } else { b']' };
                if b.get(inside) == Some(&close) {
                    // Empty: nothing inside to find.
                    i = inside + 1;
                    if stack.is_empty() {
                        return None;
                    }
                } else {
                    let mut open = Open {
                        object: c == b'{',
                        members: Vec::new(),
                        key: None,
                        value_from: value_start,
                        found: None,
                    };
                    i = match c {
                        b'{' => key(b, inside, &mut open)?,
                        _ => inside,
                    };
                    stack.push(open);
                    continue;
                }
            }
            b'"' => i = string_end(b, i)?,
            _ => {
                while i < b.len()
                    && !matches!(b[i], b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r')
                {
                    i += 1;
                }
                if i == value_start {
                    return None;
                }
            }
        }
        // A value ended at `i`: close what ends here, then on to the next member or element.
        let mut done = value_start..i;
        let mut inner: Option<Vec<String>> = None;
        loop {
            let top = stack.last_mut()?;
            // The value just read, inside `top`.
            if let Some(k) = top.key.take() {
                if top.found.is_none() {
                    top.found = inner
                        .take()
                        .and_then(|p| Some([vec![key_text(b, &k)?], p].concat()));
                }
                top.members.push((k, done.clone()));
            } else if top.found.is_none() {
                top.found = inner.take();
            }
            i = skip_ws(b, i);
            match (b.get(i), top.object) {
                (Some(b','), true) => {
                    i = key(b, skip_ws(b, i + 1), top)?;
                    break;
                }
                (Some(b','), false) => {
                    i += 1;
                    break;
                }
                (Some(b'}'), true) | (Some(b']'), false) => {
                    i += 1;
                    let closed = stack.pop()?;
                    let outermost = stack.is_empty();
                    let found = match (closed.object && (own || !outermost))
                        .then(|| repeated(b, &closed.members))
                        .flatten()
                    {
                        Some(k) => Some(vec![k]),
                        None => closed.found,
                    };
                    if outermost {
                        return found;
                    }
                    done = closed.value_from..i;
                    inner = found;
                }
                _ => return None,
            }
        }
    }
}

/// The key at `i` (its quotes), its colon and the space after: `top`'s key for the value next.
fn key(b: &[u8], i: usize, top: &mut Open) -> Option<usize> {
    if b.get(i) != Some(&b'"') {
        return None;
    }
    let end = string_end(b, i)?;
    let colon = skip_ws(b, end);
    if b.get(colon) != Some(&b':') {
        return None;
    }
    top.key = Some(i..end);
    Some(colon + 1)
}

/// The first key of `members` (in their order) written before with a different value.
fn repeated(
    b: &[u8],
    members: &[(std::ops::Range<usize>, std::ops::Range<usize>)],
) -> Option<String> {
    let text = |r: &std::ops::Range<usize>| std::str::from_utf8(&b[r.clone()]).ok();
    let value = |r: &std::ops::Range<usize>| serde_json::from_str::<Value>(text(r)?).ok();
    let keys: Vec<Option<String>> = members.iter().map(|(k, _)| key_text(b, k)).collect();
    for (n, (_, raw)) in members.iter().enumerate() {
        let Some(key) = &keys[n] else { continue };
        if let Some(first) = (0..n).find(|&m| keys[m].as_ref() == Some(key)) {
            if value(&members[first].1) != value(raw) {
                return Some(key.clone());
            }
        }
    }
    None
}

/// A key's text as serde reads it (escapes undone).
fn key_text(b: &[u8], r: &std::ops::Range<usize>) -> Option<String> {
    serde_json::from_slice::<String>(&b[r.clone()]).ok()
}

#[cfg(test)]
mod tests {
    use super::{nested_differing, record_differing};
    use proptest::prelude::*;
    use serde_json::value::RawValue;
    use serde_json::Value;

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

    /// The walk reads each byte once: a key written as an escape is the same key; braces,
    /// brackets and escaped quotes inside strings are text; an object's own repeat comes before
    /// one inside an earlier member; the same value written with other spacing or key order is
    /// the same value.
    #[test]
    fn keys_strings_spacing_and_order_are_read_as_serde_reads_them() {
        let path = |t: &str| record_differing(t).map(|p| p.join("."));
        assert_eq!(path(r#"{"a":1,"\u0061":2}"#).as_deref(), Some("a"));
        assert_eq!(path(r#"{"a":"}\"{[","b":{"c":"]","c":"]"}}"#), None);
        assert_eq!(
            path(r#"{"x":{"k":1,"k":2},"y":3,"y":4}"#).as_deref(),
            Some("y"),
            "the record's own key first"
        );
        assert_eq!(
            path(r#"{ "r" : { "k" : {"p":1,"q":[ 1 , 2 ]} , "k":{"q":[1,2],"p":1} } }"#),
            None
        );
        assert_eq!(
            path(r#"{"r":[[],{},[{}],{"k":[],"k":{}}]}"#).as_deref(),
            Some("r.k")
        );
        assert_eq!(path("{}"), None);
        assert_eq!(path(r#"{"a":[1,2,"#), None, "cut short: nothing found");
    }

    /// A record nested 100,000 deep is read in one pass: it used to be read again at each of
    /// 64 levels (about 4 MB/s of such records); a repeat at its top is still found.
    #[test]
    fn a_deeply_nested_record_is_read_once_and_its_repeats_found() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let text = format!(r#"{{"r":{deep},"k":1,"k":2}}"#);
        assert_eq!(record_differing(&text), Some(vec!["k".to_string()]));
        let chain = format!("{}1{}", r#"{"a":"#.repeat(50_000), "}".repeat(50_000));
        assert_eq!(record_differing(&chain), None);
    }

    /// The walk as it was (each level's text parsed again, down to 64 levels), the reference.
    fn reference(text: &str, depth: u32) -> Option<Vec<String>> {
        if depth > 64 || !text.starts_with(['{', '[']) {
            return None;
        }
        if text.starts_with('[') {
            let items: Vec<&RawValue> = serde_json::from_str(text).ok()?;
            return items.iter().find_map(|r| reference(r.get(), depth + 1));
        }
        let members = members(text)?;
        let value = |r: &RawValue| serde_json::from_str::<Value>(r.get()).ok();
        for (n, (key, raw)) in members.iter().enumerate() {
            if let Some((_, first)) = members[..n].iter().find(|(k, _)| k == key) {
                if value(first) != value(raw) {
                    return Some(vec![key.clone()]);
                }
            }
        }
        members.iter().find_map(|(key, raw)| {
            reference(raw.get(), depth + 1).map(|p| [vec![key.clone()], p].concat())
        })
    }

    /// An object's members in order, repeats kept.
    fn members(text: &str) -> Option<Vec<(String, &RawValue)>> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Vec<(String, &'de RawValue)>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(
                self,
                mut m: M,
            ) -> Result<Self::Value, M::Error> {
                let mut v = Vec::new();
                while let Some(e) = m.next_entry()? {
                    v.push(e);
                }
                Ok(v)
            }
        }
        let mut d = serde_json::Deserializer::from_str(text);
        serde::Deserializer::deserialize_map(&mut d, V).ok()
    }

    /// Generated JSON: few keys (so they repeat), values that may be equal or not.
    fn json() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            Just("1".to_string()),
            Just("2".to_string()),
            Just("\"x\"".to_string()),
            Just("\"}\\\"{\"".to_string()),
            Just("null".to_string()),
        ];
        leaf.prop_recursive(6, 48, 4, |inner| {
            let key = prop_oneof![Just("a"), Just("b"), Just("\\u0061"), Just("c")];
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4)
                    .prop_map(|v| format!("[{}]", v.join(" , "))),
                prop::collection::vec((key, inner), 0..4).prop_map(|v| {
                    let m: Vec<String> = v.iter().map(|(k, x)| format!("\"{k}\":{x}")).collect();
                    format!("{{{}}}", m.join(","))
                }),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        #[test]
        fn the_one_pass_walk_finds_what_the_level_by_level_walk_found(j in json()) {
            let record = format!(r#"{{"e":{j},"f":{j}}}"#);
            prop_assert_eq!(record_differing(&record), reference(&record, 0));
            prop_assert_eq!(record_differing(&j), reference(&j, 0));
            let nested = members(&j).and_then(|m| {
                m.iter().find_map(|(k, raw)| {
                    reference(raw.get(), 1).map(|p| [vec![k.clone()], p].concat())
                })
            });
            prop_assert_eq!(nested_differing(&j), nested);
        }
    }
}
