//! SC-26 with records examined and no read of the honeytoken among them: what keeps the
//! records from showing one (reads not logged or not examined) and what they do show of the
//! decoy (calls that changed it, a batch delete that may have deleted it, a `kms:Decrypt` of its
//! value with no read, reads that name no resource, reads of it or on its bucket in records
//! without a data event's fields), each said whenever it is in the evidence, whatever else
//! leads. Pure: reads [`Facts`].

use super::activity::{decrypts, unnamed};
use super::facts::{first, Facts};
use super::unmarked;
use super::{row, CsfFunction, NistRow, Support};

/// SC-26 with records examined and no honeytoken read among them: the first of what the
/// records do show (a change of the decoy, reads not logged, not examined, a batch delete on
/// its bucket, reads that name no resource) leads, and what else they show follows it, so
/// that no row says "no read or change of it" beside evidence that one may be there.
pub(super) fn no_read(f: &Facts) -> NistRow {
    let (mut unnamed_told, mut batch_told, mut decrypt_told) = (false, false, false);
    let (mut support, mut statement, mut evidence) = if !f.decoy_changed.is_empty() {
        let logged = if f.reads_not_logged.is_empty() && f.reads_not_examined {
            " (and its reads were not examined: no S3 read data event on the decoy's bucket is among them, the \"Reads not examined\" finding)".to_string()
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
            format!("No read of the honeytoken is in the {} records examined{logged}, but calls on the decoy that are not reads are (writes, deletions or other changes: the \"The honeytoken changed\" finding): the decoy drew them, and no detection of them is shown.", f.records),
            first(&f.decoy_changed, 4)
                .into_iter()
                .chain(f.reads_not_logged.iter().cloned())
                .collect::<Vec<_>>(),
        )
    } else if !f.reads_not_logged.is_empty() {
        (
            Support::Missing,
            format!(
                "Not examined: {}, but the trail's event selectors ({}) log none of the calls that read it, so no read of the decoy could be in the {} records examined{}.",
                f.configured,
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
                if f.s3_decoy_unmarked.kept.is_empty() {
                    String::new()
                } else {
                    let u = &f.s3_decoy_unmarked;
                    format!(" Bucket-level reads of the decoy's bucket that S3 logs only as data events ({}; {}, eventID {} cited) are in records without a data event's fields: they may be read data events, the records do not show it, and they are not counted.", u.apis.iter().cloned().collect::<Vec<_>>().join(", "), u.count_words(), first(&u.ids(), 2).join(", "))
                }
            ) + &unmarked::on_bucket(f)
                .map(|(clause, _)| clause)
                .unwrap_or_default(),
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
            .chain(first(&f.s3_decoy_unmarked.ids(), 2))
            .chain(
                unmarked::on_bucket(f)
                    .map(|(_, ids)| ids)
                    .unwrap_or_default(),
            )
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
            format!("No read of the honeytoken is in the {} records examined, but batch deletes on the decoy's bucket are (s3:DeleteObjects, whose records name no key: the \"A batch delete on the decoy's bucket\" finding): whether they deleted the decoy, and so whether it drew them, is unknown.", f.records),
            first(&f.decoy_batch_deletes, 4),
        )
    } else if !f.unnamed_reads.is_empty() {
        unnamed_told = true;
        (
            Support::Missing,
            format!("Unknown: {} and no record among the {} examined names a read or change of it, but {}: whether one of them read the decoy is unknown.", f.configured, f.records, unnamed(f)),
            first(&f.unnamed_reads, 4),
        )
    } else {
        (
            Support::Missing,
            format!("Not shown by this evidence: {}, but no read or change of it is in the {} records examined.", f.configured, f.records),
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
            " Batch deletes on the decoy's bucket are in the records too (s3:DeleteObjects, whose records name no key: the \"A batch delete on the decoy's bucket\" finding; eventID {} cited): whether they deleted the decoy, and so whether it drew them, is unknown.",
            first(&f.decoy_batch_deletes, 4).join(", ")
        ));
        for id in first(&f.decoy_batch_deletes, 4) {
            if !evidence.contains(&id) {
                evidence.push(id);
            }
        }
        support = Support::Partial;
    }
    // A HeadObject of the decoy itself returned no value, but the decoy drew it.
    if let Some((clause, ids)) = unmarked::own(f) {
        statement.push_str(&clause);
        for id in ids {
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
