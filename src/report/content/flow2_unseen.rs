//! What flow 2's rule could not have seen, for the flow comparison (section 6): accesses whose
//! records EventBridge delivers as another kind of event than the rule matches, and reads the
//! rule's collected state (`ENABLED`, `DISABLED`) is not delivered, with what the evidence shows
//! of it.
//! Reads the timeline only.

use super::fmt;
use crate::model::{FlowReplay, StateDelivery, Timeline};

/// Accesses named in the flow comparison's sentence on what flow 2 could not see; the rest counted.
const UNSEEN_NAMED: usize = 3;

/// The honeytoken accesses a flow-2 rule could not have seen because EventBridge delivers
/// their records as another kind of event than the rule matches (the replay's
/// `missed_because`), told in the flow comparison so that a miss there is not read as the
/// rule failing on the call.
pub fn flow2_unseen(t: &Timeline) -> Option<String> {
    let mut told = Vec::new();
    for f in t
        .replay
        .flows
        .iter()
        .filter(|f| f.flow == crate::model::FlowKind::EventRule)
    {
        told.extend(by_state(f));
        let unseen: Vec<&crate::model::AccessReplay> = f
            .accesses
            .iter()
            .filter(|a| a.missed_because.is_some() && a.by_state != StateDelivery::NotDelivered)
            .collect();
        if unseen.is_empty() {
            continue;
        }
        let named = named(&unseen);
        let (them, it) = if unseen.len() == 1 {
            ("access", "its record")
        } else {
            ("accesses", "their records")
        };
        told.push(format!(
            "In this case rule {} could not have seen the honeytoken {them} {named}: EventBridge does not deliver {it} as \"AWS API Call via CloudTrail\", which the rule's pattern matches {it} as (as a request refused at a VPC endpoint, a network activity event, is not), so the rule did not fail on the call; the replay's table says how each is delivered",
            f.resource,
        ));
    }
    (!told.is_empty()).then(|| told.join(". ") + ".")
}

/// The first [`UNSEEN_NAMED`] of `rows` by eventID and time, and how many more the replay lists.
fn named(rows: &[&crate::model::AccessReplay]) -> String {
    let named: Vec<String> = rows
        .iter()
        .take(UNSEEN_NAMED)
        .map(|a| format!("{} ({})", a.event_id, fmt::time(a.time)))
        .collect();
    let more = match rows.len().saturating_sub(UNSEEN_NAMED) {
        0 => String::new(),
        n => format!(" and {n} more listed in the replay"),
    };
    format!("{}{more}", named.join(", "))
}

/// The first [`UNSEEN_NAMED`] of `rows` with the call each one's rule state rests on, and how
/// many more the replay lists.
fn named_with_call(rows: &[&crate::model::AccessReplay]) -> String {
    let named: Vec<String> = rows
        .iter()
        .take(UNSEEN_NAMED)
        .map(|a| {
            format!(
                "{} ({}; state set by {})",
                a.event_id,
                fmt::time(a.time),
                a.state_set_by
                    .as_deref()
                    .unwrap_or("no call in the evidence")
            )
        })
        .collect();
    let more = match rows.len().saturating_sub(UNSEEN_NAMED) {
        0 => String::new(),
        n => format!(" and {n} more listed in the replay"),
    };
    format!("{}{more}", named.join(", "))
}

/// What flow 2's rule's state at each access made of the reads its pattern matches (`ENABLED`
/// is not delivered read-only management events, `DISABLED` is matched against no event), one
/// sentence per kind, state and basis (as collected, or the last call setting it before the
/// access, named): not delivered (missed), delivered by the evidence though the state says not
/// (the rule fired), and unknown.
fn by_state(f: &FlowReplay) -> Vec<String> {
    let of = |kind: StateDelivery, disabled: bool, by_call: bool| -> Option<String> {
        let rows: Vec<_> = f
            .accesses
            .iter()
            .filter(|a| a.by_state == kind)
            .filter(|a| (a.rule_state.as_deref() == Some("DISABLED")) == disabled)
            .filter(|a| a.state_set_by.is_some() == by_call)
            .collect();
        (!rows.is_empty()).then(|| {
            if by_call {
                named_with_call(&rows)
            } else {
                named(&rows)
            }
        })
    };
    let (rule, guide) = (&f.resource, crate::rules::rule_state::GUIDE);
    let enabled = format!("rule {rule}'s collected state is ENABLED, which does not receive read-only management events delivered through CloudTrail ({guide})");
    let disabled = format!("rule {rule}'s collected state is DISABLED, in which EventBridge matches no event against the rule ({guide})");
    let mut out = Vec::new();
    if let Some(reads) = of(StateDelivery::NotDelivered, false, false) {
        out.push(format!("In this case {enabled}: in that state EventBridge does not deliver it the honeytoken read(s) {reads} that its pattern matches, and nothing in the evidence that names it shows it firing for them, so it could not have fired for them if its state was the same at the reads; the replay's table says, for each, what the evidence shows of the rule's state at the read"));
    }
    if let Some(reads) = of(StateDelivery::NotDelivered, false, true) {
        out.push(format!("In this case rule {rule} was in state ENABLED, which does not receive read-only management events delivered through CloudTrail ({guide}), at the honeytoken read(s) {reads}, as the last call setting its state before each set it: in that state EventBridge does not deliver them to it, and nothing in the evidence that names it shows it firing for them, so it could not have fired for them"));
    }
    if let Some(reads) = of(StateDelivery::NotDelivered, true, false) {
        out.push(format!("In this case {disabled}: its pattern matches the honeytoken access(es) {reads}, but nothing in the evidence that names it shows it firing for them, so it could not have fired for them if its state was the same then; the replay's table says, for each, what the evidence shows of the rule's state at the access"));
    }
    if let Some(reads) = of(StateDelivery::NotDelivered, true, true) {
        out.push(format!("In this case rule {rule} was in state DISABLED, in which EventBridge matches no event against the rule ({guide}), at the honeytoken access(es) {reads}, as the last call setting its state before each set it: its pattern matches them, but nothing in the evidence that names it shows it firing for them, so it could not have fired for them"));
    }
    if let Some(reads) = of(StateDelivery::FiredAnyway, false, false) {
        out.push(format!("In this case {enabled}, yet the evidence shows it firing after the read(s) {reads}: its state may have changed between the reads and the collection (the replay's notes name the calls in the evidence that set it, or say there are none)"));
    }
    if let Some(reads) = of(StateDelivery::FiredAnyway, true, false) {
        out.push(format!("In this case {disabled}, yet the evidence shows it firing after the access(es) {reads}: if that firing is this rule's, its state must have changed between the accesses and the collection (the replay's notes name the calls in the evidence that set it, or say there are none)"));
    }
    for disabled in [false, true] {
        if let Some(reads) = of(StateDelivery::FiredAnyway, disabled, true) {
            let (state, what) = if disabled {
                ("DISABLED", "if that firing is this rule's, a call not in the evidence must have changed its state after that call")
            } else {
                ("ENABLED", "a call not in the evidence may have changed its state after that call, or the firing is not for the read")
            };
            out.push(format!("In this case rule {rule} was in state {state} at the access(es) {reads}, as the last call setting its state before each set it, yet the evidence shows it firing after them: {what} (the replay's notes say which)"));
        }
    }
    let unknown: Vec<_> = [false, true]
        .into_iter()
        .flat_map(|d| [(d, false), (d, true)])
        .filter_map(|(d, c)| of(StateDelivery::Unknown, d, c))
        .collect();
    if !unknown.is_empty() {
        out.push(format!("Whether EventBridge delivered the access(es) {} to rule {rule} is unknown: a rule in state ENABLED does not receive read-only management events and one in state DISABLED is matched against no event ({guide}), and its state at them is not known from the evidence (its State not collected, a call setting it in the same second, none before them, or a last one the collected state disagrees with), was set by a call that does not say which enabled state, or the read's name is not one the guide says it withholds (the replay's notes say which)", unknown.join(", ")));
    }
    out
}
