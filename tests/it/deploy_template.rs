//! The CloudFormation template `deploy/honeytoken-pipeline.yaml` detects what the sample incident
//! says it should: its EventBridge rule pattern and its metric filter pattern (with the template's
//! default honeytoken name substituted for `!Ref` / `!Sub`) match the sample's honeytoken read, and
//! neither matches the orders-api service reading its own secret. Its alarm fires on one read, and
//! its kill-switch role passes `trailcase posture`'s least-privilege check.

use serde_json::{json, Map, Value};
use serde_yaml::Value as Yaml;
use trailcase::posture::killswitch_role;
use trailcase::rules::alarm::{
    self, AlarmDefinition, AlarmState, ComparisonOperator, Statistic, TreatMissingData,
};
use trailcase::rules::event_pattern::{wrap_cloudtrail_record, EventPattern};
use trailcase::rules::filter_pattern::FilterPattern;

const TEMPLATE: &str = "deploy/honeytoken-pipeline.yaml";
const LOOKUP_PAGE: &str = "samples/incident-01/lookup-events/us-east-1-GetSecretValue-page-1.json";
const HONEYTOKEN_READ: &str = "5ad7fe16-471c-489f-908c-61b0d4864cbb";
const ORDERS_API_READ: &str = "c053eec4-da04-43da-9efa-9c06db32ebe9";

fn template() -> Yaml {
    let text = std::fs::read_to_string(TEMPLATE).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

/// The values CloudFormation would give `!Ref` and `${...}`: parameter defaults and the sample's
/// account and region for the pseudo parameters; resources and parameters without a default stay
/// placeholders.
fn lookup(t: &Yaml, name: &str) -> String {
    match name {
        "AWS::Region" => "us-east-1".into(),
        "AWS::AccountId" => "123456789012".into(),
        "AWS::Partition" => "aws".into(),
        "AWS::StackName" => "trailcase".into(),
        _ if t["Resources"][name.split('.').next().unwrap()].is_mapping() => format!("<{name}>"),
        _ => match &t["Parameters"][name] {
            Yaml::Mapping(p) => p
                .get("Default")
                .and_then(Yaml::as_str)
                .map_or_else(|| format!("<{name}>"), str::to_owned),
            _ => panic!("{name} is neither a resource nor a parameter"),
        },
    }
}

fn sub(t: &Yaml, text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('}').unwrap() + start;
        out.push_str(&lookup(t, &rest[start + 2..end]));
        rest = &rest[end + 1..];
    }
    out + rest
}

/// A template value as JSON with its intrinsic functions resolved.
fn resolve(t: &Yaml, v: &Yaml) -> Value {
    match v {
        Yaml::Null => Value::Null,
        Yaml::Bool(b) => json!(b),
        Yaml::Number(n) => serde_json::to_value(n).unwrap(),
        Yaml::String(s) => json!(s),
        Yaml::Sequence(items) => Value::Array(items.iter().map(|i| resolve(t, i)).collect()),
        Yaml::Mapping(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.as_str().unwrap().to_string(), resolve(t, v)))
                .collect::<Map<_, _>>(),
        ),
        Yaml::Tagged(tagged) => match (tagged.tag.to_string().as_str(), tagged.value.as_str()) {
            ("!Ref", Some(arg)) => json!(lookup(t, arg)),
            ("!Sub", Some(arg)) => json!(sub(t, arg)),
            // Attributes of created resources (!GetAtt, !If, ...) are unknown until deployed.
            (tag, _) => json!(format!("<{tag} unresolved>")),
        },
    }
}

fn resource(t: &Yaml, name: &str) -> Value {
    resolve(t, &t["Resources"][name]["Properties"])
}

fn sample_record(event_id: &str) -> Value {
    let page: Value = serde_json::from_slice(&std::fs::read(LOOKUP_PAGE).unwrap()).unwrap();
    page["Events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| serde_json::from_str::<Value>(e["CloudTrailEvent"].as_str().unwrap()).unwrap())
        .find(|r| r["eventID"] == event_id)
        .unwrap_or_else(|| panic!("{event_id} is in {LOOKUP_PAGE}"))
}

#[test]
fn the_rule_pattern_matches_the_honeytoken_read_and_not_another_secret() {
    let t = template();
    let rule = resource(&t, "HoneytokenRule");
    // ENABLED would not deliver GetSecretValue, a read-only management event, to the rule
    // (EventBridge User Guide, eb-service-event-cloudtrail-management): the rule would never fire.
    assert_eq!(
        rule["State"],
        "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"
    );
    let pattern = EventPattern::from_value(&rule["EventPattern"]).unwrap();
    let read = wrap_cloudtrail_record(&sample_record(HONEYTOKEN_READ));
    assert!(pattern.matches(&read), "{}", rule["EventPattern"]);
    let other = wrap_cloudtrail_record(&sample_record(ORDERS_API_READ));
    assert!(!pattern.matches(&other));
    // A read by ARN (as SDKs often send it) is caught as well.
    let mut by_arn = sample_record(HONEYTOKEN_READ);
    by_arn["requestParameters"]["secretId"] = json!(
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:Production_Database_Credentials-AbCdEf"
    );
    assert!(pattern.matches(&wrap_cloudtrail_record(&by_arn)));
}

#[test]
fn the_metric_filter_matches_the_honeytoken_read_and_not_another_secret() {
    let t = template();
    let filter = resource(&t, "HoneytokenMetricFilter");
    let pattern = FilterPattern::parse(filter["FilterPattern"].as_str().unwrap()).unwrap();
    // CloudTrail writes each record to CloudWatch Logs as one JSON message.
    let read = sample_record(HONEYTOKEN_READ).to_string();
    assert!(
        pattern.matches_message(&read),
        "{}",
        filter["FilterPattern"]
    );
    assert!(!pattern.matches_message(&sample_record(ORDERS_API_READ).to_string()));
    let transformation = &filter["MetricTransformations"][0];
    let alarm = resource(&t, "HoneytokenAlarm");
    assert_eq!(transformation["MetricName"], alarm["MetricName"]);
    assert_eq!(transformation["MetricNamespace"], alarm["Namespace"]);
}

#[test]
fn the_alarm_fires_on_one_read_within_its_first_period() {
    let t = template();
    let a = resource(&t, "HoneytokenAlarm");
    assert_eq!(a["ComparisonOperator"], "GreaterThanOrEqualToThreshold");
    assert_eq!(a["Statistic"], "Sum");
    assert_eq!(a["TreatMissingData"], "notBreaching");
    let def = AlarmDefinition {
        period_seconds: a["Period"].as_i64().unwrap(),
        evaluation_periods: a["EvaluationPeriods"].as_u64().unwrap() as u32,
        datapoints_to_alarm: a["DatapointsToAlarm"].as_u64().unwrap() as u32,
        threshold: a["Threshold"].as_f64().unwrap(),
        comparison: ComparisonOperator::GreaterThanOrEqualToThreshold,
        statistic: Statistic::Sum,
        treat_missing_data: TreatMissingData::NotBreaching,
        metric_default_value: Some(0.0),
    };
    let read_at = 1_795_183_337; // 2026-11-20T14:02:17Z
    let changes = alarm::evaluate(&def, &[(read_at, 1.0)], read_at - 600, read_at + 600).unwrap();
    let fired = changes
        .iter()
        .find(|c| c.to == AlarmState::Alarm)
        .expect("the alarm fires");
    assert!(fired.time - read_at <= 60, "fired at {}", fired.time);
    assert!(!a["AlarmActions"].as_array().unwrap().is_empty());
}

#[test]
fn the_rule_targets_the_topic_and_the_killswitch_and_may_invoke_it() {
    let t = template();
    let targets = &t["Resources"]["HoneytokenRule"]["Properties"]["Targets"];
    let ids: Vec<&str> = targets
        .as_sequence()
        .unwrap()
        .iter()
        .map(|x| x["Id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["HoneytokenAlertTopic", "HoneytokenKillSwitchLambda"]);
    let permission = resource(&t, "KillSwitchInvokePermission");
    assert_eq!(permission["Principal"], "events.amazonaws.com");
    let function = resource(&t, "KillSwitchFunction");
    assert_eq!(function["FunctionName"], "HoneytokenKillSwitch");
    let role = resource(&t, "KillSwitchRole");
    assert_eq!(role["RoleName"], "HoneytokenKillSwitchRole");
    // Least privilege as `trailcase posture` judges it.
    let documents: Vec<Value> = role["Policies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["PolicyDocument"].clone())
        .collect();
    killswitch_role::judge(&documents).unwrap();
    let trail = resource(&t, "Trail");
    assert_eq!(trail["IsMultiRegionTrail"], true);
    assert_eq!(trail["EnableLogFileValidation"], true);
}
