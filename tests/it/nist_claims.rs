//! The NIST mapping states only what the evidence shows: a read every one of whose attempts was
//! refused is an attempt, not a read; AU-9 rests on the same digest facts as the Integrity
//! section; a case with no CloudTrail record grades nothing "partly supported" and says each
//! row was not examined, never that records were generated, notifications sent or that there
//! is nothing to recover from.

use crate::support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use support::*;
use trailcase::report::content::nist::{self, Support};
use trailcase::report::content::IntegrityStatement;

/// The NIST section of a report's text.
fn nist_section(text: &str) -> &str {
    let start = text
        .rfind("NIST mapping Each row")
        .expect("the NIST section");
    let end = text[start..]
        .find("Lessons learned")
        .map_or(text.len(), |n| start + n);
    &text[start..end]
}

#[test]
fn a_honeytoken_read_that_was_refused_is_an_attempt_in_sc_26() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    let changed = alter_records(&case, |r| {
        if r["eventID"] == "5ad7fe16-471c-489f-908c-61b0d4864cbb" {
            r["errorCode"] = "AccessDenied".into();
            r["errorMessage"] = "User: arn:aws:iam::123456789012:user/svc-reporting is not authorized to perform: secretsmanager:GetSecretValue on resource: Production_Database_Credentials because no identity-based policy allows the secretsmanager:GetSecretValue action".into();
            r["responseElements"] = Value::Null;
        }
        // The service's kms:Decrypt of the value for that read: none for a refused read.
        r["eventID"] != "15702264-b59b-4987-9a7a-bdcb84bb8daa"
    });
    assert!(
        changed >= 2,
        "the read (trail file and LookupEvents) and its Decrypt"
    );
    let text = report_text(dir.path(), &case);
    let nist = nist_section(&text);
    assert!(
        nist.contains("A decoy secret no workload reads was asked for (every call to read it refused), and the attempt was detected."),
        "{nist}"
    );
    assert!(
        !nist.contains("was read, and the read was detected"),
        "{nist}"
    );
}

/// The sample with its acquisition manifest kept and its CloudWatch evidence removed: the
/// manifest's three files are missing (the verification's only problems), and every trail log
/// file is verified by a digest, as the Integrity section says. AU-9 says the same.
#[test]
fn au_9_rests_on_the_digests_the_integrity_section_states() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    copy_dir(&repo().join("samples/incident-01"), &case);
    std::fs::remove_dir_all(case.join("cloudwatch")).unwrap();
    let text = report_text(dir.path(), &case);
    assert!(
        text.contains("log files 96 of 96 verified by a CloudTrail digest"),
        "the Integrity section: {text}"
    );
    let nist = nist_section(&text);
    assert!(
        nist.contains("CloudTrail digest files verified 96 of 96 trail log files offline"),
        "{nist}"
    );
    assert!(
        nist.contains(
            "The verification found 3 other problem(s), not in the digests' check (see Integrity)."
        ),
        "{nist}"
    );
    assert!(!nist.contains("no digest was verified"), "{nist}");
    assert!(!nist.contains("no digest verified a log file"), "{nist}");
}

/// A case directory holding only its `trailcase.toml`.
fn config_only(dir: &Path) -> PathBuf {
    let case = dir.join("case");
    std::fs::create_dir_all(&case).unwrap();
    std::fs::copy(
        repo().join("samples/incident-01/trailcase.toml"),
        case.join("trailcase.toml"),
    )
    .unwrap();
    case
}

#[test]
fn with_no_record_examined_no_row_is_partly_supported_and_each_says_not_examined() {
    let dir = tempfile::tempdir().unwrap();
    let case = config_only(dir.path());
    let (t, _) = model(&[&case]);
    assert_eq!(t.records_read, 0);
    let rows = nist::rows(&t, &IntegrityStatement::default());
    for r in &rows {
        assert_eq!(
            r.support,
            Support::Missing,
            "{}: {} ({:?})",
            r.id,
            r.statement,
            r.evidence
        );
    }
    for id in [
        "AU-3", "AU-12", "SC-26", "IR-4", "IR-5", "DE.CM-03", "DE.AE-02", "DE.AE-03", "RS.AN-03",
        "RC.RP-01",
    ] {
        let r = rows.iter().find(|r| r.id == id).unwrap();
        assert!(
            r.statement
                .starts_with("Not examined: no CloudTrail record was examined"),
            "{id}: {}",
            r.statement
        );
    }

    let text = report_text(dir.path(), &case);
    let nist = nist_section(&text);
    for claim in [
        "partly supported",
        "nothing to recover from",
        "The actor's activity before and after the read is analysed",
        "Only CloudTrail is in the evidence",
        "Notifications were sent through SNS",
        "Records were generated",
    ] {
        assert!(!nist.contains(claim), "{claim}: {nist}");
    }
    assert!(
        nist.contains("Not examined: no CloudTrail record was examined, so whether the configured honeytoken was read is not known."),
        "{nist}"
    );
    assert!(
        nist.contains(
            "No notification (alarm SNS action, kill-switch publication) is in the evidence."
        ),
        "RS.CO-02 and IR-6: {nist}"
    );
}

/// A case of `records` (CloudTrail records, in one trail file) and nothing else.
fn records_only(dir: &Path, records: &[Value]) -> PathBuf {
    let case = dir.join("records-only");
    std::fs::create_dir_all(&case).unwrap();
    let body = serde_json::json!({ "Records": records }).to_string();
    std::fs::write(case.join("trail.json"), body).unwrap();
    case
}

/// Three calls of an IAM user, none of them near the honeytoken.
fn unrelated_calls() -> Vec<Value> {
    (0..3)
        .map(|n| {
            serde_json::json!({"eventVersion": "1.09",
                "eventTime": format!("2026-11-20T14:2{n}:17Z"),
                "eventSource": "s3.amazonaws.com", "eventName": "ListBuckets",
                "awsRegion": "us-east-1", "sourceIPAddress": "203.0.113.45",
                "userAgent": "aws-cli/2.15.30",
                "eventID": format!("d0d0d0d0-0000-4000-8000-00000000000{n}"),
                "readOnly": true, "eventType": "AwsApiCall", "managementEvent": true,
                "eventCategory": "Management", "recipientAccountId": "123456789012",
                "userIdentity": {"type": "IAMUser", "principalId": "AIDA4EXAMPLESVCREPT7Q",
                    "arn": "arn:aws:iam::123456789012:user/svc-reporting",
                    "accountId": "123456789012", "accessKeyId": "AKIA4EXAMPLESVCREPT7Q"},
                "requestParameters": null})
        })
        .collect()
}

/// The sample with a honeytoken none of its records names: records, detection evidence and
/// configuration, but no incident.
fn sample_with_another_honeytoken(dir: &Path) -> PathBuf {
    let case = sample_to_alter(dir);
    let toml = std::fs::read_to_string(case.join("trailcase.toml")).unwrap();
    std::fs::write(
        case.join("trailcase.toml"),
        format!("{toml}\n[[honeytoken]]\nkind = \"secret\"\npattern = \"Never_Read_Decoy\"\n"),
    )
    .unwrap();
    case
}

/// A row "supported" or "partly supported" names what it rests on: on a case with records but
/// no incident, SC-26, AU-3, IR-5, DE.CM-03, DE.AE-02, DE.AE-03 and RS.AN-03 were "partly
/// supported" with evidence "none". Every row of every case here cites evidence or is "not
/// evidenced", by its own rule (not by the mapping's last check, whose note would show).
#[test]
fn a_row_that_cites_no_evidence_is_never_supported_or_partly_supported() {
    let dir = tempfile::tempdir().unwrap();
    let no_incident = records_only(dir.path(), &unrelated_calls());
    let another = sample_with_another_honeytoken(&dir.path().join("another"));
    let empty = config_only(dir.path());
    let sample = repo().join("samples/incident-01");
    for (name, case) in [
        ("records, no incident", &no_incident),
        ("sample, another honeytoken", &another),
        ("no record", &empty),
        ("sample", &sample),
    ] {
        let (t, _) = model(&[case]);
        if name != "sample" {
            assert!(t.incidents.is_empty(), "{name}");
        }
        for r in nist::rows(&t, &IntegrityStatement::default()) {
            assert!(
                r.support == Support::Missing || !r.evidence.is_empty(),
                "{name}: {} is {:?} on no evidence: {}",
                r.id,
                r.support,
                r.statement
            );
            assert!(
                !r.statement.contains("No evidence is cited for this row"),
                "{name}: {} left to the last check: {}",
                r.id,
                r.statement
            );
        }
    }

    let (t, _) = model(&[&no_incident]);
    let rows = nist::rows(&t, &IntegrityStatement::default());
    let row = |id: &str| rows.iter().find(|r| r.id == id).unwrap();
    for id in [
        "SC-26", "AU-3", "IR-5", "DE.CM-03", "DE.AE-02", "DE.AE-03", "RS.AN-03",
    ] {
        assert_eq!(row(id).support, Support::Missing, "{id}");
        assert!(
            row(id).statement.starts_with("Not shown by this evidence"),
            "{id}: {}",
            row(id).statement
        );
    }
    // The logging rows rest on the records: they cite the input they were read from.
    for id in ["AU-2", "AU-12"] {
        assert_eq!(row(id).support, Support::Partial, "{id}");
        assert!(
            row(id)
                .evidence
                .iter()
                .any(|e| e.ends_with("trail.json (3 records)")),
            "{id}: {:?}",
            row(id).evidence
        );
    }
}

/// An SNS publish shows a message reaching its topic, not a report: with the kill-switch's
/// `sns:Publish` and the alarm's action but no subscriber's copy of a result (the sample without
/// its `notifications/`), IR-6 and RS.CO-02 were "supported". They are partly supported, name
/// the publish's eventID and topic, and say what a publish does not show.
#[test]
fn an_sns_publish_alone_is_not_a_report() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    std::fs::remove_dir_all(case.join("notifications")).unwrap();
    let (t, _) = model(&[&case]);
    let rows = nist::rows(&t, &IntegrityStatement::default());
    for id in ["IR-6", "RS.CO-02"] {
        let r = rows.iter().find(|r| r.id == id).unwrap();
        assert_eq!(r.support, Support::Partial, "{id}: {}", r.statement);
        for part in [
            "the kill-switch published its result to SNS topic arn:aws:sns:us-east-1:123456789012:honeytoken-killswitch-results (sns:Publish succeeded in CloudTrail: eventID",
            "A publish shows the message reached its SNS topic, not that it was delivered or that anyone was reported to: no subscriber's copy and no report by a person is in the evidence.",
        ] {
            assert!(r.statement.contains(part), "{id}: {}", r.statement);
        }
        assert!(!r.evidence.is_empty(), "{id}");
        assert!(
            r.evidence.iter().all(|e| !e.starts_with("killswitch:")),
            "{id}: no subscriber's copy: {:?}",
            r.evidence
        );
    }
    // With the subscriber's copies (the sample as it is), a delivery to an endpoint is in the
    // case, not a person informed nor the incident reported: still partly supported, and said.
    let (t, _) = model(&[&repo().join("samples/incident-01")]);
    let rows = nist::rows(&t, &IntegrityStatement::default());
    for id in ["IR-6", "RS.CO-02"] {
        let r = rows.iter().find(|r| r.id == id).unwrap();
        assert_eq!(r.support, Support::Partial, "{id}: {}", r.statement);
        for part in [
            "2 kill-switch result(s) are in the case as an SNS subscriber received them (trailcase does not verify the copies' SNS signatures)",
            "whether the incident was reported to the incident response capability or outside it, is not examined",
        ] {
            assert!(r.statement.contains(part), "{id}: {}", r.statement);
        }
    }
}
