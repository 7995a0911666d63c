//! Whether a honeytoken's reads could be seen at all: the trail's event selectors log none of
//! the calls that read it (`reads_not_logged`), or the evidence holds no S3 read data event on
//! the decoy's bucket (`reads_not_examined`). The rows that say no read or no incident is in the
//! records (AU-3, IR-5, DE.CM-03, DE.AE-02, RS.AN-03) say this beside it, so that no read in
//! records that could hold none does not read as "monitored, nothing found". Pure: reads
//! [`Facts`].

use super::facts::{first, Facts};

/// Why a honeytoken's reads could not be in the records, as a clause ("the trail's event
/// selectors (…) log none of the calls that read a configured honeytoken (the reads_not_logged
/// finding)"), and what it cites; `None` when the records could hold them.
pub(super) fn why(f: &Facts) -> Option<(String, Vec<String>)> {
    if !f.reads_not_logged.is_empty() {
        Some((
            format!(
                "the trail's event selectors ({}) log none of the calls that read a configured honeytoken (the reads_not_logged finding)",
                f.reads_not_logged.join(", ")
            ),
            f.reads_not_logged.clone(),
        ))
    } else if f.reads_not_examined {
        let ids = if f.s3_decoy_writes.is_empty() {
            first(
                &f.s3_access_point_ids
                    .iter()
                    .chain(&f.s3_elsewhere_ids)
                    .cloned()
                    .collect::<Vec<_>>(),
                2,
            )
        } else {
            first(&f.s3_decoy_writes, 2)
        };
        Some((
            format!(
                "the reads of a configured S3 decoy were not examined: no S3 {} is among the records (the reads_not_examined finding)",
                if !f.s3_decoy_writes.is_empty() {
                    "read data event on its bucket (writes only)"
                } else if f.s3_data_events {
                    "data event on its bucket"
                } else {
                    "data event"
                }
            ),
            ids,
        ))
    } else {
        None
    }
}

/// The sentence a "no read" or "no incident" row adds when reads could not be seen: empty when
/// they could.
pub(super) fn sentence(f: &Facts) -> String {
    match why(f) {
        Some((why, _)) => format!(
            " Reads could not be seen: {why}, so whether one was made is unknown (not an all-clear)."
        ),
        None => String::new(),
    }
}

/// What [`why`] cites, or nothing.
pub(super) fn cited(f: &Facts) -> Vec<String> {
    why(f).map(|(_, ids)| ids).unwrap_or_default()
}
