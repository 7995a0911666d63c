//! The access points of an S3 decoy's bucket that the evidence lists (`s3control
//! list-access-points`, which `collect` asks for each decoy's bucket) and the honeytoken's
//! `access_points` in `trailcase.toml` do not name. A read through one of them whose record
//! names only the access point (its ARN, alias or host) is a read of the decoy's bucket, which
//! the configuration alone would leave unknown: the analysis counts them as the bucket's, and a
//! finding names them, citing the listing, with the advice to add them to the configuration.
//!
//! Part of the analysis stage, before the passes that match records: plain values in and out.

use crate::model::{
    AnalysisSettings, ConfigEvidence, Finding, FindingKind, HoneytokenKind, ListedAccessPoint,
};
use crate::source::InputFile;

/// Whether the configured access point `configured` (a name, an ARN or an alias) is `ap`.
fn names(configured: &str, ap: &ListedAccessPoint) -> bool {
    configured == ap.name
        || ap.arn.as_deref() == Some(configured)
        || ap.alias.as_deref() == Some(configured)
        || (configured.starts_with("arn:") && configured.rsplit('/').next() == Some(&ap.name))
}

/// `settings` with the listed access points of each S3 decoy's bucket that its `access_points`
/// lack added to them (name or ARN, and alias), and the finding naming them; `None` when the
/// evidence lists none the configuration lacks. `files` name the listings cited.
pub fn with_listed(
    settings: &AnalysisSettings,
    evidence: &ConfigEvidence,
    files: &[InputFile],
) -> Option<(AnalysisSettings, Finding)> {
    let mut effective = settings.clone();
    let mut told: Vec<String> = Vec::new();
    let mut listings: Vec<String> = Vec::new();
    for h in effective
        .honeytokens
        .iter_mut()
        .filter(|h| h.kind == HoneytokenKind::S3)
    {
        let bucket = crate::classify::bucket_pattern(&h.pattern).to_string();
        let missing: Vec<&ListedAccessPoint> = evidence
            .access_points
            .iter()
            .filter(|ap| ap.bucket == bucket)
            .filter(|ap| !h.access_points.iter().any(|c| names(c, ap)))
            .collect();
        if missing.is_empty() {
            continue;
        }
        let mut shown = Vec::new();
        for ap in &missing {
            h.access_points
                .push(ap.arn.clone().unwrap_or_else(|| ap.name.clone()));
            h.access_points.extend(ap.alias.clone());
            let mut also: Vec<String> = ap.arn.iter().cloned().collect();
            also.extend(ap.alias.as_ref().map(|a| format!("alias {a}")));
            shown.push(if also.is_empty() {
                ap.name.clone()
            } else {
                format!("{} ({})", ap.name, also.join(", "))
            });
            let file = files.get(ap.origin.input as usize).map_or_else(
                || "(unknown file)".to_string(),
                |f| f.path.display().to_string(),
            );
            if !listings.contains(&file) {
                listings.push(file);
            }
        }
        let names: Vec<String> = missing
            .iter()
            .map(|ap| format!("\"{}\"", ap.name))
            .collect();
        told.push(format!(
            "the bucket {bucket} of honeytoken {} has {} access point(s) its access_points do not name: {}; add them to its access_points in trailcase.toml (access_points = [{}])",
            h.describe(),
            missing.len(),
            shown.join(", "),
            names.join(", ")
        ));
    }
    if told.is_empty() {
        return None;
    }
    let summary = format!(
        "ListAccessPoints in the evidence ({}) lists access points of an S3 decoy's bucket that the configuration does not name: {}. A read through one of them whose record names only the access point (its ARN, alias or host) was counted as a read of the decoy's bucket in this analysis (its key then decides whether it read the decoy); without them in the configuration, a run on evidence without this listing leaves such a read of an unknown bucket",
        listings.join(", "),
        told.join("; ")
    );
    Some((
        effective,
        Finding {
            kind: FindingKind::AccessPointsNotConfigured,
            severity: "medium",
            summary,
            event_ids: Vec::new(),
        },
    ))
}
