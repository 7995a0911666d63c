//! IR-4's statement when no blocking containment call succeeded: with no incident, the calls
//! on the decoy no incident handles and why whether there was one is not known (reads not
//! logged, not examined, reads naming no resource); beside an incident, the activity on a decoy
//! that opened none and another configured honeytoken whose reads could not be seen. Pure:
//! reads [`Facts`].

use super::activity::beside_reads;
use super::facts::{first, Facts, NOT_EXAMINED};

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
        let (besides, mut cited) = beside_reads(f);
        let besides = match besides.is_empty() {
            true => besides,
            false => format!("{besides} No incident here handles them."),
        };
        // Another configured honeytoken whose reads could not be seen, as AU-3 says it.
        cited.extend(f.unseen_others.1.iter().cloned());
        return (
            format!(
                "No successful containment call is in the evidence.{besides}{}",
                f.unseen_others.0
            ),
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
            "reads that do not name what they read are in it (the \"Reads that name no resource\" finding; eventID {})",
            first(&f.unnamed_reads, 4).join(", ")
        ));
        cited.extend(first(&f.unnamed_reads, 4));
    }
    // Calls the decoy may have drawn, which no incident handles.
    let mut drew = Vec::new();
    if !f.decoy_changed.is_empty() {
        drew.push(
            "calls changed a honeytoken or tried to (the \"The honeytoken changed\" finding)"
                .to_string(),
        );
    }
    if !f.decrypts_without_read.is_empty() {
        drew.push(format!(
            "a kms:Decrypt of a honeytoken's value with no read of it may be a read whose record is missing (eventID {}: the \"A decrypt with no read\" finding; whether the decoy's value was read through it is unknown)",
            first(&f.decrypts_without_read, 4).join(", ")
        ));
        cited.extend(first(&f.decrypts_without_read, 4));
    }
    if !f.decoy_batch_deletes.is_empty() {
        drew.push(format!(
            "batch deletes on a decoy's bucket may have deleted it (s3:DeleteObjects, eventID {}: the \"A batch delete on the decoy's bucket\" finding)",
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
