//! Files of a case that are never seen half-written: written under a temporary name, flushed,
//! renamed, the directory flushed; temporary names an interrupted run left are swept on open.
//! Plain `std::fs`; knows nothing of manifests or AWS.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Temporary files end with this; any left by an interrupted run are removed on open.
const PARTIAL: &str = ".trailcase-partial";

/// A temporary file being written (or left by an interrupted run), not part of the case.
pub(crate) fn is_partial(path: &Path) -> bool {
    path.as_os_str()
        .as_encoded_bytes()
        .ends_with(PARTIAL.as_bytes())
}

/// Write to a temporary name beside `path`, flush it to disk, then rename over it and flush the
/// directory, so that after a crash or Ctrl-C the name holds either nothing or every byte.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_file(path, bytes)?;
    match path.parent() {
        Some(dir) => sync_dir(dir),
        None => Ok(()),
    }
}

/// [`write_atomic`] without flushing the directory: the name holds nothing or every byte, but
/// the rename itself may be lost in a crash until [`sync_dir`] runs (the caller does it before
/// it records the file as acquired).
pub(super) fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = partial_name(path);
    {
        let mut f = create_new(&tmp)?;
        f.write_all(bytes)?;
        f.sync_data()?;
    }
    std::fs::rename(&tmp, path)
}

/// The temporary name of `path` while it is written.
pub(super) fn partial_name(path: &Path) -> PathBuf {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(PARTIAL);
    PathBuf::from(tmp)
}

/// A new file at `tmp`, never an existing one opened through a link: a leftover temporary name
/// (a file or a link) is removed first, the link itself and not what it points to.
pub(super) fn create_new(tmp: &Path) -> std::io::Result<std::fs::File> {
    let open = || {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(tmp)
    };
    match open() {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            std::fs::remove_file(tmp)?;
            open()
        }
        other => other,
    }
}

/// Flush a directory's entries (the renames into it) to disk.
pub(super) fn sync_dir(dir: &Path) -> std::io::Result<()> {
    // Directories can be opened and synced on Unix; elsewhere the rename is what we have.
    if cfg!(unix) {
        std::fs::File::open(dir)?.sync_all()
    } else {
        Ok(())
    }
}

/// Remove the temporary names under `dir`; links are never followed (a link to a folder
/// outside the case must not lead this into it), and a link with a temporary name is removed
/// as a link.
pub(super) fn remove_partials(dir: &Path) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.filter_map(Result::ok) {
        let Ok(kind) = e.file_type() else {
            continue;
        };
        let p = e.path();
        if kind.is_dir() {
            remove_partials(&p);
        } else if is_partial(&p) {
            let _ = std::fs::remove_file(p);
        }
    }
}
