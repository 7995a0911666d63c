//! How times, durations and identifiers read in the report.

use crate::model::Timestamp;

/// `2026-11-20 14:02:17 UTC` (milliseconds when present).
pub fn time(t: Timestamp) -> String {
    t.to_rfc3339().replace('T', " ").replace('Z', " UTC")
}

/// `14:02:17` (or with milliseconds), for tables whose date is stated once.
pub fn clock(t: Timestamp) -> String {
    let s = t.to_rfc3339();
    s[11..s.len() - 1].to_string()
}

pub fn opt_time(t: Option<Timestamp>) -> String {
    t.map(time).unwrap_or_else(|| "unknown".into())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(29.0), "29 s");
        assert_eq!(duration(184.532), "3 min 4.5 s");
        assert_eq!(duration(7500.0), "2 h 5 min");
        assert_eq!(
            time(Timestamp(1_795_615_337_532)),
            "2026-11-25 14:02:17.532 UTC"
        );
        assert_eq!(clock(Timestamp::from_secs(1_795_615_337)), "14:02:17");
    }

    #[test]
    fn shortening_is_visible() {
        let s = shorten(&"a".repeat(100), 30);
        assert!(s.contains('…') && s.chars().count() <= 30);
    }
}
