//! Rule 5's keys named only `…_KEY` (`STRIPE_KEY`, `SENDGRID_KEY`, `stripe_key`): `key` alone says
//! nothing (`SORT_KEY=name`, `PARTITION_KEY=id`, `S3_KEY=uploads/a.pdf`), so the value decides.
//! In `NAME=value`, `NAME = value` and `NAME: value` whose name's last word is `key` (and which rule 1 does not
//! already name), the value is replaced when it looks like a credential: it starts with a known
//! credential prefix ([`PREFIXES`]: `sk_live_`, `ghp_`, `xoxb-`, `AIza`, …) and is long, or it is
//! 32 characters or more of hex with digits and letters, or of base64 with digits and both
//! cases, high in entropy and not made of words (random, not `Reports/Quarterly2024Summary`). A public key's name (`PUBLIC_KEY`) is not read. An ARN, a path, a UUID, an access key id (`AKIA…`, evidence) and a word are kept.
//!
//! Pure: no I/O.

use super::{holds, replaced, words, REDACTED};

/// Prefixes of well-known credentials (Stripe, GitHub, GitLab, Slack, Google, SendGrid).
const PREFIXES: &[&str] = &[
    "sk_live_",
    "sk_test_",
    "rk_live_",
    "rk_test_",
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "github_pat_",
    "glpat-",
    "xoxb-",
    "xoxp-",
    "xoxa-",
    "AIza",
    "SG.",
];

/// Rule 5: the credential-like value of every `…_KEY=value` or `…_KEY: value` in `s`.
pub(super) fn key_values(s: &str) -> Option<String> {
    let b = s.as_bytes();
    memchr::memchr2(b'=', b':', b)?;
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for at in memchr::memchr2_iter(b'=', b':', b) {
        if spans.last().is_some_and(|&(_, to)| at < to) {
            continue;
        }
        // `NAME = value` (TOML, INI) as well as `NAME=value`.
        let mut name_end = at;
        while name_end > 0 && matches!(b[name_end - 1], b' ' | b'\t') {
            name_end -= 1;
        }
        let name_from = b[..name_end]
            .iter()
            .rposition(|&c| !(c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.')))
            .map_or(0, |p| p + 1);
        let name = &s[name_from..name_end];
        if !names_a_key(name) || (name_end < at && b[at] == b':') {
            continue;
        }
        let mut from = at + 1;
        while from < b.len() && matches!(b[from], b' ' | b'\t') && (b[at] == b':' || name_end < at)
        {
            from += 1;
        }
        if let Some(&q @ (b'"' | b'\'')) = b.get(from) {
            from += 1;
            let to = memchr::memchr(q, &b[from..]).map_or(b.len(), |p| from + p);
            if is_credential(&s[from..to]) {
                spans.push((from, to));
            }
            continue;
        }
        let to = b[from..]
            .iter()
            .position(|&c| {
                c.is_ascii_whitespace() || matches!(c, b'&' | b';' | b',' | b'"' | b'\'' | b'}')
            })
            .map_or(b.len(), |p| from + p);
        if is_credential(&s[from..to]) {
            spans.push((from, to));
        }
    }
    (!spans.is_empty()).then(|| replaced(s, &spans))
}

/// Whether a name is one this rule reads: its last word is `key` alone (`STRIPE_KEY`,
/// `stripeKey`), rule 1 does not already name it, and it is no public key's (`publicKey`).
pub(super) fn names_a_key(name: &str) -> bool {
    let w = words(name);
    w.len() >= 2
        && w.last().is_some_and(|l| l == "key")
        && !w.iter().any(|x| x == "public")
        && holds(name).is_none()
}

/// Whether a value looks like a credential (see the module's documentation).
pub(super) fn is_credential(v: &str) -> bool {
    if v == REDACTED || v.contains(REDACTED) {
        return false;
    }
    if PREFIXES
        .iter()
        .any(|p| v.starts_with(p) && v.len() >= p.len() + 16)
    {
        return v
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.'));
    }
    let charset = v
        .bytes()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'=' | b'_' | b'-'));
    if v.len() < 32 || !charset || !v.bytes().any(|c| c.is_ascii_digit()) {
        return false;
    }
    let hex =
        v.bytes().all(|c| c.is_ascii_hexdigit()) && v.bytes().any(|c| c.is_ascii_alphabetic());
    let mixed =
        v.bytes().any(|c| c.is_ascii_uppercase()) && v.bytes().any(|c| c.is_ascii_lowercase());
    hex || mixed && entropy(v) >= 4.2 && !is_wordy(v)
}

/// Whether a value is made of words (`Uploads/Reports/Quarterly2024Summary`): a run of six
/// lowercase letters or more, and few changes between upper case, lower case, digits and the
/// rest (random base64 changes at about every other character).
fn is_wordy(v: &str) -> bool {
    let class = |c: u8| match c {
        b'a'..=b'z' => 0,
        b'A'..=b'Z' => 1,
        b'0'..=b'9' => 2,
        _ => 3,
    };
    let b = v.as_bytes();
    let switches = b.windows(2).filter(|w| class(w[0]) != class(w[1])).count();
    let longest_lower = b
        .split(|c| !c.is_ascii_lowercase())
        .map(<[u8]>::len)
        .max()
        .unwrap_or(0);
    longest_lower >= 6 && (switches as f64) < 0.35 * b.len() as f64
}

/// Shannon entropy of `v`, in bits per byte.
fn entropy(v: &str) -> f64 {
    let mut counts = [0u32; 256];
    for c in v.bytes() {
        counts[usize::from(c)] += 1;
    }
    let n = v.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scrubbed(s: &str) -> String {
        key_values(s).unwrap_or_else(|| s.to_string())
    }

    #[test]
    fn a_key_holding_a_credential_is_redacted_a_key_naming_a_field_kept() {
        let cases = [
            (
                "export STRIPE_KEY=sk_live_FAKEFAKE0123456789abcdef && run",
                "export STRIPE_KEY=[REDACTED] && run",
            ),
            (
                "stripe_key: 'ghp_FAKE0123456789abcdefFAKE'\nAWS_KEY=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MEFCQ0RFRkdI",
                "stripe_key: '[REDACTED]'\nAWS_KEY=[REDACTED]",
            ),
            (
                "{BACKUP_KEY: q8Xv/3kLm9Pz2RtYw7NbC4hJf6GsDa1Qe5Ui0Ko+, user: a}",
                "{BACKUP_KEY: [REDACTED], user: a}",
            ),
            (
                "SIGNING_KEY=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b",
                "SIGNING_KEY=[REDACTED]",
            ),
            (
                "STRIPE_KEY = sk_live_FAKEFAKE0123456789abcdef\nstripe_key =\"sk_live_FAKEFAKE0123456789abcdef\"",
                "STRIPE_KEY = [REDACTED]\nstripe_key =\"[REDACTED]\"",
            ),
        ];
        for (from, to) in cases {
            assert_eq!(scrubbed(from), to, "{from}");
        }
        for kept in [
            "SORT_KEY=name PARTITION_KEY=id S3_KEY=uploads/2024/report.pdf",
            "KMS_KEY=arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "CACHE_KEY=1234abcd-12ab-34cd-56ef-1234567890ab AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
            "PRIMARY_KEY: customer_id_and_order_date_2024_v2",
            "key=sk_live_FAKEFAKE0123456789abcdef STRIPE_KEY=[REDACTED]",
            "OBJECT_KEY=Uploads/Reports/Quarterly2024Summary",
            "PUBLIC_KEY=MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE9x3Kq7Lm2PzR",
        ] {
            assert_eq!(scrubbed(kept), kept);
        }
    }

    proptest::proptest! {
        /// Whatever the text, scrubbing does not panic and finds nothing more in what it wrote.
        #[test]
        fn scrubbing_is_total_and_settles(
            text in "(STRIPE_KEY|sk_live_|Ab3dEf7hIj0lMn2pQr5tUv8xYz|=|: |'|\"|é|[ &;,}\n])*"
        ) {
            let once = scrubbed(&text);
            proptest::prop_assert_eq!(scrubbed(&once), once.clone());
        }
    }
}
