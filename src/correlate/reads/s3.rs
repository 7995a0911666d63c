//! S3 decoys whose reads the evidence cannot show ([`reads_not_examined`]): a trail logs
//! `GetObject` only as a read data event, for the buckets its event selectors name, so "no
//! honeytoken was read" needs those events; and the copies out of a decoy ([`copies_out`]),
//! which S3 logs as writes of their destination. Pure: no I/O.

use crate::classify;
use crate::model::{Event, Finding, FindingKind, Incident};
use std::collections::BTreeSet;

/// The S3 honeytokens whose reads the evidence cannot show: records were read, none of them an
/// S3 read data event on the honeytoken's bucket (S3 logs `GetObject` only as one, and a trail
/// only for the buckets and the read/write type its event selectors ask for). "No honeytoken
/// was read" would say more than the evidence shows: a finding says reads of them were not
/// examined; when only write data events of the bucket were read, says so (citing one: writes
/// were logged, not reads), and when data events of other buckets were read, names those
/// buckets (citing one data event of each). `None` with no S3 honeytoken, no record (nothing
/// was examined at all, said elsewhere) or a read data event on every decoy's bucket. A decoy
/// of `not_logged` (the trail's event selectors log none of its reads) is left out: its
/// `reads_not_logged` finding says why, and what this one would add.
/// `copies`: each decoy rule's copies out of the decoy that incidents rest on
/// ([`copies_out`]): S3 logs a copy as a write data event, yet it reads its source, so the
/// writes read are not said to show nothing of the decoy's reads.
pub fn reads_not_examined(
    settings: &crate::model::AnalysisSettings,
    records_read: u64,
    seen: &crate::model::S3DataEvents,
    not_logged: &BTreeSet<usize>,
    copies: &std::collections::BTreeMap<usize, Vec<String>>,
) -> Option<(Finding, Vec<String>)> {
    let s3: Vec<(String, &str)> = s3_rules(settings, seen, not_logged)
        .map(|i| &settings.honeytokens[i])
        .map(|h| (h.describe(), classify::bucket_pattern(&h.pattern)))
        .collect();
    if s3.is_empty() || records_read == 0 {
        return None;
    }
    let names = s3
        .iter()
        .map(|(d, _)| d.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let mut buckets: Vec<&str> = s3.iter().map(|(_, b)| *b).collect();
    buckets.dedup();
    let cause = "S3 records a GetObject only as a read data event, which a trail logs only for the buckets its event selectors ask for, and only when they ask for reads (ReadWriteType ReadOnly or All, advanced readOnly not false)";
    // The decoys' buckets whose only data events read are writes, with one write's eventID.
    let mut writes: Vec<(&str, &str)> = settings
        .honeytokens
        .iter()
        .enumerate()
        .filter_map(|(i, h)| {
            let id = seen.decoy_writes.get(&i)?;
            (!seen.decoy_rules.contains(&i) && !not_logged.contains(&i))
                .then(|| (classify::bucket_pattern(&h.pattern), id.as_str()))
        })
        .collect();
    writes.dedup_by_key(|(b, _)| *b);
    // The copies out of these decoys that incidents rest on: reads the write data events show.
    let mut copied: Vec<&str> = s3_rules(settings, seen, not_logged)
        .filter_map(|i| copies.get(&i))
        .flatten()
        .map(String::as_str)
        .collect();
    copied.sort();
    copied.dedup();
    let unmarked = unmarked_reads(settings, seen);
    let summary = if !seen.any {
        format!(
            "reads of {names} not examined: none of the {records_read} records read is an S3 data event (S3 records a GetObject only as a data event, which a trail logs only when its event selectors ask for it), so no S3 call that read the object can be in the evidence{}: whether it was read is unknown unless KMS records show S3 decrypting it",
            unmarked.iter().map(|(t, _)| format!("; {t}")).collect::<String>()
        )
    } else {
        let mut shown = Vec::new();
        if !writes.is_empty() {
            shown.push(format!(
                "the {} on {} are write data events only (readOnly false, such as PutObject; {}): the trail logged writes of the decoy's bucket, which show {}",
                if unmarked.is_empty() { "S3 data events read" } else { "records read that are known to be S3 data events" },
                writes.iter().map(|(b, _)| *b).collect::<Vec<_>>().join(", "),
                writes
                    .iter()
                    .map(|(b, id)| format!("eventID {id} on {b}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                if copied.is_empty() {
                    "nothing of its reads".to_string()
                } else {
                    format!(
                        "of its reads only the {} copy(ies) out of the decoy (eventID {}), which read it (an incident rests on each): S3 logs a copy as a write of its destination",
                        copied.len(),
                        copied.join(", ")
                    )
                },
            ));
        }
        if !seen.other_buckets.is_empty() {
            shown.push(format!(
                "S3 data events were read for {} {}{} (one eventID of each cited): data events were logged for other buckets, not, in the evidence examined, reads of the decoy's",
                if seen.more_buckets { "other buckets, among them" } else if seen.other_buckets.len() == 1 { "another bucket," } else { "other buckets," },
                seen.other_buckets.keys().cloned().collect::<Vec<_>>().join(", "),
                if seen.more_buckets { " (not all named)" } else { "" },
            ));
        }
        if !seen.access_points.is_empty() {
            let one = seen.access_points.len() == 1 && !seen.more_access_points;
            shown.push(format!(
                "S3 data events were read through {} {}{} (one eventID of each cited), which {} no bucket: neither the records nor trailcase.toml (a honeytoken's access_points) say which bucket {} serves, so whether they are data events of the decoy's bucket is unknown",
                if seen.more_access_points { "access points, among them" } else if one { "the access point" } else { "the access points" },
                seen.access_points.keys().cloned().collect::<Vec<_>>().join(", "),
                if seen.more_access_points { " (not all named)" } else { "" },
                if one { "is" } else { "are" },
                if one { "it" } else { "each" },
            ));
        }
        shown.extend(unmarked.iter().map(|(t, _)| t.clone()));
        if shown.is_empty() {
            shown.push("the S3 data events read name no bucket".to_string());
        }
        format!(
            "reads of {names} not examined: none of the {records_read} records read is an S3 read data event (readOnly true, such as GetObject) on the {} {} ({cause}); {}. No GetObject of the object {}can be in the evidence: whether it was read{} is unknown unless KMS records show S3 decrypting it",
            if buckets.len() == 1 { "bucket" } else { "buckets" },
            buckets.join(", "),
            shown.join("; "),
            if seen.access_points.is_empty() { "" } else { "that names its bucket " },
            if copied.is_empty() { "" } else { " other than by those copies" },
        )
    };
    let mut event_ids: Vec<String> = writes.iter().map(|(_, id)| id.to_string()).collect();
    if !writes.is_empty() {
        event_ids.extend(copied.iter().map(|id| id.to_string()));
    }
    event_ids.extend(unmarked.iter().map(|(_, id)| id.clone()));
    event_ids.extend(seen.other_buckets.values().cloned());
    event_ids.extend(seen.access_points.values().cloned());
    event_ids.dedup();
    let honeytokens = s3.into_iter().map(|(d, _)| d).collect();
    Some((
        Finding {
            kind: FindingKind::ReadsNotExamined,
            severity: "medium",
            summary,
            event_ids,
        },
        honeytokens,
    ))
}

/// The S3 honeytoken rules whose reads [`reads_not_examined`] speaks of.
fn s3_rules<'a>(
    settings: &'a crate::model::AnalysisSettings,
    seen: &'a crate::model::S3DataEvents,
    not_logged: &'a BTreeSet<usize>,
) -> impl Iterator<Item = usize> + 'a {
    settings
        .honeytokens
        .iter()
        .enumerate()
        .filter(|(i, h)| {
            h.kind == crate::model::HoneytokenKind::S3
                && !seen.decoy_rules.contains(i)
                && !not_logged.contains(i)
        })
        .map(|(i, _)| i)
}

/// Each S3 honeytoken rule's copies out of the decoy (`CopyObject`, `UploadPartCopy`: S3
/// records them as write data events of their destination) among `incidents`' accesses, by
/// eventID, sorted.
pub fn copies_out(
    settings: &crate::model::AnalysisSettings,
    incidents: &[Incident],
    events: &[Event],
) -> std::collections::BTreeMap<usize, Vec<String>> {
    let mut out: std::collections::BTreeMap<usize, Vec<String>> = Default::default();
    // One pass over the events: an incident's accesses are looked up, not searched for.
    let copies: BTreeSet<&str> = events
        .iter()
        .filter(|e| {
            e.event_source.starts_with("s3")
                && matches!(e.event_name.as_str(), "CopyObject" | "UploadPartCopy")
        })
        .map(|e| e.event_id.as_str())
        .collect();
    if copies.is_empty() {
        return out;
    }
    for i in incidents {
        let Some(rule) = settings
            .honeytokens
            .iter()
            .position(|h| h.describe() == i.honeytoken_rule)
        else {
            continue;
        };
        for id in i
            .access_event_ids
            .iter()
            .filter(|id| copies.contains(id.as_str()))
        {
            out.entry(rule).or_default().push(id.clone());
        }
    }
    out.values_mut().for_each(|v| {
        v.sort();
        v.dedup();
    });
    out
}

/// For each decoy bucket whose reads were not examined, the reads S3 logs only as data events
/// (bucket-level and object-level) that were read in records without a data event's fields
/// ([`crate::model::S3DataEvents::decoy_unmarked`], `decoy_unmarked_objects`): what was seen in
/// words with how many records, and the first one's eventID (the bucket-level reads' first).
fn unmarked_reads(
    settings: &crate::model::AnalysisSettings,
    seen: &crate::model::S3DataEvents,
) -> Vec<(String, String)> {
    let mut out: Vec<(&str, String, String, String)> = settings
        .honeytokens
        .iter()
        .enumerate()
        .filter(|(i, _)| !seen.decoy_rules.contains(i))
        .filter_map(|(i, h)| {
            let mut all = seen.decoy_unmarked.get(&i).cloned().unwrap_or_default();
            if let Some(objects) = seen.decoy_unmarked_objects.get(&i) {
                all.merge(objects.clone());
            }
            let id = all.first()?.to_string();
            let bucket = classify::bucket_pattern(&h.pattern);
            let apis = all
                .apis
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(" and ");
            Some((bucket, apis, all.count_words(), id))
        })
        .collect();
    out.dedup_by(|a, b| a.0 == b.0);
    out.into_iter()
        .map(|(bucket, apis, count, id)| {
            (
                format!(
                    "{apis} records on the bucket {bucket} were read ({count}; one cited: eventID {id}) that carry none of the fields that mark an S3 data event (eventCategory, managementEvent, resources, additionalEventData.bytesTransferredOut): S3 logs these calls only as read data events, so a trail may have logged reads of the bucket, but these records do not show it (an export may have dropped the fields, or the records were written by hand) and are not counted as examining the decoy's reads (a GetObject of the decoy itself would be taken as a read of it, whatever its fields)"
                ),
                id,
            )
        })
        .collect()
}
