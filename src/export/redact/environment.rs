//! Rule 3: every value of a process environment is replaced, its names kept, whatever the
//! variables' names (any variable can hold a credential: `DATABASE_URL`, `DB_CONN`, `TOKEN_2`). An
//! environment is what is under a key named `environment` or `env` (Kubernetes), or one naming
//! environment variables (`environmentVariables`, CodeBuild's `environmentVariablesOverride`, App
//! Runner's `runtimeEnvironmentVariables`): Lambda's `variables` map, a list of name/value pairs
//! (ECS, Batch, CodeBuild, Kubernetes), a map of variables (names in upper case, or any names in
//! something that runs: [`runs`], [`names_containers`]), or either written as a JSON string; and
//! Elastic Beanstalk's option settings in the namespace
//! `aws:elasticbeanstalk:application:environment`; a Docker-style `NAME=value` item of a list; the
//! `properties` of an EMR configuration of classification `export`. A pair whose `type` says its
//! value is a reference (CodeBuild's `PARAMETER_STORE`, `SECRETS_MANAGER`: the value names a
//! parameter or a secret, and which one is evidence) keeps it, searched by the ordinary rules.
//!
//! Pure: no I/O.

use serde_json::{Map, Value};

use super::{
    holds, json_string, member, named, normalises_to, pair, replace_held, replace_scalars, string,
    walk, PAIR_VALUES, REDACTED,
};

/// Normalised keys whose value is an environment: a map of variables, a list of name/value
/// pairs, or an object holding them (CodeBuild's `environment`, Lambda's).
const ENVIRONMENT_KEYS: &[&str] = &["environment", "env"];

/// Normalised keys whose value is the variables themselves: a map under one is a map of
/// variables whatever its keys (Amplify's `environmentVariables: {"db_url": …}`).
const VARIABLES_KEYS: &[&str] = &[
    "environmentvariables",
    "environmentvariablesoverride",
    "runtimeenvironmentvariables",
];

/// Normalised keys of an object describing an environment rather than holding its variables
/// (CodeBuild's `type`, `image`, `computeType`; Lambda's `variables`, `error`; a named
/// resource's `name`, `arn`, `status`): a map under `environment` with one is not a map of
/// variables.
const ENVIRONMENT_PROPERTIES: &[&str] = &[
    "variables",
    "error",
    "type",
    "image",
    "computetype",
    "computeconfiguration",
    "fleet",
    "privilegedmode",
    "certificate",
    "registrycredential",
    "imagepullcredentialstype",
    "dockerserver",
    "name",
    "arn",
    "id",
    "status",
    "description",
];

/// The `type` of a CodeBuild variable whose value names where it comes from.
const REFERENCE_TYPES: &[&str] = &["PARAMETER_STORE", "SECRETS_MANAGER"];

/// Elastic Beanstalk's namespace of environment properties (`optionSettings`).
const BEANSTALK_ENVIRONMENT: &str = "aws:elasticbeanstalk:application:environment";

/// Rule 3: a key whose value is a process environment.
pub(super) fn is_environment_key(k: &str) -> bool {
    k.len() >= 3
        && ENVIRONMENT_KEYS
            .iter()
            .chain(VARIABLES_KEYS)
            .any(|e| normalises_to(k, e))
}

/// Whether `k` names the variables themselves ([`VARIABLES_KEYS`], or `variables`).
fn is_variables_key(k: &str) -> bool {
    normalises_to(k, "variables") || VARIABLES_KEYS.iter().any(|e| normalises_to(k, e))
}

/// Whether `k` is an environment variable's name as one is written: upper case, digits, `_`.
pub(super) fn is_variable_name(k: &str) -> bool {
    k.starts_with(|c: char| c.is_ascii_uppercase() || c == '_')
        && k.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// Normalised keys of an object that describes something that runs (a container, a model, a
/// training or processing job, a function): a map of plain values under its `environment` is
/// that process's variables whatever their names' case.
const RUNNING_KEYS: &[&str] = &[
    "image",
    "imageuri",
    "imageconfig",
    "command",
    "entrypoint",
    "handler",
    "runtime",
    "modeldataurl",
    "modelpackagename",
    "containerhostname",
    "algorithmspecification",
    "appspecification",
];

/// Whether `map` describes something that runs ([`RUNNING_KEYS`]).
pub(super) fn runs(map: &Map<String, Value>) -> bool {
    map.keys()
        .any(|k| RUNNING_KEYS.iter().any(|r| normalises_to(k, r)))
}

/// Whether `k` names a container or a list of them (`primaryContainer`, `containers`,
/// `containerDefinitions`, `containerOverrides`): the objects under it run.
pub(super) fn names_containers(k: &str) -> bool {
    k.len() >= 9 && k.to_ascii_lowercase().contains("container")
}

/// Whether a map under an environment key holds variables: every key a variable's name, or,
/// in something that runs (`running`: SageMaker's `primaryContainer` `Environment: {"db_conn":
/// …}`), every value a string or number and no key one of [`ENVIRONMENT_PROPERTIES`]. A map of
/// lower-case words elsewhere (`"environment": {"tier": "production", "region": …}`) describes
/// a deployment environment, not a process's: its values are searched by the ordinary rules.
fn is_variable_map(map: &Map<String, Value>, running: bool) -> bool {
    let property = |k: &String| ENVIRONMENT_PROPERTIES.iter().any(|p| normalises_to(k, p));
    !map.is_empty()
        && !map.keys().any(|k| normalises_to(k, "variables"))
        && (map.keys().all(|k| is_variable_name(k))
            || (running
                && map
                    .values()
                    .all(|v| matches!(v, Value::String(_) | Value::Number(_)))
                && !map.keys().any(property)))
}

/// Rule 3: every value of the environment under `key` replaced, its names kept (`running`:
/// the object holding `key` runs, [`runs`]).
pub(super) fn environment_under(key: &str, v: &mut Value, running: bool) -> bool {
    match v {
        Value::Object(_) if is_variables_key(key) => variables(v),
        _ if running => running_environment(v),
        _ => environment(v),
    }
}

/// [`environment_in`] of something that runs.
fn running_environment(v: &mut Value) -> bool {
    environment_in(v, true)
}

/// [`environment_in`] of what is not known to run.
fn environment(v: &mut Value) -> bool {
    environment_in(v, false)
}

/// Rule 3: every value of an environment replaced, its names kept.
fn environment_in(v: &mut Value, running: bool) -> bool {
    match v {
        Value::Object(map) if is_variable_map(map, running) => variables(v),
        Value::Object(map) => {
            let mut changed = pair(map);
            for (k, val) in map.iter_mut() {
                changed |= if is_variables_key(k) {
                    variables(val)
                } else if is_environment_key(k) {
                    environment_under(k, val, running)
                } else if let Some(h) = holds(k) {
                    replace_held(val, h)
                } else {
                    walk(val)
                };
            }
            changed
        }
        Value::Array(_) => variables(v),
        Value::String(s) => {
            let rules = match running {
                true => running_environment,
                false => environment,
            };
            json_string(s, rules).unwrap_or_else(|| string(s))
        }
        _ => false,
    }
}

/// Rule 3: a map of variables (each value replaced), a list of name/value pairs (each value
/// replaced, a reference's kept and searched), or either written as a JSON string.
fn variables(v: &mut Value) -> bool {
    match v {
        Value::Object(map) => map
            .values_mut()
            .fold(false, |changed, val| replace_scalars(val) | changed),
        Value::Array(items) => items.iter_mut().fold(false, |changed, item| {
            let done = match item {
                Value::Object(pair) if named(pair).is_some() => {
                    // Its value replaced (a reference's searched); its other members, the name
                    // among them, by the ordinary rules (`{"name": …, "value": …, "password": …}`).
                    let reference = is_reference(pair);
                    pair.iter_mut().fold(false, |done, (k, val)| {
                        let replaced = match PAIR_VALUES.contains(&k.as_str()) {
                            true if reference => walk(val),
                            true => replace_scalars(val),
                            false => member(k, val, false),
                        };
                        replaced | done
                    })
                }
                Value::String(s) => match assigned_value(s) {
                    // Docker's `KEY=value` (`Env`): the value replaced, the name kept.
                    Some(at) => {
                        *s = format!("{}{REDACTED}", &s[..at]);
                        true
                    }
                    None => string(s),
                },
                other => walk(other),
            };
            done | changed
        }),
        Value::String(s) => json_string(s, variables).unwrap_or_else(|| string(s)),
        _ => false,
    }
}

/// Whether a name/value pair's `type` says its value names a parameter or a secret.
fn is_reference(pair: &Map<String, Value>) -> bool {
    ["type", "Type"].iter().any(|k| {
        pair.get(*k)
            .and_then(Value::as_str)
            .is_some_and(is_reference_type)
    })
}

/// Whether `t` (a variable's `type`, quotes around it left out) is a reference's.
pub(super) fn is_reference_type(t: &str) -> bool {
    let t = t.trim_matches(['"', '\'']);
    REFERENCE_TYPES.iter().any(|r| r.eq_ignore_ascii_case(t))
}

/// Rule 3 for Elastic Beanstalk: an option setting in the environment properties' namespace
/// (`{"namespace": "aws:elasticbeanstalk:application:environment", "optionName": "DB_CONN",
/// "value": …}`) has its value replaced.
pub(super) fn beanstalk_variable(map: &mut Map<String, Value>) -> bool {
    let in_namespace = ["namespace", "Namespace"].iter().any(|k| {
        map.get(*k)
            .and_then(Value::as_str)
            .is_some_and(is_beanstalk_environment)
    });
    in_namespace
        && PAIR_VALUES.iter().fold(false, |changed, k| {
            map.get_mut(*k).is_some_and(replace_scalars) | changed
        })
}

/// Whether `namespace` (an option setting's) is Elastic Beanstalk's environment properties'.
pub(super) fn is_beanstalk_environment(namespace: &str) -> bool {
    namespace.trim().eq_ignore_ascii_case(BEANSTALK_ENVIRONMENT)
}

/// Where the value of a Docker-style variable `NAME=value` starts (`NAME`: a letter or `_`, then
/// letters, digits, `_`, `.` or `-`), when it has one not already replaced.
fn assigned_value(s: &str) -> Option<usize> {
    let eq = s.find('=')?;
    let name = &s[..eq];
    let value = &s[eq + 1..];
    let named = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
    (named && !value.is_empty() && value != REDACTED).then_some(eq + 1)
}

/// Rule 3 for EMR: a configuration of classification `export` (under `hadoop-env`, `spark-env`,
/// `hive-env`…: `{"classification": "export", "properties": {"DB_CONN": …}}`) sets the
/// cluster's environment variables; each value of its `properties` is replaced, the names kept.
pub(super) fn emr_export(map: &mut Map<String, Value>) -> bool {
    let export = ["classification", "Classification"].iter().any(|k| {
        map.get(*k)
            .and_then(Value::as_str)
            .is_some_and(|c| c.trim().eq_ignore_ascii_case("export"))
    });
    export
        && ["properties", "Properties"]
            .iter()
            .fold(false, |changed, k| {
                let done = match map.get_mut(*k) {
                    Some(v @ Value::Object(_)) => variables(v),
                    _ => false,
                };
                done | changed
            })
}
