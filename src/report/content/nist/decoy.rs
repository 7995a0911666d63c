//! The decoy rows: SC-26 (Decoys), and IR-4's statement when no containment call blocked
//! anyone. Both say what the records show of the honeytoken, and what keeps them from showing
//! more: reads not logged or not examined, reads that name no resource, calls that changed
//! the decoy, a batch delete that may have deleted it or a `kms:Decrypt` of its value with no
//! read, each said whenever it is in the evidence, whatever else leads. Pure: reads [`Facts`].

use super::facts::{first, Facts, NOT_EXAMINED};
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
    let ended = if f.reads_all_refusals || f.reads_denied >= f.reads_refused {
        "refused"
    } else if f.reads_denied == 0 {
        "failed"
    } else {
        "refused or failed"
    };
    let (read, the_read) = if f.indirect_only && f.reads_refused > 0 {
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

/// SC-26 with records examined and no honeytoken read among them: the first of what the
/// records do show (a change of the decoy, reads not logged, not examined, a batch delete on
/// its bucket, reads that name no resource) leads, and what else they show follows it, so
/// that no row says "no read or change of it" beside evidence that one may be there.
fn no_read(f: &Facts) -> NistRow {
    let (mut unnamed_told, mut batch_told, mut decrypt_told) = (false, false, false);
    let (mut support, mut statement, mut evidence) = if !f.decoy_changed.is_empty() {
        let logged = if f.reads_not_logged.is_empty() && f.reads_not_examined {
            " (and its reads were not examined: no S3 read data event on the decoy's bucket is among them, the reads_not_examined finding)".to_string()
        } else if f.reads_not_logged.is_empty() {
            String::new()
        } else {
            format!(
                " (and the trail's event selectors, {}, log none of the calls that read it)",
                f.reads_not_logged.join(", ")
            )
        };
        (
            Support::Partial,
            format!("No read of the honeytoken is in the {} records examined{logged}, but calls on the decoy that are not reads are (writes, deletions or other changes: the honeytoken_changed finding): the decoy drew them, and no detection of them is shown.", f.records),
            first(&f.decoy_changed, 4)
                .into_iter()
                .chain(f.reads_not_logged.iter().cloned())
                .collect::<Vec<_>>(),
        )
    } else if !f.reads_not_logged.is_empty() {
        (
            Support::Missing,
            format!(
                "Not examined: the honeytoken is configured, but the trail's event selectors ({}) log none of the calls that read it, so no read of the decoy could be in the {} records examined{}.",
                f.reads_not_logged.join(", "),
                f.records,
                if f.s3_decoy_writes.is_empty() {
                    String::new()
                } else {
                    format!("; the decoy bucket's data events among them are writes only (eventID {} cited), which show nothing of its reads", f.s3_decoy_writes.join(", "))
                }
            ),
            f.reads_not_logged
                .iter()
                .cloned()
                .chain(first(&f.s3_decoy_writes, 4))
                .collect(),
        )
    } else if f.reads_not_examined {
        (
            Support::Missing,
            format!(
                "{}{}",
                if !f.s3_decoy_writes.is_empty() {
                    format!("Not examined: the honeytoken is configured, but the S3 data events of the decoy's bucket among the {} records examined are write data events only (readOnly false, such as PutObject; eventID {} cited): writes of the bucket were logged, not reads, so a read of the S3 decoy could not be seen.", f.records, f.s3_decoy_writes.join(", "))
                } else if !f.s3_data_events {
                    format!("Not examined: the honeytoken is configured, but none of the {} records examined is an S3 data event, so a read of the S3 decoy could not be seen.", f.records)
                } else if !f.s3_access_points.is_empty() {
                    format!("Not examined: the honeytoken is configured, but none of the {} records examined is an S3 data event on a bucket the evidence names as the decoy's; S3 data events through access points were read ({}; one of each cited){}: neither the records nor trailcase.toml say which bucket each access point serves, so whether they are the decoy bucket's is unknown.", f.records, f.s3_access_points.join(", "), if f.s3_elsewhere.is_empty() { String::new() } else { format!(", and S3 data events of other buckets ({})", f.s3_elsewhere.join(", ")) })
                } else if f.s3_elsewhere.is_empty() {
                    format!("Not examined: the honeytoken is configured, but none of the {} records examined is an S3 data event on the decoy's bucket (the S3 data events read name no bucket), so a read of the S3 decoy could not be seen.", f.records)
                } else {
                    format!("Not examined: the honeytoken is configured, but none of the {} records examined is an S3 data event on the decoy's bucket, so a read of the S3 decoy could not be seen; S3 data events of other buckets were read ({}; one of each cited): data events were logged, not for the decoy's bucket.", f.records, f.s3_elsewhere.join(", "))
                },
                if f.s3_decoy_unmarked.is_empty() {
                    String::new()
                } else {
                    format!(" Bucket-level reads of the decoy's bucket that S3 logs only as data events (ListObjects, HeadBucket; eventID {} cited) are in records without a data event's fields: they may be read data events, the records do not show it, and they are not counted.", f.s3_decoy_unmarked.join(", "))
                }
            ),
            if f.s3_decoy_writes.is_empty() {
                first(
                    &f.s3_access_point_ids
                        .iter()
                        .chain(&f.s3_elsewhere_ids)
                        .cloned()
                        .collect::<Vec<_>>(),
                    4,
                )
            } else {
                first(&f.s3_decoy_writes, 4)
            }
            .into_iter()
            .chain(first(&f.s3_decoy_unmarked, 2))
            .collect(),
        )
    } else if !f.decrypts_without_read.is_empty() {
        decrypt_told = true;
        (
            Support::Partial,
            format!(
                "No read call of the honeytoken is in the {} records examined, but {}.",
                f.records,
                decrypts(f)
            ),
            first(&f.decrypts_without_read, 4),
        )
    } else if !f.decoy_batch_deletes.is_empty() {
        batch_told = true;
        (
            Support::Partial,
            format!("No read of the honeytoken is in the {} records examined, but batch deletes on the decoy's bucket are (s3:DeleteObjects, whose records name no key: the decoy_bucket_batch_delete finding): whether they deleted the decoy, and so whether it drew them, is unknown.", f.records),
            first(&f.decoy_batch_deletes, 4),
        )
    } else if !f.unnamed_reads.is_empty() {
        unnamed_told = true;
        (
            Support::Missing,
            format!("Unknown: the honeytoken is configured and no record among the {} examined names a read or change of it, but {}: whether one of them read the decoy is unknown.", f.records, unnamed(f)),
            first(&f.unnamed_reads, 4),
        )
    } else {
        (
            Support::Missing,
            format!("Not shown by this evidence: the honeytoken is configured, but no read or change of it is in the {} records examined.", f.records),
            vec![],
        )
    };
    // A Decrypt of the decoy's value may be a read whose record is missing.
    if !decrypt_told && !f.decrypts_without_read.is_empty() {
        let told = decrypts(f);
        statement.push_str(&format!(" The records also hold {told}."));
        for id in first(&f.decrypts_without_read, 4) {
            if !evidence.contains(&id) {
                evidence.push(id);
            }
        }
        support = Support::Partial;
    }
    // A batch delete may have deleted the decoy: the decoy may have drawn it, whatever else
    // keeps its reads from being seen.
    if !batch_told && !f.decoy_batch_deletes.is_empty() {
        statement.push_str(&format!(
            " Batch deletes on the decoy's bucket are in the records too (s3:DeleteObjects, whose records name no key: the decoy_bucket_batch_delete finding; eventID {} cited): whether they deleted the decoy, and so whether it drew them, is unknown.",
            first(&f.decoy_batch_deletes, 4).join(", ")
        ));
        for id in first(&f.decoy_batch_deletes, 4) {
            if !evidence.contains(&id) {
                evidence.push(id);
            }
        }
        support = Support::Partial;
    }
    if !unnamed_told && !f.unnamed_reads.is_empty() {
        statement.push_str(&format!(
            " Besides, {}: whether one of them read the decoy is unknown.",
            unnamed(f)
        ));
        evidence.extend(first(&f.unnamed_reads, 4));
    }
    row(
        "SC-26",
        "Decoys",
        CsfFunction::Detect,
        support,
        statement,
        evidence,
    )
}

/// The Decrypts of a honeytoken's value with no read of it, as a clause citing their eventIDs.
fn decrypts(f: &Facts) -> String {
    format!(
        "a kms:Decrypt of its value with no read of it (the decrypt_without_read finding; eventID {} cited): the service decrypts a value only to return it, so a read's record may be missing, and whether the decoy's value was read through it is unknown",
        first(&f.decrypts_without_read, 4).join(", ")
    )
}

/// The reads that name no resource, as a clause citing their eventIDs.
fn unnamed(f: &Facts) -> String {
    format!(
        "reads that do not name what they read are among them (through an access point whose bucket the evidence does not name, with no requestParameters, or as S3's kms:Decrypt of some object of the decoy's bucket: the unnamed_read finding says which; eventID {} cited)",
        first(&f.unnamed_reads, 4).join(", ")
    )
}

/// IR-4's statement when no blocking containment call succeeded, and the eventIDs it cites
/// beside the containment calls.
pub(super) fn ir4_unblocked(f: &Facts) -> (String, Vec<String>) {
    if f.records == 0 {
        return (
            format!("{NOT_EXAMINED}: whether there was an incident to handle is not known."),
            vec![],
        );
    }
    if !f.incidents.is_empty() {
        let (besides, cited) = beside_reads(f);
        let besides = match besides.is_empty() {
            true => besides,
            false => format!("{besides} No incident here handles them."),
        };
        return (
            format!("No successful containment call is in the evidence.{besides}"),
            cited,
        );
    }
    // Why whether there was an incident is not known.
    let mut unknown = Vec::new();
    let mut cited = Vec::new();
    if !f.reads_not_logged.is_empty() {
        unknown.push(
            "the trail's event selectors log none of the calls that read the honeytoken"
                .to_string(),
        );
    } else if f.reads_not_examined {
        unknown.push(format!(
            "reads of the S3 decoy were not examined (no S3 {})",
            if !f.s3_decoy_writes.is_empty() {
                "read data event on its bucket, writes only"
            } else if f.s3_data_events {
                "data event on its bucket"
            } else {
                "data event"
            }
        ));
    }
    if !f.unnamed_reads.is_empty() {
        unknown.push(format!(
            "reads that do not name what they read are in it (the unnamed_read finding; eventID {})",
            first(&f.unnamed_reads, 4).join(", ")
        ));
        cited.extend(first(&f.unnamed_reads, 4));
    }
    // Calls the decoy may have drawn, which no incident handles.
    let mut drew = Vec::new();
    if !f.decoy_changed.is_empty() {
        drew.push(
            "calls changed a honeytoken or tried to (the honeytoken_changed finding)".to_string(),
        );
    }
    if !f.decrypts_without_read.is_empty() {
        drew.push(format!(
            "a kms:Decrypt of a honeytoken's value with no read of it may be a read whose record is missing (eventID {}: the decrypt_without_read finding; whether the decoy's value was read through it is unknown)",
            first(&f.decrypts_without_read, 4).join(", ")
        ));
        cited.extend(first(&f.decrypts_without_read, 4));
    }
    if !f.decoy_batch_deletes.is_empty() {
        drew.push(format!(
            "batch deletes on a decoy's bucket may have deleted it (s3:DeleteObjects, eventID {}: the decoy_bucket_batch_delete finding)",
            first(&f.decoy_batch_deletes, 4).join(", ")
        ));
        cited.extend(first(&f.decoy_batch_deletes, 4));
    }
    let statement = if !drew.is_empty() {
        // A Decrypt may be a read: only the read call is known to be missing; a read that
        // names nothing may be one too: only a read naming a honeytoken is known to be missing.
        let none = if !f.unnamed_reads.is_empty() {
            "no read naming a honeytoken"
        } else if !f.decrypts_without_read.is_empty() {
            "no read call of a honeytoken"
        } else {
            "no read of a honeytoken"
        };
        let mut s = format!("No incident ({none} is in the evidence), but {}: they are not handled by any incident here.", drew.join("; and "));
        if !unknown.is_empty() {
            s.push_str(&format!(
                " Whether a read of it made an incident is not known either: {}.",
                unknown.join("; and ")
            ));
        }
        s
    } else if unknown.is_empty() {
        "No incident to handle.".into()
    } else {
        format!(
            "No incident in the evidence examined, but {}: whether there was an incident to handle is not known.",
            unknown.join("; and ")
        )
    };
    (statement, cited)
}

/// What the records show on the decoy, or possibly on it, with no read of it: calls that
/// changed it, Decrypts of its value, batch deletes on its bucket, reads naming no resource.
/// Each as a clause citing its finding's eventIDs, and the eventIDs; empty when none is in the
/// evidence. DE.CM-03 and DE.AE-02 say them, so that no row says "no activity" beside them.
pub(super) fn possible_activity(f: &Facts) -> (Vec<String>, Vec<String>) {
    let found: [(&[String], &str); 4] = [
        (&f.decoy_changed, "calls on it that are not reads (writes, deletions or other changes, or attempts at them: the honeytoken_changed finding"),
        (&f.decrypts_without_read, "a kms:Decrypt of its value with no read of it, whether the value was read through it unknown (the decrypt_without_read finding"),
        (&f.decoy_batch_deletes, "batch deletes on its bucket that may have deleted it (s3:DeleteObjects, naming no key: the decoy_bucket_batch_delete finding"),
        (&f.unnamed_reads, "reads that do not name what they read, whether one of them read the decoy unknown (the unnamed_read finding"),
    ];
    let (mut told, mut cited) = (Vec::new(), Vec::new());
    for (ids, what) in found.into_iter().filter(|(ids, _)| !ids.is_empty()) {
        told.push(format!("{what}; eventID {})", first(ids, 4).join(", ")));
        cited.extend(first(ids, 4));
    }
    (told, cited)
}

/// Beside a read of a honeytoken: what [`possible_activity`] finds, which no incident holds (a
/// change of another decoy, a Decrypt of its value, a batch delete on its bucket, reads naming
/// nothing), as a sentence to add to a row about the reads, and the eventIDs it cites; empty
/// when there is none. The rows about the read say it too, so that activity on a second
/// honeytoken is never left out beside the first one's read.
pub(super) fn beside_reads(f: &Facts) -> (String, Vec<String>) {
    let (told, cited) = possible_activity(f);
    if told.is_empty() {
        return (String::new(), cited);
    }
    (
        format!(
            " Activity on a honeytoken, or possibly on one, that opens no incident is in the records too, told as findings: {}.",
            told.join("; and ")
        ),
        cited,
    )
}
