//! Rule 5's PEM private keys pasted into any string (a command's `echo`, a user data script, a
//! secret's value written as text): the body between `-----BEGIN … PRIVATE KEY-----` and its
//! END line is replaced, the BEGIN and END lines kept (they say what kind of key it was); a
//! certificate or a public key is kept whole. PuTTY's keys are [`super::putty`]'s.
//!
//! Pure: no I/O.

use std::sync::LazyLock;

use super::{replaced, REDACTED};

/// Rule 5: the body of every PEM private key block in `s` (`-----BEGIN RSA PRIVATE KEY-----`,
/// `EC`, `OPENSSH`, `ENCRYPTED`, `PGP PRIVATE KEY BLOCK`, ...), whatever the string or its key:
/// the lines between the BEGIN and END lines replaced, the BEGIN and END lines kept (they say
/// what kind of key it was). A block without its END line (cut short) is replaced to the first
/// quote or the end of the string. Newlines written as `\n` around the body are kept too.
pub(super) fn private_keys(s: &str) -> Option<String> {
    static BEGIN: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new(b"-----BEGIN "));
    static END: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new(b"-----END "));
    let b = s.as_bytes();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut at = 0;
    while let Some(p) = BEGIN.find(&b[at..]) {
        let label_from = at + p + 11;
        let Some(label_to) =
            memchr::memmem::find(&b[label_from..], b"-----").map(|q| label_from + q)
        else {
            break;
        };
        let label = &s[label_from..label_to];
        let is_label = label
            .bytes()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b' ');
        if !is_label || !label.contains("PRIVATE KEY") {
            at = label_from;
            continue;
        }
        at = label_to + 5;
        let (end, resume) = match END.find(&b[at..]) {
            Some(q) => (at + q, at + q + 9),
            None => {
                let to = b[at..]
                    .iter()
                    .position(|&c| matches!(c, b'"' | b'\''))
                    .map_or(b.len(), |q| at + q);
                (to, to)
            }
        };
        if let Some(span) = trimmed(s, at, end) {
            spans.push(span);
        }
        at = resume;
    }
    (!spans.is_empty()).then(|| replaced(s, &spans))
}

/// The span `from..to` of `s` without the white space and `\n`/`\r` escapes around it, unless
/// nothing (or only the marker) is left.
pub(super) fn trimmed(s: &str, mut from: usize, mut to: usize) -> Option<(usize, usize)> {
    loop {
        let rest = &s[from..to];
        let t = rest
            .trim_start()
            .trim_start_matches("\\n")
            .trim_start_matches("\\r");
        if t.len() == rest.len() {
            break;
        }
        from = to - t.len();
    }
    loop {
        let rest = &s[from..to];
        let t = rest
            .trim_end()
            .trim_end_matches("\\n")
            .trim_end_matches("\\r");
        if t.len() == rest.len() {
            break;
        }
        to = from + t.len();
    }
    (from < to && &s[from..to] != REDACTED).then_some((from, to))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scrubbed(s: &str) -> String {
        private_keys(s).unwrap_or_else(|| s.to_string())
    }

    #[test]
    fn private_key_blocks_lose_their_bodies_and_keep_their_begin_and_end_lines() {
        let cases = [
            (
                "key: -----BEGIN RSA PRIVATE KEY-----\nMIIEpAIB\nAAKCAQEA\n-----END RSA PRIVATE KEY-----\nok",
                "key: -----BEGIN RSA PRIVATE KEY-----\n[REDACTED]\n-----END RSA PRIVATE KEY-----\nok",
            ),
            (
                "echo '-----BEGIN OPENSSH PRIVATE KEY-----\\nb3Blbn\\n-----END OPENSSH PRIVATE KEY-----' > k",
                "echo '-----BEGIN OPENSSH PRIVATE KEY-----\\n[REDACTED]\\n-----END OPENSSH PRIVATE KEY-----' > k",
            ),
            (
                "  -----BEGIN ENCRYPTED PRIVATE KEY-----\n  MIIF\n  -----END ENCRYPTED PRIVATE KEY-----\n\
                 -----BEGIN EC PRIVATE KEY----- MHcC -----END EC PRIVATE KEY-----",
                "  -----BEGIN ENCRYPTED PRIVATE KEY-----\n  [REDACTED]\n  -----END ENCRYPTED PRIVATE KEY-----\n\
                 -----BEGIN EC PRIVATE KEY----- [REDACTED] -----END EC PRIVATE KEY-----",
            ),
            (
                "{\"k\": \"-----BEGIN PRIVATE KEY-----\nMIIE cut short\"}",
                "{\"k\": \"-----BEGIN PRIVATE KEY-----\n[REDACTED]\"}",
            ),
        ];
        for (from, to) in cases {
            assert_eq!(scrubbed(from), to, "{from}");
        }
        for kept in [
            "-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----",
            "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----",
            "expected -----BEGIN RSA PRIVATE KEY-----",
            "-----BEGIN foo -----BEGIN",
        ] {
            assert_eq!(scrubbed(kept), kept);
        }
    }

    proptest::proptest! {
        /// Whatever the text, scrubbing does not panic, keeps what it does not replace, and
        /// finds nothing more in what it wrote.
        #[test]
        fn scrubbing_is_total_and_settles(
            text in "(-----BEGIN RSA PRIVATE KEY-----|-----END |PRIVATE KEY|\\\\n|é|[ \n\"'-])*"
        ) {
            let once = scrubbed(&text);
            proptest::prop_assert_eq!(scrubbed(&once), once.clone());
            proptest::prop_assert!(once == text || once.contains(REDACTED));
        }
    }
}
