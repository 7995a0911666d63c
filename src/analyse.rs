//! The analysis path every command shares: discover the inputs, read them in two passes
//! (everything of interest, then the actors' own records), correlate, and return the timeline.

use crate::config::Config;
use crate::correlate::{self, actor::ActorPlan, classify::Classifier, keys::KeyIndex};
use crate::model::{ConfigEvidence, Event, Gap, Timeline};
use crate::parse::RecordItem;
use crate::scan::{principal_hash, scan, FileResult, PassOptions, Selector};
use crate::source::InputFile;
use std::collections::{BTreeSet, HashSet};

/// First pass: records that matter whoever the actor is.
struct Interesting(Classifier);

impl Selector for Interesting {
    fn keep(&self, item: &RecordItem<'_>) -> bool {
        self.0.interesting(item.view)
    }
}

/// Second pass: every record by one of the actors.
struct ByPrincipal(HashSet<String>);

impl Selector for ByPrincipal {
    fn keep(&self, item: &RecordItem<'_>) -> bool {
        item.view.principal_keys().any(|k| self.0.contains(k))
    }
}

/// Read `files` and correlate. `progress` is called once per file read.
pub fn analyse(
    files: &[InputFile],
    discovery_gaps: Vec<Gap>,
    config: &Config,
    progress: &(dyn Fn(usize) + Sync),
) -> Timeline {
    let classifier = Classifier::new(config);
    let all: Vec<u32> = (0..files.len() as u32).collect();
    let opts = PassOptions {
        max_inflated: config.max_inflated_bytes(),
        index: true,
    };
    let first = scan(files, &all, opts, &Interesting(classifier), progress);

    let mut timeline = Timeline {
        gaps: discovery_gaps,
        ..Default::default()
    };
    let mut evidence = ConfigEvidence::default();
    let mut keys = KeyIndex::default();
    let mut events: Vec<Event> = Vec::new();
    let mut principals: Vec<Vec<u64>> = Vec::with_capacity(files.len());
    for FileResult {
        summary,
        gaps,
        config: c,
        events: ev,
        principals: p,
        keys: k,
    } in first
    {
        if let Some(s) = summary {
            timeline.records_read += s.records_read;
            timeline.records_rejected += s.records_rejected;
            timeline.inputs.push(s);
        }
        timeline.gaps.extend(gaps);
        evidence.merge(c);
        keys.extend(k);
        events.extend(ev);
        principals.push(p);
    }
    evidence.normalise();
    sort_events(&mut events);

    let plans: Vec<ActorPlan> = correlate::plan(config, &events, &keys);
    let wanted: HashSet<String> = plans
        .iter()
        .flat_map(|p| p.all_keys().map(str::to_owned))
        .collect();
    if !wanted.is_empty() {
        let hashes: BTreeSet<u64> = wanted.iter().map(|k| principal_hash(k)).collect();
        let which: Vec<u32> = principals
            .iter()
            .enumerate()
            .filter(|(_, p)| p.iter().any(|h| hashes.contains(h)))
            .map(|(i, _)| i as u32)
            .collect();
        let opts = PassOptions {
            index: false,
            ..opts
        };
        for r in scan(files, &which, opts, &ByPrincipal(wanted), &|_| {}) {
            events.extend(r.events);
        }
    }
    sort_events(&mut events);
    timeline.duplicates_dropped = dedup(&mut events);
    timeline.gaps.sort();

    let c = correlate::correlate(config, &plans, &events, &evidence, &timeline.gaps);
    timeline.incidents = c.incidents;
    timeline.findings = c.findings;
    timeline.entries = c.entries;
    timeline.events = events;
    timeline.config = evidence;
    timeline
}

fn sort_events(events: &mut [Event]) {
    events.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

/// Keep the first copy of each eventID. The same record read twice by the two passes is not
/// a duplicate; the same event delivered by two inputs (S3 and LookupEvents) is.
fn dedup(events: &mut Vec<Event>) -> u64 {
    // Sorted by (time, eventID, origin): the two passes' copies of one record are adjacent.
    events.dedup_by(|b, a| a.event_id == b.event_id && a.origin == b.origin);
    let mut seen: HashSet<String> = HashSet::new();
    let before = events.len();
    events.retain(|e| seen.insert(e.event_id.clone()));
    (before - events.len()) as u64
}
