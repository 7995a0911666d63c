//! A busy compromised principal (issue 18): the sample's actor also runs a reporting job, 3,000
//! calls over the four days before the incident. The report must stay a report: the incident
//! window printed in full, the other calls summed up by day, API, outcome and source IP, every
//! call attached as CSV with its SHA-256 printed, and the page count close to the sample's.

use crate::support;

use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::Path;
use support::*;

const BUSY: usize = 3_000;
const FILES: usize = 400;

/// `BUSY` calls by the sample's actor (svc-reporting, its access key), one every two minutes
/// from 2026-11-16T00:00Z: three APIs in turn, from the job's own address, in `FILES` files.
fn reporting_job(dir: &Path) -> Vec<String> {
    let apis = [
        ("s3.amazonaws.com", "ListBuckets"),
        ("athena.amazonaws.com", "StartQueryExecution"),
        ("athena.amazonaws.com", "GetQueryResults"),
    ];
    let start = 1_794_787_200; // 2026-11-16T00:00:00Z
    let mut ids = Vec::new();
    let records: Vec<Value> = (0..BUSY)
        .map(|n| {
            let at = chrono::DateTime::from_timestamp(start + n as i64 * 120, 0).unwrap();
            let (source, name) = apis[n % apis.len()];
            let id = format!("0b0b0000-0000-4000-8000-{n:012}");
            ids.push(id.clone());
            json!({
                "eventVersion": "1.08", "eventTime": at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
                "eventID": id, "eventSource": source, "eventName": name, "awsRegion": "us-east-1",
                "eventType": "AwsApiCall", "recipientAccountId": "123456789012",
                "sourceIPAddress": "10.20.30.40", "userAgent": "reporting-job/1.4",
                "userIdentity": {"type": "IAMUser", "principalId": "AIDA4EXAMPLESVCREPT7Q",
                    "arn": "arn:aws:iam::123456789012:user/svc-reporting", "accountId": "123456789012",
                    "accessKeyId": "AKIA4EXAMPLESVCREPT7Q", "userName": "svc-reporting"}
            })
        })
        .collect();
    // In 400 files, as a trail spreads them: more inputs than the appendix lists one by one.
    for (n, part) in records.chunks(BUSY.div_ceil(FILES)).enumerate() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(json!({ "Records": part }).to_string().as_bytes())
            .unwrap();
        std::fs::write(
            dir.join(format!("reporting-job-{n:03}.json.gz")),
            gz.finish().unwrap(),
        )
        .unwrap();
    }
    ids
}

fn pages(pdf: &Path) -> usize {
    let (ok, info) = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(ok, "{info}");
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

#[test]
fn a_busy_actor_is_summed_up_printed_in_its_window_and_attached_in_full() {
    let dir = tempfile::tempdir().unwrap();
    let job = dir.path().join("job");
    std::fs::create_dir_all(&job).unwrap();
    let ids = reporting_job(&job);
    let sample = repo().join("samples/incident-01");
    let (pdf, sample_pdf) = (dir.path().join("busy.pdf"), dir.path().join("sample.pdf"));
    let run = report_pdf(&pdf, &[sample.to_str().unwrap(), job.to_str().unwrap()]);
    // The job's records are outside the case: no digest or manifest covers them, so the verdict
    // is "partly verified" and the exit code 1 (it was "verified offline" and 0 before).
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(pdf_text(&pdf).contains("partly verified. "));
    assert_eq!(report_pdf(&sample_pdf, &[sample.to_str().unwrap()]).code, 0);

    // A report, not a listing: a few pages more than the sample's, whatever the job's size.
    let (busy, plain) = (pages(&pdf), pages(&sample_pdf));
    assert!(
        busy <= plain + 4,
        "{busy} pages against the sample's {plain}"
    );

    let text = pdf_text(&pdf);
    assert!(text.contains("too many to print one per row"), "{text}");
    // The incident's calls are still printed one per row: the first call of the sample's
    // actor, 7 minutes before the read, is inside the window.
    assert!(text.contains("fd863e16-d1ef-41bc-ae0c-71e6fde6b243"));
    // The job's calls are summed up, not printed: only the few the milestones, indicators and
    // techniques cite (first and last seen) are in the text...
    let cited = ids.iter().filter(|id| text.contains(id.as_str())).count();
    assert!(cited < 10, "{cited} of the job's eventIDs printed");
    // ...but its days and APIs are, with counts (720 calls a day, 240 per API).
    assert!(
        text.contains("2026-11-17 athena:GetQueryResults success 10.20.30.40 240"),
        "{text}"
    );

    // The chart spans the incident, not the job's four days.
    assert!(
        text.contains(
            "INC-001: incident timeline, 2026-11-20T13:55:10Z to 2026-11-20T14:12:21.907Z"
        ),
        "{text}"
    );

    // The job's files hold only calls the report sums up: the appendix sums them up by folder
    // too, instead of listing 400 files one by one. (The integrity verdict names the first three
    // files no digest or manifest covers, reporting-job-000 to -002, and counts the rest.)
    assert!(
        text.contains("reporting-job-002.json.gz and 372 more"),
        "{text}"
    );
    assert!(!text.contains("reporting-job-003"), "{text}");

    // Every call is attached, and the appendix prints the attachment's SHA-256.
    let files = pdf_attachments(&pdf, &dir.path().join("attached"));
    let csv = std::fs::read(files.join("INC-001-actor-activity.csv")).unwrap();
    let hash = hex::encode(Sha256::digest(&csv));
    // Printed as two lines of 32 hex digits.
    let printed = format!("{} {}", &hash[..32], &hash[32..]);
    assert!(text.contains(&printed), "the appendix prints {hash}");
    let mut rows = csv::Reader::from_reader(csv.as_slice());
    let listed: Vec<String> = rows.records().map(|r| r.unwrap()[1].to_string()).collect();
    for id in &ids {
        assert!(listed.contains(id), "{id} is attached");
    }
    // And the sample's own calls by the actor, besides the job's.
    assert!(listed.contains(&"fd863e16-d1ef-41bc-ae0c-71e6fde6b243".to_string()));
    assert!(listed.len() > BUSY);
}

#[test]
fn a_quiet_actor_is_printed_in_full_and_nothing_more_is_attached() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("sample.pdf");
    let sample = repo().join("samples/incident-01");
    assert_eq!(report_pdf(&pdf, &[sample.to_str().unwrap()]).code, 0);
    let text = pdf_text(&pdf);
    assert!(!text.contains("too many to print one per row"));
    assert!(!text.contains("actor-activity.csv"));
    let files = pdf_attachments(&pdf, &dir.path().join("attached"));
    assert!(!files.join("INC-001-actor-activity.csv").exists());
}

/// An actor's script reading the honeytoken in a loop: 500 reads more by the sample's actor
/// (its key, one a second from 14:20). The reads' table prints the first and last 20, says how
/// many it leaves out and where they are; the attachment lists every read, its SHA-256 printed;
/// the replay's table prints the first and last 10 accesses of each flow; the report stays ten
/// pages from the sample's whatever the loop's length (one row per read made 20,000 reads a
/// 4,000-page report, and 500 reads 119 pages).
#[test]
fn a_honeytoken_read_in_a_loop_prints_its_first_and_last_reads_and_attaches_every_one() {
    const LOOP: usize = 500;
    let dir = tempfile::tempdir().unwrap();
    let extra = dir.path().join("loop");
    std::fs::create_dir_all(&extra).unwrap();
    let start = 1_795_184_400; // 2026-11-20T14:20:00Z
    let reads = (0..LOOP).map(|n| {
        svc_reporting_call(
            start + n as i64,
            &format!("0d0d0000-0000-4000-8000-{n:012}"),
            ("secretsmanager.amazonaws.com", "GetSecretValue"),
            json!({"secretId": "Production_Database_Credentials"}),
        )
    });
    // And a call every three seconds among the reads: more than the incident window prints.
    let calls = (0..120).map(|n| {
        svc_reporting_call(
            start + 3 * n as i64 + 1,
            &format!("0d0e0000-0000-4000-8000-{n:012}"),
            ("s3.amazonaws.com", "ListBuckets"),
            Value::Null,
        )
    });
    let records: Vec<Value> = reads.chain(calls).collect();
    std::fs::write(
        extra.join("loop.json"),
        serde_json::to_vec(&json!({ "Records": records })).unwrap(),
    )
    .unwrap();
    let sample = repo().join("samples/incident-01");
    let (pdf, sample_pdf) = (dir.path().join("loop.pdf"), dir.path().join("sample.pdf"));
    let run = report_pdf(&pdf, &[sample.to_str().unwrap(), extra.to_str().unwrap()]);
    assert!(run.code <= 1, "{}", run.stderr);
    assert!(report_pdf(&sample_pdf, &[sample.to_str().unwrap()]).code <= 1);
    let (long, plain) = (pages(&pdf), pages(&sample_pdf));
    assert!(
        long <= plain + 10,
        "{long} pages against the sample's {plain}"
    );

    let timeline = trailcase([
        "timeline",
        "--quiet",
        sample.to_str().unwrap(),
        extra.to_str().unwrap(),
    ])
    .json();
    let reads: Vec<String> = timeline["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "honeytoken_access")
        .map(|r| r["event_id"].as_str().unwrap().to_string())
        .collect();
    assert!(reads.len() > LOOP, "{}", reads.len());

    let text = pdf_text(&pdf);
    assert!(
        text.contains(&format!(
            "{} honeytoken reads: the first 20 and the last 20 are printed, the {} between them are not; the attached INC-001-honeytoken-reads.csv lists every one",
            reads.len(),
            reads.len() - 40
        )),
        "{text}"
    );
    // Where the reads left out would be, a row says how many and where they are.
    assert!(
        text.contains(&format!(
            "[{} honeytoken reads not printed] {} to {} every one in",
            reads.len() - 40,
            time_of(&timeline, &reads[20]),
            time_of(&timeline, &reads[reads.len() - 21]),
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("[{} accesses not printed]", reads.len() - 20)),
        "{text}"
    );
    // The incident window's calls left out are marked too, as many as the caption says.
    let marked = text
        .split("calls not printed]")
        .next()
        .and_then(|before| before.rsplit('[').next())
        .map(str::trim)
        .expect("a marker row in the window's table");
    assert!(
        text.contains(&format!("its other {marked} calls are summed up below")),
        "{marked}: {text}"
    );
    assert!(text.contains(&reads[0]) && text.contains(reads.last().unwrap()));
    assert!(
        !text.contains(&reads[100]),
        "a read from the middle is not printed"
    );
    assert!(
        text.contains(&format!(
            "Flow 1: metric filter: {} accesses, {} matched and 0 missed; the first 10 and the last 10 are printed",
            reads.len(),
            reads.len()
        )),
        "{text}"
    );

    let files = pdf_attachments(&pdf, &dir.path().join("attached"));
    let csv = std::fs::read(files.join("INC-001-honeytoken-reads.csv")).unwrap();
    let hash = hex::encode(Sha256::digest(&csv));
    assert!(
        text.contains(&format!("{} {}", &hash[..32], &hash[32..])),
        "the appendix prints {hash}"
    );
    let mut rows = csv::Reader::from_reader(csv.as_slice());
    let listed: Vec<String> = rows.records().map(|r| r.unwrap()[1].to_string()).collect();
    assert_eq!(listed, reads, "every read, in the timeline's order");
}

/// The time of the timeline row with this eventID, as the report prints it.
fn time_of(timeline: &Value, event_id: &str) -> String {
    timeline["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["event_id"] == event_id)
        .and_then(|r| r["time"].as_str())
        .unwrap()
        .to_string()
}

/// A call by the sample's actor (its key) at `secs`, with this eventID, API and parameters.
fn svc_reporting_call(secs: i64, id: &str, (source, name): (&str, &str), params: Value) -> Value {
    let at = chrono::DateTime::from_timestamp(secs, 0).unwrap();
    json!({
        "eventVersion": "1.08", "eventTime": at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        "eventID": id, "eventSource": source, "eventName": name,
        "awsRegion": "us-east-1", "eventType": "AwsApiCall", "readOnly": true,
        "recipientAccountId": "123456789012", "sourceIPAddress": "203.0.113.45",
        "userAgent": "aws-cli/2.15.0", "requestParameters": params,
        "userIdentity": {"type": "IAMUser", "principalId": "AIDA4EXAMPLESVCREPT7Q",
            "arn": "arn:aws:iam::123456789012:user/svc-reporting", "accountId": "123456789012",
            "accessKeyId": "AKIA4EXAMPLESVCREPT7Q", "userName": "svc-reporting"}
    })
}

/// The honeytoken alarm flapping for hours after the incident (200 transitions, none after a
/// read): one finding counts them instead of a hundred, and section 8 prints the first and last
/// 20 history items with a marker row between them; every item is attached.
#[test]
fn a_flapping_alarm_is_one_finding_and_its_history_prints_its_ends() {
    const FLAPS: usize = 200;
    let dir = tempfile::tempdir().unwrap();
    let extra = dir.path().join("flapping");
    std::fs::create_dir_all(&extra).unwrap();
    let start = 1_795_206_000; // 2026-11-20T20:20:00Z, hours after the sample's reads
    let items: Vec<Value> = (0..FLAPS)
        .map(|n| {
            let (old, new) = if n % 2 == 0 { ("OK", "ALARM") } else { ("ALARM", "OK") };
            let time = chrono::DateTime::from_timestamp(start + 60 * n as i64, 0).unwrap();
            json!({"AlarmName": "HoneytokenSecretAccessAlarm", "AlarmType": "MetricAlarm",
                   "Timestamp": time.format("%Y-%m-%dT%H:%M:%S%.3f+00:00").to_string(),
                   "HistoryItemType": "StateUpdate",
                   "HistorySummary": format!("Alarm updated from {old} to {new}"),
                   "HistoryData": json!({"version": "1.0", "oldState": {"stateValue": old},
                       "newState": {"stateValue": new, "stateReason": format!("flap {n}")}}).to_string()})
        })
        .collect();
    std::fs::write(
        extra.join("alarm-history.json"),
        json!({ "AlarmHistoryItems": items }).to_string(),
    )
    .unwrap();
    let sample = repo().join("samples/incident-01");
    let args = [sample.to_str().unwrap(), extra.to_str().unwrap()];
    let doc = trailcase(["timeline", "--quiet", args[0], args[1]]).json();
    let unexplained: Vec<&Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "alarm_without_access")
        .collect();
    assert_eq!(unexplained.len(), 1, "{unexplained:#?}");
    assert!(
        unexplained[0]["summary"].as_str().unwrap().starts_with(
            "alarm HoneytokenSecretAccessAlarm entered ALARM 100 times from 2026-11-20T20:20:00Z to 2026-11-20T23:38:00Z"
        ),
        "{:#}",
        unexplained[0]
    );
    assert_eq!(unexplained[0]["event_ids"].as_array().unwrap().len(), 10);

    let pdf = dir.path().join("flapping.pdf");
    let run = report_pdf(&pdf, &args);
    assert!(run.code <= 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    let total = FLAPS + 5; // and the sample's own five items
    assert!(
        text.contains(&format!("[{} alarm history items not printed]", total - 40)),
        "{text}"
    );
    assert!(
        !text.contains("flap 100 "),
        "an item from the middle is not printed"
    );
    let files = pdf_attachments(&pdf, &dir.path().join("attached"));
    let csv = std::fs::read_to_string(files.join("alarm-history.csv")).unwrap();
    assert_eq!(csv.lines().count(), total + 1, "{csv}");
    assert!(csv.contains("flap 100"));
}
