//! Never print secret values or credentials: a record's secret-bearing values are replaced with
//! `"[REDACTED]"` before the record leaves the tool (the JSON formats' `record`, the report's
//! `--timeline-json`). The analysis reads the evidence as it is; only what is written is redacted.
//! A whole value is replaced by the string `"[REDACTED]"`; a secret inside a longer string is
//! replaced by `[REDACTED]` in place, the rest of the string kept (`token [REDACTED] is invalid`).
//! Names (of keys, of variables, of users in a URL) are evidence and are always kept.
//!
//! The rules (documented in the README, "Secrets"):
//! 1. **By key name.** A key is compared lowercased with `_`, `-` and `.` removed. It is
//!    secret-bearing when it contains one of [`names::SECRET_WORDS`] (`secret`, `password`,
//!    `privatekey`, `keymaterial`, `plaintext`, …) or names a credential token: it ends in
//!    `token` (`token`, `sessionToken`, `accessToken`, `X-Amz-Security-Token`, `githubToken`)
//!    but not in a cursor's or a request's `token` ([`names::NOT_CREDENTIAL_TOKENS`], whole words:
//!    `nextToken`, `pageToken`, `clientRequestToken`, `sequenceToken`), or holds a token's value
//!    (`tokenCode`). A key that names an identifier or a property rather than a value is not:
//!    one ending in one of [`names::NOT_SECRET_SUFFIXES`] (`secretId`, `secretArn`, `secretName`,
//!    `tokenIssueTime`, `tokenCount`, `passwordLastUsed`, …). The strings and numbers under a
//!    secret-bearing key are replaced (also inside its arrays, and in the objects under it at
//!    any depth, `{"secrets": {"db": "x"}}`, their keys kept, except a member whose key names an
//!    identifier, a property or a reference by the suffixes above or `valueFrom`: `{"secrets":
//!    [{"name": "DB", "valueFrom": "arn:…"}]}` keeps both); booleans and `null` are kept (`passwordResetRequired: true` reveals
//!    nothing). KMS's `plaintext` is always replaced by this rule. Under a key ending in `tokens`
//!    (`maxTokens`, `inputTokens`) a number is a count and is kept, a string replaced.
//! 2. **Name/value pairs.** An object with a `name` (or `key`, CloudFormation's
//!    `parameterKey`, Elastic Beanstalk's `optionName`) and a `value` (`parameterValue`) whose
//!    name is secret-bearing by rule 1 has
//!    its value replaced (`{"name": "DB_PASSWORD", "value": "…"}`, `{"parameterKey":
//!    "DBPassword", "parameterValue": "…"}`).
//! 3. **Environment variables, whatever their names.** Every value of a process environment is
//!    replaced, its names kept: any variable can hold a credential (`DATABASE_URL`, `DB_CONN`,
//!    `TOKEN_2`). An environment is what is under a key named `environment` or `env`
//!    (Kubernetes), or naming the variables (`environmentVariables`, CodeBuild's
//!    `environmentVariablesOverride`, App Runner's `runtimeEnvironmentVariables`; any case): the
//!    map under its `variables` (Lambda), the `value` of each name/value pair of a list (ECS,
//!    Batch, CodeBuild, ECS overrides, Kubernetes), a map under a key naming the variables
//!    whatever its keys (Amplify), or a map under `environment` all of whose keys are variable
//!    names (upper case, digits, `_`: an EventBridge input) or, in something that runs (an
//!    object with an `image`, a `command`, a `handler`, an `algorithmSpecification`…, or under
//!    a key naming containers, `primaryContainer`), all of whose values are strings or
//!    numbers, none under a key describing an environment (`type`, `image`, `name`, …:
//!    SageMaker; `{"tier": "production", "region": …}` elsewhere is kept); Elastic Beanstalk's option settings in the namespace
//!    `aws:elasticbeanstalk:application:environment`; each `NAME=value` item of a list under
//!    such a key (Docker's `Env`), the name kept; the `properties` of an EMR configuration of
//!    classification `export`; Spark's `spark.executorEnv.NAME=value` (and `appMasterEnv`,
//!    `driverEnv`) in any string ([`spark_env`]); the same in an environment written as a
//!    JSON string, and in one written in YAML text (a template's `Environment:` / `Variables:`,
//!    in block or flow style ([`yaml_flow`]),
//!    an ECS `Environment` list, a compose file's `environment:`, a Kubernetes `env:` list, a
//!    buildspec's `env:` / `variables:`; [`yaml_environment`]). A CodeBuild variable of `type`
//!    `PARAMETER_STORE` or `SECRETS_MANAGER` keeps its value: it names the parameter or the
//!    secret the build reads (evidence), not the secret. Other keys beside (an image, a compute
//!    type) follow the ordinary rules.
//! 4. **Per API.** Fields whose key says nothing but whose value is the secret: see [`PER_API`]
//!    (SSM `PutParameter`'s `value`, Fleet Manager's `StartConnection` `ConnectionKey`).
//! 5. **Inside any string.** Wherever it is, in a string of any length (an error message, a
//!    presigned URL, a shell command):
//!    - an STS session token (it starts as every one does: [`in_strings::SESSION_TOKEN_PREFIXES`]), to the
//!      end of its base64 (URL-encoded or not);
//!    - the value of an assignment `NAME=value` whose `NAME` is secret-bearing by rule 1 or is a
//!      request signature (`PGPASSWORD=…` in a command, `X-Amz-Security-Token=…`,
//!      `X-Amz-Signature=…`, `Signature=…` in a query string), to the next space, `&`, `;`,
//!      `,` or quote (inside the quotes when the value is quoted). `X-Amz-Credential` is kept:
//!      it is an access key id, which the exports keep as evidence everywhere;
//!    - the password of a URL's user information (`postgres://admin:[REDACTED]@db:5432/x`);
//!    - free text: the value of a configuration line ([`config_lines`]) whose name, at the start
//!      of its line, is secret-bearing (`password: x`, `Password: "x"` in YAML, `db_password =
//!      x` in INI; a YAML block `privateKey: |` below it; each item of a YAML block list
//!      `passwords:` / `- a` / `- b` below it ([`yaml_lists`]), nested lists and items spread over
//!      lines too; the `value` of a YAML `- name: DB_PASSWORD` item ([`yaml_pairs`]); lines
//!      written with `\n` escapes count as lines ([`lines`]); `!Ref DbPassword` kept), the value
//!      after a command line's secret option ([`command_lines`]: `--password x`, `--secret-key x`, `--token x`; not
//!      `--password-stdin`, `--no-password`, `--secret-id`), also the next element of a command
//!      array (`["mysql", "--password", "x"]`), and the passwords of well-known clients
//!      (`mysql -px`, `sshpass -p x`, `redis-cli -a x`, `curl -u user:x`, `sqlcmd -P x`,
//!      `mongosh -p x`, `keytool -new x`), `aws configure set aws_secret_access_key x` (a
//!      secret-bearing name), OpenSSL's `-passin pass:x` (not `env:VAR`, `file:path`), `-k x` and `-K hexkey` (after
//!      `openssl` only: `curl -k` is kept) and Java's
//!      `-storepass x`, `-keypass x`;
//!    - PowerShell's assignments to an environment variable whose name is secret-bearing
//!      (`$env:DB_PASSWORD = "x"`, `[Environment]::SetEnvironmentVariable("DB_PASSWORD", "x")`;
//!      `$env:PATH` kept; `Set-Item Env:DB_PASSWORD -Value x` too) ([`powershell`]), and `cmd`'s
//!      `set "DB_PASSWORD=a b"` / `setx DB_PASSWORD "a b"`, the whole value ([`cmd`]);
//!    - the value of `NAME=value` or `NAME: value` whose name ends in the word `key` alone
//!      (`STRIPE_KEY`) when it looks like a credential (`sk_live_…`, 32+ random characters;
//!      `SORT_KEY=name` kept) ([`keys`]);
//!    - the value of a key written in quotes anywhere (`"db_password": "x"`, `'db_password':
//!      'x'`, `` `db_password`: x ``, `“Password”: “x”`, `\"db_password\": \"x\"`, `"Password"="x"`),
//!      rule 1's names and `…_key` alone holding a credential ([`quoted_keys`]); a `…_key`
//!      JSON key holding a credential (`{"stripe_key": "sk_live_…"}`) too;
//!    - the value of a secret-bearing key of a mapping written inline in the string (`{password:
//!      x, user: y}`, `body={"password":"x"}`, `{'secret_key': 'x'}`), rule 1's names, each
//!      element of it when it is a list (`{passwords: [a, b]}`) ([`inline_mappings`]);
//!    - the body of a PEM private key block (`-----BEGIN RSA PRIVATE KEY-----` … `-----END RSA
//!      PRIVATE KEY-----`, also `EC`, `OPENSSH`, `ENCRYPTED`), its BEGIN and END lines kept
//!      ([`pem`]);
//!    - the private lines and MAC of a PuTTY private key (`.ppk` text: `Private-Lines: N` and
//!      the lines under it, `Private-MAC:`), its header and public lines kept ([`putty`]).
//! 6. **Inside JSON-encoded strings.** A string holding a JSON object or array (a Lambda
//!    environment, a Step Functions input, a CloudFormation template) is parsed and redacted by
//!    the same rules; when anything in it was replaced, the string is written again from the
//!    redacted value, otherwise it is kept exactly as it was.
//!
//! Cost: a string is scanned by `memchr` passes (`-----BEGIN `, two token prefixes, `=`, `://`, `{` then `:`,
//! `:`/`=` and `-` for free text); only where one finds a candidate is anything compared or copied (free
//! text: split into lines or words).
//!
//! Rule 1 is [`names`], rule 3 [`environment`], rule 5's shapes in any string [`in_strings`] and
//! its free-text families one file each (listed above).
//!
//! Pure: no I/O; depends on nothing else of the crate.

use serde_json::{Map, Value};
use std::borrow::Cow;

mod cmd;
mod command_lines;
mod config_lines;
mod environment;
mod in_strings;
mod inline_mappings;
mod keys;
mod lines;
mod names;
mod pem;
mod powershell;
mod putty;
mod quoted_keys;
mod spark_env;
mod yaml_environment;
mod yaml_flow;
mod yaml_lists;
mod yaml_pairs;

use environment::{beanstalk_variable, emr_export, environment_under, is_environment_key};
use in_strings::{assignments, tokens, userinfo};
use names::{holds, normalises_to, words, Holds};

/// The replacement of every secret value.
pub const REDACTED: &str = "[REDACTED]";

/// Rule 4: `(eventSource, eventName, path under the record)` whose value is a secret although
/// its key does not say so.
const PER_API: &[(&str, &str, &[&str])] = &[
    (
        "ssm.amazonaws.com",
        "PutParameter",
        &["requestParameters", "value"],
    ),
    (
        "ssm.amazonaws.com",
        "LabelParameterVersion",
        &["requestParameters", "value"],
    ),
    // Fleet Manager's remote-desktop connection (the Systems Manager User Guide's record): the
    // key of the connection the call opened. Whether it lets one join the connection is not
    // documented, so it is kept from view as a credential; its UUID-like value and its name
    // match no other rule.
    (
        "ssm-guiconnect.amazonaws.com",
        "StartConnection",
        &["responseElements", "ConnectionKey"],
    ),
];

/// Replace every secret-bearing value of a record (rules 1 to 6).
pub fn redact(record: &mut Value) {
    per_api(record);
    walk(record);
}

/// A record's free text shown outside its redacted copy (the report's `errorMessage`, such as
/// "The security token IQoJ… included in the request is invalid"): the secrets a string of a
/// record would lose (rules 5 and 6) replaced, the rest kept.
pub fn redact_text(text: &str) -> String {
    scrubbed(text).unwrap_or_else(|| text.to_owned())
}

/// [`redact_text`], borrowing `text` when nothing in it is replaced (the timeline rows'
/// `target` and `user_agent`, written for every record by `--all`).
pub fn redacted_text(text: &str) -> Cow<'_, str> {
    match scrubbed(text) {
        Some(s) => Cow::Owned(s),
        None => Cow::Borrowed(text),
    }
}

/// [`redact_text`] in place; whether anything was replaced.
pub fn redact_in_place(text: &mut String) -> bool {
    string(text)
}

fn per_api(record: &mut Value) {
    let Value::Object(map) = record else { return };
    let field = |k: &str| map.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
    let (source, name) = (field("eventSource"), field("eventName"));
    for (s, n, path) in PER_API {
        if *s == source && *n == name {
            let mut at: Option<&mut Value> = Some(&mut *record);
            for key in *path {
                at = at.and_then(|v| v.get_mut(*key));
            }
            if let Some(v) = at {
                replace_scalars(v);
            }
            return;
        }
    }
}

fn walk(v: &mut Value) -> bool {
    match v {
        Value::Object(map) => object(map),
        Value::Array(items) => {
            let args = command_lines::command_array(items);
            items.iter_mut().fold(args, |changed, i| walk(i) | changed)
        }
        Value::String(s) => string(s),
        _ => false,
    }
}

fn object(map: &mut Map<String, Value>) -> bool {
    object_in(map, false)
}

/// [`object`]; `container`: it is under a key naming containers, so it runs (rule 3).
fn object_in(map: &mut Map<String, Value>, container: bool) -> bool {
    let mut changed = pair(map) | beanstalk_variable(map) | emr_export(map);
    let no_echo = is_no_echo(map.get("NoEcho"));
    let running = container || environment::runs(map);
    for (k, val) in map.iter_mut() {
        let plain = holds(k).is_none();
        changed |= if plain && running && is_environment_key(k) {
            environment_under(k, val, true)
        } else if plain && environment::names_containers(k) {
            containers(val)
        } else {
            member(k, val, no_echo)
        };
    }
    changed
}

/// The value under a key naming containers: each object in it runs.
fn containers(v: &mut Value) -> bool {
    match v {
        Value::Object(map) => object_in(map, true),
        Value::Array(items) => items.iter_mut().fold(false, |changed, i| {
            let done = match i {
                Value::Object(map) => object_in(map, true),
                other => walk(other),
            };
            done | changed
        }),
        other => walk(other),
    }
}

/// Rules 1, 3 and 5 for one member of an object (`no_echo`: the object is a CloudFormation
/// parameter with `NoEcho` set).
fn member(k: &str, val: &mut Value, no_echo: bool) -> bool {
    match holds(k) {
        Some(h) => replace_held(val, h),
        None if no_echo && k == "Default" => replace_scalars(val),
        None if is_environment_key(k) => environment_under(k, val, false),
        None if keys::names_a_key(k) => credential(val),
        None => walk(val),
    }
}

/// Rule 5's keys named `…_key` alone, as a JSON key (`{"stripe_key": "sk_live_…"}`): a string
/// that looks like a credential is replaced, anything else searched by the ordinary rules.
fn credential(v: &mut Value) -> bool {
    match v {
        Value::String(s) if keys::is_credential(s) => replace_scalars(v),
        _ => walk(v),
    }
}

/// Whether a CloudFormation template parameter's `NoEcho` is set (`true` or `"true"`): its
/// `Default` is a value the template's author kept from view, a password as a rule.
fn is_no_echo(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

/// The keys of a name/value pair's name: ECS, SSM, tags (`name`, `key`), CloudFormation's stack
/// parameters (`parameterKey`), Elastic Beanstalk's option settings (`optionName`: `DBPassword`
/// in `aws:rds:dbinstance`).
const PAIR_NAMES: [&str; 8] = [
    "name",
    "Name",
    "key",
    "Key",
    "parameterKey",
    "ParameterKey",
    "optionName",
    "OptionName",
];

/// The keys of a name/value pair's value.
const PAIR_VALUES: [&str; 4] = ["value", "Value", "parameterValue", "ParameterValue"];

/// The name of a name/value pair.
fn named(map: &Map<String, Value>) -> Option<&str> {
    PAIR_NAMES
        .iter()
        .find_map(|k| map.get(*k).and_then(Value::as_str))
}

/// Rule 2: `{"name": "DB_PASSWORD", "value": "…"}`.
fn pair(map: &mut Map<String, Value>) -> bool {
    let Some(name) = named(map) else {
        return false;
    };
    let Some(h) = holds(name) else {
        if !keys::names_a_key(name) {
            return false;
        }
        // `{"name": "STRIPE_KEY", "value": "sk_live_…"}`: as the key's own value.
        return PAIR_VALUES.iter().fold(false, |changed, k| {
            let found = map.get_mut(*k).is_some_and(|v| {
                matches!(v, Value::String(s) if keys::is_credential(s)) && replace_scalars(v)
            });
            found | changed
        });
    };
    let mut changed = false;
    for k in PAIR_VALUES {
        if let Some(v) = map.get_mut(k) {
            changed |= replace_held(v, h);
        }
    }
    changed
}

/// The value under a key that names a secret: strings and numbers replaced (numbers kept under
/// [`Holds::Tokens`]: a count), in its arrays and in the objects under it at any depth
/// (`{"secrets": {"db": "x"}}`), the keys kept; a member of such an object whose key names an
/// identifier, a property or a reference ([`names::names_a_property`]: `name`, `secretArn`,
/// `valueFrom`) is searched by the ordinary rules instead. Booleans and `null` are kept.
fn replace_held(v: &mut Value, holds: Holds) -> bool {
    match v {
        Value::String(s) if s == REDACTED => false,
        Value::Number(_) if holds == Holds::Tokens => false,
        Value::String(_) | Value::Number(_) => {
            *v = Value::String(REDACTED.into());
            true
        }
        Value::Array(items) => items
            .iter_mut()
            .fold(false, |changed, i| replace_held(i, holds) | changed),
        Value::Object(map) => map.iter_mut().fold(false, |changed, (k, val)| {
            let done = match names::names_a_property(k) {
                true => walk(val),
                false => replace_held(val, holds),
            };
            done | changed
        }),
        Value::Bool(_) | Value::Null => false,
    }
}

/// The value under a secret-bearing key ([`replace_held`] of a secret).
fn replace_scalars(v: &mut Value) -> bool {
    replace_held(v, Holds::Secret)
}

/// Rules 5 and 6 for one string.
fn string(s: &mut String) -> bool {
    match scrubbed(s) {
        Some(out) => {
            *s = out;
            true
        }
        None => false,
    }
}

/// Rules 5 and 6 for one string: `None` when nothing in it is replaced.
fn scrubbed(s: &str) -> Option<String> {
    let t = s.trim_start();
    if t.starts_with('{') || t.starts_with('[') {
        let mut json = s.to_owned();
        if let Some(changed) = json_string(&mut json, walk) {
            return changed.then_some(json);
        }
    }
    let mut out: Option<String> = None;
    for scrub in [
        pem::private_keys,
        putty::private_keys,
        tokens,
        assignments,
        cmd::assignments,
        keys::key_values,
        powershell::environment_assignments,
        userinfo,
        inline_mappings::inline_mappings,
        quoted_keys::quoted_keys,
        config_lines::config_lines,
        yaml_lists::block_lists,
        yaml_pairs::name_value_pairs,
        yaml_environment::environments,
        spark_env::spark_environment,
        command_lines::command_lines,
    ] {
        if let Some(next) = scrub(out.as_deref().unwrap_or(s)) {
            out = Some(next);
        }
    }
    out
}

/// Rule 6: `Some(whether anything was replaced)` when `s` holds a JSON object or array, redacted
/// by `rules` (and written again only when something was replaced); `None` when it does not.
fn json_string(s: &mut String, rules: fn(&mut Value) -> bool) -> Option<bool> {
    let t = s.trim_start();
    if !(t.starts_with('{') || t.starts_with('[')) {
        return None;
    }
    let mut inner = serde_json::from_str::<Value>(s).ok()?;
    if !rules(&mut inner) {
        return Some(false);
    }
    *s = inner.to_string();
    Some(true)
}

/// `s` with each of `spans` (sorted, disjoint byte ranges) replaced by the marker.
fn replaced(s: &str, spans: &[(usize, usize)]) -> String {
    let mut out = String::with_capacity(s.len());
    let mut at = 0;
    for &(from, to) in spans {
        out.push_str(&s[at..from]);
        out.push_str(REDACTED);
        at = to;
    }
    out.push_str(&s[at..]);
    out
}

/// `s` with each of `spans` (byte ranges in any order, overlapping or not) replaced by the
/// marker, overlapping ones merged; `None` when there are none.
fn replaced_merged(s: &str, mut spans: Vec<(usize, usize)>) -> Option<String> {
    spans.sort_unstable();
    let mut disjoint: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
    for (from, to) in spans {
        match disjoint.last_mut() {
            Some(last) if from < last.1 => last.1 = last.1.max(to),
            _ => disjoint.push((from, to)),
        }
    }
    (!disjoint.is_empty()).then(|| replaced(s, &disjoint))
}

/// Whether `value`, written in text under a name that [`holds`] `holds`, is to be replaced: a
/// count of tokens (digits) is not.
fn is_secret_text(value: &str, holds: Holds) -> bool {
    !value.is_empty()
        && value != REDACTED
        && !(holds == Holds::Tokens && value.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redacted(json: &str) -> String {
        let mut v: Value = serde_json::from_str(json).unwrap();
        redact(&mut v);
        v.to_string()
    }

    #[test]
    fn tokens_are_replaced_everywhere() {
        let s = redacted(
            r#"{"responseElements":{"credentials":{"accessKeyId":"ASIA1","sessionToken":"IQoJb3JpZ2lu","SecretAccessKey":"x"}},"list":[{"password":"p"}]}"#,
        );
        assert!(!s.contains("IQoJb3JpZ2lu") && !s.contains("\"x\"") && !s.contains("\"p\""));
        assert!(s.contains("ASIA1"));
    }

    #[test]
    fn a_count_of_tokens_is_kept_a_token_is_not() {
        assert_eq!(
            redacted(r#"{"maxTokens":512,"tokens":["t1"],"inputTokens":"t2"}"#),
            r#"{"maxTokens":512,"tokens":["[REDACTED]"],"inputTokens":"[REDACTED]"}"#
        );
        assert_eq!(
            words("XAmzSecurityToken nextForward_TOKEN"),
            ["x", "amz", "security", "token", "next", "forward", "token"]
        );
    }

    #[test]
    fn a_credential_under_a_json_key_named_key_is_replaced_other_keys_kept() {
        let live = "sk_live_FAKEFAKE0123456789abcdef";
        let input = format!(
            r#"{{"cfg":"{{\"stripe_key\": \"{live}\", \"sort_key\": \"name\"}}","env":[{{"name":"STRIPE_KEY","value":"{live}"}}],"publicKey":"MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE9x3Kq7Lm2PzR"}}"#
        );
        assert_eq!(
            redacted(&input),
            r#"{"cfg":"{\"stripe_key\":\"[REDACTED]\",\"sort_key\":\"name\"}","env":[{"name":"STRIPE_KEY","value":"[REDACTED]"}],"publicKey":"MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE9x3Kq7Lm2PzR"}"#
        );
    }

    #[test]
    fn values_in_objects_under_a_secret_key_are_replaced_names_and_references_kept() {
        assert_eq!(
            redacted(
                r#"{"secrets":{"db":"x","n":5,"ok":true,"deep":[{"k":"y"}],"arn":"a"},"list":[{"secrets":[{"name":"DB","valueFrom":"arn:s"}]}],"maxTokens":{"limit":512,"t":"s"}}"#
            ),
            r#"{"secrets":{"db":"[REDACTED]","n":"[REDACTED]","ok":true,"deep":[{"k":"[REDACTED]"}],"arn":"a"},"list":[{"secrets":[{"name":"DB","valueFrom":"arn:s"}]}],"maxTokens":{"limit":512,"t":"[REDACTED]"}}"#
        );
    }

    #[test]
    fn booleans_and_unchanged_json_strings_are_kept_exactly() {
        let policy =
            r#"{"policyDocument":"{\"Version\": \"2012-10-17\"}","passwordResetRequired":true}"#;
        assert_eq!(
            redacted(policy),
            serde_json::from_str::<Value>(policy).unwrap().to_string()
        );
    }

    #[test]
    fn every_environment_value_is_replaced_and_its_names_kept() {
        let lambda = redacted(
            r#"{"environment":{"variables":{"DB_HOST":"h","PORT":5432}},"Environment":"{\"Variables\":{\"X\":\"v\"}}"}"#,
        );
        assert_eq!(
            lambda,
            r#"{"environment":{"variables":{"DB_HOST":"[REDACTED]","PORT":"[REDACTED]"}},"Environment":"{\"Variables\":{\"X\":\"[REDACTED]\"}}"}"#
        );
        // CodeBuild: the image and the variables' names and types are kept.
        let codebuild = redacted(
            r#"{"environment":{"image":"img","type":"LINUX","environmentVariables":[{"name":"N","value":"v","type":"PLAINTEXT"}]}}"#,
        );
        assert_eq!(
            codebuild,
            r#"{"environment":{"image":"img","type":"LINUX","environmentVariables":[{"name":"N","value":"[REDACTED]","type":"PLAINTEXT"}]}}"#
        );
        // SageMaker: a map of variables directly under `Environment`.
        assert_eq!(
            redacted(r#"{"Environment":{"MODEL_KEY":"v"}}"#),
            r#"{"Environment":{"MODEL_KEY":"[REDACTED]"}}"#
        );
    }

    #[test]
    fn secrets_inside_longer_strings_are_replaced_in_place() {
        let cases = [
            (
                "token IQoJb3JpZ2luX2Vj%2Babc/def== is invalid",
                "token [REDACTED] is invalid",
            ),
            (
                "https://b/k?X-Amz-Credential=ASIA1%2F2026&X-Amz-Signature=ff&Signature=aa",
                "https://b/k?X-Amz-Credential=ASIA1%2F2026&X-Amz-Signature=[REDACTED]&Signature=[REDACTED]",
            ),
            (
                "export PGPASSWORD=p1; MYSQL_PWD=\"p 2\" x --db-password='p3' token=",
                "export PGPASSWORD=[REDACTED]; MYSQL_PWD=\"[REDACTED]\" x --db-password='[REDACTED]' token=",
            ),
            (
                "postgres://admin:pw@db:5432/x and https://u@h/ and redis://:pw2@r",
                "postgres://admin:[REDACTED]@db:5432/x and https://u@h/ and redis://:[REDACTED]@r",
            ),
            ("count=3 a=b == x= FIFO", "count=3 a=b == x= FIFO"),
            (
                "tokens=3&nextToken=c1&token=t1",
                "tokens=3&nextToken=c1&token=[REDACTED]",
            ),
            // IAM Identity Center's sign-in record (`additionalEventData.LoginTo`): the OAuth
            // authorization code as well as the CSRF token; the organization is kept.
            (
                "https://d-1.awsapps.com/start/?auth_code=11Oaw_h-E7&wdc_csrf_token=srAz&organization=d-9",
                "https://d-1.awsapps.com/start/?auth_code=[REDACTED]&wdc_csrf_token=[REDACTED]&organization=d-9",
            ),
        ];
        for (from, to) in cases {
            let mut v = Value::String(from.into());
            redact(&mut v);
            assert_eq!(v, Value::String(to.into()), "{from}");
        }
    }
}
