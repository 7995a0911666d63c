//! Tolerant parsing of the timestamps found in digest files and ListPublicKeys output.
//!
//! Pure functions over strings and JSON values; knows nothing about files.

use crate::parse::time::parse_time;
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};

/// Parse a digest timestamp such as `2015-08-17T15:01:31Z`.
///
/// The evidence's own timestamp parser ([`parse_time`]) does the work: it tolerates a doubled
/// date/time separator (`2025-10-21TT00:52:27Z`, seen in the OpenTelemetry digest fixture), a
/// space instead of `T`, fractional seconds and numeric offsets. The compact basic format
/// (`20251021T005227Z`) is added here. Returns `None` when the text is not a timestamp at all:
/// callers decide whether that is fatal.
pub(crate) fn parse_timestamp(raw: &str) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    if let Some(t) = parse_time(raw) {
        return DateTime::from_timestamp_millis(t.millis());
    }
    NaiveDateTime::parse_from_str(raw, "%Y%m%dT%H%M%SZ")
        .ok()
        .map(|t| Utc.from_utc_datetime(&t))
}

/// Parse a ListPublicKeys validity time: an epoch number (`1453076702.0`, as the CLI prints it), the same as
/// a string (`"1436317441.0"`, as the user guide shows it), or an ISO 8601 string (CLI v2 `--cli-timestamp-format iso8601`).
pub(crate) fn parse_validity_time(value: &serde_json::Value) -> Option<DateTime<Utc>> {
    match value {
        serde_json::Value::Number(n) => epoch(n.as_f64()?),
        serde_json::Value::String(s) => match s.trim().parse::<f64>() {
            Ok(secs) => epoch(secs),
            Err(_) => parse_timestamp(s),
        },
        _ => None,
    }
}

fn epoch(secs: f64) -> Option<DateTime<Utc>> {
    if !secs.is_finite() {
        return None;
    }
    // Whole seconds are all AWS gives; the fraction is always `.0`.
    DateTime::from_timestamp(secs.floor() as i64, 0)
}

/// Format a time the way digest files write it.
pub(crate) fn format_timestamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_plain_and_quirky_digest_times() {
        let want = Utc.with_ymd_and_hms(2025, 10, 21, 0, 52, 27).unwrap();
        assert_eq!(parse_timestamp("2025-10-21T00:52:27Z"), Some(want));
        assert_eq!(parse_timestamp("2025-10-21TT00:52:27Z"), Some(want));
        assert_eq!(parse_timestamp("2025-10-21 00:52:27"), Some(want));
        assert_eq!(parse_timestamp("2025-10-21T02:52:27+02:00"), Some(want));
        assert_eq!(parse_timestamp("20251021T005227Z"), Some(want));
        assert_eq!(parse_timestamp("not a time"), None);
        assert_eq!(parse_timestamp(""), None);
    }

    #[test]
    fn parses_validity_times_in_all_cli_shapes() {
        let want = DateTime::from_timestamp(1453076702, 0).unwrap();
        assert_eq!(
            parse_validity_time(&serde_json::json!(1453076702.0)),
            Some(want)
        );
        assert_eq!(
            parse_validity_time(&serde_json::json!("1453076702.0")),
            Some(want)
        );
        assert_eq!(
            parse_validity_time(&serde_json::json!("2016-01-18T00:25:02+00:00")),
            Some(want)
        );
        assert_eq!(parse_validity_time(&serde_json::json!(null)), None);
        assert_eq!(parse_validity_time(&serde_json::json!(f64::MAX)), None);
    }
}
