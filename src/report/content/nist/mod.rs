//! Section 10: the NIST mapping. NIST SP 800-53 Rev. 5 controls (official titles) and CSF 2.0
//! outcomes, each with the CSF 2.0 Function it serves (SP 800-61 Rev. 3 organises incident
//! response by those Functions), graded by the rules written in `docs/nist.md` from the evidence
//! of this case, never by default.
//!
//! `facts` reads the case (with `gather`, the containment and flow 1's alarm; `cut_effect`,
//! when the containment took effect; `achieved`, what it did and achieved per the records; `flows`, which
//! flows fired and what the notification rows say); `controls`, `outcomes`, `custody` and `recovery` hold the grading
//! rules, with `decoy` and `decoy_unread` (SC-26), `ir4` (what IR-4 says of the decoy),
//! `activity` (calls on a decoy that open no incident), `unseen` (when a honeytoken's reads
//! could not be in the records) and `reduced` (the logging rows beside a trail stopped or its
//! logs set to expire); `table` renders the rows. Pure: no I/O.

mod achieved;
mod activity;
mod controls;
mod custody;
mod cut_effect;
mod decoy;
mod decoy_unread;
mod facts;
mod flows;
mod gather;
mod ir4;
mod outcomes;
mod recovery;
mod reduced;
mod table;
mod unmarked;
mod unseen;

use crate::model::Timeline;
use crate::report::content::IntegrityStatement;

pub use table::section;

/// How well the evidence supports a control.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Support {
    Supported,
    Partial,
    Missing,
}

impl Support {
    pub fn text(self) -> &'static str {
        match self {
            Support::Supported => "supported",
            Support::Partial => "partly supported",
            Support::Missing => "not evidenced",
        }
    }
}

/// The CSF 2.0 Functions, by which SP 800-61 Rev. 3 organises incident response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsfFunction {
    Govern,
    Identify,
    Protect,
    Detect,
    Respond,
    Recover,
}

impl CsfFunction {
    /// The Function as every row names it: `Respond (RS)`.
    pub fn label(self) -> &'static str {
        match self {
            CsfFunction::Govern => "Govern (GV)",
            CsfFunction::Identify => "Identify (ID)",
            CsfFunction::Protect => "Protect (PR)",
            CsfFunction::Detect => "Detect (DE)",
            CsfFunction::Respond => "Respond (RS)",
            CsfFunction::Recover => "Recover (RC)",
        }
    }
}

/// One row of the mapping, as data (tests assert on it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NistRow {
    /// `AU-9` (SP 800-53 control) or `RS.AN-06` (CSF 2.0 outcome id).
    pub id: &'static str,
    pub title: &'static str,
    /// The CSF 2.0 Function the row serves, in one form for every row (`Respond (RS)`).
    pub ir_function: &'static str,
    pub support: Support,
    /// What the evidence shows, or what is missing.
    pub statement: String,
    /// Event ids, alarm history items or input files.
    pub evidence: Vec<String>,
}

pub(super) fn row(
    id: &'static str,
    title: &'static str,
    function: CsfFunction,
    support: Support,
    statement: String,
    evidence: Vec<String>,
) -> NistRow {
    NistRow {
        id,
        title,
        ir_function: function.label(),
        support,
        statement,
        evidence,
    }
}

/// The mapping for this case: the SP 800-53 controls, then the CSF 2.0 outcomes.
pub fn rows(t: &Timeline, integrity: &IntegrityStatement) -> Vec<NistRow> {
    let f = facts::facts(t, integrity);
    let mut out = controls::rows(&f);
    out.extend(outcomes::rows(&f));
    out.extend(custody::rows(&f));
    out.push(recovery::row_for(t, &f));
    // A grade rests on what the row cites: a row citing nothing is not shown by this evidence,
    // whatever its rule said (each rule above already grades it so; this keeps a new rule from
    // slipping).
    for r in out
        .iter_mut()
        .filter(|r| r.evidence.is_empty() && r.support != Support::Missing)
    {
        r.support = Support::Missing;
        r.statement
            .push_str(" (No evidence is cited for this row, so it is not shown by this evidence.)");
    }
    reduced::apply(&f, &mut out);
    if f.gaps > 0 {
        for r in out.iter_mut().filter(|r| r.support == Support::Supported) {
            r.statement.push_str(&format!(
                " ({} evidence gap(s) in this case: see the appendix.)",
                f.gaps
            ));
        }
    }
    out
}
