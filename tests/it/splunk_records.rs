//! Splunk security_content's real CloudTrail records (`tests/data/splunk-security-content`,
//! Apache-2.0: see `tests/data/SOURCES.md`) read as a responder would have them (audit 26): a
//! case with no read beside a stopped trail, a lifecycle rule on the trail's bucket, a copy out
//! of the S3 decoy (the finding on its bucket's writes, its ATT&CK technique) and a sign-in
//! whose user name CloudTrail hid.

use crate::support::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// The record of `data_sources/<name>.yml`.
fn record(name: &str) -> Value {
    read_json(&repo().join(format!(
        "tests/data/splunk-security-content/aws_cloudtrail_{name}.json"
    )))
}

/// A folder `evidence` in `dir` holding one trail file of the records `names`, with `toml` as
/// its trailcase.toml when given.
fn evidence(dir: &Path, names: &[&str], toml: Option<&str>) -> PathBuf {
    let evidence = dir.join("evidence");
    std::fs::create_dir(&evidence).unwrap();
    let records: Vec<Value> = names.iter().map(|n| record(n)).collect();
    std::fs::write(
        evidence.join("trail.json"),
        json!({ "Records": records }).to_string(),
    )
    .unwrap();
    if let Some(toml) = toml {
        std::fs::write(evidence.join("trailcase.toml"), toml).unwrap();
    }
    evidence
}

/// Two records of one StopLogging (one eventID, the second copy's requestID changed: both kept,
/// as conflicting copies) are one change said once with its count, its eventID cited once; the
/// count is of calls, not of trails.
#[test]
fn one_trail_stopped_in_two_records_is_said_once_with_its_count() {
    let dir = tempfile::tempdir().unwrap();
    let evidence = dir.path().join("evidence");
    std::fs::create_dir(&evidence).unwrap();
    let first = record("stoplogging");
    let mut second = first.clone();
    second["requestID"] = json!("00000000-0000-4000-8000-000000000001");
    std::fs::write(
        evidence.join("trail.json"),
        json!({ "Records": [first, second] }).to_string(),
    )
    .unwrap();
    let run = trailcase(["timeline", evidence.to_str().unwrap(), "--format", "json"]);
    let doc = run.json();
    let reduced = of_kind(&doc["findings"], "logging_reduced");
    assert_eq!(reduced.len(), 1, "{reduced:?}");
    assert_eq!(
        reduced[0]["summary"].as_str().unwrap().split(';').next().unwrap(),
        "2 call(s) that stopped, deleted or narrowed a trail: cloudtrail:StopLogging on trail my-cloudtrail-trail (2 records)"
    );
    assert_eq!(
        reduced[0]["event_ids"],
        json!([first["eventID"]]),
        "the shared eventID is cited once"
    );
}

#[test]
fn no_read_beside_a_stopped_trail_is_not_an_all_clear() {
    let dir = tempfile::tempdir().unwrap();
    let case = evidence(
        dir.path(),
        &["stoplogging", "deletetrail", "getobject"],
        None,
    );
    let pdf = dir.path().join("r.pdf");
    let run = report_pdf(&pdf, &[case.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(
        !text.contains("No honeytoken was read in the evidence examined."),
        "{text}"
    );
    for words in [
        "No read of a honeytoken is in the evidence examined, but this is not an all-clear: the records show CloudTrail logging reduced (below).",
        // Two changes: a read after "them", not "it".
        "The records show CloudTrail logging reduced: a read after them may be missing from the evidence. 2 call(s) that stopped, deleted or narrowed a trail: cloudtrail:DeleteTrail on trail redatomictesttrail, cloudtrail:StopLogging on trail my-cloudtrail-trail",
        "(eventID 9f8d2b82-6e9d-45b8-9055-78d8c00ca416, 1c53bcce-650d-486a-b3f6-f64fd853e509)",
        // One input is counted as one, not "1 inputs".
        "trailcase read 3 CloudTrail records from 1 input (their eventTimes from",
    ] {
        assert!(text.contains(words), "{words}: {text}");
    }

    // Without the trail's changes, the summary's no-read line is as before.
    let dir = tempfile::tempdir().unwrap();
    let case = evidence(dir.path(), &["getobject"], None);
    let pdf = dir.path().join("r.pdf");
    report_pdf(&pdf, &[case.to_str().unwrap()]);
    let text = pdf_text(&pdf);
    assert!(
        text.contains("No honeytoken was read in the evidence examined."),
        "{text}"
    );
    assert!(!text.contains("CloudTrail logging reduced"), "{text}");
    assert!(
        text.contains("trailcase read 1 CloudTrail record from 1 input (its eventTime"),
        "{text}"
    );
}

/// Three changes to logging (StopLogging, DeleteTrail, a lifecycle rule expiring the trail
/// bucket's objects) and no read: the sections' caveat said "eventID A, B, and 1 more" and "a
/// read after it" as if there were one change. The three eventIDs are listed whole, the read
/// "after them".
#[test]
fn three_logging_changes_are_cited_whole_and_a_read_after_them() {
    let dir = tempfile::tempdir().unwrap();
    let case = evidence(
        dir.path(),
        &["stoplogging", "deletetrail", "putbucketlifecycle"],
        None,
    );
    std::fs::create_dir(case.join("trail")).unwrap();
    std::fs::write(
        case.join("trail/trails.json"),
        trails_json("my-cloudtrail-bucket-alfsujjpnbpguqrh"),
    )
    .unwrap();
    let doc = timeline_of(&case);
    let mut ids: Vec<String> = of_kind(&doc["findings"], "logging_reduced")
        .iter()
        .flat_map(|f| f["event_ids"].as_array().unwrap().iter())
        .map(|id| id.as_str().unwrap().to_string())
        .collect();
    ids.dedup();
    assert_eq!(ids.len(), 3, "{:#}", doc["findings"]);
    let pdf = dir.path().join("r.pdf");
    report_pdf(&pdf, &[case.to_str().unwrap()]);
    let text = pdf_text(&pdf);
    assert!(!text.contains("and 1 more"), "{text}");
    assert!(!text.contains("a read after it "), "{text}");
    assert!(
        text.contains("The records show CloudTrail logging reduced: a read after them may be missing from the evidence."),
        "{text}"
    );
    // The flow comparison's speed cells: two eventIDs cited at most, but three listed whole.
    let cell = "a read after them may be missing from the records (not an all-clear)";
    assert!(text.contains(cell), "{text}");
    for id in &ids {
        assert!(
            text.contains(&format!("{id}): a read after them"))
                || text.contains(&format!("{id}, ")),
            "{id}: {text}"
        );
    }
}

/// describe-trails as the AWS CLI prints it, naming `bucket` as `my-cloudtrail-trail`'s.
fn trails_json(bucket: &str) -> String {
    json!({"trailList": [{"Name": "my-cloudtrail-trail", "S3BucketName": bucket,
        "IncludeGlobalServiceEvents": true, "IsMultiRegionTrail": true, "HomeRegion": "us-west-2",
        "TrailARN": "arn:aws:cloudtrail:us-west-2:111111111111:trail/my-cloudtrail-trail",
        "LogFileValidationEnabled": true, "HasCustomEventSelectors": false,
        "HasInsightSelectors": false, "IsOrganizationTrail": false}]})
    .to_string()
}

#[test]
fn a_lifecycle_rule_expiring_objects_of_the_trail_bucket_is_logging_reduced() {
    const ID: &str = "25d92cd1-f366-4b11-b408-967a17ce70f3";
    let case_with = |bucket: Option<&str>| {
        let dir = tempfile::tempdir().unwrap();
        let case = evidence(dir.path(), &["putbucketlifecycle"], None);
        if let Some(bucket) = bucket {
            std::fs::create_dir(case.join("trail")).unwrap();
            std::fs::write(case.join("trail/trails.json"), trails_json(bucket)).unwrap();
        }
        (dir, case)
    };
    let (_dir, case) = case_with(Some("my-cloudtrail-bucket-alfsujjpnbpguqrh"));
    let doc = timeline_of(&case);
    let reduced = of_kind(&doc["findings"], "logging_reduced");
    assert_eq!(reduced.len(), 1, "{:#}", doc["findings"]);
    assert_eq!(reduced[0]["event_ids"], json!([ID]));
    assert_eq!(
        reduced[0]["summary"],
        "1 call(s) that stopped, deleted or narrowed a trail, or deleted its S3 bucket or set it to expire objects: s3:PutBucketLifecycle on trail bucket my-cloudtrail-bucket-alfsujjpnbpguqrh (lifecycle rule nuke-cloudtrail-logs-after-1-day: objects whose key starts with \"*\" expire 1 day(s) after they are written); no evidence shows that the trail feeds the detection pipeline, but CloudTrail records or keeps less either way"
    );
    let rows: Vec<_> = doc["timeline"].as_array().unwrap().iter().collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["kind"], "pipeline_change");
    assert_eq!(rows[0]["event_id"], ID);

    let pdf = case.parent().unwrap().join("r.pdf");
    report_pdf(&pdf, &[case.to_str().unwrap()]);
    let text = pdf_text(&pdf);
    assert!(
        text.contains(
            "No read of a honeytoken is in the evidence examined, but this is not an all-clear"
        ),
        "{text}"
    );
    assert!(text.contains(&format!("(eventID {ID})")), "{text}");

    // Another bucket, or no trail configuration: the account's business, nothing said.
    for bucket in [Some("another-bucket"), None] {
        let (_dir, case) = case_with(bucket);
        let doc = timeline_of(&case);
        assert_eq!(
            doc["findings"].as_array().unwrap().len(),
            0,
            "{bucket:?}: {doc:#}"
        );
        assert_eq!(doc["timeline"].as_array().unwrap().len(), 0, "{bucket:?}");
    }
}

/// A trailcase.toml naming the object Splunk's CopyObject copies out of as the S3 decoy.
const COPIED_DECOY: &str =
    "[[honeytoken]]\nkind = \"s3\"\npattern = \"patricktestbucketencrypt/kms_aws_events.json\"\n";
const COPY_ID: &str = "b20d43de-175d-4443-acd7-f5f3e587ae00";

#[test]
fn a_copy_out_of_the_decoy_is_a_read_the_write_data_events_show() {
    let dir = tempfile::tempdir().unwrap();
    let case = evidence(dir.path(), &["copyobject"], Some(COPIED_DECOY));
    let doc = timeline_of(&case);
    assert_eq!(doc["incidents"][0]["access_event_ids"], json!([COPY_ID]));
    let finding = of_kind(&doc["findings"], "reads_not_examined");
    assert_eq!(finding.len(), 1, "{:#}", doc["findings"]);
    let summary = finding[0]["summary"].as_str().unwrap();
    assert!(
        !summary.contains("which show nothing of its reads"),
        "{summary}"
    );
    for words in [
        format!("the trail logged writes of the decoy's bucket, which show of its reads only the 1 copy(ies) out of the decoy (eventID {COPY_ID}), which read it (an incident rests on each): S3 logs a copy as a write of its destination"),
        "No GetObject of the object can be in the evidence: whether it was read other than by those copies is unknown".to_string(),
    ] {
        assert!(summary.contains(&words), "{words}: {summary}");
    }
    assert_eq!(finding[0]["event_ids"], json!([COPY_ID]));
}

/// The incident's only call is a copy out of the decoy: it read the decoy as a GetObject does,
/// so the ATT&CK table maps it (T1530), where it said "no call of the actor in the evidence is
/// in the table".
#[test]
fn a_copy_out_of_the_decoy_is_data_from_cloud_storage() {
    let dir = tempfile::tempdir().unwrap();
    let case = evidence(dir.path(), &["copyobject"], Some(COPIED_DECOY));
    let doc = timeline_of(&case);
    let attack = &doc["incidents"][0]["attack"];
    assert_eq!(attack.as_array().unwrap().len(), 1, "{attack:#}");
    assert_eq!(attack[0]["id"], "T1530");
    assert_eq!(attack[0]["calls"][0]["action"], "s3:CopyObject");
    let pdf = dir.path().join("r.pdf");
    report_pdf(&pdf, &[case.to_str().unwrap()]);
    let text = pdf_text(&pdf);
    assert!(
        !text.contains("None: no call of the actor in the evidence is in the table."),
        "{text}"
    );
    assert!(text.contains("T1530"), "{text}");
}

/// A failed console sign-in whose `userName` is CloudTrail's `HIDDEN_DUE_TO_SECURITY_REASONS`
/// (it did not record the name typed) was listed with that placeholder as its actor, as if a
/// user were called that.
#[test]
fn a_hidden_user_name_is_not_an_actors_name() {
    let dir = tempfile::tempdir().unwrap();
    let case = evidence(dir.path(), &["consolelogin"], None);
    let run = trailcase(["timeline", "--quiet", "--all", case.to_str().unwrap()]);
    assert!(run.code <= 1, "{}", run.stderr);
    let doc = run.json();
    let row = &doc["records"][0];
    assert_eq!(row["action"], "signin:ConsoleLogin");
    assert_eq!(
        row["actor"],
        "a user name CloudTrail hid (HIDDEN_DUE_TO_SECURITY_REASONS), account 140429656527"
    );
}

/// A trailcase.toml naming the object Splunk's GetObject reads as the S3 decoy.
const READ_DECOY: &str = "[[honeytoken]]\nkind = \"s3\"\npattern = \"security-content/stories/windows_discovery_techniques.yml\"\n";

/// A read of the decoy beside a lifecycle rule expiring the trail bucket's objects: the NIST
/// rows on audit logging (AU-2, AU-9, AU-12, CA-7) and the summary told the incident without
/// it, AU-2 "supported" by the trail configuration. They now name the change with its eventID
/// and say a read after it may be missing; AU-2 is partly supported. The change is named in full
/// once, in AU-9; the other three rows, which repeated it word for word, name the finding with
/// its eventIDs in short and refer to AU-9.
#[test]
fn logging_reduced_beside_an_incident_is_named_where_an_auditor_looks() {
    const ID: &str = "25d92cd1-f366-4b11-b408-967a17ce70f3";
    let dir = tempfile::tempdir().unwrap();
    let case = evidence(
        dir.path(),
        &["putbucketlifecycle", "getobject"],
        Some(READ_DECOY),
    );
    std::fs::create_dir(case.join("trail")).unwrap();
    std::fs::write(
        case.join("trail/trails.json"),
        trails_json("my-cloudtrail-bucket-alfsujjpnbpguqrh"),
    )
    .unwrap();
    let doc = timeline_of(&case);
    assert_eq!(doc["incidents"].as_array().unwrap().len(), 1, "{doc:#}");
    assert_eq!(
        of_kind(&doc["findings"], "logging_reduced")[0]["event_ids"],
        json!([ID])
    );

    let pdf = dir.path().join("r.pdf");
    report_pdf(&pdf, &[case.to_str().unwrap()]);
    let text = pdf_text(&pdf);
    let summary = &text[text.find("Executive summary").unwrap()..];
    let summary = &summary[..summary.find("Evidence integrity:").unwrap()];
    for words in [
        "The records show CloudTrail logging reduced too: a read after it may be missing from the evidence. 1 call(s) by other principals that stopped, deleted or narrowed a trail, or deleted its S3 bucket or set it to expire objects: s3:PutBucketLifecycle on trail bucket my-cloudtrail-bucket-alfsujjpnbpguqrh",
        &format!("(eventID {ID}). A call made after such a change may be missing from the records examined, another read of the honeytoken among them"),
    ] {
        assert!(summary.contains(words), "{words}: {summary}");
    }

    // The decoy is an S3 object: AU-3 names what the reads' records name, not a secret.
    assert!(
        text.contains("and the S3 object the call names) and the outcome."),
        "{text}"
    );
    assert!(!text.contains("eventName, secret)"), "{text}");

    let (t, _) = model(&[&case]);
    let rows = trailcase::report::content::nist::rows(
        &t,
        &trailcase::report::content::IntegrityStatement::default(),
    );
    let full = "The records show CloudTrail logging reduced: 1 call(s) by other principals that stopped, deleted or narrowed a trail, or deleted its S3 bucket or set it to expire objects: s3:PutBucketLifecycle on trail bucket my-cloudtrail-bucket-alfsujjpnbpguqrh (lifecycle rule nuke-cloudtrail-logs-after-1-day: objects whose key starts with \"*\" expire 1 day(s) after they are written) (the \"CloudTrail logging reduced\" finding, eventID 25d92cd1-f366-4b11-b408-967a17ce70f3): records of calls after it may not have been generated or kept, so a read of the honeytoken after it may be missing from the evidence.";
    // The calls in full once, in AU-9; the other rows name the finding and refer to it.
    let short = "The records show CloudTrail logging reduced (the finding of that name, eventID 25d92cd1…; the calls are named under AU-9): a read of the honeytoken after it may be missing from the evidence.";
    for id in ["AU-2", "AU-9", "AU-12", "CA-7"] {
        let r = rows.iter().find(|r| r.id == id).unwrap();
        assert!(
            r.statement
                .contains(if id == "AU-9" { full } else { short }),
            "{id}: {}",
            r.statement
        );
        assert!(r.evidence.iter().any(|e| e == ID), "{id}: {:?}", r.evidence);
        assert_ne!(
            r.support,
            trailcase::report::content::nist::Support::Supported,
            "{id}"
        );
    }
    let au2 = rows.iter().find(|r| r.id == "AU-2").unwrap();
    assert_eq!(
        au2.support,
        trailcase::report::content::nist::Support::Partial
    );
    assert!(
        text.contains("AU-9 Protection of Audit Information Protect (PR)"),
        "{text}"
    );
    // The PDF's NIST rows: the list read once, not four times.
    let nist = &text[text.rfind("SP 800-53 Rev. 5 controls").unwrap()..];
    assert_eq!(
        nist.matches("s3:PutBucketLifecycle on trail bucket my-cloudtrail-bucket")
            .count(),
        1,
        "{nist}"
    );
    assert_eq!(
        nist.matches("the calls are named under AU-9").count(),
        3,
        "{nist}"
    );
}

/// An IAM user's long-term key read the decoy (Splunk's GetObject, user `console`): the step and
/// the summary's next action said "Replace the compromised account's access key", which reads
/// as the AWS account's. They now name the user whose key it is.
#[test]
fn the_key_to_replace_is_named_the_users_not_the_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let case = evidence(dir.path(), &["getobject"], Some(READ_DECOY));
    let doc = timeline_of(&case);
    let steps = doc["incidents"][0]["eradication"].as_array().unwrap();
    let replace: Vec<&str> = steps
        .iter()
        .filter_map(|s| s["plain"].as_str())
        .filter(|p| p.starts_with("Replace"))
        .collect();
    assert_eq!(
        replace,
        ["Replace IAM user console's access key"],
        "{steps:#?}"
    );
    let pdf = dir.path().join("r.pdf");
    report_pdf(&pdf, &[case.to_str().unwrap()]);
    let text = pdf_text(&pdf);
    assert!(!text.contains("compromised account's access key"), "{text}");
    assert!(
        text.contains(
            "Replace IAM user console's access key. IAM administrator; priority immediate."
        ),
        "{text}"
    );
}
