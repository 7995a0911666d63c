//! Flow 1's rows: each honeytoken access judged by the metric filter's pattern in force at it
//! and predicted by the alarm replayed over the filter's metric: the alarm as defined at the
//! first access, or, after a PutMetricAlarm in the evidence, as that call defined it
//! (`alarm_calls`), the row naming the call, from the state the alarm was in when the call
//! replaced its definition (`alarm_in_force`).
//!
//! Pure: reads the observed matches and the configuration evidence; no I/O.

use super::alarm_calls::{self, AlarmAt, AlarmCall};
use super::alarm_in_force;
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
    // The alarm over the evidence by the definition in force at each period, the state kept
    // across each update (`alarm_in_force`).
    let carried = match (&first.1, calls.is_empty()) {
        (Ok(first_tr), false) => {
            let defs: Vec<Result<&alarm::AlarmDefinition, String>> =
                by_call.iter().map(definition_of).collect();
            let span = defs
                .iter()
                .flatten()
                .map(|d| d.period_seconds * (d.evaluation_periods as i64 + 1))
                .max()
                .unwrap_or(0);
            let hi = points.iter().map(|p| p.0).chain(secs.iter().copied()).max();
            let end = hi.unwrap_or(0).saturating_add(span);
            let first_access = secs.iter().copied().min().unwrap_or(i64::MIN);
            Some(alarm_in_force::in_force(
                first_tr,
                &calls,
                &defs,
                &points,
                (first_access, end),
            ))
        }
        _ => None,
    };
    let pages =
        |t: &[StateTransition]| t.iter().filter(|t| t.to == AlarmState::Alarm).count() as u64;
    fr.predicted_pages = match &carried {
        None => first
            .1
            .as_deref()
            .ok()
            .filter(|_| calls.is_empty())
            .map(pages),
        Some(c) => c.unknown.is_empty().then(|| pages(&c.transitions)),
    };
    fr.pages_unknown = carried.as_ref().and_then(|c| c.pages_unknown());
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
                let transitions = match carried.as_ref().map(|c| c.at(t.secs())) {
                    None => transitions,
                    Some(Ok(kept)) => &Ok(kept.to_vec()),
                    // Unknown state: whether the alarm changed state (and notified) for this
                    // access is not predicted.
                    Some(Err(why)) => &Err(format!(
                        "the alarm's state at this access is unknown: {why}"
                    )),
                };
                (note, predicted) = predict(matched && collected, def, transitions, t);
                if let (Some(c), Some(Ok(d)), true) = (
                    replaced_before_evaluated(&calls, def, t),
                    def,
                    carried.is_some() && matched && collected,
                ) {
                    let said = format!("{} replaced the alarm's definition before the periods holding this access were all evaluated ({} s each), so those after it are evaluated by the definition it set, from the state the alarm was in then", c.label(), d.period_seconds);
                    note = Some(match note {
                        Some(n) => format!("{n}; {said}"),
                        None => said,
                    });
                }
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

/// The first call after the access at `t` made before the last evaluation that can take the
/// access's period into ALARM by `def` (the definition that predicts it).
fn replaced_before_evaluated<'c>(
    calls: &'c [AlarmCall],
    def: &Option<Result<alarm::AlarmDefinition, String>>,
    t: Timestamp,
) -> Option<&'c AlarmCall> {
    let Some(Ok(d)) = def else { return None };
    let p = d.period_seconds.max(1);
    let last_eval = t.secs().div_euclid(p) * p + p * d.evaluation_periods.max(1) as i64;
    calls
        .iter()
        .find(|c| c.time.secs() > t.secs() && c.time.secs() < last_eval)
}

/// The definition a call's replay evaluates, or why it cannot be evaluated.
fn definition_of(r: &Result<Replayed, String>) -> Result<&alarm::AlarmDefinition, String> {
    match r {
        Err(why) => Err(why.clone()),
        Ok((Some(Ok(d)), Ok(_))) => Ok(d),
        Ok((Some(Err(e)), _)) | Ok((_, Err(e))) => Err(e.clone()),
        Ok((None, _)) => Err("no alarm definition".into()),
    }
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
