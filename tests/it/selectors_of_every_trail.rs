//! `reads_not_logged` rests on every trail's event selectors. When `describe-trails` lists a trail
//! whose `get-event-selectors` output is not in the evidence, that trail may log management
//! reads (a trail without custom selectors logs every management event): the finding said "the
//! trail's event selectors log no management read events ... whether it was read is unknown"
//! from the one data-events trail's selectors, though `describe-trails` also listed
//! `skunk-trails` (`HasCustomEventSelectors` false) (audit 25). It is raised only when the
//! selectors of every listed trail are in the evidence.
//!
//! The configuration is Cloud Custodian's recorded `DescribeTrails` and `GetEventSelectors`
//! responses as the AWS CLI prints them; the records are trailscraper's trail file
//! (tests/data/SOURCES.md).

use crate::support;

use std::path::Path;
use support::*;

fn case(dir: &Path, with_trails: bool) {
    let data = repo().join("tests/data");
    let trail_file = "111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json.gz";
    std::fs::copy(
        data.join("trailscraper").join(trail_file),
        dir.join(trail_file),
    )
    .unwrap();
    std::fs::copy(
        data.join("cloud-custodian/get-event-selectors-S3-DataEvents-test2.json"),
        dir.join("event-selectors.json"),
    )
    .unwrap();
    if with_trails {
        std::fs::copy(
            data.join("cloud-custodian/describe-trails.json"),
            dir.join("trails.json"),
        )
        .unwrap();
    }
}

#[test]
fn a_listed_trail_without_selectors_in_the_evidence_may_log_the_reads() {
    let dir = tempfile::tempdir().unwrap();
    case(dir.path(), true);
    let (doc, text) = timeline_and_unverifiable_report(dir.path(), &[]);
    assert_eq!(doc["pipeline"]["trails"].as_array().unwrap().len(), 2);
    assert!(
        of_kind(&doc["findings"], "reads_not_logged").is_empty(),
        "{}",
        doc["findings"]
    );
    assert!(!text.contains("not logged"), "{text}");
}

#[test]
fn the_selectors_alone_still_say_the_reads_are_not_logged() {
    let dir = tempfile::tempdir().unwrap();
    case(dir.path(), false);
    let (doc, _) = timeline_and_unverifiable_report(dir.path(), &[]);
    assert_eq!(
        of_kind(&doc["findings"], "reads_not_logged").len(),
        1,
        "{}",
        doc["findings"]
    );
}
