//! Watches every record of a pass and remembers, per replayed rule, what it matched: every distinct
//! match (a hash of its eventID, its time and metric value: enough to count and to replay an alarm)
//! and the earliest non-honeytoken matches as examples. Thread-safe: passes read files in parallel.

use super::FlowSpec;
use crate::classify::Classifier;
use crate::model::ReplayMatch;
use crate::parse::{target_of, RecordItem};
use crate::per_thread::PerThread;
use crate::rules::detector::{Detector, Wrapped};
use memchr::memmem::Finder;
use serde_json::Value;
use std::collections::{BinaryHeap, HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// Distinct matches that are not honeytoken reads kept for all rules together; each rule keeps
/// its share (at least [`MIN_HITS`]). Past its share a rule's further matches are counted but
/// not kept: its alarm is not replayed (a rule that matches this much is noise whatever the
/// alarm says) and its count is a lower bound. Honeytoken reads are always kept, so whether a
/// rule matches an access stays exact.
pub const HITS_IN_ALL: usize = 5_000_000;
/// Distinct non-honeytoken matches kept per rule, at least.
const MIN_HITS: usize = 1_000;

/// How many distinct non-honeytoken matches each of `rules` replayed rules keeps.
pub fn hits_per_rule(rules: usize) -> usize {
    (HITS_IN_ALL / rules.max(1)).max(MIN_HITS)
}

/// One distinct match: when, and the metric value the filter would publish for it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub secs: i64,
    pub value: Option<f64>,
}

/// What a pass saw for one rule.
#[derive(Debug, Default)]
pub struct RuleMatches {
    /// By hash of eventID: the same event delivered twice (or by LookupEvents too) counts once.
    pub hits: HashMap<u64, Hit>,
    /// Hits that are not honeytoken reads (the part the cap applies to).
    noise_kept: usize,
    /// Matches past the rule's share of [`HITS_IN_ALL`] (not kept, so not known to be distinct):
    /// when not zero, the hits are the first ones observed and only the honeytoken reads among
    /// them are certain.
    pub overflow: u64,
    /// The earliest matches that are not honeytoken reads (a max-heap, so the latest is dropped).
    pub examples: BinaryHeap<ReplayMatch>,
    example_ids: HashSet<String>,
    /// Records not matched because the rule tests `source` and theirs on the bus is not
    /// documented (Insights events): whether the rule matches them is unknown.
    pub source_unknown: u64,
    /// Console sign-ins matched only by the detail-type spelled "AWS Console Sign In via
    /// CloudTrail", not as the EventBridge User Guide spells it.
    pub sign_in_also: u64,
}

/// The results of observing a pass, one entry per spec (same order).
#[derive(Debug, Default)]
pub struct Observed {
    pub rules: Vec<RuleMatches>,
    pub records: u64,
}

struct Compiled<'s> {
    detector: &'s Detector,
    /// eventName values a match must have, when the rule pins them: sorted, a handful (one
    /// compared string costs less than one hash).
    names: Option<Vec<String>>,
    /// Texts the record must hold ([`Detector::record_needles`]): one of each set.
    needles: Vec<Vec<Finder<'static>>>,
    metric_value: MetricValue,
}

/// Whether the record `raw` lacks every text of one of `needles`, so that the rule cannot match
/// it: tested before the record is parsed whole (most records a rule's `eventName` lets through
/// hold no text its other conditions need: the benchmark's GetSecretValue calls on other secrets
/// than the honeytoken). Only on a text without a backslash, whose strings are written as they
/// read, and not on an Insights record (which a rule testing `source` is said not to know, after
/// the parse): else the record is parsed, as without needles.
fn lacks_needle(needles: &[Vec<Finder<'static>>], raw: &str) -> bool {
    let raw = raw.as_bytes();
    !needles.is_empty()
        && memchr::memchr(b'\\', raw).is_none()
        && needles
            .iter()
            .any(|set| !set.iter().any(|f| f.find(raw).is_some()))
        && memchr::memmem::find(raw, b"AwsCloudTrailInsight").is_none()
}

enum MetricValue {
    Fixed(f64),
    Field(Vec<String>),
    Invalid,
}

fn metric_value(text: Option<&str>) -> MetricValue {
    match text.map(str::trim) {
        None => MetricValue::Fixed(1.0),
        Some(t) => match t.strip_prefix("$.") {
            Some(path) => MetricValue::Field(path.split('.').map(str::to_string).collect()),
            None => t.parse().map_or(MetricValue::Invalid, MetricValue::Fixed),
        },
    }
}

/// Evaluates the specs' rules on each record it is shown.
pub struct Observer<'s> {
    compiled: Vec<Option<Compiled<'s>>>,
    classifier: Classifier,
    max_examples: usize,
    max_hits: usize,
    state: Mutex<Vec<RuleMatches>>,
    /// Records observed, counted per thread.
    records: PerThread<AtomicU64>,
}

pub fn hash_id(id: &str) -> u64 {
    let mut h = DefaultHasher::new();
    id.hash(&mut h);
    h.finish()
}

impl<'s> Observer<'s> {
    pub fn new(specs: &'s [FlowSpec], classifier: Classifier) -> Self {
        let compiled = specs
            .iter()
            .map(|s| {
                s.detector.as_ref().ok().map(|d| Compiled {
                    detector: d,
                    names: d.event_names().map(|v| {
                        let mut names: Vec<String> = v.into_iter().map(str::to_string).collect();
                        names.sort_unstable();
                        names.dedup();
                        names
                    }),
                    needles: d
                        .record_needles()
                        .into_iter()
                        .map(|set| {
                            set.into_iter()
                                .map(|n| Finder::new(n).into_owned())
                                .collect()
                        })
                        .collect(),
                    metric_value: metric_value(s.metric_value.as_deref()),
                })
            })
            .collect::<Vec<_>>();
        let state = Mutex::new(compiled.iter().map(|_| RuleMatches::default()).collect());
        Observer {
            compiled,
            classifier,
            max_examples: super::examples_per_rule(specs.len()),
            max_hits: hits_per_rule(specs.len()),
            state,
            records: PerThread::default(),
        }
    }

    /// Whether any rule is to be evaluated at all.
    pub fn is_active(&self) -> bool {
        self.compiled.iter().any(Option::is_some)
    }

    /// Evaluate every rule on one record. The record is parsed only when a rule's cheap
    /// `eventName` condition lets it through.
    pub fn observe(&self, item: &RecordItem<'_>) {
        self.records.get().fetch_add(1, Ordering::Relaxed);
        let name = item.view.event_name.as_str();
        let mut record: Option<Wrapped> = None;
        for (i, c) in self.compiled.iter().enumerate() {
            let Some(c) = c else { continue };
            if let (Some(names), Some(name)) = (&c.names, name) {
                if names.binary_search_by(|n| n.as_str().cmp(name)).is_err() {
                    continue;
                }
            }
            if lacks_needle(&c.needles, item.raw) {
                continue;
            }
            let value = record.get_or_insert_with(|| {
                Wrapped::new(serde_json::from_str(item.raw).unwrap_or(Value::Null))
            });
            if c.detector.source_unknown_for(value) {
                let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
                state[i].source_unknown += 1;
                continue;
            }
            if c.detector.matches_wrapped(value) {
                if c.detector.matched_by_other_spelling(value) {
                    let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
                    state[i].sign_in_also += 1;
                }
                let metric = match &c.metric_value {
                    MetricValue::Fixed(v) => Some(*v),
                    MetricValue::Field(path) => path
                        .iter()
                        .try_fold(value.record(), |v, k| v.get(k))
                        .and_then(|v| v.as_f64().or_else(|| v.as_str()?.parse().ok())),
                    MetricValue::Invalid => None,
                };
                self.record_hit(i, item, metric);
            }
        }
    }

    fn record_hit(&self, rule: usize, item: &RecordItem<'_>, value: Option<f64>) {
        let id = crate::parse::event_id(item);
        let honeytoken = self
            .classifier
            .honeytoken(item.view)
            .is_some_and(|h| h.read);
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let m = &mut state[rule];
        let key = hash_id(&id);
        if !m.hits.contains_key(&key) {
            if !honeytoken && m.noise_kept >= self.max_hits {
                m.overflow += 1;
            } else {
                m.noise_kept += usize::from(!honeytoken);
                m.hits.insert(
                    key,
                    Hit {
                        secs: item.time.secs(),
                        value,
                    },
                );
            }
        }
        if honeytoken || m.example_ids.contains(&id) || self.max_examples == 0 {
            return;
        }
        let later_than_all = m.examples.len() >= self.max_examples
            && m.examples
                .peek()
                .is_some_and(|top| (item.time, id.as_str()) >= (top.time, top.event_id.as_str()));
        if later_than_all {
            return;
        }
        m.example_ids.insert(id.clone());
        m.examples.push(to_match(item, id));
        if m.examples.len() > self.max_examples {
            if let Some(dropped) = m.examples.pop() {
                m.example_ids.remove(&dropped.event_id);
            }
        }
    }

    pub fn finish(self) -> Observed {
        Observed {
            rules: self.state.into_inner().unwrap_or_else(|e| e.into_inner()),
            records: self.records.into_values().map(AtomicU64::into_inner).sum(),
        }
    }
}

/// The light row a match is listed as.
pub fn to_match(item: &RecordItem<'_>, event_id: String) -> ReplayMatch {
    let v = item.view;
    ReplayMatch {
        time: item.time,
        event_id,
        action: crate::model::action_name(
            v.event_source.as_str().unwrap_or_default(),
            v.event_name.as_str().unwrap_or_default(),
        ),
        actor: v.identity().label(),
        target: target_of(v).unwrap_or_default(),
        outcome: v.outcome(),
    }
}

impl Observed {
    /// Whether rule `i` matched the event with this id.
    pub fn matched(&self, rule: usize, event_id: &str) -> bool {
        self.rules
            .get(rule)
            .is_some_and(|m| m.hits.contains_key(&hash_id(event_id)))
    }

    /// Rule `i`'s metric points (unix seconds, value), sorted.
    pub fn points(&self, rule: usize) -> Vec<(i64, f64)> {
        let mut v: Vec<(i64, f64)> = self.rules[rule]
            .hits
            .values()
            .filter_map(|h| Some((h.secs, h.value?)))
            .collect();
        v.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{scan_document, RecordSink};
    use serde_json::json;

    struct Feed<'o, 's>(&'o Observer<'s>);

    impl RecordSink for Feed<'_, '_> {
        fn record(&mut self, item: RecordItem<'_>) {
            self.0.observe(&item);
        }
    }

    fn read(id: &str, secret: &str, minute: u32) -> Value {
        json!({"eventVersion": "1.08", "eventTime": format!("2026-11-20T14:{minute:02}:00Z"),
               "eventID": id, "eventSource": "secretsmanager.amazonaws.com",
               "eventName": "GetSecretValue", "awsRegion": "us-east-1",
               "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::123456789012:user/app"},
               "requestParameters": {"secretId": secret}})
    }

    /// Past its share of kept matches a rule counts the others, and still keeps every
    /// honeytoken read: whether it matched an access never depends on what came first.
    #[test]
    fn past_its_share_a_rule_keeps_every_honeytoken_read_and_counts_the_rest() {
        let settings = crate::config::Config::default().analysis_settings();
        let specs = vec![FlowSpec::metric_filter(
            "reads",
            r#"{ $.eventName = "GetSecretValue" }"#,
        )];
        let mut observer = Observer::new(&specs, Classifier::new(&settings));
        observer.max_hits = 3;
        let mut records: Vec<Value> = (0..5)
            .map(|n| read(&format!("app-{n}"), "prod/orders/api-key", n))
            .collect();
        records.push(read("access-1", "Production_Database_Credentials", 9));
        records.push(read("app-0", "prod/orders/api-key", 0));
        let doc = serde_json::to_vec(&json!({ "Records": records })).unwrap();
        let scan = scan_document(&doc, 0, "trail.json", &mut Feed(&observer));
        assert_eq!(scan.records, 7);
        let observed = observer.finish();
        assert!(observed.matched(0, "access-1"), "kept past the cap");
        let m = &observed.rules[0];
        assert_eq!(m.hits.len(), 4, "three others and the honeytoken read");
        assert_eq!(
            m.overflow, 2,
            "app-3 and app-4; app-0 again is a copy, not counted"
        );
        assert_eq!(m.examples.len(), 5, "the examples do not depend on the cap");
    }

    /// What a rule saw, in an order that does not depend on hashing.
    fn seen(m: RuleMatches) -> impl std::fmt::Debug + PartialEq {
        let mut hits: Vec<_> = m.hits.into_iter().map(|(k, h)| (k, h.secs)).collect();
        hits.sort_unstable();
        let counts = (m.overflow, m.source_unknown, m.sign_in_also);
        (hits, counts, m.examples.into_sorted_vec())
    }

    /// Rules that skip the records lacking their needles ([`lacks_needle`]) see what they see when
    /// every record their `eventName` lets through is parsed and matched: records holding the
    /// text or not, holding it only through an escape (`\u0050roduction...`), Insights records
    /// (counted as unknown by a rule testing `source`), under rules of both flows, with `&&`,
    /// `||`, globs and prefixes.
    #[test]
    fn needles_skip_only_records_the_rule_cannot_match() {
        let settings = crate::config::Config::default().analysis_settings();
        let specs = vec![
            FlowSpec::metric_filter(
                "filter",
                r#"{ ($.eventSource = "secretsmanager.amazonaws.com") && ($.eventName = "GetSecretValue") && ($.requestParameters.secretId = "*Production_Database_Credentials*") }"#,
            ),
            FlowSpec::event_rule(
                "rule",
                r#"{"source": ["aws.secretsmanager"], "detail": {"eventName": ["GetSecretValue"], "requestParameters": {"secretId": [{"prefix": "Production_Database_Credentials"}]}}}"#,
            ),
            FlowSpec::event_rule(
                "any name",
                r#"{"source": ["aws.secretsmanager"], "detail": {"requestParameters": {"secretId": [{"suffix": "Credentials"}]}}}"#,
            ),
            FlowSpec::metric_filter(
                "either",
                r#"{ $.requestParameters.secretId = "prod/*" || $.userIdentity.type = "Root" }"#,
            ),
        ];
        let mut records = Vec::new();
        for secret in [
            "Production_Database_Credentials",
            "prod/orders/api-key",
            "XEscaped_Database_Credentials",
            "other",
        ] {
            for name in ["GetSecretValue", "DescribeSecret"] {
                for insight in [false, true] {
                    for kind in ["IAMUser", "Root"] {
                        let n = records.len();
                        let mut r = read(&format!("r{n}"), secret, (n % 60) as u32);
                        r["eventName"] = name.into();
                        r["userIdentity"]["type"] = kind.into();
                        if insight {
                            r["eventType"] = "AwsCloudTrailInsight".into();
                        }
                        records.push(r);
                    }
                }
            }
        }
        // The same secret's name, its first letter escaped: the text lacks the needle, the
        // value holds it.
        let doc = serde_json::to_string(&json!({ "Records": records }))
            .unwrap()
            .replace("XEscaped", "\\u0050roduction");
        let needled = Observer::new(&specs, Classifier::new(&settings));
        let mut whole = Observer::new(&specs, Classifier::new(&settings));
        for c in whole.compiled.iter_mut().flatten() {
            c.needles.clear();
        }
        assert!(needled
            .compiled
            .iter()
            .flatten()
            .all(|c| !c.needles.is_empty()));
        for observer in [&needled, &whole] {
            let scan = scan_document(doc.as_bytes(), 0, "trail.json", &mut Feed(observer));
            assert_eq!(scan.records, records.len() as u64);
        }
        let (needled, whole) = (needled.finish(), whole.finish());
        let hits: Vec<usize> = whole.rules.iter().map(|m| m.hits.len()).collect();
        let unknown: u64 = whole.rules.iter().map(|m| m.source_unknown).sum();
        assert!(
            hits.iter().all(|&h| h >= 2) && unknown > 0,
            "{hits:?} {unknown}"
        );
        for (i, (a, b)) in needled.rules.into_iter().zip(whole.rules).enumerate() {
            assert_eq!(seen(a), seen(b), "rule {i}");
        }
    }

    #[test]
    fn each_rule_gets_its_share_and_at_least_a_minimum() {
        assert_eq!(hits_per_rule(1), HITS_IN_ALL);
        assert_eq!(hits_per_rule(2), HITS_IN_ALL / 2);
        assert_eq!(hits_per_rule(100_000), MIN_HITS);
        assert_eq!(super::super::examples_per_rule(2), 1_000);
        assert_eq!(super::super::examples_per_rule(100), 100);
        assert_eq!(super::super::examples_per_rule(5_000), 10);
    }
}
