//! Archives given as inputs (`.zip`, `.tar`, `.tar.gz`/`.tgz`), recognised by their magic bytes
//! whatever their name: listed as the archive itself (hashed, no records of its own) and one
//! input per member, `archive!/member`. Listing reads the zip central directory or walks the tar
//! headers; nothing is extracted, and no member's name is ever used as a path (see `member.rs`
//! for reading one). Links, devices, encrypted members and unsupported compression are named
//! gaps, never followed.

use super::{Discovered, Head, InputFile};
use crate::model::{Gap, GapKind};
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;
use std::sync::Arc;

/// What part of a file an input is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Part {
    /// The archive itself: listed once with its SHA-256, holds no records of its own.
    Archive,
    /// One member, read from the archive in memory.
    Member(Arc<Member>),
}

/// A member of an archive: its name as stored and where its bytes are.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Member {
    /// The name as stored in the archive (lossy UTF-8): a label, never a path on disk.
    pub name: String,
    pub at: Located,
}

/// Where a member's bytes are in its archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Located {
    /// `compressed` bytes at `data_start`, stored or deflated, with the CRC-32 of the member.
    Zip {
        data_start: u64,
        compressed: u64,
        deflated: bool,
        crc32: u32,
    },
    /// `size` bytes at `data_start` in the tar stream (inflated first when `gzip`).
    Tar {
        gzip: bool,
        data_start: u64,
        size: u64,
    },
}

/// The kinds of archive read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArchiveKind {
    Zip,
    Tar,
    TarGz,
}

impl ArchiveKind {
    pub fn describe(self) -> &'static str {
        match self {
            ArchiveKind::Zip => "a ZIP archive",
            ArchiveKind::Tar => "a tar archive",
            ArchiveKind::TarGz => "a gzip-compressed tar archive",
        }
    }
}

/// How many bytes of a file are enough to recognise an archive (a gzip header and the
/// deflated first tar header fit in far less).
pub const HEAD: u64 = 8192;

/// The kind of archive `head` (the first bytes of a file or member) starts, by magic bytes: a
/// zip local header or end record, `ustar` at offset 257, or gzip whose content has `ustar`
/// there.
pub fn archive_kind(head: &[u8]) -> Option<ArchiveKind> {
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        return Some(ArchiveKind::Zip);
    }
    if is_tar_header(head) {
        return Some(ArchiveKind::Tar);
    }
    if head.starts_with(&[0x1f, 0x8b]) {
        let head = &head[..head.len().min(HEAD as usize)];
        let mut inflated = [0u8; 512];
        // A partial inflate is enough: only the first 262 bytes matter.
        let n = super::gzip_head::inflate_head(head, &mut inflated);
        if is_tar_header(&inflated[..n]) {
            return Some(ArchiveKind::TarGz);
        }
    }
    None
}

fn is_tar_header(b: &[u8]) -> bool {
    b.len() >= 262 && &b[257..262] == b"ustar"
}

/// What [`sniff`] tells of a file: its archive kind and whether it starts as gzip does, or
/// nothing when it cannot be read.
pub type Sniffed = Option<(Option<ArchiveKind>, bool)>;

/// The archive kind of the file at `path` and whether it starts as gzip does (nothing when it
/// cannot be read: reading it later names the problem). Opened without blocking, as the scan
/// opens it: a file replaced by a FIFO since the walk saw it reads as empty, never hangs.
pub fn sniff(path: &Path) -> Sniffed {
    let mut head = [0u8; HEAD as usize];
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let mut file = options.open(path).ok()?;
    let mut len = 0;
    while len < head.len() {
        match file.read(&mut head[len..]) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            // A FIFO with nothing written: no head.
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
            Err(_) => return None,
        }
    }
    let head = &head[..len];
    Some((archive_kind(head), head.starts_with(&[0x1f, 0x8b])))
}

/// One entry as listed: where its bytes are, or why it is not read.
struct Listed {
    name: String,
    at: Result<Located, String>,
}

/// List the archive at `path` (of the `kind` [`sniff`] found) and its members as inputs, and
/// the entries not read as gaps.
pub(super) fn expand(path: &Path, kind: ArchiveKind, out: &mut Discovered) {
    let display = super::path_label(path);
    out.files.push(InputFile {
        path: path.to_path_buf(),
        display: display.as_str().into(),
        part: Some(Part::Archive),
        head: Head::default(),
    });
    let (mut listed, problem) = match kind {
        ArchiveKind::Zip => list_zip(path),
        ArchiveKind::Tar | ArchiveKind::TarGz => list_tar(path, kind == ArchiveKind::TarGz),
    };
    // In the order a directory of the same files is walked (by name, component by component),
    // not the order the archive happens to store them: the same evidence reads the same.
    listed.sort_by(|a, b| a.name.split('/').cmp(b.name.split('/')));
    for entry in listed {
        let shown = format!("{display}!/{}", label(&entry.name));
        let at = match entry.at {
            // Not evidence, and not applied either: an archive's own configuration could name
            // other honeytokens than the analyst's, so the analysis may miss what it names.
            Ok(_) if entry.name.rsplit('/').next() == Some(super::CASE_CONFIG_NAME) => {
                Err(format!(
                "{} inside an archive is not applied as the configuration: pass it with --config",
                super::CASE_CONFIG_NAME
            ))
            }
            other => other,
        };
        match at {
            Ok(at) => out.files.push(InputFile {
                path: path.to_path_buf(),
                display: shown.into(),
                part: Some(Part::Member(Arc::new(Member {
                    name: entry.name,
                    at,
                }))),
                head: Head::default(),
            }),
            Err(reason) => out.gaps.push(Gap {
                path: shown,
                index: None,
                kind: GapKind::ArchiveEntryNotRead,
                reason,
            }),
        }
    }
    if let Some(reason) = problem {
        out.gaps.push(Gap {
            path: display,
            index: None,
            kind: GapKind::UnrecognisedContent,
            reason: format!("not JSON: looks like {}, {reason}", kind.describe()),
        });
    }
}

/// A member's name as shown after `archive!/`: a label, so that it reads as no path outside
/// the archive and carries no control character. `%` and control characters are
/// percent-encoded, a `..` segment is `%2E%2E`, and a leading `/` (or `\`) is `%2F` (`%5C`).
pub fn label(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for (i, segment) in name.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        if segment == ".." {
            out.push_str("%2E%2E");
            continue;
        }
        for c in segment.chars() {
            match c {
                '%' | '\\' => out.push_str(&format!("%{:02X}", c as u32)),
                c if c.is_control() => {
                    let mut buf = [0u8; 4];
                    for b in c.encode_utf8(&mut buf).bytes() {
                        out.push_str(&format!("%{b:02X}"));
                    }
                }
                c => out.push(c),
            }
        }
    }
    match out.strip_prefix('/') {
        Some(rest) => format!("%2F{rest}"),
        None => out,
    }
}

/// The members of a zip archive from its central directory, or why it cannot be read.
fn list_zip(path: &Path) -> (Vec<Listed>, Option<String>) {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) => return (Vec::new(), Some(format!("and cannot be opened: {e}"))),
    };
    let mut zip = match zip::ZipArchive::new(BufReader::new(file)) {
        Ok(z) => z,
        Err(e) => return (Vec::new(), Some(format!("but cannot be read as one: {e}"))),
    };
    let mut listed = Vec::new();
    for i in 0..zip.len() {
        let entry = match zip.by_index_raw(i) {
            Ok(e) => e,
            Err(e) => {
                listed.push(Listed {
                    name: format!("(entry {i})"),
                    at: Err(format!("zip entry {i} cannot be read: {e}")),
                });
                continue;
            }
        };
        let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        if entry.is_dir() {
            continue;
        }
        let file_type = entry.unix_mode().map_or(0, |m| m & 0o170000);
        let at = if entry.is_symlink() || file_type == 0o120000 {
            Err("a symbolic link in the archive: not followed".to_string())
        } else if file_type != 0 && file_type != 0o100000 {
            Err("not a regular file in the archive (a device, FIFO or socket): not read".into())
        } else if entry.encrypted() {
            Err("an encrypted zip member: not read (trailcase takes no password)".into())
        } else {
            let deflated = match entry.compression() {
                zip::CompressionMethod::Stored => Some(false),
                zip::CompressionMethod::Deflated => Some(true),
                _ => None,
            };
            match (deflated, entry.data_start()) {
                (Some(deflated), Some(data_start)) => Ok(Located::Zip {
                    data_start,
                    compressed: entry.compressed_size(),
                    deflated,
                    crc32: entry.crc32(),
                }),
                (None, _) => Err(format!(
                    "compressed with {}: not read (only stored and deflated members are)",
                    entry.compression()
                )),
                (_, None) => Err("the member's data cannot be located in the archive".into()),
            }
        };
        listed.push(Listed { name, at });
    }
    (listed, None)
}

/// The members of a tar archive (inflated first when `gzip`), walking its headers; the
/// members before a problem are kept, and the problem named.
fn list_tar(path: &Path, gzip: bool) -> (Vec<Listed>, Option<String>) {
    let file = match File::open(path) {
        Ok(f) => BufReader::new(f),
        Err(e) => return (Vec::new(), Some(format!("and cannot be opened: {e}"))),
    };
    let reader: Box<dyn Read> = if gzip {
        Box::new(flate2::bufread::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let mut tar = tar::Archive::new(reader);
    let entries = match tar.entries() {
        Ok(e) => e,
        Err(e) => return (Vec::new(), Some(format!("but cannot be read as one: {e}"))),
    };
    let mut listed = Vec::new();
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let n = listed.len();
                return (
                    listed,
                    Some(format!(
                        "but cannot be read past its first {n} entries (truncated or corrupt): {e}"
                    )),
                );
            }
        };
        let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        use tar::EntryType as T;
        let at = match entry.header().entry_type() {
            T::Regular | T::Continuous => Ok(Located::Tar {
                gzip,
                data_start: entry.raw_file_position(),
                size: entry.size(),
            }),
            T::Directory => continue,
            T::Symlink => Err("a symbolic link in the archive: not followed".to_string()),
            T::Link => Err("a hard link in the archive: not followed".into()),
            T::Char | T::Block | T::Fifo => {
                Err("a device or FIFO entry in the archive: not read".into())
            }
            other => Err(format!("a tar entry of type {other:?}: not read")),
        };
        listed.push(Listed { name, at });
    }
    (listed, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A FIFO where the walk saw a file (replaced in between) is sniffed without blocking:
    /// no writer, no head, not an archive.
    #[cfg(unix)]
    #[test]
    fn a_fifo_is_sniffed_without_waiting_for_a_writer() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir
            .path()
            .join("123456789012_CloudTrail_us-east-1_20261120T1405Z_x.json.gz");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        assert_eq!(sniff(&fifo), Some((None, false)));
    }

    #[test]
    fn hostile_member_names_are_labels_not_paths() {
        assert_eq!(label("AWSLogs/a.json.gz"), "AWSLogs/a.json.gz");
        assert_eq!(label("../evil"), "%2E%2E/evil");
        assert_eq!(label("a/../../b"), "a/%2E%2E/%2E%2E/b");
        assert_eq!(label("/etc/passwd"), "%2Fetc/passwd");
        assert_eq!(label("a\nb\u{1b}[31m"), "a%0Ab%1B[31m");
        assert_eq!(label("100%"), "100%25");
        assert_eq!(label("C:\\x"), "C:%5Cx");
    }
}
