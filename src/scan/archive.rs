//! The results of the archive inputs that hold no records themselves: the archive (listed with
//! its SHA-256) and a member that is itself an archive (a named gap: archives are not opened
//! inside archives).

use super::FileResult;
use crate::model::{Gap, GapKind, InputSummary};
use crate::source::files::{archive_kind, hash_file, Part};
use crate::source::InputFile;
use sha2::{Digest, Sha256};

/// The input kind of an archive, listed once with its hash and 0 records.
pub const ARCHIVE_KIND: &str = "archive";

/// The archive itself: hashed as stored, streamed; its members are inputs of their own.
pub(super) fn archive_result(file: &InputFile) -> FileResult {
    let mut result = FileResult::default();
    let (sha256, size) = match hash_file(&file.path) {
        Ok(hashed) => hashed,
        Err(e) => {
            result
                .gaps
                .push(Gap::unreadable(file.display.to_string(), e));
            (String::new(), 0)
        }
    };
    result.summary = Some(InputSummary {
        path: file.display.clone(),
        sha256,
        size,
        kind: ARCHIVE_KIND.into(),
        records_read: 0,
        records_rejected: 0,
    });
    result
}

/// A member whose bytes are themselves an archive: a gap, with the member's hash.
pub(super) fn nested(file: &InputFile, bytes: &[u8]) -> Option<FileResult> {
    if !matches!(file.part, Some(Part::Member(_))) {
        return None;
    }
    let kind = archive_kind(bytes)?;
    let mut result = FileResult::default();
    result.gaps.push(Gap {
        path: file.display.to_string(),
        index: None,
        kind: GapKind::ArchiveEntryNotRead,
        reason: format!(
            "the member is itself {}: not opened (archives are read one level deep: unpack it and give the inner archive as an input)",
            kind.describe()
        ),
    });
    result.summary = Some(InputSummary {
        path: file.display.clone(),
        sha256: hex::encode(Sha256::digest(bytes)),
        size: bytes.len() as u64,
        kind: ARCHIVE_KIND.into(),
        records_read: 0,
        records_rejected: 0,
    });
    Some(result)
}
