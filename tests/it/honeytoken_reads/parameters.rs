//! Parameter Store: parameters read by a path that covers the honeytoken are reads of it, and
//! Parameter Store's `kms:Decrypt` bears out a read by path (Stratus Red Team's recorded calls).

use super::*;

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
