//! The SC-26 row (Decoys): what the records show of the honeytoken, the read and its
//! detection, or, with no read, what `decoy_unread` says leads, and beside a read the activity
//! on a decoy that opens no incident (`activity`), and reads of it in records without a data
//! event's fields (`unmarked`). Pure: reads [`Facts`].

use super::activity::beside_reads;
use super::decoy_unread::no_read;
use super::facts::{first, Facts, NOT_EXAMINED};
use super::unmarked;
use super::{row, CsfFunction, NistRow, Support};

/// The SC-26 row. `flow_evidence`: the alarm transitions and rule metrics that show a flow
/// firing.
pub(super) fn sc26(f: &Facts, flow_evidence: &[String]) -> NistRow {
    let sc26 = |s, st, ev| row("SC-26", "Decoys", CsfFunction::Detect, s, st, ev);
    if f.records == 0 {
        return sc26(
            Support::Missing,
            format!("{NOT_EXAMINED}, so whether the configured honeytoken was read is not known."),
            vec![],
        );
    }
    if f.accesses.is_empty() {
        return no_read(f);
    }
    // A read the service refused is an attempt: the decoy drew it, but returned nothing.
    // Refused or failed by the one rule of the direct reads: an access check's code is a
    // refusal, another code a failure.
    let ended = if f.reads_all_refusals || f.reads_denied >= f.reads_with_error {
        "refused"
    } else if f.reads_denied == 0 {
        "failed"
    } else {
        "refused or failed"
    };
    let (read, the_read) = if f.indirect_only && f.reads_with_error > 0 {
        (
            format!("was asked for directly (every such read in the evidence {ended}) and decrypted by S3 for a caller (kms:Decrypt; the S3 call itself is not in the evidence)"),
            "the attempt or the decryption",
        )
    } else if f.indirect_only {
        (
            "was decrypted by S3 for a caller (kms:Decrypt; the S3 call itself is not in the evidence)".to_string(),
            "the decryption",
        )
    } else if f.reads_succeeded > 0 {
        ("was read".to_string(), "the read")
    } else {
        (
            format!("was asked for (every call to read it {ended})"),
            "the attempt",
        )
    };
    let (besides, besides_ids) = beside_reads(f);
    // A read resting on a record without a data event's fields, and a HeadObject of the decoy
    // (no value returned), each said as what it is.
    let (besides, besides_ids) = [
        unmarked::reads(f),
        unmarked::own(f),
        Some(f.unseen_others.clone()).filter(|(s, _)| !s.is_empty()),
    ]
    .into_iter()
    .flatten()
    .fold(
        (besides, besides_ids),
        |(mut s, mut ids), (clause, cited)| {
            s.push_str(&clause);
            ids.extend(cited.into_iter().filter(|id| !f.accesses.contains(id)));
            (s, ids)
        },
    );
    if flow_evidence.is_empty() {
        sc26(
            Support::Partial,
            format!("A {} no workload reads {read}; no detection of {the_read} (alarm transition, rule metric) is in the evidence.{besides}", f.decoy),
            first(&f.accesses, 4).into_iter().chain(besides_ids).collect(),
        )
    } else {
        sc26(
            Support::Supported,
            format!(
                "A {} no workload reads {read}, and {the_read} was detected.{besides}",
                f.decoy
            ),
            first(&f.accesses, 2)
                .into_iter()
                .chain(first(flow_evidence, 2))
                .chain(besides_ids)
                .collect(),
        )
    }
}
