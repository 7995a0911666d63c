//! What a LookupEvents page cannot hold. LookupEvents looks up management events and CloudTrail
//! Insights events (AWS CloudTrail API Reference, LookupEvents); CloudTrail's event history, which
//! it reads, records no data events (AWS S3 User Guide, "Amazon S3 CloudTrail events") nor network
//! activity events. A page holding one is not, or not only, what LookupEvents answered: the
//! record is read and analysed as any other, and the page's claim is an evidence gap
//! (`not_lookup_events`) at the record's index. Pure: looks at the record's text only.

use crate::parse::record::RecordView;

/// Why the record cannot have come from LookupEvents, or `None` when it can: its
/// `eventCategory` is neither `Management` nor `Insight`, or, without one, `managementEvent` is
/// `false`.
pub fn not_lookup_events(raw: &str, view: &RecordView<'_>) -> Option<String> {
    let what = match string_field(raw, "\"eventCategory\"") {
        Some("Management" | "Insight") => return None,
        Some("Data") => "the data event".to_string(),
        Some("NetworkActivity") => "the network activity event".to_string(),
        Some(other) => format!("an event of category {other:?}"),
        None if bool_field_false(raw, "\"managementEvent\"") => {
            "the data event (managementEvent false)".to_string()
        }
        None => return None,
    };
    let name = view.event_name.as_str().unwrap_or("(no eventName)");
    let id = view.event_id.as_str().unwrap_or("(no eventID)");
    Some(format!(
        "a LookupEvents page holds {what} {name} (eventID {id}): LookupEvents returns no data events (management and Insights events only), so this page is not, or not only, what LookupEvents answered; the record was read and analysed, but that it came from LookupEvents is not established"
    ))
}

/// The string value of the first `key` (quoted) in `raw` that has one.
fn string_field<'r>(raw: &'r str, key: &str) -> Option<&'r str> {
    raw.match_indices(key).find_map(|(at, _)| {
        let rest = raw[at + key.len()..].trim_start().strip_prefix(':')?;
        let rest = rest.trim_start().strip_prefix('"')?;
        rest.split_once('"').map(|(value, _)| value)
    })
}

fn bool_field_false(raw: &str, key: &str) -> bool {
    raw.match_indices(key).any(|(at, _)| {
        raw[at + key.len()..]
            .trim_start()
            .strip_prefix(':')
            .is_some_and(|r| r.trim_start().starts_with("false"))
    })
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
}
