//! Evidence on disk, entry by entry: the one rule every walk of an evidence folder applies to what
//! it meets (`source::files::discover` for `timeline`, `report` and `rules replay`; [`list`] for
//! `verify` and the report's integrity section).
//!
//! A symbolic link is followed only when its target, fully resolved, lies inside an evidence
//! folder given on the command line (canonical): a link planted to point outside (at
//! `~/.aws/credentials`, say) is never opened, hashed or listed as an input, only named; a link
//! that does not resolve (dangling, a loop) is named too. A FIFO, socket or device is never
//! opened (the callers refuse what is not a regular file or a directory). Reads metadata only.
//! Depends on nothing else of the crate.

use std::collections::{BTreeMap, HashSet};
use std::fs::Metadata;
use std::io;
use std::path::{Path, PathBuf};

/// The evidence folders of a run, canonical: where a link may lead.
#[derive(Debug, Clone, Default)]
pub struct Folders(Vec<PathBuf>);

impl Folders {
    /// The canonical paths of those of `roots` that are directories. A file named on the
    /// command line is read as named; it holds no entries.
    pub fn of(roots: &[PathBuf]) -> Folders {
        Folders(
            roots
                .iter()
                .filter_map(|r| r.canonicalize().ok())
                .filter(|r| r.is_dir())
                .collect(),
        )
    }

    /// Whether the canonical path `target` lies in one of the folders.
    fn hold(&self, target: &Path) -> bool {
        self.0.iter().any(|f| target.starts_with(f))
    }
}

/// What one entry met by a walk is.
#[derive(Debug)]
pub enum Entry {
    /// The entry as it is (for a link that stays inside, its target): a directory, a regular file
    /// or a special file.
    Found(Metadata),
    /// Not to be read, and why.
    Refused(Refusal),
    /// Its metadata could not be read (it vanished, or no permission): reading it names the
    /// problem.
    Unknown,
}

/// Why an entry is not read.
#[derive(Debug)]
pub enum Refusal {
    /// A link whose resolved target lies outside every evidence folder.
    Outside { target: PathBuf, dir: bool },
    /// A link that does not resolve: its target does not exist, or links loop.
    Unresolved(io::Error),
}

impl Refusal {
    /// The reason as a gap or an integrity problem states it. Names the link's target, never
    /// anything of its content.
    pub fn reason(&self) -> String {
        match self {
            Refusal::Outside { target, dir } => format!(
                "a symbolic link that points outside the evidence folder (to {}): not read; copy the {} into the folder to examine it",
                path_label(target),
                if *dir { "directory" } else { "file" }
            ),
            Refusal::Unresolved(e) if e.kind() == io::ErrorKind::NotFound => {
                "a symbolic link whose target does not exist: not read".into()
            }
            Refusal::Unresolved(e) => format!("a symbolic link that does not resolve ({e}): not read"),
        }
    }
}

/// What the entry at `path` is. A link is resolved in full (every link on the way) and followed
/// only when its target lies in `folders`.
pub fn look(folders: &Folders, path: &Path) -> Entry {
    let Ok(own) = std::fs::symlink_metadata(path) else {
        return Entry::Unknown;
    };
    if !own.file_type().is_symlink() {
        return Entry::Found(own);
    }
    let target = match path.canonicalize() {
        Ok(t) => t,
        Err(e) => return Entry::Refused(Refusal::Unresolved(e)),
    };
    match std::fs::metadata(&target) {
        Ok(m) if folders.hold(&target) => Entry::Found(m),
        Ok(m) => Entry::Refused(Refusal::Outside {
            target,
            dir: m.is_dir(),
        }),
        Err(_) if folders.hold(&target) => Entry::Unknown,
        Err(_) => Entry::Refused(Refusal::Outside { target, dir: false }),
    }
}

/// Whether `path` is a regular file that may be read: its canonical path (every link and `..`
/// on the way resolved, not only the last) lies in `folders`. For a path built from a name
/// (`athena/selection.json`, a path a report states) rather than met by a walk.
pub fn readable_file(folders: &Folders, path: &Path) -> bool {
    path.canonicalize()
        .is_ok_and(|t| folders.hold(&t) && t.is_file())
}

/// What [`list`] found under a folder.
#[derive(Debug, Default)]
pub struct Listed {
    /// Every regular file, by its key (the prefix and its `/`-separated path below the folder).
    pub files: BTreeMap<String, PathBuf>,
    /// Entries not read, by key, with the reason: links out of the folders or that do not
    /// resolve, and special files (FIFO, socket, device).
    pub refused: BTreeMap<String, String>,
}

/// A directory of the walk could not be listed: nothing under it is known.
#[derive(Debug, thiserror::Error)]
#[error("cannot list {}", path.display())]
pub struct ListError {
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

/// The regular files under `root`, keyed by `prefix` joined with their `/`-separated path below
/// it, walked by [`look`]'s rule (nothing when `root` itself lies outside `folders`). A directory is entered once however many links lead to it, so
/// a loop ends. Fails when a directory cannot be listed, naming it.
pub fn list(folders: &Folders, root: &Path, prefix: &str) -> Result<Listed, ListError> {
    let mut out = Listed::default();
    // A root that is itself a link out of the folders (`cloudtrail/` planted as one) holds
    // nothing here: the walk of the folder it is in names it.
    if !root.canonicalize().is_ok_and(|r| folders.hold(&r)) {
        return Ok(out);
    }
    let mut dirs = HashSet::new();
    if let Ok(m) = std::fs::metadata(root) {
        dirs.insert(identity(&m));
    }
    let mut pending = vec![(root.to_path_buf(), prefix.to_owned())];
    while let Some((dir, prefix)) = pending.pop() {
        let mut entries = std::fs::read_dir(&dir)
            .and_then(|rd| rd.collect::<Result<Vec<_>, _>>())
            .map_err(|source| ListError {
                path: dir.clone(),
                source,
            })?;
        // In name order, so that which of two paths to one directory is walked is the same on
        // every run.
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let path = entry.path();
            let key = format!("{prefix}{}", entry.file_name().to_string_lossy());
            match look(folders, &path) {
                Entry::Found(m) if m.is_dir() => {
                    if dirs.insert(identity(&m)) {
                        pending.push((path, format!("{key}/")));
                    }
                }
                Entry::Found(m) if m.is_file() => {
                    out.files.insert(key, path);
                }
                Entry::Found(m) => {
                    out.refused.insert(
                        key,
                        format!("not a regular file ({}): not read", file_kind(&m)),
                    );
                }
                Entry::Refused(r) => {
                    out.refused.insert(key, r.reason());
                }
                Entry::Unknown => {
                    out.refused
                        .insert(key, "its metadata cannot be read: not read".into());
                }
            }
        }
    }
    Ok(out)
}

/// What a file that is not a regular file is, in words.
pub fn file_kind(meta: &Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
    }
    if meta.is_dir() {
        "a directory"
    } else {
        "a special file"
    }
}

/// Device and inode: one identity for every path to a file.
#[cfg(unix)]
pub fn identity(meta: &Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

/// Without inodes, every path is its own file (loops are then bounded by the path length).
#[cfg(not(unix))]
pub fn identity(_: &Metadata) -> (u64, u64) {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    (0, NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
}

/// A path as outputs name it: its text, with each byte of the name that is not UTF-8 written
/// `\xHH` (where `Path::display` would write U+FFFD, and the file could not be found by the
/// name printed).
pub fn path_label(path: &Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::new();
        for chunk in path.as_os_str().as_bytes().utf8_chunks() {
            out.push_str(chunk.valid());
            for b in chunk.invalid() {
                out.push_str(&format!("\\x{b:02X}"));
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        path.display().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    /// The rule is the resolved target's place, not the link's text: a link whose chain passes
    /// outside and comes back in is read; one written relative inside that resolves outside is
    /// not; a link to a folder outside names it a directory.
    #[test]
    fn a_link_is_judged_by_where_it_resolves() {
        let tmp = tempfile::tempdir().unwrap();
        let (case, out) = (tmp.path().join("case"), tmp.path().join("out"));
        std::fs::create_dir_all(case.join("sub")).unwrap();
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(case.join("a.json"), "[]").unwrap();
        std::fs::write(out.join("b.json"), "[]").unwrap();
        symlink(case.join("a.json"), out.join("back.json")).unwrap();
        symlink("../out/back.json", case.join("via-out.json")).unwrap();
        symlink("../../out/b.json", case.join("sub/escape.json")).unwrap();
        symlink("../out", case.join("tree")).unwrap();
        let folders = Folders::of(std::slice::from_ref(&case));
        assert!(readable_file(&folders, &case.join("via-out.json")));
        let reason = |path: &Path| match look(&folders, path) {
            Entry::Refused(r) => r.reason(),
            other => panic!("{}: {other:?}", path.display()),
        };
        let out = out.canonicalize().unwrap();
        assert!(reason(&case.join("sub/escape.json")).starts_with(&format!(
            "a symbolic link that points outside the evidence folder (to {}): not read; copy the file ",
            out.join("b.json").display()
        )));
        assert!(reason(&case.join("tree"))
            .ends_with("copy the directory into the folder to examine it"));
        // Given as a folder too, the outside one holds the links' targets.
        let both = Folders::of(&[case.clone(), out]);
        assert!(readable_file(&both, &case.join("sub/escape.json")));
    }
}
