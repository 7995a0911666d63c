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
}

/// `stored` inflated into a buffer of `size` bytes (its trailer's ISIZE; the caller bounds it)
/// when it is one gzip member whose CRC-32 is `crc` and nothing follows it; `None` otherwise.
pub fn inflate_whole(stored: &[u8], crc: u32, size: u32) -> Option<Vec<u8>> {
    let trailer = stored.len().checked_sub(8)?;
    let mut out = vec![0u8; size as usize];
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
