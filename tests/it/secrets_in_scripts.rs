//! Secrets an actor writes in a script or a command (an SSM `SendCommand`'s `commands`, a
//! CodeBuild buildspec, a Step Functions input): OpenSSL's `-k`/`-K`, PowerShell's environment
//! assignments, lists under a secret-bearing key of an inline mapping, PuTTY private keys. Each
//! value is redacted in every format the timeline's records are written in, what names it kept;
//! what only looks like one of them is kept whole.

use crate::support;

use serde_json::{json, Value};
use support::honeytoken_calls::{case, request_of};
use support::*;

/// The commands of a `SendCommand` run as the timeline writes them, for a case of `commands`
/// in `dir`; no `PLANTED` value is left in the timeline.
fn sent(dir: &std::path::Path, commands: &[&str]) -> Value {
    case(
        dir,
        &[(
            "ssm.amazonaws.com",
            "SendCommand",
            json!({"documentName": "AWS-RunShellScript", "instanceIds": ["i-0abc"],
                   "parameters": {"commands": commands}}),
        )],
    );
    let doc = timeline_of(dir);
    let text = doc.to_string();
    assert!(!text.contains("PLANTED"), "{text}");
    request_of(&doc, "ssm:SendCommand")["parameters"]["commands"].clone()
}

#[test]
fn openssl_k_passwords_and_hex_keys_are_redacted_curl_k_and_kfile_kept() {
    let dir = tempfile::tempdir().unwrap();
    let commands = sent(
        dir.path(),
        &[
            "openssl enc -aes-256-cbc -salt -k PLANTED-hunter2secret -in db.sql -out db.enc",
            "openssl enc -aes-128-cbc -K 00112233445566778899aabbccPLANTED -iv 0102030405060708 -in x",
            "openssl enc -d -aes-256-cbc -kfile /run/secrets/k -in db.enc; curl -k https://198.51.100.7/x",
            "sort -k 2 users.txt",
        ],
    );
    assert_eq!(
        commands,
        json!([
            "openssl enc -aes-256-cbc -salt -k [REDACTED] -in db.sql -out db.enc",
            "openssl enc -aes-128-cbc -K [REDACTED] -iv 0102030405060708 -in x",
            "openssl enc -d -aes-256-cbc -kfile /run/secrets/k -in db.enc; curl -k https://198.51.100.7/x",
            "sort -k 2 users.txt"
        ])
    );
}

#[test]
fn every_element_of_a_secret_list_in_an_inline_mapping_is_redacted_other_lists_kept() {
    let dir = tempfile::tempdir().unwrap();
    case(
        dir.path(),
        &[(
            "states.amazonaws.com",
            "StartExecution",
            json!({"stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:sm",
                   "name": "run-2",
                   "comment": "rotate {passwords: [PLANTED-1, 'PLANTED 2'], users: [alice, bob]}",
                   "trace": "retry {\"user\": \"a\", \"api_keys\": [\"PLANTED-3\",\"PLANTED-4\"], \"regions\": [\"us-east-1\"]} -> 403",
                   "note": "{secretNames: [db-creds, api-creds], maxTokens: [512, 1024]}"}),
        )],
    );
    let doc = timeline_of(dir.path());
    let text = doc.to_string();
    assert!(!text.contains("PLANTED"), "{text}");
    let req = request_of(&doc, "states:StartExecution");
    assert_eq!(
        req["comment"],
        "rotate {passwords: [[REDACTED], '[REDACTED]'], users: [alice, bob]}"
    );
    assert_eq!(
        req["trace"],
        "retry {\"user\": \"a\", \"api_keys\": [\"[REDACTED]\",\"[REDACTED]\"], \"regions\": [\"us-east-1\"]} -> 403"
    );
    assert_eq!(
        req["note"],
        "{secretNames: [db-creds, api-creds], maxTokens: [512, 1024]}"
    );
}

#[test]
fn powershell_environment_assignments_lose_their_secret_values_path_and_reads_kept() {
    let dir = tempfile::tempdir().unwrap();
    case(
        dir.path(),
        &[(
            "ssm.amazonaws.com",
            "SendCommand",
            json!({"documentName": "AWS-RunPowerShellScript", "instanceIds": ["i-0abc"],
                   "parameters": {"commands": [
                       "$env:AWS_SECRET_ACCESS_KEY = \"wJalrXUtnFEMI/K7MDENG/PLANTED-1\"",
                       "$Env:DB_PASSWORD='p@ss w0rd PLANTED-2'",
                       "[Environment]::SetEnvironmentVariable(\"DB_PASSWORD\", \"x y z PLANTED-3\", \"Machine\")",
                       "Write-Output $env:PATH; $env:PATH = \"C:\\tools;$env:PATH\"",
                       "$env:DB_PASSWORD = (Get-SECSecretValue -SecretId db).SecretString"]}}),
        )],
    );
    let doc = timeline_of(dir.path());
    let text = doc.to_string();
    assert!(!text.contains("PLANTED"), "{text}");
    assert_eq!(
        request_of(&doc, "ssm:SendCommand")["parameters"]["commands"],
        json!([
            "$env:AWS_SECRET_ACCESS_KEY = \"[REDACTED]\"",
            "$Env:DB_PASSWORD='[REDACTED]'",
            "[Environment]::SetEnvironmentVariable(\"DB_PASSWORD\", \"[REDACTED]\", \"Machine\")",
            "Write-Output $env:PATH; $env:PATH = \"C:\\tools;$env:PATH\"",
            "$env:DB_PASSWORD = (Get-SECSecretValue -SecretId db).SecretString"
        ])
    );
}

#[test]
fn putty_private_keys_lose_their_private_lines_and_mac_their_public_part_kept() {
    let dir = tempfile::tempdir().unwrap();
    let public = "Public-Lines: 2\nAAAAB3NzaC1yc2EAAAADAQABAAABAQC7\nvVQk0rXq9w==\n";
    let ppk2 = format!(
        "PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\nComment: rsa-key-20261120\n{public}\
         Private-Lines: 3\nAAABAQCPLANTED1\nAAAAgQDPLANTED2\nAAAAgQDPLANTED3\n\
         Private-MAC: 5f3ab2PLANTED4\n"
    );
    let ppk3 = "echo 'PuTTY-User-Key-File-3: ssh-ed25519\\nEncryption: aes256-cbc\\n\
                Comment: ops\\nPublic-Lines: 1\\nAAAAC3NzaC1lZDI1NTE5\\nKey-Derivation: Argon2id\\n\
                Argon2-Salt: 0ad1\\nPrivate-Lines: 1\\nq83kPLANTED5\\nPrivate-MAC: c0ffeePLANTED6\\n' \
                > C:\\Users\\ops\\.ssh\\ops.ppk";
    let listing = "dir C:\\Users\\ops\\.ssh; puttygen ops.ppk -O public-openssh -o ops.pub";
    case(
        dir.path(),
        &[(
            "ssm.amazonaws.com",
            "SendCommand",
            json!({"documentName": "AWS-RunPowerShellScript", "instanceIds": ["i-0abc"],
                   "parameters": {"commands": [ppk2, ppk3, listing]}}),
        )],
    );
    let doc = timeline_of(dir.path());
    let text = doc.to_string();
    assert!(!text.contains("PLANTED"), "{text}");
    assert_eq!(
        request_of(&doc, "ssm:SendCommand")["parameters"]["commands"],
        json!([
            format!(
                "PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\nComment: rsa-key-20261120\n\
                 {public}Private-Lines: 3\n[REDACTED]\nPrivate-MAC: [REDACTED]\n"
            ),
            "echo 'PuTTY-User-Key-File-3: ssh-ed25519\\nEncryption: aes256-cbc\\n\
             Comment: ops\\nPublic-Lines: 1\\nAAAAC3NzaC1lZDI1NTE5\\nKey-Derivation: Argon2id\\n\
             Argon2-Salt: 0ad1\\nPrivate-Lines: 1\\n[REDACTED]\\nPrivate-MAC: [REDACTED]\\n' \
             > C:\\Users\\ops\\.ssh\\ops.ppk",
            listing
        ])
    );
}

#[test]
fn every_item_of_a_yaml_block_list_under_a_secret_key_is_redacted_other_lists_kept() {
    let dir = tempfile::tempdir().unwrap();
    let template = "Mappings:\n  Rotation:\n    passwords:\n      - PLANTED-1\n      - \"PLANTED 2\"\n\
                    \x20   users:\n      - alice\n      - bob\n    DbPasswords:\n      - !Ref DbPassword\n";
    let document = "schemaVersion: '2.2'\nparameters:\n  tokens:\n  - 'PLANTED-3'\n  regions:\n  - us-east-1\n";
    case(
        dir.path(),
        &[
            (
                "cloudformation.amazonaws.com",
                "CreateStack",
                json!({"stackName": "app", "templateBody": template}),
            ),
            (
                "ssm.amazonaws.com",
                "CreateDocument",
                json!({"name": "rotate", "documentFormat": "YAML", "content": document}),
            ),
        ],
    );
    let doc = timeline_of(dir.path());
    let text = doc.to_string();
    assert!(!text.contains("PLANTED"), "{text}");
    assert_eq!(
        request_of(&doc, "cloudformation:CreateStack")["templateBody"],
        "Mappings:\n  Rotation:\n    passwords:\n      - [REDACTED]\n      - \"[REDACTED]\"\n    \
         users:\n      - alice\n      - bob\n    DbPasswords:\n      - !Ref DbPassword\n"
    );
    assert_eq!(
        request_of(&doc, "ssm:CreateDocument")["content"],
        "schemaVersion: '2.2'\nparameters:\n  tokens:\n  - '[REDACTED]'\n  regions:\n  - us-east-1\n"
    );
}

#[test]
fn windows_set_setx_and_set_item_of_a_secret_variable_lose_the_whole_value_path_kept() {
    let dir = tempfile::tempdir().unwrap();
    let commands = sent(
        dir.path(),
        &[
            "set \"DB_PASSWORD=p@ss PLANTED-1\" & set PATH=C:\\tools;%PATH%",
            "setx DB_PASSWORD \"x y PLANTED-2\" /M && setx API_TOKEN PLANTED-3",
            "Set-Item Env:DB_PASSWORD -Value PLANTED-4; Set-Item -Path Env:API_TOKEN -Value \"x PLANTED-5\"",
            "setx JAVA_HOME \"C:\\Program Files\\Java\"; Set-Item Env:PATH -Value C:\\bin; Get-Item Env:DB_PASSWORD",
        ],
    );
    assert_eq!(
        commands,
        json!([
            "set \"DB_PASSWORD=[REDACTED]\" & set PATH=C:\\tools;%PATH%",
            "setx DB_PASSWORD \"[REDACTED]\" /M && setx API_TOKEN [REDACTED]",
            "Set-Item Env:DB_PASSWORD -Value [REDACTED]; Set-Item -Path Env:API_TOKEN -Value \"[REDACTED]\"",
            "setx JAVA_HOME \"C:\\Program Files\\Java\"; Set-Item Env:PATH -Value C:\\bin; Get-Item Env:DB_PASSWORD"
        ])
    );
}

#[test]
fn a_brace_inside_a_quoted_value_does_not_hide_an_inline_mappings_secret() {
    let dir = tempfile::tempdir().unwrap();
    let commands = sent(
        dir.path(),
        &[
            "echo '{note: \"}\", password: PLANTED-1, user: admin}' > cfg.yml",
            "log {\"msg\": \"closing }\", \"api_key\": \"PLANTED-2\", \"path\": \"a:{b\"}",
            "echo {note: \"}\"} password: kept-not-in-braces",
        ],
    );
    assert_eq!(
        commands,
        json!([
            "echo '{note: \"}\", password: [REDACTED], user: admin}' > cfg.yml",
            "log {\"msg\": \"closing }\", \"api_key\": \"[REDACTED]\", \"path\": \"a:{b\"}",
            "echo {note: \"}\"} password: kept-not-in-braces"
        ])
    );
}

#[test]
fn a_key_holding_a_credential_is_redacted_a_key_naming_a_field_kept() {
    let dir = tempfile::tempdir().unwrap();
    let commands = sent(
        dir.path(),
        &[
            "export STRIPE_KEY=sk_live_PLANTED0123456789abcdefXYZ && node app.js",
            "echo 'sendgrid_key: \"SG.PLANTED0123456789abcdef.ghijkl\"' >> .env",
            "export SORT_KEY=name PARTITION_KEY=id S3_KEY=uploads/2024/report.pdf",
            "export KMS_KEY=arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        ],
    );
    assert_eq!(
        commands,
        json!([
            "export STRIPE_KEY=[REDACTED] && node app.js",
            "echo 'sendgrid_key: \"[REDACTED]\"' >> .env",
            "export SORT_KEY=name PARTITION_KEY=id S3_KEY=uploads/2024/report.pdf",
            "export KMS_KEY=arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        ])
    );
}

#[test]
fn no_format_and_no_report_carries_a_script_secret() {
    let evidence = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let commands = [
        "openssl enc -aes-256-cbc -k PLANTED-1 -in db.sql",
        "$env:AWS_SECRET_ACCESS_KEY = \"PLANTED-2\"",
        "echo {passwords: [PLANTED-3, PLANTED-4]}",
        "echo 'PuTTY-User-Key-File-2: ssh-rsa\\nPrivate-Lines: 1\\nPLANTED-5\\nPrivate-MAC: PLANTED-6\\n' > k.ppk",
    ];
    sent(evidence.path(), &commands);
    let case = evidence.path().to_str().unwrap();
    for format in ["jsonl", "csv", "timesketch", "iocs"] {
        let formats = [(format, false), (format, format != "iocs")];
        not_in_timelines(&[], case, &formats, "PLANTED");
    }
    let pdf = out.path().join("report.pdf");
    let json = out.path().join("timeline.json");
    let run = report_pdf(&pdf, &["--timeline-json", json.to_str().unwrap(), case]);
    assert!(run.code <= 1, "{}", run.stderr);
    let written = std::fs::read_to_string(&json).unwrap();
    assert!(written.contains("-k [REDACTED]"), "{written}");
    assert!(!written.contains("PLANTED"), "{written}");
    assert!(!pdf_text(&pdf).contains("PLANTED"));
}
