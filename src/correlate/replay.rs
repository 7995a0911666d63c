//! Detection replay: evaluate each flow's own rule (metric filter pattern, EventBridge event
//! pattern) over every record read, then judge each honeytoken access: matched or missed, when the
//! flow should have fired and when it did; and count what else the rule would page on.
//!
//! Pure: the records come through [`Observer`] during the analysis passes; no I/O, no clock.

mod findings;
mod observe;
mod timing;

pub use findings::add_findings;
pub use observe::{to_match, Observed, Observer};

use crate::model::AnalysisSettings;
use crate::model::{
    AccessReplay, AlarmDefinition, ConfigEvidence, Event, FlowKind, FlowReplay, Incident, Replay,
    Timestamp,
};
use crate::rules::detector::Detector;
use crate::rules::event_pattern::EventPattern;
use crate::rules::filter_pattern::FilterPattern;
use std::collections::BTreeMap;

/// Noise examples kept per rule, at most: fewer when there are many rules (see
/// [`examples_per_rule`]).
pub const MAX_EXAMPLES: usize = 1_000;
/// Noise examples kept for all rules together, past ten rules: an account with thousands of
/// filters on `GetSecretValue` would otherwise keep a thousand copies of each example.
const EXAMPLES_IN_ALL: usize = 10_000;
/// Noise examples kept per rule, at least.
const MIN_EXAMPLES: usize = 10;

/// Accesses listed per flow in all, and at most and at least per flow (see [`access_rows_per_flow`]).
const ACCESS_ROWS_IN_ALL: usize = 20_000;
const MAX_ACCESS_ROWS: usize = 1_000;
const MIN_ACCESS_ROWS: usize = 10;

/// How many accesses each of `rules` replayed rules lists.
pub fn access_rows_per_flow(rules: usize) -> usize {
    (ACCESS_ROWS_IN_ALL / rules.max(1)).clamp(MIN_ACCESS_ROWS, MAX_ACCESS_ROWS)
}

/// List at most `cap` accesses of the flow, the missed ones first, in time order; the totals
/// keep every access. Once its judgement is taken: the findings read every access.
fn bound_rows(f: &mut FlowReplay, cap: usize) {
    if f.accesses.len() > cap {
        let mut order: Vec<usize> = (0..f.accesses.len()).collect();
        order.sort_by_key(|&n| (f.accesses[n].matched, n));
        let mut keep = vec![false; f.accesses.len()];
        for &n in &order[..cap] {
            keep[n] = true;
        }
        let mut k = keep.into_iter();
        f.accesses.retain(|_| k.next().unwrap_or(false));
    }
    f.matched_accesses.truncate(cap);
    f.missed_accesses.truncate(cap);
    // The rows of every flow are kept: give back what the cut ones took.
    f.accesses.shrink_to_fit();
    f.matched_accesses.shrink_to_fit();
    f.missed_accesses.shrink_to_fit();
}

/// What one flow made of the honeytoken accesses, kept compact for the findings once its rows
/// are cut: indices into [`Judged::accesses`].
#[derive(Debug, Default)]
pub struct FlowJudgement {
    /// Accesses the flow's rule does not match.
    pub missed: Vec<u32>,
    /// Flow 1: accesses the filter matches but its replayed alarm would not enter ALARM for.
    pub silent: Vec<u32>,
}

/// The replay with what each flow made of every access: the findings are made from it.
pub struct Judged {
    pub replay: Replay,
    /// Every honeytoken access judged: its incident (an index into the incidents) and eventID.
    pub accesses: Vec<(usize, String)>,
    /// One per flow of [`Replay::flows`], in that order.
    pub flows: Vec<FlowJudgement>,
}

/// Judge one flow's accesses (one row per access, in the order of `accesses`).
fn judge(f: &FlowReplay) -> FlowJudgement {
    let mut j = FlowJudgement::default();
    for (n, a) in f.accesses.iter().enumerate() {
        if !a.matched {
            j.missed.push(n as u32);
        } else if a.predicted.is_none() && f.error.is_none() && f.flow == FlowKind::MetricFilter {
            j.silent.push(n as u32);
        }
    }
    j
}

/// How many noise examples each of `rules` replayed rules keeps.
pub fn examples_per_rule(rules: usize) -> usize {
    (EXAMPLES_IN_ALL / rules.max(1)).clamp(MIN_EXAMPLES, MAX_EXAMPLES)
}

/// One rule to replay, from the pipeline evidence or the command line.
#[derive(Debug, Clone)]
pub struct FlowSpec {
    pub flow: FlowKind,
    pub resource: String,
    pub pattern: String,
    /// The compiled rule, or AWS's reason for refusing it.
    pub detector: Result<Detector, String>,
    /// Flow 1: the filter's `metricValue` (`1`, `$.field`).
    pub metric_value: Option<String>,
    /// Flow 1: the filter's `defaultValue`, published for every minute without a match.
    pub metric_default_value: Option<f64>,
    /// Flow 1: the alarm on the filter's metric.
    pub alarm: Option<AlarmDefinition>,
    /// Flow 1: where `alarm`'s definition comes from when not describe-alarms, and where
    /// `[detection].alarms` and the evidence disagree on it.
    pub alarm_basis: Option<String>,
    /// Flow 1 with no `alarm`: why none is replayed though the evidence holds one on the
    /// metric (on it only by a definition after the first access, or unknown then).
    pub alarm_none_because: Option<String>,
}

impl FlowSpec {
    pub fn event_rule(resource: &str, pattern: &str) -> FlowSpec {
        FlowSpec {
            flow: FlowKind::EventRule,
            resource: resource.to_string(),
            pattern: pattern.to_string(),
            detector: EventPattern::parse(pattern)
                .map(Detector::Event)
                .map_err(|e| e.to_string()),
            metric_value: None,
            metric_default_value: None,
            alarm: None,
            alarm_basis: None,
            alarm_none_because: None,
        }
    }

    pub fn metric_filter(resource: &str, pattern: &str) -> FlowSpec {
        FlowSpec {
            flow: FlowKind::MetricFilter,
            resource: resource.to_string(),
            pattern: pattern.to_string(),
            detector: FilterPattern::parse(pattern)
                .map(Detector::Filter)
                .map_err(|e| format!("Invalid metric filter pattern: {e}")),
            metric_value: None,
            metric_default_value: None,
            alarm: None,
            alarm_basis: None,
            alarm_none_because: None,
        }
    }

    /// What identifies the rule: a pre-pass and the full pass agree when these are equal.
    pub fn key(&self) -> (FlowKind, &str, &str) {
        (self.flow, &self.resource, &self.pattern)
    }
}

/// The case's detection rules as the pipeline evidence shows them: the flow-1 metric filters
/// (with the alarm on each one's metric) and the flow-2 EventBridge rules.
pub fn specs(settings: &AnalysisSettings, evidence: &ConfigEvidence) -> Vec<FlowSpec> {
    let rules = &settings.honeytokens;
    let mut out = Vec::new();
    for f in super::detection::detection_filters(settings, evidence, rules) {
        let mut spec = FlowSpec::metric_filter(&f.name, &f.pattern);
        spec.metric_value = f.metric_value.clone();
        spec.metric_default_value = f.default_value;
        // The latest definition: `build` takes the one in force at the first access.
        let chosen = super::spec_alarm::choose(f, &settings.detection.alarms, evidence, None);
        spec.alarm = chosen.alarm;
        spec.alarm_basis = chosen.basis;
        out.push(spec);
    }
    let flows = super::detection::Flows::new(settings, evidence, rules);
    for r in evidence.rules.iter().filter(|r| flows.is_rule(&r.name)) {
        if let Some(p) = &r.event_pattern {
            out.push(FlowSpec::event_rule(&r.name, p));
        }
    }
    out
}

/// Everything [`build`] reads besides the observed matches.
pub struct Context<'a> {
    pub settings: &'a AnalysisSettings,
    pub incidents: &'a [Incident],
    pub events: &'a [Event],
    pub evidence: &'a ConfigEvidence,
}

/// Judge every honeytoken access against every replayed rule. Each flow's rows are cut to
/// [`Replay::max_access_rows`] as soon as it is judged: a loop of reads times many rules would
/// otherwise hold a row per access and flow.
pub fn build(specs: &[FlowSpec], observed: &Observed, cx: &Context<'_>) -> Judged {
    let times: BTreeMap<&str, Timestamp> = cx
        .events
        .iter()
        .map(|e| (e.event_id.as_str(), e.time))
        .collect();
    let accesses: Vec<(usize, &Incident, &str, Timestamp)> = cx
        .incidents
        .iter()
        .enumerate()
        .flat_map(|(n, i)| i.access_event_ids.iter().map(move |id| (n, i, id.as_str())))
        .filter_map(|(n, i, id)| Some((n, i, id, *times.get(id)?)))
        .collect();
    let rule_count = specs
        .iter()
        .filter(|s| s.flow == FlowKind::EventRule)
        .count();
    let access_ids: std::collections::HashSet<&str> = accesses.iter().map(|a| a.2).collect();
    let max_access_rows = access_rows_per_flow(specs.len());
    let mut judgements = Vec::with_capacity(specs.len());
    let first_access = accesses.iter().map(|a| a.3).min();
    let flows = specs
        .iter()
        .enumerate()
        .map(|(n, spec)| {
            let spec = &in_force_at(spec, first_access, cx);
            let mut fr = flow_replay(spec, n, observed, &accesses, cx, rule_count == 1);
            fr.noise_examples
                .retain(|m| !access_ids.contains(m.event_id.as_str()));
            judgements.push(judge(&fr));
            bound_rows(&mut fr, max_access_rows);
            fr
        })
        .collect();
    let mut assumptions = vec![
            format!("flow 1: the alarm is evaluated at the end of each period over every event the metric filter matches; the predicted time assumes the record reaches CloudWatch Logs at once, the latest predicted time allows {} s of CloudTrail-to-CloudWatch-Logs delivery delay (AWS states about 5 minutes on average; the evidence has no ingestion times)", timing::ASSUMED_DELIVERY_DELAY_SECS),
            "flow 2: EventBridge delivers CloudTrail management events within seconds, so the predicted firing time is the event time; the actual time is known to the minute (AWS/Events TriggeredRules) unless a kill-switch call narrows it".into(),
            "matches are counted once per eventID (a record delivered twice, or also read from LookupEvents, counts once)".into(),
        ];
    assumptions.splice(1..1, default_value_assumptions(specs));
    Judged {
        replay: Replay {
            flows,
            assumptions,
            records_evaluated: observed.records,
            max_examples: examples_per_rule(specs.len()),
            max_access_rows,
        },
        accesses: accesses.iter().map(|a| (a.0, a.2.to_string())).collect(),
        flows: judgements,
    }
}

/// A flow-1 spec with the alarm whose definition was in force at the first access (the rule of
/// flow 1's detection), or, with no access, the latest, said as such; other specs as they are.
fn in_force_at(spec: &FlowSpec, first_access: Option<Timestamp>, cx: &Context<'_>) -> FlowSpec {
    let mut spec = spec.clone();
    let filter = cx
        .evidence
        .metric_filters
        .iter()
        .find(|f| f.name == spec.resource && f.pattern == spec.pattern);
    if let (FlowKind::MetricFilter, Some(f)) = (spec.flow, filter) {
        let chosen =
            super::spec_alarm::choose(f, &cx.settings.detection.alarms, cx.evidence, first_access);
        spec.alarm = chosen.alarm;
        spec.alarm_basis = chosen.basis;
        spec.alarm_none_because = chosen.none_because;
    }
    spec
}

/// Filters named in one assumption; the rest are counted.
const NAMED_FILTERS: usize = 5;

/// What the replay assumes about minutes without a match of the flow-1 filters: one assumption
/// per defaultValue (or its absence), naming its first filters and counting the rest.
fn default_value_assumptions(specs: &[FlowSpec]) -> Vec<String> {
    let mut by_default: Vec<(Option<f64>, Vec<&str>)> = Vec::new();
    for s in specs.iter().filter(|s| s.flow == FlowKind::MetricFilter) {
        let v = s.metric_default_value;
        match by_default
            .iter_mut()
            .find(|(d, _)| d.map(f64::to_bits) == v.map(f64::to_bits))
        {
            Some((_, names)) => names.push(&s.resource),
            None => by_default.push((v, vec![&s.resource])),
        }
    }
    by_default
        .into_iter()
        .map(|(v, names)| {
            let mut who = names
                .iter()
                .take(NAMED_FILTERS)
                .copied()
                .collect::<Vec<_>>()
                .join(", ");
            if names.len() > NAMED_FILTERS {
                who.push_str(&format!(" and {} more filters", names.len() - NAMED_FILTERS));
            }
            let (the, has) = if names.len() == 1 {
                ("the filter's", "the filter has")
            } else {
                ("the filters'", "the filters have")
            };
            match v {
                Some(v) => format!("flow 1 ({who}): {the} defaultValue {v} counts as published for every minute without a match (CloudWatch publishes it for minutes in which the log group received events, which a trail's log group does every minute)"),
                None => format!("flow 1 ({who}): {has} no defaultValue, so minutes without a match have no datapoint and the alarm's TreatMissingData applies"),
            }
        })
        .collect()
}

fn flow_replay(
    spec: &FlowSpec,
    n: usize,
    observed: &Observed,
    accesses: &[(usize, &Incident, &str, Timestamp)],
    cx: &Context<'_>,
    single_rule: bool,
) -> FlowReplay {
    let mut fr = FlowReplay {
        flow: spec.flow,
        resource: spec.resource.clone(),
        pattern: spec.pattern.clone(),
        alarm: spec.alarm.as_ref().map(|a| a.name.clone()),
        alarm_basis: spec.alarm_basis.clone(),
        error: spec.detector.as_ref().err().cloned(),
        matches: 0,
        accesses_total: 0,
        matched_total: 0,
        missed_total: 0,
        accesses: Vec::new(),
        matched_accesses: Vec::new(),
        missed_accesses: Vec::new(),
        matches_at_least: false,
        noise_count: 0,
        noise_examples: Vec::new(),
        predicted_pages: None,
    };
    let Some(m) = observed.rules.get(n).filter(|_| fr.error.is_none()) else {
        return fr;
    };
    // Past the rule's share of kept matches the count is of those kept (a deterministic
    // number: every honeytoken read and the cap), flagged as a lower bound.
    fr.matches = m.hits.len() as u64;
    fr.matches_at_least = m.overflow > 0;
    let mut examples: Vec<_> = m.examples.clone().into_vec();
    examples.sort();
    fr.noise_examples = examples;
    let matched_access_count = accesses
        .iter()
        .filter(|a| observed.matched(n, a.2))
        .map(|a| a.2)
        .collect::<std::collections::BTreeSet<_>>()
        .len() as u64;
    fr.noise_count = fr.matches.saturating_sub(matched_access_count);
    let window_ms = cx.settings.detection.window_ms();
    match spec.flow {
        FlowKind::EventRule => {
            fr.predicted_pages = Some(fr.matches);
            let series = timing::triggered_series(cx.evidence, &spec.resource, single_rule);
            for &(_, inc, id, t) in accesses {
                let matched = observed.matched(n, id);
                let kills: Vec<Timestamp> = inc.containment.iter().map(|c| c.time).collect();
                let actual = timing::actual_trigger(&series, t, &kills);
                let predicted = matched.then_some(t);
                fr.accesses.push(AccessReplay {
                    incident: inc.id.clone(),
                    event_id: id.to_string(),
                    time: t,
                    matched,
                    predicted,
                    predicted_latest: None,
                    delay_seconds: delay(predicted, actual.as_ref().map(|a| a.0)),
                    actual: actual.as_ref().map(|a| a.0),
                    actual_evidence: actual.map(|a| a.1),
                    note: None,
                });
            }
        }
        FlowKind::MetricFilter => {
            flow1_accesses(&mut fr, spec, n, observed, accesses, cx, window_ms)
        }
    }
    for a in &fr.accesses {
        if a.matched {
            fr.matched_accesses.push(a.event_id.clone());
        } else {
            fr.missed_accesses.push(a.event_id.clone());
        }
    }
    fr.accesses_total = fr.accesses.len() as u64;
    fr.matched_total = fr.matched_accesses.len() as u64;
    fr.missed_total = fr.missed_accesses.len() as u64;
    fr
}

fn flow1_accesses(
    fr: &mut FlowReplay,
    spec: &FlowSpec,
    n: usize,
    observed: &Observed,
    accesses: &[(usize, &Incident, &str, Timestamp)],
    cx: &Context<'_>,
    window_ms: i64,
) {
    let def = spec
        .alarm
        .as_ref()
        .map(|a| crate::rules::alarm_definition(a, spec.metric_default_value));
    let transitions = match &def {
        Some(Ok(_)) if fr.matches_at_least => Err(format!(
            "the filter matches more than the {} events that are not honeytoken reads kept for it, so the alarm is not replayed",
            observe::hits_per_rule(observed.rules.len())
        )),
        Some(Ok(d)) => {
            let secs: Vec<i64> = accesses.iter().map(|a| a.3.secs()).collect();
            timing::replay_alarm(d, &observed.points(n), &secs)
        }
        Some(Err(e)) => Err(e.to_string()),
        None => Err(spec
            .alarm_none_because
            .clone()
            .unwrap_or_else(|| "no alarm on the filter's metric in the evidence".into())),
    };
    if let Err(e) = &transitions {
        fr.error = Some(e.clone());
    }
    fr.predicted_pages = transitions.as_deref().ok().map(|t| {
        t.iter()
            .filter(|t| t.to == crate::rules::alarm::AlarmState::Alarm)
            .count() as u64
    });
    for &(_, inc, id, t) in accesses {
        let matched = observed.matched(n, id);
        let mut note = None;
        let mut predicted = None;
        // Predicted only from a replayed alarm: a definition the replay refused (a period of
        // 0) predicts nothing, and each access says why.
        match (matched, &def, &transitions) {
            (true, Some(Ok(_)), Err(e)) => {
                note = Some(format!(
                    "the alarm could not be replayed ({e}): when it fired is not predicted"
                ));
            }
            (true, Some(Ok(d)), Ok(transitions)) => {
                match timing::predicted_alarm(d, transitions, t.secs()) {
                    Some((since, already)) => {
                        predicted = Some(Timestamp::from_secs(since));
                        if already {
                            note = Some(format!("predicted, not observed: the replayed alarm would be already in ALARM since {} (an earlier access), so no new notification for this access", Timestamp::from_secs(since)));
                        }
                    }
                    None => {
                        note = Some("the filter matches, but the alarm would not enter ALARM for it (threshold, datapoints or period)".into());
                    }
                }
            }
            _ => {}
        }
        let predicted_latest = predicted.map(|p| {
            let late = t.secs() + timing::ASSUMED_DELIVERY_DELAY_SECS;
            Timestamp::from_secs(p.secs().max(late.div_euclid(60) * 60 + 60))
        });
        let actual = match (&fr.alarm, predicted.or(matched.then_some(t))) {
            (Some(alarm), Some(from)) => timing::actual_alarm(cx.evidence, alarm, from, window_ms),
            _ => None,
        };
        fr.accesses.push(AccessReplay {
            incident: inc.id.clone(),
            event_id: id.to_string(),
            time: t,
            matched,
            predicted,
            predicted_latest,
            actual: actual.map(|h| h.time),
            actual_evidence: actual.map(timing::alarm_evidence),
            delay_seconds: delay(predicted, actual.map(|h| h.time)),
            note,
        });
    }
}

fn delay(predicted: Option<Timestamp>, actual: Option<Timestamp>) -> Option<f64> {
    Some(predicted?.seconds_until(actual?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AccessReplay;

    fn access(n: i64, matched: bool) -> AccessReplay {
        AccessReplay {
            incident: "INC-001".into(),
            event_id: format!("e{n}"),
            time: Timestamp::from_secs(n),
            matched,
            predicted: None,
            predicted_latest: None,
            actual: None,
            actual_evidence: None,
            delay_seconds: None,
            note: None,
        }
    }

    /// Past the bound, the missed accesses are listed first, then the earliest matched ones,
    /// in time order; the totals are not touched.
    #[test]
    fn bounded_rows_keep_the_missed_first_in_time_order() {
        let accesses: Vec<AccessReplay> = (0..5).map(|n| access(n, n < 3)).collect();
        let mut r = Replay {
            flows: vec![FlowReplay {
                flow: FlowKind::EventRule,
                resource: "r".into(),
                pattern: "{}".into(),
                alarm: None,
                alarm_basis: None,
                error: None,
                matches: 3,
                matches_at_least: false,
                accesses_total: 5,
                matched_total: 3,
                missed_total: 2,
                matched_accesses: vec!["e0".into(), "e1".into(), "e2".into()],
                missed_accesses: vec!["e3".into(), "e4".into()],
                accesses,
                noise_count: 0,
                noise_examples: Vec::new(),
                predicted_pages: Some(3),
            }],
            assumptions: Vec::new(),
            records_evaluated: 5,
            max_examples: 10,
            max_access_rows: 3,
        };
        bound_rows(&mut r.flows[0], r.max_access_rows);
        let f = &r.flows[0];
        let ids: Vec<&str> = f.accesses.iter().map(|a| a.event_id.as_str()).collect();
        assert_eq!(ids, ["e0", "e3", "e4"]);
        assert_eq!(f.matched_accesses, ["e0", "e1", "e2"]);
        assert_eq!(f.missed_accesses, ["e3", "e4"]);
        assert_eq!(
            (f.accesses_total, f.matched_total, f.missed_total),
            (5, 3, 2)
        );
        assert_eq!(access_rows_per_flow(2), 1_000);
        assert_eq!(access_rows_per_flow(100), 200);
        assert_eq!(access_rows_per_flow(8_000), 10);
    }
}
