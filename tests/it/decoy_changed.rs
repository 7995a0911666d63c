//! Calls on a honeytoken that are not reads: OTRF's honey bucket records, where another AWS
//! account wrote the decoy object itself with `PutObject` three times, and a decoy secret whose
//! value was put and whose deletion was refused. They were timeline rows of kind "other" only;
//! the report never named them and NIST SC-26 said the decoy was "not shown drawing anyone". They
//! are now a `honeytoken_changed` finding (eventIDs, callers, outcomes as recorded), in the
//! summary, and SC-26 says the decoy drew them. No incident: none read the decoy.

use crate::support;

use serde_json::{json, Value};
use std::path::Path;
use support::*;

const WRITES: [&str; 3] = [
    "ead7f64c-3c11-4814-a449-58aafd314def",
    "96605dd7-971e-427c-86e3-8d6b86905b5b",
    "0933b559-6e8c-46ec-9bf1-dfd91155a9cb",
];

/// The timeline's JSON and the report's text (see the support function).
fn run(case: &Path, extra: &[&str]) -> (Value, String) {
    timeline_and_unverifiable_report(case, extra)
}

#[test]
fn another_account_overwriting_the_s3_decoy_is_a_finding_and_the_decoy_drew_it() {
    let case = repo().join("tests/data/s3-decoy/otrf-honeybucket.json.gz");
    let (doc, text) = run(
        &case,
        &["--honeytoken", "s3:microsoft-devtest/writeable_bucket.txt"],
    );
    assert_eq!(doc["incidents"], json!([]));
    let found = of_kind(&doc["findings"], "honeytoken_changed");
    assert_eq!(found.len(), 1, "{:#}", doc["findings"]);
    assert_eq!(found[0]["event_ids"], json!(WRITES));
    assert_eq!(found[0]["severity"], "high");
    let summary = found[0]["summary"].as_str().unwrap();
    assert!(summary.starts_with("3 call(s) on honeytoken microsoft-devtest/writeable_bucket.txt that are not reads, 3 of them with no error recorded: 960312529846 wrote it (replacing any object under its key) with s3:PutObject 3 times, at 2021-03-05T15:18:56Z (event ead7f64c-3c11-4814-a449-58aafd314def), 2021-03-18T23:18:46Z (event 96605dd7-971e-427c-86e3-8d6b86905b5b) and 2021-03-20T23:58:15Z (event 0933b559-6e8c-46ec-9bf1-dfd91155a9cb), no error recorded."), "{summary}");
    assert!(
        summary.contains("trailcase opens no incident for them (its incidents are reads)"),
        "{summary}"
    );

    assert!(
        text.contains(
            "Calls on a honeytoken that are not reads are in the evidence: the decoy drew them."
        ),
        "{text}"
    );
    assert!(text.contains("960312529846 wrote it"), "{text}");
    // Said once, after the calls of every honeytoken, not once per honeytoken.
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let summary = flat
        .split("are in the evidence: the decoy drew them.")
        .nth(1)
        .and_then(|s| s.split("Whether a detection alarm").next())
        .unwrap_or_default();
    assert_eq!(
        summary.matches("None returned the decoy's value").count(),
        1,
        "{summary}"
    );
    assert!(!text.contains("drawing anyone"), "{text}");
    assert!(text.contains("but calls on the decoy that are not reads are (writes, deletions or other changes: the \"The honeytoken changed\" finding): the decoy drew them"), "{text}");
}

/// A Secrets Manager call on the default honeytoken by `ops`.
fn secret_call(id: &str, name: &str, error: Option<&str>) -> Value {
    let mut r = json!({
        "eventVersion": "1.09",
        "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/ops",
                         "accountId": "111122223333", "accessKeyId": "AKIAEXAMPLEOPS00001"},
        "eventTime": "2026-03-10T09:00:00Z",
        "eventSource": "secretsmanager.amazonaws.com",
        "eventName": name,
        "awsRegion": "us-east-1",
        "sourceIPAddress": "198.51.100.7",
        "userAgent": "aws-cli/2.17.0",
        "requestParameters": {"secretId": "Production_Database_Credentials"},
        "responseElements": null,
        "eventID": id,
        "readOnly": false,
        "eventType": "AwsApiCall",
        "managementEvent": true,
        "eventCategory": "Management",
        "recipientAccountId": "111122223333"
    });
    if let Some(code) = error {
        r["errorCode"] = json!(code);
        r["errorMessage"] = json!("not authorized");
    }
    r
}

#[test]
fn a_decoy_secrets_value_put_and_its_deletion_refused_are_a_finding() {
    let case = tempfile::tempdir().unwrap();
    let records = [
        secret_call("s-put", "PutSecretValue", None),
        secret_call("s-del", "DeleteSecret", Some("AccessDenied")),
    ];
    std::fs::write(
        case.path().join("trail.json"),
        json!({ "Records": records }).to_string(),
    )
    .unwrap();
    let (doc, text) = run(case.path(), &[]);
    let found = of_kind(&doc["findings"], "honeytoken_changed");
    assert_eq!(found.len(), 1, "{:#}", doc["findings"]);
    let summary = found[0]["summary"].as_str().unwrap();
    assert!(summary.contains("arn:aws:iam::111122223333:user/ops put a new value into it with secretsmanager:PutSecretValue at 2026-03-10T09:00:00Z (event s-put), no error recorded"), "{summary}");
    assert!(summary.contains("arn:aws:iam::111122223333:user/ops tried secretsmanager:DeleteSecret on it at 2026-03-10T09:00:00Z (event s-del), refused: AccessDenied"), "{summary}");
    assert!(text.contains("put a new value into it"), "{text}");
    assert!(!text.contains("drawing anyone"), "{text}");
}

/// Every finding of `kind`, top-level and in the incidents.
fn all_of_kind<'d>(doc: &'d Value, kind: &str) -> Vec<&'d Value> {
    let mut out = of_kind(&doc["findings"], kind);
    for i in doc["incidents"].as_array().unwrap() {
        out.extend(of_kind(&i["findings"], kind));
    }
    out
}

/// A `PutSecretValue` and a `DeleteSecret` of the decoy secret were said twice: a
/// `pipeline_tampering` finding and a `honeytoken_changed` one. The decoy is the bait, not part
/// of the pipeline that detects its reads: each call is now said once, as a change to the
/// honeytoken, by an outsider and by the actor who read it alike.
#[test]
fn a_change_to_the_decoy_secret_is_said_once_as_a_honeytoken_change() {
    let mut read = secret_call("s-read", "GetSecretValue", None);
    read["readOnly"] = json!(true);
    read["userIdentity"]["arn"] = json!("arn:aws:iam::111122223333:user/intruder");
    read["userIdentity"]["accessKeyId"] = json!("AKIAEXAMPLEINTRUDER1");
    let mut actor_delete = read.clone();
    actor_delete["eventName"] = json!("DeleteSecret");
    actor_delete["eventID"] = json!("s-actor-del");
    actor_delete["readOnly"] = json!(false);
    actor_delete["eventTime"] = json!("2026-03-10T09:05:00Z");
    let records = [
        secret_call("s-put", "PutSecretValue", None),
        secret_call("s-del", "DeleteSecret", None),
        read,
        actor_delete,
    ];
    let case = tempfile::tempdir().unwrap();
    std::fs::write(
        case.path().join("trail.json"),
        json!({ "Records": records }).to_string(),
    )
    .unwrap();
    let t = trailcase(["timeline", "--quiet", case.path().to_str().unwrap()]);
    assert_eq!(t.code, 0, "{}", t.stderr);
    let doc = t.json();
    assert!(
        all_of_kind(&doc, "pipeline_tampering").is_empty(),
        "{:#}",
        doc["findings"]
    );
    let changed = all_of_kind(&doc, "honeytoken_changed");
    assert_eq!(changed.len(), 1, "{:#}", doc["findings"]);
    let mut ids: Vec<&str> = changed[0]["event_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    ids.sort_unstable();
    assert_eq!(ids, ["s-actor-del", "s-del", "s-put"]);
    assert_eq!(doc["incidents"].as_array().unwrap().len(), 1);
    for row in doc["timeline"].as_array().unwrap() {
        assert_ne!(row["kind"], "pipeline_change", "{row:#}");
    }
}

/// A decoy secret's value put, with no read of it: NIST DE.CM-03 said "no activity on the decoy
/// is in the 1 records examined" beside the `honeytoken_changed` finding, and DE.AE-02 said
/// nothing of it. Both now name the call by eventID.
#[test]
fn nist_de_cm03_and_de_ae02_tell_a_change_of_the_decoy() {
    let case = tempfile::tempdir().unwrap();
    std::fs::write(
        case.path().join("trail.json"),
        json!({ "Records": [secret_call("s-put", "PutSecretValue", None)] }).to_string(),
    )
    .unwrap();
    let (doc, text) = run(case.path(), &[]);
    assert_eq!(of_kind(&doc["findings"], "honeytoken_changed").len(), 1);
    assert!(!text.contains("no activity on the decoy"), "{text}");
    assert!(
        text.contains("No read of the decoy is in the 1 records examined, but activity on it, or possibly on it, was recorded: calls on it that are not reads (writes, deletions or other changes, or attempts at them: the \"The honeytoken changed\" finding; eventID s-put)."),
        "{text}"
    );
    assert!(
        text.contains("no actor's activity around one was analysed. Activity on the decoy, or possibly on it, is in the records, told as findings and not analysed as an incident: calls on it that are not reads"),
        "{text}"
    );
}

/// One decoy secret read (an incident) and another configured decoy secret's value put by
/// someone else (a `honeytoken_changed` finding, no incident): SC-26, IR-4, DE.CM-03 and
/// DE.AE-02 told only the read, as if nothing else had touched a decoy. Each now names the
/// change of the other decoy by eventID, as activity no incident holds.
#[test]
fn nist_rows_beside_a_read_name_a_change_of_another_decoy() {
    let case = tempfile::tempdir().unwrap();
    let mut read = secret_call("r-alice", "GetSecretValue", None);
    read["requestParameters"] = json!({"secretId": "DecoyA"});
    read["readOnly"] = json!(true);
    let mut put = secret_call("p-bob", "PutSecretValue", None);
    put["requestParameters"] = json!({"secretId": "DecoyB"});
    put["eventTime"] = json!("2026-03-10T10:00:00Z");
    std::fs::write(
        case.path().join("trail.json"),
        json!({ "Records": [read, put] }).to_string(),
    )
    .unwrap();
    let (doc, text) = run(
        case.path(),
        &[
            "--honeytoken",
            "secret:DecoyA",
            "--honeytoken",
            "secret:DecoyB",
        ],
    );
    assert_eq!(doc["incidents"].as_array().unwrap().len(), 1);
    assert_eq!(of_kind(&doc["findings"], "honeytoken_changed").len(), 1);
    let besides = "Activity on a honeytoken, or possibly on one, that opens no incident is in the records too, told as findings: calls on it that are not reads (writes, deletions or other changes, or attempts at them: the \"The honeytoken changed\" finding; eventID p-bob).";
    for row in [
        "A decoy secret no workload reads was read; no detection of the read (alarm transition, rule metric) is in the evidence.",
        "Principal activity on the decoy was recorded; no detection of it (alarm transition, rule metric) is in the evidence.",
    ] {
        assert!(text.contains(&format!("{row} {besides}")), "{row}: {text}");
    }
    assert!(
        text.contains(&format!("No successful containment call is in the evidence. {besides} No incident here handles them.")),
        "{text}"
    );
    assert!(
        text.contains("The actor's activity before and after the read is analysed in this report. Activity on a honeytoken, or possibly on one, that opens no incident is in the records too, told as findings and not analysed as an incident: calls on it that are not reads"),
        "{text}"
    );
}
