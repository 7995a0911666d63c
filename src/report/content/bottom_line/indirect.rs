//! When an incident's successful reads are known only from S3's `kms:Decrypt` of the decoy
//! object ([`Incident::indirect_only`]) and the evidence also holds refused direct reads by the
//! same credential: the times of each, so that a sentence says what rests on what (the refused
//! call was refused, or failed with its code, by the rule of the direct reads; the decryption is
//! indirect) and never dates the decryption by the refusal.

use super::decoy;
use crate::model::{Incident, Timeline, Timestamp};
use crate::report::content::fmt;

/// The first decryption and the refused reads of an indirect-only incident.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct IndirectReads {
    /// The first Decrypt's time (`None`: not an indirect-only incident, or not found).
    pub decrypted: Option<Timestamp>,
    /// The first refused read's time, and how many reads were refused.
    pub refused: Option<Timestamp>,
    pub refused_count: usize,
}

impl IndirectReads {
    pub(super) fn of(t: &Timeline, i: &Incident) -> IndirectReads {
        if !i.indirect_only() {
            return IndirectReads::default();
        }
        let indirect = i.indirect_event_ids();
        let events = i.access_records.iter().filter_map(|r| t.event_at(r.origin));
        let mut out = IndirectReads {
            refused_count: i.impact.reads_with_error,
            ..Default::default()
        };
        for e in events {
            let slot = if indirect.contains(&e.event_id.as_str()) {
                &mut out.decrypted
            } else if !e.succeeded() {
                &mut out.refused
            } else {
                continue;
            };
            *slot = Some(slot.map_or(e.time, |s| s.min(e.time)));
        }
        out
    }

    /// ` at <time>` of the first decryption, else of the incident's first read.
    pub(super) fn when(&self, i: &Incident) -> String {
        self.decrypted
            .or(i.milestones.first_access)
            .map(|t| format!(" at {}", fmt::time(t)))
            .unwrap_or_default()
    }

    /// A sentence on the refused direct reads, empty when there are none: they are in the
    /// evidence as refused, not as the read.
    pub(super) fn refused_sentence(&self, i: &Incident) -> String {
        let at = self
            .refused
            .map(|t| format!(" (the first at {})", fmt::time(t)))
            .unwrap_or_default();
        match self.refused_count {
            0 => String::new(),
            1 => format!(
                " A direct read of the {} by that credential is in the evidence, and it {}{}.",
                decoy(i),
                i.impact.failed_reads_verb(1),
                self.refused.map(|t| format!(" (at {})", fmt::time(t))).unwrap_or_default()
            ),
            n => format!(
                " {n} direct reads of the {} by that credential are in the evidence, and all {}{at}.",
                decoy(i),
                i.impact.failed_reads_verb(n)
            ),
        }
    }

    /// The story's line for the refused reads, if any.
    pub(super) fn refused_step(&self, i: &Incident) -> Option<String> {
        (self.refused_count > 0).then(|| {
            let at = self
                .refused
                .map(|t| format!("At {} ", fmt::time(t)))
                .unwrap_or_default();
            match self.refused_count {
                1 => format!(
                    "**The attempt.** {at}it tried to read the {} {}, and {}.",
                    decoy(i),
                    i.honeytoken_name,
                    i.impact.failed_reads_verb(1)
                ),
                n => format!(
                    "**The attempt.** {at}it tried to read the {} {}: its {n} direct reads in the evidence {}.",
                    decoy(i),
                    i.honeytoken_name,
                    i.impact.failed_reads_verb(n)
                ),
            }
        })
    }
}
