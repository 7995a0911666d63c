//! The findings that follow the correlation, for `timeline` and `--all` alike: the detection
//! replay's (each flow's rule judged on the honeytoken accesses), the conflicting copies', the
//! reads not examined and not logged, then each incident's response. One function
//! ([`complete`]) so that the two commands state the same findings on the same evidence.
//!
//! Part of the analysis stage: plain values in, the correlation completed; no I/O but the
//! replay's second reading ([`replayed`]), and only when the pre-pass missed part of the
//! pipeline.

use crate::classify::Classifier;
use crate::correlate::replay::{self as flows, FlowSpec, Observed, Observer};
use crate::correlate::{self, copies, Correlation};
use crate::model::{AnalysisSettings, ConfigEvidence, Conflict, Event, InputSummary, Replay};
use crate::model::{Finding, FindingKind, Origin, S3DataEvents, UnseenReads};
use crate::scan::{scan, PassOptions, Selector};
use crate::source::InputFile;

/// What the findings after the correlation read, besides it.
pub(super) struct Known<'a> {
    pub settings: &'a AnalysisSettings,
    /// The replayed rules and what they matched among every record read ([`replayed`]).
    pub specs: &'a [FlowSpec],
    pub observed: &'a Observed,
    /// The records the correlation read (sorted, deduplicated).
    pub events: &'a [Event],
    pub evidence: &'a ConfigEvidence,
    pub inputs: &'a [InputSummary],
    pub records_read: u64,
    pub s3_data_events: &'a S3DataEvents,
}

/// Add to `c` the findings that follow the correlation, in `timeline`'s order, and fill each
/// incident's response: the replay's findings, then `conflicts` (the eventIDs different
/// records share), the reads not examined and the reads not logged. Returns the replay.
pub(super) fn complete(k: &Known<'_>, conflicts: &[Conflict], c: &mut Correlation) -> Replay {
    let replay = replay_results(k, c);
    copies::report(
        conflicts,
        k.events,
        k.inputs,
        &mut c.incidents,
        &mut c.findings,
    );
    // One cause said once: a decoy whose reads the selectors do not log is the
    // reads_not_logged finding's, not also reads_not_examined's.
    let not_logged = correlate::not_logged_rules(k.settings, k.evidence, k.inputs, &c.incidents);
    let copies = correlate::copies_out(k.settings, &c.incidents, k.events);
    let not_examined = correlate::reads_not_examined(
        k.settings,
        k.records_read,
        k.s3_data_events,
        &not_logged,
        &copies,
    );
    let not_logged = correlate::reads_not_logged(
        k.settings,
        &not_logged,
        k.evidence,
        k.inputs,
        k.s3_data_events,
    );
    // Each finding with the honeytokens it is about, as data beside it.
    for (f, honeytokens) in not_examined
        .into_iter()
        .chain(not_logged.into_iter().map(|(f, h)| (f, vec![h])))
    {
        c.unseen_reads
            .extend(honeytokens.into_iter().map(|honeytoken| UnseenReads {
                honeytoken,
                finding: f.kind,
                event_ids: f.event_ids.clone(),
            }));
        c.findings.push(f);
    }
    c.findings.extend(lookup_events_only(k.inputs));
    // Every finding of an incident is known now: what remains to do follows from them.
    c.incidents.iter_mut().for_each(correlate::respond);
    replay
}

/// When every CloudTrail record read came from LookupEvents pages: what such evidence cannot
/// hold, said once. LookupEvents returns management and Insights events only (AWS CloudTrail
/// API Reference, LookupEvents), so the same case read from trail files may show more (the
/// kill-switch's SNS `Publish`, S3 object reads): without this, the two would differ silently.
fn lookup_events_only(inputs: &[InputSummary]) -> Option<Finding> {
    let with_records: Vec<&InputSummary> = inputs.iter().filter(|i| i.records_read > 0).collect();
    let only = !with_records.is_empty()
        && with_records
            .iter()
            .all(|i| i.kind.split('+').all(|k| k == "lookup-events"));
    only.then(|| Finding {
        kind: FindingKind::EvidenceGaps,
        severity: "info",
        summary: format!(
            "every CloudTrail record read came from LookupEvents ({} input(s)), which returns management and Insights events only: data events (S3 object reads and writes, Lambda invocations, SNS Publish such as a kill-switch publishing its result) are not in what it returns, so they are not examined here, not absent (a trail's files hold them when its event selectors log them)",
            with_records.len()
        ),
        event_ids: Vec::new(),
    })
}

fn replay_results(k: &Known<'_>, c: &mut Correlation) -> Replay {
    let cx = flows::Context {
        settings: k.settings,
        incidents: &c.incidents,
        events: k.events,
        evidence: k.evidence,
    };
    let judged = flows::build(k.specs, k.observed, &cx);
    flows::add_findings(&judged, &mut c.incidents, &mut c.findings);
    judged.replay
}

/// The rules to replay as the whole `evidence` gives them, with what they matched: `observed`,
/// when the rules the pre-pass found (`specs`) are the same; else every record is read again
/// for the replay (the pre-pass missed part of the pipeline: compressed or large outputs).
pub(super) fn replayed(
    files: &[InputFile],
    opts: PassOptions<'_>,
    settings: &AnalysisSettings,
    (specs, observed): (Vec<FlowSpec>, Observed),
    evidence: &ConfigEvidence,
) -> (Vec<FlowSpec>, Observed) {
    let full = flows::specs(settings, evidence);
    if same_rules(&specs, &full) {
        return (specs, observed);
    }
    let observer = Observer::new(&full, Classifier::new(settings));
    let opts = PassOptions {
        index: false,
        ..opts
    };
    let all: Vec<u32> = (0..files.len() as u32).collect();
    scan(files, &all, opts, &Observing(&observer), &|_| {});
    let observed = observer.finish();
    (full, observed)
}

fn same_rules(a: &[FlowSpec], b: &[FlowSpec]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.key() == y.key())
}

/// Shows every record to the replay, keeps none.
struct Observing<'a>(&'a Observer<'a>);

impl Selector for Observing<'_> {
    fn keep(&self, _: u32, item: &crate::parse::RecordItem<'_>) -> bool {
        self.0.observe(item);
        false
    }
}

/// `--all`'s conflicts (each eventID different records share, with where each was read) as
/// the model has them.
pub(super) fn conflicts(found: &[(String, Vec<(u32, u64)>)]) -> Vec<Conflict> {
    found
        .iter()
        .map(|(id, at)| Conflict {
            event_id: id.clone(),
            copies: at
                .iter()
                .map(|&(input, index)| Origin { input, index })
                .collect(),
        })
        .collect()
}
