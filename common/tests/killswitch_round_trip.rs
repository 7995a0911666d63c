//! What the kill-switch writes, trailcase reads: the two shapes of the result format stay in step.

use trailcase_common::killswitch::{
    Caller, ContainmentResult, Decision, PublishedResult, Step, StepOutcome, Trigger,
    SCHEMA_VERSION, TOOL,
};

fn written(caller: Caller) -> ContainmentResult {
    ContainmentResult {
        schema_version: SCHEMA_VERSION,
        tool: TOOL,
        tool_version: "0.1.0",
        at: "2026-11-20T14:02:46Z".into(),
        dry_run: false,
        decision: Decision::Contained,
        summary: "contained".into(),
        trigger: Trigger {
            event_id: Some("e1".into()),
            ..Trigger::default()
        },
        caller: Some(caller),
        steps: vec![Step::new(
            "iam:PutUserPolicy",
            "svc",
            StepOutcome::Done,
            "x",
        )],
        published: None,
    }
}

#[test]
fn every_caller_reads_back() {
    let callers = [
        Caller::IamUser {
            arn: "arn:aws:iam::1:user/svc".into(),
            user_name: "svc".into(),
        },
        Caller::AssumedRole {
            arn: "arn:aws:sts::1:assumed-role/R/s".into(),
            role_arn: "arn:aws:iam::1:role/R".into(),
            role_name: "R".into(),
            session_issued: Some("2026-11-20T13:59:30Z".into()),
            source_identity: None,
        },
        Caller::Root { arn: None },
        Caller::AwsService {
            name: "lambda.amazonaws.com".into(),
        },
        Caller::Other {
            identity_type: "WebIdentityUser".into(),
            arn: None,
        },
    ];
    let kinds = ["iam-user", "assumed-role", "root", "aws-service", "other"];
    for (caller, kind) in callers.into_iter().zip(kinds) {
        let arns: Vec<String> = caller.arns().iter().map(|a| a.to_string()).collect();
        let w = written(caller);
        let text = serde_json::to_string_pretty(&w).unwrap();
        let r: PublishedResult = serde_json::from_str(&text).unwrap();
        assert_eq!(r.at, w.at);
        assert_eq!(r.decision, w.decision);
        assert_eq!(r.trigger.as_ref(), Some(&w.trigger));
        assert_eq!(r.steps, w.steps);
        let c = r.caller.unwrap();
        assert_eq!(c.kind, kind);
        assert_eq!(
            c.arn.iter().cloned().collect::<Vec<_>>(),
            arns[..arns.len().min(1)]
        );
    }
}

#[test]
fn an_older_result_with_few_fields_reads() {
    let old = r#"{"schema_version": 1, "at": "2026-11-20T14:02:46Z", "dry_run": true,
        "decision": "would-contain", "steps": [{"action": "iam:X", "target": "t", "outcome": "would-do"}],
        "caller": {"type": "something-new"}, "extra": 1}"#;
    let r: PublishedResult = serde_json::from_str(old).unwrap();
    assert_eq!(r.decision, Decision::WouldContain);
    assert_eq!(r.steps[0].detail, "");
    assert_eq!(r.caller.unwrap().kind, "something-new");
    assert!(r.trigger.is_none() && r.tool_version.is_none());
}
