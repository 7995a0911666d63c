//! Streaming the arrays of a top-level object (`Records`, `Events`, `events`, `logEvents`) one
//! element at a time, so a large document is never held as a whole `Value`. A key written twice
//! is streamed each time, and named in a `repeated_key` gap (`document_keys.rs`).

use super::Ctx;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::fmt;

/// Result of walking a top-level object: whether one of its arrays was streamed.
pub(super) struct Top {
    pub(super) streamed: bool,
}

pub(super) struct TopVisitor<'c, 's> {
    pub(super) ctx: &'c mut Ctx<'s>,
}

impl<'de> Visitor<'de> for TopVisitor<'_, '_> {
    type Value = Top;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Top, A::Error> {
        let mut streamed = false;
        // Every key, with the number of elements of an array streamed under it: a key written
        // twice is looked for once the object is read (sorting: no cost per key but a push).
        let mut keys: Vec<(Cow<'de, str>, Option<u64>)> = Vec::new();
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            let mut elements = None;
            match streamed_key(key.as_ref()) {
                Some((key, kind)) => {
                    let fresh = self.ctx.scan.kinds.insert(kind);
                    let (records, kinds) = (self.ctx.scan.records, self.ctx.scan.kinds.len());
                    elements = map.next_value_seed(ElementsSeed {
                        ctx: &mut *self.ctx,
                        key,
                    })?;
                    streamed |= elements.is_some();
                    // `"Records": null` holds no records: no trail file (nor a rejected record).
                    if elements.is_none() && fresh {
                        self.ctx.scan.kinds.remove(kind);
                    }
                    self.ctx
                        .records_of_other_things(key, kind, fresh, (records, kinds));
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            keys.push((key, elements));
        }
        // A document read as a `Value` is told by `Ctx::single`.
        if streamed {
            let repeated = super::document_keys::repeated_among(&keys);
            self.ctx.repeated_top_keys(&repeated, 0, true);
        }
        Ok(Top { streamed })
    }
}

/// The keys whose arrays are streamed element by element, with the document kind each names.
pub(super) fn streamed_key(key: &str) -> Option<(&'static str, &'static str)> {
    match key {
        "Records" => Some(("Records", "cloudtrail-records")),
        "Events" => Some(("Events", "lookup-events")),
        "events" => Some(("events", "cloudwatch-logs")),
        "logEvents" => Some(("logEvents", "cloudwatch-logs")),
        _ => None,
    }
}

impl Ctx<'_> {
    /// After the array under a streamed key: a `Records` array of other things (a Lambda SNS
    /// event's notifications) is not a trail file, it is named by what it held. `fresh`: the
    /// kind was new; `before`: the records and kinds counted before the array.
    pub(super) fn records_of_other_things(
        &mut self,
        key: &str,
        kind: &'static str,
        fresh: bool,
        (records, kinds): (u64, usize),
    ) {
        let scan = &mut self.scan;
        if key == "Records" && fresh && scan.records == records && scan.kinds.len() > kinds {
            scan.kinds.remove(kind);
        }
    }
}

struct ElementsSeed<'c, 's> {
    ctx: &'c mut Ctx<'s>,
    key: &'static str,
}

impl<'de> DeserializeSeed<'de> for ElementsSeed<'_, '_> {
    type Value = Option<u64>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<u64>, D::Error> {
        d.deserialize_any(ElementsVisitor {
            ctx: self.ctx,
            key: self.key,
        })
    }
}

/// Streams the elements of an array (how many: `Some`); anything else under a streamed key is
/// ignored (`None`).
pub(super) struct ElementsVisitor<'c, 's> {
    pub(super) ctx: &'c mut Ctx<'s>,
    pub(super) key: &'static str,
}

impl<'de> Visitor<'de> for ElementsVisitor<'_, '_> {
    type Value = Option<u64>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<u64>, A::Error> {
        let mut n = 0;
        while let Some(raw) = seq.next_element::<&'de RawValue>()? {
            self.ctx.element(self.key, raw);
            // Where a resync after a syntax error reads on from (`resync.rs`).
            self.ctx.handled_end = raw.get().as_ptr() as usize + raw.get().len();
            n += 1;
        }
        Ok(Some(n))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<u64>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Option<u64>, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Option<u64>, E> {
        Ok(None)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Option<u64>, E> {
        Ok(None)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Option<u64>, E> {
        Ok(None)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Option<u64>, E> {
        Ok(None)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Option<u64>, E> {
        Ok(None)
    }
}
