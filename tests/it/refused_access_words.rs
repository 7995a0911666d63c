//! A first honeytoken access that was refused (AccessDenied): the severity, the summary's story
//! (the access, its detection by flow 2 and flow 1, the containment), the security analysis and
//! NIST SC-26 name it an attempt, and time detection and containment from it as such, never
//! "the read". With every call refused, no sentence says the value was read or exposed; with a
//! later read, the read is stated at its own time and the times run from "the first, refused
//! attempt".

use crate::support::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

const DENIED: &str = "User: arn:aws:iam::123456789012:user/svc-reporting is not authorized to perform: secretsmanager:GetSecretValue on resource: Production_Database_Credentials because no identity-based policy allows the secretsmanager:GetSecretValue action";

/// The sample with its honeytoken read at 14:02:17 (both delivered copies, and its LookupEvents
/// copy) refused: with the call at 14:03:05, every honeytoken call of the actor was refused.
fn all_refused(dir: &Path) -> PathBuf {
    let case = sample_to_alter(dir);
    let changed = alter_records(&case, |r| {
        if r["eventName"] == "GetSecretValue"
            && r["eventTime"] == "2026-11-20T14:02:17Z"
            && r["requestParameters"]["secretId"] == "Production_Database_Credentials"
        {
            r["errorCode"] = json!("AccessDenied");
            r["errorMessage"] = json!(DENIED);
            r["responseElements"] = Value::Null;
        }
        true
    });
    assert!(changed >= 2, "{changed}");
    case
}

#[test]
fn every_honeytoken_call_refused_is_an_attempt_not_a_read() {
    let dir = tempfile::tempdir().unwrap();
    let case = all_refused(dir.path());
    let doc = timeline_of(&case);
    let i = &doc["incidents"][0];
    assert_eq!(i["impact"]["reads_succeeded"], 0);
    assert_eq!(i["severity"], "medium");
    assert_eq!(
        i["severity_basis"],
        "all 2 attempts to read the honeytoken were refused: its value was not returned"
    );
    let text = report_text(dir.path(), &case);
    for said in [
        "Severity: Medium. All 2 attempts to read the honeytoken were refused: its value was not returned.",
        "The automatic kill-switch's calls to block that credential were complete 31 s after the attempt; a call with it still succeeded 34 s after the attempt; the first one refused after the block came 48 s after it.",
        "The attempt. At 2026-11-20T14:02:17Z it tried to read the decoy secret Production_Database_Credentials.",
        "Detection. The real-time event rule fired within 29 s of the attempt; the log-based alarm fired 3 min 4.5 s after the attempt",
        "Containment. 31 s after the attempt, the automatic kill-switch's calls to block the actor's user were complete; a call of the user still succeeded 34 s after the attempt; the first one refused after the block came 48 s after it.",
        "The actor did not obtain the decoy secret's value: all 2 attempts were refused.",
        "Did the value leave AWS? No: the value was never returned to the actor.",
        "INC-001: the event-driven flow fired within 29 s of the attempt and the kill-switch's containment calls were complete within 31 s; the alarm followed after 3 min 4.5 s. The temporary credential the containment did not reach was issued to expire at 2026-11-20T15:59:30Z, 1 h 57 min after the attempt",
        "A decoy secret no workload reads was asked for (every call to read it refused)",
    ] {
        assert!(text.contains(said), "{said}: {text}");
    }
    // The chart's lane of honeytoken calls holds no read.
    assert!(text.contains("Honeytoken calls"), "{text}");
    for wrong in [
        "Honeytoken reads",
        "reads of the honeytoken were refused",
        "The read. At",
        "matched the read",
        "after the read, the automatic kill-switch",
        "blocked that credential 31 s after the read",
        "of the read and the kill-switch",
        "From the first read",
        "The actor obtained",
    ] {
        assert!(!text.contains(wrong), "{wrong}: {text}");
    }
}

/// A refused call at 14:02:10 before the sample's read at 14:02:17: T is the refused call; the
/// read is stated at 14:02:17, and detection and containment are timed from the refused attempt.
#[test]
fn a_refused_first_access_before_a_read_times_from_the_refused_attempt() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    let mut first = None;
    alter_records(&case, |r| {
        if first.is_none()
            && r["eventName"] == "GetSecretValue"
            && r["eventTime"] == "2026-11-20T14:02:17Z"
            && r["requestParameters"]["secretId"] == "Production_Database_Credentials"
        {
            first = Some(r.clone());
        }
        true
    });
    let mut refused = first.expect("the sample's honeytoken read");
    refused["eventTime"] = json!("2026-11-20T14:02:10Z");
    refused["eventID"] = json!("0e0e0e0e-0000-4000-8000-000000000001");
    refused["requestID"] = json!("0e0e0e0e-0000-4000-8000-000000000002");
    refused["errorCode"] = json!("AccessDenied");
    refused["errorMessage"] = json!(DENIED);
    refused["responseElements"] = Value::Null;
    std::fs::write(
        case.join("cloudtrail/refused-first.json"),
        json!({ "Records": [refused] }).to_string(),
    )
    .unwrap();
    let doc = timeline_of(&case);
    let i = &doc["incidents"][0];
    assert_eq!(i["milestones"]["first_access"], "2026-11-20T14:02:10Z");
    assert!(i["milestones"]["flow2_evidence"]
        .as_str()
        .unwrap()
        .starts_with(
            "the kill-switch's first call after the first, refused attempt (upper bound: "
        ));
    let text = report_text(dir.path(), &case);
    for said in [
        "read the decoy secret Production_Database_Credentials at 2026-11-20T14:02:17Z (a first attempt at 2026-11-20T14:02:10Z was refused)",
        "The automatic kill-switch's calls to block that credential were complete 38 s after the first, refused attempt; a call with it still succeeded 41 s after the first, refused attempt;",
        "The read. At 2026-11-20T14:02:10Z it tried to read the decoy secret Production_Database_Credentials and was refused; at 2026-11-20T14:02:17Z it read it.",
        "Detection. The real-time event rule fired within 36 s of the first, refused attempt; the log-based alarm fired 3 min 11.5 s after the first, refused attempt",
        "Containment. 38 s after the first, refused attempt, the automatic kill-switch's calls to block the actor's user were complete;",
        "INC-001: the event-driven flow fired within 36 s of the first, refused attempt",
        "INC-001: honeytoken calls",
        "Calls to read the honeytoken's value, the first of them unsuccessful",
        "1 of its 3 honeytoken call(s)",
        "Impact. The actor obtained the decoy secret's value (2 other attempts to read it were refused).",
    ] {
        assert!(text.contains(said), "{said}: {text}");
    }
    for wrong in [
        "matched the read within 36 s",
        "38 s after the read",
        "of the read and the kill-switch",
        "more attempts were refused",
    ] {
        assert!(!text.contains(wrong), "{wrong}: {text}");
    }
}

/// The words left saying "read" for a refused first access (words 25): the integrity sentence,
/// flow 2's evidence, the alarm recommendation, the chart's caption and the honeytoken table.
#[test]
fn a_refused_first_access_is_no_read_in_the_integrity_chart_and_tables() {
    let dir = tempfile::tempdir().unwrap();
    let case = all_refused(dir.path());
    let doc = timeline_of(&case);
    let i = &doc["incidents"][0];
    assert_eq!(
        i["milestones"]["flow2_evidence"],
        "the kill-switch's first call after the attempt (upper bound: the rule fired before it), inside the minute starting 2026-11-20T14:02:00Z in which AWS/Events TriggeredRules > 0"
    );
    let alarm = i["recommendations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["action"].as_str().unwrap().starts_with("The alarm fired"))
        .expect("the alarm recommendation");
    assert!(
        alarm["action"]
            .as_str()
            .unwrap()
            .starts_with("The alarm fired 3 min 4.5 s after the attempt, at least 2 min 35.5 s after the rule (the rule's time is an upper bound)"),
        "{alarm}"
    );
    let text = report_text(dir.path(), &case);
    for said in [
        "INC-001: 2 of its 2 honeytoken call(s), 15 of its 20 record(s)",
        "from 60 minutes before its first honeytoken access to 60 minutes after the last of its honeytoken calls",
        "INC-001: honeytoken calls",
        "Calls to read the honeytoken's value: none returned it (each call's errorCode is on its row).",
    ] {
        assert!(text.contains(said), "{said}: {text}");
    }
    for wrong in [
        "honeytoken read(s)",
        "first call after the read",
        "after the read, 2 min",
        "before its first read",
        "INC-001: honeytoken reads",
        "Calls that read the honeytoken's value",
    ] {
        assert!(!text.contains(wrong), "{wrong}: {text}");
    }
}

/// The sample (its first access a read) keeps the read's words.
#[test]
fn a_first_access_that_read_keeps_the_read_words() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    let doc = timeline_of(&case);
    assert!(doc["incidents"][0]["milestones"]["flow2_evidence"]
        .as_str()
        .unwrap()
        .starts_with("the kill-switch's first call after the read (upper bound: "));
    let text = report_text(dir.path(), &case);
    for said in [
        "before its first read to 60 minutes after the last of its reads",
        "INC-001: honeytoken reads",
        "Calls that read the honeytoken's value, successful or denied.",
        "Impact. The actor obtained the decoy secret's value (one other attempt to read it was refused).",
    ] {
        assert!(text.contains(said), "{said}: {text}");
    }
}
