//! Byte-level helpers for recognising a document: JSON lines, timestamped export lines, Lambda
//! platform lines, the `awslogs` base64+gzip payload, and the tokens around a trail file's
//! `Records` array (shared by the in-memory and the streaming fast paths).

pub(super) use crate::parse::json_bytes::skip_ws;
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

/// The gap's reason for content that is not JSON: what it looks like, never what it says. A
/// file that is not JSON may hold anything, a bare secret key or a password list included, and
/// the reason goes to the terminal, every export and the report: so binary content is named by
/// its magic number (an archive, a gzip stream, a PDF) or as binary data, and text by its shape
/// (a PEM block, XML or HTML, `NAME=value` lines, comma-separated lines, text), its size in bytes
/// and lines, and its first character only when that is ASCII punctuation (`<`, `#`, `-`: it
/// tells the shape and cannot be much of a secret); a letter, a digit or another character is
/// named as such. The file's path and SHA-256 are in the case's inputs, to find it by.
pub(super) fn not_json(body: &[u8]) -> String {
    if let Some(what) = binary_kind(body) {
        return format!("not JSON: looks like {what}");
    }
    let lines = body.split(|&b| b == b'\n').filter(|l| !trim(l).is_empty());
    let count = lines.clone().count();
    format!(
        "not JSON: {}, {} bytes in {} {}, starting with {}",
        text_kind(body),
        body.len(),
        count,
        if count == 1 { "line" } else { "lines" },
        first_char(body)
    )
}

/// The shape of text that is not JSON, by its structure only.
fn text_kind(body: &[u8]) -> &'static str {
    let body = trim(body);
    if body.starts_with(b"-----BEGIN ") {
        return "a PEM block (a key or a certificate)";
    }
    if body.starts_with(b"<") {
        return "XML or HTML";
    }
    let lines = || {
        body.split(|&b| b == b'\n')
            .map(trim)
            .filter(|l| !l.is_empty() && !l.starts_with(b"#"))
    };
    let assignment = |l: &[u8]| {
        let l = l.strip_prefix(b"export ").unwrap_or(l);
        let name = l.iter().position(|&b| b == b'=').map_or(l, |p| &l[..p]);
        name.len() < l.len()
            && name
                .first()
                .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
            && name.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_')
    };
    if lines().next().is_some() && lines().all(assignment) {
        return "NAME=value lines (an environment file?)";
    }
    if lines().nth(1).is_some() && lines().all(|l| l.contains(&b',')) {
        return "comma-separated lines (CSV?)";
    }
    "text"
}

/// How text starts, without quoting it: its first character when that is ASCII punctuation.
fn first_char(body: &[u8]) -> String {
    match trim(body).first() {
        None => "nothing but white space".into(),
        Some(&c) if c.is_ascii_punctuation() => format!("'{}'", char::from(c).escape_debug()),
        Some(c) if c.is_ascii_alphabetic() => "a letter".into(),
        Some(c) if c.is_ascii_digit() => "a digit".into(),
        Some(_) => "a non-ASCII character".into(),
    }
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
    closes_object(bytes, pos).is_some_and(|end| skip_ws(bytes, end) == bytes.len())
}

/// After the `Records` array: `}`, and where the document ends (just after it).
pub(super) fn closes_object(bytes: &[u8], pos: usize) -> Option<usize> {
    let pos = skip_ws(bytes, pos);
    (bytes.get(pos) == Some(&b'}')).then_some(pos + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_content_is_named_and_text_is_described_never_quoted() {
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
        // Text is described, never quoted: it may be a secret.
        assert_eq!(
            not_json(b"PLANTEDrawSECRETkey3"),
            "not JSON: text, 20 bytes in 1 line, starting with a letter"
        );
        assert_eq!(
            not_json(b"# db\nexport DB_PASS=hunter2\nAPI_KEY=x\n"),
            "not JSON: NAME=value lines (an environment file?), 38 bytes in 3 lines, starting with '#'"
        );
        assert_eq!(
            not_json(b"-----BEGIN RSA PRIVATE KEY-----\nMIIE\n"),
            "not JSON: a PEM block (a key or a certificate), 37 bytes in 2 lines, starting with '-'"
        );
        assert_eq!(
            not_json(b"<html>\n"),
            "not JSON: XML or HTML, 7 bytes in 1 line, starting with '<'"
        );
        assert_eq!(
            not_json(b"a,b\n1,2\n"),
            "not JSON: comma-separated lines (CSV?), 8 bytes in 2 lines, starting with a letter"
        );
        assert_eq!(
            not_json("é'".as_bytes()),
            "not JSON: text, 3 bytes in 1 line, starting with a non-ASCII character"
        );
        assert_eq!(
            not_json(b"'x"),
            "not JSON: text, 2 bytes in 1 line, starting with '\\''"
        );
        // A character cut by the 20-byte window is text, not binary.
        assert_eq!(binary_kind("ééééééééééé".as_bytes()), None);
    }
}
