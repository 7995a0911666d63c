//! Errors raised while parsing a CloudWatch Logs filter pattern.

use thiserror::Error;

/// A filter pattern CloudWatch Logs would refuse (positions are byte offsets into the pattern).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FilterPatternError {
    #[error("unterminated quoted string starting at {0}")]
    UnterminatedString(usize),
    #[error("unexpected {found:?} at {pos}, expected {expected}")]
    Unexpected {
        pos: usize,
        found: String,
        expected: &'static str,
    },
    #[error("unexpected end of pattern, expected {0}")]
    UnexpectedEnd(&'static str),
    #[error("invalid property selector at {0}")]
    BadSelector(usize),
    #[error("numeric operator at {0} needs a number")]
    NotANumber(usize),
    #[error("pattern nests deeper than {0} levels")]
    TooDeep(usize),
    #[error("a space-delimited pattern may hold one \"...\" at most")]
    ManyEllipses,
}
