//! The kill-switch's published results as a responder receives them: SNS notifications (the
//! body an SQS subscription or an email-json subscription delivers) whose `Message` is the
//! kill-switch's `ContainmentResult` (schema_version 1, the type the kill-switch itself writes,
//! from `trailcase_common`),
//! consistent with the kill-switch's CloudTrail calls in the scenario (same times, targets and
//! SNS message ids).

use crate::identity::*;
use crate::json::J;
use crate::obj;
use crate::record::Call;
use crate::scenario::Incident;
use crate::time::{at, iso_z, Epoch};
use trailcase_common::killswitch::{
    Caller, ContainmentResult, Decision, Step, StepOutcome, Trigger, SCHEMA_VERSION, TOOL,
};

fn find<'a>(incident: &'a Incident, label: &str) -> &'a Call {
    &incident
        .events
        .iter()
        .find(|e| e.label == label)
        .unwrap_or_else(|| panic!("the scenario has no event {label:?}"))
        .call
}

fn trigger(read: &Call) -> Trigger {
    let some = |s: &str| Some(s.to_string());
    Trigger {
        event_id: some(&read.event_id),
        event_time: Some(iso_z(read.time)),
        event_source: some(read.source),
        event_name: some(read.name),
        aws_region: some(read.region),
        source_ip_address: some(&read.ip),
        user_agent: some(&read.user_agent),
        secret_id: some(HONEYTOKEN_NAME),
        access_key_id: some(VICTIM_ACCESS_KEY),
    }
}

fn step(action: &str, target: &str, outcome: StepOutcome, detail: &str) -> Step {
    Step::new(action, target, outcome, detail)
}

fn result(
    ran: Epoch,
    read: &Call,
    decision: Decision,
    summary: String,
    steps: Vec<Step>,
) -> ContainmentResult {
    ContainmentResult {
        schema_version: SCHEMA_VERSION,
        tool: TOOL,
        tool_version: "0.1.0",
        at: iso_z(ran),
        dry_run: false,
        decision,
        summary,
        trigger: trigger(read),
        caller: Some(Caller::IamUser {
            arn: VICTIM_ARN.to_string(),
            user_name: VICTIM_USER.to_string(),
        }),
        steps,
        published: None,
    }
}

/// The SNS notification carrying `message`, as SQS and email-json deliver it.
fn notification(
    message_id: &str,
    published: Epoch,
    millis: u32,
    subject: &str,
    message: &ContainmentResult,
) -> J {
    let text = serde_json::to_string_pretty(message).expect("an in-memory value serializes");
    let stamp = iso_z(published).replace('Z', &format!(".{millis:03}Z"));
    obj! {
        "Type" => "Notification",
        "MessageId" => message_id,
        "TopicArn" => RESULTS_TOPIC_ARN,
        "Subject" => subject,
        "Message" => text,
        "Timestamp" => stamp,
        "SignatureVersion" => "1",
        "Signature" => "SYNTHETIC+SNS+SIGNATURE+NOT+VERIFIABLE==",
        "SigningCertURL" => "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-EXAMPLE.pem",
        "UnsubscribeURL" => format!("https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn={RESULTS_TOPIC_ARN}:0f6b5f7e-EXAMPLE"),
    }
}

fn message_id(publish: &Call) -> String {
    publish
        .response
        .get("messageId")
        .and_then(J::as_str)
        .expect("the scenario's SNS Publish has a messageId")
        .to_string()
}

/// The two results of the scenario's two kill-switch runs, as `(file name, document)`.
pub fn sns_results(incident: &Incident) -> Vec<(String, J)> {
    let first_read = find(incident, "honeytoken read: GetSecretValue (first access)");
    let second_read = find(
        incident,
        "denied: GetSecretValue on the honeytoken (second access)",
    );
    let publish1 = find(
        incident,
        "containment complete: SNS Publish of the kill-switch result",
    );
    let publish2 = find(
        incident,
        "kill-switch second run: SNS Publish (already contained)",
    );
    let subject = format!("Honeytoken kill-switch: {{}} {VICTIM_ARN}");
    let no_login = "no console password (login profile) to delete";
    let first = result(
        at(2026, 11, 20, 14, 2, 45),
        first_read,
        Decision::Contained,
        format!("{VICTIM_ARN} contained (3 steps)"),
        vec![
            step(
                "iam:PutUserPolicy",
                VICTIM_USER,
                StepOutcome::Done,
                "inline policy HoneytokenDenyAll denies everything",
            ),
            step(
                "iam:UpdateAccessKey",
                VICTIM_ACCESS_KEY,
                StepOutcome::Done,
                "Active -> Inactive",
            ),
            step(
                "iam:DeleteLoginProfile",
                VICTIM_USER,
                StepOutcome::Unchanged,
                no_login,
            ),
        ],
    );
    let second = result(
        at(2026, 11, 20, 14, 3, 33),
        second_read,
        Decision::AlreadyContained,
        format!("{VICTIM_ARN} was already contained: nothing changed"),
        vec![
            step(
                "iam:PutUserPolicy",
                VICTIM_USER,
                StepOutcome::Unchanged,
                "HoneytokenDenyAll already denies everything",
            ),
            step(
                "iam:UpdateAccessKey",
                VICTIM_ACCESS_KEY,
                StepOutcome::Unchanged,
                "already inactive",
            ),
            step(
                "iam:DeleteLoginProfile",
                VICTIM_USER,
                StepOutcome::Unchanged,
                no_login,
            ),
        ],
    );
    [
        (publish1, 212, "contained", first),
        (publish2, 87, "already-contained", second),
    ]
    .into_iter()
    .map(|(publish, millis, decision, message)| {
        let id = message_id(publish);
        let doc = notification(
            &id,
            publish.time,
            millis,
            &subject.replace("{}", decision),
            &message,
        );
        (format!("killswitch-result-{id}.json"), doc)
    })
    .collect()
}
