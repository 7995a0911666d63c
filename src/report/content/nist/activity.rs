//! Activity on a decoy, or possibly on one, that is no read of it and opens no incident: calls
//! that changed it, Decrypts of its value, batch deletes on its bucket, reads naming no
//! resource (their findings), as clauses citing their eventIDs for the decoy rows (SC-26, IR-4,
//! DE.CM-03, DE.AE-02), so that no row says "no activity" beside them, nor leaves them out
//! beside another decoy's read. Pure: reads [`Facts`].

use super::facts::{first, Facts};

/// The Decrypts of a honeytoken's value with no read of it, as a clause citing their eventIDs.
pub(super) fn decrypts(f: &Facts) -> String {
    format!(
        "a kms:Decrypt of its value with no read of it (the \"A decrypt with no read\" finding; eventID {} cited): the service decrypts a value only to return it, so a read's record may be missing, and whether the decoy's value was read through it is unknown",
        first(&f.decrypts_without_read, 4).join(", ")
    )
}

/// The reads that name no resource, as a clause citing their eventIDs.
pub(super) fn unnamed(f: &Facts) -> String {
    format!(
        "reads that do not name what they read are among them (through an access point whose bucket the evidence does not name, with no requestParameters, or as S3's kms:Decrypt of some object of the decoy's bucket: the \"Reads that name no resource\" finding says which; eventID {} cited)",
        first(&f.unnamed_reads, 4).join(", ")
    )
}

/// What the records show on the decoy, or possibly on it, with no read of it: calls that
/// changed it, Decrypts of its value, batch deletes on its bucket, reads naming no resource, a
/// `HeadObject` of it in a record without a data event's fields (`unmarked::own_activity`).
/// Each as a clause citing its finding's eventIDs, and the eventIDs; empty when none is in the
/// evidence. DE.CM-03 and DE.AE-02 say them, so that no row says "no activity" beside them.
pub(super) fn possible_activity(f: &Facts) -> (Vec<String>, Vec<String>) {
    let found: [(&[String], &str); 4] = [
        (&f.decoy_changed, "calls on it that are not reads (writes, deletions or other changes, or attempts at them: the \"The honeytoken changed\" finding"),
        (&f.decrypts_without_read, "a kms:Decrypt of its value with no read of it, whether the value was read through it unknown (the \"A decrypt with no read\" finding"),
        (&f.decoy_batch_deletes, "batch deletes on its bucket that may have deleted it (s3:DeleteObjects, naming no key: the \"A batch delete on the decoy's bucket\" finding"),
        (&f.unnamed_reads, "reads that do not name what they read, whether one of them read the decoy unknown (the \"Reads that name no resource\" finding"),
    ];
    let own = super::unmarked::own_activity(f);
    let (mut told, mut cited) = (Vec::new(), Vec::new());
    for (ids, what) in found
        .into_iter()
        .chain(own.as_ref().map(|(what, ids)| (&ids[..], what.as_str())))
        .filter(|(ids, _)| !ids.is_empty())
    {
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
