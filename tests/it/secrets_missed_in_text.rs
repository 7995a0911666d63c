//! Secrets the free-text rules once missed or over-cut: a `cmd` `set` in prose (its value to the
//! end of its command, as `cmd` reads it), PowerShell writes to `Env:` with quoted values, keys in quotes,
//! YAML lists nested in a mapping or written with `\n` escapes. Each secret appears in no
//! output: the timeline's JSON, `--all` JSONL and CSV, the report's PDF and its timeline JSON.

use crate::support;

use serde_json::{json, Value};
use support::honeytoken_calls::request_written;

/// The commands of an SSM `SendCommand` of `commands` as the timeline's JSON writes them, after
/// checking that no `PLANTED` value is in any format or in the report (`request_written`).
fn written(commands: &[&str]) -> Value {
    request_written(
        "ssm.amazonaws.com",
        "SendCommand",
        json!({"documentName": "AWS-RunShellScript", "instanceIds": ["i-0abc"],
               "parameters": {"commands": commands}}),
    )["parameters"]["commands"]
        .clone()
}

/// `cmd` reads `set NAME=a b` as setting `a b`: in prose as in a command, an unquoted value
/// goes to the end of its command or line (its second word was once shown); a quoted value
/// inside its quotes, the sentence after it kept.
#[test]
fn a_cmd_set_in_prose_loses_its_value_to_the_end_of_its_command() {
    let commands = written(&[
        "echo then I ran set token=PLANTED-1 and the deploy went fine",
        "set API_TOKEN=PLANTED 2 & echo done",
        "rem the job did set \"DB_PASSWORD=PLANTED 3\" then failed",
        "rem set DB_PASSWORD=a PLANTED-4 & echo done\necho next",
    ]);
    assert_eq!(
        commands,
        json!([
            "echo then I ran set token=[REDACTED]",
            "set API_TOKEN=[REDACTED] & echo done",
            "rem the job did set \"DB_PASSWORD=[REDACTED]\" then failed",
            "rem set DB_PASSWORD=[REDACTED] & echo done\necho next"
        ])
    );
}

#[test]
fn a_quoted_value_written_to_the_env_drive_is_redacted_whole() {
    let commands = written(&[
        "Set-Item -Path Env:API_KEY -Value 'a b PLANTED-1'",
        "Set-Item -Path Env:API_KEY -Value 'a;b (c) PLANTED-2'; Write-Host ok",
        "Set-Content -Path \"Env:DB_PASSWORD\" -Value \"it's PLANTED-3\" -Force",
        "Set-Item -Path Env:API_KEY -Value:'a b PLANTED-4'",
        "powershell -Command \"Set-Item -Path Env:API_KEY -Value 'a b PLANTED-5'\"",
        "Set-Item -Path Env:PATH -Value 'C:\\Program Files\\tools'",
    ]);
    assert_eq!(
        commands,
        json!([
            "Set-Item -Path Env:API_KEY -Value '[REDACTED]'",
            "Set-Item -Path Env:API_KEY -Value '[REDACTED]'; Write-Host ok",
            "Set-Content -Path \"Env:DB_PASSWORD\" -Value \"[REDACTED]\" -Force",
            "Set-Item -Path Env:API_KEY -Value:'[REDACTED]'",
            "powershell -Command \"Set-Item -Path Env:API_KEY -Value '[REDACTED]'\"",
            "Set-Item -Path Env:PATH -Value 'C:\\Program Files\\tools'"
        ])
    );
}

#[test]
fn keys_in_quotes_lose_their_secret_values_in_text_json_strings_and_yaml() {
    let live = "sk_live_PLANTED0123456789abcdefXYZ";
    let commands = written(&[
        &format!("echo '\"stripe_key\": \"{live}\", \"region\": \"us-east-1\"' >> cfg.json"),
        &format!("{{\"stripe_key\": \"{live}\", \"sort_key\": \"name\"}}"),
        "python -c \"print({'db_password': 'PLANTED-1'})\"; echo '`api_token`: PLANTED-2'",
        "config:\n  \"db_password\": PLANTED-3\n  'stripe_key': 'sk_live_PLANTED0123456789abcdefXYZ'\n",
        "reg add x & echo \"Password\"=\"PLANTED 4\" > a.reg",
    ]);
    assert_eq!(
        commands,
        json!([
            "echo '\"stripe_key\": \"[REDACTED]\", \"region\": \"us-east-1\"' >> cfg.json",
            "{\"stripe_key\":\"[REDACTED]\",\"sort_key\":\"name\"}",
            "python -c \"print({'db_password': '[REDACTED]'})\"; echo '`api_token`: [REDACTED]'",
            "config:\n  \"db_password\": [REDACTED]\n  'stripe_key': '[REDACTED]'\n",
            "reg add x & echo \"Password\"=\"[REDACTED]\" > a.reg"
        ])
    );
}

#[test]
fn yaml_lists_nested_spread_over_lines_or_escaped_lose_every_secret_item() {
    let commands = written(&[
        "echo -e \"secrets:\\n  passwords:\\n    - PLANTED-1\\n    - PLANTED-2\\n\" > s.yml",
        "body={\"cfg\": \"secrets:\\n  passwords:\\n    - PLANTED-3\"} 200",
        "passwords:\n  - |\n    PLANTED-4\n  - - PLANTED-5\n    - PLANTED-6\nusers:\n  - alice\n",
        "db_password: [\n  PLANTED-7,\n  PLANTED-8\n]\nuser: admin",
        "env:\n  - name: DB_PASSWORD\n    value: PLANTED-9\n  - name: PORT\n    value: \"5432\"\n",
        "printf 'env:\\n  - API_TOKEN=\\\"PLANTED 10\\\"\\n'",
    ]);
    assert_eq!(
        commands,
        json!([
            "echo -e \"secrets:\\n  passwords:\\n    - [REDACTED]\\n    - [REDACTED]\\n\" > s.yml",
            "body={\"cfg\": \"secrets:\\n  passwords:\\n    - [REDACTED]\"} 200",
            "passwords:\n  - |\n    [REDACTED]\n  - - [REDACTED]\n    - [REDACTED]\nusers:\n  - alice\n",
            "db_password: [REDACTED]\nuser: admin",
            // A Kubernetes `env` list is an environment: every value goes (rule 3).
            "env:\n  - name: DB_PASSWORD\n    value: [REDACTED]\n  - name: PORT\n    value: \"[REDACTED]\"\n",
            "printf 'env:\\n  - API_TOKEN=\\\"[REDACTED]\\\"\\n'"
        ])
    );
}

#[test]
fn a_password_named_by_its_short_form_is_redacted() {
    let commands = written(&[
        "export DB_PASS=PLANTED-1",
        "MYSQL_PW=PLANTED-2 ./migrate.sh",
        "export BYPASS_CACHE=1",
    ]);
    assert_eq!(
        commands,
        json!([
            "export DB_PASS=[REDACTED]",
            "MYSQL_PW=[REDACTED] ./migrate.sh",
            "export BYPASS_CACHE=1"
        ])
    );
}
