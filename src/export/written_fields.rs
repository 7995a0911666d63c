//! The timeline's own fields that carry text a caller chose, redacted before anything is written:
//! a row's `target` (a resource name, an S3 key) and `user_agent`, an actor's user agents and an
//! incident's indicators. A user agent is whatever the caller sent (`aws-cli/2 … token=…`), a
//! key or a name can hold a query string: each goes through the rules a record's strings go
//! through ([`super::redact_text`]), so that a session token or a `password=…` in one is
//! `[REDACTED]` in the JSON, CSV, Timesketch, the indicators and the report alike. Ordinary user
//! agents and resource names are kept as they are.
//!
//! Depends on the model and the redaction rules only; run once on the analysed timeline, before
//! any output reads it (the analysis itself reads the evidence as it is).

use super::redact::redact_in_place;
use crate::model::Timeline;

/// Redact, in place, the rows' and events' `target` and `user_agent`, the actors' `user_agents`
/// and the incidents' indicator values. An actor's user agents that become one after redaction
/// are listed once.
pub fn redact_written_fields(t: &mut Timeline) {
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
    }
}
