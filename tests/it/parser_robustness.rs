//! Untrusted input never panics the parser: every prefix of real evidence files, and the same
//! files with bytes flipped, are scanned; records read before a cut are a subset of the whole.

use trailcase::parse::{scan_document, RecordItem, RecordSink};

struct Ids(Vec<String>);

impl RecordSink for Ids {
    fn record(&mut self, item: RecordItem<'_>) {
        self.0
            .push(item.view.event_id.as_str().unwrap_or("").to_string());
    }
}

fn files() -> Vec<Vec<u8>> {
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/shared");
    [
        "cloudtrail/opentelemetry-collector-contrib/cloudtrail_log.json",
        "cloudtrail/plaso/aws_cloudtrail_lookupevents.jsonl",
        "cloudtrail/aws-cli-examples/lookup-events-output.json",
        "cloudtrail/opentelemetry-collector-contrib/cloudtrail_log_cw.json",
        "cloudwatch/describe-alarm-history/aws-cli/describe-alarm-history-output.json",
        "cloudtrail/stratus-red-team/aws.credential-access.secretsmanager-batch-retrieve-secrets.json",
    ]
    .iter()
    .map(|f| std::fs::read(data.join(f)).unwrap_or_else(|e| panic!("{f}: {e}")))
    .collect()
}

#[test]
fn every_prefix_is_scanned_without_panic_and_keeps_only_real_records() {
    for bytes in files() {
        let mut whole = Ids(Vec::new());
        scan_document(&bytes, 0, "x.json", &mut whole);
        let step = (bytes.len() / 400).max(1);
        for cut in (0..bytes.len()).step_by(step) {
            let mut part = Ids(Vec::new());
            let scan = scan_document(&bytes[..cut], 0, "x.json", &mut part);
            assert!(
                part.0.iter().all(|id| whole.0.contains(id)),
                "a prefix invented a record"
            );
            assert!(scan.records as usize <= whole.0.len());
        }
    }
}

#[test]
fn flipped_bytes_never_panic() {
    for bytes in files() {
        let step = (bytes.len() / 300).max(1);
        for (n, at) in (0..bytes.len()).step_by(step).enumerate() {
            let mut mangled = bytes.clone();
            mangled[at] = [b'"', b'{', b']', b'\\', 0xff, b'0', b','][n % 7];
            let mut sink = Ids(Vec::new());
            let scan = scan_document(&mangled, 0, "x.json", &mut sink);
            assert_eq!(scan.records as usize, sink.0.len());
        }
    }
}
