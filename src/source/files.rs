//! Local files and directories: discover them (recursively, in a stable order, regular files
//! only, each once), read them byte for byte within a cap, hash what was read, and inflate gzip
//! within a size cap and the shared memory budget. Archives (`.zip`, `.tar`, `.tar.gz`) are
//! inputs of many members, each read in memory, never extracted (`archive.rs`, `member.rs`).

mod archive;
mod budget;
mod discover;
mod gzip;
mod gzip_head;
mod member;

pub use crate::gzip_member::gzip_trailer;
pub use archive::{archive_kind, sniff, ArchiveKind, Located, Member, Part, Sniffed};
pub use budget::{LargeFile, SMALL};
pub use discover::{discover, discover_deferring, resolve_late};
pub use gzip::{appended_after, decode, decode_input, is_trail_file_name, Appended};
pub use member::{hash_file, read_member};

use crate::model::GapKind;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};

pub use crate::case::source::CASE_CONFIG_NAME;

/// One file to read, with the name shown in outputs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct InputFile {
    pub path: PathBuf,
    /// The path as the user would recognise it (the argument joined with the relative path).
    pub display: std::sync::Arc<str>,
    /// `None` for a file read whole; the archive itself, or one member of it (`path` is then
    /// the archive's path, and `display` is `archive!/member`).
    pub part: Option<Part>,
    /// What discovery saw of the file, if it looked.
    pub head: Head,
}

/// What discovery saw of a file read whole: its size and whether it starts as gzip does. A
/// hint that spares the analysis's pre-pass opening every file again (the pre-pass only reads
/// ahead what the first pass reads anyway); not part of the file's identity: any two heads are
/// equal. With [`Sniff::Pass`], discovery did not open the file: the size is the walk's, the
/// gzip bit its name's, and the first pass checks both as it reads the file.
#[derive(Debug, Clone, Copy, Default)]
pub struct Head(pub Option<(u64, bool)>, pub Sniff);

/// Who looks at a file's first bytes to tell whether it is an archive.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sniff {
    /// Discovery did (opened it and read its head): the file is listed as what it is.
    #[default]
    Discovery,
    /// Left to the first pass, which reads the file anyway (a `.json.gz` found by
    /// [`discover_deferring`]): listed as a gzip file that is no archive until its bytes say
    /// otherwise, and then the analysis starts again with it listed as discovery would have
    /// (see `analyse::two_passes`).
    Pass,
}

impl PartialEq for Head {
    fn eq(&self, _: &Head) -> bool {
        true
    }
}

impl Eq for Head {}

impl PartialOrd for Head {
    fn partial_cmp(&self, other: &Head) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Head {
    fn cmp(&self, _: &Head) -> std::cmp::Ordering {
        std::cmp::Ordering::Equal
    }
}

impl InputFile {
    /// A file read whole, shown as its path.
    pub fn whole(path: PathBuf) -> InputFile {
        InputFile {
            display: path_label(&path).into(),
            path,
            part: None,
            head: Head::default(),
        }
    }
}

pub use crate::case::walk::path_label;

/// The result of walking the arguments.
#[derive(Debug, Default)]
pub struct Discovered {
    pub files: Vec<InputFile>,
    /// Directories or files that could not be listed, and files that are not regular files.
    pub gaps: Vec<Gap>,
    /// `trailcase.toml` found at the top of an input directory.
    pub case_configs: Vec<PathBuf>,
    /// The files and directories walked (arguments, and cases acquired for them).
    pub roots: Vec<PathBuf>,
    /// The files the manifests of earlier-acquired cases among the roots list, each with the
    /// SHA-256 recorded when it was acquired (the analysis compares what it reads with it).
    pub recorded: Vec<Recorded>,
}

/// A file a case's `manifest.json` lists: where it is now and what was recorded at acquisition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// The path as an input's summary shows it (the case's root joined with the entry's path).
    pub path: String,
    pub sha256: String,
    pub acquired_at: String,
    pub source: String,
}

use crate::model::Gap;

/// Errors that stop a run before any evidence is read.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("input {path} does not exist")]
    NotFound { path: String },
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
    /// A trail file's bytes after its first gzip member: described, not read.
    pub appended: Option<Appended>,
    /// The shared budget's token, while this file is held past [`SMALL`] bytes.
    pub hold: Option<LargeFile>,
}

/// Read a file, hash the bytes as stored, and inflate gzip (any number of members) up to
/// `max_inflated` bytes.
pub fn read_input(path: &Path, max_inflated: u64) -> Result<ReadInput, std::io::Error> {
    let stored = read_stored(path, max_inflated)?;
    let mut read = decode(stored.bytes, max_inflated);
    stored.whole.apply(&mut read);
    Ok(read)
}

/// A file's stored bytes, read within the cap.
#[derive(Debug)]
pub struct Stored {
    /// The bytes (the first `cap` of them when the file is larger).
    pub bytes: Vec<u8>,
    /// The whole file, when `bytes` is only its start.
    pub whole: Whole,
    pub hold: Option<LargeFile>,
}

/// The hash and size of a file larger than the cap (hashed as it streamed past), or nothing.
#[derive(Debug, Default)]
pub struct Whole(Option<(String, u64, u64)>);

impl Whole {
    /// Whether the bytes read are the whole file (it was not larger than the cap).
    pub fn is_whole(&self) -> bool {
        self.0.is_none()
    }

    /// Give `read` the whole file's hash and size, and name what was not read.
    pub fn apply(self, read: &mut ReadInput) {
        if let Some((sha256, size, cap)) = self.0 {
            read.sha256 = sha256;
            read.size = size;
            read.problems.push((
                GapKind::DecompressedTooLarge,
                format!("the file is {size} bytes, past the {cap}-byte cap: only the first {cap} bytes were read (raise --max-inflated to read it all)"),
            ));
        }
    }
}

/// Read a regular file's bytes, at most `cap` of them (the rest is hashed, not held). A FIFO,
/// socket or device is refused before anything is read from it (opened without blocking, then
/// checked), so nothing waits on a pipe or reads `/dev/zero` forever.
pub fn read_stored(path: &Path, cap: u64) -> std::io::Result<Stored> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let mut file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::other(format!(
            "not a regular file ({}): not read",
            crate::case::walk::file_kind(&meta)
        )));
    }
    let hold = (meta.len() > SMALL).then(LargeFile::take);
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len().min(cap)).unwrap_or(0));
    (&mut file).take(cap).read_to_end(&mut bytes)?;
    // Fewer bytes than the cap: the file ended (`take` stops early only at its limit), and no
    // read more is made to see it end again (one `read` call per file).
    let mut probe = [0u8; 1];
    if (bytes.len() as u64) < cap || file.read(&mut probe)? == 0 {
        return Ok(Stored {
            bytes,
            whole: Whole::default(),
            hold,
        });
    }
    // Larger than the cap: hash the rest as it streams past.
    let mut hasher = Sha256::new();
    hasher.update(&bytes);
    hasher.update(probe);
    let rest = std::io::copy(&mut file, &mut hasher)?;
    let size = bytes.len() as u64 + 1 + rest;
    Ok(Stored {
        bytes,
        whole: Whole(Some((hex::encode(hasher.finalize()), size, cap))),
        hold,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file shorter than the cap or exactly as long is whole; one byte longer is read to the
    /// cap, and its hash and size are the whole file's: the same whether or not a read past the
    /// end is made to see that the file ended.
    #[test]
    fn a_file_at_the_cap_is_whole_and_one_byte_past_it_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let cap = 10_000u64;
        for len in [0, 1, cap - 1, cap, cap + 1, 3 * cap] {
            let content: Vec<u8> = (0..len).map(|n| (n % 251) as u8).collect();
            let path = dir.path().join(format!("f{len}"));
            std::fs::write(&path, &content).unwrap();
            let stored = read_stored(&path, cap).unwrap();
            let held = len.min(cap) as usize;
            assert_eq!(stored.bytes, content[..held], "{len}");
            assert_eq!(stored.whole.is_whole(), len <= cap, "{len}");
            let mut read = decode(stored.bytes, u64::MAX);
            stored.whole.apply(&mut read);
            assert_eq!(read.size, len, "{len}");
            assert_eq!(read.sha256, hex::encode(Sha256::digest(&content)), "{len}");
            let past = read
                .problems
                .iter()
                .any(|(kind, _)| *kind == GapKind::DecompressedTooLarge);
            assert_eq!(past, len > cap, "{len}");
        }
    }
}
