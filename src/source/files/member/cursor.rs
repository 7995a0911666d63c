//! Forward-only inflating cursors into gzip-compressed tar archives. A member at offset `o` of
//! the inflated stream is reached from a cursor already at or before `o` (only the bytes between
//! are inflated), or, when there is none, from the start of the archive. Each archive keeps a
//! few cursors (one per reading thread, roughly), and only a few archives keep theirs at once,
//! so open files and memory stay bounded.

use super::super::gzip::read_within;
use super::super::LargeFile;
use flate2::bufread::MultiGzDecoder;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

/// Cursors kept per archive.
const PER_ARCHIVE: usize = 4;
/// Archives whose cursors are kept at once.
const ARCHIVES: usize = 4;

/// The inflated tar stream of one archive, and how far into it it is.
struct Cursor {
    tar: MultiGzDecoder<BufReader<File>>,
    at: u64,
}

type Pool = Arc<Mutex<Vec<Cursor>>>;

fn pools() -> &'static Mutex<BTreeMap<PathBuf, Pool>> {
    static POOLS: OnceLock<Mutex<BTreeMap<PathBuf, Pool>>> = OnceLock::new();
    POOLS.get_or_init(Default::default)
}

fn pool_of(archive: &Path) -> Pool {
    let mut all = pools().lock().unwrap_or_else(PoisonError::into_inner);
    if !all.contains_key(archive) && all.len() >= ARCHIVES {
        // Forget another archive's cursors (their files close when the last reader is done).
        if let Some(other) = all.keys().next().cloned() {
            all.remove(&other);
        }
    }
    all.entry(archive.to_path_buf()).or_default().clone()
}

/// The cursor furthest along that is not past `offset`, or a new one at the start.
fn take(pool: &Pool, archive: &Path, offset: u64) -> std::io::Result<Cursor> {
    let mut v = pool.lock().unwrap_or_else(PoisonError::into_inner);
    let best = (0..v.len())
        .filter(|&i| v[i].at <= offset)
        .max_by_key(|&i| v[i].at);
    match best {
        Some(i) => Ok(v.swap_remove(i)),
        None => {
            drop(v);
            Ok(Cursor {
                tar: MultiGzDecoder::new(BufReader::new(File::open(archive)?)),
                at: 0,
            })
        }
    }
}

fn give_back(pool: &Pool, cursor: Cursor) {
    let mut v = pool.lock().unwrap_or_else(PoisonError::into_inner);
    v.push(cursor);
    if v.len() > PER_ARCHIVE {
        // Keep the cursors furthest along: members are read roughly in stream order.
        if let Some(i) = (0..v.len()).min_by_key(|&i| v[i].at) {
            v.swap_remove(i);
        }
    }
}

/// Read `size` bytes at `offset` of the inflated stream of `archive` into `out`, at most `limit`
/// (see `read_within`).
pub fn read_at(
    archive: &Path,
    offset: u64,
    size: u64,
    limit: u64,
    hold: &mut Option<LargeFile>,
    out: &mut Vec<u8>,
) -> std::io::Result<()> {
    let pool = pool_of(archive);
    let mut cur = take(&pool, archive, offset)?;
    let want = offset - cur.at;
    let skipped = std::io::copy(&mut (&mut cur.tar).take(want), &mut std::io::sink())?;
    cur.at += skipped;
    if skipped < want {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    let before = out.len();
    let read = read_within(&mut (&mut cur.tar).take(size), limit, hold, out);
    cur.at += (out.len() - before) as u64;
    if read.is_ok() {
        give_back(&pool, cur);
    }
    read
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn tgz(members: &[(&str, Vec<u8>)]) -> (tempfile::TempDir, PathBuf, Vec<(u64, u64)>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.tgz");
        let mut tar = tar::Builder::new(Vec::new());
        for (name, data) in members {
            let mut h = tar::Header::new_gnu();
            h.set_size(data.len() as u64);
            h.set_mode(0o644);
            h.set_cksum();
            tar.append_data(&mut h, name, data.as_slice()).unwrap();
        }
        let raw = tar.into_inner().unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&raw).unwrap();
        std::fs::write(&path, gz.finish().unwrap()).unwrap();
        // Each member's data follows its 512-byte header; data is padded to 512 bytes.
        let mut at = 0;
        let mut offsets = Vec::new();
        for (_, data) in members {
            offsets.push((at + 512, data.len() as u64));
            at += 512 + (data.len() as u64).div_ceil(512) * 512;
        }
        (dir, path, offsets)
    }

    #[test]
    fn members_read_in_any_order_are_their_bytes() {
        let members: Vec<(String, Vec<u8>)> = (0..6)
            .map(|i| (format!("m{i}"), vec![b'a' + i as u8; 700 * (i + 1)]))
            .collect();
        let refs: Vec<(&str, Vec<u8>)> = members
            .iter()
            .map(|(n, d)| (n.as_str(), d.clone()))
            .collect();
        let (_dir, path, offsets) = tgz(&refs);
        // Forward, backward and repeated: each read gives the member's bytes.
        for i in [0usize, 1, 3, 2, 5, 0, 4, 4] {
            let (offset, size) = offsets[i];
            let mut out = Vec::new();
            read_at(&path, offset, size, size + 1, &mut None, &mut out).unwrap();
            assert_eq!(out, members[i].1, "member {i}");
        }
    }
}
