//! Who read, across accounts: an actor with no ARN or key keeps its records, indicators and
//! steps, and a cross-account call delivered to both accounts' trails is counted once.

use super::*;

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
    // An AssumeRole obtains a credential (session 34): counted once, among the credentials
    // obtained, not the changes.
    assert_eq!(
        inc["impact"]["credentials_obtained_event_ids"],
        json!(["dEXAMPLE-ac7f-466c-a608-4ac8dEXAMPL01"]),
        "{:#}",
        inc["impact"]
    );
    assert_eq!(inc["impact"]["change_event_ids"], json!([]));
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
