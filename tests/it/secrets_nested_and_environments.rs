//! Secrets the structure rules once left: values in an object under a secret-bearing key
//! (`{"secrets": {"db": "x"}}`). Each planted value appears in no output: the timeline's
//! JSON, `--all` JSONL and CSV, the report's PDF and its timeline JSON.

use crate::support;

use serde_json::json;
use support::honeytoken_calls::request_written;

#[test]
fn values_in_an_object_under_a_secret_key_are_redacted_names_and_references_kept() {
    let request = request_written(
        "lambda.amazonaws.com",
        "CreateFunction",
        json!({"functionName": "f",
               "secrets": {"db": "PLANTED-1", "api": {"stripe": "PLANTED-2", "port": 5432}, "rotate": true},
               "clientSecret": {"value": "PLANTED-3", "kmsKeyArn": "arn:aws:kms:us-east-1:123456789012:key/k"},
               "containerSecrets": [{"name": "DB", "valueFrom": "arn:aws:secretsmanager:us-east-1:123456789012:secret:db"}]}),
    );
    assert_eq!(
        request,
        json!({"functionName": "f",
               "secrets": {"db": "[REDACTED]", "api": {"stripe": "[REDACTED]", "port": "[REDACTED]"}, "rotate": true},
               "clientSecret": {"value": "[REDACTED]", "kmsKeyArn": "arn:aws:kms:us-east-1:123456789012:key/k"},
               "containerSecrets": [{"name": "DB", "valueFrom": "arn:aws:secretsmanager:us-east-1:123456789012:secret:db"}]})
    );
}
