//! The timeline's own fields that carry text a caller chose, redacted before anything is written:
//! a row's `target` (a resource name, an S3 key) and `user_agent`, an actor's user agents and an
//! incident's indicators. A user agent is whatever the caller sent (`aws-cli/2 … token=…`), a
//! key or a name can hold a query string: each goes through the rules a record's strings go
//! through ([`super::redact_text`]), so that a session token or a `password=…` in one is
//! `[REDACTED]` in the JSON, CSV, Timesketch, the indicators and the report alike. Ordinary user
//! agents and resource names are kept as they are. The analysis writes its findings, unknowns
//! and response steps from the records as they are (a pipeline change names the alarm, rule or
//! log group the request named): their text goes through the same rules, so that no finding
//! says what its row redacts.
//!
//! Depends on the model and the redaction rules only; run once on the analysed timeline, before
//! any output reads it (the analysis itself reads the evidence as it is).

use super::redact::redact_in_place;
use crate::model::Timeline;

/// Redact, in place, the rows' and events' `target` and `user_agent`, the actors' `user_agents`,
/// the incidents' indicator values, the findings' summaries (the case's and each incident's),
/// the incidents' unknowns, severity basis, copy destinations and response steps. An actor's
/// user agents that become one after redaction are listed once.
pub fn redact_written_fields(t: &mut Timeline) {
    for f in &mut t.findings {
        redact_in_place(&mut f.summary);
    }
    for e in &mut t.entries {
        redact_in_place(&mut e.target);
        redact_in_place(&mut e.user_agent);
    }
    for e in &mut t.events {
        for text in [&mut e.target, &mut e.user_agent].into_iter().flatten() {
            redact_in_place(text);
        }
    }
    for i in &mut t.incidents {
        let agents = &mut i.actor.user_agents;
        let changed = agents
            .iter_mut()
            .fold(false, |changed, ua| redact_in_place(ua) | changed);
        if changed {
            agents.sort();
            agents.dedup();
        }
        for ind in &mut i.indicators {
            redact_in_place(&mut ind.value);
        }
        for f in &mut i.findings {
            redact_in_place(&mut f.summary);
        }
        for u in &mut i.unknowns {
            redact_labelled(u);
        }
        redact_in_place(&mut i.severity_basis);
        for c in &mut i.impact.copies {
            if let Some(d) = &mut c.destination {
                redact_in_place(d);
            }
        }
        for step in i.eradication.iter_mut().chain(i.recommendations.iter_mut()) {
            for text in [&mut step.action, &mut step.plain, &mut step.reason] {
                redact_in_place(text);
            }
            // The step the report shows once the credential expired.
            if let Some(after) = &mut step.once_expired {
                for text in [&mut after.action, &mut after.plain, &mut after.reason] {
                    redact_in_place(text);
                }
            }
        }
    }
}

/// [`redact_in_place`] for an `unknowns` entry, past its label (`honeytoken: …`,
/// `flow1_alarm: …`): the label is the tool's own word, and read as a configuration line
/// (`honeytoken` ends in `token`) it would have the whole entry replaced.
fn redact_labelled(text: &mut String) {
    let label = text
        .split_once(": ")
        .filter(|(l, _)| {
            !l.is_empty()
                && l.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        })
        .map_or(0, |(l, _)| l.len() + 2);
    let mut rest = text[label..].to_string();
    if redact_in_place(&mut rest) {
        text.truncate(label);
        text.push_str(&rest);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknowns_label_is_kept_and_the_rest_redacted() {
        let mut u = "honeytoken: the record's ARN arn:aws:ssm:us-east-1:1:parameter/db-password could name it".to_string();
        let before = u.clone();
        redact_labelled(&mut u);
        assert_eq!(u, before);
        let mut u = "flow1_alarm: unknown: alarm a?X-Amz-Signature=abc".to_string();
        redact_labelled(&mut u);
        assert_eq!(
            u,
            "flow1_alarm: unknown: alarm a?X-Amz-Signature=[REDACTED]"
        );
    }
}
