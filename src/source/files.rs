//! Local files and directories: discover them (recursively, in a stable order), read them
//! byte for byte, hash what was read, and inflate gzip within a size cap.

use crate::model::{Gap, GapKind};
use libdeflater::Decompressor;
use sha2::{Digest, Sha256};
use std::cell::RefCell;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Files that configure a case rather than being evidence.
pub const CASE_CONFIG_NAME: &str = "trailcase.toml";

/// One file to read, with the name shown in outputs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct InputFile {
    pub path: PathBuf,
    /// The path as the user would recognise it (the argument joined with the relative path).
    pub display: std::sync::Arc<str>,
}

/// The result of walking the arguments.
#[derive(Debug, Default)]
pub struct Discovered {
    pub files: Vec<InputFile>,
    /// Directories or files that could not be listed.
    pub gaps: Vec<Gap>,
    /// `trailcase.toml` found at the top of an input directory.
    pub case_configs: Vec<PathBuf>,
    /// The files and directories walked (arguments, and cases acquired for them).
    pub roots: Vec<PathBuf>,
}

/// Errors that stop a run before any evidence is read.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("input {path} does not exist")]
    NotFound { path: String },
}

/// Walk the given files and directories. Directory entries are visited in byte order of their
/// names so that every run sees the same sequence.
pub fn discover(args: &[PathBuf]) -> Result<Discovered, SourceError> {
    let mut out = Discovered::default();
    for arg in args {
        let meta = std::fs::metadata(arg).map_err(|_| SourceError::NotFound {
            path: arg.display().to_string(),
        })?;
        if meta.is_dir() {
            let config = arg.join(CASE_CONFIG_NAME);
            if config.is_file() {
                out.case_configs.push(config);
            }
            walk(arg, &mut out);
        } else {
            out.files.push(InputFile {
                path: arg.clone(),
                display: arg.display().to_string().into(),
            });
        }
    }
    out.files.dedup();
    out.roots = args.to_vec();
    Ok(out)
}

fn walk(dir: &Path, out: &mut Discovered) {
    let entries = match std::fs::read_dir(dir) {
        Ok(rd) => {
            let mut v: Vec<_> = rd.filter_map(Result::ok).map(|e| e.path()).collect();
            v.sort();
            v
        }
        Err(e) => {
            out.gaps.push(Gap {
                path: dir.display().to_string(),
                index: None,
                kind: GapKind::Unreadable,
                reason: format!("cannot list directory: {e}"),
            });
            return;
        }
    };
    for path in entries {
        if path.is_dir() {
            walk(&path, out);
        } else if path.file_name().is_some_and(|n| n == CASE_CONFIG_NAME) {
            continue;
        } else {
            out.files.push(InputFile {
                display: path.display().to_string().into(),
                path,
            });
        }
    }
}

/// One file as read: the stored bytes' hash and the content to parse.
#[derive(Debug)]
pub struct ReadInput {
    pub sha256: String,
    pub size: u64,
    /// Decompressed content (the stored bytes when not gzip).
    pub content: Vec<u8>,
    /// Problems met while reading; the content holds whatever could be recovered.
    pub problems: Vec<(GapKind, String)>,
}

/// Read a file, hash the bytes as stored, and inflate gzip (any number of members) up to
/// `max_inflated` bytes.
pub fn read_input(path: &Path, max_inflated: u64) -> Result<ReadInput, std::io::Error> {
    let stored = std::fs::read(path)?;
    Ok(decode(stored, max_inflated))
}

/// Hash and inflate bytes already in memory (a file, or an object fetched from S3).
pub fn decode(stored: Vec<u8>, max_inflated: u64) -> ReadInput {
    let sha256 = hex::encode(Sha256::digest(&stored));
    let size = stored.len() as u64;
    if !stored.starts_with(&[0x1f, 0x8b]) {
        return ReadInput {
            sha256,
            size,
            content: stored,
            problems: Vec::new(),
        };
    }
    let (content, problems) = match inflate_single_member(&stored, max_inflated) {
        Some(content) => (content, Vec::new()),
        None => inflate_stream(&stored, max_inflated),
    };
    ReadInput {
        sha256,
        size,
        content,
        problems,
    }
}

/// The last 8 bytes of a gzip file: the last member's CRC-32 and ISIZE (its inflated size
/// modulo 4 GiB). `None` when the bytes are too short to be a gzip member (18 bytes at least).
/// Only a hint until the member is inflated: a truncated file ends with other bytes.
pub fn gzip_trailer(stored: &[u8]) -> Option<(u32, u32)> {
    let trailer = stored.len().checked_sub(8).filter(|_| stored.len() >= 18)?;
    let word = |at: usize| {
        u32::from_le_bytes([stored[at], stored[at + 1], stored[at + 2], stored[at + 3]])
    };
    Some((word(trailer), word(trailer + 4)))
}

thread_local! {
    static INFLATER: RefCell<Decompressor> = RefCell::new(Decompressor::new());
}

/// The common case, fast: one gzip member, inflated by libdeflate in one call into a buffer of
/// exactly the size its trailer states (ISIZE), within the cap. `None` when the file is anything
/// else (several members, truncated, corrupt, past the cap, over 4 GiB): [`inflate_stream`]
/// then reads it and names the problem.
fn inflate_single_member(stored: &[u8], max_inflated: u64) -> Option<Vec<u8>> {
    let (crc, isize) = gzip_trailer(stored)?;
    let trailer = stored.len() - 8;
    if u64::from(isize) > max_inflated {
        return None;
    }
    let mut out = vec![0u8; isize as usize];
    // libdeflate inflates the first member and checks it against its own trailer; it is the
    // whole file only if it ends where the file ends.
    let n = INFLATER
        .with(|d| d.borrow_mut().gzip_decompress(stored, &mut out))
        .ok()?;
    let whole = n == out.len()
        && libdeflater::crc32(&out) == crc
        // The first member's trailer equals the file's last 8 bytes: had it ended earlier,
        // those 8 bytes would also occur before the end.
        && memchr::memmem::find(stored, &stored[trailer..]) == Some(trailer);
    whole.then_some(out)
}

/// Inflate any number of gzip members up to `max_inflated` bytes, keeping what inflated before
/// a problem and naming the problem.
fn inflate_stream(stored: &[u8], max_inflated: u64) -> (Vec<u8>, Vec<(GapKind, String)>) {
    let mut content = Vec::with_capacity((stored.len() * 8).min(max_inflated as usize));
    let mut problems = Vec::new();
    let reader = flate2::read::MultiGzDecoder::new(stored);
    match reader.take(max_inflated + 1).read_to_end(&mut content) {
        Ok(_) if content.len() as u64 > max_inflated => {
            content.truncate(max_inflated as usize);
            problems.push((
                GapKind::DecompressedTooLarge,
                format!(
                    "gzip inflates past the {max_inflated}-byte cap (possible gzip bomb); only the first {max_inflated} bytes were read (raise --max-inflated to read it all)"
                ),
            ));
        }
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => problems.push((
            GapKind::TruncatedGzip,
            format!(
                "gzip stream is truncated after {} inflated bytes",
                content.len()
            ),
        )),
        Err(e) => problems.push((
            GapKind::TruncatedGzip,
            format!("gzip stream is corrupt: {e}"),
        )),
    }
    (content, problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(data).unwrap();
        enc.finish().unwrap()
    }

    #[test]
    fn truncated_gzip_keeps_what_inflated() {
        let data = br#"{"Records":[{"eventTime":"2026-01-01T00:00:00Z"}]}"#.repeat(50);
        let gz = gzip(&data);
        let cut = gz[..gz.len() / 2].to_vec();
        let r = decode(cut, 1 << 20);
        assert_eq!(r.problems[0].0, GapKind::TruncatedGzip);
        assert!(!r.content.is_empty() && r.content.len() < data.len());
    }

    #[test]
    fn bomb_is_capped() {
        let gz = gzip(&vec![b' '; 1 << 20]);
        let r = decode(gz, 4096);
        assert_eq!(r.problems[0].0, GapKind::DecompressedTooLarge);
        assert_eq!(r.content.len(), 4096);
    }

    /// Every way a gzip file can differ from one plain member: the fast path must either give
    /// what the streaming inflater gives or leave the file to it.
    #[test]
    fn the_single_member_path_agrees_with_the_stream() {
        let data = br#"{"Records":[{"eventTime":"2026-01-01T00:00:00Z"}]}"#.repeat(500);
        let one = gzip(&data);
        let other = gzip(b"{}");
        let mut cases = vec![
            one.clone(),
            [one.clone(), one.clone()].concat(),
            [other.clone(), one.clone()].concat(),
            [one.clone(), other.clone()].concat(),
            [one.clone(), b"trailing".to_vec()].concat(),
            one[..one.len() - 1].to_vec(),
            one[..one.len() / 2].to_vec(),
            gzip(b""),
            other.clone(),
            one[..18].to_vec(),
        ];
        let mut lying = one.clone();
        let n = lying.len();
        lying[n - 4..].copy_from_slice(&10u32.to_le_bytes());
        cases.push(lying);
        let mut corrupt = one.clone();
        corrupt[n / 2] ^= 0xff;
        cases.push(corrupt);
        for (i, gz) in cases.iter().enumerate() {
            for cap in [1 << 20, 4096, 2] {
                let r = decode(gz.clone(), cap);
                let (content, problems) = inflate_stream(gz, cap);
                assert_eq!(r.content, content, "case {i}, cap {cap}");
                assert_eq!(r.problems, problems, "case {i}, cap {cap}");
            }
        }
        assert!(inflate_single_member(&one, 1 << 20).is_some());
        assert!(inflate_single_member(&cases[1], 1 << 20).is_none());
        assert_eq!(decode(cases[1].clone(), 1 << 20).content, data.repeat(2));
    }

    #[test]
    fn hash_is_of_the_stored_bytes() {
        let gz = gzip(b"{}");
        let r = decode(gz.clone(), 100);
        assert_eq!(r.sha256, hex::encode(Sha256::digest(&gz)));
        assert_eq!(r.content, b"{}");
    }
}
