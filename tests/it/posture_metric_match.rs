//! `trailcase posture` links the alarm to the honeytoken metric filter as the case's flow 1 does
//! (`rules::metric_match`): the same metric name, namespace and dimension names. An alarm on the
//! filter's metric name and namespace but with a dimension the filter does not publish watches
//! another metric, which no read of the honeytoken feeds: flow 1's alarm check fails and says
//! why.

use crate::common::moto::Moto;
use crate::posture_moto::{alarm, deploy, failing, seed, Aws};
use crate::support::posture_check;
use serde_json::json;

#[test]
fn an_alarm_with_a_dimension_the_filter_does_not_publish_is_not_flow_1s() {
    let moto = Moto::start();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let aws = rt.block_on(Aws::new(&moto));
    let d = rt.block_on(deploy(&aws));
    let mut alarm = alarm(&d.alarm_topic);
    alarm["Dimensions"] = json!([{"Name": "EventName", "Value": "GetSecretValue"}]);
    seed(&moto, &alarm, 2);

    let (ids, code, report) = failing(&moto);
    assert_eq!(code, Some(1), "{report:#}");
    assert!(ids.contains("flow1.alarm"), "{report:#}");
    let check = posture_check(&report, "flow1.alarm");
    assert_eq!(
        check["reason"],
        "no alarm watches the filter's metric CloudTrailMetrics/HoneytokenSecretAccessCount (alarm HoneytokenSecretAccessAlarm: the honeytoken metric filter HoneytokenSecretAccess publishes a metric of that name with dimensions none, not EventName: not the alarm's metric)",
        "{check}"
    );
}

/// A metric-math alarm reading the filter's metric in a MetricStat query: its threshold applies
/// to the expression, which posture does not evaluate, so flow 1's alarm check is unknown, never
/// a pass that it fires on one read.
#[test]
fn a_metric_math_alarm_on_the_filters_metric_is_unknown_not_passed() {
    let moto = Moto::start();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let aws = rt.block_on(Aws::new(&moto));
    let d = rt.block_on(deploy(&aws));
    let mut alarm = alarm(&d.alarm_topic);
    let a = alarm.as_object_mut().unwrap();
    for k in [
        "Namespace",
        "MetricName",
        "Dimensions",
        "Statistic",
        "Period",
    ] {
        a.remove(k);
    }
    a.insert(
        "Metrics".into(),
        json!([
            {"Id": "m1", "MetricStat": {"Metric": {"Namespace": "CloudTrailMetrics",
                "MetricName": "HoneytokenSecretAccessCount", "Dimensions": []},
                "Period": 60, "Stat": "Sum"}, "ReturnData": false},
            {"Id": "e1", "Expression": "m1 * 2", "ReturnData": true}
        ]),
    );
    seed(&moto, &alarm, 2);

    let (_, _, report) = failing(&moto);
    let check = posture_check(&report, "flow1.alarm");
    assert_eq!(check["status"], "UNKNOWN", "{check}");
    assert_eq!(
        check["reason"],
        "alarm HoneytokenSecretAccessAlarm reads the filter's metric CloudTrailMetrics/HoneytokenSecretAccessCount in a metric-math expression (e1: m1 * 2), whose value is not evaluated: whether it goes to ALARM on one read is unknown",
        "{check}"
    );
    // Its action and topic are what it does on ALARM, checked as any alarm's (they were
    // UNKNOWN: "whether an alarm fires on a read of the honeytoken is unknown").
    let of = |id: &str| posture_check(&report, id).clone();
    let action = of("flow1.alarm-action");
    assert_eq!(action["status"], "PASS", "{action}");
    assert_eq!(
        action["reason"],
        format!("alarm HoneytokenSecretAccessAlarm notifies {} when it goes to ALARM (whether one read takes it there is unknown)", d.alarm_topic),
        "{action}"
    );
    let topic = of("flow1.topic");
    assert!(
        topic["reason"].as_str().unwrap().contains(&d.alarm_topic),
        "{topic}"
    );
}
