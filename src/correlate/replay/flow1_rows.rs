//! Flow 1's rows: each honeytoken access judged by the metric filter's pattern in force at it
//! and predicted by the alarm replayed over the filter's metric: the alarm as defined at the
//! first access, or, after a PutMetricAlarm in the evidence, as that call defined it
//! (`alarm_calls`), the row naming the call.
//!
//! Pure: reads the observed matches and the configuration evidence; no I/O.

use super::alarm_calls::{self, AlarmAt, AlarmCall};
use super::definitions::Definitions;
use super::observe::{self, Observed};
use super::spec::FlowSpec;
use super::timing;
use super::Context;
use crate::model::{AccessReplay, FlowReplay, Incident, Timestamp};
use crate::rules::alarm::{self, AlarmState, StateTransition};

type Replayed = (
    Option<Result<alarm::AlarmDefinition, String>>,
    Result<Vec<StateTransition>, String>,
);

/// One alarm definition replayed over the filter's metric points.
fn replayed(
    fr: &FlowReplay,
    a: Option<&crate::model::AlarmDefinition>,
    spec: &FlowSpec,
    points: &[(i64, f64)],
    secs: &[i64],
    rules: usize,
) -> Replayed {
    let def = a.map(|a| crate::rules::alarm_definition(a, spec.metric_default_value));
    let transitions = match &def {
        Some(Ok(_)) if fr.matches_at_least => Err(format!(
            "the filter matches more than the {} events that are not honeytoken reads kept for it, so the alarm is not replayed",
            observe::hits_per_rule(rules)
        )),
        Some(Ok(d)) => timing::replay_alarm(d, points, secs),
        Some(Err(e)) => Err(e.to_string()),
        None => Err(spec
            .alarm_none_because
            .clone()
            .unwrap_or_else(|| "no alarm on the filter's metric in the evidence".into())),
    };
    (def.map(|d| d.map_err(|e| e.to_string())), transitions)
}

pub fn flow1_accesses(
    fr: &mut FlowReplay,
    spec: &FlowSpec,
    n: usize,
    observed: &Observed,
    accesses: &[(usize, &Incident, &str, Timestamp)],
    cx: &Context<'_>,
    defs: &Definitions<'_>,
) {
    let window_ms = cx.settings.detection.window_ms();
    let points = observed.points(n);
    let secs: Vec<i64> = accesses.iter().map(|a| a.3.secs()).collect();
    let rules = observed.rules.len();
    let first = replayed(fr, spec.alarm.as_ref(), spec, &points, &secs, rules);
    if let Err(e) = &first.1 {
        fr.error = Some(e.clone());
    }
    // The PutMetricAlarm calls on the alarm, each replayed with the definition it set.
    let calls: Vec<AlarmCall> = spec
        .alarm
        .as_ref()
        .map(|a| alarm_calls::calls(cx.events, &a.name))
        .unwrap_or_default();
    let by_call: Vec<Result<Replayed, String>> = calls
        .iter()
        .map(
            |c| match spec.alarm.as_ref().and_then(|a| c.not_on_metric(a)) {
                Some(why) => Err(why),
                None => Ok(replayed(fr, Some(&c.alarm), spec, &points, &secs, rules)),
            },
        )
        .collect();
    fr.predicted_pages = in_force(&first, &calls, &by_call)
        .ok()
        .map(|t| t.iter().filter(|t| t.to == AlarmState::Alarm).count() as u64);
    for &(_, inc, id, t) in accesses {
        let collected = observed.matched(n, id);
        let judged = defs.judge(id, t, collected);
        let matched = judged.matched;
        // The alarm definition that predicts this access, and what the row says of it.
        let (chosen, alarm_definition) = match alarm_calls::at(&calls, t) {
            _ if calls.is_empty() => (Ok(&first), None),
            AlarmAt::First => (
                Ok(&first),
                Some(format!("the alarm as defined at the first access (no PutMetricAlarm on it before this access in the evidence; the first is {})", calls[0].label())),
            ),
            AlarmAt::Call(k, c) => (
                by_call[k].as_ref().map_err(String::clone),
                Some(format!("{}, the last PutMetricAlarm on the alarm before this access", c.label())),
            ),
            AlarmAt::SameSecond(before, c) => (
                match before {
                    Some(k) => by_call[k].as_ref().map_err(String::clone),
                    None => Ok(&first),
                },
                Some(format!("unknown: {}; predicted by the definition before it", super::same_second::unordered(&c.label(), id))),
            ),
        };
        let mut note = None;
        let mut predicted = None;
        match chosen {
            _ if matched && !collected => {
                note = Some("matched by the filter pattern in force at the access, not by the one as collected, whose matches the alarm replay counts: when the alarm fired for it is not predicted".into());
            }
            Err(why) if matched => note = Some(why),
            Err(_) => {}
            // Predicted only from a replayed alarm: a definition the replay refused (a period
            // of 0) predicts nothing, and each access says why.
            Ok((def, transitions)) => {
                (note, predicted) = predict(matched && collected, def, transitions, t);
            }
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
            delay_seconds: timing::delay(predicted, actual.map(|h| h.time)),
            note,
            missed_because: None,
            by_state: crate::model::StateDelivery::Delivered,
            definition: judged.definition,
            collected_matches: collected,
            rule_state: None,
            rule_state_basis: None,
            state_set_by: None,
            alarm_definition,
        });
    }
}

/// The alarm's transitions over the evidence, each by the definition in force at its time: the
/// one at the first access until the first PutMetricAlarm on it, then the one each call set
/// (a transition in a call's second counted as the call's). A definition that cannot be
/// replayed (another metric, metric math, refused) leaves them unknown: why.
fn in_force(
    first: &Replayed,
    calls: &[AlarmCall],
    by_call: &[Result<Replayed, String>],
) -> Result<Vec<StateTransition>, String> {
    let mut out: Vec<StateTransition> = first
        .1
        .clone()?
        .into_iter()
        .filter(|tr| calls.first().is_none_or(|c| tr.time < c.time.secs()))
        .collect();
    for (k, (c, replayed)) in calls.iter().zip(by_call).enumerate() {
        let transitions = replayed.as_ref().map_err(String::clone)?.1.clone()?;
        let end = calls.get(k + 1).map(|n| n.time.secs());
        out.extend(
            transitions
                .into_iter()
                .filter(|tr| tr.time >= c.time.secs() && end.is_none_or(|e| tr.time < e)),
        );
    }
    Ok(out)
}

/// The prediction for an access at `t` the filter matches (`matched`) by one replayed
/// definition: the note and the predicted time.
fn predict(
    matched: bool,
    def: &Option<Result<alarm::AlarmDefinition, String>>,
    transitions: &Result<Vec<StateTransition>, String>,
    t: Timestamp,
) -> (Option<String>, Option<Timestamp>) {
    match (matched, def, transitions) {
        (true, Some(Ok(_)), Err(e)) => (
            Some(format!(
                "the alarm could not be replayed ({e}): when it fired is not predicted"
            )),
            None,
        ),
        (true, Some(Ok(d)), Ok(transitions)) => {
            match timing::predicted_alarm(d, transitions, t.secs()) {
                Some((since, already)) => (
                    already.then(|| format!("predicted, not observed: the replayed alarm would be already in ALARM since {} (an earlier access), so no new notification for this access", Timestamp::from_secs(since))),
                    Some(Timestamp::from_secs(since)),
                ),
                None => (
                    Some("the filter matches, but the alarm would not enter ALARM for it (threshold, datapoints or period)".into()),
                    None,
                ),
            }
        }
        _ => (None, None),
    }
}
