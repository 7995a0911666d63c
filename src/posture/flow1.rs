//! The honeytoken's existence (`honeytoken.rs`), and flow 1: the metric filter on the trail's log group must catch a
//! read of the honeytoken (and not every secret), its alarm must fire on one read and notify an
//! SNS topic that someone has confirmed. The alarm is the filter's when it watches its metric
//! as the case's flow 1 requires (`rules::metric_match`: name, namespace, dimension names); a
//! metric-math alarm reading it in a `MetricStat` query leaves the alarm check unknown (its
//! threshold applies to an expression posture does not evaluate); its actions and topics are
//! checked as any alarm's.

use super::synthetic::Reads;
use super::Checks;
use crate::model::posture_snapshot::{AlarmState, FilterState, Snapshot, TrailState};
use crate::model::{MetricFilter, Origin};
use crate::rules::alarm::{self, AlarmState as State};
use crate::rules::alarm_definition;
use crate::rules::filter_pattern::FilterPattern;
use crate::rules::metric_match::{self, AlarmMetric};

/// The metric the filter publishes, as the matcher takes it.
fn published_metric(f: &FilterState) -> MetricFilter {
    MetricFilter {
        name: f.name.clone(),
        pattern: f.pattern.clone(),
        log_group: Some(f.log_group.clone()),
        metric_name: Some(f.metric_name.clone()),
        metric_namespace: Some(f.metric_namespace.clone()),
        metric_value: None,
        default_value: f.default_value,
        metric_dimensions: f.metric_dimensions.clone(),
        origin: Origin { input: 0, index: 0 },
    }
}

/// The metric the alarm watches, as describe-alarms gives it.
fn alarm_metric(a: &AlarmState) -> AlarmMetric<'_> {
    AlarmMetric {
        name: a.definition.metric_name.as_deref(),
        namespace: a.definition.namespace.as_deref(),
        dimensions: a.definition.dimensions.as_deref(),
        source: "describe-alarms",
    }
}

pub fn check(s: &Snapshot, reads: &Reads, trail: Option<&TrailState>, c: &mut Checks) {
    super::honeytoken::check(s, c);
    let Some(filter) = metric_filter(s, reads, trail, c) else {
        for id in ["flow1.alarm", "flow1.alarm-action", "flow1.topic"] {
            match &s.metric_filters {
                Ok(_) => c.fail(
                    id,
                    "no metric filter catches the honeytoken, so no alarm can fire",
                ),
                Err(e) => c.unknown(id, format!("cannot read the metric filters: {e}")),
            }
        }
        return;
    };
    let alarms = match &s.alarms {
        Ok(a) => a,
        Err(e) => {
            for id in ["flow1.alarm", "flow1.alarm-action", "flow1.topic"] {
                c.unknown(id, format!("cannot read the alarms: {e}"));
            }
            return;
        }
    };
    // The same match as the case's flow 1: metric name, namespace and dimension names.
    let published = published_metric(filter);
    let on_metric: Vec<&AlarmState> = alarms
        .iter()
        .filter(|a| match &a.definition.math {
            // Read in a MetricStat query: judged below as unknown, never as firing.
            Some(m) => metric_match::math_matches(&published, m, "describe-alarms").is_some(),
            None => metric_match::matches(&published, &alarm_metric(a)).is_some(),
        })
        .collect();
    let metric = format!("{}/{}", filter.metric_namespace, filter.metric_name);
    let firing: Vec<&AlarmState> = on_metric
        .iter()
        .copied()
        .filter(|a| fires_on_one_read(a, filter).is_ok())
        .collect();
    let math = on_metric.iter().find(|a| a.definition.math.is_some());
    if let (None, Some(a)) = (firing.first(), math) {
        // Its threshold applies to an expression posture does not evaluate: not a failure,
        // not a pass.
        c.unknown(
            "flow1.alarm",
            format!(
                "alarm {} reads the filter's metric {metric} in a metric-math expression ({}), whose value is not evaluated: whether it goes to ALARM on one read is unknown",
                a.definition.name,
                a.definition
                    .math
                    .as_ref()
                    .and_then(|m| m.returned.as_deref())
                    .unwrap_or("its returned query not recorded")
            ),
        );
        // Its actions and topics are checked as any alarm's: they are what it does when it
        // goes to ALARM, whether or not one read takes it there.
        actions(
            s,
            a,
            " when it goes to ALARM (whether one read takes it there is unknown)",
            c,
        );
        return;
    }
    let Some(a) = firing.first() else {
        let why = match on_metric.first() {
            None => {
                let near = alarms
                    .iter()
                    .find_map(|a| {
                        let why = metric_match::near_miss(&[&published], &alarm_metric(a))?;
                        Some(format!(" (alarm {}: {why})", a.definition.name))
                    })
                    .unwrap_or_default();
                format!("no alarm watches the filter's metric {metric}{}", near)
            }
            Some(a) => format!(
                "alarm {} on {metric} does not fire on one read: {}",
                a.definition.name,
                fires_on_one_read(a, filter).unwrap_err()
            ),
        };
        c.fail("flow1.alarm", why);
        for id in ["flow1.alarm-action", "flow1.topic"] {
            c.fail(id, "no alarm fires on a read of the honeytoken");
        }
        return;
    };
    let d = &a.definition;
    c.pass(
        "flow1.alarm",
        format!(
            "alarm {} ({} {} {} over {} s) goes to ALARM on one read",
            d.name,
            d.statistic.as_deref().unwrap_or("?"),
            d.comparison_operator.as_deref().unwrap_or("?"),
            d.threshold.unwrap_or(f64::NAN),
            d.period.unwrap_or(0)
        ),
    );
    actions(s, a, "", c);
}

/// `flow1.alarm-action` and `flow1.topic` for alarm `a`: its actions enabled, an SNS alarm
/// action, each topic with a confirmed subscription. `when`: after "notifies …" in a pass.
fn actions(s: &Snapshot, a: &AlarmState, when: &str, c: &mut Checks) {
    let d = &a.definition;
    let topics: Vec<String> = d
        .alarm_actions
        .iter()
        .filter(|x| x.starts_with("arn:aws") && x.contains(":sns:"))
        .cloned()
        .collect();
    if !a.actions_enabled {
        c.fail(
            "flow1.alarm-action",
            format!(
                "alarm {} has its actions disabled: it notifies no one",
                d.name
            ),
        );
    } else if topics.is_empty() {
        c.fail(
            "flow1.alarm-action",
            format!("alarm {} has no SNS alarm action", d.name),
        );
    } else {
        c.pass(
            "flow1.alarm-action",
            format!("alarm {} notifies {}{when}", d.name, topics.join(", ")),
        );
    }
    notify(s, "flow1.topic", &topics, c);
}

/// The filter that catches the honeytoken, after checking it.
fn metric_filter<'s>(
    s: &'s Snapshot,
    reads: &Reads,
    trail: Option<&TrailState>,
    c: &mut Checks,
) -> Option<&'s FilterState> {
    const ID: &str = "flow1.metric-filter";
    let filters = match &s.metric_filters {
        Ok(f) => f,
        Err(e) => {
            c.unknown(ID, format!("cannot read the metric filters: {e}"));
            return None;
        }
    };
    let group = trail.and_then(TrailState::log_group_name);
    let judged: Vec<(&FilterState, Result<(), String>)> =
        filters.iter().map(|f| (f, judge(f, reads))).collect();
    let good = judged
        .iter()
        .find(|(f, r)| r.is_ok() && group.is_none_or(|g| f.log_group == g));
    if let Some((f, _)) = good {
        c.pass(
            ID,
            format!(
                "filter {} on {} catches the honeytoken {}",
                f.name,
                f.log_group,
                reads.caught()
            ),
        );
        return Some(f);
    }
    let reason = if let Some((f, _)) = judged.iter().find(|(_, r)| r.is_ok()) {
        format!(
            "filter {} catches the honeytoken but is on {}, not on the trail's log group {}",
            f.name,
            f.log_group,
            group.unwrap_or("?")
        )
    } else if let Some((f, Err(why))) = judged
        .iter()
        .find(|(f, _)| f.pattern.contains(reads.api) || f.pattern.contains(&s.honeytoken))
    {
        format!("filter {}: {why}", f.name)
    } else {
        format!(
            "none of the {} metric filters catches a {} of {}",
            filters.len(),
            reads.api,
            s.honeytoken
        )
    };
    c.fail(ID, reason);
    None
}

fn judge(f: &FilterState, reads: &Reads) -> Result<(), String> {
    let p = FilterPattern::parse(&f.pattern).map_err(|e| format!("invalid pattern: {e}"))?;
    for (what, r) in &reads.honeytoken {
        if !p.matches_json(r) {
            return Err(format!("its pattern misses {what}"));
        }
    }
    if p.matches_json(&reads.other) {
        return Err(format!(
            "its pattern matches a {} of any {}: it cannot tell the honeytoken apart",
            reads.api, reads.thing
        ));
    }
    Ok(())
}

/// Replay the alarm over one read (the filter publishes 1, its default value elsewhere).
fn fires_on_one_read(a: &AlarmState, f: &FilterState) -> Result<(), String> {
    let def = alarm_definition(&a.definition, f.default_value).map_err(|e| e.to_string())?;
    let t = 1_767_225_600; // 2026-01-01T00:00:00Z, the synthetic read's time
    let span = def.period_seconds * (def.evaluation_periods as i64 + 2);
    let changes =
        alarm::evaluate(&def, &[(t, 1.0)], t - span, t + span).map_err(|e| e.to_string())?;
    match changes.iter().find(|x| x.to == State::Alarm) {
        Some(x) if x.time - t <= def.period_seconds => Ok(()),
        Some(x) => Err(format!("it fires only {} s after the read", x.time - t)),
        None => Err(format!(
            "threshold {} {} is not reached by one read",
            a.definition.comparison_operator.as_deref().unwrap_or("?"),
            a.definition.threshold.unwrap_or(f64::NAN)
        )),
    }
}

/// Each topic must exist and have at least one confirmed subscription.
pub(super) fn notify(s: &Snapshot, id: &'static str, topics: &[String], c: &mut Checks) {
    if topics.is_empty() {
        return c.fail(id, "no SNS topic to check");
    }
    let mut problems = Vec::new();
    let mut unknown = Vec::new();
    let mut good = Vec::new();
    for arn in topics {
        match s.topics.get(arn) {
            Some(Ok(t)) if t.confirmed > 0 => {
                good.push(format!("{arn} ({} confirmed)", t.confirmed))
            }
            Some(Ok(t)) => problems.push(format!(
                "{arn} has no confirmed subscription ({} pending confirmation)",
                t.pending
            )),
            Some(Err(e)) => unknown.push(format!("{arn}: {e}")),
            None => unknown.push(format!("{arn} was not read")),
        }
    }
    if !problems.is_empty() {
        c.fail(id, problems.join("; "));
    } else if !unknown.is_empty() {
        c.unknown(id, unknown.join("; "));
    } else {
        c.pass(id, good.join(", "));
    }
}
