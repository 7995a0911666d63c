//! The S3 data events of a file as far as the S3 honeytokens need them: whether it holds a read
//! (or a write) of each decoy's bucket, and the other buckets and access points its data events
//! name (`FileResult::s3_data_events`).

use crate::classify::DecoyBuckets;
use crate::model::S3DataEvents;
use crate::parse::{event_id, RecordItem};

/// `item`'s bucket noted if it is an S3 data event, as a read or a write one
/// ([`is_read_data_event`](crate::classify::is_read_data_event)). Whether the file holds a read
/// data event on each decoy's bucket is all that is asked: once it does, no record is looked at
/// again; a write is looked at only until each decoy's bucket not yet read has one.
pub(super) fn note_s3_data_event(
    decoys: &DecoyBuckets,
    item: &RecordItem<'_>,
    out: &mut S3DataEvents,
) {
    if out.decoy_rules.len() == decoys.len() {
        return;
    }
    let read = crate::classify::is_read_data_event(item.view);
    if !read
        && out.any
        && decoys
            .indices()
            .all(|i| out.decoy_rules.contains(&i) || out.decoy_writes.contains_key(&i))
    {
        return;
    }
    let Some(targets) = crate::classify::data_event_buckets(item.view, item.raw) else {
        // A read without a data event's fields: of the decoy itself, a read of it whatever an
        // export dropped (its record is what the incident rests on); of another object of its
        // bucket, no proof that the trail logged the bucket's reads.
        if let Some((bucket, api, key)) = crate::classify::unmarked_read(item.view, item.raw) {
            let of_decoy: Vec<usize> = match (&key, api) {
                (Some(key), "GetObject" | "SelectObjectContent") => {
                    decoys.rules_reading(&bucket, key).collect()
                }
                _ => Vec::new(),
            };
            for rule in decoys.rules_of(&bucket) {
                if of_decoy.contains(&rule) {
                    out.decoy_rules.insert(rule);
                } else {
                    out.note_unmarked(rule, api, &event_id(item));
                }
            }
        }
        return;
    };
    out.any = true;
    // An access point is no bucket: one trailcase.toml maps to a decoy's bucket is that
    // bucket's; another, a bucket the evidence does not name.
    if !targets.access_points.is_empty() {
        let of_decoys: std::collections::BTreeSet<usize> = targets
            .access_points
            .iter()
            .flat_map(|ap| decoys.rules_through(ap))
            .collect();
        // A record naming one access point twice (its ARN, its alias) is noted by its ARN.
        if of_decoys.is_empty() {
            let aps = &targets.access_points;
            let shown = aps
                .iter()
                .find(|a| a.starts_with("arn:"))
                .unwrap_or(&aps[0]);
            out.note_access_point(shown, &event_id(item));
        }
        note_decoy_events(out, of_decoys, read, item);
    }
    for bucket in &targets.buckets {
        let mut of_decoys = decoys.rules_of(bucket).peekable();
        if of_decoys.peek().is_none() && !out.other_buckets.contains_key(bucket) {
            out.note_other(bucket, &event_id(item));
        }
        note_decoy_events(out, of_decoys, read, item);
    }
}

/// A data event of the decoys of `rules`: a read, or the first write of each, by eventID.
fn note_decoy_events(
    out: &mut S3DataEvents,
    rules: impl IntoIterator<Item = usize>,
    read: bool,
    item: &RecordItem<'_>,
) {
    if read {
        out.decoy_rules.extend(rules);
    } else {
        for rule in rules {
            out.decoy_writes
                .entry(rule)
                .or_insert_with(|| event_id(item));
        }
    }
}
