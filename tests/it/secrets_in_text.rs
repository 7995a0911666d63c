//! Secrets an actor passes in free text (a CloudFormation template, an SSM command, a container's
//! command line) are redacted in the timeline's records, their names kept; what only looks like a
//! secret by its name (a count of tokens, a pagination cursor) is kept.

use crate::support;

use serde_json::{json, Value};
use support::honeytoken_calls::{case, request_of};
use support::*;

#[test]
fn token_counts_and_cursors_are_kept_credential_tokens_redacted() {
    let dir = tempfile::tempdir().unwrap();
    case(
        dir.path(),
        &[(
            "bedrock.amazonaws.com",
            "InvokeModel",
            json!({
                "modelId": "anthropic.claude", "maxTokens": 512, "inputTokens": 40,
                "nextToken": "AAMA-cursor-1", "nextForwardToken": "f/3856", "sequenceToken": "4963",
                "githubToken": "ghp_PLANTED1", "exchangeToken": "PLANTED2",
                "headers": {"x-amz-security-token": "PLANTED3", "Authorization": "Bearer PLANTED4"},
                "body": "tokens=3 maxTokens=512 accessToken=PLANTED5 refresh_token=PLANTED6 tokens=PLANTED7"
            }),
        )],
    );
    let doc = timeline_of(dir.path());
    let text = doc.to_string();
    assert!(!text.contains("PLANTED"), "{text}");
    let req = request_of(&doc, "bedrock:InvokeModel");
    assert_eq!(req["maxTokens"], 512);
    assert_eq!(req["inputTokens"], 40);
    assert_eq!(req["nextToken"], "AAMA-cursor-1");
    assert_eq!(req["nextForwardToken"], "f/3856");
    assert_eq!(req["sequenceToken"], "4963");
    assert_eq!(req["githubToken"], "[REDACTED]");
    assert_eq!(req["exchangeToken"], "[REDACTED]");
    assert_eq!(req["headers"]["x-amz-security-token"], "[REDACTED]");
    assert_eq!(
        req["body"],
        "tokens=3 maxTokens=512 accessToken=[REDACTED] refresh_token=[REDACTED] tokens=[REDACTED]"
    );
}

#[test]
fn secrets_in_templates_commands_and_arguments_are_redacted_their_names_kept() {
    let dir = tempfile::tempdir().unwrap();
    let template = "Resources:\n  DB:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      \
                    MasterUsername: admin\n      password: PLANTED-1\n      \
                    Password: \"PLANTED-2\"\n      MasterUserPassword: !Ref DbPassword\n      \
                    Description: the password is rotated daily\n[client]\n\
                    db_password = PLANTED-3\nuser = admin\n";
    case(
        dir.path(),
        &[
            (
                "cloudformation.amazonaws.com",
                "CreateStack",
                json!({"stackName": "s1", "templateBody": template}),
            ),
            (
                "ssm.amazonaws.com",
                "SendCommand",
                json!({"documentName": "AWS-RunShellScript", "instanceIds": ["i-0abc"],
                       "parameters": {"commands": [
                           "mysql -h db -u admin -pPLANTED-4 app",
                           "sshpass -p PLANTED-5 ssh -p 2222 admin@h",
                           "tool --password PLANTED-6 --user admin; tool --password=PLANTED-7",
                           "aws configure set --secret-key PLANTED-8 && curl --token PLANTED-9 https://x",
                           "ls -p /tmp; echo the password is -p protected",
                           "docker login --password-stdin registry.example"]}}),
            ),
            (
                "ecs.amazonaws.com",
                "RunTask",
                json!({"cluster": "c", "taskDefinition": "td", "overrides": {"containerOverrides": [
                    {"name": "app", "command": ["mysql", "--password", "PLANTED-10", "-h", "db"]}]}}),
            ),
            (
                "codebuild.amazonaws.com",
                "StartBuild",
                json!({"projectName": "p",
                       "buildspecOverride": "version: 0.2\nphases:\n  build:\n    commands:\n      - redis-cli -a PLANTED-11 PING\nenv:\n  variables:\n    token: PLANTED-12\n"}),
            ),
        ],
    );
    let doc = timeline_of(dir.path());
    let text = doc.to_string();
    assert!(!text.contains("PLANTED"), "{text}");

    let stack = request_of(&doc, "cloudformation:CreateStack")["templateBody"]
        .as_str()
        .unwrap();
    assert_eq!(
        stack,
        template
            .replace("PLANTED-1", "[REDACTED]")
            .replace("PLANTED-2", "[REDACTED]")
            .replace("PLANTED-3", "[REDACTED]")
    );
    let commands = &request_of(&doc, "ssm:SendCommand")["parameters"]["commands"];
    assert_eq!(
        commands,
        &json!([
            "mysql -h db -u admin -p[REDACTED] app",
            "sshpass -p [REDACTED] ssh -p 2222 admin@h",
            "tool --password [REDACTED] --user admin; tool --password=[REDACTED]",
            "aws configure set --secret-key [REDACTED] && curl --token [REDACTED] https://x",
            "ls -p /tmp; echo the password is -p protected",
            "docker login --password-stdin registry.example"
        ])
    );
    assert_eq!(
        request_of(&doc, "ecs:RunTask")["overrides"]["containerOverrides"][0]["command"],
        json!(["mysql", "--password", "[REDACTED]", "-h", "db"])
    );
    let buildspec = request_of(&doc, "codebuild:StartBuild")["buildspecOverride"]
        .as_str()
        .unwrap();
    assert!(
        buildspec.contains("- redis-cli -a [REDACTED] PING")
            && buildspec.contains("token: [REDACTED]"),
        "{buildspec}"
    );
}

#[test]
fn stack_parameters_and_no_echo_defaults_are_redacted_other_parameters_kept() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = "Parameters:\n  DbPass:\n    Type: String\n    NoEcho: true\n    \
                Default: PLANTED-1\n  Env:\n    Type: String\n    Default: prod\n";
    let json_template = json!({"Parameters": {
        "MasterKey": {"Type": "String", "NoEcho": "true", "Default": "PLANTED-2"},
        "Size": {"Type": "Number", "Default": 20}}})
    .to_string();
    case(
        dir.path(),
        &[
            (
                "cloudformation.amazonaws.com",
                "CreateStack",
                json!({"stackName": "s1", "templateBody": yaml, "parameters": [
                    {"parameterKey": "DBPassword", "parameterValue": "PLANTED-3"},
                    {"parameterKey": "Env", "parameterValue": "prod"}]}),
            ),
            (
                "cloudformation.amazonaws.com",
                "UpdateStack",
                json!({"stackName": "s1", "templateBody": json_template}),
            ),
        ],
    );
    let doc = timeline_of(dir.path());
    assert!(!doc.to_string().contains("PLANTED"), "{doc}");
    let create = request_of(&doc, "cloudformation:CreateStack");
    assert_eq!(
        create["templateBody"],
        yaml.replace("PLANTED-1", "[REDACTED]")
    );
    assert_eq!(
        create["parameters"],
        json!([{"parameterKey": "DBPassword", "parameterValue": "[REDACTED]"},
               {"parameterKey": "Env", "parameterValue": "prod"}])
    );
    let update: Value = serde_json::from_str(
        request_of(&doc, "cloudformation:UpdateStack")["templateBody"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(update["Parameters"]["MasterKey"]["Default"], "[REDACTED]");
    assert_eq!(update["Parameters"]["Size"]["Default"], 20);
}

#[test]
fn private_key_blocks_are_redacted_whatever_their_field_their_begin_and_end_lines_kept() {
    let dir = tempfile::tempdir().unwrap();
    let rsa = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA-PLANTED-1\nAAKCAQEA\n\
               -----END RSA PRIVATE KEY-----";
    let buildspec = "version: 0.2\nphases:\n  build:\n    commands:\n      - |\n        \
                     cat > id <<K\n        -----BEGIN OPENSSH PRIVATE KEY-----\n        \
                     b3BlbnNzaC-PLANTED-2\n        -----END OPENSSH PRIVATE KEY-----\n        K\n";
    let cert = "-----BEGIN CERTIFICATE-----\nMIICertificateBody\n-----END CERTIFICATE-----";
    case(
        dir.path(),
        &[
            (
                "ssm.amazonaws.com",
                "SendCommand",
                json!({"documentName": "AWS-RunShellScript", "instanceIds": ["i-0abc"],
                       "parameters": {"commands": [
                           format!("printf '%s\\n' \"{rsa}\" > /root/.ssh/id_rsa"),
                           "echo '-----BEGIN EC PRIVATE KEY-----\\nMHcC-PLANTED-3\\n-----END EC PRIVATE KEY-----' > k",
                           "openssl genrsa -out key.pem 2048"]}}),
            ),
            (
                "codebuild.amazonaws.com",
                "StartBuild",
                json!({"projectName": "p", "buildspecOverride": buildspec}),
            ),
            (
                "acm.amazonaws.com",
                "ImportCertificate",
                json!({"certificate": cert,
                       "note": "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIF-PLANTED-4 (cut short"}),
            ),
        ],
    );
    let doc = timeline_of(dir.path());
    let text = doc.to_string();
    assert!(!text.contains("PLANTED"), "{text}");
    assert_eq!(
        request_of(&doc, "ssm:SendCommand")["parameters"]["commands"],
        json!([
            "printf '%s\\n' \"-----BEGIN RSA PRIVATE KEY-----\n[REDACTED]\n-----END RSA PRIVATE KEY-----\" > /root/.ssh/id_rsa",
            "echo '-----BEGIN EC PRIVATE KEY-----\\n[REDACTED]\\n-----END EC PRIVATE KEY-----' > k",
            "openssl genrsa -out key.pem 2048"
        ])
    );
    assert_eq!(
        request_of(&doc, "codebuild:StartBuild")["buildspecOverride"],
        buildspec.replace("b3BlbnNzaC-PLANTED-2", "[REDACTED]")
    );
    let acm = request_of(&doc, "acm:ImportCertificate");
    assert_eq!(acm["certificate"], cert);
    assert_eq!(
        acm["note"],
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\n[REDACTED]"
    );
}

#[test]
fn aws_configure_openssl_keytool_and_database_client_passwords_are_redacted() {
    let dir = tempfile::tempdir().unwrap();
    case(
        dir.path(),
        &[(
            "ssm.amazonaws.com",
            "SendCommand",
            json!({"documentName": "AWS-RunShellScript", "instanceIds": ["i-0abc"],
                   "parameters": {"commands": [
                       "aws configure set aws_access_key_id AKIAEXAMPLEKEY01",
                       "aws configure set aws_secret_access_key PLANTED-1 --profile ops",
                       "aws --profile ops configure set aws_session_token PLANTED-2",
                       "aws configure set region us-east-1",
                       "export AWS_SECRET_ACCESS_KEY=PLANTED-3 AWS_SESSION_TOKEN=PLANTED-4",
                       "openssl pkcs12 -export -in c.pem -passin pass:PLANTED-5 -passout pass:PLANTED-6 -out c.p12",
                       "openssl enc -d -aes256 -pass env:KEY_PASS -in x; openssl rsa -passin file:/run/p -in k",
                       "keytool -importkeystore -srcstorepass PLANTED-7 -deststorepass PLANTED-8 -destkeystore ks",
                       "keytool -storepasswd -new PLANTED-9 -storepass:env STORE_PASS -keystore ks",
                       "sqlcmd -S db -U sa -P PLANTED-10 -Q \"SELECT 1\"",
                       "mongosh -u admin -p PLANTED-11 --authenticationDatabase admin; ssh -p 2222 h",
                       "psql postgresql://admin:PLANTED-12@db:5432/app -c 'select 1'",
                       "psql \"host=db user=admin password=PLANTED-13 dbname=app\""]}}),
        )],
    );
    let doc = timeline_of(dir.path());
    let text = doc.to_string();
    assert!(!text.contains("PLANTED"), "{text}");
    assert_eq!(
        request_of(&doc, "ssm:SendCommand")["parameters"]["commands"],
        json!([
            "aws configure set aws_access_key_id AKIAEXAMPLEKEY01",
            "aws configure set aws_secret_access_key [REDACTED] --profile ops",
            "aws --profile ops configure set aws_session_token [REDACTED]",
            "aws configure set region us-east-1",
            "export AWS_SECRET_ACCESS_KEY=[REDACTED] AWS_SESSION_TOKEN=[REDACTED]",
            "openssl pkcs12 -export -in c.pem -passin pass:[REDACTED] -passout pass:[REDACTED] -out c.p12",
            "openssl enc -d -aes256 -pass env:KEY_PASS -in x; openssl rsa -passin file:/run/p -in k",
            "keytool -importkeystore -srcstorepass [REDACTED] -deststorepass [REDACTED] -destkeystore ks",
            "keytool -storepasswd -new [REDACTED] -storepass:env STORE_PASS -keystore ks",
            "sqlcmd -S db -U sa -P [REDACTED] -Q \"SELECT 1\"",
            "mongosh -u admin -p [REDACTED] --authenticationDatabase admin; ssh -p 2222 h",
            "psql postgresql://admin:[REDACTED]@db:5432/app -c 'select 1'",
            "psql \"host=db user=admin password=[REDACTED] dbname=app\""
        ])
    );
}

#[test]
fn secrets_in_mappings_written_inside_a_longer_string_are_redacted_their_keys_kept() {
    let dir = tempfile::tempdir().unwrap();
    case(
        dir.path(),
        &[(
            "states.amazonaws.com",
            "StartExecution",
            json!({"stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:sm",
                   "name": "run-1",
                   "comment": "retry with {password: PLANTED-1, user: admin, passwordResetRequired: true}",
                   "trace": "POST /login body={\"user\":\"admin\",\"password\":\"PLANTED-2\"} -> 401",
                   "debug": "kwargs={'aws_secret_access_key': 'PLANTED-3', 'region_name': 'us-east-1'}",
                   "note": "{ordinary: text, maxTokens: 512} and {\"passwordLength\": 16}"}),
        )],
    );
    let doc = timeline_of(dir.path());
    let text = doc.to_string();
    assert!(!text.contains("PLANTED"), "{text}");
    let req = request_of(&doc, "states:StartExecution");
    assert_eq!(
        req["comment"],
        "retry with {password: [REDACTED], user: admin, passwordResetRequired: true}"
    );
    assert_eq!(
        req["trace"],
        "POST /login body={\"user\":\"admin\",\"password\":\"[REDACTED]\"} -> 401"
    );
    assert_eq!(
        req["debug"],
        "kwargs={'aws_secret_access_key': '[REDACTED]', 'region_name': 'us-east-1'}"
    );
    assert_eq!(
        req["note"],
        "{ordinary: text, maxTokens: 512} and {\"passwordLength\": 16}"
    );
}
