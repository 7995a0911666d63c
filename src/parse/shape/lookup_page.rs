//! What a LookupEvents page cannot hold. LookupEvents looks up management events and CloudTrail
//! Insights events (AWS CloudTrail API Reference, LookupEvents); CloudTrail's event history, which
//! it reads, records no data events (AWS S3 User Guide, "Amazon S3 CloudTrail events") nor network
//! activity events. A page holding one is not, or not only, what LookupEvents answered: the
//! record is read and analysed as any other, and the page's claim is an evidence gap
//! (`not_lookup_events`) at the record's index. Pure: looks at the record's text only (its
//! top-level fields, read as JSON reads them).

use crate::parse::record::RecordView;

/// Why the record cannot have come from LookupEvents, or `None` when it can: its
/// `eventCategory` is neither `Management` nor `Insight`, or, without one, `managementEvent` is
/// `false`. Only the record's own (top-level) fields count, their keys read as JSON reads them
/// (`"event\u0043ategory"` is `eventCategory`); the same key inside `requestParameters` is the
/// call's data. A field written twice counts by each of its values: one that says "data" is
/// enough.
pub fn not_lookup_events(raw: &str, view: &RecordView<'_>) -> Option<String> {
    let fields = Fields::of(raw)?;
    let management_false = fields.management_false;
    let what = match fields.category() {
        Some(Category::Fits) => return None,
        Some(Category::Data) => "the data event".to_string(),
        Some(Category::NetworkActivity) => "the network activity event".to_string(),
        Some(Category::Other(other)) => format!("an event of category {other:?}"),
        Some(Category::NotText) => "an event whose eventCategory is not text".to_string(),
        None if management_false => "the data event (managementEvent false)".to_string(),
        None => return None,
    };
    let name = view.event_name.as_str().unwrap_or("(no eventName)");
    let id = view.event_id.as_str().unwrap_or("(no eventID)");
    Some(format!(
        "a LookupEvents page holds {what} {name} (eventID {id}): LookupEvents returns no data events (management and Insights events only), so this page is not, or not only, what LookupEvents answered; the record was read and analysed, but that it came from LookupEvents is not established"
    ))
}

/// What an `eventCategory` says of the record.
#[derive(Debug, PartialEq)]
enum Category {
    /// `Management` or `Insight`: what LookupEvents returns.
    Fits,
    Data,
    NetworkActivity,
    Other(String),
    NotText,
}

/// The record's top-level `eventCategory` values (each time it is written, `null` not counted)
/// and whether a top-level `managementEvent` is `false`.
#[derive(Debug, Default)]
struct Fields {
    categories: Vec<Category>,
    management_false: bool,
}

impl Fields {
    /// `None` when `raw` is not a JSON object (a record read into a view always is).
    fn of(raw: &str) -> Option<Fields> {
        // Most records name neither key, and no escape can spell one: not read again.
        let finder = |word: &str| memchr::memmem::find(raw.as_bytes(), word.as_bytes()).is_some();
        if !finder("eventCategory") && !finder("managementEvent") && !finder("\\u") {
            return Some(Fields::default());
        }
        let mut de = serde_json::Deserializer::from_str(raw);
        serde::Deserializer::deserialize_map(&mut de, FieldsVisitor).ok()
    }

    /// The first value that does not fit a LookupEvents page, else `Fits` if any was written.
    fn category(self) -> Option<Category> {
        let mut categories = self.categories.into_iter();
        let first = categories.next()?;
        if first != Category::Fits {
            return Some(first);
        }
        Some(categories.find(|c| *c != Category::Fits).unwrap_or(first))
    }
}

struct FieldsVisitor;

impl<'de> serde::de::Visitor<'de> for FieldsVisitor {
    type Value = Fields;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a CloudTrail record")
    }

    fn visit_map<M: serde::de::MapAccess<'de>>(self, mut m: M) -> Result<Fields, M::Error> {
        use serde_json::Value;
        let mut fields = Fields::default();
        while let Some(key) = m.next_key::<Key>()? {
            match key {
                Key::Category => match m.next_value::<Value>()? {
                    Value::Null => {}
                    Value::String(c) => fields.categories.push(match c.as_str() {
                        "Management" | "Insight" => Category::Fits,
                        "Data" => Category::Data,
                        "NetworkActivity" => Category::NetworkActivity,
                        _ => Category::Other(c),
                    }),
                    _ => fields.categories.push(Category::NotText),
                },
                Key::Management => {
                    let value = m.next_value::<Value>()?;
                    fields.management_false |= value == Value::Bool(false);
                }
                Key::Other => {
                    m.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        Ok(fields)
    }
}

/// A top-level key, decoded (escapes read: the key as any JSON reader has it), not kept.
enum Key {
    Category,
    Management,
    Other,
}

impl<'de> serde::Deserialize<'de> for Key {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Key;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<Key, E> {
                Ok(match key {
                    "eventCategory" => Key::Category,
                    "managementEvent" => Key::Management,
                    _ => Key::Other,
                })
            }
        }
        d.deserialize_str(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(raw: &str) -> Option<String> {
        not_lookup_events(raw, &RecordView::parse(raw).unwrap())
    }

    #[test]
    fn only_management_and_insights_events_fit_a_page() {
        let base = r#""eventTime":"2026-11-20T10:00:00Z","eventID":"e-1","eventName":"GetObject""#;
        assert!(check(&format!(r#"{{{base},"eventCategory":"Data"}}"#))
            .is_some_and(|r| r.contains("the data event GetObject (eventID e-1)")));
        assert!(check(&format!(r#"{{{base},"managementEvent":false}}"#)).is_some());
        assert!(
            check(&format!(r#"{{{base},"eventCategory":"NetworkActivity"}}"#))
                .is_some_and(|r| r.contains("network activity"))
        );
        assert_eq!(
            check(&format!(r#"{{{base},"eventCategory":"Management"}}"#)),
            None
        );
        assert_eq!(
            check(&format!(r#"{{{base},"eventCategory":"Insight"}}"#)),
            None
        );
        // An older record without either field is taken at its word.
        assert_eq!(check(&format!("{{{base}}}")), None);
    }

    /// Only the record's own fields count, however their keys are written: a nested
    /// `eventCategory` (the call's data) neither hides nor makes a data event.
    #[test]
    fn only_the_top_level_field_counts_escaped_or_not() {
        let base = r#""eventTime":"2026-11-20T10:00:00Z","eventID":"e-1","eventName":"GetObject""#;
        let nested = |c: &str| {
            format!(r#""requestParameters":{{"eventCategory":"{c}","managementEvent":false}}"#)
        };
        let data = |r: Option<String>| r.is_some_and(|r| r.contains("the data event GetObject"));
        // Nested first, then the record's own: today's first match was the nested one.
        assert!(data(check(&format!(
            r#"{{{base},{},"eventCategory":"Data"}}"#,
            nested("Management")
        ))));
        assert_eq!(
            check(&format!(
                r#"{{{base},{},"eventCategory":"Management"}}"#,
                nested("Data")
            )),
            None
        );
        assert_eq!(check(&format!("{{{base},{}}}", nested("Data"))), None);
        // An escaped key is the key.
        assert!(data(check(&format!(
            r#"{{{base},"event\u0043ategory":"Data"}}"#
        ))));
        assert!(
            check(&format!(r#"{{{base},"m\u0061nagementEvent":false}}"#))
                .is_some_and(|r| r.contains("the data event (managementEvent false) GetObject"))
        );
        // Written twice with different values: which one AWS wrote is not known, so the record
        // is not read (a gap naming the key), as any key a record writes twice differently.
        let twice = format!(r#"{{{base},"eventCategory":"Management","eventCategory":"Data"}}"#);
        assert!(RecordView::parse(&twice).is_err_and(|p| p
            .reason
            .contains("the key `eventCategory` twice with different values")));
        assert_eq!(check(&format!(r#"{{{base},"eventCategory":null}}"#)), None);
        assert!(check(&format!(r#"{{{base},"eventCategory":5}}"#))
            .is_some_and(|r| r.contains("eventCategory is not text")));
    }
}
