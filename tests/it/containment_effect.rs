//! What the report says of the containment's effect, on the sample: the deny at 14:02:46 did not
//! stop svc-reporting at once (its ListBuckets succeeded at 14:02:51), its first refused call was
//! at 14:03:05. AC-2 said the identity was "disabled"; the "review calls after containment" step
//! cited the AssumeRole made before containment. Now AC-2 gives the first cutting call, the last
//! success after it and the first refusal, each by eventID, and the step cites only calls in a
//! later second than the cut, a call in the cut's own second being of unknown order.

use crate::support;

use serde_json::Value;
use support::*;
use trailcase::report::content::{nist, IntegrityStatement};

const DENY: &str = "91229c3a-309d-46cd-b37b-0d4ff185f9f9";
const LIST_BUCKETS_AFTER: &str = "f1274bbc-977e-4f9f-a47d-eb56a6664e70";
const FIRST_REFUSED: &str = "85a157a1-d87c-40ec-9c47-7bf1faabd1f2";
/// The AssumeRole of svc-reporting's role session, at 13:59:30: before containment.
const ASSUME_ROLE: &str = "6d0f53a2-5223-444b-adaa-24de7e743f20";
/// The role session's calls after containment.
const SESSION_CALLS: [&str; 3] = [
    "2518d29e-ee63-4c07-95f3-410e62aea7a0",
    "351cbd41-51c8-4692-9612-d92e69d09a13",
    "6549dea5-26d7-4f75-ae9c-f56cdb6d268a",
];

/// `trailcase timeline` of the sample: complete (exit 0), its JSON.
fn sample_timeline() -> Value {
    let run = trailcase([
        "timeline",
        "--quiet",
        repo().join("samples/incident-01").to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.json()
}

/// The eradication step "Check what the actor did after containment" of the case's incident.
fn review_step(doc: &Value) -> Option<&Value> {
    doc["incidents"][0]["eradication"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["plain"] == "Check what the actor did after containment")
}

fn ids(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect()
}

#[test]
fn ac2_says_when_the_cut_took_effect_not_disabled() {
    let (t, _) = model(&[&repo().join("samples/incident-01")]);
    let rows = nist::rows(&t, &IntegrityStatement::default());
    let ac2 = rows.iter().find(|r| r.id == "AC-2").unwrap();
    for said in [
        "Calls to cut the compromised IAM identity's access succeeded: deny-all policy attached, access key AKIA4EXAMPLESVCREPT7Q deactivated.",
        "The first of those calls succeeded at 2026-11-20T14:02:46Z (deny-all policy attached, eventID 91229c3a-309d-46cd-b37b-0d4ff185f9f9).",
        "It was not in effect at once: 1 call(s) of the identity itself succeeded after it, the last at 2026-11-20T14:02:51Z, 5 s later (eventID f1274bbc-977e-4f9f-a47d-eb56a6664e70).",
        "The first of the actor's calls refused after it was at 2026-11-20T14:03:05Z (eventID 85a157a1-d87c-40ec-9c47-7bf1faabd1f2).",
    ] {
        assert!(ac2.statement.contains(said), "{said}\n{}", ac2.statement);
    }
    assert!(!ac2.statement.contains("disabled"), "{}", ac2.statement);
    for id in [DENY, LIST_BUCKETS_AFTER, FIRST_REFUSED] {
        assert!(
            ac2.evidence.iter().any(|e| e == id),
            "{id}: {:?}",
            ac2.evidence
        );
    }

    let dir = tempfile::tempdir().unwrap();
    let text = sample_report_text(dir.path());
    assert!(text.contains("It was not in effect at once"), "{text}");
    assert!(!text.contains("IAM identity was disabled"), "{text}");
    // The key's deactivation took effect after a delay too: the ListBuckets at 14:02:51 came
    // after it (14:02:47), signed with that key.
    assert!(
        text.contains("which refuses calls signed with it whatever the policies say once the change is visible (the same delay applies to it)."),
        "{text}"
    );
    // Flow 1 could start a kill-switch through its alarm's action: what it cannot give it is
    // whom to contain.
    assert!(
        !text.contains("Automatic containment is only possible from flow 2"),
        "{text}"
    );
    assert!(
        text.contains("Only flow 2 can hand the call itself to a kill-switch"),
        "{text}"
    );
}

#[test]
fn the_review_step_cites_only_calls_after_containment() {
    let doc = sample_timeline();
    let step = review_step(&doc).expect("a review step");
    let cited = ids(&step["event_ids"]);
    assert!(
        !cited.contains(&ASSUME_ROLE),
        "made before containment: {cited:?}"
    );
    assert!(!cited.contains(&DENY), "{cited:?}");
    let mut want = vec![LIST_BUCKETS_AFTER];
    want.extend(SESSION_CALLS);
    assert_eq!(cited, want);
    assert!(
        step["action"]
            .as_str()
            .unwrap()
            .starts_with("Review the 4 call(s) that succeeded after containment began at 2026-11-20T14:02:46Z and what they reached"),
        "{:#}",
        step
    );
}

/// Two more steps said more than their records: "Watch for any use of the decoy's value" ("a
/// read returned the value") cited the refused read too, and "Lift the block only once…" said
/// the deny "stops the actor's user now", which no record of the case can show.
#[test]
fn the_steps_cite_what_bears_them_out() {
    let doc = sample_timeline();
    let steps = doc["incidents"][0]["eradication"].as_array().unwrap();
    let plain = |p: &str| {
        steps
            .iter()
            .find(|s| s["plain"] == p)
            .unwrap_or_else(|| panic!("{p}: {steps:#?}"))
    };
    let watch = plain("Watch for any use of the decoy's value");
    assert_eq!(
        ids(&watch["event_ids"]),
        ["5ad7fe16-471c-489f-908c-61b0d4864cbb"],
        "the read that returned the value, not the refused {FIRST_REFUSED}"
    );
    let keep = plain("Lift the block only once the account's keys are replaced");
    let reason = keep["reason"].as_str().unwrap();
    assert!(!reason.contains(" now"), "{reason}");
    assert!(
        reason.contains("whether it is still attached is not examined"),
        "{reason}"
    );
}

#[test]
fn a_call_in_the_second_of_the_cut_is_of_unknown_order() {
    // The ListBuckets moved into the deny's own second: not "after" it, nor before.
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    let moved = alter_records(&case, |r| {
        if r["eventID"] == LIST_BUCKETS_AFTER {
            r["eventTime"] = "2026-11-20T14:02:46Z".into();
        }
        true
    });
    assert!(moved >= 1);
    let run = trailcase(["timeline", "--quiet", case.to_str().unwrap()]);
    assert!(run.code <= 1, "{}", run.stderr);
    let doc = run.json();
    let step = review_step(&doc).expect("a review step");
    let action = step["action"].as_str().unwrap();
    assert!(
        action.starts_with("Review the 3 call(s) that succeeded after containment began at 2026-11-20T14:02:46Z, and the 1 in that same second (their order is unknown)"),
        "{action}"
    );
    assert!(ids(&step["event_ids"]).contains(&LIST_BUCKETS_AFTER));
    // Not counted as a success after containment.
    for f in of_kind(
        &doc["incidents"][0]["findings"],
        "success_after_containment",
    ) {
        assert!(!ids(&f["event_ids"]).contains(&LIST_BUCKETS_AFTER), "{f:#}");
    }
    let (t, _) = model(&[&case]);
    let rows = nist::rows(&t, &IntegrityStatement::default());
    let ac2 = rows.iter().find(|r| r.id == "AC-2").unwrap();
    assert!(
        ac2.statement.contains("1 call(s) of the identity succeeded in that same second, before or after it (eventTime is to the second)."),
        "{}",
        ac2.statement
    );
    assert!(
        !ac2.statement.contains("It was not in effect at once"),
        "{}",
        ac2.statement
    );
}
