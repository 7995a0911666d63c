//! `rules replay` over the evidence: one pass that keeps, once per eventID, every record a rule
//! (EventBridge event pattern or CloudWatch Logs filter pattern) matches, as a light row, and
//! says whether it is a honeytoken access.
//!
//! Part of the analysis stage: reads through `scan`, classifies through `classify`;
//! takes the compiled [`Detector`], never the command line, and never prints.

use crate::classify::Classifier;
use crate::correlate::replay::to_match;
use crate::model::AnalysisSettings;
use crate::model::{Gap, ReplayMatch};
use crate::parse::event_id;
use crate::parse::RecordItem;
use crate::rules::detector::{Detector, Wrapped};
use crate::rules::rule_state::{self, ReadOnly};
use crate::scan::{scan, PassOptions, Selector};
use crate::source::InputFile;
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// What a replay found.
#[derive(Debug)]
pub struct Replayed {
    /// The matching events in time order, each with whether it is a honeytoken access and
    /// (event patterns) what it is for a rule's state (a read-only management event or not).
    pub rows: Vec<(ReplayMatch, bool, ReadOnly)>,
    /// Records read, matching or not.
    pub records_read: u64,
    /// The gaps of the pass (the discovery's are the caller's).
    pub gaps: Vec<Gap>,
    /// Records not matched because the rule tests `source` and theirs on the bus is documented
    /// nowhere (Insights events): whether the rule matches them is unknown.
    pub source_unknown: u64,
    /// Console sign-ins matched only by the detail-type spelled "AWS Console Sign In via
    /// CloudTrail", not as the EventBridge User Guide spells it.
    pub sign_in_also: u64,
}

/// Collects the matching events of a pass as light rows, once per eventID.
struct Matches<'d> {
    detector: &'d Detector,
    names: Option<HashSet<&'d str>>,
    classifier: Classifier,
    found: Mutex<BTreeMap<String, (ReplayMatch, bool, ReadOnly)>>,
    source_unknown: AtomicU64,
    sign_in_also: AtomicU64,
}

impl Selector for Matches<'_> {
    fn keep(&self, _: u32, item: &RecordItem<'_>) -> bool {
        if let (Some(names), Some(name)) = (&self.names, item.view.event_name.as_str()) {
            if !names.contains(name) {
                return false;
            }
        }
        let record = Wrapped::new(serde_json::from_str(item.raw).unwrap_or(Value::Null));
        if self.detector.source_unknown_for(&record) {
            self.source_unknown.fetch_add(1, Ordering::Relaxed);
            return false;
        }
        if self.detector.matches_wrapped(&record) {
            if self.detector.matched_by_other_spelling(&record) {
                self.sign_in_also.fetch_add(1, Ordering::Relaxed);
            }
            let id = event_id(item);
            let honeytoken = self
                .classifier
                .honeytoken(item.view)
                .is_some_and(|h| h.read);
            let kind = match self.detector {
                Detector::Event(_) => rule_state::read_only(record.record()),
                Detector::Filter(_) => ReadOnly::No,
            };
            let mut found = self.found.lock().unwrap_or_else(|e| e.into_inner());
            found
                .entry(id.clone())
                .or_insert_with(|| (to_match(item, id), honeytoken, kind));
        }
        false
    }
}

/// Read `files` and keep what `detector` matches. `progress` is called once per file read.
pub fn replay(
    files: &[InputFile],
    detector: &Detector,
    settings: &AnalysisSettings,
    progress: &(dyn Fn(usize) + Sync),
) -> Replayed {
    let selector = Matches {
        detector,
        names: detector.event_names().map(|v| v.into_iter().collect()),
        classifier: Classifier::new(settings),
        found: Mutex::new(BTreeMap::new()),
        source_unknown: AtomicU64::new(0),
        sign_in_also: AtomicU64::new(0),
    };
    let opts = PassOptions {
        max_inflated: settings.max_inflated_bytes,
        index: false,
        s3_decoys: None,
        arrivals: None,
    };
    let all: Vec<u32> = (0..files.len() as u32).collect();
    let results = scan(files, &all, opts, &selector, progress);
    let records_read: u64 = results
        .iter()
        .filter_map(|r| r.summary.as_ref())
        .map(|s| s.records_read)
        .sum();
    let gaps = results.into_iter().flat_map(|r| r.gaps).collect();
    let mut rows: Vec<(ReplayMatch, bool, ReadOnly)> = selector
        .found
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_values()
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    Replayed {
        rows,
        records_read,
        gaps,
        source_unknown: selector.source_unknown.into_inner(),
        sign_in_also: selector.sign_in_also.into_inner(),
    }
}
