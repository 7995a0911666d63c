//! Which definition of a flow's rule was in force at each honeytoken access. The collected
//! configuration (describe-rule, describe-metric-filters) gives the rule as it was when
//! collected; a `PutRule` (EventBridge) or `PutMetricFilter` (CloudWatch Logs) record in the
//! evidence changed it at its eventTime. An access after such a change is judged by the pattern
//! that change set (named by its eventID); one before the first change the evidence records
//! has no definition in the evidence (said as unknown, judged by the collected one); one in the
//! same second as a change is not ordered with it (`same_second`: unknown, naming both records,
//! judged by the pattern before the change); with no change in the evidence, every access is
//! judged by the collected definition, as before.
//!
//! A filter's change is matched by its name and log group only: describe-metric-filters gives
//! no region, so a same-named log group in another region is not told apart, and the row's
//! definition says so with the change's region.
//!
//! Pure: reads the access records and the change records already in memory.

use super::same_second::{self, At};
use super::spec::FlowSpec;
use crate::model::{Event, FlowKind, Timestamp};
use crate::rules::detector::Detector;
use crate::rules::event_pattern::EventPattern;
use crate::rules::filter_pattern::FilterPattern;
use serde_json::Value;
use std::collections::HashMap;

/// One successful call that set the flow's pattern.
pub struct Change {
    pub event_id: String,
    pub time: Timestamp,
    api: &'static str,
    /// The call's `awsRegion`.
    region: String,
    pattern: String,
    /// The pattern compiled, or why it is not (then the access is judged as collected).
    detector: Result<Detector, String>,
}

impl Change {
    fn label(&self) -> String {
        format!("{} {} at {}", self.api, self.event_id, self.time)
    }
}

/// What a flow-1 change rests on besides its log group: describe-metric-filters gives a filter
/// no region, so a `PutMetricFilter` on a log group of the same name in another region (another
/// filter) is not told apart; the regions the changes were made in.
fn region_unknown(regions: &[&str]) -> String {
    format!(
        "the collected filter's region is not in the evidence (describe-metric-filters gives none), so a log group of the same name in another region could not be told apart: {} made in {}",
        if regions.len() == 1 { "this change was" } else { "the changes were" },
        regions.join(", ")
    )
}

/// The calls in the evidence that set `spec`'s pattern, in time order (eventID breaks ties).
pub fn changes(events: &[Event], spec: &FlowSpec) -> Vec<Change> {
    let (api, pattern_key) = match spec.flow {
        FlowKind::EventRule => ("PutRule", "eventPattern"),
        FlowKind::MetricFilter => ("PutMetricFilter", "filterPattern"),
    };
    let mut out: Vec<Change> = spec
        .calls_on(events, &[api])
        .into_iter()
        .filter_map(|(e, record)| {
            let params = &record["requestParameters"];
            let pattern = params.get(pattern_key).and_then(Value::as_str)?.to_string();
            let detector = match spec.flow {
                FlowKind::EventRule => EventPattern::parse(&pattern)
                    .map(Detector::Event)
                    .map_err(|e| e.to_string()),
                FlowKind::MetricFilter => FilterPattern::parse(&pattern)
                    .map(Detector::Filter)
                    .map_err(|e| format!("Invalid metric filter pattern: {e}")),
            };
            Some(Change {
                event_id: e.event_id.clone(),
                time: e.time,
                api,
                region: e.region.clone(),
                pattern,
                detector,
            })
        })
        .collect();
    out.sort_by(|a, b| (a.time, &a.event_id).cmp(&(b.time, &b.event_id)));
    out.dedup_by(|a, b| a.event_id == b.event_id);
    out
}

/// A flow's definitions over time, to judge each access by the one in force at its time.
pub struct Definitions<'e> {
    spec: &'e FlowSpec,
    changes: Vec<Change>,
    records: &'e HashMap<&'e str, &'e Event>,
}

/// How one access is judged: whether the pattern in force matches it, and which definition
/// that is (`None`: no change in the evidence, the collected definition as before).
pub struct Judgement {
    pub matched: bool,
    pub definition: Option<String>,
}

impl<'e> Definitions<'e> {
    pub fn new(
        spec: &'e FlowSpec,
        events: &[Event],
        records: &'e HashMap<&'e str, &'e Event>,
    ) -> Self {
        Definitions {
            spec,
            changes: changes(events, spec),
            records,
        }
    }

    /// What the replay states about the flow's definitions, when the evidence changes them.
    pub fn assumption(&self) -> Option<String> {
        let (first, last) = (self.changes.first()?, self.changes.last()?);
        let what = match self.spec.flow {
            FlowKind::EventRule => format!("flow 2 (EventBridge rule {})", self.spec.resource),
            FlowKind::MetricFilter => format!("flow 1 (metric filter {})", self.spec.resource),
        };
        let listed: Vec<String> = self.changes.iter().map(Change::label).collect();
        let same = if last.pattern == self.spec.pattern {
            "the last sets the pattern as collected"
        } else {
            "the last sets another pattern than the one collected, so the collected one was set by a change not in the evidence"
        };
        let mut regions: Vec<&str> = self.changes.iter().map(|c| c.region.as_str()).collect();
        regions.sort_unstable();
        regions.dedup();
        let region = match self.spec.flow {
            FlowKind::MetricFilter => format!("; {}", region_unknown(&regions)),
            FlowKind::EventRule => String::new(),
        };
        Some(format!(
            "{what}: the evidence records changes of its pattern ({}; {same}): each access is judged by the pattern in force at its time, named in its row's definition; an access before {} is judged by the collected pattern, the one in force then being unknown; the flow's matches, noise and predicted notifications count the collected pattern's matches{region}",
            listed.join(", "),
            first.label()
        ))
    }

    /// Judge the access `id` at `t`; `collected` is whether the collected pattern matches it.
    pub fn judge(&self, id: &str, t: Timestamp, collected: bool) -> Judgement {
        if self.changes.is_empty() {
            return Judgement {
                matched: collected,
                definition: None,
            };
        }
        let kind = match self.spec.flow {
            FlowKind::EventRule => "rule",
            FlowKind::MetricFilter => "metric filter",
        };
        let (change, unordered) = match same_second::at(&self.changes, |c| c.time, t) {
            At::BeforeAll => {
                return Judgement {
                    matched: collected,
                    definition: Some(format!(
                        "unknown: the {kind}'s first change in the evidence ({}) is after this access, and the evidence holds no definition before it; judged by the pattern as collected, which may not be the one in force then",
                        self.changes[0].label()
                    )),
                }
            }
            At::After(_, c) => (c, None),
            At::SameSecond { before, same } => {
                let why = same_second::unordered(&same.label(), id);
                match before {
                    Some(n) => (&self.changes[n], Some(why)),
                    None => {
                        return Judgement {
                            matched: collected,
                            definition: Some(format!(
                                "unknown: {why}; the evidence holds no definition before it, so judged by the pattern as collected, which may not be the one in force then"
                            )),
                        }
                    }
                }
            }
        };
        let judged = self.judge_by(change, id, collected);
        match unordered {
            None => judged,
            Some(why) => Judgement {
                matched: judged.matched,
                definition: judged
                    .definition
                    .map(|d| format!("unknown: {why}; judged by the pattern before it, {d}")),
            },
        }
    }

    /// Judge the access `id` by the pattern `change` set; for a metric filter, the definition
    /// says its region could not be checked.
    fn judge_by(&self, change: &Change, id: &str, collected: bool) -> Judgement {
        let mut j = self.judge_by_pattern(change, id, collected);
        if self.spec.flow == FlowKind::MetricFilter {
            j.definition = j
                .definition
                .map(|d| format!("{d}; {}", region_unknown(&[&change.region])));
        }
        j
    }

    fn judge_by_pattern(&self, change: &Change, id: &str, collected: bool) -> Judgement {
        let record = self
            .records
            .get(id)
            .and_then(|e| serde_json::from_str::<Value>(e.raw.get()).ok());
        match (&change.detector, record) {
            (Ok(d), Some(record)) => Judgement {
                matched: d.matches_record(&record),
                definition: Some(if change.pattern == self.spec.pattern {
                    format!("{} (the pattern as collected)", change.label())
                } else {
                    change.label()
                }),
            },
            (Err(e), _) => Judgement {
                matched: collected,
                definition: Some(format!(
                    "{} set a pattern that does not compile ({e}); judged by the pattern as collected",
                    change.label()
                )),
            },
            (Ok(_), None) => Judgement {
                matched: collected,
                definition: Some(format!(
                    "{}; the access's record could not be read again, so it is judged by the pattern as collected",
                    change.label()
                )),
            },
        }
    }
}
