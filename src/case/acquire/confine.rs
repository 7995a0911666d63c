//! Every write of a case stays inside the case: a case-relative path must be plain (no `.`,
//! `..`, empty or absolute segment, no temporary name), and no symbolic link may stand anywhere
//! between the case root and the file (`case/cloudtrail -> ../elsewhere` would otherwise send
//! the evidence elsewhere). The case root itself may be a link: the user named it.
//!
//! Plain `std::fs`; knows nothing of manifests or AWS.

use std::io;
use std::path::{Path, PathBuf};

/// Why a path cannot be written to.
fn refused(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, message)
}

/// `rel` if every `/`-separated segment is a plain name (so that `a/./b`, `a//b` and `a/b`
/// are never taken for one another) and it is not `reserved` or a temporary name.
pub(crate) fn plain_rel<'a>(rel: &'a str, reserved: &str) -> io::Result<&'a str> {
    let plain = !rel.is_empty()
        && rel != reserved
        && !super::atomic::is_partial(Path::new(rel))
        && rel
            .split('/')
            .all(|s| !s.is_empty() && s != "." && s != ".." && !s.contains(['\\', '\0']));
    if plain {
        Ok(rel)
    } else {
        Err(refused(format!("{rel:?} is not a path inside the case")))
    }
}

/// Create the folders of `root/rel` one by one, refusing any that is a symbolic link (or not
/// a folder), and return the full path, which must not be a link either.
pub(crate) fn prepare(root: &Path, rel: &str) -> io::Result<PathBuf> {
    let mut at = root.to_path_buf();
    let mut segments = rel.split('/').peekable();
    while let Some(segment) = segments.next() {
        at.push(segment);
        let last = segments.peek().is_none();
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(refused(format!(
                    "{} is a symbolic link: nothing is written through a link in a case",
                    at.display()
                )))
            }
            Ok(m) if !last && !m.is_dir() => {
                return Err(refused(format!("{} is not a folder", at.display())))
            }
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound && !last => {
                match std::fs::create_dir(&at) {
                    Ok(()) => {}
                    // Another task made it first: check it again as it is now.
                    Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                        let m = std::fs::symlink_metadata(&at)?;
                        if !m.is_dir() {
                            return Err(refused(format!("{} is not a folder", at.display())));
                        }
                    }
                    Err(e) => return Err(e),
                }
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    Ok(at)
}

/// The first symbolic link found inside `root` (not following any), in name order.
pub(crate) fn find_link(root: &Path) -> io::Result<Option<PathBuf>> {
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&dir)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(std::fs::DirEntry::file_name);
        for e in entries.iter().rev() {
            let kind = e.file_type()?;
            if kind.is_symlink() {
                return Ok(Some(e.path()));
            }
            if kind.is_dir() {
                pending.push(e.path());
            }
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_paths() {
        assert!(plain_rel("cloudtrail/AWSLogs/x.json.gz", "manifest.json").is_ok());
        for bad in [
            "",
            "manifest.json",
            "a/./b",
            "a//b",
            "a/../b",
            "/a",
            "a/",
            "./a",
            "a.trailcase-partial",
        ] {
            assert!(plain_rel(bad, "manifest.json").is_err(), "{bad:?}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn links_are_refused_and_found() {
        let case = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), case.path().join("cloudtrail")).unwrap();
        let e = prepare(case.path(), "cloudtrail/a/b.json").unwrap_err();
        assert!(e.to_string().contains("symbolic link"), "{e}");
        assert!(std::fs::read_dir(elsewhere.path())
            .unwrap()
            .next()
            .is_none());
        assert_eq!(
            find_link(case.path()).unwrap(),
            Some(case.path().join("cloudtrail"))
        );
        let p = prepare(case.path(), "logs/x/y.json").unwrap();
        assert_eq!(p, case.path().join("logs/x/y.json"));
        assert!(case.path().join("logs/x").is_dir());
    }
}
