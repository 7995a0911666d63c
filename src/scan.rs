//! Reads every input in parallel (both cores) and keeps only the records a selector wants,
//! so memory follows what matters, not the size of the evidence.

use crate::classify::keys::{KeyIndex, KeyIssue};
use crate::classify::{is_credential_issue, DecoyBuckets};
use crate::model::{
    action_name, ConfigEvidence, EntryKind, Event, Gap, GapKind, InputSummary, Origin, S3DataEvents,
};
use crate::model::{TimelineEntry, Timestamp};
use crate::parse::{event_id, target_of, RecordItem, RecordSink, RecordView};
use crate::source::files::{read_member, Part};
use crate::source::{read_stored, InputFile};
use rayon::prelude::*;
use serde_json::value::RawValue;
use std::hash::BuildHasher;

mod ahead;
mod archive;
mod holds;
mod late;
mod s3_events;
mod stored;

pub use ahead::ReadAhead;

pub use holds::ReadsRecords;
use stored::appended_gap;
pub use stored::{scan_stored, STREAM_MIN_INFLATED};

/// Decides which records become [`Event`]s.
pub trait Selector: Sync {
    /// Whether to keep `item`, read from the input at `input` (its index in the pass's files).
    fn keep(&self, input: u32, item: &RecordItem<'_>) -> bool;
}

/// What one input gave.
#[derive(Debug, Default)]
pub struct FileResult {
    pub summary: Option<InputSummary>,
    pub gaps: Vec<Gap>,
    /// The pipeline configuration the input held; `None` for the trail files that are nearly
    /// all inputs (boxed: one result per input is kept until the end of the pass).
    pub config: Option<Box<ConfigEvidence>>,
    pub events: Vec<Event>,
    /// What the file holds, in hashes: lets a second pass skip files that cannot hold what it
    /// looks for.
    pub seen: Seen,
    pub keys: KeyIndex,
    /// The earliest and latest eventTime of the records read, kept or not.
    pub period: Option<(Timestamp, Timestamp)>,
    /// The S3 data events the file holds, kept or not, as far as the S3 honeytokens need them
    /// (looked for only with one): without one on a decoy's bucket in any file, the evidence
    /// cannot show a read of that decoy.
    pub s3_data_events: S3DataEvents,
    /// For a file whose archive sniff discovery left to the pass ([`Sniff::Pass`]): what the
    /// sniff tells of it. When that is an archive, the file's records were not read (`late.rs`).
    ///
    /// [`Sniff::Pass`]: crate::source::files::Sniff::Pass
    pub sniffed: Option<crate::source::files::Sniffed>,
}

/// `period` (earliest, latest) widened to take in `more`.
pub fn widen(period: &mut Option<(Timestamp, Timestamp)>, more: (Timestamp, Timestamp)) {
    *period = Some(match *period {
        Some((a, b)) => (a.min(more.0), b.max(more.1)),
        None => more,
    });
}

/// Hashes of what one file holds, sorted and without repeats.
#[derive(Debug, Default)]
pub struct Seen {
    /// Every principal key (ARN, principal id, access key) of its records.
    pub principals: Vec<u64>,
    /// (source address, principal) of its records made from an IP address: the first of the
    /// record's principal keys, 0 when it has none.
    pub addresses: Vec<(u64, u64)>,
}

impl Seen {
    /// The record's principal keys and (address, principal), each pushed unless `recent` shows
    /// it was pushed already ([`settle`](Seen::settle) would drop the repeat anyway).
    fn note(&mut self, view: &RecordView<'_>, recent: &mut Recent) {
        // The first key's hash (0: the record names no principal).
        let mut who = None;
        for hash in view.principal_keys().map(key_hash) {
            who.get_or_insert(hash);
            let slot = &mut recent.principals[hash as usize % RECENT];
            if *slot != Some(hash) {
                *slot = Some(hash);
                self.principals.push(hash);
            }
        }
        if let Some(ip) = view.source_ip.as_str().filter(|ip| looks_like_ip(ip)) {
            let pair = (key_hash(ip), who.unwrap_or(0));
            let slot = &mut recent.addresses[(pair.0 ^ pair.1) as usize % RECENT];
            if *slot != Some(pair) {
                *slot = Some(pair);
                self.addresses.push(pair);
            }
        }
    }

    /// Sorted and without repeats. Kept until the second pass for every file: without the
    /// shrink the capacity of three hashes per record stays allocated, and memory grows with the
    /// evidence (120 MB at 5 M records).
    fn settle(&mut self) {
        self.principals.sort_unstable();
        self.principals.dedup();
        self.principals.shrink_to_fit();
        self.addresses.sort_unstable();
        self.addresses.dedup();
        self.addresses.shrink_to_fit();
    }
}

/// Slots of [`Recent`].
const RECENT: usize = 16;

/// Hashes one file's records pushed into its [`Seen`], one per slot by the hash's low bits (the
/// last one pushed there): a hash found in its slot is not pushed again. A slot only ever holds
/// a hash already pushed, so every distinct hash is pushed at least once and `settle` comes to
/// the same sorted set. A file's records name a few principals (about 10 per trail file of the
/// benchmark set, three keys each, a thousand records), so most pushes and most of `settle`'s
/// sort are spared.
#[derive(Default)]
struct Recent {
    principals: [Option<u64>; RECENT],
    addresses: [Option<(u64, u64)>; RECENT],
}

/// Whether `s` may be an IP address (v4 or v6) rather than a service's name
/// (`s3.amazonaws.com`) or `AWS Internal`: only hex digits, dots and colons. A false yes only
/// makes a second pass read a file more; the correlation parses the address.
fn looks_like_ip(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_hexdigit() || b == b'.' || b == b':')
}

/// Inputs that may still be arriving: an acquisition stores them while the analysis runs.
pub trait Arrivals: Sync {
    /// Return once `file` is complete on disk, or will not come (reading it then fails).
    fn wait(&self, file: &InputFile);
    /// Every input has arrived: the acquisition's gaps.
    fn finish(&self) -> Vec<Gap>;
}

/// Options for one pass.
#[derive(Clone, Copy)]
pub struct PassOptions<'a> {
    pub max_inflated: u64,
    /// First pass: also index principals and issued keys.
    pub index: bool,
    /// First pass with an S3 honeytoken: the decoys' buckets, to note each file's S3 data events
    /// by bucket ([`FileResult::s3_data_events`]; a text search of each S3 record, so not done
    /// without one).
    pub s3_decoys: Option<&'a DecoyBuckets>,
    /// Files still arriving: each is read once it is complete.
    pub arrivals: Option<&'a dyn Arrivals>,
}

/// Scan the files at `which` (indices into `files`); results come back in that order.
pub fn scan(
    files: &[InputFile],
    which: &[u32],
    opts: PassOptions<'_>,
    selector: &dyn Selector,
    progress: &(dyn Fn(usize) + Sync),
) -> Vec<FileResult> {
    scan_ahead(files, which, opts, selector, progress, Ahead::None)
}

/// What a pass does with a [`ReadAhead`]: nothing, keep what it reads of the files that hold
/// only LookupEvents records (the pre-pass), or give a file's kept records instead of reading
/// it again (the first pass).
#[derive(Clone, Copy)]
pub enum Ahead<'a> {
    None,
    Keep(&'a ReadAhead),
    Give(&'a ReadAhead),
}

/// [`scan`], keeping or giving what the pre-pass read ([`Ahead`]).
pub fn scan_ahead(
    files: &[InputFile],
    which: &[u32],
    opts: PassOptions<'_>,
    selector: &dyn Selector,
    progress: &(dyn Fn(usize) + Sync),
    ahead: Ahead<'_>,
) -> Vec<FileResult> {
    // Largest first (by the size discovery saw; ties and files it did not size in their
    // order): a pass, and each first-pass batch, waits for its last file, and one large file
    // read last keeps one core busy while the other has nothing left (the case's 3.6 MB
    // `manifest.json` at the end of the 1 M set's last batch). The order files are read in is
    // the threads' to choose anyway; the results go back into the order of `which`.
    // Files still arriving are read in the order they are listed (they arrive in it).
    let mut order: Vec<usize> = (0..which.len()).collect();
    if opts.arrivals.is_none() {
        order.sort_by_key(|&n| std::cmp::Reverse(size_hint(&files[which[n] as usize])));
    }
    let mut read: Vec<(usize, FileResult)> = order
        .par_iter()
        .map(|&n| {
            let i = which[n];
            let r = scan_one(&files[i as usize], i, opts, selector, ahead);
            progress(1);
            (n, r)
        })
        .collect();
    read.sort_unstable_by_key(|(n, _)| *n);
    read.into_iter().map(|(_, r)| r).collect()
}

/// The stored size discovery saw of `file` (0 when it did not look): only an order of reading.
fn size_hint(file: &InputFile) -> u64 {
    file.head.0.map_or(0, |(size, _)| size)
}

/// The hash of a principal key (the second pass's choice of files: a collision only makes it
/// read a file more) or of an eventID (the copy count's key: a collision only makes two records
/// candidates, their contents decide): foldhash with a fixed seed, several times faster than
/// SipHash on short keys.
pub fn key_hash(key: &str) -> u64 {
    foldhash::fast::FixedState::with_seed(0).hash_one(key)
}

fn scan_one(
    file: &InputFile,
    input: u32,
    opts: PassOptions<'_>,
    selector: &dyn Selector,
    ahead: Ahead<'_>,
) -> FileResult {
    let mut result = FileResult::default();
    if let Some(arrivals) = opts.arrivals {
        arrivals.wait(file);
    }
    if let Some(kept) = match ahead {
        Ahead::Give(kept) => kept.take(input),
        _ => None,
    } {
        let mut sink = Collect {
            input,
            selector,
            index: opts.index,
            s3_decoys: opts.s3_decoys,
            out: &mut result,
            recent: Recent::default(),
        };
        if ahead::replay(&kept, &mut sink) {
            let read = crate::source::ReadInput {
                sha256: kept.sha256,
                size: kept.size,
                content: Vec::new(),
                problems: kept.problems,
                appended: None,
                hold: None,
            };
            return finish(result, file, read, kept.doc, &[]);
        }
    }
    let opened = match &file.part {
        None => read_stored(&file.path, opts.max_inflated).map(|s| (s, Vec::new())),
        Some(Part::Archive) => return archive::archive_result(file),
        Some(Part::Member(member)) => read_member(&file.path, member, opts.max_inflated),
    };
    let (stored, member_problems) = match opened {
        Ok(opened) => opened,
        Err(e) => {
            result
                .gaps
                .push(Gap::unreadable(file.display.to_string(), e));
            result.summary = Some(InputSummary {
                path: file.display.clone(),
                sha256: String::new(),
                size: 0,
                kind: "unreadable".into(),
                records_read: 0,
                records_rejected: 0,
            });
            return result;
        }
    };
    let name = match &file.part {
        // The member's own file name: a trail file in a zip reads as it would on disk.
        Some(Part::Member(member)) => member.name.rsplit('/').next().unwrap_or("").to_string(),
        _ => file
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    };
    if let Some(nested) = archive::nested(file, &stored.bytes) {
        return nested;
    }
    let sniffing = late::sniffed_here(file);
    if sniffing {
        result.sniffed = late::before(file, &stored.bytes, stored.whole.is_whole());
        if let Some(late) = late_archive(&result.sniffed) {
            return late;
        }
    }
    let mut sink = Collect {
        input,
        selector,
        index: opts.index,
        s3_decoys: opts.s3_decoys,
        out: &mut result,
        recent: Recent::default(),
    };
    let whole = stored.whole.is_whole() && member_problems.is_empty();
    let (mut read, doc) = match ahead {
        Ahead::Keep(keep) => {
            let mut noting = ahead::Noting::new(&mut sink);
            let (read, doc) =
                scan_stored(stored.bytes, input, &name, opts.max_inflated, &mut noting);
            let kept = noting.kept(&read.sha256, read.size, &read.problems, &doc);
            // Not a file the pass sniffs (discovery leaves the sniff only of files it lists as
            // gzip, which the pre-pass does not read): what the sniff tells goes into the first
            // pass's own result, which a kept file's does not have.
            let given = whole && read.appended.is_none() && !sniffing;
            if let Some(kept) = kept.filter(|_| given) {
                keep.keep(input, kept);
            }
            (read, doc)
        }
        _ => scan_stored(stored.bytes, input, &name, opts.max_inflated, &mut sink),
    };
    if sniffing && result.sniffed.is_none() {
        let clean = read.problems.is_empty() && stored.whole.is_whole();
        result.sniffed = Some(late::after(file, &read.content, clean));
        if let Some(late) = late_archive(&result.sniffed) {
            crate::gzip_member::recycle(std::mem::take(&mut read.content));
            return late;
        }
    }
    // Read: the next input on this thread inflates into the same memory.
    crate::gzip_member::recycle(std::mem::take(&mut read.content));
    stored.whole.apply(&mut read);
    finish(result, file, read, doc, &member_problems)
}

/// The file's result from what reading it gave: its gaps, configuration, summary.
fn finish(
    mut result: FileResult,
    file: &InputFile,
    read: crate::source::ReadInput,
    doc: crate::parse::DocumentScan,
    member_problems: &[(GapKind, String)],
) -> FileResult {
    let appended = read.appended.as_ref().map(appended_gap);
    for (kind, reason) in member_problems
        .iter()
        .chain(&read.problems)
        .chain(&appended)
    {
        result.gaps.push(Gap {
            path: file.display.to_string(),
            index: None,
            kind: *kind,
            reason: reason.clone(),
        });
    }
    let rejected = doc
        .gaps
        .iter()
        .filter(|g| g.0.is_some() && g.1.rejects_record())
        .count() as u64;
    for (index, kind, reason) in doc.gaps {
        result.gaps.push(Gap {
            path: file.display.to_string(),
            index,
            kind,
            reason,
        });
    }
    result.config = (doc.config != ConfigEvidence::default()).then(|| Box::new(doc.config));
    result.seen.settle();
    result.summary = Some(InputSummary {
        path: file.display.clone(),
        sha256: read.sha256,
        size: read.size,
        kind: match doc.kinds.len() {
            0 => "unrecognised".into(),
            1 => doc.kinds.first().copied().unwrap_or_default().into(),
            _ => doc
                .kinds
                .iter()
                .copied()
                .collect::<Vec<_>>()
                .join("+")
                .into(),
        },
        records_read: doc.records,
        records_rejected: rejected,
    });
    result
}

/// The result of a file the pass found to be an archive (discovery left its sniff to the pass):
/// nothing but that, for the analysis to start again with the archive listed as discovery lists
/// one.
fn late_archive(sniffed: &Option<crate::source::files::Sniffed>) -> Option<FileResult> {
    matches!(sniffed, Some(Some((Some(_), _)))).then(|| FileResult {
        sniffed: *sniffed,
        ..FileResult::default()
    })
}

struct Collect<'a> {
    input: u32,
    selector: &'a dyn Selector,
    index: bool,
    s3_decoys: Option<&'a DecoyBuckets>,
    out: &'a mut FileResult,
    recent: Recent,
}

impl RecordSink for Collect<'_> {
    fn record(&mut self, item: RecordItem<'_>) {
        widen(&mut self.out.period, (item.time, item.time));
        if let Some(decoys) = self.s3_decoys {
            s3_events::note_s3_data_event(decoys, &item, &mut self.out.s3_data_events);
        }
        if self.index {
            self.out.seen.note(item.view, &mut self.recent);
            if is_credential_issue(item.view) {
                if let Some(issue) = KeyIssue::from_record(item.view, item.time, &event_id(&item)) {
                    self.out.keys.insert(issue);
                }
            }
        }
        if self.selector.keep(self.input, &item) {
            self.out.events.push(to_event(&item, self.input));
        }
    }
}

/// The timeline row of a record read, as [`TimelineEntry::from_event`] makes it from
/// [`to_event`]'s event, without the event (its copy of the record above all): for `--all`,
/// which makes one per record. A record with no `eventSource` (a CloudTrail Insights event
/// among them) goes through the event.
pub fn to_entry(item: &RecordItem<'_>, input: u32, kind: EntryKind) -> TimelineEntry {
    let v = item.view;
    let (Some(source), Some(name)) = (v.event_source.as_str(), v.event_name.as_str()) else {
        return TimelineEntry::from_event(&to_event(item, input), kind, Vec::new());
    };
    let identity = v.identity();
    TimelineEntry {
        time: item.time,
        event_id: event_id(item),
        source: item.via.to_string(),
        actor: identity.label(),
        actor_type: identity.kind,
        action: action_name(source, name),
        target: target_of(v).unwrap_or_default(),
        outcome: v.outcome(),
        source_ip: v.source_ip.owned().unwrap_or_default(),
        user_agent: v.user_agent.owned().unwrap_or_default(),
        region: v.region.owned().unwrap_or_default(),
        kind,
        incidents: Vec::new(),
        input,
        index: item.index,
        tie: false,
        counted_as: String::new(),
    }
}

/// Lift a kept record into the model.
pub fn to_event(item: &RecordItem<'_>, input: u32) -> Event {
    let v = item.view;
    Event {
        time: item.time,
        event_id: event_id(item),
        event_source: v.event_source.owned().unwrap_or_default(),
        event_name: v.event_name.owned().unwrap_or_default(),
        region: v.region.owned().unwrap_or_default(),
        identity: v.identity(),
        source_ip: v.source_ip.owned(),
        user_agent: v.user_agent.owned(),
        error_code: v.failure(),
        error_message: v.error_message.owned(),
        read_only: v.read_only(),
        network: v.network_activity(),
        target: target_of(v),
        origin: Origin {
            input,
            index: item.index,
        },
        via: item.via,
        // Valid JSON by construction: the record was parsed from exactly these bytes.
        raw: RawValue::from_string(item.raw.to_owned()).expect("a parsed record is JSON"),
    }
}

#[cfg(test)]
mod tests;
