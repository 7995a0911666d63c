//! Secrets the structure rules once left: values in an object under a secret-bearing key
//! (`{"secrets": {"db": "x"}}`), and the variables of an environment written in YAML text (a
//! CloudFormation template's `Environment: Variables:`, an ECS `Environment` list, a SAM
//! template's `Environment: {Variables: {…}}` in flow style), whatever their names, as rule 3
//! does for JSON. Each planted value appears in no output: the timeline's
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

#[test]
fn every_variable_of_a_yaml_environment_is_redacted_whatever_its_name() {
    let template = "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      \
                    Environment:\n        Variables:\n          DATABASE_URL: PLANTED-1\n          \
                    STRIPE_KEY: \"PLANTED 2\"\n          DB_PASSWORD: PLANTED-3\n          \
                    TABLE: !Ref Table\n      Handler: app.handler\n  Task:\n    \
                    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        \
                    - Name: app\n          Environment:\n            - Name: CONN\n              \
                    Value: PLANTED-4\n            - Name: DB_PASSWORD\n              Value: PLANTED-5\n          \
                    Image: app:1\n";
    let request = request_written(
        "cloudformation.amazonaws.com",
        "CreateStack",
        json!({"stackName": "s1", "templateBody": template}),
    );
    assert_eq!(
        request["templateBody"],
        "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      \
         Environment:\n        Variables:\n          DATABASE_URL: [REDACTED]\n          \
         STRIPE_KEY: \"[REDACTED]\"\n          DB_PASSWORD: [REDACTED]\n          \
         TABLE: !Ref Table\n      Handler: app.handler\n  Task:\n    \
         Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        \
         - Name: app\n          Environment:\n            - Name: CONN\n              \
         Value: [REDACTED]\n            - Name: DB_PASSWORD\n              Value: [REDACTED]\n          \
         Image: app:1\n"
    );
}

#[test]
fn a_sam_templates_inline_environment_is_redacted_whatever_its_names() {
    // A SAM template published to the Serverless Application Repository, its environments in
    // YAML's flow style: under a function's `Environment:` and under `Globals`.
    let template = "Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    \
                    Environment:\n      Variables: {DATABASE_URL: PLANTED-1, MODE: \"PLANTED 2\"}\n\
                    Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      \
                    Handler: app.handler\n      Environment: {Variables: {API_URL: PLANTED-3, \
                    TABLE: !Ref Table}}\n";
    let request = request_written(
        "serverlessrepo.amazonaws.com",
        "CreateApplication",
        json!({"name": "app", "author": "a", "templateBody": template}),
    );
    assert_eq!(
        request["templateBody"],
        "Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    \
         Environment:\n      Variables: {DATABASE_URL: [REDACTED], MODE: \"[REDACTED]\"}\n\
         Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      \
         Handler: app.handler\n      Environment: {Variables: {API_URL: [REDACTED], \
         TABLE: !Ref Table}}\n"
    );
}
