//! The compiled value matchers of one pattern field, and how each one judges a single leaf value of an event.
//!
//! A leaf is a JSON string, number, boolean or null; objects are never leaves (so `exists` ignores them).

use serde_json::Value;

use super::cidr::Cidr;
use super::wildcard::Wildcard;

/// A numeric bound: the value and whether it is inclusive.
pub(crate) type Bound = Option<(f64, bool)>;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Matcher {
    ExactString(Box<str>),
    /// An exact value that is an IP address also matches other spellings of the same address.
    ExactIp(Box<str>, Cidr),
    ExactNumber(f64),
    ExactBool(bool),
    ExactNull,
    Prefix(Box<str>),
    PrefixIgnoreCase(Box<str>),
    Suffix(Box<str>),
    SuffixIgnoreCase(Box<str>),
    EqualsIgnoreCase(Box<str>),
    Wildcard(Wildcard),
    AnythingButStrings(Vec<Box<str>>),
    AnythingButNumbers(Vec<f64>),
    AnythingButIgnoreCase(Vec<Box<str>>),
    AnythingButPrefix(Vec<Box<str>>),
    AnythingButSuffix(Vec<Box<str>>),
    AnythingButWildcard(Vec<Wildcard>),
    Numeric {
        lower: Bound,
        upper: Bound,
    },
    Cidr(Cidr),
    Exists(bool),
}

impl Matcher {
    /// Whether this matcher accepts the leaf `value`. `Exists(false)` never accepts a present value: absence is
    /// judged by the caller, once no leaf was found.
    pub(crate) fn accepts(&self, value: &Value) -> bool {
        match self {
            Matcher::ExactString(s) => value.as_str() == Some(s),
            Matcher::ExactIp(s, ip) => value.as_str().is_some_and(|v| v == &**s || ip.contains(v)),
            Matcher::ExactNumber(n) => value.as_f64() == Some(*n),
            Matcher::ExactBool(b) => value.as_bool() == Some(*b),
            Matcher::ExactNull => value.is_null(),
            Matcher::Prefix(p) => value.as_str().is_some_and(|v| v.starts_with(&**p)),
            Matcher::PrefixIgnoreCase(p) => value.as_str().is_some_and(|v| prefix_ci(v, p)),
            Matcher::Suffix(s) => value.as_str().is_some_and(|v| v.ends_with(&**s)),
            Matcher::SuffixIgnoreCase(s) => value.as_str().is_some_and(|v| suffix_ci(v, s)),
            Matcher::EqualsIgnoreCase(s) => value.as_str().is_some_and(|v| equals_ci(v, s)),
            Matcher::Wildcard(w) => value.as_str().is_some_and(|v| w.matches(v)),
            Matcher::AnythingButStrings(list) => match value {
                Value::String(v) => !list.iter().any(|s| **s == **v),
                _ => true,
            },
            Matcher::AnythingButNumbers(list) => match value.as_f64() {
                Some(v) if value.is_number() => !list.contains(&v),
                _ => true,
            },
            Matcher::AnythingButIgnoreCase(list) => match value {
                Value::String(v) => !list.iter().any(|s| equals_ci(v, s)),
                _ => true,
            },
            Matcher::AnythingButPrefix(list) => match value {
                Value::String(v) => !list.iter().any(|p| v.starts_with(&**p)),
                _ => true,
            },
            Matcher::AnythingButSuffix(list) => match value {
                Value::String(v) => !list.iter().any(|s| v.ends_with(&**s)),
                _ => true,
            },
            Matcher::AnythingButWildcard(list) => match value {
                Value::String(v) => !list.iter().any(|w| w.matches(v)),
                _ => true,
            },
            Matcher::Numeric { lower, upper } => match value {
                Value::Number(n) => n.as_f64().is_some_and(|v| in_range(v, *lower, *upper)),
                _ => false,
            },
            Matcher::Cidr(c) => value.as_str().is_some_and(|v| c.contains(v)),
            Matcher::Exists(present) => *present,
        }
    }
}

fn in_range(v: f64, lower: Bound, upper: Bound) -> bool {
    let above = match lower {
        Some((b, true)) => v >= b,
        Some((b, false)) => v > b,
        None => true,
    };
    let below = match upper {
        Some((b, true)) => v <= b,
        Some((b, false)) => v < b,
        None => true,
    };
    above && below
}

/// `folded` is already lower-cased at compile time.
fn equals_ci(value: &str, folded: &str) -> bool {
    if value.is_ascii() && folded.is_ascii() {
        value.eq_ignore_ascii_case(folded)
    } else {
        value.to_lowercase() == folded
    }
}

fn prefix_ci(value: &str, folded: &str) -> bool {
    if value.is_ascii() && folded.is_ascii() {
        value.len() >= folded.len()
            && value.as_bytes()[..folded.len()].eq_ignore_ascii_case(folded.as_bytes())
    } else {
        value.to_lowercase().starts_with(folded)
    }
}

fn suffix_ci(value: &str, folded: &str) -> bool {
    if value.is_ascii() && folded.is_ascii() {
        value.len() >= folded.len()
            && value.as_bytes()[value.len() - folded.len()..]
                .eq_ignore_ascii_case(folded.as_bytes())
    } else {
        value.to_lowercase().ends_with(folded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ignore_case_forms() {
        assert!(Matcher::PrefixIgnoreCase("eventb".into()).accepts(&json!("EvEnTbridge")));
        assert!(Matcher::SuffixIgnoreCase(".png".into()).accepts(&json!("A.PNG")));
        assert!(!Matcher::SuffixIgnoreCase(".png".into()).accepts(&json!("png")));
        assert!(Matcher::EqualsIgnoreCase("straße".into()).accepts(&json!("STRAßE")));
    }

    #[test]
    fn anything_but_accepts_other_types() {
        let m = Matcher::AnythingButStrings(vec!["x".into()]);
        assert!(m.accepts(&json!(null)));
        assert!(m.accepts(&json!(1)));
        assert!(!m.accepts(&json!("x")));
        let m = Matcher::AnythingButNumbers(vec![0.0]);
        assert!(m.accepts(&json!(789)));
        assert!(!m.accepts(&json!(0)));
        assert!(m.accepts(&json!("0")));
    }

    #[test]
    fn numeric_only_on_numbers() {
        let m = Matcher::Numeric {
            lower: Some((100.0, false)),
            upper: None,
        };
        assert!(m.accepts(&json!(101.0)));
        assert!(!m.accepts(&json!("300")));
        assert!(!m.accepts(&json!(null)));
    }
}
