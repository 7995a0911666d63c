//! Timestamps as they really appear in the evidence (see SOURCES.md, "Notes for parser authors").
//!
//! Accepted: `2026-11-20T14:02:17Z`, fractions, `+11:00` / `-0800` / `+0000` offsets, a space
//! instead of `T`, no zone (taken as UTC), `TT` (a digest quirk), spaces after colons
//! (`12: 36: 15.490+0000`), and epoch seconds or milliseconds as numbers. An offset must be a
//! real one (hours 00-23, minutes 00-59): anything else is not a time, and the record a gap.

use crate::model::Timestamp;
use serde_json::Value;
use std::borrow::Cow;

/// STS's `credentials.expiration` as CloudTrail records it (`Nov 20, 2026, 4:00:41 PM`, UTC;
/// some published records leave out the comma after the year, as the `deletionDate` of AWS's
/// DeleteSecret example and Panther's test events do: `Nov 20, 2026 4:00:41 PM`), or an RFC 3339
/// time; `None` when it is none of them.
pub fn sts_expiration(text: &str) -> Option<Timestamp> {
    if let Some(t) = parse_time(text) {
        return Some(t);
    }
    let text = text.trim();
    let t = ["%b %d, %Y, %I:%M:%S %p", "%b %d, %Y %I:%M:%S %p"]
        .iter()
        .find_map(|f| chrono::NaiveDateTime::parse_from_str(text, f).ok())?;
    Some(Timestamp(t.and_utc().timestamp() * 1000))
}

/// Parse a textual timestamp; `None` when it is not one (e.g. `"redacted"`).
pub fn parse_time(text: &str) -> Option<Timestamp> {
    // CloudTrail's own shape, nearly every record: no cleaning, no offset, no calendar library.
    if let Some(t) = plain_utc(text.as_bytes()) {
        return Some(t);
    }
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if text.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return text.parse::<f64>().ok().and_then(epoch_number);
    }
    let cleaned = clean(text);
    let b = cleaned.as_bytes();
    if b.len() < 19 {
        return None;
    }
    let year = digits(&b[0..4])?;
    let month = digits(&b[5..7])?;
    let day = digits(&b[8..10])?;
    if b[4] != b'-' || b[7] != b'-' || !(b[10] == b'T' || b[10] == b't' || b[10] == b' ') {
        return None;
    }
    let hour = digits(&b[11..13])?;
    let minute = digits(&b[14..16])?;
    let second = digits(&b[17..19])?;
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let mut rest = &b[19..];
    let mut millis = 0i64;
    if let Some((&b'.', frac)) = rest.split_first() {
        let n = frac.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return None;
        }
        let mut scaled = 0i64;
        for (i, c) in frac[..n].iter().take(3).enumerate() {
            scaled += i64::from(c - b'0') * 10i64.pow(2 - i as u32);
        }
        millis = scaled;
        rest = &frac[n..];
    }
    let offset_secs = parse_zone(rest)?;
    let date = chrono::NaiveDate::from_ymd_opt(year as i32, month, day)?;
    let time = chrono::NaiveTime::from_hms_opt(hour, minute, second)?;
    let secs = date.and_time(time).and_utc().timestamp() - offset_secs;
    Some(Timestamp(secs * 1000 + millis))
}

/// `YYYY-MM-DDTHH:MM:SSZ` exactly, as CloudTrail writes `eventTime`; `None` for any other
/// shape (which the general way then reads) and for an impossible date or time, which the
/// general way refuses as well.
fn plain_utc(b: &[u8]) -> Option<Timestamp> {
    let &[y1, y2, y3, y4, b'-', mo1, mo2, b'-', d1, d2, b'T', h1, h2, b':', mi1, mi2, b':', s1, s2, b'Z'] =
        b
    else {
        return None;
    };
    let date = [y1, y2, y3, y4, b'-', mo1, mo2, b'-', d1, d2];
    let days = match LAST_DATE.get() {
        (last, days) if last == date => days,
        _ => {
            let days = date_days(date)?;
            LAST_DATE.set((date, days));
            days
        }
    };
    let (hour, minute, second) = (digits(&[h1, h2])?, digits(&[mi1, mi2])?, digits(&[s1, s2])?);
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let secs = days * 86_400 + i64::from(hour * 3600 + minute * 60 + second);
    Some(Timestamp(secs * 1000))
}

thread_local! {
    /// The last valid date [`plain_utc`] read (`YYYY-MM-DD`) and its day number: the records of
    /// one file share one or two dates, and the bytes compare in less than the calendar takes.
    /// The initial bytes hold no `-` where a date has one, so they match no date.
    static LAST_DATE: std::cell::Cell<([u8; 10], i64)> =
        const { std::cell::Cell::new(([0; 10], 0)) };
}

/// Days from 1970-01-01 to the date `YYYY-MM-DD` of `date`; `None` when it does not exist.
fn date_days(date: [u8; 10]) -> Option<i64> {
    let year = digits(&date[0..4])?;
    let month = digits(&date[5..7])?;
    let day = digits(&date[8..10])?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    Some(days_from_civil(i64::from(year), month, day))
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Epoch seconds (`1424476529.0`) or milliseconds (`1418530010000`), told apart by magnitude.
pub fn epoch_number(n: f64) -> Option<Timestamp> {
    if !n.is_finite() || n < 0.0 {
        return None;
    }
    if n >= 1e11 {
        Some(Timestamp(n as i64))
    } else {
        Some(Timestamp((n * 1000.0).round() as i64))
    }
}

/// Drops the spaces after colons and doubled `T`s; borrows when there are none (nearly always:
/// this runs for every record read).
fn clean(text: &str) -> Cow<'_, str> {
    if !text.contains(": ") && !text.contains("TT") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut prev = '\0';
    for c in text.chars() {
        if c == ' ' && prev == ':' {
            continue;
        }
        if c == 'T' && prev == 'T' {
            continue;
        }
        out.push(c);
        prev = c;
    }
    Cow::Owned(out)
}

fn digits(b: &[u8]) -> Option<u32> {
    let mut v = 0u32;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(c - b'0');
    }
    Some(v)
}

fn parse_zone(rest: &[u8]) -> Option<i64> {
    let rest = trim_ascii(rest);
    match rest {
        [] | [b'Z'] | [b'z'] => Some(0),
        _ if rest.eq_ignore_ascii_case(b"UTC") || rest.eq_ignore_ascii_case(b"GMT") => Some(0),
        // RFC 3339 `+hh:mm`, or `+hhmm` as some exporters write it: hours 00-23, minutes 00-59.
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] | [sign @ (b'+' | b'-'), h1, h2, m1, m2] => {
            let h = i64::from(digits(&[*h1, *h2])?);
            let m = i64::from(digits(&[*m1, *m2])?);
            if h > 23 || m > 59 {
                return None;
            }
            let secs = h * 3600 + m * 60;
            Some(if *sign == b'-' { -secs } else { secs })
        }
        _ => None,
    }
}

fn trim_ascii(b: &[u8]) -> &[u8] {
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    &b[start..end]
}

/// A time given as text or as epoch seconds / milliseconds.
pub(crate) fn value_time(v: &Value) -> Option<Timestamp> {
    match v {
        Value::String(s) => parse_time(s),
        Value::Number(n) => n.as_f64().and_then(epoch_number),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> String {
        parse_time(s)
            .map(|t| t.to_rfc3339())
            .unwrap_or_else(|| "none".into())
    }

    #[test]
    fn every_shape_seen_in_the_shared_samples() {
        assert_eq!(t("2026-11-20T14:02:17+23:59"), "2026-11-19T14:03:17Z");
        assert_eq!(t("2026-11-20T14:02:17-0000"), "2026-11-20T14:02:17Z");
        assert_eq!(t("2026-11-20T14:02:17Z"), "2026-11-20T14:02:17Z");
        assert_eq!(t("2024-10-17 21:48:45.000000000"), "2024-10-17T21:48:45Z");
        assert_eq!(t("2022-07-17 04:50:23"), "2022-07-17T04:50:23Z");
        assert_eq!(t("2022-02-08 09:23:37+11:00"), "2022-02-07T22:23:37Z");
        assert_eq!(t("2021-11-18T09:41:02-08:00"), "2021-11-18T17:41:02Z");
        assert_eq!(
            t("2014-04-09T18:59:06.419+0000"),
            "2014-04-09T18:59:06.419Z"
        );
        assert_eq!(
            t("2023-08-04T12: 36: 15.490+0000"),
            "2023-08-04T12:36:15.490Z"
        );
        assert_eq!(t("2025-10-21TT00:52:27Z"), "2025-10-21T00:52:27Z");
        assert_eq!(t("1424476529.0"), "2015-02-20T23:55:29Z");
        assert_eq!(
            t("2026-11-20T14:05:21.532000+00:00"),
            "2026-11-20T14:05:21.532Z"
        );
    }

    /// The shortcut for CloudTrail's own shape and the general way agree on every day of four
    /// centuries (leap days, century years, the days that do not exist) at times that test
    /// each field's bounds, and on the times that do not exist.
    #[test]
    fn the_plain_shape_reads_as_the_general_way_does() {
        let general = |s: &str| {
            // The general way alone: a `+00:00` zone is not the shortcut's shape.
            parse_time(&s.replace('Z', "+00:00"))
        };
        let mut checked = 0;
        for year in (1899..=2101).chain([0, 1, 400, 1600, 2400, 9999]) {
            for month in 0..=13 {
                for day in 0..=32 {
                    for time in [
                        "00:00:00", "23:59:59", "12:34:56", "24:00:00", "00:60:00", "00:00:60",
                    ] {
                        let s = format!("{year:04}-{month:02}-{day:02}T{time}Z");
                        assert_eq!(plain_utc(s.as_bytes()), general(&s), "{s}");
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 300_000);
        assert_eq!(t("1970-01-01T00:00:00Z"), "1970-01-01T00:00:00Z");
        assert_eq!(parse_time("1969-12-31T23:59:59Z"), Some(Timestamp(-1000)));
        for s in [
            "2026-11-20T14:02:17z",
            "2026-11-20t14:02:17Z",
            "2026-11-2xT14:02:17Z",
        ] {
            assert_eq!(plain_utc(s.as_bytes()), None, "{s}");
        }
    }

    /// The remembered date never answers for another: dates read in turn, again, after a date
    /// that does not exist and with a time that does not exist give what a first reading gives.
    #[test]
    fn a_date_read_again_or_in_turn_gives_the_same_time() {
        let first = |s: &str| {
            LAST_DATE.set(([0; 10], 0));
            plain_utc(s.as_bytes())
        };
        let texts = [
            "2026-11-20T14:02:17Z",
            "2026-11-21T14:02:17Z",
            "2026-11-20T23:59:59Z",
            "2026-02-29T00:00:00Z",
            "2026-11-20T24:00:00Z",
            "2024-02-29T00:00:00Z",
            "2026-11-20T00:00:00Z",
            "2026-11-20T00:00:60Z",
        ];
        let expected: Vec<_> = texts.iter().map(|s| first(s)).collect();
        assert_eq!(expected[0].map(|t| t.0), Some(1_795_183_337_000));
        assert_eq!((expected[3], expected[4], expected[7]), (None, None, None));
        for round in 0..3 {
            for (i, s) in texts
                .iter()
                .enumerate()
                .cycle()
                .skip(round)
                .take(3 * texts.len())
            {
                assert_eq!(plain_utc(s.as_bytes()), expected[i], "{s} in round {round}");
            }
        }
    }

    #[test]
    fn placeholders_are_not_times() {
        for s in [
            "redacted",
            "...",
            "ThisIsAWrongEventTime",
            "",
            "2026-13-01T00:00:00Z",
        ] {
            assert_eq!(parse_time(s), None, "{s}");
        }
    }

    /// `+99:99` once shifted a record by four days without a word.
    #[test]
    fn impossible_offsets_are_not_times() {
        for s in [
            "2026-11-20T14:02:17+99:99",
            "2026-11-20T14:02:17+24:00",
            "2026-11-20T14:02:17-00:60",
            "2026-11-20T14:02:17+0:900",
            "2026-11-20T14:02:17+1:00",
            "2026-11-20T14:02:17+01:00:00",
            "2026-11-20T14:02:17+01",
            "2026-11-20T14:02:17+ab:cd",
        ] {
            assert_eq!(parse_time(s), None, "{s}");
        }
    }
}
