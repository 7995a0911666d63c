//! Rule 5's PuTTY private keys (`.ppk` text, versions 1 to 3, after a `PuTTY-User-Key-File-N:`
//! header) pasted into any string: the lines under `Private-Lines: N` (the private key,
//! encrypted or not) and the value of the `Private-MAC:` after them (or version 1's
//! `Private-Hash:`) are replaced, with or without the header before them (a key cut short); the header, `Encryption:`, `Comment:`, `Public-Lines:` and the public key are kept
//! (they say which key it was). Newlines may be real or written as `\n` (an `echo` in a command).
//! A key cut short is replaced to the first quote or the end of the string.
//!
//! Pure: no I/O.

use std::sync::LazyLock;

use memchr::memmem::Finder;

use super::pem::trimmed;
use super::{replaced, REDACTED};

/// Rule 5: the private lines and MAC of every PuTTY private key in `s`.
pub(super) fn private_keys(s: &str) -> Option<String> {
    static PRIVATE: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"Private-Lines:"));
    let b = s.as_bytes();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut at = 0;
    while let Some(p) = PRIVATE.find(&b[at..]) {
        let count_end = at + p + 14;
        // A MAC on the count's own line leaves no private lines.
        let mac = find_mac(b, count_end);
        let body_from = line_end(b, count_end).min(mac.map_or(b.len(), |(label, _)| label));
        let body_to = mac.map_or_else(
            || {
                b[body_from..]
                    .iter()
                    .position(|&c| matches!(c, b'"' | b'\''))
                    .map_or(b.len(), |q| body_from + q)
            },
            |(label, _)| label,
        );
        spans.extend(trimmed(s, body_from, body_to));
        at = body_to;
        if let Some((_, value)) = mac {
            let value_from = value + b[value..].iter().take_while(|&&c| c == b' ').count();
            let mut value_to = value_from;
            while value_to < b.len()
                && !matches!(b[value_to], b'\n' | b'\r' | b'"' | b'\'')
                && !(b[value_to] == b'\\' && matches!(b.get(value_to + 1), Some(b'n' | b'r')))
            {
                value_to += 1;
            }
            while value_to > value_from && b[value_to - 1] == b' ' {
                value_to -= 1;
            }
            if value_from < value_to && &s[value_from..value_to] != REDACTED {
                spans.push((value_from, value_to));
            }
            at = value_to.max(at);
        }
    }
    (!spans.is_empty()).then(|| replaced(s, &spans))
}

/// Where the line holding `from` ends: after its newline, real or written as `\n` (`\r` too).
fn line_end(b: &[u8], from: usize) -> usize {
    let mut i = from;
    while i < b.len() {
        match b[i] {
            b'\n' => return i + 1,
            b'\\' if matches!(b.get(i + 1), Some(b'n' | b'r')) => return i,
            b'"' | b'\'' => return i,
            _ => i += 1,
        }
    }
    i
}

/// The next `Private-MAC:` or `Private-Hash:` at or after `from`: where its label starts and
/// where its value does.
fn find_mac(b: &[u8], from: usize) -> Option<(usize, usize)> {
    ["Private-MAC:", "Private-Hash:"]
        .iter()
        .filter_map(|label| {
            memchr::memmem::find(&b[from..], label.as_bytes())
                .map(|p| (from + p, from + p + label.len()))
        })
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scrubbed(s: &str) -> String {
        private_keys(s).unwrap_or_else(|| s.to_string())
    }

    #[test]
    fn private_lines_and_macs_are_redacted_the_public_part_kept() {
        let v2 = "PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\nComment: rsa-key-1\n\
                  Public-Lines: 2\nAAAAB3Nza\nC1yc2EAAA\nPrivate-Lines: 2\nAAABAQC9\nXk5pZ3\n\
                  Private-MAC: 9f3a2b01cc\n";
        assert_eq!(
            scrubbed(v2),
            "PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\nComment: rsa-key-1\n\
             Public-Lines: 2\nAAAAB3Nza\nC1yc2EAAA\nPrivate-Lines: 2\n[REDACTED]\n\
             Private-MAC: [REDACTED]\n"
        );
        let echoed = "echo 'PuTTY-User-Key-File-3: ssh-ed25519\\r\\nEncryption: aes256-cbc\\r\\n\
                      Key-Derivation: Argon2id\\r\\nPublic-Lines: 1\\r\\nAAAAC3\\r\\n\
                      Private-Lines: 1\\r\\nq83kd0\\r\\nPrivate-MAC: ab01\\r\\n' > k.ppk";
        assert_eq!(
            scrubbed(echoed),
            "echo 'PuTTY-User-Key-File-3: ssh-ed25519\\r\\nEncryption: aes256-cbc\\r\\n\
             Key-Derivation: Argon2id\\r\\nPublic-Lines: 1\\r\\nAAAAC3\\r\\n\
             Private-Lines: 1\\r\\n[REDACTED]\\r\\nPrivate-MAC: [REDACTED]\\r\\n' > k.ppk"
        );
        assert_eq!(
            scrubbed("\"PuTTY-User-Key-File-1: ssh-rsa\nPrivate-Lines: 1\nAAAB cut\" x"),
            "\"PuTTY-User-Key-File-1: ssh-rsa\nPrivate-Lines: 1\n[REDACTED]\" x"
        );
        assert_eq!(
            scrubbed("PuTTY-User-Key-File-1: ssh-rsa\nPrivate-Lines: 1\nAA\nPrivate-Hash: 0f"),
            "PuTTY-User-Key-File-1: ssh-rsa\nPrivate-Lines: 1\n[REDACTED]\nPrivate-Hash: [REDACTED]"
        );
        assert_eq!(
            scrubbed("Private-Lines: 2\nAAAB\nPrivate-MAC: 00ff"),
            "Private-Lines: 2\n[REDACTED]\nPrivate-MAC: [REDACTED]"
        );
        // A MAC on the count's own line: the MAC alone is replaced, nothing below it.
        assert_eq!(
            scrubbed("Private-Lines: 1 Private-MAC: ab\\nPuTTY-User-Key-File-2: x"),
            "Private-Lines: 1 Private-MAC: [REDACTED]\\nPuTTY-User-Key-File-2: x"
        );
        for kept in [
            "puttygen key.ppk -O public-openssh -o key.pub",
            "PuTTY-User-Key-File-2: ssh-rsa\nPublic-Lines: 1\nAAAAB3",
        ] {
            assert_eq!(scrubbed(kept), kept);
        }
    }

    proptest::proptest! {
        /// Whatever the text, scrubbing does not panic and finds nothing more in what it wrote.
        #[test]
        fn scrubbing_is_total_and_settles(
            text in "(PuTTY-User-Key-File-2: |Private-Lines: |Private-MAC: |Private-Hash:|\\\\n|[ \n'\"a0é])*"
        ) {
            let once = scrubbed(&text);
            proptest::prop_assert_eq!(scrubbed(&once), once.clone());
        }
    }
}
