//! Section 4: the incident timeline chart, with its legend, and each incident's milestone table
//! (`milestones`); which mark each row gets is `chart_marks`. A rule metric's datapoint is drawn as the interval its rule fired in, never as a
//! point at the start of its minute (see [`rule_fired_within`]).

use super::chart_marks::{label_priority, point, short_action};
use super::fmt;
use crate::model::{EntryKind, FirstAccessKind, Incident, Timeline, TimelineEntry, Timestamp};
use crate::report::{
    Block, ChartSpec, LegendEntry, LegendSymbol, MarkerShape, TimeMarker, TimelineChart,
    TimelinePoint, TimelineSpan,
};

const LANES: [&str; 6] = [
    "Actor activity",
    "Honeytoken reads",
    "Flow 1: alarm",
    "Flow 2: rule",
    "Kill-switch",
    "Denied attempts",
];

/// When the rule behind a per-minute metric datapoint fired, as narrowly as the evidence bounds
/// it: inside the minute starting `minute` (AWS/Events metrics are per-minute sums), not before
/// the first honeytoken read when that read is in or before the minute (the rule matches reads),
/// and not after the kill-switch's first call from then on inside the minute (the rule invokes
/// the kill-switch). The same bounds as the milestone table's "Flow 2: EventBridge rule
/// triggered" (its time is this interval's end).
pub fn rule_fired_within(
    minute: Timestamp,
    reads: &[Timestamp],
    kill_calls: &[Timestamp],
) -> (Timestamp, Timestamp) {
    let end = Timestamp(minute.millis() + 60_000);
    let from = match reads.iter().min() {
        Some(&r) if r < end => r.max(minute),
        _ => minute,
    };
    let to = kill_calls
        .iter()
        .copied()
        .filter(|&k| k >= from && k < end)
        .min()
        .unwrap_or(end);
    (from, to)
}

/// The interval bar of a rule metric row (see [`rule_fired_within`]).
fn rule_span(t: &Timeline, e: &TimelineEntry) -> TimelineSpan {
    let of = |k: EntryKind| -> Vec<Timestamp> {
        t.entries
            .iter()
            .filter(|x| x.kind == k)
            .map(|x| x.time)
            .collect()
    };
    let reads = of(EntryKind::HoneytokenAccess);
    let (from, to) = rule_fired_within(e.time, &reads, &of(EntryKind::Containment));
    TimelineSpan {
        lane: 3,
        from: from.secs(),
        to: to.secs(),
        label: Some(short_action(&e.action)),
        marker: MarkerShape::Triangle,
        priority: label_priority(e.kind),
    }
}

/// What the chart's symbols mean: only those it draws.
fn legend(points: &[TimelinePoint], spans: &[TimelineSpan], lines: &str) -> Vec<LegendEntry> {
    let has = |m: MarkerShape| points.iter().any(|p| p.marker == m);
    let mut out = Vec::new();
    let mut add = |on: bool, symbol, text: &str| {
        if on {
            out.push(LegendEntry {
                symbol,
                text: text.into(),
            });
        }
    };
    add(
        has(MarkerShape::Dot),
        LegendSymbol::Marker(MarkerShape::Dot),
        "a call",
    );
    // A cross on the rule's lane is a target the rule could not invoke, not a call.
    let crosses = |rule_lane: bool| {
        points
            .iter()
            .any(|p| p.marker == MarkerShape::Cross && (p.lane == 3) == rule_lane)
    };
    add(
        has(MarkerShape::Cross),
        LegendSymbol::Marker(MarkerShape::Cross),
        match (crosses(false), crosses(true)) {
            (true, true) => "a denied call; on the rule's lane, a target the rule could not invoke",
            (false, true) => "on the rule's lane: a target the rule could not invoke",
            _ => "a denied call",
        },
    );
    add(
        has(MarkerShape::Triangle),
        LegendSymbol::Marker(MarkerShape::Triangle),
        "an alarm's state change or action (labelled)",
    );
    add(
        !spans.is_empty(),
        LegendSymbol::Span(MarkerShape::Triangle),
        "the rule fired in this interval (per-minute metric, narrowed)",
    );
    add(
        has(MarkerShape::Diamond),
        LegendSymbol::Marker(MarkerShape::Diamond),
        "the kill-switch (a call, its result)",
    );
    add(!lines.is_empty(), LegendSymbol::DashedLine, lines);
    out
}

/// How far before an incident's first read, and after the end of its exposure, its chart reaches.
pub const CHART_PAD_MINUTES: i64 = 60;

/// The span of incident `i`'s chart: the first read less [`CHART_PAD_MINUTES`] to the last of its
/// reads, detections and containment plus as much. The actor's calls before and after (a busy
/// principal works for days) are in the evidence tables, not squeezed onto one axis.
fn chart_bounds(i: &Incident) -> Option<(Timestamp, Timestamp)> {
    let m = &i.milestones;
    let first = m.first_access?;
    let end = [
        m.last_access,
        m.flow1_alarm,
        m.flow1_notification,
        m.flow2_triggered,
        m.containment_complete,
        m.first_denied_after_containment,
    ]
    .into_iter()
    .flatten()
    .max()
    .unwrap_or(first);
    let pad = CHART_PAD_MINUTES * 60_000;
    Some((
        Timestamp(first.millis() - pad),
        Timestamp(end.millis() + pad),
    ))
}

/// Incidents whose chart spans overlap share one chart (scanners reading within the same hour
/// are one picture, not a page each); incidents apart get their own. In order of first read.
fn chart_groups(t: &Timeline) -> Vec<(Vec<&Incident>, (Timestamp, Timestamp))> {
    let mut spans: Vec<(&Incident, (Timestamp, Timestamp))> = t
        .incidents
        .iter()
        .filter_map(|i| chart_bounds(i).map(|b| (i, b)))
        .collect();
    spans.sort_by_key(|(i, b)| (b.0, i.id.clone()));
    let mut groups: Vec<(Vec<&Incident>, (Timestamp, Timestamp))> = Vec::new();
    for (i, (from, to)) in spans {
        match groups.last_mut() {
            Some((members, bounds)) if from <= bounds.1 => {
                members.push(i);
                bounds.1 = bounds.1.max(to);
            }
            _ => groups.push((vec![i], (from, to))),
        }
    }
    groups
}

/// Names the incidents of one chart: `INC-001`, `INC-001, INC-002`, or `INC-001 to INC-025 (25
/// incidents)`.
fn group_name(members: &[&Incident]) -> String {
    match members {
        [] => String::new(),
        [one] => one.id.clone(),
        [a, b] => format!("{}, {}", a.id, b.id),
        [first, .., last] => format!("{} to {} ({} incidents)", first.id, last.id, members.len()),
    }
}

/// The chart of `members`: their rows, and the alarm, rule and kill-switch rows no incident
/// claims, inside `bounds`; the axis fits what is drawn.
fn timeline_chart(
    t: &Timeline,
    members: &[&Incident],
    (from, to): (Timestamp, Timestamp),
) -> Option<ChartSpec> {
    let ids: Vec<&str> = members.iter().map(|i| i.id.as_str()).collect();
    let drawn: Vec<&TimelineEntry> = t
        .entries
        .iter()
        .filter(|e| e.time >= from && e.time <= to)
        .filter(|e| e.incidents.is_empty() || e.incidents.iter().any(|x| ids.contains(&x.as_str())))
        .collect();
    let mut points = Vec::new();
    let mut spans = Vec::new();
    let (mut lo, mut hi) = (None::<Timestamp>, None::<Timestamp>);
    for e in drawn {
        let before = points.len() + spans.len();
        if e.kind == EntryKind::RuleTriggered {
            spans.push(rule_span(t, e));
        } else if let Some(p) = point(e) {
            points.push(p);
        }
        if points.len() + spans.len() > before {
            lo = Some(lo.map_or(e.time, |l| l.min(e.time)));
            hi = Some(hi.map_or(e.time, |h| h.max(e.time)));
        }
    }
    let (lo, hi) = (lo?, hi?);
    let mut markers = Vec::new();
    // Whether every marked T is a read; a refused first access is labelled as one.
    let mut all_reads = true;
    for i in members {
        let m = &i.milestones;
        if let Some(a) = m.first_access {
            let first = super::milestones::first_access(t, i).short;
            all_reads &= first == "first read";
            markers.push(TimeMarker {
                time: a.secs(),
                label: format!("{} {first}", i.id),
            });
        }
        if let Some(c) = m.containment_complete {
            markers.push(TimeMarker {
                time: c.secs(),
                label: format!("{} kill-switch calls complete", i.id),
            });
        }
    }
    let any_read = members.iter().any(|i| i.impact.reads_succeeded > 0);
    let contained = members
        .iter()
        .any(|i| i.milestones.containment_complete.is_some());
    let first = if all_reads {
        "first read"
    } else {
        "first honeytoken access"
    };
    let lines = match (markers.is_empty(), contained) {
        (true, _) => String::new(),
        (false, true) => format!("{first}; kill-switch's containment calls complete"),
        (false, false) => first.to_string(),
    };
    Some(ChartSpec::Timeline(TimelineChart {
        title: format!(
            // The axis's ticks (14:05:00) carry no zone of their own.
            "{}: incident timeline, {} to {} (time axis in UTC)",
            group_name(members),
            fmt::time(lo),
            fmt::time(hi)
        ),
        lanes: LANES
            .iter()
            .enumerate()
            .map(|(n, s)| match n {
                // No call of these incidents returned the value: the lane holds attempts.
                1 if !any_read => "Honeytoken calls".to_string(),
                _ => s.to_string(),
            })
            .collect(),
        legend: legend(&points, &spans, &lines),
        points,
        spans,
        markers,
    }))
}

/// The paragraph before the chart: what it shows, and what its lines and bars mean when it has any.
/// `reads` when every incident's first honeytoken access (T) was a read: else T is named an
/// access, and the honeytoken's rows calls, not reads (a refused call returned nothing).
fn intro(chart: &ChartSpec, reads: bool, unnamed: usize) -> String {
    let (first, last, rows, read) = if reads {
        ("first read", "reads", "the honeytoken reads", "the read")
    } else {
        (
            "first honeytoken access",
            "honeytoken calls",
            "the calls to read the honeytoken (successful or not)",
            "the first access",
        )
    };
    let mut text = format!("Each incident's rows on one time axis (incidents whose spans overlap share one), from {CHART_PAD_MINUTES} minutes before its {first} to {CHART_PAD_MINUTES} minutes after the last of its {last}, detections and containment: the actor's calls, {rows}, each detection flow, the kill-switch's calls and the attempts that were denied (the actor's calls outside that span are in the evidence tables). The axis runs from the first row drawn to the last, so it is shorter than that span when the evidence holds no row near its ends.");
    if let ChartSpec::Timeline(c) = chart {
        for e in &c.legend {
            match e.symbol {
                LegendSymbol::DashedLine => text.push_str(&format!(
                    " Dashed vertical lines mark each incident's {}.",
                    e.text.replace(';', " and")
                )),
                LegendSymbol::Span(_) => text.push_str(&format!(" The event rule's metric counts per minute: a bar shows the interval the rule fired in, not before {read} and not after the kill-switch's first call (else the minute's end).")),
                LegendSymbol::Marker(_) => {}
            }
        }
    }
    if unnamed > 0 {
        text.push_str(&format!(
            " Not drawn: {unnamed} AWS/Events datapoint(s), the timeline's rows of kind rule_metric_unnamed, whose series {}: not evidence that the flow-2 rule fired.",
            crate::model::SERIES_NAMES_NO_RULE
        ));
    }
    text.push_str(" Where labels would overlap, \"+N more\" counts the ones left out; the evidence tables list every record.");
    text
}

pub fn timeline_section(t: &Timeline) -> Vec<Block> {
    let mut out = vec![Block::heading(1, "Incident timeline")];
    if t.incidents.is_empty() {
        out.push(Block::para(format!(
            "No incident: there is no incident timeline to draw.{}",
            super::reads_unseen::caveat(t)
        )));
    }
    // Each chart, then the milestones of the incidents it draws; an incident no chart draws
    // (no read time) after them.
    let milestones = |i: &Incident, out: &mut Vec<Block>| {
        out.push(Block::heading(2, format!("{}: milestones", i.id)));
        out.push(super::milestones::table(t, i));
        if !i.unknowns.is_empty() {
            out.push(Block::Bullets(
                i.unknowns.iter().map(|u| format!("Unknown: {u}")).collect(),
            ));
        }
    };
    let mut told = std::collections::HashSet::new();
    let mut intro_said = false;
    for (members, bounds) in chart_groups(t) {
        if let Some(chart) = timeline_chart(t, &members, bounds) {
            if !intro_said {
                let reads = t
                    .incidents
                    .iter()
                    .all(|i| i.milestones.first_access_kind == FirstAccessKind::Read);
                let unnamed = t
                    .entries
                    .iter()
                    .filter(|e| e.kind == EntryKind::RuleMetricUnnamed)
                    .count();
                out.push(Block::para(intro(&chart, reads, unnamed)));
                intro_said = true;
            }
            out.push(Block::Chart(chart));
        }
        for i in members {
            told.insert(i.id.as_str());
            milestones(i, &mut out);
        }
    }
    for i in t.incidents.iter().filter(|i| !told.contains(i.id.as_str())) {
        milestones(i, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::rule_fired_within;
    use crate::model::Timestamp;

    /// 2026-11-20T14:02:00Z, the sample's first TriggeredRules minute.
    const MINUTE: i64 = 1_795_183_320;

    fn at(offset: i64) -> Timestamp {
        Timestamp::from_secs(MINUTE + offset)
    }

    #[test]
    fn the_rule_fired_after_the_read_it_matched_and_before_the_kill_switch_called() {
        // The sample: read at 14:02:17, the kill-switch's first call at 14:02:46.
        assert_eq!(
            rule_fired_within(at(0), &[at(17), at(65)], &[at(46), at(47), at(93)]),
            (at(17), at(46))
        );
        // No kill-switch call in the minute: the minute's end bounds it.
        assert_eq!(rule_fired_within(at(0), &[at(17)], &[]), (at(17), at(60)));
        // A kill-switch call before the read bounds nothing.
        assert_eq!(
            rule_fired_within(at(0), &[at(17)], &[at(5)]),
            (at(17), at(60))
        );
    }

    #[test]
    fn a_later_minute_starts_at_its_own_start() {
        // The read was in an earlier minute: it may still be the one this minute counts.
        assert_eq!(
            rule_fired_within(at(60), &[at(17), at(65)], &[at(93)]),
            (at(60), at(93))
        );
    }

    #[test]
    fn a_minute_before_any_read_is_the_whole_minute() {
        // The rule fired for something the evidence does not hold: nothing narrows it.
        assert_eq!(
            rule_fired_within(at(0), &[at(75)], &[at(80)]),
            (at(0), at(60))
        );
        assert_eq!(rule_fired_within(at(0), &[], &[]), (at(0), at(60)));
    }
}
