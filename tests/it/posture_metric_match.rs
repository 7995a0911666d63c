//! `trailcase posture` links the alarm to the honeytoken metric filter as the case's flow 1 does
//! (`rules::metric_match`): the same metric name, namespace and dimension names. An alarm on the
//! filter's metric name and namespace but with a dimension the filter does not publish watches
//! another metric, which no read of the honeytoken feeds: flow 1's alarm check fails and says
//! why.

use crate::common::moto::Moto;
use crate::posture_moto::{alarm, deploy, failing, seed, Aws};
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
    let check = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "flow1.alarm")
        .unwrap();
    assert_eq!(
        check["reason"],
        "no alarm watches the filter's metric CloudTrailMetrics/HoneytokenSecretAccessCount (alarm HoneytokenSecretAccessAlarm: the honeytoken metric filter HoneytokenSecretAccess publishes a metric of that name with dimensions none, not EventName: not the alarm's metric)",
        "{check}"
    );
}
