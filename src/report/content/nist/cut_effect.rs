//! What the evidence shows of a containment's effect, for AC-2: when the first call that cut the
//! actor's access succeeded, the last of the identity's own calls that still succeeded after it
//! (IAM applies a change after a delay) and the first call refused after it, each with its
//! eventID. A call IAM accepted shows a policy attached or a key deactivated, not that the
//! identity could do nothing from that moment: the sentence says when its calls stopped
//! succeeding, as far as the records show. Pure: reads the incidents.

use crate::model::{first_cut, Timeline};
use crate::report::content::fmt;

/// The effect of each incident's containment, in sentences, with the eventIDs they cite.
#[derive(Debug, Default)]
pub(super) struct CutEffect {
    /// One sentence per incident with a call that cut access, each prefixed with its id when
    /// there are several; empty when none.
    pub(super) sentences: String,
    /// The eventIDs the sentences name: the last success after the cut, the first refusal.
    pub(super) cited: Vec<String>,
    /// An incident whose identity's own call succeeded after the cut with no refused call
    /// after it: the records do not show the cut in effect.
    pub(super) not_shown_effective: bool,
}

pub(super) fn cut_effect(t: &Timeline) -> CutEffect {
    let mut out = CutEffect::default();
    let mut sentences = Vec::new();
    let many = t.incidents.len() > 1;
    for i in &t.incidents {
        let Some(cut) = first_cut(&i.containment) else {
            continue;
        };
        let m = &i.milestones;
        let own_after = m.own_succeeded_after_containment();
        let own_same = m.succeeded_same_second.iter().filter(|c| c.own).count();
        let mut s = format!(
            "{}The first of those calls succeeded at {} ({}, eventID {}).",
            if many {
                format!("{}: ", i.id)
            } else {
                String::new()
            },
            fmt::time(cut.time),
            cut.kind.describe(),
            cut.event_id
        );
        if let Some(last) = own_after.last() {
            s.push_str(&format!(
                " It was not in effect at once: {} call(s) of the identity itself succeeded after it, the last at {}, {} later (eventID {}).",
                own_after.len(),
                fmt::time(last.time),
                fmt::duration((last.time.millis() - cut.time.millis()) as f64 / 1000.0),
                last.event_id
            ));
            out.cited.push(last.event_id.clone());
        }
        if own_same > 0 {
            s.push_str(&format!(
                " {own_same} call(s) of the identity succeeded in that same second, before or after it (eventTime is to the second)."
            ));
        }
        let last_success = own_after.last().map(|c| c.time);
        match &m.first_denied_call {
            Some(d) if last_success.is_none_or(|l| d.time > l) => {
                s.push_str(&format!(
                    " The first of the actor's calls refused after it was at {} (eventID {}){}.",
                    fmt::time(d.time),
                    d.event_id,
                    if d.own {
                        ""
                    } else {
                        ", made with a role session it obtained"
                    }
                ));
                out.cited.push(d.event_id.clone());
            }
            Some(d) => {
                s.push_str(&format!(
                    " A call of the actor was refused at {} (eventID {}), yet one succeeded after that: the records do not show the cut in effect.",
                    fmt::time(d.time),
                    d.event_id
                ));
                out.cited.push(d.event_id.clone());
                out.not_shown_effective = true;
            }
            None if last_success.is_some() => {
                s.push_str(" No call of the actor refused after it is in the evidence: the records do not show the cut in effect.");
                out.not_shown_effective = true;
            }
            None => s.push_str(
                " No later call of the identity itself is in the evidence to show it in effect (or not).",
            ),
        }
        sentences.push(s);
    }
    out.sentences = sentences.join(" ");
    out
}
