//! `trailcase rules test` and `trailcase rules replay`: the rule engines for rule authors. Reads the
//! pattern and the event or evidence, prints the verdict or the matching events; exit 0 on a
//! match, 1 on none, 2 on an invalid pattern (the error carries AWS's reason). An event
//! pattern's replay says, per event, whether a rule in the `--state` given is delivered it
//! (`rules::rule_state`), or on what that depends when no state is given. The replay's
//! pass itself is `analyse::replay`; this file compiles the pattern and prints.

use super::{EvidenceSpec, Outcome, Progress};
use crate::case::printable::printable;
use crate::cli::{PatternArgs, RuleStateArg, RulesCommand, RulesReplayArgs, RulesTestArgs};
use crate::rules::detector::{Detector, Wrapped};
use crate::rules::event_pattern::EventPattern;
use crate::rules::filter_pattern::FilterPattern;
use crate::rules::rule_state::{self, Delivery, ReadOnly};
use anyhow::{bail, Context, Result};
use serde_json::Value;
use std::io::{Read, Write};
use std::path::Path;

pub fn run(command: RulesCommand, quiet: bool) -> Result<Outcome> {
    match command {
        RulesCommand::Test(args) => test(args),
        RulesCommand::Replay(args) => replay(args, quiet),
    }
}

fn verdict(matched: bool) -> Outcome {
    if matched {
        Outcome::Complete
    } else {
        Outcome::NoMatch
    }
}

/// The pattern's text: `--event-pattern` is a file unless it starts with `{`.
fn compile(p: &PatternArgs) -> Result<Detector> {
    if let Some(arg) = &p.event_pattern {
        let text = if arg.trim_start().starts_with('{') {
            arg.clone()
        } else {
            std::fs::read_to_string(arg)
                .with_context(|| format!("cannot read the event pattern file {arg}"))?
        };
        Ok(Detector::Event(EventPattern::parse(
            &describe_rule_pattern(text),
        )?))
    } else if let Some(text) = &p.filter_pattern {
        Ok(Detector::Filter(
            FilterPattern::parse(text).context("Invalid metric filter pattern")?,
        ))
    } else {
        bail!("give --event-pattern or --filter-pattern")
    }
}

/// `aws events describe-rule` output holds the pattern as a string under `EventPattern` (a string
/// there is never a valid pattern field, so this takes nothing away).
fn describe_rule_pattern(text: String) -> String {
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(o)) => match o.get("EventPattern") {
            Some(Value::String(p)) => p.clone(),
            _ => text,
        },
        _ => text,
    }
}

fn read_event(path: &Path) -> Result<String> {
    let mut text = String::new();
    if path == Path::new("-") {
        std::io::stdin().read_to_string(&mut text)?;
    } else {
        text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the event file {}", path.display()))?;
    }
    Ok(text)
}

/// Whether the event is a bare CloudTrail record (no EventBridge envelope around it): it gets
/// the envelope the replay gives it.
fn is_bare_record(event: &Value) -> bool {
    let enveloped = event.get("detail-type").is_some() || event.get("detail").is_some();
    let record = event.get("eventSource").is_some() || event.get("eventVersion").is_some();
    record && !enveloped
}

fn test(args: RulesTestArgs) -> Result<Outcome> {
    let detector = compile(&args.pattern)?;
    let text = read_event(&args.event)?;
    let mut kind = ReadOnly::No;
    let matched = match &detector {
        Detector::Event(p) => {
            let event: Value = serde_json::from_str(&text)
                .with_context(|| format!("the event {} is not JSON", args.event.display()))?;
            // What a rule's state makes of the event: a CloudTrail record's kind (EventBridge's
            // "AWS API Call via CloudTrail" envelope, or the bare record); other events are
            // delivered to any enabled rule.
            let record = if is_bare_record(&event) {
                Some(&event)
            } else {
                event
                    .get("detail")
                    .filter(|_| event["detail-type"] == "AWS API Call via CloudTrail")
            };
            kind = record.map_or(ReadOnly::No, rule_state::read_only);
            if is_bare_record(&event) {
                // Wrapped and matched as the replay does: an Insights event's unknown source,
                // either spelling of the sign-in detail-type, each said on stderr.
                let wrapped = Wrapped::new(event);
                if detector.source_unknown_for(&wrapped) {
                    eprintln!("trailcase: an Insights event is not matched against a rule that tests source: no AWS document gives the source EventBridge delivers it with (the EventBridge User Guide gives its detail-type, \"AWS Insight via CloudTrail\", only), so whether the rule matches it is unknown");
                }
                if detector.matched_by_other_spelling(&wrapped) {
                    eprintln!("trailcase: matched by the detail-type \"AWS Console Sign In via CloudTrail\", as AWS's Knowledge Center spells it; the EventBridge User Guide spells it \"AWS Console Signin via CloudTrail\", and which EventBridge delivers is not known, so a rule written with either is matched");
                }
                detector.matches_wrapped(&wrapped)
            } else {
                p.matches(&event)
            }
        }
        Detector::Filter(p) => match serde_json::from_str::<Value>(&text) {
            // A record file, maybe pretty-printed: matched as the one-line JSON CloudTrail writes.
            Ok(v @ Value::Object(_)) => p.matches_json(&v),
            _ => p.matches_message(text.strip_suffix('\n').unwrap_or(&text)),
        },
    };
    let state = args.state.map(state_name);
    let matched = matched && delivered_to_rule(state, kind);
    println!("{}", if matched { "match" } else { "no match" });
    Ok(verdict(matched))
}

/// Whether a rule in `state` (not given: `None`) that matches an event of `kind` receives it,
/// each answer that rests on the state said on stderr: not delivered in the state given is no
/// match; a state not given, or a read-only event the guide does not name, is a match whose
/// delivery is unknown.
fn delivered_to_rule(state: Option<&str>, kind: ReadOnly) -> bool {
    match (state, rule_state::delivery(state, kind)) {
        (_, Delivery::Delivered) => true,
        (Some(s), Delivery::ReadOnlyNotDelivered) => {
            eprintln!("trailcase: the pattern matches the event, but it is a read-only management event, which EventBridge does not deliver to a rule in state {s} ({})", rule_state::GUIDE);
            false
        }
        (_, Delivery::Disabled) => {
            eprintln!("trailcase: the pattern matches the event, but EventBridge matches no event against a rule in state DISABLED ({})", rule_state::GUIDE);
            false
        }
        (None, _) if kind == ReadOnly::No => true,
        (None, _) => {
            eprintln!("trailcase: the event is a read-only management event, which EventBridge delivers to a rule in state {} but not in state ENABLED ({}); the rule's state is not given (--state), so whether the rule receives it is unknown", rule_state::ALL_MANAGEMENT, rule_state::GUIDE);
            true
        }
        (Some(s), _) => {
            eprintln!("trailcase: the event is a read-only management event not named Describe, Get or List: whether EventBridge delivers it to a rule in state {s} is unknown (the guide lists the exceptions on another page; {})", rule_state::GUIDE);
            true
        }
    }
}

fn replay(args: RulesReplayArgs, quiet: bool) -> Result<Outcome> {
    let detector = compile(&args.pattern)?;
    super::flags::check(&args.evidence)?;
    let evidence = EvidenceSpec::from(&args.evidence);
    let (discovered, _acquired) = super::gather(&evidence, quiet)?;
    let config = evidence.config.load(&discovered)?;
    let progress = Progress::new(quiet, discovered.files.len());
    let replayed = crate::analyse::replay::replay(
        &discovered.files,
        &detector,
        &config.analysis_settings(),
        &|n| progress.tick(n),
    );
    let records = replayed.records_read;
    let gaps = discovered.gaps.len() + replayed.gaps.len();
    // An event pattern's rows say whether a rule is delivered each event in the state given,
    // or on what that depends; those the state keeps from the rule are counted, not listed.
    let event_rule = matches!(detector, Detector::Event(_));
    let state = args.state.map(state_name);
    let mut withheld = 0usize;
    let rows: Vec<_> = replayed
        .rows
        .iter()
        .filter_map(|(m, honeytoken, kind)| {
            let delivered = match (event_rule, delivered(state, *kind)) {
                (false, _) => None,
                (true, Some(word)) => Some(word),
                (true, None) => {
                    withheld += 1;
                    return None;
                }
            };
            Some((m, *honeytoken, *kind, delivered))
        })
        .collect();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    writeln!(
        out,
        "time\tevent_id\taction\tactor\ttarget\toutcome\thoneytoken{}",
        if event_rule { "\tdelivered" } else { "" }
    )?;
    // The evidence's text goes to a terminal: a control character (a tab or line end would also
    // forge a column or a row) is written as `\u{..}`.
    let p = |text: &str| printable(text).into_owned();
    for (m, honeytoken, _, delivered) in &rows {
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}{}",
            m.time,
            p(&m.event_id),
            p(&m.action),
            p(&m.actor),
            p(&m.target),
            p(&m.outcome),
            if *honeytoken { "yes" } else { "no" },
            delivered.map(|d| format!("\t{d}")).unwrap_or_default()
        )?;
    }
    out.flush()?;
    // Not progress: what the rows above cannot say, so said even with --quiet.
    let read_only = rows.iter().filter(|r| r.2 != ReadOnly::No).count();
    match state {
        Some(s) if withheld > 0 => eprintln!(
            "trailcase: {withheld} record(s) the pattern matches not listed: {} ({})",
            if s == "DISABLED" {
                "EventBridge matches no event against a rule in state DISABLED".to_string()
            } else {
                format!("they are read-only management events, which EventBridge does not deliver to a rule in state {s}")
            },
            rule_state::GUIDE
        ),
        None if event_rule && read_only > 0 => eprintln!(
            "trailcase: {read_only} listed record(s) are read-only management events, which EventBridge delivers to a rule in state {} but not in state ENABLED ({}); the rule's state is not given (--state), so whether the rule receives them is unknown: the delivered column says on what it depends",
            rule_state::ALL_MANAGEMENT,
            rule_state::GUIDE
        ),
        _ => {}
    }
    if replayed.source_unknown > 0 {
        eprintln!(
            "trailcase: {} Insights event record(s) not matched: the rule tests source, and no AWS document gives the source EventBridge delivers an Insights event with (the EventBridge User Guide gives its detail-type, \"AWS Insight via CloudTrail\", only), so whether the rule matches them is unknown",
            replayed.source_unknown
        );
    }
    if replayed.sign_in_also > 0 {
        eprintln!(
            "trailcase: {} console sign-in record(s) matched by the detail-type \"AWS Console Sign In via CloudTrail\", as AWS's Knowledge Center spells it; the EventBridge User Guide spells it \"AWS Console Signin via CloudTrail\", and the evidence does not show which EventBridge delivers, so a rule written with either is matched",
            replayed.sign_in_also
        );
    }
    if !quiet {
        let accesses = rows.iter().filter(|r| r.1).count();
        eprintln!(
            "trailcase: {} matching event(s), {accesses} of them honeytoken access(es), in {records} records read",
            rows.len()
        );
        if gaps > 0 {
            eprintln!("trailcase: the evidence is incomplete: {gaps} gap(s) (run `trailcase timeline` for the list)");
        }
    }
    Ok(verdict(!rows.is_empty()))
}

fn state_name(s: RuleStateArg) -> &'static str {
    match s {
        RuleStateArg::Enabled => "ENABLED",
        RuleStateArg::EnabledWithAllCloudtrailManagementEvents => rule_state::ALL_MANAGEMENT,
        RuleStateArg::Disabled => "DISABLED",
    }
}

/// The `delivered` column for an event of `kind` and a rule in `state` (not given: `None`):
/// `None` when the state keeps it from the rule (not listed).
fn delivered(state: Option<&str>, kind: ReadOnly) -> Option<&'static str> {
    match (state, rule_state::delivery(state, kind)) {
        (_, Delivery::Delivered) => Some("yes"),
        (_, Delivery::ReadOnlyNotDelivered | Delivery::Disabled) => None,
        (None, _) => Some(match kind {
            ReadOnly::No => "if enabled",
            ReadOnly::Named => "only in state ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS",
            ReadOnly::OtherName => "unknown",
        }),
        (Some(_), Delivery::Unknown) => Some("unknown"),
    }
}
