//! A gzip file that is exactly one member, inflated by libdeflate in one call: the fast path of
//! both reading evidence (`source::files`) and hashing a log file for its digest (`case`).
//! Pure: bytes in, bytes out; no other module of the crate.

use libdeflater::Decompressor;
use std::cell::RefCell;

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
    /// A buffer given back by [`recycle`]: the next file inflates into memory that is already
    /// resident and written (no page faults, and zeroed only where it grows).
    static SPARE: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// The largest buffer kept for reuse per thread.
const MAX_SPARE: usize = 16 << 20;

/// Give back a buffer [`inflate_whole`] returned (or any other) once its content is no longer
/// needed: the calling thread's next inflate reuses it.
pub fn recycle(buffer: Vec<u8>) {
    if buffer.capacity() <= MAX_SPARE {
        SPARE.with(|s| {
            let mut spare = s.borrow_mut();
            if buffer.capacity() > spare.capacity() {
                *spare = buffer;
            }
        });
    }
}

/// A buffer of `size` bytes: the spare one when there is one (its old bytes are overwritten by
/// the inflate, which must fill it), else a new zeroed one.
fn buffer(size: usize) -> Vec<u8> {
    let mut out = SPARE.with(|s| std::mem::take(&mut *s.borrow_mut()));
    out.truncate(size);
    out.resize(size, 0);
    out
}

/// `stored` inflated into a buffer of `size` bytes (its trailer's ISIZE; the caller bounds it)
/// when it is one gzip member whose CRC-32 is `crc` and nothing follows it; `None` otherwise.
pub fn inflate_whole(stored: &[u8], crc: u32, size: u32) -> Option<Vec<u8>> {
    let trailer = stored.len().checked_sub(8)?;
    let mut out = buffer(size as usize);
    // libdeflate inflates the first member and checks it against its own trailer (the CRC-32
    // of what it inflated, and ISIZE); it is the whole file only if it ends where the file ends.
    let inflated = INFLATER.with(|d| d.borrow_mut().gzip_decompress(stored, &mut out));
    let whole = inflated.is_ok_and(|n| n == out.len()) && ends_the_file(stored, &out, crc, trailer);
    if !whole {
        recycle(out);
        return None;
    }
    Some(out)
}

/// Whether the first member, which libdeflate inflated to `out` (as many bytes as the file's
/// last four state) and checked against its own trailer, ends where `stored` ends (its trailer
/// at `trailer`).
fn ends_the_file(stored: &[u8], out: &[u8], crc: u32, trailer: usize) -> bool {
    // The member's ISIZE field holds the same four bytes as the file's last four (both are
    // `out.len()`), and it lies within the file: if those bytes first occur at the end, the
    // field is there, and so is the member's end. No second CRC-32 of the inflated bytes, which
    // libdeflate already computed (nearly every file: four given bytes seldom occur by chance
    // in the compressed bytes before them).
    let isize_at = trailer + 4;
    if memchr::memmem::find(stored, &stored[isize_at..]) == Some(isize_at) {
        return true;
    }
    // Else the member's trailer equals the file's last 8 bytes (its CRC-32 is theirs): had it
    // ended earlier, those 8 bytes would also occur before the end.
    libdeflater::crc32(out) == crc
        && memchr::memmem::find(stored, &stored[trailer..]) == Some(trailer)
}

/// `bytes` as one gzip member (the unit tests' evidence).
#[cfg(test)]
pub(crate) fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inflate(stored: &[u8]) -> Option<Vec<u8>> {
        let (crc, size) = gzip_trailer(stored)?;
        inflate_whole(stored, crc, size)
    }

    /// A buffer given back, larger or smaller than the next file and full of other bytes,
    /// changes nothing in what the next file inflates to; a file that is not one whole member
    /// is still refused.
    #[test]
    fn a_recycled_buffer_gives_the_same_content() {
        let small = b"{\"Records\":[]}".repeat(10);
        let large = b"{\"eventName\":\"GetSecretValue\"}".repeat(5000);
        for (before, file) in [(&large, &small), (&small, &large), (&large, &large)] {
            recycle(vec![0xAB; before.len()]);
            assert_eq!(inflate(&gzip(file)).as_ref(), Some(file));
            let taken = inflate(&gzip(before)).unwrap();
            assert_eq!(&taken, before);
            recycle(taken);
        }
        recycle(vec![0xAB; large.len()]);
        let mut two = gzip(&small);
        two.extend(gzip(&small));
        assert_eq!(inflate(&two), None);
        let whole = gzip(&small);
        assert_eq!(inflate(&whole[..whole.len() - 3]), None);
        assert_eq!(inflate(&whole).as_ref(), Some(&small));
    }

    /// `bytes` as one gzip member of stored (uncompressed) blocks: its content is in the file
    /// as it is.
    fn gzip_stored(bytes: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::none());
        gz.write_all(bytes).unwrap();
        gz.finish().unwrap()
    }

    /// Whether a file is one whole member is decided exactly, whether the file's last four bytes
    /// (ISIZE) first occur at its end (no CRC-32 computed again) or earlier (the CRC-32 and the
    /// whole trailer decide): a member followed by anything is refused either way.
    #[test]
    fn one_member_and_nothing_after_it_is_decided_exactly() {
        let text = b"{\"Records\":[{\"eventName\":\"GetSecretValue\"}]}".repeat(50);
        // The same length as `text`, its ISIZE bytes inside: in a stored block they occur
        // before the trailer, so the CRC-32 decides.
        let size = (text.len() as u32).to_le_bytes();
        let mut early = text.clone();
        early[100..104].copy_from_slice(&size);
        let first_isize = |file: &[u8]| memchr::memmem::find(file, &size) == Some(file.len() - 4);
        assert!(first_isize(&gzip(&text)) && !first_isize(&gzip_stored(&early)));
        for content in [&text, &early] {
            for file in [gzip(content), gzip_stored(content)] {
                assert_eq!(inflate(&file).as_ref(), Some(content));
                // A second member, the same or another of the same length: not one member.
                let mut two = file.clone();
                two.extend(gzip(content));
                assert_eq!(inflate(&two), None);
                let other = if content == &text { &early } else { &text };
                let mut two = file.clone();
                two.extend(gzip_stored(other));
                assert_eq!(inflate(&two), None);
                // Bytes after the member that end with its ISIZE (another CRC before it), or
                // with its whole trailer again.
                let mut tail = file.clone();
                tail.extend([0, 1, 2, 3, 4, 5, 6, 7]);
                tail.extend(&size);
                tail.extend([9, 9, 9, 9]);
                tail.extend(&size);
                assert_eq!(inflate(&tail), None);
                let mut again = file.clone();
                again.extend(&file[file.len() - 8..]);
                assert_eq!(inflate(&again), None);
            }
        }
    }
}
