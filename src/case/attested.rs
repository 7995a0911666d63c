//! `trailcase verify --report REPORT.pdf CASE`: does the evidence still match what a report attests?
//! Every input the report lists in its `inputs.sha256` attachment must be in CASE with that SHA-256,
//! and every attachment must hash to the SHA-256 the report's appendix prints for it.
//!
//! Reads the PDF through [`super::report_pdf`] and the case's files; prints nothing. Paths in the
//! report are as the report was run (`samples/incident-01/...`): their longest common directory is
//! taken to be CASE.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest as _, Sha256};

use super::manifest::sha256_file;
use super::report_pdf::{read_report, ReportPdf, ReportPdfError};

/// The attachment that lists every input with its SHA-256, in `sha256sum` format.
pub const INPUTS_ATTACHMENT: &str = "inputs.sha256";
/// The appendix's attachment table header, after which each attachment's SHA-256 is printed.
const ATTACHMENT_TABLE: &str = "SHA-256 of the attachment";

#[derive(Debug, thiserror::Error)]
pub enum ReportCheckError {
    #[error("cannot read {}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}", path.display())]
    Pdf {
        path: PathBuf,
        source: ReportPdfError,
    },
    #[error("{}: not a trailcase report: it has no {INPUTS_ATTACHMENT} attachment", path.display())]
    NoInputList { path: PathBuf },
    #[error("{}: not a case directory", path.display())]
    NotADirectory { path: PathBuf },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AttestedKind {
    /// An input the report attests is not in CASE.
    InputMissing,
    /// An input is in CASE with another SHA-256 than the report states.
    InputChanged,
    /// An input could not be read.
    InputUnreadable,
    /// An attachment's bytes do not hash to what the appendix prints.
    AttachmentModified,
    /// An attachment whose SHA-256 the appendix does not print.
    AttachmentNotPrinted,
    /// The appendix counts another number of attachments than the PDF holds.
    AttachmentCount,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct AttestedProblem {
    pub subject: String,
    pub kind: AttestedKind,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttestedReport {
    pub schema_version: u32,
    pub report: String,
    pub case: String,
    pub verified: bool,
    pub line: String,
    /// Inputs the report attests, and of them those in CASE with the same SHA-256.
    pub inputs: usize,
    pub inputs_matching: usize,
    /// Attachments of the PDF, and of them those matching the SHA-256 the appendix prints.
    pub attachments: usize,
    pub attachments_matching: usize,
    /// Sorted by subject and kind.
    pub problems: Vec<AttestedProblem>,
}

/// `<sha256>  <path>` lines; a `*` (binary mode) before the path is dropped.
fn parse_sha256sum(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|l| {
            let (hash, path) = l.split_once(' ')?;
            let path = path.trim_start_matches([' ', '*']);
            (hash.len() == 64 && !path.is_empty()).then(|| (hash.to_ascii_lowercase(), path.into()))
        })
        .collect()
}

/// The longest directory prefix (ending in `/`) shared by every path.
fn common_dir(paths: &[&str]) -> String {
    let Some(first) = paths.first() else {
        return String::new();
    };
    let mut prefix = match first.rfind('/') {
        Some(i) => &first[..=i],
        None => "",
    };
    for p in paths {
        while !p.starts_with(prefix) {
            prefix = match prefix[..prefix.len() - 1].rfind('/') {
                Some(i) => &prefix[..=i],
                None => "",
            };
        }
    }
    prefix.to_string()
}

/// The first SHA-256 in `text`: a run of exactly 64 hex digits, or (as the appendix prints it, in
/// two lines) a run of 32 and, after white space only, another run of 32.
fn first_sha256(text: &str) -> Option<String> {
    // Every maximal run of hex digits, as (start, end).
    let bytes = text.as_bytes();
    let mut runs = Vec::new();
    let mut start = None;
    for (i, b) in bytes.iter().chain(std::iter::once(&b' ')).enumerate() {
        match (b.is_ascii_hexdigit(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                runs.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    for (k, &(s, e)) in runs.iter().enumerate() {
        if e - s == 64 {
            return Some(text[s..e].to_string());
        }
        if e - s == 32 {
            if let Some(&(s2, e2)) = runs.get(k + 1) {
                if e2 - s2 == 32 && text[e..s2].chars().all(char::is_whitespace) {
                    return Some(format!("{}{}", &text[s..e], &text[s2..e2]));
                }
            }
        }
    }
    None
}

fn check_attachments(pdf: &ReportPdf, problems: &mut Vec<AttestedProblem>) -> usize {
    // From the table's first header: a table split across pages repeats its header, and the
    // rows before the last repeat must still be found.
    let table = pdf.text.find(ATTACHMENT_TABLE).map(|i| &pdf.text[i..]);
    let mut matching = 0;
    for (name, bytes) in &pdf.attachments {
        let actual = hex::encode(Sha256::digest(bytes));
        let printed = table
            .and_then(|t| t.find(name.as_str()).map(|i| &t[i + name.len()..]))
            .and_then(first_sha256);
        match printed {
            Some(p) if p.eq_ignore_ascii_case(&actual) => matching += 1,
            Some(p) => problems.push(AttestedProblem {
                subject: name.clone(),
                kind: AttestedKind::AttachmentModified,
                detail: format!("SHA-256 is {actual}, the appendix prints {p}"),
            }),
            None => problems.push(AttestedProblem {
                subject: name.clone(),
                kind: AttestedKind::AttachmentNotPrinted,
                detail:
                    "the appendix prints no SHA-256 for it (added to the PDF after it was made?)"
                        .into(),
            }),
        }
    }
    const COUNT: &str = "Every file attached to this PDF (";
    if let Some(n) = pdf.text.rfind(COUNT).and_then(|i| {
        let rest = &pdf.text[i + COUNT.len()..];
        rest.split(')').next()?.trim().parse::<usize>().ok()
    }) {
        if n != pdf.attachments.len() {
            problems.push(AttestedProblem {
                subject: "attachments".into(),
                kind: AttestedKind::AttachmentCount,
                detail: format!(
                    "the appendix lists {n} attachment(s), the PDF holds {}",
                    pdf.attachments.len()
                ),
            });
        }
    }
    matching
}

fn check_inputs(
    listed: &[(String, String)],
    case: &Path,
    problems: &mut Vec<AttestedProblem>,
) -> usize {
    let paths: Vec<&str> = listed.iter().map(|(_, p)| p.as_str()).collect();
    let prefix = common_dir(&paths);
    let folders = super::walk::Folders::of(&[case.to_path_buf()]);
    let found: Vec<Option<AttestedProblem>> = listed
        .par_iter()
        .map(|(stated, path)| {
            let relative = &path[prefix.len()..];
            let file = case.join(relative);
            let problem = |kind, detail: String| {
                Some(AttestedProblem {
                    subject: path.clone(),
                    kind,
                    detail,
                })
            };
            if !file.is_file() {
                return problem(
                    AttestedKind::InputMissing,
                    format!("the report attests it; {} is not in the case", relative),
                );
            }
            // A link out of the case, or a stated path that leaves it, is not read (nor hashed).
            if !super::walk::readable_file(&folders, &file) {
                return problem(
                    AttestedKind::InputUnreadable,
                    format!("{relative} leads outside the case (a symbolic link, or `..` in the path): not read"),
                );
            }
            match sha256_file(&file) {
                Ok(actual) if actual.eq_ignore_ascii_case(stated) => None,
                Ok(actual) => problem(
                    AttestedKind::InputChanged,
                    format!("SHA-256 is {actual}, the report states {stated}"),
                ),
                Err(e) => problem(AttestedKind::InputUnreadable, e.to_string()),
            }
        })
        .collect();
    let before = problems.len();
    problems.extend(found.into_iter().flatten());
    listed.len() - (problems.len() - before)
}

/// Checks `case` against the report at `report`.
pub fn check_report(report: &Path, case: &Path) -> Result<AttestedReport, ReportCheckError> {
    let bytes = std::fs::read(report).map_err(|source| ReportCheckError::Read {
        path: report.into(),
        source,
    })?;
    let pdf = read_report(&bytes).map_err(|source| ReportCheckError::Pdf {
        path: report.into(),
        source,
    })?;
    let Some(inputs) = pdf.attachments.get(INPUTS_ATTACHMENT) else {
        return Err(ReportCheckError::NoInputList {
            path: report.into(),
        });
    };
    if !case.is_dir() {
        return Err(ReportCheckError::NotADirectory { path: case.into() });
    }
    let listed = parse_sha256sum(&String::from_utf8_lossy(inputs));
    let mut problems = Vec::new();
    let attachments_matching = check_attachments(&pdf, &mut problems);
    let inputs_matching = check_inputs(&listed, case, &mut problems);
    problems.sort();
    let verified = problems.is_empty();
    let line = if verified {
        format!(
            "verified: all {} input(s) the report attests are in the case with the same SHA-256, and its {} attachment(s) match the SHA-256 its appendix prints",
            listed.len(),
            pdf.attachments.len()
        )
    } else {
        let mut kinds = std::collections::BTreeMap::new();
        for p in &problems {
            *kinds.entry(p.kind).or_insert(0usize) += 1;
        }
        let parts: Vec<String> = kinds
            .iter()
            .map(|(k, n)| format!("{} {n}", crate::model::wire_name(*k)))
            .collect();
        format!("problems found: {} ({})", problems.len(), parts.join(", "))
    };
    Ok(AttestedReport {
        schema_version: 1,
        report: report.display().to_string(),
        case: case.display().to_string(),
        verified,
        line,
        inputs: listed.len(),
        inputs_matching,
        attachments: pdf.attachments.len(),
        attachments_matching,
        problems,
    })
}

/// The check as text: the verdict line, the counts, then each problem.
pub fn render_text(r: &AttestedReport) -> String {
    use super::printable::printable;
    let mut out = format!(
        "verdict: {}\nreport: {}\ncase: {}\ninputs: {} of {} attested input(s) present with the same SHA-256\nattachments: {} of {} match the SHA-256 the appendix prints\n",
        printable(&r.line),
        printable(&r.report),
        printable(&r.case),
        r.inputs_matching,
        r.inputs,
        r.attachments_matching,
        r.attachments
    );
    if !r.problems.is_empty() {
        out.push_str(&format!("\nproblems ({}):\n", r.problems.len()));
        for p in &r.problems {
            out.push_str(&format!(
                "  {}\n    {} {}\n",
                printable(&p.subject),
                crate::model::wire_name(p.kind),
                printable(&p.detail)
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_common_directory_is_the_case() {
        assert_eq!(common_dir(&["a/b/c.json", "a/b/d/e.json"]), "a/b/");
        assert_eq!(common_dir(&["a/b/c.json", "x.json"]), "");
        assert_eq!(common_dir(&["a/b/c.json"]), "a/b/");
    }

    #[test]
    fn a_sha256_is_exactly_64_hex_digits() {
        let h = "a".repeat(64);
        assert_eq!(first_sha256(&format!("x 28692 {h} y")), Some(h.clone()));
        assert_eq!(first_sha256(&format!("{h}0")), None);
    }

    /// The appendix prints a SHA-256 in two lines of 32 hex digits; the text has them apart.
    #[test]
    fn a_sha256_printed_in_two_halves_is_read_whole() {
        let (a, b) = ("0123456789abcdef".repeat(2), "fedcba9876543210".repeat(2));
        let whole = format!("{a}{b}");
        assert_eq!(
            first_sha256(&format!("26604 {a} {b} next")),
            Some(whole.clone())
        );
        assert_eq!(first_sha256(&format!("26604 {a}\n{b}")), Some(whole));
        // Two halves with other text between them are not one hash.
        assert_eq!(first_sha256(&format!("{a} x {b}")), None);
        assert_eq!(first_sha256(&format!("{a} {b}0")), None);
    }

    #[test]
    fn sha256sum_lines() {
        let h = "A".repeat(64);
        let parsed = parse_sha256sum(&format!("{h}  a/b c.json\n{h} *d\nbad line\n"));
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[0].1, "a/b c.json");
        assert_eq!(parsed[1].1, "d");
    }
}
