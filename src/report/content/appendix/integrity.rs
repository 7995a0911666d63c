//! The appendix's integrity part: the verdict, stated once; what the checks counted; the
//! per-file problems grouped ("96 files: listed in no digest"), with every file in the attached
//! verify report.

use super::super::IntegrityStatement;
use crate::model::Timeline;
use crate::report::{Block, Cell, Column, Table};

pub fn blocks(t: &Timeline, integrity: &IntegrityStatement, report_names: &[String]) -> Vec<Block> {
    let mut out = vec![Block::KeyValue(vec![(
        "Verdict".into(),
        integrity.verdict.clone(),
    )])];
    if !integrity.details.is_empty() {
        out.push(Block::KeyValue(integrity.details.clone()));
    }
    out.push(Block::para(format!(
        "{} of {} inputs were verified by a CloudTrail digest; every other input rests on its SHA-256 above only.",
        t.inputs.iter().filter(|i| integrity.verified_inputs.contains(&*i.path)).count(),
        t.inputs.len()
    )));
    if !integrity.unverified_record_inputs.is_empty() {
        let files: Vec<String> = integrity.unverified_record_inputs.iter().cloned().collect();
        let incidents = super::super::unverified_incidents(t, integrity);
        out.push(Block::para(format!(
            "{} input(s) hold records that no CloudTrail digest verified, so those records are not verified: {}. {}",
            files.len(),
            crate::case::integrity::records::first_few(&files),
            if incidents.is_empty() {
                "No incident rests on records from them.".to_string()
            } else {
                format!(
                    "Incidents resting on records from them: {}.",
                    super::super::named_incidents(&incidents)
                )
            }
        )));
    }
    if !integrity.problem_groups.is_empty() {
        out.push(Block::Table(Table {
            columns: vec![
                Column::new("Case", 2.0),
                Column::new("Files", 2.6),
                Column::new("Check", 1.8),
                Column::new("What is wrong", 4.0),
            ],
            rows: integrity
                .problem_groups
                .iter()
                .map(|g| {
                    vec![
                        Cell::text(&g.case),
                        match &g.only {
                            Some(file) => Cell::text(file),
                            None => Cell::alert(format!("{} files", g.files)),
                        },
                        Cell::text(&g.kind),
                        Cell::text(&g.detail),
                    ]
                })
                .collect(),
            caption: Some(format!(
                "The verification's problems, the files that share one counted together; every file is listed in the attached {}.",
                attachment_names(report_names)
            )),
        }));
    }
    out.extend(coverage(t));
    if !report_names.is_empty() {
        out.push(Block::para(format!(
            "The whole trailcase verify report of each case is attached: {}.",
            attachment_names(report_names)
        )));
    }
    out
}

fn attachment_names(names: &[String]) -> String {
    if names.is_empty() {
        "verify report".into()
    } else {
        names.join(", ")
    }
}

/// Which region-hours of the analysed window hold no trail file, range by range; hours a
/// verified digest proves empty are listed apart (they are not gaps).
fn coverage(t: &Timeline) -> Vec<Block> {
    let c = &t.coverage;
    let mut out = vec![Block::KeyValue(vec![(
        "Coverage by region-hour".into(),
        c.statement.clone(),
    )])];
    for w in &c.windows {
        out.push(Block::para(format!(
            "{}: analysed window {} to {} ({} hour(s)), {} account and region pair(s) with trail keys.",
            w.case, w.from, w.to, w.hours, w.trail_regions
        )));
    }
    if !c.not_covered.is_empty() {
        out.push(Block::para(
            "Not covered (an evidence gap each: these hours' trail records are missing, in whole or in part, and no verified digest proves them empty):",
        ));
        out.push(Block::Bullets(
            c.not_covered.iter().map(|r| r.text.clone()).collect(),
        ));
    }
    if !c.searched_not_selected.is_empty() {
        out.push(Block::para(
            "Searched by Athena, no evidence found (the case holds the files the search chose; these hours' files were not fetched, which is neither a gap nor proof of no activity):",
        ));
        out.push(Block::Bullets(
            c.searched_not_selected
                .iter()
                .map(|r| r.text.clone())
                .collect(),
        ));
    }
    if !c.proven_empty.is_empty() {
        out.push(Block::para(
            "No activity, proven (CloudTrail writes a digest even for hours without log files):",
        ));
        out.push(Block::Bullets(
            c.proven_empty.iter().map(|r| r.text.clone()).collect(),
        ));
    }
    out
}
