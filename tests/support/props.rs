//! Shared pieces of the property tests: the proptest configuration (a fixed number of cases and a
//! fixed seed, so the suite is fast and every run checks the same inputs) and JSON strategies.
//!
//! Depends only on `proptest` and `serde_json`. Each test module uses a part of it.
#![allow(dead_code)]

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use serde_json::{Map, Value};

/// `cases` runs from a fixed seed; `PROPTEST_CASES` and `PROPTEST_RNG_SEED` override both, to
/// explore further by hand (`PROPTEST_CASES=100000 PROPTEST_RNG_SEED=7 cargo test --test it ...`).
pub fn config(cases: u32) -> Config {
    let env = Config::default();
    Config {
        cases: if std::env::var_os("PROPTEST_CASES").is_some() {
            env.cases
        } else {
            cases
        },
        rng_seed: if std::env::var_os("PROPTEST_RNG_SEED").is_some() {
            env.rng_seed
        } else {
            RngSeed::Fixed(0x7261_696c_6361_7365)
        },
        // A failure reproduces from the fixed seed; no regression files beside the sources.
        failure_persistence: None,
        ..env
    }
}

/// Text a pattern or an event is likely to hold: the operators' names, CloudTrail-ish words,
/// wildcards, escapes, IP addresses and CIDR blocks, and now and then anything at all.
pub fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "", "a", "b", "A", "ab", "aB", "x*", "*", "**", "a*b", "\\*", "\\", "\\\\", "prefix",
            "suffix", "anything-but", "numeric", "exists", "cidr", "wildcard",
            "equals-ignore-case", "$or", "=", "<", "<=", ">", ">=", "10.0.0.1", "10.0.0.0/8",
            "::1", "2001:db8::/32", "1e3", "-0", "GetSecretValue", "aws.secretsmanager",
            "Straße", "\u{212a}", "é", " ",
        ])
        .prop_map(str::to_string),
        1 => any::<String>(),
    ]
}

/// A JSON leaf: null, a boolean, a number (integers and moderate floats) or a string.
pub fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-1000i64..1000).prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (-1.0e9f64..1.0e9).prop_map(Value::from),
        word().prop_map(Value::String),
    ]
}

/// Any JSON value up to a few levels deep, with keys drawn from `keys`.
pub fn json(keys: Vec<&'static str>) -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 48, 5, move |inner| {
        let keys = keys.clone();
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(keys), inner), 0..5)
                .prop_map(|entries| Value::Object(object(entries))),
        ]
    })
}

/// An object from `(key, value)` pairs (a repeated key keeps its last value, as parsing would).
pub fn object(entries: Vec<(&str, Value)>) -> Map<String, Value> {
    entries
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}

/// `value` written out and read back, as a pattern or an event arrives: numbers then take the
/// same `f64` on both sides of a comparison.
pub fn reparsed(value: &Value) -> Value {
    serde_json::from_str(&value.to_string()).expect("serde_json reads what it writes")
}
