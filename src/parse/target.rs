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

/// Where [`target_of`] looks up a parameter: a string, or the strings of a list.
trait Lookup {
    fn text(&self, key: &str) -> Option<&str>;
    fn texts(&self, key: &str) -> Option<Vec<&str>>;
}

impl Lookup for Value {
    fn text(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Value::as_str)
    }
    fn texts(&self, key: &str) -> Option<Vec<&str>> {
        let list = self.get(key).and_then(Value::as_array)?;
        Some(list.iter().filter_map(Value::as_str).collect())
    }
}

fn target_in(req: &impl Lookup, view: &RecordView<'_>) -> Option<String> {
    if let Some(bucket) = req.text("bucketName") {
        return Some(match req.text("key") {
            Some(key) => format!("s3://{bucket}/{key}"),
            None => objects_in(bucket, view).unwrap_or_else(|| format!("s3://{bucket}")),
        });
    }
    for list in ["secretIdList", "names", "alarmNames"] {
        if let Some(ids) = req.texts(list) {
            if !ids.is_empty() {
                return Some(ids.join(", "));
            }
        }
    }
    let mut parts: Vec<String> = Vec::new();
    for key in KEYS {
        if let Some(v) = req.text(key) {
            parts.push(v.to_string());
            break;
        }
    }
    if let Some(id) = req.text("accessKeyId") {
        parts.push(id.to_string());
    }
    if !parts.is_empty() {
        return Some(parts.join(" "));
    }
    let resources = view.resources();
    resources
        .as_array()
        .and_then(|r| r.iter().find_map(|x| x.get("ARN").or_else(|| x.get("arn"))))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| FALLBACK.iter().find_map(|k| req.text(k).map(str::to_owned)))
}

/// The objects of `bucket` a record names only in `resources[]` (an S3 data event may give
/// the key there and not in `requestParameters`): `s3://bucket/key`, comma-separated.
fn objects_in(bucket: &str, view: &RecordView<'_>) -> Option<String> {
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

/// Parameter names that name the target, most specific first.
const KEYS: &[&str] = LOOKED_UP.split_at(6).1.split_at(15).0;

/// Parameter names that name the target of a call whose record names no resource ARN (a
/// DynamoDB management call's `tableName`, an SQS call's `queueUrl`): a data event's
/// `resources[]` ARN is the more precise, so these come after it.
const FALLBACK: &[&str] = LOOKED_UP.split_at(21).1;

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

    fn get(&self, key: &str) -> Option<&Param<'a>> {
        let at = LOOKED_UP.iter().position(|k| *k == key)?;
        self.found[at].as_ref()
    }
}

impl Lookup for Params<'_> {
    fn text(&self, key: &str) -> Option<&str> {
        match self.get(key)? {
            Param::Text(t) => Some(t),
            _ => None,
        }
    }
    fn texts(&self, key: &str) -> Option<Vec<&str>> {
        match self.get(key)? {
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
        Ok(LOOKED_UP.iter().position(|k| *k == key))
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
}
