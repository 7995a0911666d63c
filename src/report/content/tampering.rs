//! Different records under one eventID (the `conflicting_copies` findings: possible tampering),
//! said where the report sums the case up. The findings table names each copy; a reader who
//! stops at the executive summary must not take "no honeytoken was read" or a count of reads
//! as resting on records that agree. Pure: reads the timeline's conflicts and incidents.

use crate::model::Timeline;

/// At most this many eventIDs are named; beyond, "and N more".
const CITED: usize = 3;

/// The summary's sentence on the records that share an eventID and differ, and on the
/// incidents whose honeytoken reads rest on one of them; `None` when no two records do.
pub fn summary(t: &Timeline) -> Option<String> {
    if t.conflicts.is_empty() {
        return None;
    }
    let mut ids: Vec<String> = t
        .conflicts
        .iter()
        .take(CITED)
        .map(|c| format!("{} ({} records)", c.event_id, c.copies.len()))
        .collect();
    if t.conflicts.len() > CITED {
        ids.push(format!("and {} more", t.conflicts.len() - CITED));
    }
    let n = t.conflicts.len();
    let mut s = format!(
        "{n} eventID{} carr{} records that differ: {}. CloudTrail gives each event its own eventID, so records that share one and differ were not all kept as CloudTrail delivered them (changed or made afterwards, or inputs that are not CloudTrail's own files), and which is the original is not known; every copy is kept and counted as a record of its own (the \"Records sharing an eventID\" findings name each copy)",
        if n == 1 { "" } else { "s" },
        if n == 1 { "ies" } else { "y" },
        ids.join(", ")
    );
    let resting: Vec<String> = t
        .incidents
        .iter()
        .filter_map(|i| {
            let k = i.access_records.iter().filter(|r| r.conflicting).count();
            (k > 0).then(|| {
                format!(
                    "{} ({k} of its {} honeytoken read record{})",
                    i.id,
                    i.access_records.len(),
                    if i.access_records.len() == 1 { "" } else { "s" }
                )
            })
        })
        .collect();
    if !resting.is_empty() {
        s.push_str(&format!(
            "; the reads of {} rest on such records, so a count of reads may count one call more than once, or a changed record",
            resting.join(", ")
        ));
    }
    Some(s)
}
