//! Errors raised while compiling an EventBridge event pattern.
//!
//! The reason texts mirror those of AWS's `InvalidEventPatternException` (as recorded against the real service in
//! the LocalStack snapshots), so a rule author sees the same message the console would show.

use thiserror::Error;

/// An event pattern that EventBridge would reject.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("Event pattern is not valid. Reason: {reason}")]
pub struct PatternError {
    /// Why the pattern is invalid.
    pub reason: PatternErrorReason,
}

impl From<PatternErrorReason> for PatternError {
    fn from(reason: PatternErrorReason) -> Self {
        PatternError { reason }
    }
}

/// The reason part of an [`PatternError`], one variant per rejection EventBridge performs.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PatternErrorReason {
    #[error("{0}")]
    InvalidJson(String),
    #[error("Filter is not an object")]
    NotAnObject,
    #[error("Empty objects are not allowed")]
    EmptyObject,
    #[error("Empty arrays are not allowed")]
    EmptyArray,
    #[error("\"{0}\" must be an object or an array")]
    FieldNotObjectOrArray(String),
    #[error("Match value must be String, number, true, false, or null")]
    BadMatchValue,
    #[error("Match expression name not found")]
    MatchExpressionNameNotFound,
    #[error("Only one key allowed in match expression")]
    OnlyOneKey,
    #[error("Unrecognized match type {0}")]
    UnrecognizedMatchType(String),
    #[error("{0} match pattern must be a string")]
    MustBeString(&'static str),
    #[error("Unsupported {0} pattern: {1}")]
    UnsupportedSubPattern(&'static str, String),
    #[error("Value of anything-but must be an array or single string/number value.")]
    AnythingButValue,
    #[error("Unsupported anything-but pattern: {0}")]
    UnsupportedAnythingBut(String),
    #[error("prefix/suffix match pattern must be a string")]
    AnythingButPrefixSuffixNotString,
    #[error("Null prefix/suffix not allowed")]
    NullPrefixSuffix,
    #[error("Inside anything but list, start|null|boolean is not supported.")]
    AnythingButListType,
    #[error("Inside anything but list, either all values are number or string, mixed type is not supported")]
    AnythingButListMixed,
    #[error(
        "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported."
    )]
    AnythingButIgnoreCaseType,
    #[error("Value of numeric must be an array.")]
    NumericNotArray,
    #[error("Invalid member in numeric match: {0}")]
    NumericInvalidMember(String),
    #[error("Unrecognized numeric range operator: {0}")]
    NumericUnknownOperator(String),
    #[error("Value of {0} must be numeric")]
    NumericValueNotNumber(String),
    #[error("Bad value in numeric range: {0}")]
    NumericBadValue(String),
    #[error("Bad numeric range operator: {0}")]
    NumericBadRangeOperator(String),
    #[error("Too many elements in numeric expression")]
    NumericTooManyElements,
    #[error("Too many terms in numeric range expression")]
    NumericTooManyTerms,
    #[error("Bad numeric range: the lower bound must be below the upper bound")]
    NumericEmptyRange,
    #[error("exists match pattern must be either true or false.")]
    ExistsNotBoolean,
    #[error("Malformed CIDR, one '/' required")]
    CidrSlash,
    #[error("Malformed CIDR, mask bits must be an integer")]
    CidrMaskNotInteger,
    #[error("Malformed CIDR, mask bits out of range: {0}")]
    CidrMaskRange(String),
    #[error("Nonstandard IP address: {0}")]
    CidrAddress(String),
    #[error("Consecutive wildcard characters at pos {0}")]
    ConsecutiveWildcards(usize),
    #[error("Invalid escape character at pos {0}")]
    InvalidEscape(usize),
    #[error(
        "Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character"
    )]
    TooComplex,
    #[error("It must be an Array followed with $or.")]
    OrNotArray,
    #[error("Only JSON object is allowed in array of $or relationship.")]
    OrElementNotObject,
    #[error("There must have at least 2 Objects in $or relationship.")]
    OrTooFew,
    #[error("{0} is Ruler reserved fieldName which cannot be used inside $or.")]
    OrReservedField(String),
    #[error("Pattern expands to more than {0} $or branches")]
    TooManyBranches(usize),
    #[error("Pattern nests deeper than {0} levels")]
    TooDeep(usize),
}
