//! Finding the input files: directories walked in a stable order, only regular files taken,
//! each file once however many paths lead to it, and no directory entered twice (a symlink
//! loop ends where it would repeat). A link is followed only where it stays inside the evidence
//! folders given (`case::walk`, the rule `verify` walks by too): one out of them, or one that
//! does not resolve, is a named gap, never opened. So is a FIFO, socket or device. An archive
//! (by its magic bytes) is listed as itself and its members (`archive.rs`).

use super::archive::Sniffed;
use super::{Discovered, Head, InputFile, Sniff, SourceError, CASE_CONFIG_NAME};
use crate::case::walk::{self, identity, Entry, Folders};
use crate::model::{Gap, GapKind};
use rayon::prelude::*;
use std::collections::HashSet;
use std::fs::Metadata;
use std::path::{Path, PathBuf};

/// Files and directories already taken, by device and inode, and what the walk found in its
/// order: the files to take and the gaps met on the way; the evidence folders links may lead
/// into.
#[derive(Default)]
struct Seen {
    folders: Folders,
    files: HashSet<(u64, u64)>,
    dirs: HashSet<(u64, u64)>,
    found: Vec<Found>,
}

/// One thing the walk found, in walk order: a file (with its size when known) or a gap.
enum Found {
    File(PathBuf, Option<u64>),
    Gap(Gap),
}

/// Walk the given files and directories. Directory entries are visited in byte order of their
/// names so that every run sees the same sequence; the first path to a file is the one kept.
/// Every file's head is read to tell an archive ([`Sniff::Discovery`]).
pub fn discover(args: &[PathBuf]) -> Result<Discovered, SourceError> {
    discover_with(args, false)
}

/// [`discover`], leaving the archive sniff of each `.json.gz` of known size to the first pass
/// that reads it ([`Sniff::Pass`]): not opened here, so that a trail file is opened and read
/// once. Only for an analysis that starts again when the pass finds such a file to be an
/// archive or not gzip ([`resolve_late`]); any other name is sniffed here, as by `discover`.
pub fn discover_deferring(args: &[PathBuf]) -> Result<Discovered, SourceError> {
    discover_with(args, true)
}

fn discover_with(args: &[PathBuf], defer: bool) -> Result<Discovered, SourceError> {
    let mut out = Discovered::default();
    let mut seen = Seen {
        folders: Folders::of(args),
        ..Seen::default()
    };
    for arg in args {
        let meta = std::fs::metadata(arg).map_err(|_| SourceError::NotFound {
            path: super::path_label(arg),
        })?;
        if meta.is_dir() {
            if !seen.dirs.insert(identity(&meta)) {
                continue;
            }
            let config = arg.join(CASE_CONFIG_NAME);
            match walk::look(&seen.folders, &config) {
                Entry::Found(m) if m.is_file() => out.case_configs.push(config),
                Entry::Refused(r) => seen.found.push(Found::Gap(Gap {
                    path: super::path_label(&config),
                    index: None,
                    kind: GapKind::Unreadable,
                    reason: format!(
                        "{} (the case's settings are the defaults and the command line's)",
                        r.reason()
                    ),
                })),
                _ => {}
            }
            walk(arg, &mut seen);
        } else {
            take_file(arg.clone(), Some(&meta), &mut seen);
        }
    }
    let deferred = |path: &Path, size: &Option<u64>| {
        defer && size.is_some() && path.as_os_str().as_encoded_bytes().ends_with(b".json.gz")
    };
    // Whether each file is an archive takes a read of its first bytes: on both cores, then
    // listed in walk order.
    let kinds: Vec<_> = seen
        .found
        .par_iter()
        .map(|f| match f {
            Found::File(path, size) if !deferred(path, size) => super::archive::sniff(path),
            _ => None,
        })
        .collect();
    for (found, sniffed) in seen.found.into_iter().zip(kinds) {
        match (found, sniffed) {
            (Found::File(path, Some(size)), _) if deferred(&path, &Some(size)) => {
                out.files.push(InputFile {
                    head: Head(Some((size, true)), Sniff::Pass),
                    ..InputFile::whole(path)
                })
            }
            (Found::File(path, _), Some((Some(kind), _))) => {
                super::archive::expand(&path, kind, &mut out)
            }
            (Found::File(path, size), sniffed) => out.files.push(InputFile {
                head: Head(size.zip(sniffed.map(|(_, gzip)| gzip)), Sniff::Discovery),
                ..InputFile::whole(path)
            }),
            (Found::Gap(gap), _) => out.gaps.push(gap),
        }
    }
    out.roots = args.to_vec();
    Ok(out)
}

/// `files` as [`discover`] lists them, given what the first pass found of the files whose
/// sniff was left to it (`late`: each one's index and [`Sniffed`], in order): an archive
/// expanded into itself and its members, any other file with the head discovery would have
/// seen. With the gaps of listing the archives.
pub fn resolve_late(files: &[InputFile], late: &[(u32, Sniffed)]) -> (Vec<InputFile>, Vec<Gap>) {
    let mut out = Discovered::default();
    let mut late = late.iter().peekable();
    for (i, file) in files.iter().enumerate() {
        let Some((_, sniffed)) = late.next_if(|(n, _)| *n as usize == i) else {
            out.files.push(file.clone());
            continue;
        };
        match sniffed {
            Some((Some(kind), _)) => super::archive::expand(&file.path, *kind, &mut out),
            sniffed => out.files.push(InputFile {
                head: Head(
                    file.head
                        .0
                        .map(|(size, _)| size)
                        .zip(sniffed.map(|(_, gzip)| gzip)),
                    Sniff::Discovery,
                ),
                ..InputFile::whole(file.path.clone())
            }),
        }
    }
    (out.files, out.gaps)
}

fn walk(dir: &Path, seen: &mut Seen) {
    let entries = match std::fs::read_dir(dir) {
        Ok(rd) => listed(dir, rd.map(|e| e.map(|e| e.file_name())), seen),
        Err(e) => {
            seen.found.push(Found::Gap(Gap {
                path: super::path_label(dir),
                index: None,
                kind: GapKind::Unreadable,
                reason: format!("cannot list directory: {e}"),
            }));
            return;
        }
    };
    // A link inside the evidence folders is read as what it points to, any other is a gap
    // (`case::walk::look`). Looked up on both cores (a path lookup each), then taken in order.
    let looked: Vec<Entry> = entries
        .par_iter()
        .map(|path| walk::look(&seen.folders, path))
        .collect();
    for (path, entry) in entries.into_iter().zip(looked) {
        match entry {
            Entry::Found(m) if m.is_dir() => {
                if seen.dirs.insert(identity(&m)) {
                    walk(&path, seen);
                }
            }
            _ if path.file_name().is_some_and(|n| n == CASE_CONFIG_NAME) => {}
            Entry::Refused(r) => seen.found.push(Found::Gap(Gap {
                path: super::path_label(&path),
                index: None,
                kind: GapKind::Unreadable,
                reason: r.reason(),
            })),
            Entry::Found(m) => take_file(path, Some(&m), seen),
            Entry::Unknown => take_file(path, None, seen),
        }
    }
}

/// A directory's entries by name (every entry has the same parent, so this is the paths' own
/// order). An entry the listing could not give is a gap, not a silent hole: the listing may
/// have broken off there, so the directory may hold more than was read.
fn listed(
    dir: &Path,
    entries: impl Iterator<Item = std::io::Result<std::ffi::OsString>>,
    seen: &mut Seen,
) -> Vec<PathBuf> {
    let mut names = Vec::new();
    for entry in entries {
        match entry {
            Ok(name) => names.push(name),
            Err(e) => seen.found.push(Found::Gap(Gap {
                path: super::path_label(dir),
                index: None,
                kind: GapKind::Unreadable,
                reason: format!(
                    "listing the directory failed after {} entr{}: {e}; the entries listed are read, any others are not",
                    names.len(),
                    if names.len() == 1 { "y" } else { "ies" }
                ),
            })),
        }
    }
    names.sort_unstable();
    names.into_iter().map(|name| dir.join(name)).collect()
}

/// A regular file is taken once; anything else is a gap. Without metadata (no permission, or it
/// vanished) the file is taken, and reading it names the problem.
fn take_file(path: PathBuf, meta: Option<&Metadata>, seen: &mut Seen) {
    if let Some(meta) = meta {
        if !meta.is_file() {
            seen.found.push(Found::Gap(Gap {
                path: super::path_label(&path),
                index: None,
                kind: GapKind::Unreadable,
                reason: format!("not a regular file ({}): not read", walk::file_kind(meta)),
            }));
            return;
        }
        if !seen.files.insert(identity(meta)) {
            return;
        }
    }
    seen.found.push(Found::File(path, meta.map(Metadata::len)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// An entry the directory listing fails on is a named gap in the walk's order; the entries
    /// it did give are taken, in name order (they were dropped silently).
    #[test]
    fn an_entry_the_listing_fails_on_is_a_gap() {
        let mut seen = Seen::default();
        let entries = vec![
            Ok("b.json".into()),
            Err(std::io::Error::from_raw_os_error(5)),
            Ok("a.json".into()),
        ];
        let paths = listed(
            Path::new("/case/cloudtrail"),
            entries.into_iter(),
            &mut seen,
        );
        assert_eq!(
            paths,
            [
                PathBuf::from("/case/cloudtrail/a.json"),
                PathBuf::from("/case/cloudtrail/b.json")
            ]
        );
        let [Found::Gap(gap)] = seen.found.as_slice() else {
            panic!("one gap expected");
        };
        assert_eq!(gap.kind, GapKind::Unreadable);
        assert!(gap.path.ends_with("cloudtrail"), "{}", gap.path);
        assert!(
            gap.reason
                .starts_with("listing the directory failed after 1 entry: ")
                && gap.reason.contains("any others are not"),
            "{}",
            gap.reason
        );
    }

    /// Discovery notes each file's size and whether it starts as gzip does (the pre-pass's
    /// question), and the note is no part of a file's identity.
    #[test]
    fn each_file_is_listed_with_its_size_and_gzip_head() {
        let dir = tempfile::tempdir().unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(br#"{"Records":[]}"#).unwrap();
        let gz = gz.finish().unwrap();
        std::fs::write(dir.path().join("a.json.gz"), &gz).unwrap();
        std::fs::write(dir.path().join("b.json"), b"[]").unwrap();
        std::fs::write(dir.path().join("c"), b"").unwrap();
        let found = discover(&[dir.path().to_path_buf()]).unwrap();
        let heads: Vec<_> = found.files.iter().map(|f| f.head.0).collect();
        assert_eq!(
            heads,
            [
                Some((gz.len() as u64, true)),
                Some((2, false)),
                Some((0, false))
            ]
        );
        let same = InputFile::whole(found.files[0].path.clone());
        assert_eq!(same.head.0, None);
        assert_eq!(found.files[0], same);
    }
}
