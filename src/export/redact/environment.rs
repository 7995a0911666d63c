//! Rule 3: every value of a process environment is replaced, its names kept, whatever the
//! variables' names (any variable can hold a credential: `DATABASE_URL`, `STRIPE_KEY`). An
//! environment is what is under a key named `environment` or `environmentVariables`: Lambda's
//! `variables` map, a list of name/value pairs (ECS, Batch, CodeBuild), a map of variable names,
//! or either written as a JSON string.
//!
//! Pure: no I/O.

use serde_json::Value;

use super::{
    holds, json_string, named, normalises_to, pair, replace_held, replace_scalars, string, walk,
    PAIR_VALUES,
};

/// Rule 3: a key whose value is a process environment.
pub(super) fn is_environment_key(k: &str) -> bool {
    k.len() >= 11 && (normalises_to(k, "environment") || normalises_to(k, "environmentvariables"))
}

/// Whether `k` is an environment variable's name as one is written: upper case, digits, `_`.
pub(super) fn is_variable_name(k: &str) -> bool {
    k.starts_with(|c: char| c.is_ascii_uppercase() || c == '_')
        && k.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// Rule 3: every value of an environment replaced, its names kept.
pub(super) fn environment(v: &mut Value) -> bool {
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
