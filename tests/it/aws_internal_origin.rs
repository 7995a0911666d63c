//! An actor whose every call CloudTrail records with `sourceIPAddress` and `userAgent`
//! `AWS Internal` (a console session, as Cloud Custodian's captured `CreateStage` is) was said
//! to come "from 0 network addresses with an unrecognised tool": a count of addresses seen and
//! a tool that went unrecognised, where the records give neither. The root cause now says the
//! records give no network address and no tool of the actor's own (audit 25); with the records
//! stating a console session, the console is its tool (see `console_session`).

use crate::support;

use crate::support::honeytoken_calls::custodian_call_and_read;
use serde_json::json;
use support::*;

#[test]
fn calls_from_aws_internal_name_no_address_and_no_tool() {
    let dir = tempfile::tempdir().unwrap();
    // Without the console-session field: a console session names the console instead
    // (console_session::a_console_sessions_root_cause_names_the_console_not_no_tool).
    let (mut call, mut read) = custodian_call_and_read(None);
    for r in [&mut call, &mut read] {
        r.as_object_mut()
            .unwrap()
            .remove("sessionCredentialFromConsole");
    }
    std::fs::write(
        dir.path().join("records.json"),
        serde_json::to_vec(&json!({"Records": [call, read]})).unwrap(),
    )
    .unwrap();

    let (doc, text) = timeline_and_unverifiable_report(dir.path(), &[]);
    let actor = &doc["incidents"][0]["actor"];
    assert_eq!(actor["source_ips"], json!([]), "{actor}");
    assert!(
        text.contains("its first use in the evidence is at 2022-07-11T19:37:49Z; its calls in the evidence came from no network address the records give"),
        "{text}"
    );
    assert!(
        text.contains("with no tool of its own in the records"),
        "{text}"
    );
    assert!(!text.contains("0 network addresses"), "{text}");
    assert!(!text.contains("unrecognised tool"), "{text}");
}

/// The root cause gave the first use's time with every address and tool of the actor's calls
/// ("its first use ... is at T from 1 network address with the AWS CLI"), where the first use
/// came from `AWS Internal` and only a later call from an address, with a CLI (found on the KMS
/// guide's records, audit 33): the time is the first use's, the addresses and tools all calls'.
/// A record naming no identity type reads "an identity (its type not recorded)", not "an
/// identity of type " with nothing after it.
#[test]
fn the_first_use_is_a_time_and_the_addresses_are_all_calls_and_a_missing_type_is_said() {
    let dir = tempfile::tempdir().unwrap();
    let (mut call, mut read) = custodian_call_and_read(None);
    for r in [&mut call, &mut read] {
        let r = r.as_object_mut().unwrap();
        r.remove("sessionCredentialFromConsole");
        r["userIdentity"].as_object_mut().unwrap().remove("type");
    }
    read["sourceIPAddress"] = json!("198.51.100.7");
    read["userAgent"] = json!("aws-cli/2.17.60 md/awscrt#0.21.5 ua/2.0 os/linux#6.8.0 md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24 md/prompt#off md/command#secretsmanager.get-secret-value");
    std::fs::write(
        dir.path().join("records.json"),
        serde_json::to_vec(&json!({"Records": [call, read]})).unwrap(),
    )
    .unwrap();

    let (doc, text) = timeline_and_unverifiable_report(dir.path(), &[]);
    assert_eq!(
        doc["incidents"][0]["actor"]["source_ips"],
        json!(["198.51.100.7"])
    );
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        text.contains("its first use in the evidence is at 2022-07-11T19:37:49Z; its calls in the evidence came from one network address with the AWS command-line tool"),
        "{text}"
    );
    assert!(!text.contains("19:37:49Z from"), "{text}");
    assert!(
        text.contains("an identity (its type not recorded)"),
        "{text}"
    );
    assert!(!text.contains("of type of"), "{text}");
}
