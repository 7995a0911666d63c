//! RS.AN-06 and RS.AN-07: whether the investigation's actions and the incident data were
//! recorded with their integrity and provenance preserved, graded (rules in `docs/nist.md`)
//! from the integrity verification's verdict, the acquisition manifests (acquisition-time
//! SHA-256, source, collector) and the gaps. Pure.

use super::facts::Facts;
use super::{row, CsfFunction, NistRow, Support};

/// Inputs no acquisition manifest lists, in a few words.
fn unlisted(f: &Facts) -> String {
    format!(
        "{} of {} input(s) are listed in an acquisition manifest",
        f.acquired,
        f.inputs.len()
    )
}

/// The verification's verdict in a few words.
fn verdict(f: &Facts) -> String {
    if f.integrity_verified && f.sample_test_key {
        "the offline verification found the evidence intact (its digests signed with the bundled sample's own TEST key, not an AWS CloudTrail key)".into()
    } else if f.integrity_verified {
        "the offline verification found the evidence intact".into()
    } else if f.integrity_problems > 0 {
        format!(
            "the offline verification found problems in {} file(s) (see Integrity)",
            f.integrity_problems
        )
    } else {
        "no digest or manifest verified the evidence".into()
    }
}

/// RS.AN-06 then RS.AN-07.
pub(super) fn rows(f: &Facts) -> Vec<NistRow> {
    let manifests = || {
        if f.manifests == 0 {
            vec![]
        } else {
            vec![format!(
                "{} acquisition manifest(s) (appendix)",
                f.manifests
            )]
        }
    };
    let all_acquired = !f.inputs.is_empty() && f.acquired == f.inputs.len();
    let all_collectors = all_acquired && f.collector_recorded == f.inputs.len();

    // RS.AN-06: the investigation's actions (the acquisition, this analysis) are recorded.
    let (s06, st06) = if f.manifests == 0 || f.acquired == 0 {
        (
            Support::Missing,
            "No acquisition manifest is in the evidence: the collection of the evidence is not recorded (who collected what, from where, when, with which tool). Only this analysis is recorded: its command line and the SHA-256 of each input taken at analysis time (appendix).".to_string(),
        )
    } else if all_collectors && f.integrity_verified {
        (
            Support::Supported,
            "The acquisition manifest records, for every input, the identity that collected it (sts:GetCallerIdentity at collection), the tool version, the source, the acquisition time and the SHA-256 taken on acquisition, and the offline verification found those records intact; this report records its own command line.".to_string(),
        )
    } else {
        let mut why = Vec::new();
        if !all_acquired {
            why.push(unlisted(f));
        }
        if f.collector_recorded < f.acquired {
            why.push(format!(
                "the manifest does not record the identity that collected {} of the inputs it lists",
                f.acquired - f.collector_recorded
            ));
        }
        if !f.integrity_verified {
            why.push(verdict(f));
        }
        (
            Support::Partial,
            format!(
                "The acquisition is recorded in a manifest, but {}.",
                why.join("; ")
            ),
        )
    };
    let an06 = row(
        "RS.AN-06",
        "Actions performed during an investigation are recorded, and the records' integrity and provenance are preserved",
        CsfFunction::Respond,
        s06,
        st06,
        manifests(),
    );

    // RS.AN-07: the incident data itself is collected, intact, with its provenance.
    let (s07, st07) = if f.records == 0 {
        (
            Support::Missing,
            "No CloudTrail record was examined: no incident data was collected.".to_string(),
        )
    } else if !f.integrity_verified && f.acquired == 0 {
        (
            Support::Missing,
            format!(
                "{} CloudTrail records were examined, but nothing proves their integrity or provenance: {}, and no acquisition manifest lists the inputs (their SHA-256 was taken at analysis time).",
                f.records,
                verdict(f)
            ),
        )
    } else if f.integrity_verified && all_acquired && f.gaps == 0 {
        (
            Support::Supported,
            format!(
                "{} CloudTrail records were collected; {}, and every input is listed in an acquisition manifest with its source and its SHA-256 taken on acquisition.",
                f.records,
                verdict(f)
            ),
        )
    } else {
        let mut why = vec![verdict(f), unlisted(f)];
        if f.gaps > 0 {
            why.push(format!("{} evidence gap(s) (see the appendix)", f.gaps));
        }
        (
            Support::Partial,
            format!(
                "{} CloudTrail records were collected, but not all of them with proven integrity and provenance: {}.",
                f.records,
                why.join("; ")
            ),
        )
    };
    let mut evidence = manifests();
    if f.integrity_verified {
        evidence.push("the offline verification's verdict (Integrity)".to_string());
    }
    if f.verify_reports > 0 {
        evidence.push(format!(
            "{} trailcase verify report(s) (attached)",
            f.verify_reports
        ));
    }
    let an07 = row(
        "RS.AN-07",
        "Incident data and metadata are collected, and their integrity and provenance are preserved",
        CsfFunction::Respond,
        s07,
        st07,
        evidence,
    );
    vec![an06, an07]
}
