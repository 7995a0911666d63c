//! One read, told right. A `BatchGetSecretValue` is one read of each secret it returns, however
//! many per-secret `GetSecretValue` entries AWS writes for it (the API reference: "Secrets
//! Manager generates CloudTrail GetSecretValue log entries for each secret you request"); the
//! service's `kms:Decrypt` of a honeytoken bears out the read it served; and a Decrypt with no
//! read in the evidence is a finding: the read's record may be missing. Pure: no I/O.
//!
//! AWS documents no field that names the batch in its per-secret entries, so an entry is the
//! batch's when the same principal read the same secret through both within
//! [`BATCH_ENTRY_MS`] (one request: the same second, give or take the clock of two writers).

use super::index::EventIndex;
use super::plan::{arn_of, AccessGroup, ActorPlan};
use crate::classify::{self, Classifier, HoneytokenHit};
use crate::model::{
    CorroborationKind, Event, Finding, FindingKind, Incident, ReadCorroboration, Timestamp,
};
use crate::parse::RecordView;
use std::collections::BTreeSet;

/// A per-secret `GetSecretValue` entry this close to a `BatchGetSecretValue` of the same
/// principal and secret is that batch's entry.
pub const BATCH_ENTRY_MS: i64 = 2_000;
/// A `kms:Decrypt` of the honeytoken this close to a read of it is the decryption for that read.
pub const DECRYPT_MS: i64 = 60_000;

/// One read of a group as [`fold_batch_entries`] needs it, in the group's order.
#[derive(Debug, Clone)]
pub struct ReadCall {
    pub time: Timestamp,
    pub api: String,
    pub ok: bool,
}

fn near(a: Timestamp, b: Timestamp, ms: i64) -> bool {
    (a.millis() - b.millis()).abs() <= ms
}

/// Fold the per-secret `GetSecretValue` entries into the group's `BatchGetSecretValue` reads.
/// A batch succeeds as a whole even when it could not return a secret (the API reference: each
/// secret's failure is in the response's `Errors`, which CloudTrail does not record); the
/// secret's own entry tells. When it was refused, the batch did not return the honeytoken: the
/// entry stays the read, and the batch is not one.
pub fn fold_batch_entries(g: &mut AccessGroup, calls: &[ReadCall]) {
    let batches: Vec<(usize, Timestamp)> = calls
        .iter()
        .enumerate()
        .filter(|(_, c)| c.api == "BatchGetSecretValue" && c.ok)
        .map(|(n, c)| (n, c.time))
        .collect();
    if batches.is_empty() {
        return;
    }
    let batch_of: Vec<Option<usize>> = calls
        .iter()
        .map(|c| {
            (c.api == "GetSecretValue")
                .then(|| {
                    batches
                        .iter()
                        .find(|(_, t)| near(*t, c.time, BATCH_ENTRY_MS))
                        .map(|b| b.0)
                })
                .flatten()
        })
        .collect();
    let refused: BTreeSet<usize> = calls
        .iter()
        .zip(&batch_of)
        .filter(|(c, _)| !c.ok)
        .filter_map(|(_, b)| *b)
        .collect();
    let mut keep = Vec::new();
    let mut folded = Vec::new();
    let mut refused_in_batch = Vec::new();
    for (n, b) in batch_of.iter().enumerate() {
        match b {
            Some(b) if refused.contains(b) => {
                refused_in_batch.push((g.accesses[n].clone(), g.accesses[*b].clone()));
                keep.push(n);
            }
            Some(b) => folded.push((g.accesses[*b].clone(), g.accesses[n].clone())),
            None if refused.contains(&n) => {}
            None => keep.push(n),
        }
    }
    g.first_read = keep
        .iter()
        .map(|&n| calls[n].time)
        .min()
        .unwrap_or(g.first_read);
    g.accesses = keep.iter().map(|&n| g.accesses[n].clone()).collect();
    g.origins = keep.iter().map(|&n| g.origins[n]).collect();
    folded.sort();
    folded.dedup();
    g.folded = folded;
    refused_in_batch.sort();
    refused_in_batch.dedup();
    g.refused_in_batch = refused_in_batch;
}

fn is_decrypt(e: &Event) -> bool {
    e.event_source == "kms.amazonaws.com" && e.event_name == "Decrypt"
}

/// The incident's reads known only from S3's `kms:Decrypt` of the object for the principal
/// (`actor::groups`): a finding that says what they rest on, so that no one takes them for the
/// S3 calls themselves.
pub fn indirect(access: &[&Event], honeytoken: &str) -> Option<Finding> {
    // A refused Decrypt decrypted nothing: it is no read, direct or not.
    let mut by: Vec<&Event> = access
        .iter()
        .copied()
        .filter(|e| is_decrypt(e) && e.succeeded())
        .collect();
    if by.is_empty() {
        return None;
    }
    by.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    by.dedup_by(|a, b| a.event_id == b.event_id);
    let cited: Vec<String> = by.iter().map(|e| e.event_id.clone()).collect();
    Some(Finding {
        kind: FindingKind::IndirectRead,
        severity: "medium",
        summary: format!(
            "{} read(s) of {honeytoken} known only from kms:Decrypt (event {}): S3 decrypted the object for this principal; the S3 call itself is not in the evidence, so whether it was a GetObject, a copy out of the object or a multipart upload onto its key is not known",
            by.len(),
            cited.join(", ")
        ),
        event_ids: cited,
    })
}

/// S3's `kms:Decrypt`s whose encryption context names a bucket that holds a honeytoken object,
/// not an object (S3 Bucket Keys): some object of the bucket was decrypted for the caller, which
/// one the record does not say. A finding per bucket, as for reads that name no resource: the
/// summary then never says no honeytoken was read.
pub fn bucket_decrypts(index: &EventIndex<'_>, classifier: &Classifier) -> Vec<Finding> {
    let mut by: std::collections::BTreeMap<(usize, String), Vec<&Event>> = Default::default();
    for e in index.events().iter().filter(|e| is_decrypt(e)) {
        let Ok(view) = RecordView::parse(e.raw.get()) else {
            continue;
        };
        if let Some(key) = classifier.bucket_decrypt(&view) {
            by.entry(key).or_default().push(e);
        }
    }
    by.into_iter()
        .map(|((rule, bucket), mut ds)| {
            ds.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
            ds.dedup_by(|a, b| a.event_id == b.event_id);
            let who: BTreeSet<String> = ds.iter().map(|e| e.identity.label()).collect();
            Finding {
                kind: FindingKind::UnnamedRead,
                severity: "medium",
                summary: format!(
                    "{} kms:Decrypt record(s) by S3 name the bucket {bucket} of honeytoken {}, not an object (S3 Bucket Keys), for {} from {} to {}: some object of the bucket was decrypted, whether the honeytoken was is not known (the first {} cited)",
                    ds.len(),
                    classifier.rules()[rule].describe(),
                    who.into_iter().collect::<Vec<_>>().join(", "),
                    ds[0].time,
                    ds[ds.len() - 1].time,
                    ds.len().min(UNNAMED_CITED)
                ),
                event_ids: ds.iter().take(UNNAMED_CITED).map(|e| e.event_id.clone()).collect(),
            }
        })
        .collect()
}

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

/// Every `kms:Decrypt` of a honeytoken in the kept records.
fn decrypts<'e>(events: &'e [Event], classifier: &Classifier) -> Vec<(&'e Event, HoneytokenHit)> {
    events
        .iter()
        .filter(|e| e.event_source == "kms.amazonaws.com" && e.event_name == "Decrypt")
        .filter_map(|e| {
            let view = RecordView::parse(e.raw.get()).ok()?;
            Some((e, classifier.decrypt(&view)?))
        })
        .collect()
}

/// Fill each incident's `corroboration` (incidents in the order of `plans`) and return the
/// case findings for Decrypts no read accounts for.
pub fn corroborate(
    plans: &[ActorPlan],
    incidents: &mut [Incident],
    index: &EventIndex<'_>,
    classifier: &Classifier,
) -> Vec<Finding> {
    let decrypts = decrypts(index.events(), classifier);
    let mut claimed: BTreeSet<usize> = BTreeSet::new();
    for (plan, inc) in plans.iter().zip(incidents.iter_mut()) {
        let g = &plan.group;
        let reads: Vec<&Event> = g.origins.iter().filter_map(|&o| index.at(o)).collect();
        // Each list holds (read eventID, the record that bears it out).
        let mut found: Vec<ReadCorroboration> = [
            (&g.folded, CorroborationKind::BatchEntry),
            (&g.refused_in_batch, CorroborationKind::Batch),
            (&g.delivered_twice, CorroborationKind::SharedEvent),
            (&g.updated_copies, CorroborationKind::UpdatedCopy),
        ]
        .into_iter()
        .flat_map(|(pairs, kind)| {
            pairs.iter().map(move |(read, other)| ReadCorroboration {
                read_event_id: read.clone(),
                kind,
                event_id: other.clone(),
            })
        })
        .collect();
        found.extend(filter_batches(&reads, &index.own(plan)));
        for (n, (d, hit)) in decrypts.iter().enumerate() {
            let same_token = hit.rule == g.rule
                && (hit.name == g.honeytoken
                    || classify::name_matches(
                        classifier.rules()[g.rule].kind,
                        &g.honeytoken,
                        &hit.name,
                    ));
            // The caller's own Decrypt (invokedBy the service), or the service's (no ARN).
            let same_actor = d.identity.label() == g.actor_key || arn_of(d).is_none();
            if !same_token || !same_actor {
                continue;
            }
            // S3's Decrypt that is a read of the group itself (no S3 read served by it).
            if g.accesses.contains(&d.event_id) {
                claimed.insert(n);
                continue;
            }
            let nearest = reads
                .iter()
                .filter(|r| !is_decrypt(r) && near(r.time, d.time, DECRYPT_MS))
                .min_by_key(|r| ((r.time.millis() - d.time.millis()).abs(), r.sort_key()));
            if let Some(r) = nearest {
                claimed.insert(n);
                found.push(ReadCorroboration {
                    read_event_id: r.event_id.clone(),
                    kind: CorroborationKind::KmsDecrypt,
                    event_id: d.event_id.clone(),
                });
            }
        }
        found.sort_by(|a, b| {
            (&a.read_event_id, a.kind, &a.event_id).cmp(&(&b.read_event_id, b.kind, &b.event_id))
        });
        found.dedup();
        inc.corroboration = found;
    }
    decrypts
        .iter()
        .enumerate()
        .filter(|(n, (d, _))| !claimed.contains(n) && d.succeeded())
        .map(|(_, (d, hit))| Finding {
            kind: FindingKind::DecryptWithoutRead,
            severity: "high",
            summary: format!(
                "kms:Decrypt of honeytoken {} by {} at {} (event {}) and no read of it in the evidence: the service decrypts a value only to return it, so the read's record may be missing",
                hit.shown,
                d.identity.label(),
                d.time,
                d.event_id
            ),
            event_ids: vec![d.event_id.clone()],
        })
        .collect()
}

/// eventIDs a finding about unnamed reads cites; the rest are counted.
const UNNAMED_CITED: usize = 20;

/// The reads of a honeytoken's kind of resource that name none (CloudTrail left out their
/// `requestParameters`), by API: a finding each, since "no honeytoken was read" would say more
/// than the evidence shows.
pub fn unnamed(index: &EventIndex<'_>, classifier: &Classifier) -> Vec<Finding> {
    let mut by: std::collections::BTreeMap<String, Vec<&Event>> = Default::default();
    // Only a call to a service a honeytoken can be in is parsed again.
    for e in index
        .events()
        .iter()
        .filter(|e| crate::classify::honeytoken_kind(&e.event_source).is_some())
    {
        let Ok(view) = RecordView::parse(e.raw.get()) else {
            continue;
        };
        if classifier.unnamed_read(&view) {
            by.entry(e.action()).or_default().push(e);
        }
    }
    by.into_iter()
        .map(|(action, mut reads)| {
            reads.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
            reads.dedup_by(|a, b| a.event_id == b.event_id);
            let ok = reads.iter().filter(|e| e.succeeded()).count();
            let summary = match reads.as_slice() {
                [one] => format!(
                    "1 {action} record names no resource (CloudTrail recorded no requestParameters), {}, at {}: whether it read a honeytoken is not known (eventID {})",
                    if ok == 1 { "successful" } else { "not successful" },
                    one.time,
                    one.event_id
                ),
                _ => format!(
                    "{} {action} records name no resource (CloudTrail recorded no requestParameters), {ok} of them successful, from {} to {}: whether they read a honeytoken is not known ({})",
                    reads.len(),
                    reads[0].time,
                    reads[reads.len() - 1].time,
                    if reads.len() <= 3 {
                        format!(
                            "eventID {}",
                            reads.iter().map(|e| e.event_id.as_str()).collect::<Vec<_>>().join(", ")
                        )
                    } else if reads.len() <= UNNAMED_CITED {
                        "the unnamed_read finding cites each".to_string()
                    } else {
                        format!("the unnamed_read finding cites the first {UNNAMED_CITED}")
                    }
                ),
            };
            Finding {
                kind: FindingKind::UnnamedRead,
                severity: "medium",
                summary,
                event_ids: reads
                    .iter()
                    .take(UNNAMED_CITED)
                    .map(|e| e.event_id.clone())
                    .collect(),
            }
        })
        .collect()
}

/// A read that is the per-secret entry of a `BatchGetSecretValue` by filters (which names no
/// secret: its entries are the only record of what it returned), tied to that batch.
fn filter_batches(reads: &[&Event], own: &[&Event]) -> Vec<ReadCorroboration> {
    let batches: Vec<&Event> = own
        .iter()
        .filter(|e| e.event_name == "BatchGetSecretValue" && e.succeeded())
        .filter(|e| {
            RecordView::parse(e.raw.get())
                .map(|v| v.request().get("filters").is_some_and(|f| !f.is_null()))
                .unwrap_or(false)
        })
        .copied()
        .collect();
    reads
        .iter()
        .filter(|r| r.event_name == "GetSecretValue")
        .filter_map(|r| {
            let b = batches
                .iter()
                .filter(|b| near(b.time, r.time, BATCH_ENTRY_MS))
                .min_by_key(|b| ((b.time.millis() - r.time.millis()).abs(), b.sort_key()))?;
            Some(ReadCorroboration {
                read_event_id: r.event_id.clone(),
                kind: CorroborationKind::Batch,
                event_id: b.event_id.clone(),
            })
        })
        .collect()
}
