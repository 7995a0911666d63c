//! The first bytes a gzip file inflates to, as discovery needs them to recognise a
//! `.tar.gz` by its content: the header read by hand and one inflater per thread, reset for
//! each file, instead of a new gzip reader (its state and window) for each of thousands of
//! files. What it gives is what flate2's gzip reader gives for the same bytes (the tests).

/// The first bytes of the gzip member at the start of `gz` (which may be only its first few
/// kilobytes), into `out`, and how many: as many as fit, or fewer where the member, `gz` or
/// the valid data ends; none when the header is not whole or not valid.
pub(super) fn inflate_head(gz: &[u8], out: &mut [u8]) -> usize {
    gzip_body(gz).map_or(0, |at| inflate_raw(&gz[at..], out))
}

/// Where the deflate data of the gzip member at the start of `gz` begins, its header read as
/// RFC 1952 (and flate2) has it: deflate method, no reserved flag, the optional extra field,
/// name and comment, and the header's CRC-16 checked when it has one. `None` when the header
/// is not whole in `gz` or not valid.
fn gzip_body(gz: &[u8]) -> Option<usize> {
    const FHCRC: u8 = 1 << 1;
    const FEXTRA: u8 = 1 << 2;
    const FNAME: u8 = 1 << 3;
    const FCOMMENT: u8 = 1 << 4;
    const FRESERVED: u8 = 0xe0;
    let flags = *gz.get(3)?;
    if gz.len() < 10 || gz[..3] != [0x1f, 0x8b, 8] || flags & FRESERVED != 0 {
        return None;
    }
    let mut at = 10;
    if flags & FEXTRA != 0 {
        let xlen = u16::from_le_bytes(gz.get(at..at + 2)?.try_into().ok()?);
        at += 2 + usize::from(xlen);
    }
    for field in [FNAME, FCOMMENT] {
        if flags & field != 0 {
            at += memchr::memchr(0, gz.get(at..)?)? + 1;
        }
    }
    if flags & FHCRC != 0 {
        let stored = u16::from_le_bytes(gz.get(at..at + 2)?.try_into().ok()?);
        let mut crc = flate2::Crc::new();
        crc.update(&gz[..at]);
        if crc.sum() as u16 != stored {
            return None;
        }
        at += 2;
    }
    (at <= gz.len()).then_some(at)
}

/// The first bytes the raw deflate data `deflated` inflates to, into `out`, and how many: all
/// that fit, or as many as come before its end, its input's end or an error. One inflater per
/// thread, reset for each use: discovery asks this of every gzip file, and a new inflater's
/// state and window cost more than the few bytes inflated.
fn inflate_raw(deflated: &[u8], out: &mut [u8]) -> usize {
    thread_local! {
        static INFLATER: std::cell::RefCell<flate2::Decompress> =
            std::cell::RefCell::new(flate2::Decompress::new(false));
    }
    INFLATER.with_borrow_mut(|d| {
        d.reset(false);
        let (mut read, mut written) = (0, 0);
        while written < out.len() {
            let before = (d.total_in(), d.total_out());
            let status = d.decompress(
                &deflated[read..],
                &mut out[written..],
                flate2::FlushDecompress::None,
            );
            read = d.total_in() as usize;
            written = d.total_out() as usize;
            match status {
                Ok(flate2::Status::Ok) if (d.total_in(), d.total_out()) != before => {}
                _ => break,
            }
        }
        written
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::files::archive::{archive_kind, ArchiveKind};
    use std::io::Read;

    /// The first 512 bytes flate2's gzip reader gives for `head` (what discovery asked before
    /// it parsed the header itself and kept one inflater per thread).
    fn by_flate2(head: &[u8]) -> Vec<u8> {
        let mut inflated = Vec::new();
        let _ = flate2::bufread::GzDecoder::new(head)
            .take(512)
            .read_to_end(&mut inflated);
        inflated
    }

    fn by_discovery(head: &[u8]) -> Vec<u8> {
        let mut out = [0u8; 512];
        let n = inflate_head(head, &mut out);
        out[..n].to_vec()
    }

    /// A gzip member of `content` with the header fields of `flags` (FHCRC, FEXTRA, FNAME,
    /// FCOMMENT as RFC 1952 numbers them), its header CRC right or wrong.
    fn member(content: &[u8], flags: u8, right_crc: bool) -> Vec<u8> {
        let mut out = vec![0x1f, 0x8b, 8, flags, 1, 2, 3, 4, 0, 3];
        if flags & 4 != 0 {
            out.extend([5, 0, b'x', b'y', 0, b'z', 0]);
        }
        if flags & 8 != 0 {
            out.extend(b"name.tar\0");
        }
        if flags & 16 != 0 {
            out.extend(b"a comment\0");
        }
        if flags & 2 != 0 {
            let mut crc = flate2::Crc::new();
            crc.update(&out);
            let sum = crc.sum() as u16 ^ u16::from(!right_crc);
            out.extend(sum.to_le_bytes());
        }
        let mut deflate = flate2::write::DeflateEncoder::new(out, flate2::Compression::default());
        std::io::Write::write_all(&mut deflate, content).unwrap();
        let mut out = deflate.finish().unwrap();
        let mut crc = flate2::Crc::new();
        crc.update(content);
        out.extend(crc.sum().to_le_bytes());
        out.extend((content.len() as u32).to_le_bytes());
        out
    }

    /// Discovery's own header reading and reused inflater give the bytes flate2's gzip reader
    /// gives: every combination of header fields, a wrong header CRC, reserved flags, another
    /// method, members shorter and longer than what is inflated, and every truncation of the
    /// head; and the archive kind follows (a tar's `ustar` at 257 behind any header).
    #[test]
    fn the_gzip_head_is_inflated_as_flate2_inflates_it() {
        let mut tar = vec![0u8; 1024];
        tar[..8].copy_from_slice(b"file.txt");
        tar[257..262].copy_from_slice(b"ustar");
        let json = br#"{"Records":[{"eventName":"GetSecretValue"}]}"#.repeat(40);
        let contents: [&[u8]; 4] = [&tar, &json, b"", &tar[..300]];
        let mut cases = 0;
        for content in contents {
            for flags in 0..32u8 {
                for right_crc in [true, false] {
                    let gz = member(content, flags, right_crc);
                    for cut in (0..=gz.len()).step_by(3).chain([gz.len()]) {
                        let head = &gz[..cut];
                        assert_eq!(
                            by_discovery(head),
                            by_flate2(head),
                            "flags {flags} cut {cut}"
                        );
                        cases += 1;
                    }
                    let tar_gz = content.len() >= 262 && &content[257..262] == b"ustar";
                    let valid = right_crc || flags & 2 == 0;
                    assert_eq!(
                        archive_kind(&gz) == Some(ArchiveKind::TarGz),
                        tar_gz && valid,
                        "flags {flags}"
                    );
                }
            }
        }
        // Another compression method, and reserved flags: not gzip to either.
        for (at, byte) in [(2, 7u8), (3, 0x20), (3, 0x80)] {
            let mut gz = member(&tar, 0, true);
            gz[at] = byte;
            assert_eq!(by_discovery(&gz), by_flate2(&gz));
            assert!(by_discovery(&gz).is_empty());
        }
        assert!(cases > 5_000);
    }
}
