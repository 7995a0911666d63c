//! The trail's event selectors (`aws cloudtrail get-event-selectors` output, in the evidence)
//! say the calls that read the honeytoken are not logged: management events `WriteOnly` for the
//! default Secrets Manager secret, S3 data events only for writes for an S3 decoy. No read of it
//! could be in the trail's records; the report said "No honeytoken was read". It now says that
//! reads were not logged: a `reads_not_logged` finding naming the selector file, the summary
//! "unknown", NIST SC-26 "Not examined".

use crate::support;

use serde_json::{json, Value};
use std::path::Path;
use support::*;

const TRAIL: &str = "arn:aws:cloudtrail:us-east-1:111122223333:trail/writes-only";

/// A write management event (`readOnly` false): what a `WriteOnly` trail records.
fn write_event(id: &str) -> Value {
    json!({
        "eventVersion": "1.09",
        "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/ops",
                         "accountId": "111122223333", "accessKeyId": "AKIAEXAMPLEOPS00001"},
        "eventTime": "2026-03-10T09:00:00Z",
        "eventSource": "ec2.amazonaws.com",
        "eventName": "CreateTags",
        "awsRegion": "us-east-1",
        "sourceIPAddress": "198.51.100.7",
        "userAgent": "aws-cli/2.17.0",
        "requestParameters": {"resourcesSet": {"items": [{"resourceId": "i-0abc"}]}},
        "responseElements": {"_return": true},
        "eventID": id,
        "readOnly": false,
        "eventType": "AwsApiCall",
        "managementEvent": true,
        "eventCategory": "Management",
        "recipientAccountId": "111122223333"
    })
}

fn write_case(dir: &Path, records: &[Value], selectors: &Value) {
    std::fs::write(
        dir.join("trail.json"),
        json!({ "Records": records }).to_string(),
    )
    .unwrap();
    std::fs::write(dir.join("get-event-selectors.json"), selectors.to_string()).unwrap();
}

/// The timeline's JSON and the report's text (see the support function).
fn run(case: &Path, extra: &[&str]) -> (Value, String) {
    timeline_and_unverifiable_report(case, extra)
}

#[test]
fn write_only_management_events_leave_the_secrets_reads_unknown_not_unread() {
    let case = tempfile::tempdir().unwrap();
    let write_only = json!({"TrailARN": TRAIL, "EventSelectors": [{"ReadWriteType": "WriteOnly",
        "IncludeManagementEvents": true, "DataResources": [], "ExcludeManagementEventSources": []}]});
    write_case(case.path(), &[write_event("e-1")], &write_only);
    let (doc, text) = run(case.path(), &[]);
    let found = of_kind(&doc["findings"], "reads_not_logged");
    assert_eq!(found.len(), 1, "{:#}", doc["findings"]);
    let summary = found[0]["summary"].as_str().unwrap();
    assert!(summary.starts_with("reads of secret:Production_Database_Credentials not logged: the trail's event selectors ("), "{summary}");
    assert!(summary.contains("get-event-selectors.json; trail arn:aws:cloudtrail:us-east-1:111122223333:trail/writes-only)"), "{summary}");
    assert!(
        summary.contains("log no management read events"),
        "{summary}"
    );
    assert!(
        summary.contains("whether it was read is unknown"),
        "{summary}"
    );

    assert!(!text.contains("No honeytoken was read"), "{text}");
    assert!(text.contains("Whether a honeytoken was read is unknown: the trail does not log the calls that read it."), "{text}");
    assert!(text.contains("so the trail's records can hold no read of it. This is not an all-clear (the \"Reads not logged\" finding under Security analysis has the detail): look for the reads where they are recorded (LookupEvents keeps 90 days of management events, reads included), and have the trail log read events of the decoy."), "{text}");
    assert!(text.contains("SC-26 Decoys Detect (DE) Not examined: no honeytoken was configured (trailcase looked for its built-in default, the secret name Production_Database_Credentials), but the trail's event selectors ("), "{text}");

    // The same trail logging every management event: the evidence could hold the read.
    let all = json!({"TrailARN": TRAIL, "EventSelectors": [{"ReadWriteType": "All", "IncludeManagementEvents": true}]});
    write_case(case.path(), &[write_event("e-1")], &all);
    let (doc, text) = run(case.path(), &[]);
    assert!(of_kind(&doc["findings"], "reads_not_logged").is_empty());
    assert!(
        text.contains("No honeytoken was read in the evidence examined."),
        "{text}"
    );
}

#[test]
fn advanced_selectors_logging_only_write_data_events_leave_the_s3_decoys_reads_unknown() {
    let decoy = "s3:decoy-bucket/exports/passwords.csv";
    let case = tempfile::tempdir().unwrap();
    let mut put = write_event("e-put");
    put["eventSource"] = json!("s3.amazonaws.com");
    put["eventName"] = json!("PutObject");
    put["requestParameters"] = json!({"bucketName": "decoy-bucket", "key": "exports/other.csv"});
    put["responseElements"] = Value::Null;
    put["managementEvent"] = json!(false);
    put["eventCategory"] = json!("Data");
    let writes = json!({"TrailARN": TRAIL, "AdvancedEventSelectors": [
        {"Name": "Management events", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]},
        {"Name": "S3 writes", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]},
            {"Field": "resources.type", "Equals": ["AWS::S3::Object"]}, {"Field": "readOnly", "Equals": ["false"]}]}]});
    write_case(case.path(), &[put.clone()], &writes);
    let (doc, text) = run(case.path(), &["--honeytoken", decoy]);
    let found = of_kind(&doc["findings"], "reads_not_logged");
    assert_eq!(found.len(), 1, "{:#}", doc["findings"]);
    let summary = found[0]["summary"].as_str().unwrap();
    assert!(
        summary.contains("log no S3 read data events of the decoy's bucket"),
        "{summary}"
    );
    assert!(
        summary.contains("can hold no GetObject or SelectObjectContent of it"),
        "{summary}"
    );
    // One cause, one finding: reads_not_logged carries what reads_not_examined would add (the
    // bucket's write data event), and the summary says it once, with where else to look.
    assert!(
        of_kind(&doc["findings"], "reads_not_examined").is_empty(),
        "{:#}",
        doc["findings"]
    );
    assert!(
        summary.contains("; the decoy bucket's data events among the records read are writes only (eventID e-put), which show nothing of its reads: whether it was read is unknown unless KMS records show S3 decrypting it, not \"no read\""),
        "{summary}"
    );
    assert_eq!(found[0]["event_ids"], json!(["e-put"]));
    assert!(!text.contains("No honeytoken was read"), "{text}");
    assert!(
        text.contains("log no S3 read data events of the decoy's bucket (GetObject is one), so the trail's records can hold no read of it. This is not an all-clear (the \"Reads not logged\" finding under Security analysis has the detail): look for the reads where they are recorded (for an S3 decoy, the bucket's server access logs if enabled: LookupEvents holds no data events), and have the trail log read events of the decoy."),
        "{text}"
    );
    assert!(
        !text.contains("reads of s3:decoy-bucket/exports/passwords.csv not examined"),
        "{text}"
    );
    assert!(
        text.contains("SC-26 Decoys Detect (DE) Not examined: the honeytoken is configured, but the trail's event selectors ("),
        "{text}"
    );
    assert!(
        text.contains("the decoy bucket's data events among them are writes only (eventID e-put cited), which show nothing of its reads."),
        "{text}"
    );

    // Read data events of the decoy's bucket logged: nothing to say about the selectors.
    let reads = json!({"TrailARN": TRAIL, "AdvancedEventSelectors": [
        {"Name": "S3 decoy", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]},
            {"Field": "resources.type", "Equals": ["AWS::S3::Object"]},
            {"Field": "resources.ARN", "StartsWith": ["arn:aws:s3:::decoy-bucket/"]}]}]});
    write_case(case.path(), &[put], &reads);
    let (doc, _) = run(case.path(), &["--honeytoken", decoy]);
    assert!(
        of_kind(&doc["findings"], "reads_not_logged").is_empty(),
        "{:#}",
        doc["findings"]
    );
}

/// A trail whose selectors log no read of the decoy secret, and no other call on it: NIST
/// DE.CM-03 said "Not shown by this evidence: no activity on the decoy is in the 1 records
/// examined", DE.AE-02 and AU-3 "no honeytoken read is in the 1 records examined", as if reads
/// had been monitored and none found. They now say the reads could not be seen and why, citing
/// the selector file; a trail that logs reads keeps "no activity on the decoy".
#[test]
fn nist_rows_with_no_read_say_reads_could_not_be_seen() {
    let case = tempfile::tempdir().unwrap();
    let write_only = json!({"TrailARN": TRAIL, "EventSelectors": [{"ReadWriteType": "WriteOnly",
        "IncludeManagementEvents": true, "DataResources": [], "ExcludeManagementEventSources": []}]});
    write_case(case.path(), &[write_event("e-1")], &write_only);
    let (_, text) = run(case.path(), &[]);
    assert!(!text.contains("no activity on the decoy"), "{text}");
    assert!(
        text.contains("Not examined: no read of the decoy could be in the 1 records examined: the trail's event selectors ("),
        "{text}"
    );
    assert!(
        text.contains("(the \"Reads not logged\" finding), so whether it was read is unknown (not an all-clear). No other activity on it is in them."),
        "{text}"
    );
    // After the selector file's path (which the PDF may break anywhere).
    let unseen = "log none of the calls that read a configured honeytoken (the \"Reads not logged\" finding), so whether one was made is unknown (not an all-clear).";
    for row in [
        "AU-3 Content of Audit Records Detect (DE) Not shown by this evidence: no honeytoken read is in the 1 records examined, so no record shows who read the decoy, from where, when and with what outcome. Reads could not be seen: the trail's event selectors (",
        "no honeytoken read is in the 1 records examined, so no actor's activity around one was analysed. Reads could not be seen: the trail's event selectors (",
    ] {
        let at = text.find(row).unwrap_or_else(|| panic!("{row}: {text}"));
        assert!(text[at..].contains(unseen), "{text}");
    }

    // Reads logged: nothing kept them from the records, and the rows say so as before.
    let all = json!({"TrailARN": TRAIL, "EventSelectors": [{"ReadWriteType": "All", "IncludeManagementEvents": true}]});
    write_case(case.path(), &[write_event("e-1")], &all);
    let (_, text) = run(case.path(), &[]);
    assert!(
        text.contains(
            "Not shown by this evidence: no activity on the decoy is in the 1 records examined."
        ),
        "{text}"
    );
    assert!(!text.contains("Reads could not be seen"), "{text}");
}

/// Outside the NIST rows, the sections a reader turns to without an incident (evidence, indicators,
/// ATT&CK, eradication, RC.RP-01, lessons learned) said "no honeytoken read is in the evidence
/// examined" and stopped there, though the trail could log no read: they now say reads could not
/// be seen and why, citing the selector file.
#[test]
fn sections_without_an_incident_say_reads_could_not_be_seen() {
    let case = tempfile::tempdir().unwrap();
    let write_only = json!({"TrailARN": TRAIL, "EventSelectors": [{"ReadWriteType": "WriteOnly",
        "IncludeManagementEvents": true, "DataResources": [], "ExcludeManagementEventSources": []}]});
    write_case(case.path(), &[write_event("e-1")], &write_only);
    let (_, text) = run(case.path(), &[]);
    let unseen = "Reads could not be seen: the trail's event selectors (";
    let why = "log none of the calls that read a configured honeytoken (the \"Reads not logged\" finding), so whether a honeytoken was read is unknown (not an all-clear).";
    for opening in [
        "No incident: no honeytoken read, containment or actor activity to list.",
        "No incident, so no indicator: no honeytoken read is in the evidence examined.",
        "No incident, so no technique: no honeytoken read is in the evidence examined.",
        "No incident, so nothing to eradicate: no honeytoken read is in the evidence examined.",
        "Lessons learned No incident was found.",
    ] {
        let at = text
            .find(opening)
            .unwrap_or_else(|| panic!("{opening}: {text}"));
        let after = text[at + opening.len()..].trim_start();
        assert!(after.starts_with(unseen), "{opening}: {after}");
        assert!(
            after[..600.min(after.len())].contains(why),
            "{opening}: {after}"
        );
    }
    let at = text
        .find("so no recovery from one is shown. Reads could not be seen")
        .unwrap_or_else(|| panic!("{text}"));
    assert!(text[at..].contains("(not an all-clear)."), "{text}");

    // Reads logged: the sections say no read as before, with nothing after it.
    let all = json!({"TrailARN": TRAIL, "EventSelectors": [{"ReadWriteType": "All", "IncludeManagementEvents": true}]});
    write_case(case.path(), &[write_event("e-1")], &all);
    let (_, text) = run(case.path(), &[]);
    assert!(
        text.contains("No incident, so no technique: no honeytoken read is in the evidence examined. Eradication"),
        "{text}"
    );
    assert!(!text.contains("Reads could not be seen"), "{text}");
}

/// The sections that time an incident (detection latency, the flow comparison's speed row, the
/// security analysis's speed) said "No incident: no latency to measure.", "not measured: no
/// honeytoken read in the evidence" and "No incident to time." where the trail could log no
/// read, as if there were nothing to time. They now say reads could not be seen, in the words
/// of the other sections.
#[test]
fn timing_sections_without_an_incident_say_reads_could_not_be_seen() {
    let case = tempfile::tempdir().unwrap();
    let write_only = json!({"TrailARN": TRAIL, "EventSelectors": [{"ReadWriteType": "WriteOnly",
        "IncludeManagementEvents": true, "DataResources": [], "ExcludeManagementEventSources": []}]});
    write_case(case.path(), &[write_event("e-1")], &write_only);
    let (_, text) = run(case.path(), &[]);
    let why = "log none of the calls that read a configured honeytoken (the \"Reads not logged\" finding), so whether a honeytoken was read is unknown (not an all-clear).";
    for opening in [
        "No incident: there is no incident timeline to draw.",
        "No incident: no latency to measure.",
        "Speed No incident to time.",
    ] {
        let at = text
            .find(opening)
            .unwrap_or_else(|| panic!("{opening}: {text}"));
        let after = text[at + opening.len()..].trim_start();
        assert!(
            after.starts_with("Reads could not be seen: the trail's event selectors ("),
            "{opening}: {after}"
        );
        assert!(
            after[..400.min(after.len())].contains(why),
            "{opening}: {after}"
        );
    }
    // Both flows' cells of the speed row.
    let cell = "not measured: no honeytoken read in the evidence, but reads could not be seen (the \"Reads not logged\" finding), so whether a honeytoken was read is unknown (not an all-clear)";
    assert_eq!(text.matches(cell).count(), 2, "{text}");

    // Reads logged: nothing to time, and nothing more to say.
    let all = json!({"TrailARN": TRAIL, "EventSelectors": [{"ReadWriteType": "All", "IncludeManagementEvents": true}]});
    write_case(case.path(), &[write_event("e-1")], &all);
    let (_, text) = run(case.path(), &[]);
    assert!(
        text.contains("Speed No incident to time. Context"),
        "{text}"
    );
    assert!(
        text.contains("No incident: no latency to measure. Flow comparison"),
        "{text}"
    );
    assert!(
        text.contains("No incident: there is no incident timeline to draw. Detection latency"),
        "{text}"
    );
    assert!(!text.contains("Reads could not be seen"), "{text}");
}

/// The sample's read of the decoy secret, with a second honeytoken configured, an S3 decoy
/// whose reads the trail's selectors (management events only) do not log: the impact, the
/// incident's reads and NIST AU-3, SC-26 and DE.CM-03 told the secret's read as if it were all
/// the reads, the S3 decoy's unseen reads in the findings table only. Each now says that the
/// other honeytoken's reads could not be seen, naming it and the finding.
#[test]
fn beside_a_read_another_honeytokens_unseen_reads_are_said() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    let toml = case.join("trailcase.toml");
    let mut config = std::fs::read_to_string(&toml).unwrap();
    config.push_str("\n[[honeytoken]]\nkind = \"secret\"\npattern = \"Production_Database_Credentials\"\n\n[[honeytoken]]\nkind = \"s3\"\npattern = \"decoy-bucket/passwords.csv\"\n");
    std::fs::write(&toml, config).unwrap();
    let doc = timeline_of(&case);
    assert_eq!(doc["incidents"].as_array().unwrap().len(), 1);
    assert_eq!(of_kind(&doc["findings"], "reads_not_logged").len(), 1);

    let pdf = dir.path().join("r.pdf");
    report_pdf(&pdf, &[case.to_str().unwrap()]);
    let text = pdf_text(&pdf);
    // The PDF may break the decoy's name at its hyphen or slash: the words after it.
    let after = "(the \"Reads not logged\" finding), so whether it was read too is unknown (not an all-clear): the reads told here are not all the reads there may have been.";
    let opening = "Reads of another configured honeytoken could not be seen: s3:decoy";
    for (place, before) in [
        (
            "impact",
            "its attempt to create a new access key was refused. ",
        ),
        (
            "reads",
            "bears out read 5ad7fe16-471c-489f-908c-61b0d4864cbb. ",
        ),
        (
            "AU-3",
            "eventName and the secret the call names) and the outcome. ",
        ),
        ("SC-26", "was read, and the read was detected. "),
        (
            "DE.CM-03",
            "Principal activity on the decoy was recorded and detected. ",
        ),
    ] {
        let at = text
            .find(&format!("{before}{opening}"))
            .unwrap_or_else(|| panic!("{place}: {text}"));
        assert!(
            text[at..at + 600].contains(after),
            "{place}: {}",
            &text[at..at + 600]
        );
    }

    // Every NIST row that tells the read says it the same way: IR-4 and RS.AN-03 did not.
    let (t, _) = model(&[&case]);
    let rows = trailcase::report::content::nist::rows(
        &t,
        &trailcase::report::content::IntegrityStatement::default(),
    );
    let said = "Reads of another configured honeytoken could not be seen: s3:decoy-bucket/passwords.csv (the \"Reads not logged\" finding), so whether it was read too is unknown (not an all-clear)";
    for id in ["AU-3", "SC-26", "DE.CM-03", "IR-4", "RS.AN-03"] {
        let r = rows.iter().find(|r| r.id == id).unwrap();
        assert_eq!(
            r.statement.matches(said).count(),
            1,
            "{id}: {}",
            r.statement
        );
    }
    assert!(text.contains("IR-4 Incident Handling"), "{text}");
    let ir4 = &text[text.find("IR-4 Incident Handling").unwrap()..];
    let ir4 = &ir4[..ir4.find("IR-5").unwrap()];
    assert!(
        ir4.contains("Reads of another configured honeytoken could not be seen"),
        "{ir4}"
    );
}

/// The other honeytoken's name was read back from its finding's summary, up to the first
/// " not logged:": an S3 decoy whose key holds those words was named cut short
/// ("s3:decoy-bucket/passwords"). It is now named as configured, whatever its key.
#[test]
fn another_honeytokens_unseen_reads_name_it_whole_whatever_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    let toml = case.join("trailcase.toml");
    let mut config = std::fs::read_to_string(&toml).unwrap();
    config.push_str("\n[[honeytoken]]\nkind = \"secret\"\npattern = \"Production_Database_Credentials\"\n\n[[honeytoken]]\nkind = \"s3\"\npattern = \"decoy-bucket/passwords not logged: 2025.csv\"\n");
    std::fs::write(&toml, config).unwrap();
    let (t, _) = model(&[&case]);
    let rows = trailcase::report::content::nist::rows(
        &t,
        &trailcase::report::content::IntegrityStatement::default(),
    );
    let said = "Reads of another configured honeytoken could not be seen: s3:decoy-bucket/passwords not logged: 2025.csv (the \"Reads not logged\" finding), so whether it was read too is unknown";
    for id in ["AU-3", "SC-26", "DE.CM-03", "IR-4", "RS.AN-03"] {
        let r = rows.iter().find(|r| r.id == id).unwrap();
        assert!(r.statement.contains(said), "{id}: {}", r.statement);
    }
}
