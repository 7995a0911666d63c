//! A session whose records state `sessionCredentialFromConsole` `"true"` (Cloud Custodian's
//! captured `CreateStage`, tests/data/SOURCES.md) is an AWS console session: the step on how
//! the actor came to hold its credential sent the responder to "where they are stored and used
//! (hosts, CI, code repositories)", as for a stolen access key. The actor now says it is a
//! console session, and the step looks for the sign-in that began it.

use crate::support::honeytoken_calls::custodian_call_and_read;
use crate::support::*;
use serde_json::json;

#[test]
fn a_console_session_is_said_so_and_its_sign_in_is_what_to_find() {
    let dir = tempfile::tempdir().unwrap();
    let (call, read) = custodian_call_and_read(None);
    assert_eq!(call["sessionCredentialFromConsole"], "true");
    let first = call["eventID"].as_str().unwrap().to_string();
    std::fs::write(
        dir.path().join("records.json"),
        serde_json::to_vec(&json!({"Records": [call, read]})).unwrap(),
    )
    .unwrap();

    let (doc, text) = timeline_and_unverifiable_report(dir.path(), &[]);
    let i = &doc["incidents"][0];
    assert_eq!(
        i["actor"]["console_session"],
        json!({"records": 2, "first_event_id": first}),
        "{}",
        i["actor"]
    );
    let actions: Vec<&str> = i["eradication"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["action"].as_str().unwrap())
        .collect();
    let step = actions
        .iter()
        .find(|a| a.starts_with("Find how the console session of arn:aws:sts::012345678901:assumed-role/c7nbot/HarishAchappa began"))
        .unwrap_or_else(|| panic!("{actions:?}"));
    assert!(
        step.contains(&format!("2 of its records state sessionCredentialFromConsole \"true\" (the first: eventID {first}), so the calls were made from an AWS Management Console session, not with a stored access key; no console sign-in of it is in the evidence")),
        "{step}"
    );
    assert!(
        !actions
            .iter()
            .any(|a| a.contains("hosts, CI, code repositories")),
        "{actions:?}"
    );
    assert!(!text.contains("hosts, CI, code repositories"), "{text}");
    assert!(
        text.contains("Find how the console session was obtained")
            || text.contains("Find how the console session of"),
        "{text}"
    );
}

/// The same console session's root cause said "with no tool of its own in the records (its user
/// agent is AWS's own or none)": a console user's tool is the console, which its records state
/// (`sessionCredentialFromConsole`). It now says the calls came through an AWS Management
/// Console session, citing the first record that states it, and that the browser is not
/// recorded.
#[test]
fn a_console_sessions_root_cause_names_the_console_not_no_tool() {
    let dir = tempfile::tempdir().unwrap();
    let (call, read) = custodian_call_and_read(None);
    let first = call["eventID"].as_str().unwrap().to_string();
    std::fs::write(
        dir.path().join("records.json"),
        serde_json::to_vec(&json!({"Records": [call, read]})).unwrap(),
    )
    .unwrap();
    let (_, text) = timeline_and_unverifiable_report(dir.path(), &[]);
    assert!(!text.contains("no tool of its own"), "{text}");
    assert!(
        text.contains(&format!("with an AWS Management Console session (its records state sessionCredentialFromConsole \"true\": 2 of them, the first eventID {first}; their user agent is AWS's own or none, so which browser is not recorded)")),
        "{text}"
    );
}
