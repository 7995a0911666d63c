//! The analysis path every command shares: discover the inputs, read them in two passes
//! (everything of interest, then the actors' own records and the other records made from their
//! addresses), correlate, and return the timeline.
//!
//! The analysis stage: `timeline`, `report`, `rules replay` and `--all` all read the evidence
//! here. Its parts: the two passes (this file, and `second_pass`), [`gate`] (reading files while an acquisition
//! stores them), [`all`] (the `--all` stream of every record), [`replay`] (the records one rule
//! matches). Below `app`: it takes plain values (`AnalysisSettings`, `InputFile`s, `Discovered`), never
//! clap types, and never prints.

mod access_points;
pub mod all;
mod copy_count;
mod copy_gaps;
mod findings;
pub mod gate;
pub mod replay;
mod second_pass;

use crate::classify::{keys::KeyIndex, Classifier};
use crate::correlate::replay::{self as flows, Observer};
use crate::correlate::{self, actor::ActorPlan, copies};
use crate::export::CopyCount;
use crate::model::AnalysisSettings;
use crate::model::{ConfigEvidence, Event, Gap, Origin, Timeline};
use crate::parse::RecordItem;
use crate::scan::{
    scan_ahead, Ahead, Arrivals, FileResult, PassOptions, ReadAhead, Seen, Selector,
};
use crate::source::InputFile;
use copy_count::{Counting, Expected, NoteKeys};
pub use copy_gaps::Outcome as CopyCountOutcome;
use rayon::prelude::*;
use second_pass::{second_pass, wanted_keys};
use std::collections::HashSet;
use std::sync::Mutex;

/// Inputs read in parallel and folded together in the first pass: large enough to keep both
/// cores busy, small enough that the per-input results are not all held at once. After each
/// batch the allocator gives its free pages back, so the resident size follows the live heap
/// (which does not grow with uninteresting records) rather than every buffer size met so far.
/// 1,024 rather than 256: a quarter of the trims and of the waits for a batch's last file, for
/// the same peak RSS at 1 M and 5 M records (`scripts/bench.sh --memory`).
const FIRST_PASS_BATCH: usize = 1024;
/// Bytes of record keys (32 each) held in memory by the copy count before a sorted run goes to
/// disk.
const COPY_COUNT_BUDGET: usize = 8 << 20;

/// First pass: records that matter whoever the actor is.
struct Interesting(Classifier);

impl Selector for Interesting {
    fn keep(&self, _: u32, item: &RecordItem<'_>) -> bool {
        self.0.interesting(item.view)
    }
}

/// Shows every record to the detection replay, then lets `inner` decide.
struct Replaying<'a, S>(S, &'a Observer<'a>);

impl<S: Selector> Selector for Replaying<'_, S> {
    fn keep(&self, input: u32, item: &RecordItem<'_>) -> bool {
        self.1.observe(item);
        self.0.keep(input, item)
    }
}

/// First pass, beside `inner`'s choice: the records of the principals the pre-pass saw reading
/// a honeytoken (in LookupEvents pages and the other plain files), nearly always the actors.
/// Kept now, the files that hold them need not be read again by the second pass. The records
/// kept for this reason alone are noted by where they were read: those of a principal who turns
/// out not to be an actor are dropped, and the rest are what the second pass would have read.
struct Likely<S> {
    inner: S,
    /// A handful of keys (each reader's ARN, principal ID and access key): compared one by one,
    /// which costs less than hashing every record's three keys.
    keys: Vec<String>,
    only: Mutex<Vec<Origin>>,
}

impl<S: Selector> Selector for Likely<S> {
    fn keep(&self, input: u32, item: &RecordItem<'_>) -> bool {
        if self.inner.keep(input, item) {
            return true;
        }
        if self.keys.is_empty()
            || !item
                .view
                .principal_keys()
                .any(|k| self.keys.iter().any(|key| key == k))
        {
            return false;
        }
        let mut only = self.only.lock().unwrap_or_else(|e| e.into_inner());
        only.push(Origin {
            input,
            index: item.index,
        });
        true
    }
}

/// The pre-pass's reader of plain files: notes every record's copy key (`noted`) and the
/// principal keys of each honeytoken read (`readers`), keeps nothing.
struct Prepass<'a> {
    noted: &'a NoteKeys,
    classifier: Classifier,
    readers: Mutex<HashSet<String>>,
}

impl Selector for Prepass<'_> {
    fn keep(&self, input: u32, item: &RecordItem<'_>) -> bool {
        self.noted.keep(input, item);
        if self
            .classifier
            .honeytoken(item.view)
            .is_some_and(|h| h.read)
        {
            let mut readers = self.readers.lock().unwrap_or_else(|e| e.into_inner());
            readers.extend(item.view.principal_keys().map(str::to_owned));
        }
        false
    }
}

/// Read `files` and correlate. `progress` is called once per file read.
pub fn analyse(
    files: &[InputFile],
    discovery_gaps: Vec<Gap>,
    settings: &AnalysisSettings,
    progress: &(dyn Fn(usize) + Sync),
) -> Timeline {
    analyse_arriving(files, discovery_gaps, settings, progress, None)
}

/// [`analyse`] while `arrivals` may still be storing some of `files`: each is read once it is
/// complete, and the acquisition's gaps join the evidence gaps before the correlation. The
/// result is the one [`analyse`] gives on the same files once they have all arrived.
pub fn analyse_arriving(
    files: &[InputFile],
    discovery_gaps: Vec<Gap>,
    settings: &AnalysisSettings,
    progress: &(dyn Fn(usize) + Sync),
    arrivals: Option<&dyn Arrivals>,
) -> Timeline {
    two_passes(
        files,
        discovery_gaps,
        settings,
        progress,
        arrivals,
        &|readers| readers,
    )
}

/// [`analyse_arriving`], keeping in the first pass the records of the principals `likely` makes
/// of the honeytoken's readers the pre-pass saw (see [`Likely`]; the tests give other sets).
///
/// A file whose archive sniff discovery left to the first pass (a `.json.gz`, listed as a gzip
/// file that is no archive) and that the pass finds to be an archive or not gzip: the analysis
/// starts again on the files as discovery would have listed them ([`resolve_late`]), so that the
/// result is the one of a discovery that opened every file first.
///
/// [`resolve_late`]: crate::source::files::resolve_late
fn two_passes(
    files: &[InputFile],
    discovery_gaps: Vec<Gap>,
    settings: &AnalysisSettings,
    progress: &(dyn Fn(usize) + Sync),
    arrivals: Option<&dyn Arrivals>,
    likely: &dyn Fn(HashSet<String>) -> HashSet<String>,
) -> Timeline {
    // What starting again takes: the arguments as given (names below are shadowed).
    let again = (discovery_gaps.clone(), settings, likely);
    let all: Vec<u32> = (0..files.len() as u32).collect();
    let decoys = crate::classify::DecoyBuckets::new(&settings.honeytokens);
    let opts = PassOptions {
        max_inflated: settings.max_inflated_bytes,
        index: true,
        // Only an S3 honeytoken's reads need S3 data events (on its bucket) in the evidence.
        s3_decoys: (!decoys.is_empty()).then_some(&decoys),
        arrivals,
    };
    // The replay needs the pipeline's rules before the first pass sees the records.
    let noted = NoteKeys::default();
    let ahead = ReadAhead::default();
    let (config, readers) = pipeline_prepass_keeping(files, opts, &noted, settings, &ahead);
    crate::phases::mark("pre-pass");
    // The decoys' access points the evidence lists count from here on.
    let listed = access_points::with_listed(settings, &config, files);
    let settings: &AnalysisSettings = listed.as_ref().map_or(settings, |(s, _)| s);
    let classifier = Classifier::new(settings);
    let decoys = crate::classify::DecoyBuckets::new(&settings.honeytokens);
    let opts = PassOptions {
        s3_decoys: (!decoys.is_empty()).then_some(&decoys),
        ..opts
    };
    let readers = likely(readers);
    let specs = flows::specs(settings, &config);
    let expected = Expected::new(noted);
    let observer = Observer::new(&specs, Classifier::new(settings));
    // Every record passes the first pass once: its copies are counted there, kept or not.
    let count = CopyCount::new(COPY_COUNT_BUDGET, files.len());
    let likely = Likely {
        inner: Interesting(classifier),
        keys: readers.iter().cloned().collect(),
        only: Mutex::default(),
    };
    let selector = Counting(Replaying(likely, &observer), &count, &expected);

    let mut timeline = Timeline {
        gaps: discovery_gaps,
        ..Default::default()
    };
    let mut evidence = ConfigEvidence::default();
    let mut keys = KeyIndex::default();
    let mut events: Vec<Event> = Vec::new();
    let mut seen: Vec<Seen> = Vec::with_capacity(files.len());
    let mut late = Vec::new();
    // In batches, folded as they come: one result per input is not kept for the whole pass.
    let first = all.chunks(FIRST_PASS_BATCH).flat_map(|batch| {
        let results = scan_ahead(files, batch, opts, &selector, progress, Ahead::Give(&ahead));
        crate::mem::release_free_memory();
        results
    });
    for FileResult {
        summary,
        gaps,
        config: c,
        events: ev,
        seen: s,
        keys: k,
        period,
        s3_data_events,
        sniffed,
    } in first
    {
        // Not what discovery assumed of it: an archive, or not gzip.
        if let Some(Some((kind, gzip))) = sniffed {
            if kind.is_some() || !gzip {
                late.push((seen.len() as u32, Some((kind, gzip))));
            }
        }
        timeline.s3_data_events.merge(s3_data_events);
        if let Some(p) = period {
            crate::scan::widen(&mut timeline.records_period, p);
        }
        if let Some(s) = summary {
            timeline.records_read += s.records_read;
            timeline.records_rejected += s.records_rejected;
            timeline.inputs.push(s);
        }
        timeline.gaps.extend(gaps);
        if let Some(c) = c {
            evidence.merge(*c);
        }
        keys.extend(k);
        events.extend(ev);
        seen.push(s);
    }
    crate::phases::mark("first pass");
    if !late.is_empty() {
        let (files, mut gaps) = crate::source::files::resolve_late(files, &late);
        let (discovery_gaps, settings, likely) = again;
        gaps.extend(discovery_gaps);
        return two_passes(&files, gaps, settings, progress, arrivals, likely);
    }
    if let Some(a) = arrivals {
        timeline.gaps.extend(a.finish());
    }
    // The likely actors' records apart: the correlation plans on what the first pass keeps
    // whoever the actors are, as it would without them.
    let Counting(Replaying(likely, _), ..) = selector;
    let only: HashSet<Origin> = likely
        .only
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .collect();
    let (mut likely, mut events): (Vec<Event>, Vec<Event>) =
        events.into_iter().partition(|e| only.contains(&e.origin));
    if timeline.records_read == 0 {
        timeline
            .gaps
            .push(Gap::nothing_examined(timeline.inputs.len()));
    }
    // The copy count merges every record's key (runs read back from disk, one thread): beside
    // the replay, the second pass and the correlation, which do not need it.
    let observed = observer.finish();
    std::thread::scope(|s| {
        let counting = s.spawn(|| {
            let all = copy_count::tally(count, files, opts, expected);
            crate::phases::mark("copy count merged (beside)");
            all
        });
        evidence.normalise();
        sort_events(&mut events);
        let (specs, observed) =
            findings::replayed(files, opts, settings, (specs, observed), &evidence);
        crate::phases::mark("the replay's findings");

        let plans: Vec<ActorPlan> = correlate::plan(settings, &events, &keys);
        let wanted = wanted_keys(&plans);
        likely.retain(|e| e.identity.principal_keys().any(|k| wanted.contains(k)));
        crate::phases::mark("plans");
        let second = second_pass(files, &seen, &plans, wanted, &readers, opts);
        crate::phases::mark("second pass");
        events.extend(second.actors);
        // Read once by each pass where a file was read again: one record (see `copies::dedup`).
        events.append(&mut likely);
        sort_events(&mut events);
        let mut copies = copies::dedup(&mut events);
        crate::phases::mark("events sorted and deduplicated");
        // Copies among every record read. Where that count failed or could not compare every
        // record, the numbers are a lower bound, and a gap says which count and why.
        let all = counting
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        crate::phases::mark("copy count joined");
        let (outcome, all, differing) = copy_gaps::Outcome::of(all);
        timeline.duplicates_dropped = copies.dropped.max(all);
        copies::add_differing(&mut copies, &events, &differing);
        timeline.conflicting_copies = copies.conflicting_records();
        outcome.state(&mut timeline);

        let mut c = correlate::correlate(
            settings,
            &plans,
            &events,
            &evidence,
            &timeline.gaps,
            &second.nearby,
        );
        crate::phases::mark("correlation");
        let known = findings::Known {
            settings,
            specs: &specs,
            observed: &observed,
            events: &events,
            evidence: &evidence,
            inputs: &timeline.inputs,
            records_read: timeline.records_read,
            s3_data_events: &timeline.s3_data_events,
        };
        timeline.replay = findings::complete(&known, &copies.conflicts, &mut c);
        timeline.gaps.extend(killswitch_unmatched(&c.findings));
        timeline.conflicts = copies.conflicts;
        timeline.incidents = c.incidents;
        timeline.findings = c.findings;
        timeline.unseen_reads = c.unseen_reads;
        timeline
            .findings
            .extend(listed.as_ref().map(|(_, f)| f.clone()));
        timeline.entries = c.entries;
        timeline.killswitch = c.killswitch;
        timeline.killswitch_identity = settings.killswitch.describe();
        timeline.detection = c.detection;
        timeline.deliveries = deliveries(&timeline.inputs);
        timeline.s3_data_events.decoy_unmarked_own =
            crate::classify::unmarked_decoy_reads(&events, &settings.honeytokens);
        timeline.events = events;
        timeline.config = evidence;
        // What a caller chose (user agents, resource names) is written from here on.
        crate::export::redact_written_fields(&mut timeline);
        crate::phases::mark("findings, redaction");
        timeline
    })
}

/// A kill-switch configuration that names no caller in the evidence (`killswitch_unmatched`
/// findings): the containment could not be examined, so each is also a gap, and the exit code
/// says so (`timeline` and `timeline --all` alike).
pub(crate) fn killswitch_unmatched(
    findings: &[crate::model::Finding],
) -> impl Iterator<Item = Gap> + '_ {
    findings
        .iter()
        .filter(|f| f.kind == crate::model::FindingKind::KillswitchUnmatched)
        .map(|f| Gap::killswitch_unmatched(&f.summary))
}

/// The inputs read whose bytes are not the ones their case's manifest recorded when they were
/// acquired: each a gap (`acquired_file_changed`). What they hold now was read and analysed,
/// and the gap says so; `verify` names the same files. Inputs without a hash (unreadable) or
/// not in a manifest are not compared.
pub fn changed_since_acquisition(
    inputs: &[crate::model::InputSummary],
    recorded: &[crate::source::Recorded],
) -> Vec<Gap> {
    let by_path: std::collections::HashMap<&str, &crate::source::Recorded> =
        recorded.iter().map(|r| (r.path.as_str(), r)).collect();
    inputs
        .iter()
        .filter(|i| !i.sha256.is_empty())
        .filter_map(|i| {
            let r = by_path.get(&*i.path)?;
            (!r.sha256.eq_ignore_ascii_case(&i.sha256)).then(|| Gap {
                path: i.path.to_string(),
                index: None,
                kind: crate::model::GapKind::AcquiredFileChanged,
                reason: format!(
                    "its SHA-256 is {}, not the {} the case's manifest.json recorded when it was acquired ({} from {}): it changed after acquisition, and what it holds now is what was analysed",
                    i.sha256, r.sha256, r.acquired_at, r.source
                ),
            })
        })
        .collect()
}

/// When the trail delivered each trail file among `inputs`: the time its name states. Only
/// log files (`<account>_CloudTrail_<region>_...`) count; a digest's name states when it was
/// signed, not when records arrived.
fn deliveries(inputs: &[crate::model::InputSummary]) -> crate::model::Deliveries {
    use crate::model::trail_key::name_time;
    inputs
        .iter()
        .enumerate()
        .filter(|(_, i)| {
            let name = i.path.rsplit('/').next().unwrap_or_default();
            name.contains("_CloudTrail_")
        })
        .filter_map(|(n, i)| {
            let t = name_time(&i.path)?;
            Some((n as u32, crate::model::Timestamp(t.timestamp_millis())))
        })
        .collect()
}

/// The pipeline's configuration, read ahead of the first pass from the inputs that may be AWS CLI
/// outputs: plain (not gzip) files up to 16 MiB. Trail files are gzip and skipped; a plain
/// LookupEvents page is read twice, which costs little, and its records' copy keys are
/// `noted`. Gaps are left to the first pass. Files still arriving are not waited for: what
/// the pre-pass misses, the first pass finds, and the replay runs again. What it reads of the
/// LookupEvents pages is kept in `ahead` for the first pass (not while files are arriving: the
/// first pass reads those once they are complete).
fn pipeline_prepass_keeping(
    files: &[InputFile],
    opts: PassOptions<'_>,
    noted: &NoteKeys,
    settings: &AnalysisSettings,
    ahead: &ReadAhead,
) -> (ConfigEvidence, HashSet<String>) {
    let ahead = match opts.arrivals {
        None => Ahead::Keep(ahead),
        Some(_) => Ahead::None,
    };
    prepass_with(files, opts, noted, settings, ahead)
}

/// [`pipeline_prepass_keeping`] with nothing kept for a first pass (`--all` reads the pages
/// again with its own pass).
fn pipeline_prepass(
    files: &[InputFile],
    opts: PassOptions<'_>,
    noted: &NoteKeys,
    settings: &AnalysisSettings,
) -> (ConfigEvidence, HashSet<String>) {
    prepass_with(files, opts, noted, settings, Ahead::None)
}

fn prepass_with(
    files: &[InputFile],
    opts: PassOptions<'_>,
    noted: &NoteKeys,
    settings: &AnalysisSettings,
    ahead: Ahead<'_>,
) -> (ConfigEvidence, HashSet<String>) {
    use std::io::Read;
    const MAX: u64 = 16 << 20;
    // Discovery looked at most files already; any other is opened here.
    let plain = |f: &InputFile| match f.head.0 {
        Some((size, gzip)) => size <= MAX && !gzip,
        None => {
            let mut head = [0u8; 2];
            let small = std::fs::metadata(&f.path).is_ok_and(|m| m.len() <= MAX);
            small
                && std::fs::File::open(&f.path)
                    .and_then(|mut h| h.read_exact(&mut head))
                    .map_or(true, |_| head != [0x1f, 0x8b])
        }
    };
    let which: Vec<u32> = (0..files.len() as u32)
        .into_par_iter()
        .filter(|&i| plain(&files[i as usize]))
        .collect();
    let opts = PassOptions {
        index: false,
        arrivals: None,
        ..opts
    };
    let prepass = Prepass {
        noted,
        classifier: Classifier::new(settings),
        readers: Mutex::default(),
    };
    let mut evidence = ConfigEvidence::default();
    for r in scan_ahead(files, &which, opts, &prepass, &|_| {}, ahead) {
        if let Some(c) = r.config {
            evidence.merge(*c);
        }
    }
    evidence.normalise();
    let readers = prepass
        .readers
        .into_inner()
        .unwrap_or_else(|e| e.into_inner());
    (evidence, readers)
}

fn sort_events(events: &mut [Event]) {
    events.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::InputSummary;

    fn input(path: &str) -> InputSummary {
        InputSummary {
            path: path.into(),
            sha256: String::new(),
            size: 0,
            kind: "cloudtrail-records".into(),
            records_read: 0,
            records_rejected: 0,
        }
    }

    /// The sample's LookupEvents pages show svc-reporting reading the honeytoken: the first pass
    /// keeps its records, and the timeline is the one of reading its files again. So it is when
    /// the likely actors include a busy principal that is no actor (orders-api, which reads
    /// another secret): its records are dropped.
    #[test]
    fn likely_actors_kept_by_the_first_pass_give_the_same_timeline() {
        let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/incident-01");
        let config = crate::config::Config::load(&samples.join("trailcase.toml")).unwrap();
        let settings = config.analysis_settings();
        let found = crate::source::discover(std::slice::from_ref(&samples)).unwrap();
        let opts = PassOptions {
            max_inflated: settings.max_inflated_bytes,
            index: true,
            s3_decoys: None,
            arrivals: None,
        };
        let (_, readers) = pipeline_prepass(&found.files, opts, &NoteKeys::default(), &settings);
        assert!(readers.contains("arn:aws:iam::123456789012:user/svc-reporting"));
        assert!(readers.contains("AKIA4EXAMPLESVCREPT7Q"));
        let run = |likely: &dyn Fn(HashSet<String>) -> HashSet<String>| {
            let t = two_passes(&found.files, Vec::new(), &settings, &|_| {}, None, likely);
            serde_json::to_string(&crate::export::document(
                &t,
                &config.case,
                &config.honeytokens_stated(),
            ))
            .unwrap()
        };
        let read_again = run(&|_| HashSet::new());
        assert!(read_again.contains("svc-reporting"));
        assert_eq!(run(&|readers| readers), read_again);
        let busy = "arn:aws:sts::123456789012:assumed-role/orders-api-role/orders-api";
        assert!(!read_again.contains(busy));
        let with_busy = |mut readers: HashSet<String>| {
            readers.insert(busy.to_string());
            readers
        };
        assert_eq!(run(&with_busy), read_again);
    }

    /// Moved from the report (which no longer reads file names): the same key, the same minute.
    #[test]
    fn delivery_minute_from_the_key() {
        let p = "cloudtrail/AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/20/123456789012_CloudTrail_us-east-1_20261120T1407Z_abcdEFGH12345678.json.gz";
        let d = deliveries(&[input("lookup-events/page-1.json"), input(p)]);
        assert_eq!(d[&1].to_rfc3339(), "2026-11-20T14:07:00Z");
        assert_eq!(d.get(&0), None);
    }
}
