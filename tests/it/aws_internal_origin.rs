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
        text.contains("its first use in the evidence is at 2022-07-11T19:37:49Z from no network address the records give"),
        "{text}"
    );
    assert!(
        text.contains("with no tool of its own in the records"),
        "{text}"
    );
    assert!(!text.contains("0 network addresses"), "{text}");
    assert!(!text.contains("unrecognised tool"), "{text}");
}
