//! One time format (issue #18, "Auditors"): the JSON and the PDF state times in ISO 8601 UTC,
//! never in a locale format such as STS's `Nov 20, 2026, 3:59:30 PM`, which CloudTrail records
//! for a session's `credentials.expiration` (the sample's AssumeRole has one). The CloudTrail
//! records the JSON quotes (a timeline row's `record`) stay as recorded: they are the evidence.
//!
//! In the PDF every instant reads `2026-11-20T14:02:17Z` (milliseconds where the source has
//! them), a moment after the first read `T+00:29`: no "UTC" after a time, no date and time apart,
//! no AM/PM, no month name. AWS's own text the report quotes stays as AWS wrote it (an alarm's
//! reason, `[1.0 (20/11/26 14:02:00)]`; its table says how it reads).

use crate::support;

use support::*;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The locale-formatted times in `text`: a month name, a day, a comma and a year.
fn locale_times(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for m in MONTHS {
        let mut rest = text;
        while let Some(i) = rest.find(&format!("{m} ")) {
            let after = &rest[i + 4..];
            let day: String = after.chars().take_while(|c| c.is_ascii_digit()).collect();
            if !day.is_empty() && after[day.len()..].starts_with(", 20") {
                found.push(rest[i..(i + 40).min(rest.len())].to_string());
            }
            rest = &rest[i + 4..];
        }
    }
    found
}

#[test]
fn the_session_expiry_is_stated_in_iso_8601_in_the_json_and_the_report() {
    let run = trailcase(["timeline", "--quiet", "samples/incident-01"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut doc = run.json();
    let mut quoted = 0;
    for row in doc["timeline"].as_array_mut().unwrap() {
        let record = row.as_object_mut().unwrap().remove("record");
        quoted += locale_times(&record.unwrap_or_default().to_string()).len();
    }
    assert_eq!(quoted, 1, "the AssumeRole record, quoted as recorded");
    assert_eq!(locale_times(&doc.to_string()), Vec::<String>::new());
    let finding = doc["incidents"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "uncovered_session")
        .expect("the sample's live session is a finding");
    assert!(
        finding["summary"]
            .as_str()
            .unwrap()
            .ends_with("issued to expire at 2026-11-20T15:59:30Z"),
        "{finding}"
    );

    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("r.pdf");
    let run = report_pdf(&pdf, &["samples/incident-01"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert_eq!(locale_times(&text), Vec::<String>::new());
    assert!(
        text.contains("issued to expire at 2026-11-20T15:59:30Z"),
        "{text}"
    );
}

const FULL_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A clock time `h:mm` or `hh:mm` at the start of `b` (not inside a longer number): its length
/// with any `:ss` and `.fff`.
fn clock_at(b: &[u8]) -> Option<usize> {
    let digit = |k: usize| b.get(k).is_some_and(u8::is_ascii_digit);
    let h = match (digit(0), digit(1)) {
        (true, true) => 2,
        (true, false) => 1,
        _ => return None,
    };
    if b.get(h) != Some(&b':') || !digit(h + 1) || !digit(h + 2) || digit(h + 3) {
        return None;
    }
    let mut n = h + 3;
    if b.get(n) == Some(&b':') && digit(n + 1) && digit(n + 2) {
        n += 3;
    }
    if b.get(n) == Some(&b'.') && digit(n + 1) {
        n += 1;
        while digit(n) {
            n += 1;
        }
    }
    Some(n)
}

/// Every time in `text` that is not ISO 8601: a clock time followed by "UTC", "AM" or "PM", a
/// date and a clock time apart (`2026-11-20 14:02`), a month name beside a number, and the
/// locale times of [`locale_times`].
fn non_iso_times(text: &str) -> Vec<String> {
    let mut found = locale_times(text);
    let b = text.as_bytes();
    let around = |i: usize, j: usize| {
        let (mut s, mut e) = (i.saturating_sub(12), (j + 6).min(text.len()));
        while !text.is_char_boundary(s) {
            s -= 1;
        }
        while !text.is_char_boundary(e) {
            e += 1;
        }
        text[s..e].to_string()
    };
    for i in 0..b.len() {
        if i > 0 && (b[i - 1].is_ascii_digit() || b[i - 1] == b':') {
            continue;
        }
        let Some(n) = clock_at(&b[i..]) else { continue };
        let after = text[i + n..].trim_start_matches(' ');
        let suffix = ["UTC", "GMT", "AM", "PM", "am", "pm", "a.m.", "p.m."]
            .iter()
            .any(|s| after.starts_with(s));
        let dated = i >= 11
            && b[i - 1] == b' '
            && b[i - 11..i - 1].iter().enumerate().all(|(k, c)| {
                if k == 4 || k == 7 {
                    *c == b'-'
                } else {
                    c.is_ascii_digit()
                }
            });
        if suffix || dated {
            found.push(around(i, i + n));
        }
    }
    for m in FULL_MONTHS {
        for (i, _) in text.match_indices(m) {
            let before = text[..i].trim_end().chars().last();
            let after = text[i + m.len()..].trim_start().chars().next();
            if before.is_some_and(|c| c.is_ascii_digit())
                || after.is_some_and(|c| c.is_ascii_digit())
            {
                found.push(around(i, i + m.len()));
            }
        }
    }
    found
}

/// The whole sample report's text: every time in it is ISO 8601 UTC (or an offset T+mm:ss).
#[test]
fn every_time_in_the_sample_report_is_iso_8601() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("r.pdf");
    let run = report_pdf(&pdf, &["samples/incident-01"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert_eq!(non_iso_times(&text), Vec::<String>::new());
    // The places that printed other shapes before: cover, summary, tables, chart titles.
    for needle in [
        "Incident window 2026-11-20T13:55:10Z to 2026-11-20T14:12:21.907Z",
        "Generated 2026-11-25T16:00:00Z",
        "read the decoy secret Production_Database_Credentials at 2026-11-20T14:02:17Z",
        // The axis's ticks carry no zone: the title gives it.
        "INC-001: incident timeline, 2026-11-20T13:55:10Z to 2026-11-20T14:12:21.907Z (time axis in UTC)",
        "each stage after the read at 2026-11-20T14:02:17Z",
        "2026-11-20T14:05:21.532Z",
        "T+00:29",
        "T+03:04.5",
        "T-07:07",
    ] {
        assert!(text.contains(needle), "{needle:?} not in the PDF text");
    }
}

#[test]
fn the_scan_finds_every_other_time_shape() {
    for (text, shapes) in [
        ("at 2026-11-20 14:02:17 UTC: contained", 1),
        ("at 14:05:21.532 UTC", 1),
        ("2026-11-20 14:02", 1),
        ("valid until 3:59:30 PM", 1),
        ("valid until Nov 20, 2026, 3:59:30 PM", 2),
        ("on 20 November 2026", 1),
        (
            "2026-11-20T14:02:17Z, T+00:29, T+03:04.5, 13:55:00 14:00:00",
            0,
        ),
        ("[1.0 (20/11/26 14:02:00)] in November's report", 0),
    ] {
        assert_eq!(
            non_iso_times(text).len(),
            shapes,
            "{text}: {:?}",
            non_iso_times(text)
        );
    }
}

#[test]
fn the_detector_finds_what_sts_writes() {
    assert_eq!(
        locale_times("valid until Nov 20, 2026, 3:59:30 PM"),
        ["Nov 20, 2026, 3:59:30 PM"]
    );
    assert!(locale_times("2026-11-20T15:59:30Z; Nov 2026; Novel 3, 2026").is_empty());
}
