//! A `BatchGetSecretValue` by list or by filters is one read of each secret it returns, however
//! many per-secret entries AWS writes (Stratus Red Team's recorded batches), and a batch whose
//! entry for the honeytoken was refused did not return it.

use super::*;

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
