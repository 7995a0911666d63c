//! Never print secret values or credentials: a record's secret-bearing values are replaced with
//! `"[REDACTED]"` before the record leaves the tool (the JSON formats' `record`, the report's
//! `--timeline-json`). The analysis reads the evidence as it is; only what is written is redacted.
//! A whole value is replaced by the string `"[REDACTED]"`; a secret inside a longer string is
//! replaced by `[REDACTED]` in place, the rest of the string kept (`token [REDACTED] is invalid`).
//! Names (of keys, of variables, of users in a URL) are evidence and are always kept.
//!
//! The rules (documented in the README, "Secrets"):
//! 1. **By key name.** A key is compared lowercased with `_`, `-` and `.` removed. It is
//!    secret-bearing when it contains one of [`SECRET_WORDS`] (`secret`, `password`,
//!    `privatekey`, `keymaterial`, `plaintext`, …) or names a credential token: it ends in
//!    `token` (`token`, `sessionToken`, `accessToken`, `X-Amz-Security-Token`, `githubToken`)
//!    but not in a cursor's or a request's `token` ([`NOT_CREDENTIAL_TOKENS`], whole words:
//!    `nextToken`, `pageToken`, `clientRequestToken`, `sequenceToken`), or holds a token's value
//!    (`tokenCode`). A key that names an identifier or a property rather than a value is not:
//!    one ending in one of [`NOT_SECRET_SUFFIXES`] (`secretId`, `secretArn`, `secretName`,
//!    `tokenIssueTime`, `tokenCount`, `passwordLastUsed`, …). The strings and numbers under a
//!    secret-bearing key are replaced (also inside its arrays); objects under it are searched by
//!    the same rules; booleans and `null` are kept (`passwordResetRequired: true` reveals
//!    nothing). KMS's `plaintext` is always replaced by this rule. Under a key ending in `tokens`
//!    (`maxTokens`, `inputTokens`) a number is a count and is kept, a string replaced.
//! 2. **Name/value pairs.** An object with a `name` (or `key`, or CloudFormation's
//!    `parameterKey`) and a `value` (`parameterValue`) whose name is secret-bearing by rule 1 has
//!    its value replaced (`{"name": "DB_PASSWORD", "value": "…"}`, `{"parameterKey":
//!    "DBPassword", "parameterValue": "…"}`).
//! 3. **Environment variables, whatever their names.** Every value of a process environment is
//!    replaced, its names kept: any variable can hold a credential (`DATABASE_URL`, `STRIPE_KEY`,
//!    `DB_PASS`). An environment is what is under a key named `environment` or
//!    `environmentVariables` (any case): the map under its `variables` (Lambda), the `value` of
//!    each name/value pair of a list (ECS, Batch, CodeBuild, ECS overrides), or a map all of whose
//!    keys are variable names (upper case, digits, `_`: SageMaker, an EventBridge input); the
//!    same in an environment written as a JSON string. Other keys beside (an image, a compute
//!    type) follow the ordinary rules.
//! 4. **Per API.** Fields whose key says nothing but whose value is the secret: see [`PER_API`]
//!    (SSM `PutParameter`'s `value`).
//! 5. **Inside any string.** Wherever it is, in a string of any length (an error message, a
//!    presigned URL, a shell command):
//!    - an STS session token (it starts as every one does: [`SESSION_TOKEN_PREFIXES`]), to the
//!      end of its base64 (URL-encoded or not);
//!    - the value of an assignment `NAME=value` whose `NAME` is secret-bearing by rule 1 or is a
//!      request signature (`PGPASSWORD=…` in a command, `X-Amz-Security-Token=…`,
//!      `X-Amz-Signature=…`, `Signature=…` in a query string), to the next space, `&`, `;`,
//!      `,` or quote (inside the quotes when the value is quoted). `X-Amz-Credential` is kept:
//!      it is an access key id, which the exports keep as evidence everywhere;
//!    - the password of a URL's user information (`postgres://admin:[REDACTED]@db:5432/x`);
//!    - free text ([`free_text`]): the value of a configuration line whose name, at the start
//!      of its line, is secret-bearing (`password: x`, `Password: "x"` in YAML, `db_password =
//!      x` in INI; a YAML block `privateKey: |` below it; each item of a YAML block list
//!      `passwords:` / `- a` / `- b` below it ([`yaml_lists`]), nested lists and items spread over
//!      lines too; the `value` of a YAML `- name: DB_PASSWORD` item ([`yaml_pairs`]); lines
//!      written with `\n` escapes count as lines ([`lines`]); `!Ref DbPassword` kept), the value
//!      after a command line's secret option (`--password x`, `--secret-key x`, `--token x`; not
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
//! Pure: no I/O; depends on nothing else of the crate.

use std::sync::LazyLock;

use serde_json::{Map, Value};

mod cmd;
mod free_text;
mod inline_mappings;
mod keys;
mod lines;
mod pem;
mod powershell;
mod putty;
mod quoted_keys;
mod yaml_lists;
mod yaml_pairs;

/// The replacement of every secret value.
pub const REDACTED: &str = "[REDACTED]";

/// A normalised key containing one of these holds a secret (rule 1).
const SECRET_WORDS: &[&str] = &[
    "secret",
    "password",
    "passwd",
    "passphrase",
    "privatekey",
    "keymaterial",
    "apikey",
    "authorization",
    "plaintext",
    "pwd",
];

/// Rule 1 for `token`: a normalised key ending in one of these followed by `token` names a
/// position in a listing or a request's identity, not a credential (`nextToken`, `pageToken`,
/// `nextForwardToken`, `clientRequestToken`, `sequenceToken`). AWS's `nextToken` is an opaque
/// pagination cursor: it is valid only with the caller's own credentials and the same request,
/// grants nothing, and paging through a listing is evidence a responder needs to see.
const NOT_CREDENTIAL_TOKENS: &[&str] = &[
    "next",
    "page",
    "pagination",
    "continuation",
    "start",
    "forward",
    "backward",
    "resume",
    "client",
    "clientrequest",
    "idempotency",
    "sequence",
    "change",
    "sync",
];

/// Rule 1 for `token`: what follows `token` in a normalised key whose value is the token itself
/// (STS's `tokenCode`, the MFA code).
const TOKEN_VALUE_WORDS: &[&str] = &["code", "value", "string"];

/// Normalised key endings that name an identifier or a property of a secret, not its value
/// (rule 1): `secretId`, `secretArn`, `secretName`, `secretVersionId`, `tokenIssueTime`,
/// `passwordLastUsed`, `passwordPolicy`, `secretType`, `rotationEnabled`, …
const NOT_SECRET_SUFFIXES: &[&str] = &[
    "id",
    "ids",
    "idlist",
    "arn",
    "arns",
    "name",
    "names",
    "type",
    "types",
    "lastused",
    "lastuseddate",
    "required",
    "policy",
    "expiration",
    "expiry",
    "expires",
    "time",
    "date",
    "age",
    "length",
    "count",
    "enabled",
    "status",
    "version",
    "versions",
    "stage",
    "stages",
    "rules",
    "filters",
    "location",
    "origin",
];

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
];

/// Rule 5: every STS session token starts with one of these (the base64 of its fixed header).
const SESSION_TOKEN_PREFIXES: &[&str] = &["IQoJb3JpZ2lu", "FwoGZXIvYXdz", "FQoGZXIvYXdz"];

/// Replace every secret-bearing value of a record (rules 1 to 6).
pub fn redact(record: &mut Value) {
    per_api(record);
    walk(record);
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

/// What a key says of its value (rule 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Holds {
    /// A secret: its strings and numbers are replaced.
    Secret,
    /// Tokens, plural (`tokens`, `maxTokens`, `inputTokens`): a number is a count or a limit and
    /// is kept; a string may be a token and is replaced.
    Tokens,
}

/// Whether a key names a secret value (rule 1).
#[cfg(test)]
fn is_secret_key(key: &str) -> bool {
    holds(key) == Some(Holds::Secret)
}

/// What a key names (rule 1): `None` for anything but a secret.
fn holds(key: &str) -> Option<Holds> {
    let k = normalised(key);
    if NOT_SECRET_SUFFIXES.iter().any(|s| k.ends_with(s)) {
        return None;
    }
    if SECRET_WORDS.iter().any(|w| k.contains(w)) {
        return Some(Holds::Secret);
    }
    if k.ends_with("token") {
        return (!names_a_position(key)).then_some(Holds::Secret);
    }
    if TOKEN_VALUE_WORDS.iter().any(|w| {
        k.match_indices("token")
            .any(|(i, _)| k[i + 5..].starts_with(w))
    }) {
        return Some(Holds::Secret);
    }
    k.ends_with("tokens").then_some(Holds::Tokens)
}

fn walk(v: &mut Value) -> bool {
    match v {
        Value::Object(map) => object(map),
        Value::Array(items) => {
            let args = free_text::command_array(items);
            items.iter_mut().fold(args, |changed, i| walk(i) | changed)
        }
        Value::String(s) => string(s),
        _ => false,
    }
}

fn object(map: &mut Map<String, Value>) -> bool {
    let mut changed = pair(map);
    let no_echo = is_no_echo(map.get("NoEcho"));
    for (k, val) in map.iter_mut() {
        changed |= match holds(k) {
            Some(h) => replace_held(val, h),
            None if no_echo && k == "Default" => replace_scalars(val),
            None if is_environment_key(k) => environment(val),
            None if keys::names_a_key(k) => credential(val),
            None => walk(val),
        };
    }
    changed
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

/// Whether a key ending in `token` names a cursor or a request's identity: the words before
/// `token` end with one of [`NOT_CREDENTIAL_TOKENS`], whole words (`exchangeToken` is not a
/// `changeToken`).
fn names_a_position(key: &str) -> bool {
    let mut words = words(key);
    match words.last_mut() {
        Some(last) if last == "token" => {
            words.pop();
        }
        Some(last) => match last.strip_suffix("token") {
            Some(before) => *last = before.to_string(),
            None => return false,
        },
        None => return false,
    }
    (0..words.len()).any(|i| NOT_CREDENTIAL_TOKENS.contains(&words[i..].concat().as_str()))
}

/// The words of a key, lowercase: split at `_`, `-`, `.`, spaces and where the case changes
/// (`nextForwardToken`, `NEXT_TOKEN`, `XAmzSecurityToken`).
fn words(key: &str) -> Vec<String> {
    let chars: Vec<char> = key.chars().collect();
    let mut out: Vec<String> = Vec::new();
    let mut word = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            continue;
        }
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
        let starts = c.is_uppercase()
            && prev.is_some_and(|p| {
                p.is_lowercase() || p.is_numeric() || (p.is_uppercase() && next_lower)
            });
        if starts && !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        word.extend(c.to_lowercase());
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// `k` lowercased with `_`, `-` and `.` removed.
fn normalised(k: &str) -> String {
    k.chars()
        .filter(|c| !matches!(c, '_' | '-' | '.'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether `k`, normalised as rule 1 does, is `target` (lowercase), without allocating.
fn normalises_to(k: &str, target: &str) -> bool {
    k.chars()
        .filter(|c| !matches!(c, '_' | '-' | '.'))
        .flat_map(char::to_lowercase)
        .eq(target.chars())
}

/// Rule 3: a key whose value is a process environment.
fn is_environment_key(k: &str) -> bool {
    k.len() >= 11 && (normalises_to(k, "environment") || normalises_to(k, "environmentvariables"))
}

/// Whether `k` is an environment variable's name as one is written: upper case, digits, `_`.
fn is_variable_name(k: &str) -> bool {
    k.starts_with(|c: char| c.is_ascii_uppercase() || c == '_')
        && k.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// Rule 3: every value of an environment replaced, its names kept.
fn environment(v: &mut Value) -> bool {
    match v {
        Value::Object(map)
            if !map.is_empty()
                && !map.keys().any(|k| normalises_to(k, "variables"))
                && map.keys().all(|k| is_variable_name(k)) =>
        {
            variables(v)
        }
        Value::Object(map) => {
            let mut changed = pair(map);
            for (k, val) in map.iter_mut() {
                changed |= if normalises_to(k, "variables") || is_environment_key(k) {
                    variables(val)
                } else if let Some(h) = holds(k) {
                    replace_held(val, h)
                } else {
                    walk(val)
                };
            }
            changed
        }
        Value::Array(_) => variables(v),
        Value::String(s) => json_string(s, environment).unwrap_or_else(|| string(s)),
        _ => false,
    }
}

/// Rule 3: a map of variables (each value replaced), a list of name/value pairs (each value
/// replaced), or either written as a JSON string.
fn variables(v: &mut Value) -> bool {
    match v {
        Value::Object(map) => map
            .values_mut()
            .fold(false, |changed, val| replace_scalars(val) | changed),
        Value::Array(items) => items.iter_mut().fold(false, |changed, item| {
            let done = match item {
                Value::Object(pair) if named(pair).is_some() => {
                    let mut done = false;
                    for k in PAIR_VALUES {
                        if let Some(val) = pair.get_mut(k) {
                            done |= replace_scalars(val);
                        }
                    }
                    done
                }
                other => walk(other),
            };
            done | changed
        }),
        Value::String(s) => json_string(s, variables).unwrap_or_else(|| string(s)),
        _ => false,
    }
}

/// The keys of a name/value pair's name: ECS, SSM, tags (`name`, `key`), CloudFormation's stack
/// parameters (`parameterKey`).
const PAIR_NAMES: [&str; 6] = ["name", "Name", "key", "Key", "parameterKey", "ParameterKey"];

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

/// The value under a key that names a secret: [`replace_scalars`], numbers kept under
/// [`Holds::Tokens`] (a count).
fn replace_held(v: &mut Value, holds: Holds) -> bool {
    match (holds, v) {
        (Holds::Tokens, Value::Number(_)) => false,
        (Holds::Tokens, Value::Array(items)) => items
            .iter_mut()
            .fold(false, |changed, i| replace_held(i, holds) | changed),
        (_, v) => replace_scalars(v),
    }
}

/// The value under a secret-bearing key: strings and numbers replaced, in arrays too; objects
/// searched by the ordinary rules.
fn replace_scalars(v: &mut Value) -> bool {
    match v {
        Value::String(s) if s == REDACTED => false,
        Value::String(_) | Value::Number(_) => {
            *v = Value::String(REDACTED.into());
            true
        }
        Value::Array(items) => items
            .iter_mut()
            .fold(false, |changed, i| replace_scalars(i) | changed),
        Value::Object(map) => object(map),
        Value::Bool(_) | Value::Null => false,
    }
}

/// Rules 5 and 6 for one string.
fn string(s: &mut String) -> bool {
    if let Some(changed) = json_string(s, walk) {
        return changed;
    }
    let mut changed = false;
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
        free_text::config_lines,
        yaml_lists::block_lists,
        yaml_pairs::name_value_pairs,
        free_text::command_lines,
    ] {
        if let Some(out) = scrub(s) {
            *s = out;
            changed = true;
        }
    }
    changed
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

/// Rule 5: every STS session token in `s`, to the end of its base64 (`%2B`-style escapes too).
/// Found by the last 8 bytes of its prefix (one `memmem` pass each; rare in other text).
fn tokens(s: &str) -> Option<String> {
    static TAILS: LazyLock<[memchr::memmem::Finder<'static>; 2]> = LazyLock::new(|| {
        ["b3JpZ2lu", "ZXIvYXdz"].map(|t| memchr::memmem::Finder::new(t.as_bytes()))
    });
    let b = s.as_bytes();
    let mut starts: Vec<usize> = TAILS
        .iter()
        .flat_map(|f| f.find_iter(b))
        .filter_map(|j| j.checked_sub(4))
        .filter(|&i| {
            SESSION_TOKEN_PREFIXES
                .iter()
                .any(|p| b[i..].starts_with(p.as_bytes()))
        })
        .collect();
    if starts.is_empty() {
        return None;
    }
    starts.sort_unstable();
    let mut spans = Vec::new();
    let mut end = 0;
    for i in starts {
        if i < end {
            continue;
        }
        end = i;
        while end < b.len() {
            match b[end] {
                c if c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'=') => end += 1,
                b'%' if b.len() > end + 2
                    && b[end + 1].is_ascii_hexdigit()
                    && b[end + 2].is_ascii_hexdigit() =>
                {
                    end += 3
                }
                _ => break,
            }
        }
        spans.push((i, end));
    }
    Some(replaced(s, &spans))
}

/// What `name` (of `name=value` in a string) says of its value: rule 1, or a request signature
/// (SigV4's `X-Amz-Signature`, SigV2's `Signature`).
fn assigned(name: &str) -> Option<Holds> {
    let signature = normalises_to(name, "xamzsignature") || normalises_to(name, "signature");
    signature.then_some(Holds::Secret).or_else(|| holds(name))
}

/// Whether `value`, written in text under a name that [`holds`] `holds`, is to be replaced: a
/// count of tokens (digits) is not.
fn is_secret_text(value: &str, holds: Holds) -> bool {
    !value.is_empty()
        && value != REDACTED
        && !(holds == Holds::Tokens && value.bytes().all(|b| b.is_ascii_digit()))
}

/// Rule 5: the value of every `NAME=value` in `s` whose name is secret-bearing.
fn assignments(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for eq in memchr::memchr_iter(b'=', b) {
        if spans.last().is_some_and(|&(_, to)| eq < to) {
            continue;
        }
        let start = b[..eq]
            .iter()
            .rposition(|&c| !(c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.')))
            .map_or(0, |p| p + 1);
        let Some(h) = (start < eq).then(|| assigned(&s[start..eq])).flatten() else {
            continue;
        };
        let (from, to) = match (b.get(eq + 1), b.get(eq + 2)) {
            (Some(&q @ (b'"' | b'\'')), _) => {
                let close = memchr::memchr(q, &b[eq + 2..]).map_or(b.len(), |p| eq + 2 + p);
                (eq + 2, close)
            }
            // `\"…\"`: quoted inside a quoted string (JSON's, a shell's).
            (Some(b'\\'), Some(&q @ (b'"' | b'\''))) => {
                let close =
                    memchr::memmem::find(&b[eq + 3..], &[b'\\', q]).map_or(b.len(), |p| eq + 3 + p);
                (eq + 3, close)
            }
            _ => {
                // An escaped line break (`\n`) after the value is taken with it: a password
                // may hold a backslash, and the text is then cut short rather than the secret.
                let to = b[eq + 1..]
                    .iter()
                    .position(|&c| {
                        c.is_ascii_whitespace() || matches!(c, b'&' | b';' | b',' | b'"' | b'\'')
                    })
                    .map_or(b.len(), |p| eq + 1 + p);
                (eq + 1, to)
            }
        };
        if from < to && is_secret_text(&s[from..to], h) {
            spans.push((from, to));
        }
    }
    (!spans.is_empty()).then(|| replaced(s, &spans))
}

/// Rule 5: the password of every URL's user information in `s` (`scheme://user:pass@host`).
fn userinfo(s: &str) -> Option<String> {
    static SCHEME_END: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new(b"://"));
    let b = s.as_bytes();
    let mut spans = Vec::new();
    for at in SCHEME_END.find_iter(b) {
        let from = at + 3;
        let authority = b[from..]
            .iter()
            .position(|&c| {
                c.is_ascii_whitespace() || matches!(c, b'/' | b'?' | b'#' | b'"' | b'\'')
            })
            .map_or(b.len(), |p| from + p);
        let Some(user_end) = memchr::memrchr(b'@', &b[from..authority]).map(|p| from + p) else {
            continue;
        };
        let Some(colon) = memchr::memchr(b':', &b[from..user_end]).map(|p| from + p) else {
            continue;
        };
        if colon + 1 < user_end && &s[colon + 1..user_end] != REDACTED {
            spans.push((colon + 1, user_end));
        }
    }
    (!spans.is_empty()).then(|| replaced(s, &spans))
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
    fn identifiers_named_like_secrets_are_kept() {
        for key in [
            "secretId",
            "SecretArn",
            "secretName",
            "secretIdList",
            "secretVersionId",
            "nextToken",
            "clientRequestToken",
            "tokenIssueTime",
            "passwordLastUsed",
            "accessKeyId",
            "roleSessionName",
            "tokenCount",
            "nextForwardToken",
            "NEXT_TOKEN",
            "pageToken",
            "sequenceToken",
            "tokenUrl",
        ] {
            assert!(!is_secret_key(key), "{key}");
        }
        for key in [
            "clientSecret",
            "masterUserPassword",
            "keyMaterial",
            "accessToken",
            "refreshToken",
            "idToken",
            "AWS_SESSION_TOKEN",
            "DB_PASSWORD",
            "secretAccessKey",
            "SecretString",
            "tokenCode",
            "privateKeyPem",
            "token",
            "sessionToken",
            "x-amz-security-token",
            "githubToken",
            "authToken",
            "exchangeToken",
        ] {
            assert!(is_secret_key(key), "{key}");
        }
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
        ];
        for (from, to) in cases {
            let mut v = Value::String(from.into());
            redact(&mut v);
            assert_eq!(v, Value::String(to.into()), "{from}");
        }
    }
}
