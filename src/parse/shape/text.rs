//! Byte-level helpers for recognising a document: JSON lines, timestamped export lines, Lambda
//! platform lines, the `awslogs` base64+gzip payload, and the tokens around a trail file's
//! `Records` array (shared by the in-memory and the streaming fast paths).

use super::clip;
use crate::parse::killswitch;
use crate::parse::time::parse_time;
use serde_json::value::RawValue;

/// True when the first line is a complete JSON value and more content follows it.
pub(super) fn is_json_lines(body: &[u8]) -> bool {
    // Trail files are one line, often without a final newline: find it with memchr, and only
    // parse the first line when something follows it.
    let Some(nl) = memchr::memchr(b'\n', body) else {
        return false;
    };
    let rest = &body[nl..];
    rest.iter().any(|b| !b.is_ascii_whitespace())
        && serde_json::from_slice::<&RawValue>(trim(&body[..nl])).is_ok()
}

/// `2026-11-20T14:02:17.000Z {...}`: a CloudWatch Logs export line.
pub(super) fn looks_like_timestamped_lines(body: &[u8]) -> bool {
    body.len() > 20
        && body[..4].iter().all(u8::is_ascii_digit)
        && body[4] == b'-'
        && body.iter().take(40).any(|b| *b == b' ')
        && body.iter().take(64).any(|b| *b == b'{')
}

/// `2026-11-20T14:02:45.000Z START RequestId: ...`: a Lambda platform line in a log export.
pub(super) fn is_platform_line(line: &[u8]) -> bool {
    let Some(space) = line.iter().take(40).position(|b| *b == b' ') else {
        return false;
    };
    line[..space].first().is_some_and(u8::is_ascii_digit)
        && parse_time(&String::from_utf8_lossy(&line[..space])).is_some()
        && killswitch::is_lambda_platform_line(&String::from_utf8_lossy(&line[space + 1..]))
}

pub(super) fn trim(b: &[u8]) -> &[u8] {
    let s = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let e = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(s, |e| e + 1);
    &b[s..e]
}

pub(super) fn decode_awslogs(data: &str) -> Result<Vec<u8>, String> {
    use base64::Engine;
    use std::io::Read;
    let gz = base64::engine::general_purpose::STANDARD
        .decode(data.trim())
        .map_err(|e| format!("awslogs.data is not base64: {e}"))?;
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(&gz[..])
        .take(64 << 20)
        .read_to_end(&mut out)
        .map_err(|e| format!("awslogs.data is not gzip: {e}"))?;
    Ok(out)
}

/// The gap's reason for content that is not JSON: what it looks like (an archive, a gzip
/// stream, a PDF, binary data), or how it starts when it is text. Bytes of binary content never
/// go into the reason: they would garble the JSON, the CSV and the report that carry it.
pub(super) fn not_json(body: &[u8]) -> String {
    if let Some(what) = binary_kind(body) {
        return format!("not JSON: looks like {what}");
    }
    let head = &body[..body.len().min(20)];
    // Cut at a character boundary: the text is UTF-8 (binary_kind said so).
    let text = String::from_utf8_lossy(head);
    let text = text.trim_end_matches('\u{FFFD}');
    format!(
        "not JSON (starts with {})",
        clip(&text.escape_debug().to_string())
    )
}

/// What binary content is, by its magic number; `Some("binary data")` for any other content
/// that is not text (not UTF-8, or control characters besides tab and line ends).
pub(super) fn binary_kind(body: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"PK\x03\x04", "a ZIP archive"),
        (b"PK\x05\x06", "a ZIP archive"),
        (b"PK\x07\x08", "a ZIP archive"),
        (b"\x1f\x8b", "a gzip stream"),
        (b"%PDF-", "a PDF"),
        (b"BZh", "a bzip2 stream"),
        (b"\xFD7zXZ\x00", "an xz stream"),
        (b"\x28\xB5\x2F\xFD", "a zstd stream"),
        (b"7z\xBC\xAF\x27\x1C", "a 7-Zip archive"),
    ];
    if let Some((_, what)) = MAGIC.iter().find(|(m, _)| body.starts_with(m)) {
        return Some(what);
    }
    if body.len() >= 262 && &body[257..262] == b"ustar" {
        return Some("a tar archive");
    }
    let head = &body[..body.len().min(512)];
    let text = match std::str::from_utf8(head) {
        Ok(t) => t,
        // A multi-byte character cut at the end of the window is still text.
        Err(e) if e.error_len().is_none() => std::str::from_utf8(&head[..e.valid_up_to()]).ok()?,
        Err(_) => return Some("binary data"),
    };
    text.chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        .then_some("binary data")
}

/// UTF-16 text (PowerShell's `Out-File` and `>` write it) as UTF-8: with a byte order mark
/// (`FF FE` little-endian, `FE FF` big-endian), or without one when the first two characters are
/// ASCII and not NUL (JSON in UTF-8 never has a NUL there). Unpaired surrogates become U+FFFD.
pub(super) fn utf16_text(bytes: &[u8]) -> Option<String> {
    let (little, body) = match bytes {
        [0xFF, 0xFE, rest @ ..] => (true, rest),
        [0xFE, 0xFF, rest @ ..] => (false, rest),
        [a, 0, b, 0, ..] if *a != 0 && *b != 0 && a.is_ascii() && b.is_ascii() => (true, bytes),
        [0, a, 0, b, ..] if *a != 0 && *b != 0 && a.is_ascii() && b.is_ascii() => (false, bytes),
        _ => return None,
    };
    let units = body.chunks(2).map(|c| match (c, little) {
        ([lo, hi], true) => u16::from_le_bytes([*lo, *hi]),
        ([hi, lo], false) => u16::from_be_bytes([*hi, *lo]),
        // An odd byte at the end: not a whole character.
        _ => 0xFFFD,
    });
    Some(
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect(),
    )
}

/// `{"Records":[` (any JSON whitespace between the tokens): the position after the `[`.
pub(super) fn records_array(body: &[u8]) -> Option<usize> {
    let mut pos = 0;
    for token in [&b"{"[..], b"\"Records\"", b":", b"["] {
        pos = skip_ws(body, pos);
        if !body[pos..].starts_with(token) {
            return None;
        }
        pos += token.len();
    }
    Some(pos)
}

/// After the `Records` array: `}` and nothing but whitespace.
pub(super) fn closes_document(bytes: &[u8], pos: usize) -> bool {
    let pos = skip_ws(bytes, pos);
    bytes.get(pos) == Some(&b'}') && skip_ws(bytes, pos + 1) == bytes.len()
}

/// The first position at or after `pos` that is not JSON whitespace.
pub(super) fn skip_ws(bytes: &[u8], mut pos: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = bytes.get(pos) {
        pos += 1;
    }
    pos
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_content_is_named_and_text_is_quoted_escaped() {
        assert_eq!(
            not_json(b"PK\x03\x04\x14\x00"),
            "not JSON: looks like a ZIP archive"
        );
        assert_eq!(
            not_json(b"\x1f\x8b\x08\x00"),
            "not JSON: looks like a gzip stream"
        );
        assert_eq!(
            not_json(b"%PDF-1.7\n%\xe2\xe3"),
            "not JSON: looks like a PDF"
        );
        assert_eq!(
            not_json(b"ab\x1b[31mcd"),
            "not JSON: looks like binary data"
        );
        assert_eq!(
            not_json(b"\xff\xfe\xfd abc"),
            "not JSON: looks like binary data"
        );
        assert_eq!(
            not_json(b"hello\tworld"),
            "not JSON (starts with hello\\tworld)"
        );
        // A character cut by the 20-byte window is text, not binary.
        assert_eq!(binary_kind("ééééééééééé".as_bytes()), None);
    }
}
