//! Reading one archive member into memory, within the inflate cap and the shared budget: a zip
//! member's stored or deflated bytes from where the listing found them (CRC-32 checked), a tar
//! member's bytes from its offset in the (inflated) tar stream. Nothing is written to disk.
//!
//! A gzip-compressed tar has no random access: reaching a member means inflating the stream up
//! to it. Members are read in stream order, so each archive keeps one inflating cursor that
//! moves forward from member to member (`cursor`), and the whole archive is inflated about once
//! instead of once per member.

mod cursor;

use super::archive::{Located, Member};
use super::gzip::read_within;
use super::{Stored, Whole};
use crate::model::GapKind;
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

/// SHA-256 and size of a whole file, streamed (an archive: listed, not held).
pub fn hash_file(path: &Path) -> std::io::Result<(String, u64)> {
    let mut hasher = Sha256::new();
    let size = std::io::copy(&mut File::open(path)?, &mut hasher)?;
    Ok((hex::encode(hasher.finalize()), size))
}

/// The member's bytes (its content as it was before it was archived), within `cap`, with the
/// problems met: past the cap (a zip bomb), truncated, or a CRC-32 that does not match.
pub fn read_member(
    archive: &Path,
    member: &Member,
    cap: u64,
) -> std::io::Result<(Stored, Vec<(GapKind, String)>)> {
    let mut file = BufReader::new(File::open(archive)?);
    let mut hold = None;
    let mut bytes = Vec::new();
    let mut problems = Vec::new();
    let limit = cap.saturating_add(1);
    let read = match member.at {
        Located::Zip {
            data_start,
            compressed,
            deflated,
            crc32,
        } => {
            file.seek(SeekFrom::Start(data_start))?;
            let raw = file.take(compressed);
            let read = if deflated {
                read_within(
                    &mut flate2::bufread::DeflateDecoder::new(raw),
                    limit,
                    &mut hold,
                    &mut bytes,
                )
            } else {
                read_within(&mut { raw }, limit, &mut hold, &mut bytes)
            };
            if read.is_ok() && bytes.len() as u64 <= cap && libdeflater::crc32(&bytes) != crc32 {
                problems.push((
                    GapKind::Unreadable,
                    format!(
                        "the member's CRC-32 does not match its {} bytes: the archive is truncated or corrupt",
                        bytes.len()
                    ),
                ));
            }
            read
        }
        Located::Tar {
            gzip,
            data_start,
            size,
        } => {
            let read = if gzip {
                drop(file);
                cursor::read_at(archive, data_start, size, limit, &mut hold, &mut bytes)
            } else {
                file.seek(SeekFrom::Start(data_start))?;
                read_within(&mut file.take(size), limit, &mut hold, &mut bytes)
            };
            if read.is_ok() && (bytes.len() as u64) < size.min(limit) {
                problems.push((
                    GapKind::Unreadable,
                    format!(
                        "the member is truncated: {} of its {size} bytes are in the archive",
                        bytes.len()
                    ),
                ));
            }
            read
        }
    };
    if let Err(e) = read {
        problems.push((
            GapKind::Unreadable,
            format!(
                "the member cannot be read past {} bytes (the archive is truncated or corrupt): {e}",
                bytes.len()
            ),
        ));
    }
    if bytes.len() as u64 > cap {
        bytes.truncate(usize::try_from(cap).unwrap_or(usize::MAX));
        problems.push((
            GapKind::DecompressedTooLarge,
            format!(
                "the member inflates past the {cap}-byte cap (possible zip bomb): only its first {cap} bytes were read, and its SHA-256 is of those bytes (raise --max-inflated to read it all)"
            ),
        ));
    }
    Ok((
        Stored {
            bytes,
            whole: Whole::default(),
            hold,
        },
        problems,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_a_streamed_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a");
        std::fs::write(&p, b"abc").unwrap();
        let (sha, size) = hash_file(&p).unwrap();
        assert_eq!(size, 3);
        assert_eq!(sha, hex::encode(Sha256::digest(b"abc")));
    }
}
