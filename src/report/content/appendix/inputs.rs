//! The appendix's list of inputs, and the same list attached to the PDF in full.
//!
//! Every input is in two attachments: `inputs.sha256` (the `sha256sum` format, so
//! `sha256sum -c inputs.sha256` checks the evidence where the report was made; the SHA-256
//! recorded on acquisition where a manifest has one, see [`super::custody`]) and `inputs.csv`
//! (kind, size, records read and rejected, both hashes, and the custody fields). The printed
//! table lists, one line each and by the number the evidence tables cite, the inputs the report
//! cites, holds its configuration from, or that had a problem, and sums the other trail files,
//! digests and signatures up by kind and folder: a month of trail files gives a report of dozens
//! of pages, not thousands, and loses nothing.

use super::super::{fmt, IntegrityStatement};
use super::custody;
use super::kind_words::kind_words;
use crate::export::csv_cell;
use crate::model::{InputSummary, Origin, Timeline};
use crate::report::{Attachment, Block, Cell, Column, Table};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// The kinds summed up by kind and folder unless the report cites the file or it had a
/// problem: trail files, and the digests and signatures the integrity section sums up.
const SUMMED_KINDS: [&str; 3] = [
    "cloudtrail-records",
    "cloudtrail-digest",
    "digest-signature",
];

/// The two attachments that carry every input.
pub fn attachments(t: &Timeline, st: &IntegrityStatement) -> Vec<Attachment> {
    let mut sums = String::new();
    for i in &t.inputs {
        sums.push_str(&sha256sum_line(custody::stated_sha256(i, st), &i.path));
    }
    let mut csv = csv_cell::writer(Vec::new(), true);
    let header = [
        "input",
        "path",
        "kind",
        "size",
        "records_read",
        "records_rejected",
        "sha256",
        "acquisition_sha256",
        "acquired_at",
        "collector",
        "source",
    ];
    // Writing to a Vec cannot fail.
    let _ = csv.write_record(header);
    for (n, i) in t.inputs.iter().enumerate() {
        let c = custody::of(i, st);
        let field = |f: fn(&super::super::Custody) -> &str| c.map_or("", f);
        let cells: [&str; 11] = [
            &(n + 1).to_string(),
            &i.path,
            &i.kind,
            &i.size.to_string(),
            &i.records_read.to_string(),
            &i.records_rejected.to_string(),
            &i.sha256,
            field(|c| &c.sha256),
            field(|c| &c.acquired_at),
            field(|c| &c.collector),
            field(|c| &c.source),
        ];
        let _ = csv.write_record(cells.map(csv_cell::neutralise).iter().map(|c| c.as_bytes()));
    }
    let csv = csv.into_inner().unwrap_or_default();
    vec![
        Attachment {
            name: "inputs.sha256".into(),
            mime: "text/plain".into(),
            description: "SHA-256 of every input in sha256sum format: as recorded on acquisition where a manifest lists the input, else as read for this report".into(),
            data: sums.into_bytes(),
        },
        Attachment {
            name: "inputs.csv".into(),
            mime: "text/csv".into(),
            description: "Every input: kind, size, records read and rejected, SHA-256 as read for this report and as recorded on acquisition, when, by whom and from where".into(),
            data: csv,
        },
    ]
}

/// One line of `sha256sum` output. A name with a newline or a backslash is escaped the way GNU
/// `sha256sum` does (a leading `\`, then `\n`, `\r` and `\\`), so that a hostile file name cannot
/// forge a line of its own.
fn sha256sum_line(sha256: &str, path: &str) -> String {
    if path.contains(['\n', '\r', '\\']) {
        let escaped = path
            .replace('\\', "\\\\")
            .replace('\n', "\\n")
            .replace('\r', "\\r");
        format!("\\{sha256}  {escaped}\n")
    } else {
        format!("{sha256}  {path}\n")
    }
}

/// The "Inputs" part of the appendix.
pub fn blocks(
    t: &Timeline,
    st: &IntegrityStatement,
    attachments: &[Attachment],
    summed: &HashSet<Origin>,
) -> Vec<Block> {
    // A copy count that did not compare every record gives a lower bound, and says so.
    let (at_least, why) = match t.copy_count {
        crate::model::CopiesCounted::Complete => ("", ""),
        crate::model::CopiesCounted::Partial => ("at least ", " The copy count is incomplete: some records could not be read again to compare (see the copy_count_incomplete evidence gaps)."),
        crate::model::CopiesCounted::KeptRowsOnly => ("at least ", " The copy count over every record read failed: only the copies among the records kept are counted (see the copy_count_incomplete evidence gap)."),
    };
    let mut out = vec![Block::para(format!(
        "{} inputs; {} records read, {} rejected, {at_least}{} duplicate copies dropped (records read that repeat another record read, the same eventID and content, whether the analysis kept it or not).{why}",
        t.inputs.len(),
        t.records_read,
        t.records_rejected,
        t.duplicates_dropped
    ))];
    out.push(Block::para(custody::paragraph(t, st)));
    if !st.acquisitions.is_empty() {
        out.push(Block::KeyValue(st.acquisitions.clone()));
    }
    out.push(Block::para(
        "Every input is also in the files attached to this PDF (a PDF reader lists them; the command pdfdetach -saveall extracts them). The command sha256sum -c inputs.sha256, run where the report was made, checks the evidence against the SHA-256 this report states for it.",
    ));
    out.push(Block::Table(Table {
        columns: vec![
            Column::new("Attachment", 1.2),
            Column::new("What it holds", 3.6),
            Column::right("Bytes", 0.8),
            // The hash in two lines of 32 hex digits (`verify --report` reads them as one).
            Column::new("SHA-256 of the attachment", 2.6),
        ],
        rows: attachments
            .iter()
            .map(|a| {
                vec![
                    Cell::text(&a.name),
                    Cell::text(&a.description),
                    Cell::text(a.data.len().to_string()),
                    Cell::mono(fmt::sha256_lines(&hex::encode(Sha256::digest(&a.data)))),
                ]
            })
            .collect(),
        caption: Some(format!(
            "Every file attached to this PDF ({}), with its SHA-256.",
            attachments.len()
        )),
    }));
    let listed = listed_inputs(t, st, summed);
    let summed = t.inputs.len() - listed.len();
    let base = common_folder(t.inputs.iter().map(|i| &*i.path));
    let relative = if base.is_empty() {
        String::new()
    } else {
        format!(" Paths are relative to {base}.")
    };
    out.push(Block::para(if summed == 0 {
        format!(
            "Every input, by the number the evidence tables cite (\"input N\"), with its custody.{relative} {}",
            custody_note(t, st)
        )
    } else {
        format!(
            "Listed one by one, by the number the evidence tables cite (\"input N\"): the {} inputs that hold a record a table of this report prints, hold the configuration or a notification, or had a problem. The other {summed} (trail files, digests and their signatures) are summed up by kind and folder below; every one, with its SHA-256 and custody, is in inputs.csv and inputs.sha256.{relative} {}",
            listed.len(),
            custody_note(t, st)
        )
    }));
    out.push(input_table(
        listed.iter().map(|&n| (n, &t.inputs[n])),
        st,
        base.len(),
    ));
    if summed > 0 {
        out.push(Block::heading(3, "Other inputs, by kind and folder"));
        out.push(folder_table(
            t.inputs
                .iter()
                .enumerate()
                .filter(|(n, _)| !listed.contains(n))
                .map(|(_, i)| i),
            base.len(),
        ));
    }
    out
}

/// The folder every path is in (up to and with its last `/`), or "" when they share none.
fn common_folder<'a>(mut paths: impl Iterator<Item = &'a str>) -> &'a str {
    let Some(first) = paths.next() else {
        return "";
    };
    let mut len = first.rfind('/').map_or(0, |k| k + 1);
    for p in paths {
        let same = first
            .bytes()
            .zip(p.bytes())
            .take(len)
            .take_while(|(a, b)| a == b)
            .count();
        // By bytes: the paths may differ inside a multi-byte character; `/` is a boundary.
        len = first.as_bytes()[..same]
            .iter()
            .rposition(|&b| b == b'/')
            .map_or(0, |k| k + 1);
    }
    &first[..len]
}

/// One sentence on how the rows state custody.
fn custody_note(t: &Timeline, st: &IntegrityStatement) -> &'static str {
    let of = |i| custody::of(i, st);
    if t.inputs
        .iter()
        .any(|i| of(i).is_some_and(|c| custody::changed(i, c)))
    {
        "A row marked CHANGED SINCE ACQUISITION gives the SHA-256 recorded on acquisition and, under it, the one the file has now."
    } else if t
        .inputs
        .iter()
        .any(|i| of(i).is_some_and(|c| c.source.starts_with("synthetic:")))
    {
        "A generated input's row does not repeat that it was hashed when generated (the manifest above); inputs.csv has each one's time."
    } else {
        "Each row gives the SHA-256 stated above and its custody."
    }
}

/// Indices of the inputs printed one by one: those holding a record the report cites, every
/// input that is not a trail file, digest or signature, and every input with a problem.
fn listed_inputs(
    t: &Timeline,
    st: &IntegrityStatement,
    summed: &HashSet<Origin>,
) -> BTreeSet<usize> {
    let gap_paths: BTreeSet<&str> = t.gaps.iter().map(|g| g.path.as_str()).collect();
    // A busy actor's calls summed up by day and API (`summed`) are cited by no table (their
    // attachment lists each with its input): their files are summed up too, unless something
    // else cites them.
    let mut listed: BTreeSet<usize> = t
        .events
        .iter()
        .filter(|e| !summed.contains(&e.origin))
        .map(|e| e.origin.input as usize)
        .collect();
    listed.extend(
        t.entries
            .iter()
            .filter(|e| !summed.contains(&e.origin()))
            .map(|e| e.input as usize),
    );
    for (n, i) in t.inputs.iter().enumerate() {
        let changed = custody::of(i, st).is_some_and(|c| custody::changed(i, c));
        if !SUMMED_KINDS.contains(&&*i.kind)
            || i.records_rejected > 0
            || gap_paths.contains(&*i.path)
            || changed
        {
            listed.insert(n);
        }
    }
    listed.retain(|&n| n < t.inputs.len());
    listed
}

/// The inputs, each with its number (the evidence tables' "input N, record R" points here), one
/// line each unless the path is long or the file changed since acquisition.
fn input_table<'a>(
    inputs: impl Iterator<Item = (usize, &'a InputSummary)>,
    st: &IntegrityStatement,
    base: usize,
) -> Block {
    Block::Table(Table {
        columns: vec![
            Column::right("#", 0.45),
            Column::new("Input", 5.8),
            // Room for the identifier under the words (`athena-query-results`) on one line.
            Column::new("Kind", 2.0),
            Column::right("Read", 0.6),
            Column::right("Rej.", 0.5),
            // Two lines of 32 hex digits: the path gets the room.
            Column::new("SHA-256", 2.6),
        ],
        rows: inputs
            .map(|(n, i)| {
                let c = custody::of(i, st);
                let changed = c.is_some_and(|c| custody::changed(i, c));
                vec![
                    Cell::text((n + 1).to_string()),
                    match c {
                        Some(_) if changed => {
                            Cell::alert(format!("{}\n{}", &i.path[base..], custody::line(i, st)))
                        }
                        // Generated: the paragraph above says so once for all of them.
                        Some(c) if c.source.starts_with("synthetic:") => {
                            Cell::text(&i.path[base..])
                        }
                        _ => Cell::text(format!("{}\n{}", &i.path[base..], custody::line(i, st))),
                    },
                    Cell::text(kind_words(&i.kind)),
                    Cell::text(i.records_read.to_string()),
                    if i.records_rejected > 0 {
                        Cell::alert(i.records_rejected.to_string())
                    } else {
                        Cell::text("0")
                    },
                    match c {
                        Some(c) if changed => Cell::mono(format!(
                            "{}\n{}",
                            fmt::sha256_lines(&c.sha256),
                            fmt::sha256_lines(&i.sha256)
                        )),
                        _ => Cell::mono(fmt::sha256_lines(custody::stated_sha256(i, st))),
                    },
                ]
            })
            .collect(),
        caption: None,
    })
}

#[derive(Default)]
struct Folder {
    files: u64,
    records: u64,
    bytes: u64,
    first_day: Option<String>,
    last_day: Option<String>,
}

/// A trail file's folder: the region folder for the CloudTrail layout
/// (`.../<region>/YYYY/MM/DD/<file>`, with the day), else the parent directory.
pub fn folder_of(path: &str) -> (String, Option<String>) {
    let parts: Vec<&str> = path.split('/').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if let [.., y, m, d, _file] = parts.as_slice() {
        if digits(y, 4) && digits(m, 2) && digits(d, 2) {
            let folder = parts[..parts.len() - 4].join("/");
            return (format!("{folder}/"), Some(format!("{y}-{m}-{d}")));
        }
    }
    match path.rfind('/') {
        Some(k) => (path[..=k].to_string(), None),
        None => ("./".to_string(), None),
    }
}

fn folder_table<'a>(inputs: impl Iterator<Item = &'a InputSummary>, base: usize) -> Block {
    let mut folders: BTreeMap<(String, String), Folder> = BTreeMap::new();
    for i in inputs {
        let (name, day) = folder_of(&i.path[base..]);
        let f = folders.entry((i.kind.to_string(), name)).or_default();
        f.files += 1;
        f.records += i.records_read;
        f.bytes += i.size;
        if let Some(day) = day {
            if f.first_day.as_ref().is_none_or(|d| &day < d) {
                f.first_day = Some(day.clone());
            }
            if f.last_day.as_ref().is_none_or(|d| &day > d) {
                f.last_day = Some(day);
            }
        }
    }
    Block::Table(Table {
        columns: vec![
            Column::new("Kind", 2.0),
            Column::new("Folder", 4.6),
            Column::right("Files", 0.8),
            Column::right("Records", 1.0),
            Column::right("Bytes", 1.2),
            Column::new("Days", 2.2),
        ],
        rows: folders
            .into_iter()
            .map(|((kind, name), f)| {
                let days = match (f.first_day, f.last_day) {
                    (Some(a), Some(b)) if a == b => a,
                    (Some(a), Some(b)) => format!("{a} to {b}"),
                    _ => "-".into(),
                };
                vec![
                    Cell::text(kind_words(&kind)),
                    Cell::text(name),
                    Cell::text(f.files.to_string()),
                    Cell::text(f.records.to_string()),
                    Cell::text(f.bytes.to_string()),
                    Cell::text(days),
                ]
            })
            .collect(),
        caption: None,
    })
}

#[cfg(test)]
mod tests {
    use super::{common_folder, folder_of, sha256sum_line};

    #[test]
    fn the_common_folder_ends_at_a_slash() {
        let paths = ["case/a/x.json", "case/ab/y.json", "case/a/z.json"];
        assert_eq!(common_folder(paths.into_iter()), "case/");
        assert_eq!(common_folder(["case/a/x.json"].into_iter()), "case/a/");
        assert_eq!(common_folder(["a.json", "case/b.json"].into_iter()), "");
        assert_eq!(common_folder(std::iter::empty()), "");
        assert_eq!(common_folder(["c/é/x", "c/è/y"].into_iter()), "c/");
    }

    /// A file name with a newline would otherwise add a line of its own to `inputs.sha256`.
    #[test]
    fn file_name_with_newline_cannot_forge_a_checksum_line() {
        let h = "ab".repeat(32);
        assert_eq!(sha256sum_line(&h, "a.json"), format!("{h}  a.json\n"));
        let forged = format!("x\n{h}  other.json");
        let line = sha256sum_line(&h, &forged);
        assert_eq!(line.lines().count(), 1);
        assert_eq!(line, format!("\\{h}  x\\n{h}  other.json\n"));
    }

    #[test]
    fn trail_files_are_grouped_by_region_folder_with_their_day() {
        assert_eq!(
            folder_of("c/AWSLogs/1/CloudTrail/us-east-1/2026/11/20/x.json.gz"),
            (
                "c/AWSLogs/1/CloudTrail/us-east-1/".to_string(),
                Some("2026-11-20".to_string())
            )
        );
        assert_eq!(
            folder_of("case/logs/a.json"),
            ("case/logs/".to_string(), None)
        );
        assert_eq!(folder_of("a.json"), ("./".to_string(), None));
        assert_eq!(
            folder_of("c/us-east-1/2026/1/20/x.json"),
            ("c/us-east-1/2026/1/20/".to_string(), None),
            "not the layout: a one-digit month"
        );
    }
}
