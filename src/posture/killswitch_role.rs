//! Least privilege of the kill-switch's role: its policies must allow every action the
//! kill-switch calls and nothing else (but writing its own logs and using the pipeline's KMS key).

use serde_json::Value;
use trailcase_common::glob::matches_ignore_case;
use trailcase_common::policy::statements;

/// A policy document as IAM returns it (URL-encoded JSON, RFC 3986: a space is `%20` and `+` is
/// itself), or plain JSON; the kill-switch reads its own role's documents the same way.
pub use trailcase_common::policy::decode;

/// Every action `trailcase-killswitch` calls.
pub const NEEDED: [&str; 9] = [
    "iam:GetUserPolicy",
    "iam:PutUserPolicy",
    "iam:ListAccessKeys",
    "iam:UpdateAccessKey",
    "iam:GetLoginProfile",
    "iam:DeleteLoginProfile",
    "iam:GetRolePolicy",
    "iam:PutRolePolicy",
    "sns:Publish",
];

/// Allowed besides: its log stream (AWSLambdaBasicExecutionRole) and the encrypted topic's key.
const HARMLESS: [&str; 5] = [
    "logs:CreateLogGroup",
    "logs:CreateLogStream",
    "logs:PutLogEvents",
    "kms:GenerateDataKey*",
    "kms:Decrypt",
];

/// `Ok` with a summary when the documents allow exactly what is needed, else what is wrong.
pub fn judge(documents: &[Value]) -> Result<String, String> {
    let mut allowed: Vec<String> = Vec::new();
    let mut problems = Vec::new();
    for doc in documents {
        for s in statements(doc)
            .into_iter()
            .filter(|s| s.get("Effect").and_then(Value::as_str) == Some("Allow"))
        {
            if s.get("NotAction").is_some() {
                problems.push("an Allow with NotAction grants nearly everything".to_string());
            }
            match s.get("Action") {
                Some(Value::String(a)) => allowed.push(a.clone()),
                Some(Value::Array(xs)) => {
                    allowed.extend(xs.iter().filter_map(Value::as_str).map(str::to_owned))
                }
                _ => {}
            }
        }
    }
    let missing: Vec<&str> = NEEDED
        .iter()
        .copied()
        .filter(|n| !allowed.iter().any(|a| action_matches(a, n)))
        .collect();
    if !missing.is_empty() {
        problems.push(format!("lacks {}", missing.join(", ")));
    }
    let mut excess: Vec<&str> = allowed
        .iter()
        .map(String::as_str)
        .filter(|a| {
            !NEEDED
                .iter()
                .chain(HARMLESS.iter())
                .any(|ok| ok.eq_ignore_ascii_case(a))
        })
        .collect();
    excess.sort_unstable();
    excess.dedup();
    if !excess.is_empty() {
        problems.push(format!("allows more than it needs: {}", excess.join(", ")));
    }
    if problems.is_empty() {
        Ok(format!(
            "its role allows the {} actions it calls and nothing more",
            NEEDED.len()
        ))
    } else {
        Err(problems.join("; "))
    }
}

/// IAM action patterns: case-insensitive, `*` and `?` wildcards.
fn action_matches(pattern: &str, action: &str) -> bool {
    matches_ignore_case(pattern, action)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn policy(actions: &[&str]) -> Value {
        json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": actions, "Resource": "*"},
            {"Effect": "Deny", "Action": "iam:*", "Resource": "arn:aws:iam::1:role/Self"}
        ]})
    }

    #[test]
    fn exactly_the_needed_actions_pass() {
        let mut actions: Vec<&str> = NEEDED.to_vec();
        actions.push("logs:PutLogEvents");
        assert!(judge(&[policy(&actions)]).is_ok());
        let e = judge(&[policy(&actions[1..])]).unwrap_err();
        assert!(e.contains("lacks iam:GetUserPolicy"), "{e}");
        actions.push("iam:*");
        let e = judge(&[policy(&actions)]).unwrap_err();
        assert!(e.contains("allows more than it needs: iam:*"), "{e}");
    }

    #[test]
    fn url_encoded_documents_are_read() {
        assert_eq!(
            decode("%7B%22Statement%22%3A%5B%5D%7D"),
            Some(json!({"Statement": []}))
        );
        // RFC 3986, as IAM encodes: `+` is a plus sign, not a space.
        assert_eq!(
            decode("%7B%22Sid%22%3A%22a+b%20c%22%7D"),
            Some(json!({"Sid": "a+b c"}))
        );
        assert_eq!(decode("%7B%22Sid%22%3A%22%zz%22%7D"), None);
    }
}
