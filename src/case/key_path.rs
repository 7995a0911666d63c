//! Where an S3 object lives in a case: `cloudtrail/<key>`, with every *non-canonical* segment of
//! the key escaped so that the case path is a reversible function of the key. S3 keys are
//! attacker-controlled: `…/20/F.json.gz`, `…/20/./F.json.gz` and `…/20//F.json.gz` are three
//! objects, and a plain path join would write all three to one file.
//!
//! A segment (the text between two `/`) is canonical when it is not empty, not `.` or `..`, holds
//! no `%` and no control character, and does not end with a name the case gives its own files
//! (`.signature`, a digest's signature beside it; `.trailcase-partial`, a file being written); it
//! is then stored as it is, so every key CloudTrail writes keeps its plain path. Any other
//! segment is escaped: an empty segment becomes `%`, and in the others `%`, control characters,
//! the dots of `.` and `..` and the dot that starts a reserved ending become `%XX` (upper-case
//! hex of each UTF-8 byte). An escaped segment always holds a `%` and a canonical one never does, so no
//! two keys share a path and [`key_of`] gives the key back.
//!
//! Pure: no file system, no AWS.

/// The case folder that holds the S3 objects.
pub const TRAIL_DIR: &str = "cloudtrail";

/// The case-relative path of the object `key`: `cloudtrail/<escaped key>`.
pub fn case_path(key: &str) -> String {
    format!("{TRAIL_DIR}/{}", escape_key(key))
}

/// The key with each non-canonical segment escaped (identity for a canonical key).
pub fn escape_key(key: &str) -> String {
    key.split('/')
        .map(escape_segment)
        .collect::<Vec<_>>()
        .join("/")
}

/// Endings of the names the case gives its own files beside an object.
const RESERVED_ENDINGS: [&str; 2] = [".signature", ".trailcase-partial"];

/// Whether a segment is stored as it is.
pub fn is_canonical_segment(s: &str) -> bool {
    !s.is_empty()
        && s != "."
        && s != ".."
        && !s.chars().any(|c| c == '%' || c.is_control())
        && reserved_dot(s).is_none()
}

/// The byte index of the dot that starts a reserved ending of `s`.
fn reserved_dot(s: &str) -> Option<usize> {
    RESERVED_ENDINGS
        .iter()
        .find(|e| s.ends_with(*e))
        .map(|e| s.len() - e.len())
}

fn escape_segment(s: &str) -> String {
    if is_canonical_segment(s) {
        return s.to_string();
    }
    if s.is_empty() {
        return "%".to_string();
    }
    let dots = s == "." || s == "..";
    let reserved = reserved_dot(s);
    let mut out = String::with_capacity(s.len() + 4);
    for (i, c) in s.char_indices() {
        if c == '%' || c.is_control() || (c == '.' && (dots || reserved == Some(i))) {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The S3 key a path under `cloudtrail/` (without that folder) was stored from; `None` when
/// the path is not one [`escape_key`] makes (e.g. a file added by hand named `a%zz`).
pub fn key_of(path: &str) -> Option<String> {
    let segments: Option<Vec<String>> = path.split('/').map(unescape_segment).collect();
    let key = segments?.join("/");
    (escape_key(&key) == path).then_some(key)
}

fn unescape_segment(s: &str) -> Option<String> {
    if s == "%" {
        return Some(String::new());
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const F: &str = "AWSLogs/1/CloudTrail/us-east-1/2026/11/20/F.json.gz";

    #[test]
    fn canonical_keys_keep_their_plain_path() {
        assert_eq!(case_path(F), format!("cloudtrail/{F}"));
        assert_eq!(key_of(F).as_deref(), Some(F));
    }

    #[test]
    fn aliases_of_one_key_get_distinct_paths_and_come_back() {
        let keys = [
            F.to_string(),
            F.replace("/20/", "/20/./"),
            F.replace("/20/", "/20//"),
            F.replace("/20/", "/20/../"),
            format!("/{F}"),
            format!("{F}/"),
            F.replace("F.json", "F%2E.json"),
            F.replace("F.json", "%"),
            F.replace("F.json", "F\u{1}.json"),
            F.replace("F.json", "%25"),
            F.replace("F.json", "..."),
            format!("{F}.signature"),
            format!("{F}.trailcase-partial"),
        ];
        let paths: std::collections::BTreeSet<String> =
            keys.iter().map(|k| escape_key(k)).collect();
        assert_eq!(paths.len(), keys.len(), "{paths:?}");
        for k in &keys {
            let p = escape_key(k);
            assert!(
                p.split('/').all(|s| !s.is_empty() && s != "." && s != ".."),
                "{p}"
            );
            assert!(!p.chars().any(char::is_control), "{p}");
            assert_eq!(key_of(&p).as_deref(), Some(k.as_str()), "{p}");
        }
        assert_eq!(escape_key("d.json.gz.signature"), "d.json.gz%2Esignature");
        assert_eq!(
            escape_key("a/./b//c/../d"),
            "a/%2E/b/%/c/%2E%2E/d".to_string()
        );
    }

    #[test]
    fn paths_not_made_by_escaping_have_no_key() {
        assert_eq!(key_of("a/%zz"), None);
        assert_eq!(key_of("a/%2"), None);
        // `%2F` would decode to a `/` inside a segment: not a path escape_key makes.
        assert_eq!(key_of("a/b%2Fc"), None);
    }
}
