//! The archive sniff of a file discovery left to the first pass ([`Sniff::Pass`]): told from the
//! bytes the pass reads and inflates anyway where they settle it, else by discovery's own
//! [`sniff`] of the file, so that the answer is always the one discovery would have given.

use crate::source::files::{sniff, Sniff, Sniffed};
use crate::source::InputFile;

/// `ustar` at offset 257: a tar header (as `archive_kind` tests it).
fn tar_header(b: &[u8]) -> bool {
    b.get(257..262) == Some(b"ustar")
}

/// Whether the pass sniffs `file` itself.
pub(super) fn sniffed_here(file: &InputFile) -> bool {
    file.part.is_none() && file.head.1 == Sniff::Pass
}

/// Before the stored bytes are scanned: discovery's answer when they do not start as gzip does,
/// or hold a tar header themselves, or are not the whole file (`whole`: read within the cap);
/// `None` when the inflated content will tell ([`after`]).
pub(super) fn before(file: &InputFile, stored: &[u8], whole: bool) -> Option<Sniffed> {
    let gzip = stored.starts_with(&[0x1f, 0x8b]);
    (!gzip || tar_header(stored) || !whole).then(|| sniff(&file.path))
}

/// After a gzip file's content was inflated whole without a problem (`clean`): not an archive
/// when that content is at least a tar header long and holds none. Discovery inflates at most
/// the first 512 bytes of the first member, and the first member's content starts the file's
/// content, so where the content has no tar header discovery's would not either. Anything else
/// (a streamed file, a short or damaged one, a tar header) is asked of discovery's [`sniff`].
pub(super) fn after(file: &InputFile, content: &[u8], clean: bool) -> Sniffed {
    if clean && content.len() >= 262 && !tar_header(content) {
        return Some((None, true));
    }
    sniff(&file.path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::files::Head;

    use crate::gzip_member::gzip;

    /// What the pass tells of a file (its bytes read whole, inflated as `decode` does) is what
    /// discovery's sniff tells, for trail files, tar.gz, a tar, a zip, short, truncated and
    /// two-member files and gzip bytes holding `ustar` where a tar header has it.
    #[test]
    fn the_pass_tells_what_discovery_would() {
        let dir = tempfile::tempdir().unwrap();
        let record = br#"{"Records":[{"eventTime":"2026-11-20T14:05:00Z","eventName":"GetSecretValue","eventSource":"secretsmanager.amazonaws.com","eventID":"e1","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/a"}}]}"#;
        let mut tar = tar::Builder::new(Vec::new());
        let mut header = tar::Header::new_ustar();
        header.set_size(record.len() as u64);
        header.set_cksum();
        tar.append_data(&mut header, "a.json", &record[..]).unwrap();
        let tar = tar.into_inner().unwrap();
        let mut ustar_raw = gzip(record);
        ustar_raw.resize(300, 0);
        ustar_raw[257..262].copy_from_slice(b"ustar");
        let tgz = gzip(&tar);
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("trail", gzip(record)),
            ("empty records", gzip(br#"{"Records":[]}"#)),
            ("tar.gz", tgz.clone()),
            ("tar.gz truncated", tgz[..tgz.len() / 2].to_vec()),
            (
                "tar.gz after a short member",
                [gzip(b"{}"), tgz.clone()].concat(),
            ),
            ("two members", [gzip(record), gzip(record)].concat()),
            ("tar", tar),
            ("zip", b"PK\x03\x04rest".to_vec()),
            ("plain", record.to_vec()),
            ("ustar in the gzip bytes", ustar_raw),
            ("empty", Vec::new()),
        ];
        for (what, bytes) in cases {
            let path = dir
                .path()
                .join("123456789012_CloudTrail_us-east-1_20261120T1405Z_x.json.gz");
            std::fs::write(&path, &bytes).unwrap();
            let file = crate::source::InputFile {
                head: Head(Some((bytes.len() as u64, true)), Sniff::Pass),
                ..crate::source::InputFile::whole(path.clone())
            };
            let told = before(&file, &bytes, true).unwrap_or_else(|| {
                let read = crate::source::decode(bytes.clone(), 1 << 30);
                after(&file, &read.content, read.problems.is_empty())
            });
            assert_eq!(told, sniff(&path), "{what}");
        }
    }
}
