//! Section 3: the monitoring pipeline as the collected configuration shows it (the detection
//! flows' pieces as the analysis picked them: [`Timeline::detection`]). Every box is
//! labelled with real names, patterns and thresholds; a piece not in the evidence is drawn as
//! missing, never invented.

use super::fmt::shorten;
use super::IntegrityStatement;
use crate::model::{AlarmDefinition, Timeline};
use crate::report::{Block, DiagramEdge, DiagramNode, DiagramSpec, NodeStatus};

fn node(id: &str, title: &str, lines: Option<Vec<String>>, row: usize, col: usize) -> DiagramNode {
    DiagramNode {
        id: id.into(),
        title: title.into(),
        status: if lines.is_some() {
            NodeStatus::Present
        } else {
            NodeStatus::Missing
        },
        lines: lines.unwrap_or_default(),
        row,
        col,
    }
}

fn edge(from: &str, to: &str, label: &str) -> DiagramEdge {
    DiagramEdge {
        from: from.into(),
        to: to.into(),
        label: label.into(),
    }
}

/// `validation`: the trail's log file validation as the integrity verdict found it; the trail's
/// own setting is in the posture checks, not here, so that the diagram and the verdict cannot
/// disagree.
pub fn diagram(t: &Timeline, validation: &str) -> DiagramSpec {
    let mut spec = configured(t, validation);
    super::posture::mark_diagram(&mut spec, t);
    spec
}

fn configured(t: &Timeline, validation: &str) -> DiagramSpec {
    let c = &t.config;
    let det = &t.detection;
    let trail = c.trails.first().map(|tr| {
        let mut l = vec![tr.name.clone()];
        l.push(format!("multi-region: {}", yes_no(tr.multi_region)));
        l.push(format!("validation: {validation}"));
        if let Some(b) = &tr.s3_bucket {
            l.push(format!("S3: {b}"));
        }
        l
    });
    let log_group = c
        .trails
        .iter()
        .find_map(|tr| tr.cloudwatch_log_group_arn.clone())
        .or_else(|| det.filters.first().and_then(|f| f.log_group.clone()))
        .map(|g| {
            vec![shorten(
                g.trim_end_matches(":*").rsplit(':').next().unwrap_or(&g),
                48,
            )]
        });
    let filter = det.filters.first().map(|f| {
        vec![
            f.name.clone(),
            shorten(&f.pattern, 120),
            format!("metric: {}", f.metric_name.clone().unwrap_or_default()),
        ]
    });
    let alarm = det
        .alarms
        .first()
        .map(|a| vec![a.name.clone(), alarm_rule(a)]);
    let alarm_topic = det
        .alarms
        .first()
        .and_then(|a| a.alarm_actions.first())
        .map(|arn| vec![arn_name(arn)]);
    let rule = det.rules.first().map(|r| {
        let mut l = vec![format!(
            "{} ({})",
            r.name,
            r.state.clone().unwrap_or_default()
        )];
        if let Some(p) = &r.event_pattern {
            l.push(shorten(&compact(p), 120));
        }
        l
    });
    let targets: Vec<_> = det
        .rules
        .first()
        .map(|r| {
            c.targets
                .iter()
                .filter(|x| x.rule.as_deref() == Some(r.name.as_str()))
                .collect()
        })
        .unwrap_or_default();
    let rule_topic = targets
        .iter()
        .find(|x| x.arn.contains(":sns:"))
        .map(|x| vec![arn_name(&x.arn)]);
    let lambda = targets
        .iter()
        .find(|x| x.arn.contains(":lambda:") || x.arn.contains(":ssm:"))
        .map(|x| vec![arn_name(&x.arn)]);
    DiagramSpec {
        title: "Detection pipeline as configured (from the collected AWS configuration)".into(),
        nodes: vec![
            node("trail", "CloudTrail trail", trail, 0, 0),
            node("logs", "CloudWatch Logs group", log_group, 0, 1),
            node("filter", "Metric filter", filter, 0, 2),
            node("alarm", "CloudWatch alarm", alarm, 1, 2),
            node("sns1", "SNS topic (flow 1)", alarm_topic, 1, 1),
            node("rule", "EventBridge rule", rule, 2, 0),
            node("kill", "Kill-switch", lambda, 2, 1),
            node("sns2", "SNS topic (flow 2)", rule_topic, 3, 0),
        ],
        edges: vec![
            edge("trail", "logs", "delivers"),
            edge("logs", "filter", "matches"),
            edge("filter", "alarm", "metric"),
            edge("alarm", "sns1", "action"),
            edge("trail", "rule", "event"),
            edge("rule", "sns2", "target"),
            edge("rule", "kill", "target"),
        ],
    }
}

pub fn section(t: &Timeline, integrity: &IntegrityStatement) -> Vec<Block> {
    let spec = diagram(t, integrity.validation_label());
    // With no piece in the evidence, the drawing is the layout only: it rests on nothing.
    let drawn = if spec.nodes.iter().all(|n| n.status == NodeStatus::Missing) {
        "No configuration of the pipeline is in the evidence (no describe-trails, describe-metric-filters, describe-alarms, list-rules or list-targets-by-rule output): the drawing shows where each piece would be, every one missing."
    } else {
        "Drawn from the configuration collected with the evidence (describe-trails, describe-metric-filters, describe-alarms, list-rules, list-targets-by-rule)."
    };
    vec![
        Block::heading(1, "The monitoring pipeline as built"),
        Block::para(format!(
            "{drawn} Flow 1 runs top and middle: trail to log group to metric filter to alarm to SNS. Flow 2 runs down the left: trail to EventBridge rule, which targets the kill-switch and a second SNS topic. A dashed grey box is a piece the evidence does not contain."
        )),
        Block::Diagram(spec),
    ]
    .into_iter()
    .chain(super::posture::blocks(t))
    .collect()
}

fn yes_no(b: Option<bool>) -> &'static str {
    match b {
        Some(true) => "yes",
        Some(false) => "no",
        None => "unknown",
    }
}

/// An alarm's rule as its definition states it: `Sum >= 1 over 60 s, 1 of 1` (statistic,
/// comparison, threshold, period, datapoints to alarm of evaluation periods), a metric-math
/// alarm's `metric math <returned expression> >= 1, 1 of 1` (the threshold is the expression's,
/// not the filter metric's); `?` for what the definition does not record.
pub(super) fn alarm_rule(a: &AlarmDefinition) -> String {
    let unknown = || "?".to_string();
    let ep = a.evaluation_periods.map(|n| n.to_string());
    let dp = a
        .datapoints_to_alarm
        .map(|n| n.to_string())
        .or(ep.clone())
        .unwrap_or_else(unknown);
    let ep = ep.unwrap_or_else(unknown);
    let threshold = a.threshold.map(|x| x.to_string()).unwrap_or_else(unknown);
    let op = op(a.comparison_operator.as_deref());
    match &a.math {
        Some(m) => format!(
            "metric math {} {op} {threshold}, {dp} of {ep}",
            shorten(m.returned.as_deref().unwrap_or("(not recorded)"), 60)
        ),
        None => format!(
            "{} {op} {threshold} over {} s, {dp} of {ep}",
            a.statistic.clone().unwrap_or_else(unknown),
            a.period.map(|p| p.to_string()).unwrap_or_else(unknown),
        ),
    }
}

fn op(o: Option<&str>) -> &'static str {
    match o {
        Some("GreaterThanOrEqualToThreshold") => ">=",
        Some("GreaterThanThreshold") => ">",
        Some("LessThanThreshold") => "<",
        Some("LessThanOrEqualToThreshold") => "<=",
        _ => "?",
    }
}

fn arn_name(arn: &str) -> String {
    arn.rsplit([':', '/']).next().unwrap_or(arn).to_string()
}

fn compact(pattern: &str) -> String {
    serde_json::from_str::<serde_json::Value>(pattern)
        .map(|v| v.to_string())
        .unwrap_or_else(|_| pattern.to_string())
}
