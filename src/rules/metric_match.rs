//! Whether an alarm watches the metric a metric filter publishes: the same metric name, the
//! same namespace, and the same dimension names (a filter with dimensions publishes one metric
//! per combination of their values, none without them). What the evidence does not record of
//! the alarm (its namespace, its dimensions) is named, never taken as matching silently. A
//! metric-math alarm matches through one of its `MetricStat` queries, with a note that its
//! threshold applies to an expression not evaluated. Pure.

use crate::model::{HistoryDefinition, MetricFilter, MetricMath};

/// An alarm's metric as one definition records it (describe-alarms or its alarm history).
pub struct AlarmMetric<'a> {
    pub name: Option<&'a str>,
    pub namespace: Option<&'a str>,
    /// Sorted names; `None` when not recorded.
    pub dimensions: Option<&'a [String]>,
    /// Where the definition comes from, for the notes: `describe-alarms`, `the alarm history`.
    pub source: &'static str,
}

/// How the alarm's metric is the filter's, when it is: `notes` says what the evidence does not
/// record, on which the match then does not rest (empty: name, namespace and dimensions match).
pub struct MetricMatch {
    pub notes: Vec<String>,
}

impl MetricMatch {
    /// `; <notes>` for a sentence that names the match, or nothing.
    pub fn rests_on(&self) -> String {
        if self.notes.is_empty() {
            String::new()
        } else {
            format!("; {}", self.notes.join("; "))
        }
    }
}

/// Whether `alarm` watches `filter`'s metric.
pub fn matches(filter: &MetricFilter, alarm: &AlarmMetric) -> Option<MetricMatch> {
    let name = filter.metric_name.as_deref()?;
    if alarm.name? != name {
        return None;
    }
    let mut notes = Vec::new();
    match (filter.metric_namespace.as_deref(), alarm.namespace) {
        (Some(f), Some(a)) if f != a => return None,
        (Some(_), Some(_)) => {}
        (_, None) => notes.push(format!(
            "{} records no namespace for the alarm's metric: the link rests on the metric name only",
            alarm.source
        )),
        (None, Some(_)) => notes.push(
            "describe-metric-filters records no namespace for the filter's metric: the link rests on the metric name only".to_string(),
        ),
    }
    match alarm.dimensions {
        Some(d) if d != filter.metric_dimensions.as_slice() => return None,
        Some(_) => {}
        None => notes.push(format!(
            "{} records no dimensions for the alarm's metric{}: whether they are the filter's is not examined",
            alarm.source,
            if filter.metric_dimensions.is_empty() {
                String::new()
            } else {
                format!(" (the filter publishes it with {})", filter.metric_dimensions.join(", "))
            }
        )),
    }
    Some(MetricMatch { notes })
}

/// Whether a metric-math alarm reads `filter`'s metric in one of its `MetricStat` queries
/// (name, namespace, dimension names). The threshold applies to the returned expression, not to
/// the metric: the match says so, and that the expression's value was not evaluated.
pub fn math_matches(
    filter: &MetricFilter,
    math: &MetricMath,
    source: &'static str,
) -> Option<MetricMatch> {
    math.stats.iter().find_map(|q| {
        let mut m = matches(
            filter,
            &AlarmMetric {
                name: q.name.as_deref(),
                namespace: q.namespace.as_deref(),
                dimensions: Some(&q.dimensions),
                source,
            },
        )?;
        m.notes.push(format!(
            "the alarm is a metric-math alarm: it reads the filter's metric in its query {}, but its threshold applies to the expression {}, whose value was not evaluated, so whether a read takes it across the threshold is unknown",
            q.id,
            math.returned.as_deref().unwrap_or("it returns (not recorded)")
        ));
        Some(m)
    })
}

/// Whether an alarm history definition watches `filter`'s metric: through a `MetricStat`
/// query of its `metrics` when it is a metric-math alarm (as [`math_matches`] reads
/// describe-alarms'), else by its `metricName`.
pub fn history_matches(filter: &MetricFilter, d: &HistoryDefinition) -> Option<MetricMatch> {
    const SOURCE: &str = "the alarm history";
    if let Some(math) = &d.alarm.math {
        return math_matches(filter, math, SOURCE);
    }
    matches(
        filter,
        &AlarmMetric {
            name: d.metric_name.as_deref(),
            namespace: d.namespace.as_deref(),
            dimensions: d.dimensions.as_deref(),
            source: SOURCE,
        },
    )
}

/// The first of `filters` whose metric `alarm` watches, with how.
pub fn feeding<'f>(
    filters: &[&'f MetricFilter],
    alarm: &AlarmMetric,
) -> Option<(&'f MetricFilter, MetricMatch)> {
    filters.iter().find_map(|f| Some((*f, matches(f, alarm)?)))
}

/// Why no filter's metric is the alarm's though one has its metric name: the namespace or
/// dimensions that differ, naming the filter. `None` when no filter has the name.
pub fn near_miss(filters: &[&MetricFilter], alarm: &AlarmMetric) -> Option<String> {
    let name = alarm.name?;
    let f = filters
        .iter()
        .find(|f| f.metric_name.as_deref() == Some(name))?;
    let mut differ = Vec::new();
    if let (Some(fns), Some(ans)) = (f.metric_namespace.as_deref(), alarm.namespace) {
        if fns != ans {
            differ.push(format!("namespace {fns}, not {ans}"));
        }
    }
    if let Some(d) = alarm
        .dimensions
        .filter(|d| *d != f.metric_dimensions.as_slice())
    {
        let list = |d: &[String]| {
            if d.is_empty() {
                "none".to_string()
            } else {
                d.join(", ")
            }
        };
        differ.push(format!(
            "dimensions {}, not {}",
            list(&f.metric_dimensions),
            list(d)
        ));
    }
    Some(format!(
        "the honeytoken metric filter {} publishes a metric of that name with {}: not the alarm's metric",
        f.name,
        differ.join(" and ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Origin;

    fn filter(ns: Option<&str>, dims: &[&str]) -> MetricFilter {
        MetricFilter {
            name: "f".into(),
            pattern: String::new(),
            log_group: None,
            metric_name: Some("Count".into()),
            metric_namespace: ns.map(str::to_owned),
            metric_value: None,
            default_value: None,
            metric_dimensions: dims.iter().map(|d| d.to_string()).collect(),
            origin: Origin { input: 0, index: 0 },
        }
    }

    fn alarm<'a>(ns: Option<&'a str>, dims: Option<&'a [String]>) -> AlarmMetric<'a> {
        AlarmMetric {
            name: Some("Count"),
            namespace: ns,
            dimensions: dims,
            source: "describe-alarms",
        }
    }

    #[test]
    fn name_namespace_and_dimensions_must_all_match() {
        let none: Vec<String> = Vec::new();
        let f = filter(Some("CloudTrailMetrics"), &[]);
        assert!(matches(&f, &alarm(Some("CloudTrailMetrics"), Some(&none)))
            .is_some_and(|m| m.notes.is_empty()));
        assert!(matches(&f, &alarm(Some("Other"), Some(&none))).is_none());
        let one = vec!["EventName".to_string()];
        assert!(matches(&f, &alarm(Some("CloudTrailMetrics"), Some(&one))).is_none());
        let fd = filter(Some("CloudTrailMetrics"), &["EventName"]);
        assert!(matches(&fd, &alarm(Some("CloudTrailMetrics"), Some(&none))).is_none());
        assert!(matches(&fd, &alarm(Some("CloudTrailMetrics"), Some(&one))).is_some());
    }

    #[test]
    fn what_is_not_recorded_is_named() {
        let f = filter(Some("CloudTrailMetrics"), &[]);
        let m = matches(&f, &alarm(None, None)).unwrap();
        assert_eq!(
            m.notes,
            [
                "describe-alarms records no namespace for the alarm's metric: the link rests on the metric name only",
                "describe-alarms records no dimensions for the alarm's metric: whether they are the filter's is not examined"
            ]
        );
    }
}
