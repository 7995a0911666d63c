//! The detection section said "No AWS/Events rule metric with a non-zero datapoint is in the
//! evidence." also when the case held no rule metrics at all (loose CloudTrail records, Stratus
//! Red Team's secrets retrieval, `tests/data/SOURCES.md`): it read as metrics examined and found
//! quiet. Without metric data it now says the metrics were not examined.

use crate::support;

use support::*;

#[test]
fn no_metric_data_is_not_examined_not_quiet() {
    let dir = tempfile::tempdir().unwrap();
    let case = stratus_case(
        dir.path(),
        "aws.credential-access.secretsmanager-retrieve-secrets.json",
        None,
    );
    let (_, text) = timeline_and_unverifiable_report(
        &case,
        &["--honeytoken", "stratus-red-team-retrieve-secret-3"],
    );
    assert!(
        text.contains("EventBridge rule metrics Not examined: no AWS/Events rule metrics (get-metric-data) are in the evidence"),
        "{text}"
    );
    assert!(
        !text.contains("with a non-zero datapoint is in the evidence"),
        "{text}"
    );
}
