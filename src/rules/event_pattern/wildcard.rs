//! EventBridge `wildcard` values: parsing (with `\*` and `\\` escapes), matching, and the complexity guard.
//!
//! The complexity guard approximates event-ruler's `MachineComplexityEvaluator`: it counts how many positions
//! after the first `*` a worst-case input can keep alive at once. The threshold separates the AWS-validated
//! vectors (`*:*:*:*:*:event-bus/*` rejected, `/Users/*/dir/dir/dir/dir/dir/doc.txt` accepted); it is not AWS's
//! exact arithmetic.

use std::collections::BTreeSet;

use super::error::PatternErrorReason;

/// Active positions above this count make a pattern "too complex".
const MAX_COMPLEXITY: usize = 10;
/// Bound on the subset exploration, so that the guard itself stays cheap on hostile input.
const MAX_SUBSETS: usize = 4096;

/// A compiled wildcard: a byte sequence where `None` stands for `*`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Wildcard {
    tokens: Vec<Option<u8>>,
}

impl Wildcard {
    pub(crate) fn parse(text: &str) -> Result<Wildcard, PatternErrorReason> {
        let bytes = text.as_bytes();
        let mut tokens = Vec::with_capacity(bytes.len());
        let mut i = 0;
        let mut previous_star = false;
        while i < bytes.len() {
            match bytes[i] {
                b'\\' => match bytes.get(i + 1) {
                    Some(&c @ (b'*' | b'\\')) => {
                        tokens.push(Some(c));
                        previous_star = false;
                        i += 2;
                    }
                    _ => return Err(PatternErrorReason::InvalidEscape(i)),
                },
                b'*' => {
                    if previous_star {
                        return Err(PatternErrorReason::ConsecutiveWildcards(i));
                    }
                    tokens.push(None);
                    previous_star = true;
                    i += 1;
                }
                c => {
                    tokens.push(Some(c));
                    previous_star = false;
                    i += 1;
                }
            }
        }
        Ok(Wildcard { tokens })
    }

    /// Glob match with single-star backtracking: linear for the usual patterns, O(n*m) at worst.
    pub(crate) fn matches(&self, value: &str) -> bool {
        let v = value.as_bytes();
        let p = &self.tokens;
        let (mut vi, mut pi) = (0usize, 0usize);
        let mut star: Option<(usize, usize)> = None;
        while vi < v.len() {
            match p.get(pi) {
                Some(None) => {
                    star = Some((pi, vi));
                    pi += 1;
                }
                Some(Some(c)) if *c == v[vi] => {
                    pi += 1;
                    vi += 1;
                }
                _ => match star {
                    Some((sp, sv)) => {
                        pi = sp + 1;
                        vi = sv + 1;
                        star = Some((sp, sv + 1));
                    }
                    None => return false,
                },
            }
        }
        p[pi..].iter().all(Option::is_none)
    }

    /// How many wildcard-prefix positions a worst-case input keeps alive at once (capped).
    pub(crate) fn complexity(&self) -> usize {
        let Some(first_star) = self.tokens.iter().position(Option::is_none) else {
            return 0;
        };
        let mut alphabet: Vec<u8> = self.tokens.iter().flatten().copied().collect();
        alphabet.sort_unstable();
        alphabet.dedup();
        let other = (0u8..=255).find(|b| alphabet.binary_search(b).is_err());
        alphabet.extend(other);

        let start = self.closure([0usize].into_iter().collect());
        let mut seen: BTreeSet<Vec<usize>> = BTreeSet::new();
        let mut queue = vec![start.clone()];
        seen.insert(start);
        let mut max = 0;
        while let Some(set) = queue.pop() {
            max = max.max(set.iter().filter(|&&i| i > first_star).count());
            if max > MAX_COMPLEXITY || seen.len() > MAX_SUBSETS {
                return usize::MAX;
            }
            for &c in &alphabet {
                let next = self.step(&set, c);
                if !next.is_empty() && seen.insert(next.clone()) {
                    queue.push(next);
                }
            }
        }
        max
    }

    fn closure(&self, mut set: Vec<usize>) -> Vec<usize> {
        let mut i = 0;
        while i < set.len() {
            let pos = set[i];
            if let Some(None) = self.tokens.get(pos) {
                if !set.contains(&(pos + 1)) {
                    set.push(pos + 1);
                }
            }
            i += 1;
        }
        set.sort_unstable();
        set
    }

    fn step(&self, set: &[usize], c: u8) -> Vec<usize> {
        let mut next = Vec::new();
        for &pos in set {
            match self.tokens.get(pos) {
                Some(None) => next.push(pos),
                Some(Some(t)) if *t == c => next.push(pos + 1),
                _ => {}
            }
        }
        next.dedup();
        self.closure(next)
    }
}

/// Rejects a field whose wildcard values together exceed the complexity budget.
pub(crate) fn check_complexity<'a>(
    wildcards: impl Iterator<Item = &'a Wildcard>,
) -> Result<(), PatternErrorReason> {
    let mut total = 0usize;
    for w in wildcards {
        total = total.saturating_add(w.complexity());
        if total > MAX_COMPLEXITY {
            return Err(PatternErrorReason::TooComplex);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wc(s: &str) -> Wildcard {
        Wildcard::parse(s).unwrap()
    }

    #[test]
    fn matches_like_a_glob() {
        assert!(wc("/Users/*/doc.txt").matches("/Users/bob/doc.txt"));
        assert!(!wc("/Users/*/doc.txt").matches("/Users/bob/doc.txt.bak"));
        assert!(wc("*").matches(""));
        assert!(wc("").matches(""));
        assert!(!wc("").matches("x"));
        assert!(wc("a*b*c").matches("aXbYbc"));
        assert!(wc(r"\*").matches("*"));
        assert!(!wc(r"\*").matches("x"));
        assert!(wc(r"\\").matches("\\"));
    }

    #[test]
    fn rejects_bad_syntax() {
        assert_eq!(
            Wildcard::parse("a**"),
            Err(PatternErrorReason::ConsecutiveWildcards(2))
        );
        assert_eq!(
            Wildcard::parse(r"a\b"),
            Err(PatternErrorReason::InvalidEscape(1))
        );
        assert_eq!(
            Wildcard::parse("a\\"),
            Err(PatternErrorReason::InvalidEscape(1))
        );
    }

    #[test]
    fn complexity_separates_the_aws_vectors() {
        assert!(wc("*:*:*:*:*:event-bus/*").complexity() > MAX_COMPLEXITY);
        assert!(wc("/Users/*/dir/dir/dir/dir/dir/doc.txt").complexity() <= MAX_COMPLEXITY);
        assert!(wc("arn:aws:events:us-east-1:*:event-bus/*").complexity() <= MAX_COMPLEXITY);
    }
}
