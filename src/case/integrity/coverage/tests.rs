//! Unit tests of the coverage table: every kind of hour, the default window, bad windows,
//! digests that do not meet, and accounts kept apart.

use super::*;
use chrono::TimeZone as _;

fn at(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, h, m, 0).unwrap()
}

fn range(region: &str, start: DateTime<Utc>, end: DateTime<Utc>) -> TimeRange {
    TimeRange {
        account: "123456789012".into(),
        region: region.into(),
        start,
        end,
    }
}

fn acct(region: &str) -> (String, String) {
    ("123456789012".into(), region.into())
}

fn states(c: &Coverage, region: &str) -> Vec<(String, HourCoverage)> {
    let r = c.regions.iter().find(|r| r.region == region).unwrap();
    r.runs
        .iter()
        .map(|r| (r.from[11..16].to_owned(), r.coverage))
        .collect()
}

#[test]
fn every_kind_of_hour_is_told_apart() {
    let evidence = CoverageEvidence {
        verified_logs: vec![range("us-east-1", at(10, 5), at(10, 20))],
        verified_digests: vec![
            range("us-east-1", at(9, 1), at(10, 1)),
            range("us-east-1", at(10, 1), at(12, 1)),
        ],
        unverified_logs: vec![range("us-east-1", at(12, 10), at(12, 10))],
        lookup_events: vec![range("us-east-1", at(13, 30), at(13, 30))],
        trail_regions: [acct("us-east-1")].into(),
        ..CoverageEvidence::default()
    };
    let options = IntegrityOptions {
        from: Some(at(10, 0)),
        to: Some(at(14, 30)),
    };
    let c = compute_coverage(&evidence, &options).unwrap();
    assert_eq!(
        states(&c, "us-east-1"),
        vec![
            ("10:00".into(), HourCoverage::Verified),
            ("11:00".into(), HourCoverage::VerifiedNoActivity),
            ("12:00".into(), HourCoverage::UnverifiedLogs),
            ("13:00".into(), HourCoverage::LookupEventsOnly),
            ("14:00".into(), HourCoverage::Nothing),
        ]
    );
    let (problems, notes) = issues(&c);
    assert_eq!(problems.len(), 1);
    assert_eq!(notes.len(), 1);
    assert_eq!(c.window.as_ref().unwrap().hours, 5);
}

/// A case of an Athena search's selection: an hour whose files a verified digest lists but the
/// search left out is searched-not-selected, never "no activity" and never a gap; an hour a
/// verified digest proves empty stays proven; an hour with nothing stays a gap; the default
/// window is the searched one.
#[test]
fn a_selection_tells_left_out_hours_from_empty_and_missing_ones() {
    let evidence = CoverageEvidence {
        verified_logs: vec![range("us-east-1", at(10, 5), at(10, 20))],
        verified_digests: vec![range("us-east-1", at(9, 1), at(13, 1))],
        trail_regions: [acct("us-east-1")].into(),
        selected: true,
        outside_selection: vec![range("us-east-1", at(11, 2), at(11, 40))],
        searched_window: Some((at(10, 0), at(14, 0))),
        ..CoverageEvidence::default()
    };
    let c = compute_coverage(&evidence, &IntegrityOptions::default()).unwrap();
    assert_eq!(
        states(&c, "us-east-1"),
        vec![
            ("10:00".into(), HourCoverage::Verified),
            ("11:00".into(), HourCoverage::SearchedNotSelected),
            ("12:00".into(), HourCoverage::VerifiedNoActivity),
            ("13:00".into(), HourCoverage::Nothing),
        ]
    );
    let (problems, _) = issues(&c);
    assert_eq!(problems.len(), 1, "only the hour with nothing is a gap");
    assert_eq!(c.window.as_ref().unwrap().source, "the Athena search");
}

#[test]
fn default_window_is_the_span_of_the_trail_files_in_whole_hours() {
    let evidence = CoverageEvidence {
        unverified_logs: vec![range("eu-west-1", at(10, 59), at(12, 1))],
        trail_regions: [acct("eu-west-1")].into(),
        ..Default::default()
    };
    let c = compute_coverage(&evidence, &IntegrityOptions::default()).unwrap();
    let w = c.window.unwrap();
    assert_eq!(
        (w.from.as_str(), w.to.as_str(), w.hours),
        ("2026-03-02T10:00:00Z", "2026-03-02T13:00:00Z", 3)
    );
    assert_eq!(w.source, "trail files");
}

#[test]
fn no_evidence_and_no_flags_gives_no_window_and_bad_windows_are_errors() {
    let empty = CoverageEvidence::default();
    assert_eq!(
        compute_coverage(&empty, &IntegrityOptions::default()).unwrap(),
        Coverage::default()
    );
    let backwards = IntegrityOptions {
        from: Some(at(12, 0)),
        to: Some(at(11, 0)),
    };
    assert!(matches!(
        compute_coverage(&empty, &backwards),
        Err(IntegrityError::EmptyWindow { .. })
    ));
    let huge = IntegrityOptions {
        from: Some(at(0, 0) - Duration::days(3650)),
        to: Some(at(0, 0)),
    };
    assert!(matches!(
        compute_coverage(&empty, &huge),
        Err(IntegrityError::WindowTooLong { .. })
    ));
    // A window at the end of time (a record's numeric eventTime of year 262142): refused, not a
    // panic on the hour after it.
    for last in [
        DateTime::<Utc>::MAX_UTC,
        DateTime::<Utc>::MAX_UTC - Duration::minutes(30),
    ] {
        // The window the evidence gives (flags cannot give an empty one).
        let end_of_time = CoverageEvidence {
            lookup_events: vec![range("us-east-1", last, last)],
            ..Default::default()
        };
        assert!(matches!(
            compute_coverage(&end_of_time, &IntegrityOptions::default()),
            Err(IntegrityError::WindowOutOfRange { .. })
        ));
    }
    // An empty window from the flags is refused, like a backwards one.
    let empty_window = IntegrityOptions {
        from: Some(at(12, 0)),
        to: Some(at(12, 0)),
    };
    assert!(matches!(
        compute_coverage(&empty, &empty_window),
        Err(IntegrityError::EmptyWindow { .. })
    ));
}

#[test]
fn a_gap_between_digests_is_not_proven_empty() {
    let evidence = CoverageEvidence {
        verified_digests: vec![
            range("us-east-1", at(9, 1), at(10, 1)),
            range("us-east-1", at(11, 1), at(12, 1)),
        ],
        trail_regions: [acct("us-east-1")].into(),
        ..Default::default()
    };
    let options = IntegrityOptions {
        from: Some(at(10, 0)),
        to: Some(at(11, 0)),
    };
    let c = compute_coverage(&evidence, &options).unwrap();
    assert_eq!(
        states(&c, "us-east-1"),
        vec![("10:00".into(), HourCoverage::Nothing)]
    );
}

#[test]
fn accounts_of_one_region_are_kept_apart() {
    let other = TimeRange {
        account: "210987654321".into(),
        ..range("us-east-1", at(11, 5), at(11, 10))
    };
    let evidence = CoverageEvidence {
        unverified_logs: vec![range("us-east-1", at(10, 5), at(10, 10)), other],
        trail_regions: [
            acct("us-east-1"),
            ("210987654321".into(), "us-east-1".into()),
        ]
        .into(),
        ..Default::default()
    };
    let c = compute_coverage(&evidence, &IntegrityOptions::default()).unwrap();
    let rows: Vec<(&str, Vec<HourCoverage>)> = c
        .regions
        .iter()
        .map(|r| {
            (
                r.account.as_str(),
                r.runs.iter().map(|x| x.coverage).collect(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (
                "123456789012",
                vec![HourCoverage::UnverifiedLogs, HourCoverage::Nothing]
            ),
            (
                "210987654321",
                vec![HourCoverage::Nothing, HourCoverage::UnverifiedLogs]
            ),
        ]
    );
}

#[test]
fn an_hour_a_verified_digest_proves_empty_is_not_a_gap() {
    // Digests cover 09:01..12:01; a verified log file touches 10:00 only; 11:00 is proven empty;
    // 12:00 has neither file nor digest.
    let evidence = CoverageEvidence {
        verified_logs: vec![range("us-east-1", at(10, 5), at(10, 20))],
        verified_digests: vec![range("us-east-1", at(9, 1), at(12, 1))],
        trail_regions: [acct("us-east-1")].into(),
        ..Default::default()
    };
    let options = IntegrityOptions {
        from: Some(at(10, 0)),
        to: Some(at(13, 0)),
    };
    let c = compute_coverage(&evidence, &options).unwrap();
    let summary = trail_coverage(&[("case".into(), Ok(c))]);
    let texts =
        |l: &[crate::model::RegionHours]| l.iter().map(|r| r.text.clone()).collect::<Vec<_>>();
    assert_eq!(
        texts(&summary.proven_empty),
        vec!["123456789012 us-east-1: 2026-03-02T11:00Z–12:00Z: no trail file; a verified digest proves no activity"]
    );
    assert_eq!(
        texts(&summary.not_covered),
        vec!["123456789012 us-east-1: 2026-03-02T12:00Z–13:00Z: no trail file"]
    );
    // Only the uncovered hour is a gap.
    assert_eq!(summary.gaps().len(), 1);
    assert_eq!(summary.gaps()[0].reason, summary.not_covered[0].text);
}

/// A verified digest covers the hour, but a trail file in it is not verified (modified, or
/// listed in no digest): the hour holds a trail file, so the digest does not prove it empty.
#[test]
fn an_hour_with_an_unverified_trail_file_is_never_proven_empty() {
    let evidence = CoverageEvidence {
        unverified_logs: vec![range("us-east-1", at(11, 5), at(11, 20))],
        verified_digests: vec![range("us-east-1", at(9, 1), at(12, 1))],
        trail_regions: [acct("us-east-1")].into(),
        ..Default::default()
    };
    let options = IntegrityOptions {
        from: Some(at(10, 0)),
        to: Some(at(12, 0)),
    };
    let c = compute_coverage(&evidence, &options).unwrap();
    assert_eq!(
        states(&c, "us-east-1"),
        vec![
            ("10:00".into(), HourCoverage::VerifiedNoActivity),
            ("11:00".into(), HourCoverage::UnverifiedLogs),
        ]
    );
    let summary = trail_coverage(&[("case".into(), Ok(c))]);
    assert_eq!(summary.proven_empty.len(), 1);
    assert_eq!(summary.proven_empty[0].hours, 1);
    assert!(summary.not_covered.is_empty());
}

#[test]
fn a_range_across_midnight_names_both_days() {
    let evidence = CoverageEvidence {
        unverified_logs: vec![range("us-east-1", at(22, 5), at(22, 5))],
        trail_regions: [acct("us-east-1")].into(),
        ..Default::default()
    };
    let options = IntegrityOptions {
        from: Some(at(22, 0)),
        to: Some(at(22, 0) + Duration::hours(4)),
    };
    let c = compute_coverage(&evidence, &options).unwrap();
    let summary = trail_coverage(&[("case".into(), Ok(c))]);
    assert_eq!(
        summary.not_covered[0].text,
        "123456789012 us-east-1: 2026-03-02T23:00Z–2026-03-03T02:00Z: no trail file"
    );
}

#[test]
fn a_case_without_trail_file_or_digest_is_not_examined_in_status_and_statement() {
    let empty = compute_coverage(&CoverageEvidence::default(), &Default::default()).unwrap();
    let summary = trail_coverage(&[("case".into(), Ok(empty))]);
    assert_eq!(summary.status, crate::model::CoverageStatus::NotExamined);
    assert!(
        summary.statement.contains("not examined"),
        "{}",
        summary.statement
    );
    assert!(summary.gaps().is_empty());
}

/// An hour is as good as the weakest of its trail files: a verified file beside a missing one
/// leaves the hour's records incomplete (a gap, never "verified"), and beside an unverified one
/// leaves its content unproven. An hour with only verified files stays verified.
#[test]
fn one_verified_file_does_not_vouch_for_the_rest_of_its_hour() {
    let evidence = CoverageEvidence {
        verified_logs: vec![
            range("us-east-1", at(10, 5), at(10, 20)),
            range("us-east-1", at(11, 5), at(11, 20)),
            range("us-east-1", at(12, 5), at(12, 20)),
        ],
        verified_digests: vec![range("us-east-1", at(9, 1), at(13, 1))],
        missing_logs: vec![range("us-east-1", at(10, 30), at(10, 40))],
        unverified_logs: vec![range("us-east-1", at(11, 30), at(11, 30))],
        trail_regions: [acct("us-east-1")].into(),
        ..CoverageEvidence::default()
    };
    let options = IntegrityOptions {
        from: Some(at(10, 0)),
        to: Some(at(13, 0)),
    };
    let c = compute_coverage(&evidence, &options).unwrap();
    assert_eq!(
        states(&c, "us-east-1"),
        vec![
            ("10:00".into(), HourCoverage::LogFilesMissing),
            ("11:00".into(), HourCoverage::UnverifiedLogs),
            ("12:00".into(), HourCoverage::Verified),
        ]
    );
    assert_eq!(c.totals.verified, 1);
    let summary = trail_coverage(&[("case".into(), Ok(c))]);
    let texts: Vec<&str> = summary
        .not_covered
        .iter()
        .map(|r| r.text.as_str())
        .collect();
    assert_eq!(
        texts,
        ["123456789012 us-east-1: 2026-03-02T10:00Z–11:00Z: trail files a digest lists for it are missing from the case"]
    );
    assert!(summary.proven_empty.is_empty());
}
