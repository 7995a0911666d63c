//! What the report says of containment when CloudTrail does not show it: the sample case with its
//! trail files removed keeps the kill-switch's published result and the LookupEvents pages of the
//! honeytoken reads. The kill-switch says it contained the actor, CloudTrail has none of its
//! calls: containment is "not confirmed", never "not contained" (nor "contained"), and the
//! kill-switch's steps are "not shown", not contradicted. On the whole sample, the role session
//! the block did not reach kept working by its own calls (not the user's), and the exposure is
//! said to run to its expiry. Without the alarm history (and the rule's evidence), the report
//! asks for the evidence instead of calling a path one that did not fire.

use crate::support;

use serde_json::Value;
use std::path::Path;
use support::*;

/// The sample without its trail files (and without the manifest that lists them).
fn without_trail(dir: &Path) -> std::path::PathBuf {
    let case = sample_to_alter(dir);
    std::fs::remove_dir_all(case.join("cloudtrail")).unwrap();
    case
}

#[test]
fn a_kill_switch_result_without_its_calls_in_cloudtrail_is_containment_not_confirmed() {
    let dir = tempfile::tempdir().unwrap();
    let case = without_trail(dir.path());
    let run = trailcase(["timeline", "--quiet", case.to_str().unwrap()]);
    assert!(run.code <= 1, "{}", run.stderr);
    let doc = run.json();
    let schema = read_json(&repo().join("schema/timeline.schema.json"));
    assert_eq!(schema_violations(&schema, &doc), Vec::<String>::new());
    let inc = &doc["incidents"][0];
    assert_eq!(inc["containment_status"], "unconfirmed");
    assert!(inc["unknowns"].as_array().unwrap().iter().any(|u| u
        .as_str()
        .unwrap()
        .starts_with("containment: the kill-switch reports the actor contained (run ")));
    let mismatch: Vec<&Value> = inc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "killswitch_mismatch")
        .collect();
    assert!(!mismatch.is_empty(), "{:#}", inc["findings"]);
    for f in mismatch {
        let s = f["summary"].as_str().unwrap();
        assert!(
            s.contains("do not match: CloudTrail does not show these steps"),
            "{s}"
        );
        assert!(!s.contains("disagree"), "{s}");
    }

    let (run, text) = report_words(&dir.path().join("r.pdf"), &[case.to_str().unwrap()]);
    assert!(run.code <= 1, "{}", run.stderr);
    assert!(text.contains("Containment not confirmed."), "{text}");
    assert!(!text.contains("Not contained."), "{text}");
    assert!(!text.contains("The actor's access was not cut"), "{text}");
    assert!(text.contains("Confirm the actor's access is cut"), "{text}");
    assert!(!text.contains("Cut the actor's access now"), "{text}");
    assert!(
        text.contains("CloudTrail shows no call of the configured kill-switch"),
        "the severity's basis keeps its capitals: {text}"
    );
    assert!(!text.contains("CloudTrail disagrees"), "{text}");
    assert!(
        !text.contains("Check what the actor did after containment"),
        "no containment is in the evidence: {text}"
    );
}

#[test]
fn a_live_credential_kept_working_only_when_its_own_calls_show_it() {
    let doc = trailcase(["timeline", "--quiet", "samples/incident-01"]).json();
    let live = &doc["incidents"][0]["live_credentials"][0];
    assert_eq!(live["access_key_id"], "ASIA4EXAMPLEAUDITSS5K");
    assert_eq!(
        live["last_success_after_containment"], "2026-11-20T14:09:00Z",
        "the role session's last call"
    );

    let dir = tempfile::tempdir().unwrap();
    let (run, text) = report_words(&dir.path().join("r.pdf"), &["samples/incident-01"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        text.contains("a temporary credential it had obtained before the block kept working (last success at 2026-11-20T14:09:00Z)"),
        "{text}"
    );
    assert!(
        text.contains("The temporary credential the containment did not reach was issued to expire at 2026-11-20T15:59:30Z, 1 h 57 min after the first read: how long the actor could have used it, not activity the evidence shows (the actor's last successful call is at 2026-11-20T14:09:00Z). Its access began before the read: the actor's first call in the evidence is at 2026-11-20T13:55:10Z."),
        "{text}"
    );
    assert!(!text.contains("The actor's access lasted"), "{text}");
    // Its look-ups are its own: not the honeytoken read, not the kms:Decrypt Secrets Manager
    // made for it, and not its sts:AssumeRole, which CloudTrail marks read-only but which is
    // a second way in (told as such), not a look around (11 read-only successes in all).
    assert_eq!(doc["incidents"][0]["impact"]["read_only_calls"], 11);
    assert_eq!(doc["incidents"][0]["impact"]["look_ups"], 8);
    assert!(
        text.contains("Besides, it looked around the account (8 successful look-ups)."),
        "{text}"
    );
    assert!(
        text.contains("A second way in. At 2026-11-20T13:59:30Z it switched into a role"),
        "{text}"
    );
}

/// The report of `args` written to `pdf`, and its text as one line of words (the PDF's line
/// wrapping undone).
fn report_words(pdf: &Path, args: &[&str]) -> (Run, String) {
    let run = report_pdf(pdf, args);
    let text = pdf_text(pdf)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (run, text)
}

fn recommendations(doc: &Value) -> Vec<&str> {
    doc["incidents"][0]["recommendations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["plain"].as_str().unwrap())
        .collect()
}

/// Without the alarm history, flow 1 cannot be judged: the evidence is to be collected, the
/// path is not "one that did not fire", and the NIST rows name the one flow the evidence shows.
/// Without rule metrics and kill-switch calls too, the same holds for flow 2.
#[test]
fn missing_detection_evidence_is_to_be_collected_not_a_path_that_did_not_fire() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    std::fs::remove_file(case.join("cloudwatch/alarm-history.json")).unwrap();
    let doc = trailcase(["timeline", "--quiet", case.to_str().unwrap()]).json();
    let plain = recommendations(&doc);
    assert!(
        plain.contains(&"Collect the missing detection evidence"),
        "{plain:?}"
    );
    assert!(
        !plain.contains(&"Repair a detection path that did not fire"),
        "{plain:?}"
    );
    let (run, text) = report_words(&dir.path().join("r.pdf"), &[case.to_str().unwrap()]);
    assert!(run.code <= 1);
    assert!(
        text.contains("Flow 2 reviewed the records automatically (the rule's metrics are in the evidence); no alarm transition shows flow 1 doing so."),
        "{text}"
    );
    assert!(!text.contains("Both flows reviewed"), "{text}");
    assert!(
        text.contains("AWS API activity is monitored by flow 2 (the rule's metrics are in the evidence); no alarm transition shows flow 1."),
        "{text}"
    );
    assert!(
        text.contains("CloudTrail and rule metrics are correlated per incident; no alarm transition is in the evidence."),
        "{text}"
    );
    assert!(
        text.contains("Not in the evidence at all, so not examined (what the case lacks, not what was damaged): alarm history (describe-alarm-history): when flow 1 fired is not known."),
        "{text}"
    );
    assert!(
        text.contains("The kill-switch published its result to SNS topic"),
        "{text}"
    );
    assert!(
        text.contains("No alarm SNS action is in the evidence."),
        "{text}"
    );

    // Nothing that would show flow 2 either: no rule metrics, and no trail (so no kill-switch
    // call).
    let case = without_trail(&dir.path().join("bare"));
    std::fs::remove_file(case.join("cloudwatch/metric-data.json")).unwrap();
    std::fs::remove_file(case.join("cloudwatch/alarm-history.json")).unwrap();
    let doc = trailcase(["timeline", "--quiet", case.to_str().unwrap()]).json();
    let plain = recommendations(&doc);
    assert_eq!(
        plain
            .iter()
            .filter(|p| **p == "Collect the missing detection evidence")
            .count(),
        2,
        "{plain:?}"
    );
    let (run, text) = report_words(&dir.path().join("bare.pdf"), &[case.to_str().unwrap()]);
    assert!(run.code <= 1);
    assert!(
        text.contains("Whether the EventBridge flow fired is not known"),
        "{text}"
    );
    assert!(!text.contains("and the read was detected"), "{text}");
    assert!(
        text.contains(
            "no detection of the read (alarm transition, rule metric) is in the evidence"
        ),
        "{text}"
    );
}

/// The sample with the kill-switch's own calls taken out of its trail file (as a trail that
/// does not log IAM's global events would hold it), the actor's calls kept: its refusals by an
/// explicit deny after the kill-switch's reported time are said, the block still not confirmed.
/// Take the kill-switch's six calls out of the sample's trail file.
fn without_the_kill_switch_calls(case: &Path) {
    let file = case.join("cloudtrail/AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/20/123456789012_CloudTrail_us-east-1_20261120T1407Z_4Rcw3da4KgGTTbiU.json.gz");
    let mut doc: Value =
        serde_json::from_slice(&crate::common::gunzip(&std::fs::read(&file).unwrap())).unwrap();
    let records = doc["Records"].as_array_mut().unwrap();
    let before = records.len();
    records.retain(|r| {
        !r["userIdentity"]["arn"]
            .as_str()
            .unwrap_or_default()
            .contains("HoneytokenKillSwitchRole")
    });
    assert_eq!(before - records.len(), 6, "the kill-switch's six calls");
    std::fs::write(&file, crate::common::gzip(doc.to_string().as_bytes())).unwrap();
}

/// Neither the kill-switch's calls nor its published result in the evidence, but the actor's
/// calls refused by an explicit deny in its own policies: the case said "Not contained.
/// Nothing in the evidence blocked the actor." Something did; the evidence does not say what.
#[test]
fn refusals_by_an_explicit_deny_with_no_containment_in_the_evidence_are_not_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    without_the_kill_switch_calls(&case);
    std::fs::remove_dir_all(case.join("notifications")).unwrap();
    let doc = timeline_of(&case);
    let inc = &doc["incidents"][0];
    assert_eq!(inc["containment_status"], "unconfirmed");
    assert_eq!(
        inc["milestones"]["first_denied_after_containment"],
        "2026-11-20T14:03:05Z"
    );
    let unknown = inc["unknowns"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|u| u.as_str())
        .find(|u| u.starts_with("containment: no containment call and no kill-switch report"))
        .expect("the unknown says what is missing");
    assert!(
        unknown.contains("(the first eventID 85a157a1-d87c-40ec-9c47-7bf1faabd1f2)"),
        "{unknown}"
    );
    let (run, text) = report_words(&dir.path().join("r.pdf"), &[case.to_str().unwrap()]);
    assert!(run.code <= 1, "{}", run.stderr);
    assert!(
        !text.contains("Nothing in the evidence blocked the actor"),
        "{text}"
    );
    assert!(
        text.contains("something blocked it that the evidence does not show"),
        "{text}"
    );
    assert!(text.contains("find the deny in its policies that refused its calls"));
}

#[test]
fn refusals_by_an_explicit_deny_after_the_reported_block_are_said_not_taken_for_it() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    without_the_kill_switch_calls(&case);
    let doc = timeline_of(&case);
    let inc = &doc["incidents"][0];
    assert_eq!(inc["containment_status"], "unconfirmed");
    assert_eq!(
        inc["milestones"]["first_denied_after_containment"],
        "2026-11-20T14:03:05Z"
    );
    let unknown = inc["unknowns"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|u| u.as_str())
        .find(|u| u.starts_with("containment: the kill-switch reports"))
        .unwrap();
    assert!(
        unknown.contains(
            "3 of the actor's calls were refused by an explicit deny in an identity-based policy"
        ),
        "{unknown}"
    );
    assert!(
        unknown.contains("eventID 85a157a1-d87c-40ec-9c47-7bf1faabd1f2"),
        "{unknown}"
    );

    let (run, text) = report_words(&dir.path().join("r.pdf"), &[case.to_str().unwrap()]);
    assert!(run.code <= 1, "{}", run.stderr);
    assert!(text.contains("Containment not confirmed."), "{text}");
    assert!(
        text.contains("from 2026-11-20T14:03:05Z CloudTrail shows the actor's calls refused by an explicit deny in its own policies"),
        "{text}"
    );
    assert!(
        text.contains("The block is likely, not confirmed"),
        "{text}"
    );
}

/// The sample with three of the actor's calls made with a second access key the kill-switch
/// never touched: each key is described by what the evidence shows for it. The deactivated key
/// is to be deleted (its UpdateAccessKey cited); the other is still active as far as the
/// evidence shows, to be deactivated first (its own calls cited), and nothing says it was
/// deactivated.
#[test]
fn a_second_access_key_no_call_deactivated_is_not_said_deactivated() {
    const SECOND: &str = "AKIA4EXAMPLESECOND2K";
    const IDS: [&str; 3] = [
        "86a04933-2f31-4a0c-9fe6-5dc165d31e8b",
        "a8baa320-f773-4cdf-bbe0-f5f1e875e5d6",
        "b1de443c-f11f-4312-9593-89eb9b69ebc3",
    ];
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    let changed = alter_records(&case, |r| {
        if IDS.iter().any(|id| r["eventID"] == *id) {
            r["userIdentity"]["accessKeyId"] = SECOND.into();
        }
        true
    });
    assert_eq!(changed, 3);

    let run = trailcase(["timeline", "--quiet", case.to_str().unwrap()]);
    assert!(run.code <= 1, "{}", run.stderr);
    let doc = run.json();
    let schema = read_json(&repo().join("schema/timeline.schema.json"));
    assert_eq!(schema_violations(&schema, &doc), Vec::<String>::new());
    let inc = &doc["incidents"][0];
    let deactivation = inc["containment"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == "access_key_deactivated")
        .unwrap();
    assert_eq!(deactivation["access_key_id"], "AKIA4EXAMPLESVCREPT7Q");
    let steps = inc["eradication"].as_array().unwrap();
    let step = |start: &str| {
        steps
            .iter()
            .find(|s| s["action"].as_str().unwrap().starts_with(start))
            .unwrap_or_else(|| panic!("no step {start}: {steps:#?}"))
    };
    let delete = step("Delete the deactivated access key(s) AKIA4EXAMPLESVCREPT7Q of");
    assert_eq!(
        delete["event_ids"][0],
        "431b89ec-1677-42be-b50a-2509c66de27e"
    );
    assert!(!delete["action"].as_str().unwrap().contains(SECOND));
    let active = step("Deactivate, then delete, access key(s) AKIA4EXAMPLESECOND2K of");
    assert_eq!(active["priority"], "immediate");
    assert!(
        active["reason"]
            .as_str()
            .unwrap()
            .contains("still active as far as the evidence shows"),
        "{active:#}"
    );
    assert!(
        active["event_ids"]
            .as_array()
            .unwrap()
            .iter()
            .all(|id| IDS.iter().any(|x| id == *x)),
        "the second key's own calls: {active:#}"
    );

    let (run, text) = report_words(&dir.path().join("r.pdf"), &[case.to_str().unwrap()]);
    assert!(run.code <= 1, "{}", run.stderr);
    assert!(
        text.contains("Why: the kill-switch deactivated AKIA4EXAMPLESVCREPT7Q (eventID 431b89ec-1677-42be-b50a-2509c66de27e)"),
        "{text}"
    );
    assert!(
        !text.contains("Delete the deactivated access key(s) AKIA4EXAMPLESECOND2K"),
        "{text}"
    );
    assert!(
        text.contains("Deactivate the access key the evidence shows still active"),
        "the summary's next action: {text}"
    );
    assert!(
        !text.contains("Replace IAM user svc-reporting's access key."),
        "not one key: {text}"
    );
    // AC-2's narrow cell breaks the keys across lines: compare without spaces.
    let joined = text.replace(' ', "");
    assert!(
        joined.contains("accesskeyAKIA4EXAMPLESVCREPT7Qdeactivated;accesskey(s)AKIA4EXAMPLESECOND2Knotdeactivatedintheevidence"),
        "AC-2: {joined}"
    );
}

/// The sample with the actor's four calls after containment refused (the role session's three
/// and the user's one that got through IAM's propagation): the role session the block did not
/// reach stayed valid, but no call with it succeeded; its refused attempts are counted and the
/// first cited, never "no use of it".
#[test]
fn refused_attempts_with_a_live_session_are_said_not_no_use() {
    const REFUSED: [&str; 4] = [
        "2518d29e-ee63-4c07-95f3-410e62aea7a0",
        "351cbd41-51c8-4692-9612-d92e69d09a13",
        "6549dea5-26d7-4f75-ae9c-f56cdb6d268a",
        "f1274bbc-977e-4f9f-a47d-eb56a6664e70",
    ];
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    let changed = alter_records(&case, |r| {
        if REFUSED.iter().any(|id| r["eventID"] == *id) {
            r["errorCode"] = "AccessDenied".into();
            r["errorMessage"] = "not authorized with an explicit deny".into();
            r["responseElements"] = Value::Null;
        }
        true
    });
    assert_eq!(changed, 4);

    let run = trailcase(["timeline", "--quiet", case.to_str().unwrap()]);
    assert!(run.code <= 1, "{}", run.stderr);
    let doc = run.json();
    let schema = read_json(&repo().join("schema/timeline.schema.json"));
    assert_eq!(schema_violations(&schema, &doc), Vec::<String>::new());
    let inc = &doc["incidents"][0];
    let live = &inc["live_credentials"][0];
    assert_eq!(live["last_success_after_containment"], Value::Null);
    assert_eq!(live["refused_after_containment"], 3);
    assert_eq!(live["first_refused_after_containment"], REFUSED[0]);
    let uncovered = inc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "uncovered_session")
        .unwrap();
    let summary = uncovered["summary"].as_str().unwrap();
    assert!(
        summary.contains("no call with it succeeded after containment: 3 attempt(s) were refused (first: eventID 2518d29e-ee63-4c07-95f3-410e62aea7a0)"),
        "{summary}"
    );
    assert!(!summary.contains("no use"), "{summary}");
    assert!(
        uncovered["event_ids"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e == REFUSED[0]),
        "{uncovered:#}"
    );

    let (run, text) = report_words(&dir.path().join("r.pdf"), &[case.to_str().unwrap()]);
    assert!(run.code <= 1, "{}", run.stderr);
    assert!(
        text.contains("a temporary credential it had obtained before the block stayed valid; no call with it succeeded after the block, and 3 attempt(s) with it were refused (the first: eventID 2518d29e-ee63-4c07-95f3-410e62aea7a0)"),
        "{text}"
    );
    assert!(!text.contains("no use of it after the block"), "{text}");
    assert!(!text.contains("no use after containment"), "{text}");
    assert!(
        text.contains("how long the actor could have used it, not activity the evidence shows"),
        "{text}"
    );
}

/// On the unaltered sample (partially contained: a role session the block did not reach kept
/// working), the kill-switch's last call is labelled as what it is, not as the actor contained;
/// and the alarm's action is a publish to its SNS topic (the alarm history's "Succeeded"), not
/// a notification the responders are known to have received.
#[test]
fn the_kill_switchs_calls_and_the_alarms_publish_are_said_as_what_happened() {
    let dir = tempfile::tempdir().unwrap();
    let (run, text) = report_words(&dir.path().join("r.pdf"), &["samples/incident-01"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(text.contains("Status: partially contained."), "{text}");
    for label in [
        "Kill-switch's containment calls complete 2026-11-20T14:02:48Z",
        "Flow 2: kill-switch's containment calls complete 31.0 T+00:31",
    ] {
        assert!(text.contains(label), "{label}: {text}");
    }
    for claim in [
        "Containment complete",
        "kill-switch contained the actor",
        "notified the responders",
    ] {
        assert!(!text.contains(claim), "{claim}: {text}");
    }
    assert!(
        text.contains("the log-based alarm fired 3 min 4.5 s after the read and published to SNS topic honeytoken-alarm-email."),
        "{text}"
    );

    let (t, _) = model(&[&repo().join("samples/incident-01")]);
    let rows = trailcase::report::content::nist::rows(
        &t,
        &trailcase::report::content::IntegrityStatement::default(),
    );
    for id in ["IR-6", "RS.CO-02"] {
        let r = rows.iter().find(|r| r.id == id).unwrap();
        assert!(
            r.statement.starts_with("The alarm's action published to SNS topic arn:aws:sns:us-east-1:123456789012:honeytoken-alarm-email (the alarm history records it executed); the kill-switch published its result to SNS topic arn:aws:sns:us-east-1:123456789012:honeytoken-killswitch-results"),
            "{id}: {}",
            r.statement
        );
        assert!(
            r.statement
                .contains("That the alarm's message reached the responders is not in the evidence (no delivery record)."),
            "{id}: {}",
            r.statement
        );
        // A message delivered to a subscriber is not a person informed: said not examined.
        assert!(
            r.statement.ends_with("Whether a person read a notification, and whether the incident was reported to the incident response capability or outside it, is not examined: no such record is in the evidence."),
            "{id}: {}",
            r.statement
        );
    }
}

/// The lesson on calls that succeeded after containment says what AWS documents (IAM changes
/// become visible after a delay) and what a deactivated key does, naming whether the evidence
/// shows one; it promises no speed ("closes the gap sooner") and no exposure it cannot source.
#[test]
fn the_lesson_on_calls_after_containment_rests_on_what_aws_documents() {
    let dir = tempfile::tempdir().unwrap();
    let (run, text) = report_words(&dir.path().join("r.pdf"), &["samples/incident-01"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        text.contains("Calls after containment. 1 call(s) succeeded after the kill-switch's first call to cut the actor's access"),
        "{text}"
    );
    assert!(
        text.contains(
            "(IAM User Guide, \"Changes that I make are not always immediately visible\")"
        ),
        "{text}"
    );
    assert!(
        text.contains("The kill-switch also deactivated the access key"),
        "the sample's kill-switch deactivates the key: {text}"
    );
    for unsourced in [
        "closes the gap sooner",
        "IAM propagation",
        "a few seconds of exposure",
    ] {
        assert!(!text.contains(unsourced), "{unsourced}: {text}");
    }

    // Without the kill-switch's UpdateAccessKey, the lesson says no deactivation is in the
    // evidence and what one would refuse.
    let case = sample_to_alter(dir.path());
    let dropped = alter_records(&case, |r| r["eventName"] != "UpdateAccessKey");
    assert!(dropped > 0);
    let (_, text) = report_words(&dir.path().join("no-key.pdf"), &[case.to_str().unwrap()]);
    assert!(
        text.contains("No deactivation of the actor's access key is in this evidence: deactivating it as well refuses calls signed with it whatever the policies say, including calls no policy can deny (AWS STS GetCallerIdentity needs no permission)."),
        "{text}"
    );
}
