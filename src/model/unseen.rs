//! A configured honeytoken whose reads the evidence could not show, with the finding that says
//! why (`reads_not_logged`, `reads_not_examined`) and the eventIDs it cites: the subject of
//! such a finding as data, so that a statement about another honeytoken's read names it
//! without reading the finding's summary. Not exported: the findings say it in the JSON.

use super::FindingKind;

/// One configured honeytoken whose reads could not be seen, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnseenReads {
    /// The honeytoken as configured (`HoneytokenRule::describe`: `s3:bucket/key`, `secret:…`),
    /// as an incident's `honeytoken_rule` names it.
    pub honeytoken: String,
    /// The finding that says its reads could not be seen: `ReadsNotLogged` or
    /// `ReadsNotExamined`.
    pub finding: FindingKind,
    /// The eventIDs that finding cites.
    pub event_ids: Vec<String>,
}
