//! Wildcard patterns over names and ARNs: `*` any run of characters, `?` exactly one.
//!
//! Two cases, on purpose: trailcase matches its configuration's patterns (secret honeytokens, the
//! kill-switch's principals, SSM documents, IAM actions) ignoring case, as IAM compares action
//! names and as a responder expects `*killswitch*` to find `KillSwitchRole`; but SSM parameter
//! and S3 object honeytokens case-sensitively, because AWS names them so (`/prod/DB/Password`
//! is not `/prod/db/password`). The kill-switch matches its protected principals
//! case-sensitively, because ARNs are case-sensitive and a looser match would spare a
//! principal that is not protected.
//!
//! CloudWatch Logs filter patterns (`src/rules/filter_pattern/glob.rs`) are a third dialect and
//! stay apart: `*` only (`?` is a literal there) and case-sensitive.

/// Case-sensitive match (ARNs are case-sensitive): `*` any run, `?` one character.
pub fn matches(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    wildcard(
        (p.len(), |i: usize| p[i]),
        (t.len(), |i: usize| t[i]),
        '*',
        '?',
    )
}

/// Case-insensitive match: `*` any run, `?` one character.
pub fn matches_ignore_case(pattern: &str, text: &str) -> bool {
    // The kill-switch patterns are matched against the caller of every record read: ASCII (all
    // ARNs) is matched byte by byte without allocating. Other text takes the char path, where
    // lowercasing can change the length (`İ`) or turn a non-ASCII letter into ASCII (`K`).
    if pattern.is_ascii() && text.is_ascii() {
        let (p, t) = (pattern.as_bytes(), text.as_bytes());
        if !p.contains(&b'?') {
            return stars_only(p, t);
        }
        return wildcard(
            (p.len(), |i: usize| p[i].to_ascii_lowercase()),
            (t.len(), |i: usize| t[i].to_ascii_lowercase()),
            b'*',
            b'?',
        );
    }
    let p: Vec<char> = pattern.chars().flat_map(char::to_lowercase).collect();
    let t: Vec<char> = text.chars().flat_map(char::to_lowercase).collect();
    wildcard(
        (p.len(), |i: usize| p[i]),
        (t.len(), |i: usize| t[i]),
        '*',
        '?',
    )
}

/// A pattern matched ignoring case against many texts (the kill-switch's principals against the
/// caller of every record read): [`matches_ignore_case`] with the pattern's scan done once. An
/// ASCII pattern with `*` only keeps its literal runs; any other takes `matches_ignore_case`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaselessGlob {
    pattern: String,
    /// The literal runs of a `*`-only ASCII pattern.
    runs: Option<Runs>,
}

/// A `*`-only pattern's literal runs: the first (before any star), those between stars
/// (non-empty), and the last (after the last star; `None` without a star).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Runs {
    first: Vec<u8>,
    middle: Vec<Vec<u8>>,
    last: Option<Vec<u8>>,
}

impl CaselessGlob {
    pub fn new(pattern: &str) -> CaselessGlob {
        let p = pattern.as_bytes();
        let runs = (pattern.is_ascii() && !p.contains(&b'?')).then(|| {
            let mut runs = p.split(|b| *b == b'*');
            let first = runs.next().unwrap_or_default().to_vec();
            let last = runs.next_back().map(<[u8]>::to_vec);
            let middle = runs.filter(|r| !r.is_empty()).map(<[u8]>::to_vec).collect();
            Runs {
                first,
                middle,
                last,
            }
        });
        CaselessGlob {
            pattern: pattern.to_owned(),
            runs,
        }
    }

    /// `matches_ignore_case(pattern, text)`.
    pub fn matches(&self, text: &str) -> bool {
        match &self.runs {
            Some(r) if text.is_ascii() => {
                runs_match(&r.first, &r.middle, r.last.as_deref(), text.as_bytes())
            }
            _ => matches_ignore_case(&self.pattern, text),
        }
    }
}

/// ASCII patterns with `*` only (`*KillSwitch*`), ignoring case: the literal runs between the
/// stars must occur in order, the first at the start and the last at the end unless a star
/// frees them. Taking each run at its leftmost place is enough for `*`-only patterns.
fn stars_only(pattern: &[u8], text: &[u8]) -> bool {
    let mut runs = pattern.split(|b| *b == b'*');
    let first = runs.next().unwrap_or_default();
    let last = runs.next_back();
    runs_match(first, runs.filter(|r| !r.is_empty()), last, text)
}

/// [`stars_only`] given the pattern's runs: `first` before any star, the non-empty runs
/// between stars, `last` after the last star (`None`: no star, the text is `first`).
fn runs_match<R: AsRef<[u8]>>(
    first: &[u8],
    middle: impl IntoIterator<Item = R>,
    last: Option<&[u8]>,
    text: &[u8],
) -> bool {
    if text.len() < first.len() || !text[..first.len()].eq_ignore_ascii_case(first) {
        return false;
    }
    let Some(last) = last else {
        return text.len() == first.len();
    };
    let mut rest = &text[first.len()..];
    for run in middle {
        let run = run.as_ref();
        match find_ignore_ascii_case(rest, run) {
            Some(at) => rest = &rest[at + run.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest[rest.len() - last.len()..].eq_ignore_ascii_case(last)
}

/// Leftmost position of `needle` (non-empty) in `haystack`, ignoring ASCII case.
fn find_ignore_ascii_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let (lower, upper) = (
        needle[0].to_ascii_lowercase(),
        needle[0].to_ascii_uppercase(),
    );
    let end = haystack.len().checked_sub(needle.len())?;
    memchr::memchr2_iter(lower, upper, &haystack[..=end])
        .find(|&at| haystack[at..at + needle.len()].eq_ignore_ascii_case(needle))
}

/// The matcher behind both, over units (already lowercased when case is ignored) given by
/// length and accessor.
fn wildcard<T: Copy + PartialEq>(
    (plen, p): (usize, impl Fn(usize) -> T),
    (tlen, t): (usize, impl Fn(usize) -> T),
    star_unit: T,
    any_unit: T,
) -> bool {
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < tlen {
        if pi < plen && (p(pi) == any_unit || p(pi) == t(ti)) {
            pi += 1;
            ti += 1;
        } else if pi < plen && p(pi) == star_unit {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    (pi..plen).all(|i| p(i) == star_unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignoring_case() {
        assert!(matches_ignore_case(
            "*KillSwitch*",
            "arn:aws:sts::1:assumed-role/HoneytokenKillSwitchRole/x"
        ));
        assert!(matches_ignore_case(
            "*killswitch*",
            "arn:aws:iam::1:role/KILLSWITCH"
        ));
        assert!(matches_ignore_case("prod/*/key?", "prod/a/b/key1"));
        assert!(!matches_ignore_case(
            "Production_Database_Credentials",
            "Production_Database_Credentials2"
        ));
    }

    #[test]
    fn minding_case() {
        assert!(matches(
            "arn:aws:iam::1:user/breakglass-*",
            "arn:aws:iam::1:user/breakglass-alice"
        ));
        assert!(!matches(
            "arn:aws:iam::1:role/Admin",
            "arn:aws:iam::1:role/admin"
        ));
        assert!(matches("a?c*", "abcdef"));
        assert!(!matches("a?c", "ac"));
        assert!(matches("*", ""));
    }

    #[test]
    fn ascii_fast_path_agrees_with_the_char_path() {
        fn by_chars(pattern: &str, text: &str) -> bool {
            let p: Vec<char> = pattern.chars().flat_map(char::to_lowercase).collect();
            let t: Vec<char> = text.chars().flat_map(char::to_lowercase).collect();
            wildcard(
                (p.len(), |i: usize| p[i]),
                (t.len(), |i: usize| t[i]),
                '*',
                '?',
            )
        }
        let patterns = [
            "*KillSwitch*",
            "*killswitch",
            "arn:aws:iam::?:role/*",
            "*",
            "",
            "a*b?c",
            "**",
        ];
        let texts = [
            "arn:aws:iam::1:role/HoneytokenKillSwitchRole",
            "arn:aws:sts::1:assumed-role/honeytokenkillswitchrole/fn",
            "arn:aws:iam::1:role/other",
            "",
            "axxbyc",
            "abc",
            "KILLSWITCH",
        ];
        for p in patterns {
            for t in texts {
                assert_eq!(matches_ignore_case(p, t), by_chars(p, t), "{p} {t}");
                assert_eq!(CaselessGlob::new(p).matches(t), by_chars(p, t), "{p} {t}");
            }
        }
        // Patterns and texts over a small alphabet, so that runs repeat and overlap.
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let word = |next: &mut dyn FnMut(u64) -> u64, alphabet: &[u8]| -> String {
            let len = next(9);
            (0..len)
                .map(|_| alphabet[next(alphabet.len() as u64) as usize] as char)
                .collect()
        };
        for _ in 0..20_000 {
            let p = word(&mut next, b"aAb*?*");
            let t = word(&mut next, b"aAbB");
            assert_eq!(matches_ignore_case(&p, &t), by_chars(&p, &t), "{p:?} {t:?}");
            assert_eq!(
                CaselessGlob::new(&p).matches(&t),
                by_chars(&p, &t),
                "{p:?} {t:?}"
            );
        }
        // Non-ASCII takes the char path: the Kelvin sign lowercases to an ASCII `k`.
        assert!(matches_ignore_case(
            "*killswitch*",
            "role/\u{212A}illSwitch"
        ));
        assert!(!matches_ignore_case("a?c", "aİc"));
        let compiled = CaselessGlob::new("*killswitch*");
        assert!(compiled.matches("role/\u{212A}illSwitch"));
        assert!(!CaselessGlob::new("a?c").matches("aİc"));
    }
}
