//! The report for its readers (#18): the incident timeline explains its symbols and draws the
//! event rule's per-minute metric as the interval it fired in (never a point before the read it
//! detected), the latency stages come in the order they happened, the denied attempts are listed
//! once with a reference from the detection evidence, and the appendix prints each SHA-256 in two
//! lines of 32 hex digits. Checked on the report's model (data) and in the PDF's text.

use crate::support;

use std::path::Path;
use std::sync::OnceLock;

use support::*;
use trailcase::model::{EntryKind, Timeline};
use trailcase::report::content::IntegrityStatement;
use trailcase::report::{
    BarChart, Block, ChartSpec, LegendSymbol, MarkerShape, ReportDoc, Table, TimelineChart,
};

fn sample() -> &'static (Timeline, ReportDoc) {
    static SAMPLE: OnceLock<(Timeline, ReportDoc)> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        let (t, config) = model(&[&repo().join("samples/incident-01")]);
        let doc = report_doc(&t, &config, IntegrityStatement::default());
        (t, doc)
    })
}

fn sample_text() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("r.pdf");
        let run = report_pdf(&pdf, &["samples/incident-01"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        pdf_text(&pdf)
    })
}

fn tables(doc: &ReportDoc) -> impl Iterator<Item = &Table> {
    doc.blocks.iter().filter_map(|b| match b {
        Block::Table(t) => Some(t),
        _ => None,
    })
}

#[test]
fn the_timeline_legend_explains_every_symbol_it_draws() {
    let (_, doc) = sample();
    let chart = timeline_chart(doc);
    let symbols: Vec<LegendSymbol> = chart.legend.iter().map(|e| e.symbol).collect();
    for p in &chart.points {
        assert!(
            symbols.contains(&LegendSymbol::Marker(p.marker)),
            "{:?} is drawn but not in the legend {symbols:?}",
            p.marker
        );
    }
    assert!(!chart.spans.is_empty() && !chart.markers.is_empty());
    assert!(symbols.contains(&LegendSymbol::Span(MarkerShape::Triangle)));
    assert!(symbols.contains(&LegendSymbol::DashedLine));
    // And nothing the chart does not draw.
    assert_eq!(symbols.len(), 6, "{symbols:?}");
    let text = sample_text();
    for entry in &chart.legend {
        assert!(
            text.contains(&entry.text),
            "{:?} not in the PDF",
            entry.text
        );
    }
}

/// AWS/Events TriggeredRules is a per-minute sum: its 14:02:00 datapoint says only that the rule
/// fired in that minute. The read it detected was at 14:02:17, the kill-switch's first call at
/// 14:02:46: the chart draws that interval, the milestone table states its end.
#[test]
fn flow_2_is_drawn_as_the_interval_it_fired_in_never_before_the_read() {
    let (t, doc) = sample();
    let chart = timeline_chart(doc);
    let lane = chart
        .lanes
        .iter()
        .position(|l| l == "Flow 2: rule")
        .unwrap();
    assert!(
        chart.points.iter().all(|p| p.lane != lane),
        "no point in the rule's lane: {:?}",
        chart.points
    );
    let m = &t.incidents[0].milestones;
    let read = m.first_access.unwrap().secs();
    let spans: Vec<(i64, i64)> = chart
        .spans
        .iter()
        .filter(|s| s.lane == lane)
        .map(|s| (s.from, s.to))
        .collect();
    assert_eq!(spans.len(), 2, "one per TriggeredRules minute: {spans:?}");
    assert!(spans.iter().all(|&(from, to)| read <= from && from <= to));
    assert_eq!(
        spans[0],
        (read, m.flow2_triggered.unwrap().secs()),
        "from the read to the bound the milestone table gives (14:02:46)"
    );
    let second_minute = t
        .entries
        .iter()
        .filter(|e| e.kind == EntryKind::RuleTriggered)
        .nth(1)
        .unwrap()
        .time
        .secs();
    assert_eq!(
        spans[1].0, second_minute,
        "a later minute starts at its start"
    );
    assert!(
        spans[1].1 < second_minute + 60,
        "narrowed by the kill-switch's second run"
    );
    // The timeline's rows keep their meaning: the datapoint at its minute, its count for it.
    let rows: Vec<(String, &str)> = t
        .entries
        .iter()
        .filter(|e| e.kind == EntryKind::RuleTriggered)
        .map(|e| (e.time.to_string(), e.outcome.as_str()))
        .collect();
    assert_eq!(
        rows,
        [
            (
                "2026-11-20T14:02:00Z".to_string(),
                "1 in the minute starting 2026-11-20T14:02:00Z"
            ),
            (
                "2026-11-20T14:03:00Z".to_string(),
                "1 in the minute starting 2026-11-20T14:03:00Z"
            )
        ]
    );
    // The report says the time is a bound, and what it rests on.
    assert!(sample_text().contains(
        "Flow 2 timing: the kill-switch's first call after the read (upper bound: the rule fired before it), inside the minute starting 2026-11-20T14:02:00Z in which AWS/Events TriggeredRules > 0."
    ));
}

#[test]
fn the_latency_stages_come_in_the_order_they_happened() {
    let (_, doc) = sample();
    let bars: &BarChart = doc
        .blocks
        .iter()
        .find_map(|b| match b {
            Block::Chart(ChartSpec::Bars(c)) if c.title.starts_with("INC-001: each stage") => {
                Some(c)
            }
            _ => None,
        })
        .unwrap();
    let values = &bars.series[0].values;
    assert_eq!(values.len(), 5);
    let known: Vec<f64> = values
        .iter()
        .map(|v| v.expect("known in the sample"))
        .collect();
    assert!(
        known.windows(2).all(|w| w[0] <= w[1]),
        "{:?}: {known:?}",
        bars.categories
    );
    assert_eq!(bars.categories[0], "Flow 2: rule triggered");
    assert_eq!(
        bars.categories[4],
        "Trail delivered the log file (S3 key minute)"
    );
    let table = tables(doc).find(|t| t.columns[0].title == "Stage").unwrap();
    let rows: Vec<&str> = table.rows.iter().map(|r| r[0].text.as_str()).collect();
    assert_eq!(rows, bars.categories, "the table in the chart's order");
    assert_eq!(table.rows[0][2].text, "T+00:29");
    let text = sample_text();
    assert!(text.contains("The stages in the order they happened, earliest first"));
    assert!(text.contains("each stage after the read at 2026-11-20T14:02:17Z, earliest first"));
}

/// The actor's calls refused after containment were in two tables (its activity, and a second
/// table of "denied attempts" that also took in rule metrics and alarm rows): now each record is
/// in one evidence table, and the detection section names the calls and points there.
#[test]
fn denied_attempts_are_listed_once_and_referred_to() {
    let (t, doc) = sample();
    let i = &t.incidents[0];
    let from = i.milestones.containment_start.unwrap();
    let denied: Vec<&str> = t
        .entries
        .iter()
        .filter(|e| e.incidents.contains(&i.id) && e.time >= from && e.outcome != "success")
        .filter(|e| {
            matches!(
                e.kind,
                EntryKind::HoneytokenAccess | EntryKind::ActorActivity | EntryKind::ActorDenied
            )
        })
        .map(|e| e.event_id.as_str())
        .collect();
    assert_eq!(denied.len(), 3, "{denied:?}");
    let evidence_rows: Vec<&str> = tables(doc)
        .filter(|t| t.columns[0].title == "Time (UTC) / eventID")
        .flat_map(|t| t.rows.iter().map(|r| r[0].text.as_str()))
        .collect();
    for id in &denied {
        let n = evidence_rows.iter().filter(|c| c.contains(id)).count();
        assert_eq!(n, 1, "{id} is in {n} evidence rows");
    }
    assert!(
        !evidence_rows.iter().any(|c| c.contains("metric:")),
        "a rule metric is no refused call"
    );
    let text = sample_text();
    let start = text
        .find("INC-001: denied attempts after containment")
        .unwrap();
    let section = &text[start..start + 600];
    assert!(
        section.contains("3 call(s) by the actor were refused after containment started (2026-11-20T14:02:46Z): secretsmanager:GetSecretValue at T+00:48, iam:CreateAccessKey at T+01:23, ec2:DescribeInstances at T+01:53."),
        "{section}"
    );
    assert!(
        section.contains("under \"Evidence from CloudTrail\""),
        "{section}"
    );
}

fn is_half_hash(line: &str) -> bool {
    line.len() == 32 && line.bytes().all(|b| b.is_ascii_hexdigit())
}

#[test]
fn the_appendix_prints_each_sha256_in_two_lines_of_32_hex_digits() {
    let (_, doc) = sample();
    for title in ["SHA-256", "SHA-256 of the attachment"] {
        let table = tables(doc)
            .find(|t| t.columns.last().is_some_and(|c| c.title == title))
            .unwrap_or_else(|| panic!("{title}"));
        assert!(!table.rows.is_empty());
        for row in &table.rows {
            let lines: Vec<&str> = row.last().unwrap().text.lines().collect();
            assert!(
                lines.len() == 2 && lines.iter().all(|l| is_half_hash(l)),
                "{title}: {lines:?}"
            );
        }
    }
}

/// The timeline charts of a report of two incidents: mallory reads at 10:00, eve at `eve_at`.
fn two_incident_charts(eve_at: &str) -> Vec<TimelineChart> {
    let dir = tempfile::tempdir().unwrap();
    let read = |id: &str, user: &str, time: &str| {
        serde_json::json!({
            "eventVersion": "1.08", "eventTime": time, "eventSource": "secretsmanager.amazonaws.com",
            "eventName": "GetSecretValue", "awsRegion": "us-east-1", "sourceIPAddress": "198.51.100.7",
            "userAgent": "aws-cli/2.15.30", "eventID": id, "eventType": "AwsApiCall",
            "recipientAccountId": "123456789012", "readOnly": true,
            "requestParameters": {"secretId": "Production_Database_Credentials"},
            "userIdentity": {"type": "IAMUser", "arn": format!("arn:aws:iam::123456789012:user/{user}"), "userName": user, "accessKeyId": format!("AKIA{user}")}
        })
    };
    let records = serde_json::json!({"Records": [
        read("r1", "mallory", "2026-11-20T10:00:00Z"),
        read("r2", "eve", eve_at),
    ]});
    let trail = dir.path().join("trail.json");
    std::fs::write(&trail, records.to_string()).unwrap();
    let (t, config) = model(&[Path::new(&trail)]);
    assert_eq!(t.incidents.len(), 2);
    let doc = report_doc(&t, &config, IntegrityStatement::default());
    doc.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Chart(ChartSpec::Timeline(c)) => Some(c.clone()),
            _ => None,
        })
        .collect()
}

/// Two incidents 20 minutes apart share one chart, which marks each one's read.
#[test]
fn several_incidents_each_have_their_first_read_marked() {
    let charts = two_incident_charts("2026-11-20T10:20:00Z");
    assert_eq!(charts.len(), 1, "their spans overlap");
    let chart = &charts[0];
    let labels: Vec<&str> = chart.markers.iter().map(|m| m.label.as_str()).collect();
    assert_eq!(labels, ["INC-001 first read", "INC-002 first read"]);
    assert!(
        chart
            .title
            .starts_with("INC-001, INC-002: incident timeline"),
        "{}",
        chart.title
    );
    let symbols: Vec<LegendSymbol> = chart.legend.iter().map(|e| e.symbol).collect();
    assert_eq!(
        symbols,
        [
            LegendSymbol::Marker(MarkerShape::Dot),
            LegendSymbol::DashedLine
        ]
    );
    assert_eq!(chart.legend[1].text, "first read", "nobody was contained");
}

/// Incidents hours apart get a chart each, on their own time axis, not one axis squeezing both.
#[test]
fn incidents_hours_apart_get_a_chart_each() {
    let charts = two_incident_charts("2026-11-20T14:00:00Z");
    assert_eq!(charts.len(), 2);
    for (chart, id) in charts.iter().zip(["INC-001", "INC-002"]) {
        let labels: Vec<&str> = chart.markers.iter().map(|m| m.label.as_str()).collect();
        assert_eq!(labels, [format!("{id} first read")]);
        assert!(chart.title.starts_with(&format!("{id}: incident timeline")));
        let times: Vec<i64> = chart.points.iter().map(|p| p.time).collect();
        assert_eq!(
            times.len(),
            1,
            "{id}'s chart draws only its own read: {times:?}"
        );
    }
}

/// The actor's other calls listed the `kms:Decrypt` Secrets Manager made with the actor's
/// identity to return the secret (source `secretsmanager.amazonaws.com`) under "Every other call
/// by the actor", as if the actor had sent it. The caption now says what such a row is.
#[test]
fn a_call_a_service_made_for_the_actor_is_told_as_such() {
    let (_, doc) = sample();
    let caption = tables(doc)
        .filter_map(|t| t.caption.as_deref())
        .find(|c| c.starts_with("Every other call by the actor"))
        .expect("the actor's other calls");
    assert!(
        caption.contains("A row whose source is an AWS service (secretsmanager.amazonaws.com) is a call that service made with the actor's identity, on its behalf, not one the actor sent itself."),
        "{caption}"
    );
    let text = sample_text()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("A row whose source is an AWS service (secretsmanager.amazonaws.com) is a call that service made"),
        "{text}"
    );
}

/// The chart's introduction said its rows run from 60 minutes before the first read, while the
/// sample's axis spans 13:55 to 14:12: the reader looked for the missing hour. It now says the
/// axis fits the rows drawn.
#[test]
fn the_timeline_introduction_says_the_axis_fits_the_rows_drawn() {
    let (_, doc) = sample();
    let chart = timeline_chart(doc);
    assert!(
        chart
            .title
            .ends_with("2026-11-20T13:55:10Z to 2026-11-20T14:12:21.907Z (time axis in UTC)"),
        "{}",
        chart.title
    );
    let text = sample_text()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("The axis runs from the first row drawn to the last, so it is shorter than that span when the evidence holds no row near its ends."),
        "{text}"
    );
}
