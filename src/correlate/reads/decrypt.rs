//! What `kms:Decrypt` says of the reads: the service's Decrypt of a honeytoken bears out the read
//! it served ([`corroborate`]), a Decrypt with no read in the evidence is a finding, and reads
//! known only from a Decrypt are told as such ([`indirect`], [`bucket_decrypts`]). Pure: no I/O.

use super::{near, BATCH_ENTRY_MS, DECRYPT_MS, UNNAMED_CITED};
use crate::classify::{self, Classifier, HoneytokenHit};
use crate::correlate::index::EventIndex;
use crate::correlate::plan::{arn_of, ActorPlan};
use crate::model::{CorroborationKind, Event, Finding, FindingKind, Incident, ReadCorroboration};
use crate::parse::RecordView;
use std::collections::BTreeSet;

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
