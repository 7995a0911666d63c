//! Hashing what was read and inflating gzip within the cap: one member fast (libdeflate), any
//! number of members streamed. Every buffer is sized within the cap before it is allocated, and
//! a file held past [`SMALL`] bytes takes the shared [`LargeFile`] token (see `budget.rs`).
//!
//! A file named as a delivered CloudTrail trail file is one gzip member (aws-cli refuses one
//! with anything after its first member): what follows is not read as evidence, it is described.

use super::budget::{LargeFile, SMALL};
use super::ReadInput;
use crate::gzip_member::{gzip_trailer, inflate_whole};
use crate::model::GapKind;
use sha2::{Digest, Sha256};
use std::io::Read;

/// What followed the first gzip member of a file named as a CloudTrail trail file.
#[derive(Debug, Default)]
pub struct Appended {
    /// Stored bytes after the first member.
    pub bytes: u64,
    /// Whole gzip members among them (0: the bytes are not gzip).
    pub members: u32,
    /// Their inflated content, within the cap: only to count what they hold, never evidence.
    pub content: Vec<u8>,
}

/// Hash and inflate bytes already in memory (a file, or an object fetched from S3), reading
/// every gzip member.
pub fn decode(stored: Vec<u8>, max_inflated: u64) -> ReadInput {
    decode_input(stored, max_inflated, "")
}

/// [`decode`], for a file called `name`: a CloudTrail trail file's first gzip member only.
pub fn decode_input(stored: Vec<u8>, max_inflated: u64, name: &str) -> ReadInput {
    let sha256 = hex::encode(Sha256::digest(&stored));
    let size = stored.len() as u64;
    let mut hold = (size > SMALL).then(LargeFile::take);
    let mut read = ReadInput {
        sha256,
        size,
        content: Vec::new(),
        problems: Vec::new(),
        appended: None,
        hold: None,
    };
    if !stored.starts_with(&[0x1f, 0x8b]) {
        read.content = stored;
        read.hold = hold;
        return read;
    }
    if let Some(content) = inflate_single_member(&stored, max_inflated, &mut hold) {
        read.content = content;
    } else if let Some((content, appended)) = is_trail_file_name(name)
        .then(|| first_member(&stored, max_inflated, &mut hold))
        .flatten()
    {
        read.content = content;
        read.appended = appended;
    } else {
        (read.content, read.problems) = inflate_stream(&stored, max_inflated, &mut hold);
    }
    read.hold = hold;
    read
}

/// `<account>_CloudTrail_<region>_<yyyymmddThhmmZ>_<unique>.json.gz`, the name CloudTrail gives
/// the log files it delivers (digest files are `_CloudTrail-Digest_`, and not matched).
pub fn is_trail_file_name(name: &str) -> bool {
    // CloudTrail's names are ASCII; the fixed offsets below must not split a character.
    let Some(stem) = name.strip_suffix(".json.gz").filter(|s| s.is_ascii()) else {
        return false;
    };
    let parts: Vec<&str> = stem.split('_').collect();
    let [account, "CloudTrail", region, time, unique] = parts.as_slice() else {
        return false;
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    account.len() == 12
        && digits(account)
        && !region.is_empty()
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && time.len() == 14
        && digits(&time[..8])
        && &time[8..9] == "T"
        && digits(&time[9..13])
        && time.ends_with('Z')
        && !unique.is_empty()
        && unique.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// The first member, inflated whole within the cap, and what follows it; `None` when the
/// first member itself does not inflate cleanly ([`inflate_stream`] then names the problem).
fn first_member(
    stored: &[u8],
    max_inflated: u64,
    hold: &mut Option<LargeFile>,
) -> Option<(Vec<u8>, Option<Appended>)> {
    let mut member = flate2::bufread::GzDecoder::new(stored);
    let mut content = Vec::new();
    read_within(
        &mut member,
        max_inflated.saturating_add(1),
        hold,
        &mut content,
    )
    .ok()?;
    if content.len() as u64 > max_inflated {
        return None;
    }
    let rest = member.into_inner();
    Some((content, appended_after(rest, max_inflated, hold)))
}

/// What follows a trail file's first member (`None` when nothing does): counted, inflated
/// within the cap to count its records, not read as evidence.
pub fn appended_after(
    mut rest: &[u8],
    max_inflated: u64,
    hold: &mut Option<LargeFile>,
) -> Option<Appended> {
    if rest.is_empty() {
        return None;
    }
    let mut appended = Appended {
        bytes: rest.len() as u64,
        ..Appended::default()
    };
    while rest.starts_with(&[0x1f, 0x8b]) {
        let mut member = flate2::bufread::GzDecoder::new(rest);
        let room = max_inflated.saturating_sub(appended.content.len() as u64);
        let mut out = Vec::new();
        let ok = read_within(&mut member, room, hold, &mut out).is_ok();
        appended.content.extend(out);
        if !ok {
            break;
        }
        appended.members += 1;
        rest = member.into_inner();
    }
    Some(appended)
}

/// Reads at most `limit` bytes into `out` (empty), taking the [`LargeFile`] token before
/// holding more than [`SMALL`]. On an error, `out` keeps what was read before it.
pub(super) fn read_within(
    reader: &mut impl Read,
    limit: u64,
    hold: &mut Option<LargeFile>,
    out: &mut Vec<u8>,
) -> std::io::Result<()> {
    let first = limit.min(SMALL);
    reader.by_ref().take(first).read_to_end(out)?;
    if (out.len() as u64) < first || first == limit {
        return Ok(());
    }
    hold.get_or_insert_with(LargeFile::take);
    reader.take(limit - first).read_to_end(out)?;
    Ok(())
}

/// The common case, fast: one gzip member, inflated by libdeflate in one call into a buffer of
/// exactly the size its trailer states (ISIZE), within the cap. `None` when the file is anything
/// else (several members, truncated, corrupt, past the cap, over 4 GiB): [`inflate_stream`]
/// then reads it and names the problem.
fn inflate_single_member(
    stored: &[u8],
    max_inflated: u64,
    hold: &mut Option<LargeFile>,
) -> Option<Vec<u8>> {
    let (crc, isize) = gzip_trailer(stored)?;
    if u64::from(isize) > max_inflated {
        return None;
    }
    if u64::from(isize) > SMALL {
        hold.get_or_insert_with(LargeFile::take);
    }
    inflate_whole(stored, crc, isize)
}

/// Inflate any number of gzip members up to `max_inflated` bytes, keeping what inflated before
/// a problem and naming the problem.
fn inflate_stream(
    stored: &[u8],
    max_inflated: u64,
    hold: &mut Option<LargeFile>,
) -> (Vec<u8>, Vec<(GapKind, String)>) {
    let guess = (stored.len() as u64)
        .saturating_mul(8)
        .min(max_inflated)
        .min(SMALL);
    let mut content = Vec::with_capacity(usize::try_from(guess).unwrap_or(0));
    let mut problems = Vec::new();
    let mut reader = flate2::read::MultiGzDecoder::new(stored);
    match read_within(
        &mut reader,
        max_inflated.saturating_add(1),
        hold,
        &mut content,
    ) {
        Ok(_) if content.len() as u64 > max_inflated => {
            content.truncate(usize::try_from(max_inflated).unwrap_or(usize::MAX));
            problems.push((
                GapKind::DecompressedTooLarge,
                format!(
                    "gzip inflates past the {max_inflated}-byte cap (possible gzip bomb); only the first {max_inflated} bytes were read (raise --max-inflated to read it all)"
                ),
            ));
        }
        Ok(_) => {}
        Err(e) => problems.push(stream_problem(stored, max_inflated, content.len(), &e)),
    }
    (content, problems)
}

/// The gap for a gzip stream the reader failed on after `inflated` bytes.
fn stream_problem(
    stored: &[u8],
    max_inflated: u64,
    inflated: usize,
    e: &std::io::Error,
) -> (GapKind, String) {
    let reason = if let Some((members, rest)) = members_then_other(stored, max_inflated) {
        // Whole members, then bytes that are not gzip (padding, garbage, an appended plain
        // file): every member was read, only what follows is not. Not "truncated".
        format!(
            "the gzip stream is whole ({members} member{}, {inflated} inflated bytes, all read), but the {rest} bytes after it are not gzip: they are not read",
            if members == 1 { "" } else { "s" },
        )
    } else if e.kind() == std::io::ErrorKind::UnexpectedEof {
        format!("gzip stream is truncated after {inflated} inflated bytes")
    } else {
        format!("gzip stream is corrupt: {e}")
    };
    (GapKind::TruncatedGzip, reason)
}

/// When `stored` is whole gzip members followed by bytes that do not start another: how many
/// members, and how many bytes follow them. Inflates again (to nothing, at most `max_inflated`
/// bytes): only after the stream reader failed.
fn members_then_other(stored: &[u8], max_inflated: u64) -> Option<(u32, usize)> {
    let (mut rest, mut members, mut room) = (stored, 0u32, max_inflated);
    while rest.starts_with(&[0x1f, 0x8b]) {
        let mut member = flate2::bufread::GzDecoder::new(rest);
        let n = std::io::copy(
            &mut (&mut member).take(room.saturating_add(1)),
            &mut std::io::sink(),
        )
        .ok()?;
        room = room.checked_sub(n)?;
        members += 1;
        rest = member.into_inner();
    }
    (members > 0 && !rest.is_empty()).then_some((members, rest.len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A crafted name with a multi-byte character where the time's digits are is no trail
    /// file's name (it crashed the run: the digits were sliced at fixed byte offsets).
    #[test]
    fn a_name_not_in_ascii_is_no_trail_file_name() {
        assert!(is_trail_file_name(
            "123456789012_CloudTrail_us-east-1_20261120T1407Z_4Rcw3da4KgGTTbiU.json.gz"
        ));
        for name in [
            "123456789012_CloudTrail_us-east-1_2026112éT140Z_abc.json.gz",
            "123456789012_CloudTrail_us-east-1_20261120Té40Z_abc.json.gz",
            "123456789012_CloudTrail_us-east-1_20261120T140éZ_abc.json.gz",
            "123456789012_CloudTrail_us-east-1_20261120T1407Z_abç.json.gz",
        ] {
            assert!(!is_trail_file_name(name), "{name}");
        }
    }

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(data).unwrap();
        enc.finish().unwrap()
    }

    #[test]
    fn truncated_gzip_keeps_what_inflated() {
        let data = br#"{"Records":[{"eventTime":"2026-01-01T00:00:00Z"}]}"#.repeat(50);
        let gz = gzip(&data);
        let cut = gz[..gz.len() / 2].to_vec();
        let r = decode(cut, 1 << 20);
        assert_eq!(r.problems[0].0, GapKind::TruncatedGzip);
        assert!(!r.content.is_empty() && r.content.len() < data.len());
    }

    /// Bytes after the last member that are not gzip (`cat a.gz notes.txt`, zero padding): the
    /// members are read whole and the gap says so; it said "truncated".
    #[test]
    fn bytes_after_whole_members_are_not_called_truncation() {
        let one = gzip(br#"{"Records":[]}"#);
        for (stored, members, rest) in [
            ([one.clone(), b"garbage!".to_vec()].concat(), 1, 8),
            ([one.clone(), vec![0; 4096]].concat(), 1, 4096),
            (
                [one.clone(), one.clone(), b"{\"Records\":[]}".to_vec()].concat(),
                2,
                14,
            ),
        ] {
            let r = decode(stored, 1 << 20);
            assert_eq!(r.content, br#"{"Records":[]}"#.repeat(members));
            assert_eq!(
                r.problems,
                [(
                    GapKind::TruncatedGzip,
                    format!(
                        "the gzip stream is whole ({members} member{}, {} inflated bytes, all read), but the {rest} bytes after it are not gzip: they are not read",
                        if members == 1 { "" } else { "s" },
                        14 * members
                    )
                )]
            );
        }
        // A member cut short is still truncation.
        let cut = [one.clone(), one[..one.len() - 3].to_vec()].concat();
        assert!(decode(cut, 1 << 20).problems[0]
            .1
            .starts_with("gzip stream is truncated"));
    }

    #[test]
    fn bomb_is_capped() {
        let gz = gzip(&vec![b' '; 1 << 20]);
        let r = decode(gz, 4096);
        assert_eq!(r.problems[0].0, GapKind::DecompressedTooLarge);
        assert_eq!(r.content.len(), 4096);
    }

    /// Every way a gzip file can differ from one plain member: the fast path must either give
    /// what the streaming inflater gives or leave the file to it.
    #[test]
    fn the_single_member_path_agrees_with_the_stream() {
        let data = br#"{"Records":[{"eventTime":"2026-01-01T00:00:00Z"}]}"#.repeat(500);
        let one = gzip(&data);
        let other = gzip(b"{}");
        let mut cases = vec![
            one.clone(),
            [one.clone(), one.clone()].concat(),
            [other.clone(), one.clone()].concat(),
            [one.clone(), other.clone()].concat(),
            [one.clone(), b"trailing".to_vec()].concat(),
            one[..one.len() - 1].to_vec(),
            one[..one.len() / 2].to_vec(),
            gzip(b""),
            other.clone(),
            one[..18].to_vec(),
        ];
        let mut lying = one.clone();
        let n = lying.len();
        lying[n - 4..].copy_from_slice(&10u32.to_le_bytes());
        cases.push(lying);
        let mut corrupt = one.clone();
        corrupt[n / 2] ^= 0xff;
        cases.push(corrupt);
        for (i, gz) in cases.iter().enumerate() {
            for cap in [1 << 20, 4096, 2] {
                let r = decode(gz.clone(), cap);
                let (content, problems) = inflate_stream(gz, cap, &mut None);
                assert_eq!(r.content, content, "case {i}, cap {cap}");
                assert_eq!(r.problems, problems, "case {i}, cap {cap}");
            }
        }
        assert!(inflate_single_member(&one, 1 << 20, &mut None).is_some());
        assert!(inflate_single_member(&cases[1], 1 << 20, &mut None).is_none());
        assert_eq!(decode(cases[1].clone(), 1 << 20).content, data.repeat(2));
    }

    #[test]
    fn hash_is_of_the_stored_bytes() {
        let gz = gzip(b"{}");
        let r = decode(gz.clone(), 100);
        assert_eq!(r.sha256, hex::encode(Sha256::digest(&gz)));
        assert_eq!(r.content, b"{}");
    }

    /// Eight small gzip bombs took 2.1 GB with 2 threads and 8.4 GB with 8: each thread held
    /// its own cap. A file held past `SMALL` now holds the one shared token while it lives.
    #[test]
    fn parallel_gzip_bombs_share_one_large_file_token() {
        let bomb = gzip(&vec![b' '; (SMALL + (1 << 20)) as usize]);
        let small = decode(gzip(b"{}"), 1 << 30);
        assert!(small.hold.is_none(), "a small file takes no token");
        let read = decode(bomb.clone(), 1 << 30);
        assert!(read.hold.is_some() && read.content.len() as u64 > SMALL);
        let elsewhere = std::thread::spawn(|| LargeFile::try_take().is_some());
        assert!(
            !elsewhere.join().unwrap(),
            "no other thread may hold a large file now"
        );
        // The stream path (a bomb that is not one plain member) takes it too, on this thread
        // at once: the token is per thread.
        let again = decode([bomb, b"x".to_vec()].concat(), 1 << 30);
        assert!(again.hold.is_some());
        drop((read, again));
    }
}
