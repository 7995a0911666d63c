//! The chain of custody of each input as the appendix states it: for an input an acquisition
//! manifest lists, the SHA-256 recorded on acquisition, when, by whom and from where, and whether
//! the file still hashes to it; for any other input, that its SHA-256 was taken at analysis time,
//! when the report was made, and is not a hash on acquisition.

use super::super::{Custody, IntegrityStatement};
use crate::model::{InputSummary, Timeline};

/// What the manifest recorded of `input`, if a manifest lists it.
pub fn of<'a>(input: &InputSummary, st: &'a IntegrityStatement) -> Option<&'a Custody> {
    st.custody.get(&*input.path)
}

/// The input's bytes no longer hash to what was recorded on acquisition.
pub fn changed(input: &InputSummary, c: &Custody) -> bool {
    !c.sha256.eq_ignore_ascii_case(&input.sha256)
}

/// The SHA-256 the report states for `input`: the acquisition-time one when there is one.
pub fn stated_sha256<'a>(input: &'a InputSummary, st: &'a IntegrityStatement) -> &'a str {
    of(input, st).map_or(&input.sha256, |c| &c.sha256)
}

/// One line of custody for the inputs table.
pub fn line(input: &InputSummary, st: &IntegrityStatement) -> String {
    match of(input, st) {
        Some(c) if changed(input, c) => format!(
            "CHANGED SINCE ACQUISITION: the file now hashes to the second SHA-256, not the one recorded on acquisition {} by {}, from {}",
            c.acquired_at, c.collector, c.source
        ),
        // A generated sample's manifest (`synthetic:<generator>`): no acquisition to speak of.
        Some(c) if c.source.starts_with("synthetic:") => format!(
            "hashed when generated, {}, by {} (synthetic)",
            c.acquired_at,
            c.source.trim_start_matches("synthetic:")
        ),
        Some(c) => format!(
            "hashed on acquisition {} by {}, from {}",
            c.acquired_at, c.collector, c.source
        ),
        None => "hashed at analysis time (no acquisition record)".into(),
    }
}

/// The sentence that says where the inputs' SHA-256 values come from.
pub fn paragraph(t: &Timeline, st: &IntegrityStatement) -> String {
    let listed: Vec<(&InputSummary, &Custody)> = t
        .inputs
        .iter()
        .filter_map(|i| of(i, st).map(|c| (i, c)))
        .collect();
    let analysis = t.inputs.len() - listed.len();
    let at_analysis = "at analysis time, when this report was made, from the bytes as stored (compressed files hashed compressed): these are not hashes on acquisition, and they show only that later copies match what this report read";
    if listed.is_empty() {
        return format!(
            "No acquisition manifest lists these inputs, so every SHA-256 below was taken {at_analysis}."
        );
    }
    let changed = listed.iter().filter(|(i, c)| changed(i, c)).count();
    let by = if listed
        .iter()
        .all(|(_, c)| c.source.starts_with("synthetic:"))
    {
        "written by the generator of this synthetic sample, as trailcase collect writes one"
    } else {
        "trailcase collect"
    };
    let mut s = format!(
        "{} of {} inputs are listed in an acquisition manifest ({by}): the SHA-256 shown is the one recorded when each was acquired, with when, by whom and from where; each was hashed again for this report and {} still match{}.",
        listed.len(),
        t.inputs.len(),
        listed.len() - changed,
        if changed == 0 {
            String::new()
        } else {
            format!(
                ", {changed} DO NOT: they changed after acquisition (marked, with the SHA-256 they have now)"
            )
        }
    );
    // A manifest cannot list itself: said as what it is, not as an input missing a record.
    let manifests = t
        .inputs
        .iter()
        .filter(|i| i.kind == "trailcase-manifest" && of(i, st).is_none())
        .count();
    let analysis = analysis - manifests;
    if manifests > 0 {
        s.push_str(&format!(
            " {} not listed in {}: {} the acquisition record, hashed at analysis time.",
            if manifests == 1 {
                "The manifest itself is"
            } else {
                "The manifests themselves are"
            },
            if manifests == 1 {
                "itself"
            } else {
                "themselves"
            },
            if manifests == 1 { "it is" } else { "they are" },
        ));
    }
    if analysis > 0 {
        // "The other 1 were hashed" reads as a slip: one input is said in the singular.
        s.push_str(&match analysis {
            1 => " The other one was hashed at analysis time, when this report was made, from the bytes as stored (compressed files hashed compressed): this is not a hash on acquisition, and it shows only that later copies match what this report read.".to_string(),
            n => format!(" The other {n} were hashed {at_analysis}."),
        });
    }
    s
}
