//! Whether a honeytoken's reads could be seen at all: the trail's event selectors log none of
//! the calls that read it (`reads_not_logged`), or the evidence holds no S3 read data event on
//! the decoy's bucket (`reads_not_examined`). The rows that say no read or no incident is in the
//! records (AU-3, IR-5, DE.CM-03, DE.AE-02, RS.AN-03) say this beside it, so that no read in
//! records that could hold none does not read as "monitored, nothing found". Pure: reads
//! [`Facts`], which hold the clause of `content::reads_unseen`.

use super::facts::Facts;

/// Why a honeytoken's reads could not be in the records, as a clause ("the trail's event
/// selectors (…) log none of the calls that read a configured honeytoken (the reads_not_logged
/// finding)"), and what it cites; `None` when the records could hold them. The same clause the
/// report's other sections use ([`crate::report::content::reads_unseen::why`]).
pub(super) fn why(f: &Facts) -> Option<(String, Vec<String>)> {
    f.unseen.clone()
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
