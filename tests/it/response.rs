//! Issue #18, management and responders: the sample's severity, status, impact and next actions
//! as data (the JSON's `incidents[]`), the eradication steps and recommendations citing the
//! sample's eventIDs, and the same in the PDF's text: a one-page bottom line in plain words, the
//! "Eradication and recovery" section, and prose without markup or field names.

use crate::support;

use serde_json::Value;
use support::*;

fn sample_incident() -> Value {
    let run = trailcase([
        "timeline",
        "--quiet",
        "samples/incident-01",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.json()["incidents"][0].clone()
}

fn texts(steps: &Value, field: &str) -> Vec<String> {
    steps
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s[field].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_sample_is_high_severity_and_partially_contained_with_the_refused_key_as_its_only_change() {
    let inc = sample_incident();
    assert_eq!(inc["containment_status"], "partially_contained");
    assert_eq!(inc["severity"], "high", "{}", inc["severity_basis"]);
    let basis = inc["severity_basis"].as_str().unwrap();
    assert!(basis.contains("value was returned"), "{basis}");
    let impact = &inc["impact"];
    assert_eq!(impact["reads_succeeded"], 1);
    assert_eq!(impact["reads_with_error"], 1);
    assert_eq!(impact["changes"], serde_json::json!([]));
    assert_eq!(
        impact["refused_changes"],
        serde_json::json!(["iam:CreateAccessKey"])
    );
    assert_eq!(
        impact["refused_change_event_ids"],
        serde_json::json!(["84bc753b-a0e6-4117-a204-c029afb502dc"])
    );
}

#[test]
fn eradication_starts_with_the_role_session_and_every_step_cites_the_incidents_records() {
    let inc = sample_incident();
    let steps = &inc["eradication"];
    let first = &steps[0];
    // The evidence runs past the session's expiry (expired_credential_step.rs): what is still
    // worth doing about it, not its revocation, and not immediate.
    assert_eq!(first["priority"], "high");
    assert!(first["action"].as_str().unwrap().starts_with(
        "Confirm that session key ASIA4EXAMPLEAUDITSS5K of role ReadOnlyAuditRole was not used"
    ));
    // The AssumeRole that issued the session, and when the session stopped working.
    assert_eq!(
        first["event_ids"],
        serde_json::json!(["6d0f53a2-5223-444b-adaa-24de7e743f20"])
    );
    assert_eq!(first["until"], "2026-11-20T15:59:30Z");
    let actions = texts(steps, "action");
    let cites = |prefix: &str, id: &str| {
        steps.as_array().unwrap().iter().any(|s| {
            s["action"].as_str().unwrap().starts_with(prefix)
                && s["event_ids"].as_array().unwrap().iter().any(|e| e == id)
        })
    };
    // The key the kill-switch deactivated (UpdateAccessKey) is to be deleted.
    assert!(
        cites(
            "Delete the deactivated access key(s) AKIA4EXAMPLESVCREPT7Q",
            "431b89ec-1677-42be-b50a-2509c66de27e"
        ),
        "{actions:#?}"
    );
    // The deny (PutUserPolicy) stays until the keys are replaced and the session expired.
    assert!(
        cites(
            "Keep the kill-switch's deny-all policy on svc-reporting",
            "91229c3a-309d-46cd-b37b-0d4ff185f9f9"
        ),
        "{actions:#?}"
    );
    assert!(actions
        .iter()
        .any(|a| a.starts_with("Review the 4 call(s) that succeeded after containment")));
    // The refused CreateAccessKey created nothing: no step to delete what it made.
    assert!(
        !actions.iter().any(|a| a.contains("iam:CreateAccessKey")),
        "{actions:#?}"
    );
    let known: Vec<&Value> = inc["event_ids"].as_array().unwrap().iter().collect();
    for list in ["eradication", "recommendations"] {
        for s in inc[list].as_array().unwrap() {
            let ids = s["event_ids"].as_array().unwrap();
            assert!(!ids.is_empty(), "{list}: {s}");
            assert!(ids.iter().all(|e| known.contains(&e)), "{list}: {s}");
        }
    }
    let priorities = texts(steps, "priority");
    let rank = |p: &str| {
        ["immediate", "high", "medium", "low"]
            .iter()
            .position(|x| *x == p)
    };
    assert!(
        priorities.windows(2).all(|w| rank(&w[0]) <= rank(&w[1])),
        "{priorities:?}"
    );
}

#[test]
fn recommendations_follow_from_the_alarm_latency_and_the_uncovered_session() {
    let inc = sample_incident();
    let recs = &inc["recommendations"];
    let detection = recs
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["owner"] == "Detection engineering")
        .expect("the alarm fired minutes after the rule");
    assert!(detection["action"]
        .as_str()
        .unwrap()
        .starts_with("The alarm fired 3 min 4.5 s after the read, at least 2 min 35.5 s after the rule (the rule's time is an upper bound)"));
    assert_eq!(detection["priority"], "medium");
    let session = recs
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            r["action"]
                .as_str()
                .unwrap()
                .contains("revoke the sessions of roles the user assumed")
        })
        .expect("a role session escaped the user's deny");
    assert_eq!(session["priority"], "high");
    assert_eq!(session["owner"], "Kill-switch owner (security engineering)");
}

fn sample_pdf_text() -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.pdf");
    let run = report_pdf(&out, &["samples/incident-01"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    pdf_text(&out)
}

#[test]
fn the_executive_summary_opens_with_the_bottom_line_in_plain_words() {
    let text = sample_pdf_text();
    let start = text.find("Executive summary").unwrap();
    let end = start + text[start..].find("Evidence integrity:").unwrap();
    // The running footer and header where the summary crosses a page ("... Page 3 of 31
    // Case IR-2026-001 TLP:AMBER") are no part of its sentences.
    let mut summary = text[start..end].to_string();
    while let Some(at) =
        summary.find(" Honeytoken access: Production_Database_Credentials (IR-2026-001) Page ")
    {
        let tail = &summary[at..];
        let cut = tail
            .find("TLP:AMBER")
            .map_or(tail.len(), |e| e + "TLP:AMBER".len());
        summary.replace_range(at..at + cut, "");
    }
    let summary = summary.as_str();
    for needle in [
        "High severity. Partially contained.",
        // Not "stayed usable" alone, which a reader takes for "is still usable" (session 35).
        "A temporary credential the actor had obtained earlier was not reached by the block: nothing in the evidence revoked it before its recorded expiry at 2026-11-20T15:59:30Z.",
        "read the decoy secret Production_Database_Credentials at 2026-11-20T14:02:17Z",
        "Did the value leave AWS? Unknown: the records show the value was returned to the actor at the address 203.0.113.45, not where it went next.",
        "its attempt to create a new access key was refused",
        "Residual risk. A temporary credential the actor obtained before the block was not revoked in the evidence and expired at 2026-11-20T15:59:30Z (the evidence runs past that time)",
        "Next actions",
        "Confirm the temporary credential the actor obtained before containment was not used elsewhere (it expired at 2026-11-20T15:59:30Z: the evidence runs to 2026-11-20T15:59:49Z, after that time). Incident responder; priority high.",
        "Reconnaissance. From 2026-11-20T13:55:10Z",
        "Afterwards. It tried to create a new access key, a way to keep access, and was refused",
        "Root cause and initial access. How the credential was obtained is unknown: the evidence does not show it",
        "with the AWS command-line tool",
        "The kill-switch's own report says contained; CloudTrail bears out 3 of its 6 steps; the other 3 report no change, and CloudTrail shows none.",
    ] {
        assert!(summary.contains(needle), "{needle:?} not in: {summary}");
    }
    for jargon in ["arn:aws", "Flow 1", "Flow 2", "call(s)", "**"] {
        assert!(!summary.contains(jargon), "{jargon:?} in: {summary}");
    }
}

#[test]
fn the_eradication_section_lists_steps_and_recommendations_with_owners() {
    let text = sample_pdf_text();
    let start = text.find("Eradication and recovery What remains").unwrap();
    let section = &text[start..];
    for needle in [
        "INC-001: High severity, partially contained",
        "What remains to do",
        // Made after the session's expiry: the step is what is still worth doing.
        "High Incident responder Confirm that session key ASIA4EXAMPLEAUDITSS5K of role ReadOnlyAuditRole was not used before it expired",
        "Recommendations",
        "Detection engineering The alarm fired 3 min 4.5 s after the read",
    ] {
        assert!(section.contains(needle), "{needle:?}");
    }
}

#[test]
fn prose_has_no_markup_no_field_names_and_no_unknown_durations() {
    let text = sample_pdf_text();
    for bad in ["`", "**", "predicted_latest", "lasted unknown", "Critical:"] {
        assert!(!text.contains(bad), "{bad:?} in the sample's PDF text");
    }
}

#[test]
fn with_nothing_examined_eradication_is_unknown_not_an_all_clear() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("empty.json"), r#"{"Records": []}"#).unwrap();
    // Beside the evidence, not in it (trailcase refuses to write into its evidence).
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("r.pdf");
    let run = report_pdf(&out, &[dir.path().to_str().unwrap()]);
    let text = pdf_text(&out);
    assert!(run.code <= 1, "{}", run.stderr);
    assert!(
        text.contains("Eradication and recovery What remains to do about each incident's actor"),
        "{text}"
    );
    assert!(text.contains("Unknown: no CloudTrail record was examined, so the evidence cannot show whether anything needs eradicating. This is not an all-clear."));
    assert!(!text.contains("nothing to eradicate"));
}

/// "Did the value leave AWS?" names the addresses of the reads that returned the value, not
/// every address the actor's records show: a later call of the same key from another address
/// is an indicator, not where the value went.
#[test]
fn the_value_is_said_to_reach_only_the_addresses_of_the_reads() {
    let extra = tempfile::tempdir().unwrap();
    let record = serde_json::json!({"Records": [{
        "eventVersion": "1.08", "eventTime": "2026-11-20T14:03:30Z",
        "eventID": "0c0c0000-0000-4000-8000-000000000001", "eventSource": "s3.amazonaws.com",
        "eventName": "ListBuckets", "awsRegion": "us-east-1", "eventType": "AwsApiCall",
        "readOnly": true, "recipientAccountId": "123456789012",
        "sourceIPAddress": "198.51.100.99", "userAgent": "aws-cli/2.15.0",
        "userIdentity": {"type": "IAMUser", "principalId": "AIDA4EXAMPLESVCREPT7Q",
            "arn": "arn:aws:iam::123456789012:user/svc-reporting", "accountId": "123456789012",
            "accessKeyId": "AKIA4EXAMPLESVCREPT7Q", "userName": "svc-reporting"}}]});
    std::fs::write(
        extra.path().join("other-address.json"),
        serde_json::to_vec(&record).unwrap(),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.pdf");
    let run = report_pdf(
        &out,
        &["samples/incident-01", extra.path().to_str().unwrap()],
    );
    // The extra record is outside the case: no digest or manifest covers it, so the verdict is
    // "partly verified" and the exit code 1 (it was "verified offline" and 0 before).
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(pdf_text(&out).contains("partly verified. "));
    let text = pdf_text(&out);
    assert!(
        text.contains("Did the value leave AWS? Unknown: the records show the value was returned to the actor at the address 203.0.113.45, not where it went next."),
        "{text}"
    );
    let start = text.find("Indicators of compromise").unwrap();
    assert!(
        text[start..].contains("198.51.100.99"),
        "the other address is still an indicator"
    );
}

/// S3 writes the user agent in square brackets (audit 24, item 06): the actor's one client,
/// `aws-cli/2.17.60`, on a Secrets Manager read and an S3 data event, is "the AWS command-line
/// tool", not "another tool and the AWS command-line tool".
#[test]
fn s3_s_bracketed_user_agent_is_the_same_tool() {
    let cli = "aws-cli/2.17.60 md/awscrt#0.21.2 ua/2.0 os/macos#23.6.0 md/arch#arm64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#source md/prompt#off";
    let who = r#"{"type":"IAMUser","principalId":"AIDAEXAMPLE","arn":"arn:aws:iam::123456789012:user/mallory","accountId":"123456789012","accessKeyId":"AKIAEXAMPLEMALLORY","userName":"mallory"}"#;
    let read = format!(
        r#"{{"eventVersion":"1.10","userIdentity":{who},"eventTime":"2024-10-09T14:43:35Z","eventSource":"secretsmanager.amazonaws.com","eventName":"GetSecretValue","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","userAgent":"{cli}","requestParameters":{{"secretId":"Production_Database_Credentials"}},"responseElements":null,"eventID":"read-1","eventType":"AwsApiCall"}}"#
    );
    let put = format!(
        r#"{{"eventVersion":"1.10","userIdentity":{who},"eventTime":"2024-10-09T14:44:00Z","eventSource":"s3.amazonaws.com","eventName":"PutObject","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","userAgent":"[{cli} md/command#s3api.put-object]","requestParameters":{{"bucketName":"exfil-bucket","Host":"exfil-bucket.s3.us-east-1.amazonaws.com"}},"responseElements":null,"resources":[{{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::exfil-bucket/test.json"}},{{"accountId":"123456789012","type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::exfil-bucket"}}],"eventID":"put-1","eventType":"AwsApiCall","managementEvent":false,"eventCategory":"Data"}}"#
    );
    let dir = tempfile::tempdir().unwrap();
    let evidence = dir.path().join("evidence");
    std::fs::create_dir(&evidence).unwrap();
    std::fs::write(
        evidence.join("trail.json"),
        format!(r#"{{"Records":[{read},{put}]}}"#),
    )
    .unwrap();
    let out = dir.path().join("r.pdf");
    let run = report_pdf(&out, &[evidence.to_str().unwrap()]);
    assert!(run.code <= 1, "{}", run.stderr);
    let text = pdf_text(&out);
    assert!(
        text.contains("from one network address with the AWS command-line tool."),
        "{text}"
    );
    assert!(!text.contains("another tool"), "{text}");
}
