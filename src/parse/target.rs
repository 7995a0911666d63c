//! The resource a call acted on, read from `requestParameters` and `resources`.

use super::record::RecordView;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::borrow::Cow;

/// The target as text, e.g. `Production_Database_Credentials`, `s3://bucket/key`, `user/svc`.
pub fn target_of(view: &RecordView<'_>) -> Option<String> {
    match view.request_parameters.map(|r| Params::read(r.get())) {
        None => target_in(&view.request(), view),
        Some(Some(params)) => target_in(&params, view),
        // What the quick reading cannot take (a number past an f64's range, nesting past
        // serde_json's limit) goes the lenient way (`RecordView::request`).
        Some(None) => target_in(&view.request(), view),
    }
}

/// [`target_of`] by the whole `requestParameters` as a `Value` (what it answered before the
/// quick reading; the tests compare the two).
#[cfg(test)]
pub(crate) fn target_by_value(view: &RecordView<'_>) -> Option<String> {
    target_in(&view.request(), view)
}

/// Where [`target_of`] looks up a parameter, by its place in [`LOOKED_UP`]: a string, or the
/// strings of a list. (By place, not by name: finding each of some twenty names in the list
/// again was most of what `target_of` cost, and `--all` asks it of every record.)
trait Lookup {
    fn text(&self, at: usize) -> Option<&str>;
    fn texts(&self, at: usize) -> Option<Vec<&str>>;
}

impl Lookup for Value {
    fn text(&self, at: usize) -> Option<&str> {
        self.get(LOOKED_UP[at]).and_then(Value::as_str)
    }
    fn texts(&self, at: usize) -> Option<Vec<&str>> {
        let list = self.get(LOOKED_UP[at]).and_then(Value::as_array)?;
        Some(list.iter().filter_map(Value::as_str).collect())
    }
}

fn target_in(req: &impl Lookup, view: &RecordView<'_>) -> Option<String> {
    if let Some(bucket) = req.text(BUCKET) {
        return Some(match req.text(KEY) {
            Some(key) => ["s3://", bucket, "/", key].concat(),
            None => objects_in(bucket, view).unwrap_or_else(|| ["s3://", bucket].concat()),
        });
    }
    for list in LISTS {
        if let Some(ids) = req.texts(list) {
            if !ids.is_empty() {
                return Some(ids.join(", "));
            }
        }
    }
    // The first of KEYS given, then the access key: joined by a space.
    let (mut keys, mut fallback) = (KEYS, FALLBACK);
    match (keys.find_map(|at| req.text(at)), req.text(ACCESS_KEY_ID)) {
        (Some(named), Some(id)) => return Some([named, " ", id].concat()),
        (Some(one), None) | (None, Some(one)) => return Some(one.to_owned()),
        (None, None) => {}
    }
    resource_arn(view).or_else(|| fallback.find_map(|at| req.text(at).map(str::to_owned)))
}

/// The first `ARN` (or, in an element without one, `arn`) of the record's `resources[]`, when
/// a string.
fn resource_arn(view: &RecordView<'_>) -> Option<String> {
    let raw = view.resources?.get().as_bytes();
    // Without an escape, a key `ARN` or `arn` is written as it is: none written, none there
    // (most records name no resource, or name it in `requestParameters`), and the resources
    // need no `Value`.
    let found = |name: &[u8]| memchr::memmem::find(raw, name).is_some();
    if !raw.contains(&b'\\') && !found(b"\"ARN\"") && !found(b"\"arn\"") {
        return None;
    }
    let resources = view.resources();
    resources
        .as_array()
        .and_then(|r| r.iter().find_map(|x| x.get("ARN").or_else(|| x.get("arn"))))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// The objects of `bucket` a record names only in `resources[]` (an S3 data event may give
/// the key there and not in `requestParameters`): `s3://bucket/key`, comma-separated.
fn objects_in(bucket: &str, view: &RecordView<'_>) -> Option<String> {
    let raw = view.resources?.get().as_bytes();
    // Without an escape, an object's type is written as it is: none written, none there (a
    // bucket's calls name the bucket alone), and the resources need no `Value`.
    if !raw.contains(&b'\\') && memchr::memmem::find(raw, b"AWS::S3::Object").is_none() {
        return None;
    }
    let resources = view.resources();
    let prefix = format!("{bucket}/");
    let objects: Vec<String> = resources
        .as_array()?
        .iter()
        .filter(|r| r.get("type").and_then(Value::as_str) == Some("AWS::S3::Object"))
        .filter_map(|r| {
            r.get("ARN")
                .or_else(|| r.get("arn"))
                .and_then(Value::as_str)
        })
        // `arn:<partition>:s3:::bucket/key`, in any partition.
        .filter_map(|arn| arn.strip_prefix("arn:")?.split_once(":s3:::"))
        .filter_map(|(_, path)| path.strip_prefix(&prefix))
        .filter(|key| !key.is_empty())
        .map(|key| format!("s3://{bucket}/{key}"))
        .collect();
    (!objects.is_empty()).then(|| objects.join(", "))
}

/// Every name [`target_in`] looks up: the bucket and key, the lists of ids, the access key, and
/// the names that name the target ([`KEYS`]), then those that name it when no resource ARN does
/// ([`FALLBACK`]).
const LOOKED_UP: [&str; 23] = [
    "bucketName",
    "key",
    "secretIdList",
    "names",
    "alarmNames",
    "accessKeyId",
    // KEYS from here.
    "secretId",
    "name",
    "userName",
    "roleName",
    "groupName",
    "policyArn",
    "functionName",
    "trailName",
    "logGroupName",
    "filterName",
    "roleArn",
    "topicArn",
    "keyId",
    "instanceId",
    "documentName",
    // FALLBACK from here.
    "tableName",
    "queueUrl",
];

/// Places in [`LOOKED_UP`]: the bucket, the object's key, the lists of ids, the access key.
const BUCKET: usize = 0;
const KEY: usize = 1;
const LISTS: [usize; 3] = [2, 3, 4];
const ACCESS_KEY_ID: usize = 5;

/// Places of the parameter names that name the target, most specific first.
const KEYS: std::ops::Range<usize> = 6..21;

/// Places of the parameter names that name the target of a call whose record names no
/// resource ARN (a DynamoDB management call's `tableName`, an SQS call's `queueUrl`): a data
/// event's `resources[]` ARN is the more precise, so these come after it.
const FALLBACK: std::ops::Range<usize> = 21..23;

/// Each name of [`LOOKED_UP`] as its length, first, second and last bytes: no two alike (a
/// test holds them to it), so a key of `requestParameters` is told from them in one look at a
/// table, then compared whole once.
const SIGNS: [u32; LOOKED_UP.len()] = {
    let mut signs = [0; LOOKED_UP.len()];
    let mut at = 0;
    while at < LOOKED_UP.len() {
        signs[at] = sign(LOOKED_UP[at].as_bytes());
        at += 1;
    }
    signs
};

const fn sign(name: &[u8]) -> u32 {
    match name {
        [first, second, .., last] => {
            (name.len() as u32 & 0xff) << 24
                | (*first as u32) << 16
                | (*second as u32) << 8
                | *last as u32
        }
        _ => 0,
    }
}

/// The place of `key` in [`LOOKED_UP`].
fn slot_of(key: &str) -> Option<usize> {
    let s = sign(key.as_bytes());
    let at = SIGNS.iter().position(|&x| x == s)?;
    (LOOKED_UP[at] == key).then_some(at)
}

/// The value of a parameter looked up, as `serde_json::Value` would answer `as_str` and
/// `as_array`'s strings.
#[derive(Debug, Clone, PartialEq)]
enum Param<'a> {
    Text(Cow<'a, str>),
    Texts(Vec<Cow<'a, str>>),
    Other,
}

/// `requestParameters` read for the names looked up only (the last of a name repeated wins,
/// as in a `serde_json::Map`), without building a `Value` of all of it.
#[derive(Debug, Default)]
struct Params<'a> {
    found: [Option<Param<'a>>; LOOKED_UP.len()],
}

impl<'a> Params<'a> {
    /// `None` when serde_json cannot read `text` whole (the caller then reads it leniently).
    fn read(text: &'a str) -> Option<Params<'a>> {
        let mut de = serde_json::Deserializer::from_str(text);
        let params = de.deserialize_any(ParamsVisitor).ok()?;
        de.end().ok()?;
        Some(params)
    }
}

impl Lookup for Params<'_> {
    fn text(&self, at: usize) -> Option<&str> {
        match self.found[at].as_ref()? {
            Param::Text(t) => Some(t),
            _ => None,
        }
    }
    fn texts(&self, at: usize) -> Option<Vec<&str>> {
        match self.found[at].as_ref()? {
            Param::Texts(list) => Some(list.iter().map(|t| &**t).collect()),
            _ => None,
        }
    }
}

struct ParamsVisitor;

impl<'de> Visitor<'de> for ParamsVisitor {
    type Value = Params<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("request parameters")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Params<'de>, A::Error> {
        let mut params = Params::default();
        while let Some(slot) = map.next_key_seed(SlotOf)? {
            match slot {
                Some(at) => params.found[at] = Some(map.next_value_seed(ParamSeed)?),
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(params)
    }

    // Anything but an object holds no parameter (as `Value::get` finds none in it).
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Params<'de>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Params::default())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Params<'de>, E> {
        Ok(Params::default())
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Params<'de>, E> {
        Ok(Params::default())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Params<'de>, E> {
        Ok(Params::default())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Params<'de>, E> {
        Ok(Params::default())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Params<'de>, E> {
        Ok(Params::default())
    }
    fn visit_unit<E: de::Error>(self) -> Result<Params<'de>, E> {
        Ok(Params::default())
    }
}

/// A key: its place in [`LOOKED_UP`], if looked up.
struct SlotOf;

impl<'de> DeserializeSeed<'de> for SlotOf {
    type Value = Option<usize>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<usize>, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for SlotOf {
    type Value = Option<usize>;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E: de::Error>(self, key: &str) -> Result<Option<usize>, E> {
        Ok(slot_of(key))
    }
}

/// A looked-up parameter's value.
struct ParamSeed;

impl<'de> DeserializeSeed<'de> for ParamSeed {
    type Value = Param<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Param<'de>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ParamSeed {
    type Value = Param<'de>;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a parameter")
    }
    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Param<'de>, E> {
        Ok(Param::Text(Cow::Borrowed(s)))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Param<'de>, E> {
        Ok(Param::Text(Cow::Owned(s.to_owned())))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Param<'de>, A::Error> {
        let mut texts = Vec::new();
        while let Some(item) = seq.next_element_seed(ParamSeed)? {
            if let Param::Text(t) = item {
                texts.push(t);
            }
        }
        Ok(Param::Texts(texts))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Param<'de>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Param::Other)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Param<'de>, E> {
        Ok(Param::Other)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Param<'de>, E> {
        Ok(Param::Other)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Param<'de>, E> {
        Ok(Param::Other)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Param<'de>, E> {
        Ok(Param::Other)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Param<'de>, E> {
        Ok(Param::Other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(json: &str) -> Option<String> {
        target_of(&RecordView::parse(json).unwrap())
    }

    #[test]
    fn names_the_resource_acted_on() {
        assert_eq!(
            target(r#"{"requestParameters":{"secretId":"Production_Database_Credentials"}}"#)
                .as_deref(),
            Some("Production_Database_Credentials")
        );
        assert_eq!(
            target(r#"{"requestParameters":{"bucketName":"b","key":"k/x"}}"#).as_deref(),
            Some("s3://b/k/x")
        );
        assert_eq!(
            target(r#"{"requestParameters":{"userName":"svc","accessKeyId":"AKIA1","status":"Inactive"}}"#)
                .as_deref(),
            Some("svc AKIA1")
        );
        assert_eq!(
            target(r#"{"requestParameters":null,"resources":[{"ARN":"arn:aws:x"}]}"#).as_deref(),
            Some("arn:aws:x")
        );
        assert_eq!(target(r#"{"requestParameters":null}"#), None);
        // The object only in `resources[]`, as S3 data events may give it.
        assert_eq!(
            target(r#"{"requestParameters":{"bucketName":"b"},"resources":[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::b/test.json"},{"type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::b"}]}"#).as_deref(),
            Some("s3://b/test.json")
        );
        assert_eq!(
            target(r#"{"requestParameters":{"bucketName":"b"},"resources":[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::other/k"}]}"#).as_deref(),
            Some("s3://b")
        );
        assert_eq!(
            target(r#"{"requestParameters":{"alarmNames":["cpu-mon","disk"]}}"#).as_deref(),
            Some("cpu-mon, disk")
        );
    }

    /// The quick reading answers as the `Value` does on what a hostile or odd record holds:
    /// repeated names (the last wins), escapes, lists holding other things, non-objects, and
    /// what serde_json cannot read whole (the lenient way then answers).
    #[test]
    fn the_quick_reading_answers_as_the_value_does() {
        let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
        let cases = [
            r#"{"secretId":"a","secretId":"b"}"#.to_string(),
            r#"{"secretId":"a","secretId":7}"#.to_string(),
            r#"{"secretId":7,"secretId":"a"}"#.to_string(),
            r#"{"secret\u0049d":"esc\"aped\n","accessKeyId":"AKIA\u0031"}"#.to_string(),
            r#"{"bucketName":"b","key":{"x":1}}"#.to_string(),
            r#"{"bucketName":null,"name":"n","userName":"u"}"#.to_string(),
            r#"{"names":["a",1,{"b":2},["c"],"d"],"secretIdList":[]}"#.to_string(),
            r#"{"secretIdList":[1,2],"names":"x","roleName":"r"}"#.to_string(),
            r#"{"secretIdList":"s","names":[],"keyId":"k"}"#.to_string(),
            r#"["secretId","a"]"#.to_string(),
            r#""secretId""#.to_string(),
            r#"{"secretId":"a","n":1e400}"#.to_string(),
            format!(r#"{{"secretId":"a","deep":{deep}}}"#),
            format!(r#"{{"names":["a",{deep}],"other":1}}"#),
            r#"{}"#.to_string(),
            r#"{"tableName":"t","queueUrl":"q"}"#.to_string(),
        ];
        // Read with serde_json's view alone: `RecordView::parse` refuses a record repeating a
        // nested key with different values (a gap, `repeats.rs`), but the readings must agree.
        fn read(record: &str) -> RecordView<'_> {
            serde_json::from_str(record).unwrap()
        }
        for params in cases {
            let record =
                format!(r#"{{"requestParameters":{params},"resources":[{{"ARN":"arn:aws:r"}}]}}"#);
            let view = read(&record);
            assert_eq!(target_of(&view), target_by_value(&view), "{params}");
        }
        // The quick reading takes the escapes and the last of a repeated name itself.
        let record = r#"{"requestParameters":{"secret\u0049d":"a\"b","secretId":"c\u0064"}}"#;
        assert_eq!(target_of(&read(record)).as_deref(), Some("cd"));
        assert!(RecordView::parse(record).is_err());
    }

    /// Each name looked up is found at its own place, and a name close to one (a letter more
    /// or less, reversed, another case) where a search by name finds it: at none, but for
    /// `name` and `names`, which are both looked up.
    #[test]
    fn each_name_looked_up_has_a_place_of_its_own() {
        for (at, name) in LOOKED_UP.iter().enumerate() {
            assert_eq!(slot_of(name), Some(at), "{name}");
            assert_eq!(
                SIGNS.iter().filter(|&&s| s == SIGNS[at]).count(),
                1,
                "{name}"
            );
            let upper = name.to_uppercase();
            let longer = format!("{name}s");
            let swapped: String = name.chars().rev().collect();
            for other in [&name[1..], &upper, &longer, &swapped] {
                let by_name = LOOKED_UP.iter().position(|n| *n == other);
                assert_eq!(slot_of(other), by_name, "{other}");
            }
        }
        for other in [
            "",
            "k",
            "ke",
            "stackName",
            "tailName",
            "tableNome",
            "nam\u{e9}",
        ] {
            assert_eq!(slot_of(other), None, "{other}");
        }
    }

    /// `target_of` as it was before it looked names up by place and before it skipped the
    /// `Value` of `resources` that holds no `ARN`: every name found by name, `resources` read
    /// whole. The tests hold the quick way to it.
    fn target_as_before(view: &RecordView<'_>) -> Option<String> {
        let req = view.request();
        let text = |k: &str| req.get(k).and_then(Value::as_str);
        let texts = |k: &str| {
            let list = req.get(k).and_then(Value::as_array)?;
            Some(list.iter().filter_map(Value::as_str).collect::<Vec<_>>())
        };
        let resources = view.resources();
        if let Some(bucket) = text("bucketName") {
            let prefix = format!("{bucket}/");
            let objects: Vec<String> = (resources.as_array().into_iter().flatten())
                .filter(|r| r.get("type").and_then(Value::as_str) == Some("AWS::S3::Object"))
                .filter_map(|r| {
                    r.get("ARN")
                        .or_else(|| r.get("arn"))
                        .and_then(Value::as_str)
                })
                .filter_map(|arn| arn.strip_prefix("arn:")?.split_once(":s3:::"))
                .filter_map(|(_, path)| path.strip_prefix(&prefix))
                .filter(|key| !key.is_empty())
                .map(|key| format!("s3://{bucket}/{key}"))
                .collect();
            return Some(match text("key") {
                Some(key) => format!("s3://{bucket}/{key}"),
                None if !objects.is_empty() => objects.join(", "),
                None => format!("s3://{bucket}"),
            });
        }
        for list in ["secretIdList", "names", "alarmNames"] {
            if let Some(ids) = texts(list) {
                if !ids.is_empty() {
                    return Some(ids.join(", "));
                }
            }
        }
        let mut parts: Vec<String> = Vec::new();
        if let Some(v) = LOOKED_UP[KEYS].iter().find_map(|k| text(k)) {
            parts.push(v.to_string());
        }
        if let Some(id) = text("accessKeyId") {
            parts.push(id.to_string());
        }
        if !parts.is_empty() {
            return Some(parts.join(" "));
        }
        resources
            .as_array()
            .and_then(|r| r.iter().find_map(|x| x.get("ARN").or_else(|| x.get("arn"))))
            .and_then(Value::as_str)
            .map(str::to_owned)
            .or_else(|| {
                LOOKED_UP[FALLBACK]
                    .iter()
                    .find_map(|k| text(k).map(str::to_owned))
            })
    }

    /// Records made of the names looked up and others, written plainly and with escapes,
    /// holding strings, lists, objects, numbers and nulls, beside `resources` that name an
    /// object, a bucket, an `ARN` or `arn` of another type, escaped keys and types, or none:
    /// the target is the one of before, for every record.
    #[test]
    fn the_target_is_the_one_of_before_on_generated_records() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let mut names: Vec<String> = LOOKED_UP.iter().map(|n| n.to_string()).collect();
        names.extend(["stackName", "Host", "filterSet", "tailName"].map(String::from));
        names.extend(["secret\\u0049d", "bucket\\u004eame", "ke\\u0079"].map(String::from));
        let values = [
            r#""v1""#,
            r#""b/k""#,
            r#""esc\"aped\u0041""#,
            r#"["a","b"]"#,
            r#"["a",1,{"x":2}]"#,
            "[]",
            r#"{"items":[{"x":"y"}]}"#,
            "null",
            "12",
            "true",
            r#""""#,
        ];
        let resources = [
            r#"[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::v1/obj"}]"#,
            r#"[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::b/k/x"},{"type":"AWS::S3::Object","arn":"arn:aws-cn:s3:::v1/two"}]"#,
            r#"[{"type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::v1"}]"#,
            r#"[{"type":"AWS::S3::Obj\u0065ct","ARN":"arn:aws:s3:::v1/escaped"}]"#,
            r#"[{"type":"AWS::KMS::Key","arn":"arn:aws:kms:us-east-1:1:key/k"}]"#,
            r#"[{"accountId":"1","AR\u004e":"arn:aws:escaped"}]"#,
            r#"[{"ARN":7},{"ARN":"arn:aws:second"}]"#,
            r#"[{"x":1},{"arn":"arn:aws:lower","ARN":null}]"#,
            r#"{"ARN":"arn:aws:not-a-list"}"#,
            r#"["ARN"]"#,
            "[]",
            "null",
        ];
        let mut checked = 0;
        for _ in 0..20_000 {
            let params = (0..next(5))
                .map(|_| {
                    format!(
                        r#""{}":{}"#,
                        names[next(names.len())],
                        values[next(values.len())]
                    )
                })
                .collect::<Vec<_>>()
                .join(",");
            let mut record = format!(r#"{{"requestParameters":{{{params}}}"#);
            if next(4) > 0 {
                record.push_str(&format!(
                    r#","resources":{}"#,
                    resources[next(resources.len())]
                ));
            }
            record.push('}');
            let view: RecordView<'_> = serde_json::from_str(&record).unwrap();
            assert_eq!(target_of(&view), target_as_before(&view), "{record}");
            checked += usize::from(target_of(&view).is_some());
        }
        assert!(checked > 10_000, "{checked}");
    }
}
