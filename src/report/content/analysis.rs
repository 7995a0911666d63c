//! Sections 6 and 9: the two flows side by side, and the security analysis (speed, context,
//! compliance) with every finding from the correlation.

use super::flow2_unseen::flow2_unseen;
use super::fmt;
use crate::model::{Finding, Incident, Timeline, Timestamp};
use crate::report::{Block, Cell, Column, Table, Tone};

pub fn flow_comparison(t: &Timeline) -> Vec<Block> {
    let no_alarm = if t.config.alarm_history.is_empty() {
        "no alarm in the evidence: no alarm history was collected"
    } else {
        "no ALARM after the read in the alarm history"
    };
    let speed1 = speed_in_case(
        t,
        |i| i.latency_seconds.flow1_detect,
        |i| {
            if i.flow1_alarm_unlinked() {
                i.flow1_unlinked_why()
            } else {
                no_alarm
            }
        },
    );
    let speed2 = speed_in_case(
        t,
        |i| i.latency_seconds.flow2_detect,
        |_| "no rule metric or kill-switch call after the read",
    );
    let path1 = format!(
        "CloudTrail -> CloudWatch Logs -> metric filter -> {} -> SNS",
        flow1_alarm(t)
    );
    // What this case's evidence shows of the delay: the alarm's period and evaluation periods
    // as collected, the rule's signal after each read as the records time it.
    let (delay1, delay2) = (super::flow_delay::flow1(t), super::flow_delay::flow2(t));
    let misses2 = match flow2_unseen(t) {
        Some(unseen) => format!("{FLOW2_MISSES}. {unseen}"),
        None => FLOW2_MISSES.to_string(),
    };
    let which = super::bottom_line::which_of(&t.incidents);
    let tells2 = format!(
        "The whole event: who (ARN, access key), from where (IP, user agent), {which}, when"
    );
    let misses1 = format!("Who, from where and {which}: the responder must search the logs");
    let rows = vec![
        (
            "Path",
            path1.as_str(),
            "CloudTrail -> EventBridge rule -> SNS and the kill-switch",
        ),
        (
            "Speed in this case (first honeytoken access to signal)",
            speed1.as_str(),
            speed2.as_str(),
        ),
        ("What drives the delay", delay1.as_str(), delay2.as_str()),
        (
            "What the notification tells a responder",
            "That a metric crossed a threshold: alarm name, state, datapoints",
            tells2.as_str(),
        ),
        ("What it misses", misses1.as_str(), misses2.as_str()),
        (
            "Can it act",
            "Only through the alarm's actions (SNS, Auto Scaling, EC2, Systems Manager)",
            "Yes: the rule invokes the kill-switch with the event, so it knows whom to contain",
        ),
        (
            "Evidence it fired",
            "Alarm history (StateUpdate, Action items)",
            "AWS/Events TriggeredRules / Invocations metrics; the kill-switch's CloudTrail records",
        ),
    ];
    vec![
        Block::heading(1, "Flow comparison"),
        Block::para("The two flows are designed to watch the same API call, the honeytoken's read; whether the deployed filter and rule do is shown under \"The monitoring pipeline as built\", from the configuration in the evidence. As designed, they differ in how fast they fire and in what their notification lets a responder do without opening the logs; the speed row is this case's, from its records."),
        Block::Table(Table {
            columns: vec![Column::new("", 2.0), Column::new("Flow 1: metric filter and alarm", 3.5), Column::new("Flow 2: EventBridge rule", 3.5)],
            rows: rows.into_iter().map(|(a, b, c)| vec![Cell::text(a), Cell::text(b), Cell::text(c)]).collect(),
            caption: None,
        }),
    ]
}

/// What flow 2 misses whatever the case.
const FLOW2_MISSES: &str = "Nothing of the event; but EventBridge keeps no history: evidence that it fired is only its metrics and its targets' actions";
/// Flow 1's alarm as its own definition states it: `alarm X (Sum >= 1 over 60 s, 1 of 1
/// evaluation periods)` for each detection alarm describe-alarms defines, else for an alarm an
/// incident cites whose definition only the alarm history records (its latest, cited), else
/// `alarm (definition not in the evidence)`.
fn flow1_alarm(t: &Timeline) -> String {
    let rule = |a: &crate::model::AlarmDefinition| {
        format!("{} evaluation periods", super::pipeline::alarm_rule(a))
    };
    let alarms: Vec<String> = super::flow_delay::flow1_alarms(t)
        .into_iter()
        .map(|(a, at)| match at {
            None => format!("alarm {} ({})", a.name, rule(a)),
            Some(at) => format!(
                "alarm {} ({}, as the alarm history's ConfigurationUpdate at {at} records it)",
                a.name,
                rule(a)
            ),
        })
        .collect();
    if alarms.is_empty() {
        "alarm (definition not in the evidence)".into()
    } else {
        alarms.join("; ")
    }
}

/// A flow's speed in this case: each incident's time from its first read to the flow's signal,
/// "unknown" with the reason when the evidence lacks the signal, and "not measured" when no
/// honeytoken read is in the evidence (there is nothing to time from; with why a read may be
/// missing from it, when one may be).
fn speed_in_case(
    t: &Timeline,
    secs: impl Fn(&crate::model::Incident) -> Option<f64>,
    missing: impl Fn(&crate::model::Incident) -> &'static str,
) -> String {
    let each = |i: &crate::model::Incident| {
        secs(i)
            .map(fmt::duration)
            .unwrap_or_else(|| format!("unknown ({})", missing(i)))
    };
    match t.incidents.as_slice() {
        // No read in the records is no all-clear when reads could not be in them.
        [] => match super::reads_unseen::short(t) {
            Some(unseen) => {
                format!("not measured: no honeytoken read in the evidence, but {unseen}")
            }
            None => "not measured: no honeytoken read in the evidence".into(),
        },
        [one] => each(one),
        many => many
            .iter()
            .map(|i| format!("{}: {}", i.id, each(i)))
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

fn finding_rows<'a>(scope: &str, findings: impl Iterator<Item = &'a Finding>) -> Vec<Vec<Cell>> {
    findings
        .map(|f| {
            let sev = if f.severity == "high" {
                Cell::alert(f.severity)
            } else {
                Cell::text(f.severity)
            };
            let ids = if f.event_ids.is_empty() {
                String::new()
            } else {
                f.event_ids.join("\n")
            };
            vec![
                Cell::text(scope),
                sev,
                Cell::text(f.kind_text()),
                Cell::text(&f.summary),
                Cell::mono(ids),
            ]
        })
        .collect()
}

trait KindText {
    fn kind_text(&self) -> String;
}

impl KindText for Finding {
    /// Its name in English, then its JSON identifier on the line under (whole, as a search for
    /// it finds it): "CloudTrail logging reduced\nlogging_reduced".
    fn kind_text(&self) -> String {
        format!(
            "{}\n{}",
            self.kind.title(),
            crate::model::wire_name(self.kind)
        )
    }
}

/// One incident's speed in words; a time the evidence does not give is said so, never "unknown"
/// put where a duration goes.
/// `live_until`: the exposure runs to this expiry of a temporary credential the containment did
/// not cut (later than containment and the actor's last successful call). The exposure is
/// measured from the first read, and said so: when the credential outlives the actor's calls it
/// is how long the credential stays valid, not activity; and the actor's access began before
/// the read when its first call in the evidence is earlier. `flow1_unlinked`: why no alarm is
/// linked to the honeytoken, when none is, so whether the alarm followed is unknown. `t_noun`:
/// the first access (T) the times run from, named for what it was ("the read", "the attempt",
/// "the first, refused attempt").
fn speed(
    id: &str,
    l: &crate::model::Latencies,
    live_until: Option<Timestamp>,
    m: &crate::model::Milestones,
    flow1_unlinked: Option<&str>,
    t_noun: &str,
) -> String {
    let from = if t_noun == "the read" {
        "the first read"
    } else {
        t_noun
    };
    let exposure = match live_until {
        Some(t) => format!(
            "The temporary credential the containment did not reach was issued to expire at {}, {{}} after {from}: how long the actor could have used it, not activity the evidence shows{}.",
            fmt::time(t),
            m.last_actor_success
                .map(|s| format!(" (the actor's last successful call is at {})", fmt::time(s)))
                .unwrap_or_default()
        ),
        None => format!("From {from} to the later of containment and the actor's last successful call: {{}}."),
    };
    let began = match (m.first_actor_activity, m.first_access) {
        (Some(a), Some(r)) if a < r && l.exposure.is_some() => format!(
            " Its access began before {t_noun}: the actor's first call in the evidence is at {}.",
            fmt::time(a)
        ),
        _ => String::new(),
    };
    let clause = |secs: Option<f64>, known: &str, missing: &str| match secs {
        Some(s) => known.replace("{}", &fmt::duration(s)),
        None => missing.to_string(),
    };
    format!(
        "{}: {} and {}; {}. {}{began}",
        id,
        clause(
            l.flow2_detect,
            &format!("the event-driven flow fired within {{}} of {t_noun}"),
            "the evidence shows no firing of the event-driven flow"
        ),
        clause(
            l.contain,
            "the kill-switch's containment calls were complete within {}",
            "the evidence shows no containment"
        ),
        clause(
            l.flow1_detect,
            "the alarm followed after {}",
            &match flow1_unlinked {
                Some(why) => format!("whether an alarm followed is unknown ({why})"),
                None => "the evidence shows no alarm".to_string(),
            }
        ),
        clause(
            l.exposure,
            &exposure,
            "The evidence does not show when the actor's access ended, so how long it lasted is not known."
        )
    )
}

/// The expiry of a live credential the exposure runs to, when it runs past containment and the
/// actor's last successful call (as `credentials::exposure_end` computes it).
fn live_until(i: &Incident) -> Option<Timestamp> {
    let last = i.live_credentials.iter().filter_map(|c| c.expires).max()?;
    let m = &i.milestones;
    let before = m.containment_complete.max(m.last_actor_success);
    (before.is_none_or(|b| last > b)).then_some(last)
}

pub fn security_analysis(t: &Timeline) -> Vec<Block> {
    let mut out = vec![Block::heading(1, "Security analysis")];
    out.push(Block::heading(2, "Speed"));
    if t.incidents.is_empty() {
        out.push(Block::para(format!(
            "No incident to time.{}",
            super::reads_unseen::caveat(t)
        )));
    }
    for i in &t.incidents {
        out.push(Block::para(speed(
            &i.id,
            &i.latency_seconds,
            live_until(i),
            &i.milestones,
            i.flow1_alarm_unlinked().then(|| i.flow1_unlinked_why()),
            super::milestones::first_access(t, i).noun(),
        )));
    }
    out.push(Block::heading(2, "Context"));
    out.push(Block::para(format!("Flow 2's notification carries the full CloudTrail record, so the responder knows who, from where and {} at once; flow 1's says only that a threshold was crossed. Only flow 2 can hand the call itself to a kill-switch: an alarm's action carries the alarm, not who made the call, so a kill-switch it started would not know whom to contain.", super::bottom_line::which_of(&t.incidents))));
    out.push(Block::heading(2, "Compliance"));
    out.push(Block::para("The next section grades each NIST control against the evidence chain (trail records, alarm history, rule metrics, kill-switch calls): supported, partly or not evidenced, each row with the evidence it rests on and, where evidence is missing, what is missing."));
    out.push(Block::heading(2, "Findings"));
    let mut rows = Vec::new();
    for i in &t.incidents {
        rows.extend(finding_rows(&i.id, i.findings.iter()));
    }
    rows.extend(finding_rows("case", t.findings.iter()));
    if rows.is_empty() {
        out.push(Block::para("No findings."));
    } else {
        // The high findings named by what they are (a high finding is not always about the
        // containment: a flow missing a read, a decoy changed, pipeline tampering).
        let mut high: Vec<&'static str> = Vec::new();
        for f in t.incidents.iter().flat_map(|i| i.findings.iter()) {
            if f.severity == "high" && !high.contains(&f.kind.title()) {
                high.push(f.kind.title());
            }
        }
        if !high.is_empty() {
            out.push(Block::Callout {
                tone: Tone::Critical,
                text: format!(
                    "{} (the findings marked high: act on these first).",
                    high.join("; ")
                ),
            });
        }
        out.push(Block::Table(Table {
            columns: vec![Column::new("Scope", 0.9), Column::new("Severity", 0.9), Column::new("Finding", 2.0), Column::new("What the evidence shows", 4.2), Column::new("Evidence (eventID)", 2.6)],
            rows,
            caption: Some("Findings from the correlation, each named in English with its JSON identifier (findings[].kind) under it; evidence identifiers are CloudTrail eventIDs or alarm history items.".into()),
        }));
    }
    out.push(Block::heading(2, "Evidence gaps"));
    if t.gaps.is_empty() {
        out.push(Block::para("None: every input was read in full."));
    } else {
        let where_ = if t.gaps.len() <= super::appendix::GAP_ROWS {
            "each is listed in the appendix with its file, record index and reason"
        } else {
            "the appendix groups them by file and kind, and its attached evidence-gaps.csv lists each with its file, record index and reason"
        };
        out.push(Block::para(format!("{} gap(s); {where_}.", t.gaps.len())));
    }
    let absent = not_in_evidence(t);
    if !absent.is_empty() {
        out.push(Block::para(format!(
            "Not in the evidence at all, so not examined (what the case lacks, not what was damaged): {}.",
            absent.join("; ")
        )));
    }
    out
}

/// The kinds of pipeline evidence the case holds none of, each with what its absence costs.
fn not_in_evidence(t: &Timeline) -> Vec<&'static str> {
    let c = &t.config;
    [
        (c.trails.is_empty(), "the trail's configuration (describe-trails)"),
        (c.trail_status.is_empty(), "the trail's status (get-trail-status)"),
        (c.metric_filters.is_empty(), "metric filters (describe-metric-filters): flow 1's rule cannot be replayed"),
        (c.alarms.is_empty(), "alarm definitions (describe-alarms): flow 1's alarm cannot be replayed"),
        (c.alarm_history.is_empty(), "alarm history (describe-alarm-history): when flow 1 fired is not known"),
        (c.rules.is_empty(), "EventBridge rules (describe-rule): flow 2's rule cannot be replayed"),
        (c.metrics.is_empty(), "the rules' AWS/Events metrics (get-metric-data): flow 2 is timed from the kill-switch's calls, if any"),
        (c.killswitch_reports.is_empty(), "the kill-switch's published results: its own account of each run"),
        (c.posture.is_empty(), "a trailcase posture result: the live pipeline was not checked"),
    ]
    .into_iter()
    .filter_map(|(absent, what)| absent.then_some(what))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::speed;
    use crate::model::{Latencies, Milestones, Timestamp};

    /// "The exposure lasted unknown." (issue #18): a time the evidence lacks is said in words.
    #[test]
    fn speed_says_what_the_evidence_does_not_show() {
        let none = speed(
            "INC-001",
            &Latencies::default(),
            None,
            &Milestones::default(),
            None,
            "the read",
        );
        assert!(!none.contains("unknown"), "{none}");
        assert!(none.contains("how long it lasted is not known"), "{none}");
        let all = speed(
            "INC-001",
            &Latencies {
                flow1_detect: Some(184.5),
                flow2_detect: Some(29.0),
                contain: Some(31.0),
                exposure: Some(7020.0),
            },
            None,
            &Milestones::default(),
            None,
            "the read",
        );
        assert_eq!(all, "INC-001: the event-driven flow fired within 29 s of the read and the kill-switch's containment calls were complete within 31 s; the alarm followed after 3 min 4.5 s. From the first read to the later of containment and the actor's last successful call: 1 h 57 min.");
    }

    /// The sample's exposure runs to its live role session's expiry: said as the credential's
    /// validity from the first read, not as the actor's activity, which began before the read.
    #[test]
    fn an_exposure_to_a_credentials_expiry_is_not_activity() {
        let at = |t: &str| crate::parse::time::parse_time(t).unwrap();
        let live = speed(
            "INC-001",
            &Latencies {
                exposure: Some(7033.0),
                ..Latencies::default()
            },
            Some(Timestamp::from_secs(1_795_190_370)),
            &Milestones {
                first_actor_activity: Some(at("2026-11-20T13:55:10Z")),
                first_access: Some(at("2026-11-20T14:02:17Z")),
                last_actor_success: Some(at("2026-11-20T14:09:00Z")),
                ..Milestones::default()
            },
            None,
            "the read",
        );
        assert!(
            live.ends_with("The temporary credential the containment did not reach was issued to expire at 2026-11-20T15:59:30Z, 1 h 57 min after the first read: how long the actor could have used it, not activity the evidence shows (the actor's last successful call is at 2026-11-20T14:09:00Z). Its access began before the read: the actor's first call in the evidence is at 2026-11-20T13:55:10Z."),
            "{live}"
        );
        assert!(!live.contains("lasted"), "{live}");
    }
}
