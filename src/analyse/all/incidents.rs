//! `--all` and the incidents, without a pass of its own over the evidence: while the stream reads
//! every record, the records that matter to the correlation are kept ([`Gathered`]), with the
//! pipeline's configuration, the issued keys and each file's principals; then the actors' own
//! records are read again from the files that may hold them (the analysis's second pass), and
//! the correlation runs as for the default timeline. Its result ([`Owners`]) is what the
//! stream's merge needs: the default timeline's row for every record of an incident, found by
//! where the record was read, and the rows that are no records (alarm history items, rule
//! metric minutes, kill-switch results), in the timeline's order; and the default timeline's
//! row of every record whose kind the whole evidence changes from the one the stream gave it
//! alone (another secret's read, a change to a pipeline the collected configuration shows). The findings follow once the merge knows the conflicting copies
//! ([`Correlated::findings`]), by `timeline`'s own code (`analyse::findings`).

use super::super::findings::{self, Known};
use super::super::second_pass::{second_pass, wanted_keys};
use super::super::sort_events;
use crate::classify::keys::KeyIndex;
use crate::classify::Classifier;
use crate::correlate::replay::{FlowSpec, Observed};
use crate::correlate::{self, copies, Correlation};
use crate::model::{AnalysisSettings, ConfigEvidence, EntryKind, Event, Gap, Origin};
use crate::model::{Conflict, Finding, Incident, InputSummary, S3DataEvents, TimelineEntry};
use crate::parse::RecordView;
use crate::scan::{PassOptions, Seen};
use crate::source::InputFile;
use std::collections::{HashMap, HashSet};

/// What the stream's pass keeps for the correlation.
#[derive(Default)]
pub struct Gathered {
    events: Vec<Event>,
    evidence: ConfigEvidence,
    keys: KeyIndex,
    /// What the first pass saw of each input, by input.
    seen: Vec<Seen>,
    /// The S3 data events of the S3 honeytokens' buckets (with an S3 honeytoken only).
    s3_data_events: S3DataEvents,
}

impl Gathered {
    /// What one input held besides its records; inputs in order.
    pub fn input(
        &mut self,
        config: Option<Box<ConfigEvidence>>,
        keys: KeyIndex,
        seen: Seen,
        s3_data_events: S3DataEvents,
    ) {
        if let Some(c) = config {
            self.evidence.merge(*c);
        }
        self.keys.extend(keys);
        self.seen.push(seen);
        self.s3_data_events.merge(s3_data_events);
    }

    /// A record the correlation reads (the analysis's first pass keeps the same).
    pub fn record(&mut self, e: Event) {
        self.events.push(e);
    }

    /// Read the actors' records again and correlate, as the default timeline does; the rules
    /// replayed are `replay` (the pre-pass's, with what they matched in the stream).
    pub fn correlate(
        mut self,
        files: &[InputFile],
        settings: &AnalysisSettings,
        gaps: &[Gap],
        opts: PassOptions<'_>,
        replay: (Vec<FlowSpec>, Observed),
    ) -> (Owners, Correlated) {
        self.evidence.normalise();
        sort_events(&mut self.events);
        let replay = findings::replayed(files, opts, settings, replay, &self.evidence);
        let plans = correlate::plan(settings, &self.events, &self.keys);
        let mut events = self.events;
        // Every file with an actor's key: this pass kept no actor's records beforehand.
        let wanted = wanted_keys(&plans);
        let second = second_pass(files, &self.seen, &plans, wanted, &HashSet::new(), opts);
        events.extend(second.actors);
        sort_events(&mut events);
        copies::dedup(&mut events);
        let mut gaps = gaps.to_vec();
        gaps.sort();
        let mut c = correlate::correlate(
            settings,
            &plans,
            &events,
            &self.evidence,
            &gaps,
            &second.nearby,
        );
        let streamed = stream_kinds(settings, &events);
        let entries = std::mem::take(&mut c.entries);
        let owners = Owners::new(c.incidents.len(), entries, &streamed);
        let correlated = Correlated {
            correlation: c,
            events,
            evidence: self.evidence,
            replay,
            s3_data_events: self.s3_data_events,
        };
        (owners, correlated)
    }
}

/// The correlation's result beside its rows, for the findings (once the merge knows the
/// conflicting copies).
pub struct Correlated {
    correlation: Correlation,
    events: Vec<Event>,
    evidence: ConfigEvidence,
    replay: (Vec<FlowSpec>, Observed),
    s3_data_events: S3DataEvents,
}

impl Correlated {
    /// The case's findings and the incidents with theirs, as `timeline` states them on the
    /// same evidence: `inputs` read, holding `records_read` records, among which `conflicts`.
    pub fn findings(
        self,
        settings: &AnalysisSettings,
        inputs: &[InputSummary],
        records_read: u64,
        conflicts: &[Conflict],
    ) -> (Vec<Finding>, Vec<Incident>) {
        let mut c = self.correlation;
        let known = Known {
            settings,
            specs: &self.replay.0,
            observed: &self.replay.1,
            events: &self.events,
            evidence: &self.evidence,
            inputs,
            records_read,
            s3_data_events: &self.s3_data_events,
        };
        findings::complete(&known, conflicts, &mut c);
        (c.findings, c.incidents)
    }
}

/// The kind the stream gave each of `events` as it read it: by [`Classifier::new`], each record
/// alone (`render::kind_of`). The default timeline's kind of a record can differ: a secret named
/// by an ARN whose suffix is not the honeytoken's own is another secret once the evidence's own
/// full ARNs of the honeytoken secrets are known ([`Classifier::knowing`]); a monitoring change
/// is a pipeline change once the collected configuration shows the resource is the pipeline's
/// (`Classifier::with_pipeline`); an Insights event is an `insight`.
fn stream_kinds(settings: &AnalysisSettings, events: &[Event]) -> HashMap<Origin, EntryKind> {
    let alone = Classifier::new(settings);
    events
        .iter()
        .filter_map(|e| {
            let view = RecordView::parse(e.raw.get()).ok()?;
            Some((e.origin, super::render::kind_of(&alone, &view)))
        })
        .collect()
}

/// The correlation's rows, as `--all` writes them.
#[derive(Debug, Default)]
pub struct Owners {
    /// The default timeline's row of each record that belongs to an incident, by where it was
    /// read.
    records: HashMap<Origin, TimelineEntry, foldhash::fast::FixedState>,
    /// The rows that are no records, in the timeline's order.
    others: Vec<TimelineEntry>,
    pub incidents: usize,
}

impl Owners {
    /// From the default timeline's rows (in its order): the rows of the records of incidents,
    /// and of the records whose kind is not the one the stream gave them (`streamed`, by where
    /// each was read), which it could not know.
    pub fn new(
        incidents: usize,
        entries: Vec<TimelineEntry>,
        streamed: &HashMap<Origin, EntryKind>,
    ) -> Owners {
        let mut owners = Owners {
            incidents,
            ..Default::default()
        };
        for mut e in entries {
            // Ties among `--all`'s rows are marked as they are written (`merge::Rows`).
            e.tie = false;
            if !is_record(e.kind) {
                owners.others.push(e);
            } else if !e.incidents.is_empty() || streamed.get(&e.origin()) != Some(&e.kind) {
                owners.records.insert(e.origin(), e);
            }
        }
        owners
    }

    /// The row of the record read at `origin`, when it belongs to an incident.
    pub fn record(&self, origin: Origin) -> Option<&TimelineEntry> {
        self.records.get(&origin)
    }

    /// The rows that are no records, in order.
    pub fn others(&self) -> &[TimelineEntry] {
        &self.others
    }
}

/// Whether a row of this kind is a record read (not an alarm history item, a rule metric
/// minute or a kill-switch result, which `--all` does not read as records).
fn is_record(kind: EntryKind) -> bool {
    !matches!(
        kind,
        EntryKind::Alarm
            | EntryKind::RuleTriggered
            | EntryKind::RuleMetricUnnamed
            | EntryKind::RuleInvocationFailed
            | EntryKind::KillswitchResult
    )
}
