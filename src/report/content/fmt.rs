//! How times, durations and identifiers read in the report.
//!
//! Every instant the report prints goes through [`time`]: ISO 8601 UTC, `2026-11-20T14:02:17Z`,
//! with milliseconds only where the source has them (alarm history, metrics). A moment relative to
//! the first read is an [`offset`], `T+00:29`. Never a locale format, never "UTC" after a time.

use crate::model::Timestamp;

/// `2026-11-20T14:02:17Z`, or `2026-11-20T14:05:21.532Z` when the source has milliseconds.
pub fn time(t: Timestamp) -> String {
    t.to_rfc3339()
}

pub fn opt_time(t: Option<Timestamp>) -> String {
    t.map(time).unwrap_or_else(|| "unknown".into())
}

/// Seconds after the first read as an offset: `T+00:29`, `T+03:04.5`, `T-07:07`, `T+1:57:00`
/// (tenths only when the instants had milliseconds).
pub fn offset(secs: f64) -> String {
    let sign = if secs < 0.0 { '-' } else { '+' };
    let tenths = (secs.abs() * 10.0).round() as i64;
    let (whole, frac) = (tenths / 10, tenths % 10);
    let (h, m, s) = (whole / 3600, (whole / 60) % 60, whole % 60);
    let clock = if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    };
    if frac == 0 {
        format!("T{sign}{clock}")
    } else {
        format!("T{sign}{clock}.{frac}")
    }
}

/// `29 s`, `3 min 4.5 s`, `2 h 5 min`.
pub fn duration(secs: f64) -> String {
    let neg = secs < 0.0;
    let s = secs.abs();
    let text = if s < 60.0 {
        format!("{} s", trim(s))
    } else if s < 3600.0 {
        let m = (s / 60.0).floor();
        format!("{} min {} s", m, trim(s - m * 60.0))
    } else {
        let h = (s / 3600.0).floor();
        format!("{} h {} min", h, ((s - h * 3600.0) / 60.0).floor())
    };
    if neg {
        format!("-{text}")
    } else {
        text
    }
}

pub fn opt_duration(secs: Option<f64>) -> String {
    secs.map(duration).unwrap_or_else(|| "unknown".into())
}

fn trim(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

/// A SHA-256 (64 hex digits) in two lines of 32, for a narrow monospace column: auditors
/// compare it in halves; `verify --report` reads the two halves back as one. Anything else is
/// returned as it is.
pub fn sha256_lines(hash: &str) -> String {
    if hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        format!("{}\n{}", &hash[..32], &hash[32..])
    } else {
        hash.to_string()
    }
}

/// Shorten a long value visibly: keep both ends, mark the cut.
pub fn shorten(s: &str, max: usize) -> String {
    let n = s.chars().count();
    if n <= max {
        return s.to_string();
    }
    let head: String = s.chars().take(max * 2 / 3).collect();
    let tail: String = s.chars().skip(n - (max / 3).saturating_sub(1)).collect();
    format!("{head}…{tail}")
}

/// "a", "a and b", "a, b and c" (empty for none).
pub fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(29.0), "29 s");
        assert_eq!(duration(184.532), "3 min 4.5 s");
        assert_eq!(duration(7500.0), "2 h 5 min");
    }

    #[test]
    fn times_are_iso_8601_utc() {
        assert_eq!(
            time(Timestamp(1_795_615_337_532)),
            "2026-11-25T14:02:17.532Z"
        );
        assert_eq!(
            time(Timestamp::from_secs(1_795_615_337)),
            "2026-11-25T14:02:17Z"
        );
        assert_eq!(opt_time(None), "unknown");
    }

    #[test]
    fn offsets_count_from_the_first_read() {
        assert_eq!(offset(0.0), "T+00:00");
        assert_eq!(offset(29.0), "T+00:29");
        assert_eq!(offset(184.532), "T+03:04.5");
        assert_eq!(offset(-427.0), "T-07:07");
        assert_eq!(offset(7020.0), "T+1:57:00");
        assert_eq!(offset(59.96), "T+01:00", "rounding carries into the minute");
    }

    #[test]
    fn a_sha256_is_printed_in_two_halves() {
        let h = "0123456789abcdef".repeat(4);
        assert_eq!(sha256_lines(&h), format!("{}\n{}", &h[..32], &h[32..]));
        assert_eq!(sha256_lines("not a hash"), "not a hash");
    }

    #[test]
    fn shortening_is_visible() {
        let s = shorten(&"a".repeat(100), 30);
        assert!(s.contains('…') && s.chars().count() <= 30);
    }
}
