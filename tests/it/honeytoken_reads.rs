//! Honeytoken reads through every read API (issue 14, "Honeytoken reads"): a path that covers a
//! honeytoken parameter, a batch of secrets by list or by filters (one read, however many
//! per-secret entries AWS writes for it), and the service's `kms:Decrypt` of the value, which
//! bears out the read and, alone, says a read's record may be missing.
//!
//! Records: AWS's own examples and real captures from `tests/data/shared` (see its SOURCES.md),
//! and records built from them as AWS documents the APIs (see tests/data/SOURCES.md,
//! "honeytoken_reads.rs").

use crate::support;

use serde_json::{json, Value};

use support::honeytoken_calls::secret_read;
use support::*;

const SM_DOCS: &str = "cloudtrail/awsdocs-secrets-manager-user-guide";
const STRATUS: &str = "cloudtrail/stratus-red-team";

fn shared(path: &str) -> Value {
    read_json(&shared_data().join(path))
}

fn records(v: Value) -> Vec<Value> {
    match v {
        Value::Array(a) => a,
        one => vec![one],
    }
}

fn case(records: &[Value], honeytoken: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let body = json!({ "Records": records }).to_string();
    std::fs::write(dir.path().join("trail.json"), body).unwrap();
    let run = trailcase([
        "timeline",
        "--quiet",
        "--honeytoken",
        honeytoken,
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    let schema = read_json(&repo().join("schema/timeline.schema.json"));
    let bad = support::schema::schema_violations(&schema, &doc);
    assert!(bad.is_empty(), "{bad:?}");
    doc
}

fn incidents(doc: &Value) -> &Vec<Value> {
    doc["incidents"].as_array().unwrap()
}

fn with(mut record: Value, changes: Value) -> Value {
    for (k, v) in changes.as_object().unwrap() {
        record[k] = v.clone();
    }
    record
}

/// The caller of AWS's Decrypt example (Secrets Manager User Guide, security-encryption.md).
fn doc_decrypt() -> Value {
    shared(&format!(
        "{SM_DOCS}/security-encryption-c3b51ccd07-L229-Decrypt.json"
    ))
}

/// The GetSecretValue call the Decrypt example served: AWS's GetSecretValue example
/// (vpc-endpoint-overview.md) made by the Decrypt example's caller, at its time, for its secret.
fn read_for_doc_decrypt() -> Value {
    let decrypt = doc_decrypt();
    let mut identity = decrypt["userIdentity"].clone();
    identity.as_object_mut().unwrap().remove("invokedBy");
    with(
        shared(&format!(
            "{SM_DOCS}/vpc-endpoint-overview-d933544d48-L162-GetSecretValue.json"
        )),
        json!({
            "userIdentity": identity,
            "eventTime": decrypt["eventTime"],
            "awsRegion": "us-east-2",
            "requestParameters": {"secretId": "test-secret"},
        }),
    )
}

#[test]
fn service_decrypt_of_the_honeytoken_corroborates_the_read_and_alone_is_a_finding() {
    let decrypt = doc_decrypt();
    let read = read_for_doc_decrypt();
    let doc = case(&[read.clone(), decrypt.clone()], "secret:test-secret");
    let inc = incidents(&doc);
    assert_eq!(inc.len(), 1, "{doc}");
    assert_eq!(inc[0]["access_event_ids"], json!([read["eventID"]]));
    assert_eq!(
        inc[0]["corroboration"],
        json!([{"read_event_id": read["eventID"], "kind": "kms_decrypt",
                "event_id": "f333ec5c-7fc1-46b1-b985-cbda13719611"}])
    );
    assert!(!doc["findings"].to_string().contains("decrypt_without_read"));

    // The read's record is missing: the Decrypt alone says a read happened.
    let doc = case(&[decrypt], "secret:test-secret");
    assert!(incidents(&doc).is_empty());
    let found: Vec<&Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "decrypt_without_read")
        .collect();
    assert_eq!(found.len(), 1, "{}", doc["findings"]);
    assert_eq!(
        found[0]["event_ids"],
        json!(["f333ec5c-7fc1-46b1-b985-cbda13719611"])
    );
    let summary = found[0]["summary"].as_str().unwrap();
    assert!(summary.contains("test-secret"), "{summary}");
    assert!(summary.contains("may be missing"), "{summary}");
    // The report's summary does not call it an all-clear.
    let dir = tempfile::tempdir().unwrap();
    let body = json!({ "Records": [doc_decrypt()] }).to_string();
    std::fs::write(dir.path().join("trail.json"), body).unwrap();
    let out = tempfile::tempdir().unwrap();
    let pdf = out.path().join("r.pdf");
    let run = report_pdf(
        &pdf,
        &[
            "--honeytoken",
            "secret:test-secret",
            dir.path().to_str().unwrap(),
        ],
    );
    assert!(run.code <= 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(!text.contains("No honeytoken was read"), "{text}");
    assert!(
        text.contains("No read call of a honeytoken is in the evidence examined, but KMS records show a honeytoken's value decrypted for a caller."),
        "{text}"
    );

    // A Decrypt of another secret is nobody's business here.
    let other = with(
        doc_decrypt(),
        json!({"requestParameters": {"encryptionContext": {
            "SecretARN": "arn:aws:secretsmanager:us-east-2:111122223333:secret:other-secret-a1b2c3"}}}),
    );
    let doc = case(&[other], "secret:test-secret");
    assert!(!doc["findings"].to_string().contains("decrypt_without_read"));
}

/// A Decrypt of the honeytoken with no read of it, beside a GetSecretValue whose record names no
/// secret (requestParameters null): the executive summary told the Decrypt and left the
/// `unnamed_read` finding out; SC-26 said "no read or change of it is in the 2 records
/// examined". Both now say the read names nothing, so whether it read the decoy is unknown.
#[test]
fn a_decrypt_without_read_beside_a_read_naming_no_secret_tells_both() {
    let unnamed = with(
        read_for_doc_decrypt(),
        json!({"requestParameters": null, "eventID": "unnamed-read-1"}),
    );
    let dir = tempfile::tempdir().unwrap();
    let body = json!({ "Records": [doc_decrypt(), unnamed] }).to_string();
    std::fs::write(dir.path().join("trail.json"), body).unwrap();
    let (doc, text) =
        timeline_and_unverifiable_report(dir.path(), &["--honeytoken", "secret:test-secret"]);
    assert_eq!(of_kind(&doc["findings"], "unnamed_read").len(), 1, "{doc}");
    assert_eq!(of_kind(&doc["findings"], "decrypt_without_read").len(), 1);
    assert!(
        text.contains("so the read's record may be missing; and 1 secretsmanager:GetSecretValue record names no resource (CloudTrail recorded no requestParameters), successful, at "),
        "{text}"
    );
    assert!(!text.contains("no read or change of it is in"), "{text}");
    assert!(
        text.contains("the unnamed_read finding says which; eventID unnamed-read-1 cited): whether one of them read the decoy is unknown."),
        "{text}"
    );
    assert!(
        text.contains("whether it read a honeytoken is not known (eventID unnamed-read-1)"),
        "{text}"
    );
}

/// Reads naming no resource are counted in words that fit their number: two are cited by
/// eventID in the summary; beyond three, the finding cites them (up to 20) (the summary said "the first 1
/// cited" of one read, and cited none of them itself).
#[test]
fn reads_naming_no_secret_are_told_by_their_number() {
    let unnamed = |n: usize| {
        with(
            read_for_doc_decrypt(),
            json!({"requestParameters": null, "eventID": format!("unnamed-read-{n}")}),
        )
    };
    let summary = |records: Vec<Value>| {
        let dir = tempfile::tempdir().unwrap();
        let body = json!({ "Records": records }).to_string();
        std::fs::write(dir.path().join("trail.json"), body).unwrap();
        let run = trailcase([
            "timeline",
            dir.path().to_str().unwrap(),
            "--honeytoken",
            "secret:test-secret",
        ]);
        let doc = run.json();
        let found = of_kind(&doc["findings"], "unnamed_read");
        assert_eq!(found.len(), 1, "{doc}");
        found[0]["summary"].as_str().unwrap().to_string()
    };
    let two = summary((1..=2).map(unnamed).collect());
    assert!(
        two.starts_with("2 secretsmanager:GetSecretValue records name no resource (CloudTrail recorded no requestParameters), 2 of them successful, from "),
        "{two}"
    );
    assert!(
        two.ends_with(
            "whether they read a honeytoken is not known (eventID unnamed-read-1, unnamed-read-2)"
        ),
        "{two}"
    );
    let five = summary((1..=5).map(unnamed).collect());
    assert!(
        five.ends_with(
            "whether they read a honeytoken is not known (the unnamed_read finding cites each)"
        ),
        "{five}"
    );
}

/// The first BatchGetSecretValue of the Stratus Red Team capture (by filters, as captured).
fn stratus_batches() -> Vec<Value> {
    records(shared(&format!(
        "{STRATUS}/aws.credential-access.secretsmanager-batch-retrieve-secrets.json"
    )))
}

/// AWS's per-secret GetSecretValue entry of a batch: the batch's caller, time and region, the
/// secret it returned.
fn batch_entry(batch: &Value, id: &str, secret: &str) -> Value {
    with(
        batch.clone(),
        json!({"eventID": id, "eventName": "GetSecretValue",
               "requestParameters": {"secretId": secret}}),
    )
}

#[test]
fn batch_read_by_list_and_its_per_secret_entries_count_as_one_read() {
    let batch = with(
        stratus_batches()[0].clone(),
        json!({"requestParameters": {"secretIdList":
            ["prod/orders/api-key", "Production_Database_Credentials"]}}),
    );
    let entry = batch_entry(
        &batch,
        "0e57a7e1-0000-4000-8000-00000000e001",
        "Production_Database_Credentials",
    );
    let other = batch_entry(
        &batch,
        "0e57a7e1-0000-4000-8000-00000000e002",
        "prod/orders/api-key",
    );
    let doc = case(
        &[batch.clone(), entry.clone(), other],
        "secret:Production_Database_Credentials",
    );
    let inc = incidents(&doc);
    assert_eq!(inc.len(), 1, "{doc}");
    assert_eq!(inc[0]["access_event_ids"], json!([batch["eventID"]]));
    assert_eq!(inc[0]["access_records"].as_array().unwrap().len(), 1);
    assert_eq!(
        inc[0]["corroboration"],
        json!([{"read_event_id": batch["eventID"], "kind": "batch_entry",
                "event_id": entry["eventID"]}])
    );
}

/// A batch succeeds as a whole; AWS's per-secret entry for the honeytoken says it was refused:
/// the batch did not return the value. The refused entry is the read (not a value returned),
/// tied to its batch; an entry that succeeded is folded into its batch as before.
#[test]
fn a_batch_whose_entry_for_the_honeytoken_was_refused_did_not_return_it() {
    let batch = with(
        stratus_batches()[0].clone(),
        json!({"requestParameters": {"secretIdList":
            ["prod/orders/api-key", "Production_Database_Credentials"]}}),
    );
    let refused = with(
        batch_entry(
            &batch,
            "0e57a7e1-0000-4000-8000-00000000e004",
            "Production_Database_Credentials",
        ),
        json!({"errorCode": "AccessDenied",
               "errorMessage": "User is not authorized to perform: secretsmanager:GetSecretValue"}),
    );
    let other = batch_entry(
        &batch,
        "0e57a7e1-0000-4000-8000-00000000e005",
        "prod/orders/api-key",
    );
    let doc = case(
        &[batch.clone(), refused.clone(), other],
        "secret:Production_Database_Credentials",
    );
    let inc = incidents(&doc);
    assert_eq!(inc.len(), 1, "{doc}");
    assert_eq!(inc[0]["access_event_ids"], json!([refused["eventID"]]));
    assert_eq!(inc[0]["impact"]["reads_succeeded"], 0, "{:#}", inc[0]);
    assert_eq!(
        inc[0]["corroboration"],
        json!([{"read_event_id": refused["eventID"], "kind": "batch",
                "event_id": batch["eventID"]}])
    );
    assert_eq!(
        inc[0]["severity_basis"],
        "the one attempt to read the honeytoken was refused: its value was not returned"
    );
}

#[test]
fn batch_read_by_filters_is_read_through_its_per_secret_entry_once() {
    let batches = stratus_batches();
    // Alone, a read by filters names no secret: it is not known to cover the honeytoken.
    let doc = case(&batches, "secret:Production_Database_Credentials");
    assert!(incidents(&doc).is_empty(), "{doc}");

    // AWS's per-secret entry shows it did: one read, tied to the nearest batch of its caller.
    let entry = batch_entry(
        &batches[0],
        "0e57a7e1-0000-4000-8000-00000000e003",
        "arn:aws:secretsmanager:eu-westwest-1r:165109126369:secret:Production_Database_Credentials-AbCdEf",
    );
    let mut all = batches.clone();
    all.push(entry.clone());
    let doc = case(&all, "secret:Production_Database_Credentials");
    let inc = incidents(&doc);
    assert_eq!(inc.len(), 1, "{doc}");
    assert_eq!(inc[0]["access_event_ids"], json!([entry["eventID"]]));
    assert_eq!(
        inc[0]["corroboration"],
        json!([{"read_event_id": entry["eventID"], "kind": "batch",
                "event_id": "61619dbf-c10b-471e-9d78-8199a2f8233a"}])
    );
}

/// The GetParameters record of the Stratus Red Team capture (a list of names, as captured).
fn stratus_get_parameters() -> Value {
    records(shared(&format!(
        "{STRATUS}/aws.credential-access.ssm-retrieve-securestring-parameters.json"
    )))
    .into_iter()
    .find(|r| r["eventName"] == "GetParameters")
    .unwrap()
}

/// GetParametersByPath by the same caller, its request as the API reference documents it.
fn by_path(path: &str, recursive: Option<bool>, n: u32) -> Value {
    let mut req = json!({"path": path, "withDecryption": true});
    if let Some(r) = recursive {
        req["recursive"] = json!(r);
    }
    let mut r = with(
        stratus_get_parameters(),
        json!({"eventName": "GetParametersByPath", "requestParameters": req,
               "eventID": format!("0e57a7e1-0000-4000-8000-0000000000{n:02}")}),
    );
    r.as_object_mut().unwrap().remove("resources");
    r
}

const PARAMETER: &str = "ssm:/credentials/stratus-red-team/credentials-1";

#[test]
fn parameters_read_by_a_path_that_covers_the_honeytoken_are_reads_of_it() {
    let names = stratus_get_parameters();
    let doc = case(std::slice::from_ref(&names), PARAMETER);
    assert_eq!(incidents(&doc).len(), 1, "GetParameters by a list of names");

    for (path, recursive, covers) in [
        ("/credentials/stratus-red-team", None, true),
        ("/credentials/stratus-red-team/", Some(false), true),
        ("/credentials", Some(false), false),
        ("/credentials", Some(true), true),
        ("/", Some(true), true),
        ("/credentials/other", Some(true), false),
    ] {
        let read = by_path(path, recursive, 1);
        let doc = case(std::slice::from_ref(&read), PARAMETER);
        let inc = incidents(&doc);
        assert_eq!(
            inc.len(),
            usize::from(covers),
            "{path} {recursive:?}: {doc}"
        );
        if covers {
            assert_eq!(inc[0]["access_event_ids"], json!([read["eventID"]]));
        }
    }
}

#[test]
fn parameter_store_decrypt_corroborates_a_read_by_path() {
    let read = by_path("/credentials", Some(true), 2);
    let mut identity = read["userIdentity"].clone();
    identity["invokedBy"] = json!("ssm.amazonaws.com");
    // The KMS Developer Guide's Decrypt example, as Parameter Store calls it for a SecureString.
    let decrypt = json!({
        "eventVersion": "1.11", "userIdentity": identity, "eventTime": read["eventTime"],
        "eventSource": "kms.amazonaws.com", "eventName": "Decrypt",
        "awsRegion": read["awsRegion"], "sourceIPAddress": "ssm.amazonaws.com",
        "userAgent": "ssm.amazonaws.com",
        "requestParameters": {"encryptionAlgorithm": "SYMMETRIC_DEFAULT",
            "encryptionContext": {"PARAMETER_ARN":
                "arn:aws:ssm:cn-west-3r:933175858973:parameter/credentials/stratus-red-team/credentials-1"}},
        "responseElements": null, "requestID": "0e57a7e1-0000-4000-8000-0000000000d1",
        "eventID": "0e57a7e1-0000-4000-8000-0000000000d2", "readOnly": true,
        "eventType": "AwsApiCall", "managementEvent": true,
        "recipientAccountId": "933175858973"
    });
    let doc = case(&[read.clone(), decrypt], PARAMETER);
    let inc = incidents(&doc);
    assert_eq!(inc.len(), 1, "{doc}");
    assert_eq!(
        inc[0]["corroboration"],
        json!([{"read_event_id": read["eventID"], "kind": "kms_decrypt",
                "event_id": "0e57a7e1-0000-4000-8000-0000000000d2"}])
    );
}

/// Actors whose records name no ARN, principal id or access key: an Identity Center user acting
/// through a service (CloudTrail's `IdentityCenterUser`, with `onBehalfOf`), a caller of
/// another account, an AWS service. The incident lost the actor's type and indicators (its own
/// read was no record of it), and with two calls from its address the actor was listed as
/// "another principal at the actor's address". The step to cut its access names what applies
/// (no IAM policy reaches an Identity Center user or another account's principal).
#[test]
fn an_actor_with_no_arn_or_key_keeps_its_records_indicators_and_a_step_that_applies() {
    let read = read_for_doc_decrypt();
    let idc = json!({"type": "IdentityCenterUser", "accountId": "123456789012",
        "onBehalfOf": {"userId": "544894e8-80c1-707f-60e3-3ba6510dfac1",
            "identityStoreArn": "arn:aws:identitystore::123456789012:identitystore/d-9067642ac7"},
        "credentialId": "EXAMPLEVHULjJdTUdPJfofVa1sufHDoj7aYcOYcxFVllWR_Whr1fEXAMPLE"});
    let first = with(
        read.clone(),
        json!({"userIdentity": idc, "sourceIPAddress": "203.0.113.45",
               "eventID": "0e57a7e1-0000-4000-8000-0000000000c1",
               "requestParameters": {"secretId": "Production_Database_Credentials"}}),
    );
    let list = with(
        first.clone(),
        json!({"eventID": "0e57a7e1-0000-4000-8000-0000000000c2", "eventName": "ListSecrets",
               "requestParameters": null}),
    );
    let doc = case(&[first, list], "secret:Production_Database_Credentials");
    let inc = &incidents(&doc)[0];
    assert_eq!(inc["actor"]["type"], "IdentityCenterUser");
    assert_eq!(inc["actor"]["source_ips"], json!(["203.0.113.45"]));
    assert!(inc["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["kind"] == "source_ip" && i["value"] == "203.0.113.45"));
    for row in doc["timeline"].as_array().unwrap() {
        assert_eq!(row["incidents"], json!(["INC-001"]), "{row}");
    }
    assert_eq!(
        inc["same_address"]["principals"],
        json!([]),
        "the actor is not its own neighbour"
    );
    let step = inc["eradication"][0]["action"].as_str().unwrap();
    assert!(
        step.contains("disable the user in IAM Identity Center"),
        "{step}"
    );

    let other = with(
        read,
        json!({"userIdentity": {"type": "AWSAccount", "principalId": "AIDAEXTERNAL:mallory",
                                "accountId": "999988887777"},
               "requestParameters": {"secretId": "Production_Database_Credentials"}}),
    );
    let doc = case(&[other], "secret:Production_Database_Credentials");
    let step = incidents(&doc)[0]["eradication"][0]["action"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(step.contains("(account 999988887777)"), "{step}");
    assert!(!step.contains("deny-all policy"), "{step}");
}

/// A cross-account read is delivered to both accounts involved (an organization trail holds
/// both): each delivery has its own eventID and the same `sharedEventID`. It was two successful
/// reads, and the second delivery a look-up of its own; it is one read, the other delivery tied
/// to it.
#[test]
fn a_cross_account_read_delivered_to_both_accounts_is_one_read() {
    let arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:Production_Database_Credentials-Xy12Ab";
    let caller = json!({"type": "AssumedRole", "principalId": "AROAXXX:bob",
        "arn": "arn:aws:sts::999988887777:assumed-role/Attacker/bob",
        "accountId": "999988887777", "accessKeyId": "ASIAXACCT1"});
    let owner = with(
        read_for_doc_decrypt(),
        json!({"userIdentity": caller, "requestParameters": {"secretId": arn},
               "recipientAccountId": "123456789012",
               "sharedEventID": "5e5e5e5e-0000-4000-8000-000000000001",
               "eventID": "aaaaaaaa-0000-4000-8000-000000000001"}),
    );
    let callers = with(
        owner.clone(),
        json!({"recipientAccountId": "999988887777",
               "eventID": "bbbbbbbb-0000-4000-8000-000000000002"}),
    );
    let doc = case(&[owner, callers], "secret:Production_Database_Credentials");
    let inc = &incidents(&doc)[0];
    assert_eq!(
        inc["access_event_ids"],
        json!(["aaaaaaaa-0000-4000-8000-000000000001"])
    );
    assert_eq!(inc["impact"]["reads_succeeded"], 1);
    assert_eq!(inc["impact"]["look_ups"], 0, "{:#}", inc["impact"]);
    assert_eq!(
        inc["corroboration"],
        json!([{"read_event_id": "aaaaaaaa-0000-4000-8000-000000000001",
                "kind": "shared_event",
                "event_id": "bbbbbbbb-0000-4000-8000-000000000002"}])
    );
}

/// Any call that involves two accounts is delivered to both, not only a read: a cross-account
/// `AssumeRole` as AWS's IAM User Guide shows its two deliveries (the role owner's with the
/// caller's full identity, the other naming the caller as an `AWSAccount` by principal id; the
/// guide's two examples share one eventID, which AWS gives each delivery on its own). Both
/// deliveries were two changes of the actor (impact, activity); they are one call, counted under
/// the delivery that names the caller by ARN, the other kept as a row and tied to it.
#[test]
fn any_cross_account_call_delivered_to_both_accounts_is_counted_once() {
    let iam = "cloudtrail/awsdocs-iam-user-guide";
    let full = with(
        shared(&format!("{iam}/cloudtrail-integration-L128.json")),
        json!({"eventID": "dEXAMPLE-ac7f-466c-a608-4ac8dEXAMPL01"}),
    );
    let by_account = with(
        shared(&format!("{iam}/cloudtrail-integration-L180.json")),
        json!({"eventID": "0EXAMPLE-ac7f-466c-a608-4ac8dEXAMPL02",
               "recipientAccountId": "777788889999"}),
    );
    let read = with(
        read_for_doc_decrypt(),
        json!({"userIdentity": full["userIdentity"], "eventTime": "2014-07-18T15:01:00Z",
               "eventID": "5EXAMPLE-0000-4000-8000-000000000005"}),
    );
    let dir = tempfile::tempdir().unwrap();
    let evidence = dir.path().join("evidence");
    std::fs::create_dir(&evidence).unwrap();
    let body = json!({ "Records": [read, full, by_account] }).to_string();
    std::fs::write(evidence.join("trail.json"), body).unwrap();
    let doc = case(
        &[read.clone(), full.clone(), by_account.clone()],
        "secret:test-secret",
    );
    let inc = &incidents(&doc)[0];
    assert_eq!(
        inc["impact"]["change_event_ids"],
        json!(["dEXAMPLE-ac7f-466c-a608-4ac8dEXAMPL01"]),
        "{:#}",
        inc["impact"]
    );
    assert_eq!(
        inc["deliveries"],
        json!([{"event_id": "0EXAMPLE-ac7f-466c-a608-4ac8dEXAMPL02",
                "counted_as": "dEXAMPLE-ac7f-466c-a608-4ac8dEXAMPL01"}])
    );
    // Both deliveries stay rows of the incident: nothing read is dropped.
    let rows: Vec<&str> = doc["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["incidents"] == json!([inc["id"]]) && r["action"] == "sts:AssumeRole")
        .map(|r| r["event_id"].as_str().unwrap())
        .collect();
    assert_eq!(rows.len(), 2, "{rows:?}");

    // The report counts the call once and says why the other record is not another call.
    let pdf = dir.path().join("r.pdf");
    let run = report_pdf(
        &pdf,
        &[
            "--honeytoken",
            "secret:test-secret",
            evidence.to_str().unwrap(),
        ],
    );
    assert!(run.code <= 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(
        text.contains("Not counted again: 1 record(s) of the actor are another account's delivery"),
        "{text}"
    );
    assert!(
        text.contains("0EXAMPLE-ac7f-466c-a608-4ac8dEXAMPL02 (counted as dEXAMPLE-ac7f-466c-a608-4ac8dEXAMPL01)"),
        "{text}"
    );
}

/// An S3 `CopyObject` data event by svc-reporting with `request` as its requestParameters.
fn copy_object(request: Value, id: &str) -> Value {
    json!({"eventVersion": "1.09", "eventTime": "2026-11-20T14:25:17Z",
        "eventSource": "s3.amazonaws.com", "eventName": "CopyObject",
        "awsRegion": "us-east-1", "sourceIPAddress": "203.0.113.45",
        "userAgent": "aws-cli/2.15.30", "eventID": id, "readOnly": false,
        "eventType": "AwsApiCall", "managementEvent": false, "eventCategory": "Data",
        "recipientAccountId": "123456789012",
        "userIdentity": {"type": "IAMUser", "principalId": "AIDA4EXAMPLESVCREPT7Q",
            "arn": "arn:aws:iam::123456789012:user/svc-reporting",
            "accountId": "123456789012", "accessKeyId": "AKIA4EXAMPLESVCREPT7Q"},
        "requestParameters": request})
}

/// S3's `CopyObject` reads its copy source (`x-amz-copy-source`) and writes `bucketName`/`key`.
/// A copy out of the decoy object into another bucket was no read at all (no incident), and a
/// copy onto the decoy was "the value returned to the actor".
#[test]
fn an_s3_copy_reads_its_source_not_its_destination() {
    let copy = |bucket: &str, key: &str, source: &str, id: &str| {
        let mut record = copy_object(
            json!({"bucketName": bucket, "key": key, "x-amz-copy-source": source}),
            id,
        );
        record["resources"] = json!([{"type": "AWS::S3::Object",
            "ARN": format!("arn:aws:s3:::{bucket}/{key}")}]);
        record
    };
    let rule = "s3:corp-finance/payroll/2026-salaries.csv";
    let out = copy(
        "attacker-drop",
        "loot.csv",
        "/corp-finance/payroll%2F2026-salaries.csv?versionId=3HL4kqtJlcpXroDTDmJ",
        "c0c0c0c0-0000-4000-8000-000000000001",
    );
    let doc = case(&[out], rule);
    let inc = incidents(&doc);
    assert_eq!(inc.len(), 1, "a copy out of the decoy reads it: {doc}");
    assert_eq!(
        inc[0]["access_event_ids"],
        json!(["c0c0c0c0-0000-4000-8000-000000000001"])
    );

    let onto = copy(
        "corp-finance",
        "payroll/2026-salaries.csv",
        "other-bucket/benign.csv",
        "c0c0c0c0-0000-4000-8000-000000000002",
    );
    let doc = case(&[onto], rule);
    assert!(
        incidents(&doc).is_empty(),
        "a copy onto the decoy reads nothing of it: {doc}"
    );
    let row = &doc["timeline"][0];
    assert_eq!(row["kind"], "other", "shown, not taken for a read: {row}");
}

/// SSM parameter names and S3 object keys are case-sensitive in AWS: a read of
/// `/prod/DB/Password` is not a read of the honeytoken `/prod/db/password` (it was a critical
/// incident), nor a read of `payroll/2026-Salaries.csv` one of `payroll/2026-salaries.csv`. The
/// exact names still are.
#[test]
fn ssm_parameter_names_and_s3_keys_are_matched_minding_case() {
    let base = |source: &str, name: &str, request: Value, id: &str| {
        json!({"eventVersion": "1.09", "eventTime": "2026-11-20T14:25:17Z",
            "eventSource": source, "eventName": name,
            "awsRegion": "us-east-1", "sourceIPAddress": "203.0.113.45",
            "userAgent": "aws-cli/2.15.30", "eventID": id, "readOnly": true,
            "eventType": "AwsApiCall", "recipientAccountId": "123456789012",
            "userIdentity": {"type": "IAMUser", "principalId": "AIDA4EXAMPLESVCREPT7Q",
                "arn": "arn:aws:iam::123456789012:user/svc-reporting",
                "accountId": "123456789012", "accessKeyId": "AKIA4EXAMPLESVCREPT7Q"},
            "requestParameters": request})
    };
    let ssm = |name: &str, id: &str| {
        base(
            "ssm.amazonaws.com",
            "GetParameter",
            json!({"name": name, "withDecryption": true}),
            id,
        )
    };
    let s3 = |key: &str, id: &str| {
        base(
            "s3.amazonaws.com",
            "GetObject",
            json!({"bucketName": "corp-finance", "key": key}),
            id,
        )
    };
    for (rule, other, exact) in [
        (
            "ssm:/prod/db/password",
            ssm("/prod/DB/Password", "5e5e5e5e-0000-4000-8000-000000000001"),
            ssm("/prod/db/password", "5e5e5e5e-0000-4000-8000-000000000002"),
        ),
        (
            "ssm:/prod/db/*",
            ssm("/prod/DB/Password", "5e5e5e5e-0000-4000-8000-000000000001"),
            ssm("/prod/db/password", "5e5e5e5e-0000-4000-8000-000000000002"),
        ),
        (
            "s3:corp-finance/payroll/2026-salaries.csv",
            s3(
                "payroll/2026-Salaries.csv",
                "5e5e5e5e-0000-4000-8000-000000000001",
            ),
            s3(
                "payroll/2026-salaries.csv",
                "5e5e5e5e-0000-4000-8000-000000000002",
            ),
        ),
    ] {
        let doc = case(std::slice::from_ref(&other), rule);
        assert!(incidents(&doc).is_empty(), "{rule}: another name: {doc}");
        let doc = case(&[other, exact], rule);
        let inc = incidents(&doc);
        assert_eq!(inc.len(), 1, "{rule}: {doc}");
        assert_eq!(
            inc[0]["access_event_ids"],
            json!(["5e5e5e5e-0000-4000-8000-000000000002"]),
            "{rule}"
        );
    }
}

/// A copy out of the S3 honeytoken is not the value "returned to the actor": S3 wrote it into the
/// bucket and key the request named. Every text of the incident says where, or "unknown" when
/// the record names no destination, and the JSON lists each copy.
#[test]
fn a_copy_out_of_the_decoy_says_where_it_was_copied_not_returned() {
    let copy = copy_object;
    let rule = "s3:corp-finance/payroll/2026-salaries.csv";
    let source = "corp-finance/payroll/2026-salaries.csv";
    let id = "c0c0c0c0-0000-4000-8000-000000000001";
    for (request, destination, words) in [
        (
            json!({"bucketName": "attacker-drop", "key": "loot.csv", "x-amz-copy-source": source}),
            json!("s3://attacker-drop/loot.csv"),
            "copied into s3://attacker-drop/loot.csv, a bucket and key of the actor's choosing",
        ),
        (
            json!({"x-amz-copy-source": source}),
            Value::Null,
            "copied into a destination the record does not name (unknown)",
        ),
    ] {
        let doc = case(&[copy(request, id)], rule);
        let inc = &incidents(&doc)[0];
        assert_eq!(
            inc["impact"]["copies"],
            json!([{"event_id": id, "destination": destination}])
        );
        assert_eq!(inc["impact"]["reads_succeeded"], 1);
        let basis = inc["severity_basis"].as_str().unwrap();
        assert!(basis.contains(words), "{basis}");
        let text = inc.to_string();
        assert!(!text.contains("returned to the actor"), "{text}");
        assert!(!text.contains("returned the honeytoken's value"), "{text}");
    }

    // The report says the same, in the executive summary too.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("trail.json"),
        json!({"Records": [copy(
            json!({"bucketName": "attacker-drop", "key": "loot.csv", "x-amz-copy-source": source}),
            id,
        )]})
        .to_string(),
    )
    .unwrap();
    // Beside the evidence, not in it (trailcase refuses to write into its evidence).
    let out_dir = tempfile::tempdir().unwrap();
    let pdf = out_dir.path().join("r.pdf");
    let run = report_pdf(&pdf, &["--honeytoken", rule, dir.path().to_str().unwrap()]);
    assert!(run.code <= 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    for words in [
        "was used to copy the decoy storage object corp-finance/payroll/2026-salaries.csv into s3://attacker-drop/loot.csv",
        // The NIST row SC-26 names the decoy for what it is, not "a decoy secret".
        "A decoy storage object no workload reads was read",
        "Did the value leave AWS? Unknown: the records show the value copied into s3://attacker-drop/loot.csv",
    ] {
        assert!(text.contains(words), "{words}: {text}");
    }
    assert!(!text.contains("returned to the actor at"), "{text}");
    assert!(!text.contains("The actor obtained the"), "{text}");
    assert!(!text.contains("in the actor's hands"), "{text}");
}

const SECRET_ARN: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:";

/// AWS ends every secret's ARN with `-` and six random characters, and a call may name a secret
/// by a partial ARN: `…:secret:Production_Database_Credentials-backup` is the honeytoken with the
/// suffix `backup`, or a secret named `Production_Database_Credentials-backup`. With no full ARN
/// of the honeytoken in the evidence, the read stays an incident that says so; with one, the
/// suffix settles it.
#[test]
fn a_read_by_an_arn_whose_suffix_may_be_part_of_another_name_says_so_or_is_settled() {
    let backup = format!("{SECRET_ARN}Production_Database_Credentials-backup");
    let own = format!("{SECRET_ARN}Production_Database_Credentials-Xy12Ab");
    let read = secret_read(
        "11111111-2222-3333-4444-555555555556",
        "u",
        "2026-11-20T16:16:00Z",
        &backup,
        &[],
    );
    let doc = case(
        std::slice::from_ref(&read),
        "secret:Production_Database_Credentials",
    );
    let inc = incidents(&doc);
    assert_eq!(inc.len(), 1, "{doc}");
    let unknowns = inc[0]["unknowns"].as_array().unwrap();
    let said: Vec<&str> = unknowns
        .iter()
        .filter_map(Value::as_str)
        .filter(|u| u.contains(&backup))
        .collect();
    assert_eq!(said.len(), 1, "{unknowns:?}");
    assert!(
        said[0].contains("`backup` is the honeytoken's own random suffix"),
        "{}",
        said[0]
    );
    assert!(
        said[0].contains("is not shown by the evidence"),
        "{}",
        said[0]
    );
    assert_ne!(inc[0]["severity"], json!("low"), "{}", inc[0]);
    // The report says it where it says an incident's unknowns.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("trail.json"),
        json!({ "Records": [read.clone()] }).to_string(),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let pdf = out.path().join("r.pdf");
    let run = report_pdf(
        &pdf,
        &[
            "--honeytoken",
            "secret:Production_Database_Credentials",
            dir.path().to_str().unwrap(),
        ],
    );
    assert!(run.code <= 1, "{}", run.stderr);
    let text = pdf_text(&pdf)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("Unknown: honeytoken: the read names the secret by the ARN"),
        "{text}"
    );
    assert!(text.contains("is not shown by the evidence"), "{text}");

    // Another record gives the honeytoken's full ARN (suffix `Xy12Ab`): `backup` is another
    // secret's name, no incident, and its record stays a row of the timeline; a read by the
    // honeytoken's own ARN is certain.
    let by_name = secret_read(
        "11111111-2222-3333-4444-000000000001",
        "w",
        "2026-11-20T15:00:00Z",
        "Production_Database_Credentials",
        &[&own],
    );
    let by_own_arn = secret_read(
        "11111111-2222-3333-4444-000000000002",
        "v",
        "2026-11-20T15:30:00Z",
        &own,
        &[],
    );
    let doc = case(
        &[by_name, by_own_arn, read.clone()],
        "secret:Production_Database_Credentials",
    );
    let inc = incidents(&doc);
    let actors: Vec<&str> = inc
        .iter()
        .map(|i| i["actor"]["arn"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        actors,
        [
            "arn:aws:iam::123456789012:user/w",
            "arn:aws:iam::123456789012:user/v"
        ],
        "{doc}"
    );
    for i in inc {
        assert!(
            !i["unknowns"]
                .to_string()
                .contains("the read names the secret by the ARN"),
            "{i}"
        );
    }
    let row = doc["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["event_id"] == read["eventID"])
        .unwrap_or_else(|| panic!("no row: {doc}"));
    assert_ne!(row["kind"], "honeytoken_access", "{row}");
    assert_eq!(row["incidents"], json!([]), "{row}");

    // The read's own record shows the secret it read (`resources`): another secret.
    let shown = secret_read(
        "11111111-2222-3333-4444-000000000003",
        "u",
        "2026-11-20T16:16:00Z",
        &backup,
        &[&format!("{backup}-AbCdEf")],
    );
    let doc = case(&[shown], "secret:Production_Database_Credentials");
    assert!(incidents(&doc).is_empty(), "{doc}");
}

/// A Decrypt of the honeytoken's value with no read of it (`decrypt_without_read`): SC-26 said
/// "no read or change of it is in the 1 records examined" and IR-4 "No incident to handle.",
/// though the Decrypt may be a read whose record is missing. Both now name it by eventID.
#[test]
fn nist_sc26_and_ir4_name_a_decrypt_without_read() {
    // A short eventID: the PDF's table wraps a long one with hyphens.
    let decrypt = with(doc_decrypt(), json!({"eventID": "dec-1"}));
    let dir = tempfile::tempdir().unwrap();
    let body = json!({ "Records": [decrypt] }).to_string();
    std::fs::write(dir.path().join("trail.json"), body).unwrap();
    let (doc, text) =
        timeline_and_unverifiable_report(dir.path(), &["--honeytoken", "secret:test-secret"]);
    assert_eq!(of_kind(&doc["findings"], "decrypt_without_read").len(), 1);
    assert!(!text.contains("no read or change of it is in"), "{text}");
    assert!(!text.contains("No incident to handle."), "{text}");
    assert!(
        text.contains("SC-26 Decoys Detect (DE) No read call of the honeytoken is in the 1 records examined, but a kms:Decrypt of its value with no read of it (the decrypt_without_read finding; eventID dec-1 cited): the service decrypts a value only to return it, so a read's record may be missing, and whether the decoy's value was read through it is unknown."),
        "{text}"
    );
    assert!(
        text.contains("IR-4 Incident Handling Respond (RS) No incident (no read call of a honeytoken is in the evidence), but a kms:Decrypt of a honeytoken's value with no read of it may be a read whose record is missing (eventID dec-1: the decrypt_without_read finding; whether the decoy's value was read through it is unknown): they are not handled by any incident here."),
        "{text}"
    );
}

/// A Decrypt of the honeytoken's value with no read, beside a GetSecretValue naming no secret:
/// NIST DE.CM-03 said "no activity on the decoy is in the 2 records examined" and DE.AE-02 "no
/// honeytoken read is in the 2 records examined". Both now name the Decrypt and the unnamed
/// read by eventID, and say only that no read call is in the records.
#[test]
fn nist_de_cm03_and_de_ae02_tell_a_decrypt_without_read_and_an_unnamed_read() {
    let decrypt = with(doc_decrypt(), json!({"eventID": "dec-1"}));
    let unnamed = with(
        read_for_doc_decrypt(),
        json!({"requestParameters": null, "eventID": "un-1"}),
    );
    let dir = tempfile::tempdir().unwrap();
    let body = json!({ "Records": [decrypt, unnamed] }).to_string();
    std::fs::write(dir.path().join("trail.json"), body).unwrap();
    let (doc, text) =
        timeline_and_unverifiable_report(dir.path(), &["--honeytoken", "secret:test-secret"]);
    assert_eq!(of_kind(&doc["findings"], "decrypt_without_read").len(), 1);
    assert_eq!(of_kind(&doc["findings"], "unnamed_read").len(), 1);
    assert!(!text.contains("no activity on the decoy"), "{text}");
    assert!(
        !text.contains("no honeytoken read is in the 2 records examined, so no actor's"),
        "{text}"
    );
    let told = "a kms:Decrypt of its value with no read of it, whether the value was read through it unknown (the decrypt_without_read finding; eventID dec-1); and reads that do not name what they read, whether one of them read the decoy unknown (the unnamed_read finding; eventID un-1)";
    assert!(
        text.contains(&format!("No read call of the decoy is in the 2 records examined, but activity on it, or possibly on it, was recorded: {told}.")),
        "{text}"
    );
    assert!(
        text.contains(&format!("Not shown by this evidence: no incident (no read call of a honeytoken) is in the 2 records examined, so no actor's activity around one was analysed. Activity on the decoy, or possibly on it, is in the records, told as findings and not analysed as an incident: {told}.")),
        "{text}"
    ); // AU-3 and IR-4 neither say no record shows who read the decoy nor that no read is in
       // the evidence: the Decrypt's and the unnamed read's records may be reads of it.
    assert!(
        !text.contains("so no record shows who read the decoy"),
        "{text}"
    );
    assert!(
        text.contains("AU-3 Content of Audit Records Detect (DE) No read naming the honeytoken is in the 2 records examined; the records of the calls that may have read it (eventID dec-1, un-1: the decrypt_without_read and unnamed_read findings) show who made them, from where, when and with what outcome, not whether they read the decoy."),
        "{text}"
    );
    assert!(
        text.contains("No incident (no read naming a honeytoken is in the evidence), but"),
        "{text}"
    );
}
