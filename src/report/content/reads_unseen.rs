//! Why a read of a honeytoken may be missing from the records, for every section that says no
//! read or no incident is in them: the trail's event selectors log none of the calls that read
//! it (`reads_not_logged`), its S3 reads were not examined (`reads_not_examined`), or the
//! records show CloudTrail logging reduced (`logging_reduced`, a call that succeeded). With
//! any of these, "no read in the records" is not an all-clear, and the sections say so with
//! what they rest on. Pure: reads the timeline's findings, inputs and S3 data-event notes.

use crate::model::{FindingKind, Timeline};

/// At most this many eventIDs are cited per cause; beyond, "and N more".
const CITED: usize = 2;

/// `v`'s first `n` items, then "and N more" when there are at least two more: one more is
/// listed whole, since "a, b, and 1 more" is no shorter than naming it.
pub(in crate::report::content) fn first(v: &[String], n: usize) -> Vec<String> {
    if v.len() <= n + 1 {
        return v.to_vec();
    }
    let mut out: Vec<String> = v.iter().take(n).cloned().collect();
    out.push(format!("and {} more", v.len() - n));
    out
}

/// "it" for one logging change ([`logging_reduced_ids`]), "them" for several: what "a read
/// after …" refers to.
pub fn after_reduced(t: &Timeline) -> &'static str {
    if logging_reduced_ids(t).len() > 1 {
        "them"
    } else {
        "it"
    }
}

/// Why a honeytoken's reads could not be in the records, as a clause ("the trail's event
/// selectors (…) log none of the calls that read a configured honeytoken (the reads_not_logged
/// finding)"), and what it cites (the selector files, or S3 data events' eventIDs); `None` when
/// the records could hold them.
pub fn why(t: &Timeline) -> Option<(String, Vec<String>)> {
    let has = |k: FindingKind| t.findings.iter().any(|f| f.kind == k);
    if has(FindingKind::ReadsNotLogged) {
        let files: Vec<String> = t
            .inputs
            .iter()
            .filter(|i| i.kind.contains("event-selectors"))
            .map(|i| i.path.to_string())
            .collect();
        return Some((
            format!(
                "the trail's event selectors ({}) log none of the calls that read a configured honeytoken (the \"Reads not logged\" finding)",
                files.join(", ")
            ),
            files,
        ));
    }
    if !has(FindingKind::ReadsNotExamined) {
        return None;
    }
    let s3 = &t.s3_data_events;
    // A decoy rule's own writes are not cited: its bucket's reads were examined.
    let writes: Vec<String> = s3
        .decoy_writes
        .iter()
        .filter(|(i, _)| !s3.decoy_rules.contains(i))
        .map(|(_, id)| id.clone())
        .collect();
    let ids = if writes.is_empty() {
        first(
            &s3.access_points
                .values()
                .chain(s3.other_buckets.values())
                .cloned()
                .collect::<Vec<_>>(),
            CITED,
        )
    } else {
        first(&writes, CITED)
    };
    Some((
        format!(
            "the reads of a configured S3 decoy were not examined: no S3 {} is among the records (the \"Reads not examined\" finding)",
            if !writes.is_empty() {
                "read data event on its bucket (writes only)"
            } else if s3.any {
                "data event on its bucket"
            } else {
                "data event"
            }
        ),
        ids,
    ))
}

/// The `logging_reduced` findings of `t` (other principals') and of its incidents (the actor's)
/// with a call that succeeded (a failed attempt changed nothing), each once, as its summary and
/// the eventIDs it rests on: CloudTrail recorded less after them, so a statement that found no
/// read, or told an incident's reads, must say that calls after them may be missing.
pub fn logging_reduced(t: &Timeline) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for f in t
        .findings
        .iter()
        .chain(t.incidents.iter().flat_map(|i| &i.findings))
        .filter(|f| f.kind == FindingKind::LoggingReduced)
        .filter(|f| {
            f.event_ids.iter().any(|id| {
                t.event(super::shared_ids::bare(id))
                    .is_some_and(|e| e.succeeded())
            })
        })
    {
        let found = (f.summary.clone(), f.event_ids.clone());
        if !out.contains(&found) {
            out.push(found);
        }
    }
    out
}

/// The eventIDs of [`logging_reduced`]'s findings, each once, in their order.
pub fn logging_reduced_ids(t: &Timeline) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for (_, of) in logging_reduced(t) {
        for id in of {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    ids
}

/// The finding that says reads could not be seen, as [`why`] picks it (`reads_not_logged` before
/// `reads_not_examined`); `None` when the records could hold them.
fn unseen_finding(t: &Timeline) -> Option<FindingKind> {
    let has = |k: FindingKind| t.findings.iter().any(|f| f.kind == k);
    if has(FindingKind::ReadsNotLogged) {
        Some(FindingKind::ReadsNotLogged)
    } else if has(FindingKind::ReadsNotExamined) {
        Some(FindingKind::ReadsNotExamined)
    } else {
        None
    }
}

/// [`caveat`]'s words in short, for a table cell or a clause after "no read": "reads could not
/// be seen (the "Reads not logged" finding), so whether a honeytoken was read is unknown (not an
/// all-clear)", and the logging reduction with its first eventIDs; `None` when neither applies.
/// Lower case, no full stop: the caller's sentence holds it.
pub fn short(t: &Timeline) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(finding) = unseen_finding(t) {
        parts.push(format!(
            "reads could not be seen ({}), so whether a honeytoken was read is unknown (not an all-clear)",
            finding.named()
        ));
    }
    let reduced = logging_reduced_ids(t);
    if !reduced.is_empty() {
        parts.push(format!(
            "the records show CloudTrail logging reduced (the finding of that name, eventID {}): a read after {} may be missing from the records (not an all-clear)",
            first(&reduced, CITED).join(", "),
            after_reduced(t)
        ));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// The configured honeytokens no incident read whose reads could not be seen (a
/// `reads_not_logged` or `reads_not_examined` finding is about them: `Timeline::unseen_reads`),
/// each once with its finding's kind, and the eventIDs that finding cites: beside an incident's
/// read, the reads told are not all the reads there may have been.
pub fn others(t: &Timeline) -> Vec<(String, FindingKind, Vec<String>)> {
    let read: Vec<&str> = t
        .incidents
        .iter()
        .map(|i| i.honeytoken_rule.as_str())
        .collect();
    let mut out: Vec<(String, FindingKind, Vec<String>)> = Vec::new();
    for u in &t.unseen_reads {
        let kind = match u.finding {
            k @ (FindingKind::ReadsNotLogged | FindingKind::ReadsNotExamined) => k,
            _ => continue,
        };
        if read.contains(&u.honeytoken.as_str()) || out.iter().any(|(n, _, _)| *n == u.honeytoken) {
            continue;
        }
        out.push((u.honeytoken.clone(), kind, u.event_ids.clone()));
    }
    out
}

/// [`others`] as a sentence for a statement about an incident's reads (starting with a space),
/// and what it cites (the findings' first eventIDs); empty when there is none or no incident.
pub fn others_sentence(t: &Timeline) -> (String, Vec<String>) {
    let found = others(t);
    if t.incidents.is_empty() || found.is_empty() {
        return (String::new(), Vec::new());
    }
    let told: Vec<String> = found
        .iter()
        .map(|(names, kind, _)| format!("{names} ({})", kind.named()))
        .collect();
    // Two honeytokens of one finding cite its eventIDs once.
    let mut cited: Vec<String> = Vec::new();
    for id in found.iter().flat_map(|(_, _, ids)| ids.iter().take(CITED)) {
        if !cited.contains(id) {
            cited.push(id.clone());
        }
    }
    let one = found.len() == 1;
    (
        format!(
            " Reads of {} could not be seen: {}, so whether {} read too is unknown (not an all-clear): the reads told here are not all the reads there may have been.",
            if one { "another configured honeytoken" } else { "other configured honeytokens" },
            told.join("; "),
            if one { "it was" } else { "they were" }
        ),
        cited,
    )
}

/// What a "no read" or "no incident" statement adds after its own sentence when a read may be
/// missing from the records: why reads could not be seen (with the files or eventIDs it rests
/// on), and the logging reduction (with its eventIDs); empty when neither applies. Each part
/// starts with a space.
pub fn caveat(t: &Timeline) -> String {
    let mut out = String::new();
    if let Some((why, ids)) = why(t) {
        // The selector files are named in the clause itself; S3 data events are cited here.
        let not_logged = t
            .findings
            .iter()
            .any(|f| f.kind == FindingKind::ReadsNotLogged);
        let cited = if not_logged || ids.is_empty() {
            String::new()
        } else {
            format!(" (eventID {} cited)", ids.join(", "))
        };
        out.push_str(&format!(
            " Reads could not be seen: {why}{cited}, so whether a honeytoken was read is unknown (not an all-clear)."
        ));
    }
    let reduced = logging_reduced_ids(t);
    if !reduced.is_empty() {
        out.push_str(&format!(
            " The records show CloudTrail logging reduced (the finding of that name, eventID {}): a read after {} may be missing from the records (not an all-clear).",
            first(&reduced, 4).join(", "),
            after_reduced(t)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::first;

    fn ids(n: usize) -> Vec<String> {
        (1..=n).map(|i| format!("e-{i}")).collect()
    }

    #[test]
    fn one_more_is_listed_whole_two_more_are_counted() {
        assert_eq!(first(&ids(2), 2), ids(2));
        assert_eq!(first(&ids(3), 2), ids(3));
        assert_eq!(first(&ids(4), 2), ["e-1", "e-2", "and 2 more"]);
    }
}
