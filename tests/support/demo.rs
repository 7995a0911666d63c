//! A demo `ReportDoc` that uses every block type; shared by `tests/it/pdf_render.rs` and
//! `examples/render_demo.rs` (included with `#[path]`).

use trailcase::report::*;

/// The ARN that must survive wrapping intact.
pub const LONG_ARN: &str = "arn:aws:sts::123456789012:assumed-role/HoneytokenKillSwitchExecutionRole/honeytoken-kill-switch-containment-lambda-prod-eu-west-1";
/// Event id of the last row of the big table.
pub const LAST_ROW_ID: &str = "evt-0119-9f2c41d7";
/// Base time of the demo incident (2025-03-14 09:26:40 UTC).
pub const T0: i64 = 1_741_944_400;

fn node(
    id: &str,
    title: &str,
    lines: &[&str],
    status: NodeStatus,
    row: usize,
    col: usize,
) -> DiagramNode {
    DiagramNode {
        id: id.into(),
        title: title.into(),
        lines: lines.iter().map(|s| s.to_string()).collect(),
        status,
        row,
        col,
    }
}

fn edge(from: &str, to: &str, label: &str) -> DiagramEdge {
    DiagramEdge {
        from: from.into(),
        to: to.into(),
        label: label.into(),
    }
}

fn pipeline() -> DiagramSpec {
    DiagramSpec {
        title: "Monitoring pipeline as collected".into(),
        nodes: vec![
            node("trail", "CloudTrail trail", &["org-audit-trail", "multi-region: yes", "log file validation: on"], NodeStatus::Present, 0, 0),
            node("lg", "Log group", &["/aws/cloudtrail/org-audit-trail", "retention 365 d"], NodeStatus::Present, 0, 1),
            node("mf", "Metric filter", &["HoneytokenSecretRead", "{ ($.eventSource = \"secretsmanager.amazonaws.com\") && ($.eventName = \"GetSecretValue\") }"], NodeStatus::Present, 0, 2),
            node("alarm", "CloudWatch alarm", &["honeytoken-secret-read", "Sum >= 1 over 60 s, 1 of 1"], NodeStatus::Present, 0, 3),
            node("sns1", "SNS topic", &["security-alerts"], NodeStatus::Present, 0, 4),
            node("rule", "EventBridge rule", &["honeytoken-access", "detail.eventName: GetSecretValue"], NodeStatus::Present, 1, 1),
            node("sns2", "SNS topic", &["security-alerts-rich"], NodeStatus::Missing, 1, 2),
            node("lambda", "Kill-switch Lambda", &["honeytoken-kill-switch", "role HoneytokenKillSwitchExecutionRole"], NodeStatus::Present, 1, 3),
        ],
        edges: vec![
            edge("trail", "lg", "delivers"),
            edge("lg", "mf", "filters"),
            edge("mf", "alarm", "metric"),
            edge("alarm", "sns1", "action"),
            edge("trail", "rule", "events"),
            edge("rule", "sns2", "target"),
            edge("sns2", "lambda", "invokes"),
        ],
    }
}

fn timeline() -> TimelineChart {
    let p = |lane, dt: i64, label: &str, marker| TimelinePoint {
        lane,
        time: T0 + dt,
        label: (!label.is_empty()).then(|| label.to_string()),
        marker,
        priority: 0,
    };
    let mut points = vec![
        p(0, 0, "ListSecrets", MarkerShape::Dot),
        p(0, 40, "GetCallerIdentity", MarkerShape::Dot),
        p(1, 95, "GetSecretValue", MarkerShape::Dot),
        p(2, 205, "ALARM", MarkerShape::Triangle),
        p(3, 98, "rule matched", MarkerShape::Triangle),
        p(4, 101, "PutUserPolicy deny-all", MarkerShape::Diamond),
        p(4, 103, "UpdateAccessKey Inactive", MarkerShape::Diamond),
    ];
    for i in 0..6 {
        points.push(p(
            0,
            110 + i * 25,
            if i == 0 { "AccessDenied" } else { "" },
            MarkerShape::Cross,
        ));
    }
    TimelineChart {
        title: "Incident timeline (UTC)".into(),
        lanes: vec![
            "actor".into(),
            "honeytoken".into(),
            "alarm (flow 1)".into(),
            "rule (flow 2)".into(),
            "kill-switch".into(),
        ],
        points,
        spans: vec![TimelineSpan {
            lane: 3,
            from: T0 + 95,
            to: T0 + 101,
            label: Some("TriggeredRules".into()),
            marker: MarkerShape::Triangle,
            priority: 1,
        }],
        legend: vec![
            LegendEntry {
                symbol: LegendSymbol::Marker(MarkerShape::Dot),
                text: "a call".into(),
            },
            LegendEntry {
                symbol: LegendSymbol::Span(MarkerShape::Triangle),
                text: "the rule fired within".into(),
            },
            LegendEntry {
                symbol: LegendSymbol::DashedLine,
                text: "milestone".into(),
            },
        ],
        markers: vec![
            TimeMarker {
                time: T0 + 95,
                label: "honeytoken read".into(),
            },
            TimeMarker {
                time: T0 + 101,
                label: "contained".into(),
            },
            TimeMarker {
                time: T0 + 205,
                label: "alarm".into(),
            },
        ],
    }
}

fn latency() -> BarChart {
    BarChart {
        title: "Detection latency by stage".into(),
        categories: vec![
            "Flow 1: metric filter -> alarm -> SNS".into(),
            "Flow 2: EventBridge rule -> SNS / kill-switch".into(),
        ],
        series: vec![
            BarSeries {
                name: "access -> delivery".into(),
                values: vec![Some(240.0), Some(3.0)],
            },
            BarSeries {
                name: "delivery -> alarm / rule".into(),
                values: vec![Some(62.0), Some(0.4)],
            },
            BarSeries {
                name: "-> notification".into(),
                values: vec![Some(1.5), None],
            },
            BarSeries {
                name: "-> containment".into(),
                values: vec![None, Some(6.0)],
            },
        ],
        unit: "s".into(),
        horizontal: true,
    }
}

fn evidence_table() -> Table {
    let mut rows = Vec::new();
    for i in 0..120 {
        let t = T0 + 95 + i as i64 * 7;
        let id = if i == 119 {
            LAST_ROW_ID.to_string()
        } else {
            format!(
                "evt-{i:04}-{:08x}",
                (i as u64).wrapping_mul(2_654_435_761) & 0xffff_ffff
            )
        };
        let denied = i >= 3 && i % 4 != 0;
        rows.push(vec![
            Cell::mono(format!("2025-03-14T{:02}:{:02}:{:02}Z", (t / 3600) % 24, (t / 60) % 60, t % 60)),
            Cell::mono(if i == 7 { LONG_ARN.to_string() } else { "arn:aws:iam::123456789012:user/ci-deploy".into() }),
            Cell::text("203.0.113.77"),
            Cell::text(if i % 3 == 0 { "aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-1016-aws exe/x86_64.ubuntu.22 prompt/off command/secretsmanager.get-secret-value" } else { "Boto3/1.34.2 md/Botocore#1.34.2" }),
            Cell::mono(if i % 5 == 0 { "secretsmanager:GetSecretValue" } else { "s3:ListBuckets" }),
            if denied { Cell::alert("AccessDenied") } else { Cell::text("-") },
            Cell::mono(id),
        ]);
    }
    let mut cols = vec![
        Column::new("eventTime", 1.35),
        Column::new("userIdentity ARN", 2.0),
        Column::new("sourceIP", 1.05),
        Column::new("userAgent", 2.0),
        Column::new("event", 1.6),
        Column::new("errorCode", 1.05),
        Column::new("eventID", 1.3),
    ];
    cols[5].align = Align::Center;
    Table { columns: cols, rows, caption: Some("Table 1. The actor's CloudTrail records, in eventTime order (ties keep eventID order).".into()) }
}

/// The demo document.
pub fn demo_doc(paper: Paper) -> ReportDoc {
    let policy = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "HoneytokenKillSwitchDenyAll",
      "Effect": "Deny",
      "Action": "*",
      "Resource": "*",
      "Condition": { "DateLessThan": { "aws:TokenIssueTime": "2025-03-14T09:28:21Z" } }
    }
  ]
}"#;
    let blob: String = "QUtJQUlPU0ZPRE5ON0VYQU1QTEUxMjM0NTY3ODkw"
        .chars()
        .cycle()
        .take(5000)
        .collect();
    let blocks = vec![
        Block::Cover {
            title: "Honeytoken access incident report".into(),
            subtitle: "Forensic case built from CloudTrail, CloudWatch and EventBridge evidence".into(),
            fields: vec![
                ("Case".into(), "IR-2025-0314-01".into()),
                ("Organisation".into(), "Example Corp, AWS account 123456789012".into()),
                ("Classification".into(), "CONFIDENTIAL - incident response".into()),
                ("Incident window".into(), "2025-03-14T09:26:40Z to 2025-03-14T09:41:00Z".into()),
                ("Generated".into(), "2025-03-15T08:00:00Z".into()),
                ("Tool".into(), "trailcase 0.1.0".into()),
            ],
        },
        Block::heading(1, "Executive summary"),
        Block::Paragraph(vec![
            Span::plain("On 14 March 2025 a deployment user read the honeytoken secret. The EventBridge flow detected it in "),
            Span::bold("3 seconds"),
            Span::plain(" and the kill-switch contained the user "),
            Span::bold("6 seconds"),
            Span::plain(" later; the metric-filter alarm followed after 5 minutes. Principal: "),
            Span::plain(LONG_ARN),
            Span::plain("."),
        ]),
        Block::Callout { tone: Tone::Critical, text: "Two calls succeeded after the deny policy was attached (IAM eventual consistency); see the evidence tables.".into() },
        Block::Callout { tone: Tone::Warning, text: "The SNS topic of flow 2 was not in the collected configuration; it is shown as missing.".into() },
        Block::Callout { tone: Tone::Info, text: "All 48 trail files verified against their digest chain.".into() },
        Block::Bullets(vec![
            "What happened: GetSecretValue on the honeytoken secret prod/db/admin-honeytoken.".into(),
            format!("Who: {LONG_ARN} from 203.0.113.77."),
            "Containment: PutUserPolicy deny-all at 09:28:21, access key deactivated at 09:28:23.".into(),
        ]),
        Block::heading(1, "Monitoring pipeline"),
        Block::para("The diagram is drawn from the collected configuration, not from screenshots."),
        Block::Diagram(pipeline()),
        Block::KeyValue(vec![
            ("Metric filter pattern".into(), "{ ($.eventSource = \"secretsmanager.amazonaws.com\") && ($.eventName = \"GetSecretValue\") }".into()),
            ("Alarm".into(), "honeytoken-secret-read: Sum >= 1, period 60 s, 1 of 1 datapoints".into()),
            ("Kill-switch role".into(), LONG_ARN.into()),
        ]),
        Block::heading(1, "Incident timeline"),
        Block::Chart(ChartSpec::Timeline(timeline())),
        Block::heading(2, "Detection latency"),
        Block::Chart(ChartSpec::Bars(latency())),
        Block::heading(3, "Reading the chart"),
        Block::para("Hatched bars are stages for which the evidence holds no timestamp; they are unknown, not zero."),
        Block::heading(1, "Evidence from CloudTrail"),
        Block::heading(2, "The actor's activity"),
        Block::Table(evidence_table()),
        Block::heading(2, "Deny policy document"),
        Block::Preformatted(policy.into()),
        Block::heading(3, "Session token seen in the request (base64, 5,000 characters)"),
        Block::Preformatted(blob),
        Block::PageBreak,
        Block::heading(2, "Notes"),
        Block::para("Greek and Cyrillic in evidence are covered by the embedded fonts: Ωμέγα, Привет, naïve café."),
    ];
    ReportDoc {
        meta: DocMeta {
            title: "Honeytoken access incident report".into(),
            subject: "Incident IR-2025-0314-01: honeytoken secret read and kill-switch containment"
                .into(),
            author: "Incident Response Team".into(),
            keywords: vec![
                "CloudTrail".into(),
                "honeytoken".into(),
                "incident response".into(),
            ],
            case_id: "IR-2025-0314-01".into(),
            classification: "CONFIDENTIAL".into(),
            created_unix: 1_742_025_600,
            creator: "trailcase 0.1.0".into(),
        },
        paper,
        blocks,
        attachments: vec![trailcase::report::Attachment {
            name: "notes.txt".into(),
            mime: "text/plain".into(),
            description: "A note carried in the PDF".into(),
            data: b"attached\n".to_vec(),
        }],
    }
}
