//! Property tests of the two pattern parsers, which take untrusted text from rule authors and from
//! collected pipeline configuration: EventBridge event patterns and CloudWatch Logs filter patterns.
//!
//! Any text, and any JSON-ish pattern structure, either parses or gives a typed error; a parsed
//! pattern matches any event or message without panicking; and the matchers keep the semantics
//! the AWS documentation states (exact values, arrays in events, `anything-but`, `prefix`,
//! `suffix`, `exists`, `numeric`, `$or`, `{ $.f = "x" }`, terms, the empty pattern).

use crate::support::props;

use props::{config, json, leaf, object, reparsed, word};
use proptest::prelude::*;
use serde_json::{json, Value};
use trailcase::rules::event_pattern::{wrap_cloudtrail_record, EventPattern, PatternErrorReason};
use trailcase::rules::filter_pattern::FilterPattern;

// ------------------------------------------------------------------ EventBridge strategies

/// Keys of patterns and events: plain, dotted, the envelope's, the operators' and `$or`.
const KEYS: &[&str] = &[
    "a",
    "b",
    "c",
    "a.b",
    "detail",
    "eventName",
    "$or",
    "prefix",
    "anything-but",
    "numeric",
    "exists",
];

/// One match expression: mostly each operator with a well-typed operand, sometimes anything.
fn match_expression() -> impl Strategy<Value = Value> {
    let operators = prop::sample::select(vec![
        "prefix",
        "suffix",
        "equals-ignore-case",
        "wildcard",
        "cidr",
        "exists",
        "numeric",
        "anything-but",
        "unknown",
    ]);
    let list = || prop::collection::vec(leaf(), 0..4).prop_map(Value::Array);
    let strings = || prop::collection::vec(word(), 1..4);
    let anything_but = prop_oneof![
        3 => word().prop_map(Value::String),
        2 => (-100i64..100).prop_map(Value::from),
        2 => strings().prop_map(|s| json!(s)),
        2 => (prop::sample::select(vec!["prefix", "suffix", "equals-ignore-case", "wildcard"]), strings())
            .prop_map(|(k, v)| json!({ k: v })),
        1 => leaf(),
        1 => list(),
        1 => (
            prop::sample::select(vec!["prefix", "suffix", "equals-ignore-case", "wildcard", "numeric"]),
            prop_oneof![leaf(), list()],
        )
            .prop_map(|(k, v)| json!({ k: v })),
    ];
    let n = || {
        prop_oneof![
            (-100i64..100).prop_map(Value::from),
            (-1.0e3f64..1.0e3).prop_map(Value::from)
        ]
    };
    let numeric = prop_oneof![
        3 => (prop::sample::select(vec!["=", "<", "<=", ">", ">="]), n()).prop_map(|(o, v)| json!([o, v])),
        3 => (prop::sample::select(vec![">", ">="]), n(), prop::sample::select(vec!["<", "<="]), n())
            .prop_map(|(a, x, b, y)| json!([a, x, b, y])),
        1 => prop::collection::vec(
            prop_oneof![
                prop::sample::select(vec!["=", "<", "<=", ">", ">=", "!", ""]).prop_map(Value::from),
                leaf(),
            ],
            0..6,
        )
        .prop_map(Value::Array),
    ];
    let cidr = prop_oneof![
        3 => prop::sample::select(vec![
            "10.0.0.0/8", "10.0.0.1/32", "0.0.0.0/0", "192.168.1.0/24", "2001:db8::/32", "::/0",
            "10.0.0.0/33", "10.0.0.0", "10.0.0.0/x", "1.2.3/8",
        ])
        .prop_map(str::to_string),
        1 => word(),
    ];
    prop_oneof![
        3 => word().prop_map(|s| json!({ "prefix": s })),
        3 => word().prop_map(|s| json!({ "suffix": s })),
        2 => word().prop_map(|s| json!({ "equals-ignore-case": s })),
        2 => word().prop_map(|s| json!({ "wildcard": s })),
        2 => cidr.prop_map(|s| json!({ "cidr": s })),
        1 => word().prop_map(|s| json!({ "prefix": { "equals-ignore-case": s } })),
        1 => word().prop_map(|s| json!({ "suffix": { "equals-ignore-case": s } })),
        3 => any::<bool>().prop_map(|b| json!({ "exists": b })),
        4 => anything_but.prop_map(|v| json!({ "anything-but": v })),
        3 => numeric.prop_map(|v| json!({ "numeric": v })),
        1 => (operators, json(KEYS.to_vec())).prop_map(|(k, v)| json!({ k: v })),
        1 => prop::collection::vec((prop::sample::select(KEYS.to_vec()), leaf()), 0..3)
            .prop_map(|e| Value::Object(object(e))),
    ]
}

/// The value of a pattern field: mostly a non-empty array of values and match expressions.
fn field_values() -> impl Strategy<Value = Value> {
    prop_oneof![
        12 => prop::collection::vec(prop_oneof![2 => leaf(), 3 => match_expression()], 1..4)
            .prop_map(Value::Array),
        1 => Just(json!([])),
        1 => leaf(),
    ]
}

/// A pattern key: mostly plain and dotted names, sometimes an operator's name or `$or`.
fn pattern_key() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        8 => prop::sample::select(vec!["a", "b", "c", "a.b", "detail", "eventName"]),
        1 => prop::sample::select(KEYS.to_vec()),
    ]
}

/// A pattern-shaped JSON value: nested objects of fields, `$or` lists, and now and then anything.
fn pattern_structure() -> impl Strategy<Value = Value> {
    let flat = prop::collection::vec((pattern_key(), field_values()), 1..4)
        .prop_map(|e| Value::Object(object(e)));
    let nested = flat.prop_recursive(3, 40, 4, move |inner| {
        let entry = prop_oneof![
            4 => (pattern_key(), field_values()),
            2 => (pattern_key(), inner.clone()),
            2 => prop::collection::vec(inner.clone(), 2..4)
                .prop_map(|branches| ("$or", Value::Array(branches))),
            1 => prop::collection::vec(inner.clone(), 0..2)
                .prop_map(|branches| ("$or", Value::Array(branches))),
        ];
        prop::collection::vec(entry, 1..4).prop_map(|e| Value::Object(object(e)))
    });
    prop_oneof![12 => nested, 1 => Just(json!({})), 1 => json(KEYS.to_vec())]
}

/// Events: any JSON over the pattern keys (objects, arrays of objects, leaves).
fn event() -> impl Strategy<Value = Value> {
    json(KEYS.to_vec()).prop_map(|e| reparsed(&e))
}

/// A leaf from a small alphabet, so that simple patterns and events often meet.
fn small_leaf() -> impl Strategy<Value = Value> {
    prop::sample::select(vec![
        json!("a"),
        json!("ab"),
        json!("b"),
        json!("ba"),
        json!(""),
        json!(1),
        json!(2),
        json!(2.5),
        json!(null),
        json!(true),
    ])
}

/// A valid pattern over `keys` with simple matchers (no `$or`).
fn simple_pattern(keys: Vec<&'static str>) -> impl Strategy<Value = Value> {
    let matcher = prop_oneof![
        3 => small_leaf(),
        1 => prop::sample::select(vec!["a", "b", ""]).prop_map(|s| json!({ "prefix": s })),
        1 => prop::sample::select(vec!["a", "b"]).prop_map(|s| json!({ "suffix": s })),
        1 => prop::sample::select(vec!["a", "ab", "b"]).prop_map(|s| json!({ "anything-but": s })),
        1 => prop::sample::select(vec![1, 2]).prop_map(|n| json!({ "anything-but": n })),
        1 => prop::sample::select(vec![0, 1, 2]).prop_map(|n| json!({ "numeric": [">", n] })),
        1 => any::<bool>().prop_map(|b| json!({ "exists": b })),
    ];
    let values = prop::collection::vec(matcher, 1..3).prop_map(Value::Array);
    prop::collection::vec((prop::sample::select(keys), values), 1..3)
        .prop_map(|e| Value::Object(object(e)))
}

/// A flat event over `a`, `b`, `c`: small leaves or arrays of them.
fn simple_event() -> impl Strategy<Value = Value> {
    let value = prop_oneof![
        3 => small_leaf(),
        1 => prop::collection::vec(small_leaf(), 0..3).prop_map(Value::Array),
    ];
    prop::collection::vec((prop::sample::select(vec!["a", "b", "c"]), value), 0..4)
        .prop_map(|e| reparsed(&Value::Object(object(e))))
}

fn compiled(pattern: &Value) -> EventPattern {
    EventPattern::parse(&pattern.to_string())
        .unwrap_or_else(|e| panic!("{pattern} should be valid: {e}"))
}

/// A string or a number, the operands `anything-but` takes.
fn string_or_number() -> impl Strategy<Value = Value> {
    prop_oneof![
        word().prop_map(Value::String),
        (-1000i64..1000).prop_map(Value::from),
        (-1.0e6f64..1.0e6).prop_map(Value::from),
    ]
}

// ------------------------------------------------------------------ EventBridge properties

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn event_pattern_any_text_parses_or_is_an_error(text in any::<String>()) {
        let _ = EventPattern::parse(&text);
    }

    #[test]
    fn event_pattern_json_like_text_parses_or_is_an_error(
        text in r#"[\[\]{}":,0-9a-z$*\\ .<=>-]{0,64}"#,
    ) {
        let _ = EventPattern::parse(&text);
    }

    #[test]
    fn event_pattern_structures_parse_or_error_and_matching_never_panics(
        pattern in pattern_structure(),
        events in prop::collection::vec(event(), 1..4),
    ) {
        match EventPattern::parse(&pattern.to_string()) {
            Ok(p) => {
                let pinned = p.required_strings("a");
                for e in &events {
                    let hit = p.matches(e);
                    p.matches(&wrap_cloudtrail_record(e));
                    // The pre-filter callers rely on: a match has one of the pinned strings there.
                    if let (true, Some(list)) = (hit, &pinned) {
                        let holds = |v: &Value| v.as_str().is_some_and(|s| list.contains(&s));
                        let at = e.get("a");
                        prop_assert!(
                            at.is_some_and(|v| holds(v)
                                || v.as_array().is_some_and(|a| a.iter().any(holds))),
                            "{} matched {} but required_strings(a) = {:?}", pattern, e, list
                        );
                    }
                }
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    #[test]
    fn an_exact_value_matches_itself_alone_and_in_an_array(v in leaf(), w in leaf()) {
        let p = compiled(&json!({ "a": [v] }));
        prop_assert!(p.matches(&reparsed(&json!({ "a": v }))), "v alone");
        prop_assert!(p.matches(&reparsed(&json!({ "a": [v, w] }))), "v then w");
        prop_assert!(p.matches(&reparsed(&json!({ "a": [w, v] }))), "w then v");
        prop_assert!(p.matches(&reparsed(&json!({ "a": [{ "x": 1 }, v] }))), "v after an object");
    }

    #[test]
    fn anything_but_never_matches_its_value(v in string_or_number(), w in string_or_number()) {
        let p = compiled(&json!({ "a": [{ "anything-but": v }] }));
        prop_assert!(!p.matches(&reparsed(&json!({ "a": v }))), "anything-but v matched v");
        let differ = match (&v, &w) {
            (Value::String(a), Value::String(b)) => a != b,
            (Value::Number(a), Value::Number(b)) => a.as_f64() != b.as_f64(),
            _ => true,
        };
        prop_assert_eq!(p.matches(&reparsed(&json!({ "a": w }))), differ);
        let list = json!({ "a": [{ "anything-but": [v, w] }] });
        if v.is_string() == w.is_string() {
            let p = compiled(&list);
            prop_assert!(!p.matches(&reparsed(&json!({ "a": v }))), "anything-but [v, w] matched v");
            prop_assert!(!p.matches(&reparsed(&json!({ "a": w }))), "anything-but [v, w] matched w");
        } else {
            let e = EventPattern::parse(&list.to_string()).unwrap_err();
            prop_assert_eq!(e.reason, PatternErrorReason::AnythingButListMixed);
        }
    }

    #[test]
    fn prefix_and_suffix_match_exactly_the_strings_that_start_or_end_so(
        fix in word(),
        rest in word(),
        t in word(),
    ) {
        let prefix = compiled(&json!({ "a": [{ "prefix": fix }] }));
        let suffix = compiled(&json!({ "a": [{ "suffix": fix }] }));
        prop_assert!(prefix.matches(&json!({ "a": format!("{fix}{rest}") })), "prefix");
        prop_assert!(suffix.matches(&json!({ "a": format!("{rest}{fix}") })), "suffix");
        prop_assert_eq!(prefix.matches(&json!({ "a": t })), t.starts_with(&fix));
        prop_assert_eq!(suffix.matches(&json!({ "a": t })), t.ends_with(&fix));
        // Neither matches a value that is not a string, nor an absent field.
        prop_assert!(!prefix.matches(&json!({ "a": 1 })), "prefix on a number");
        prop_assert!(!suffix.matches(&json!({ "b": fix })), "suffix on an absent field");
    }

    #[test]
    fn exists_is_presence_of_a_leaf(v in leaf(), present in any::<bool>()) {
        let event = if present { json!({ "a": v }) } else { json!({ "b": v }) };
        let yes = compiled(&json!({ "a": [{ "exists": true }] }));
        let no = compiled(&json!({ "a": [{ "exists": false }] }));
        prop_assert_eq!(yes.matches(&event), present);
        prop_assert_eq!(no.matches(&event), !present);
    }

    #[test]
    fn numeric_range_is_the_interval(
        lo in -1.0e6f64..1.0e6,
        width in 0.001f64..1.0e6,
        x in prop_oneof![-2.0e6f64..2.0e6, (-2_000_000i64..2_000_000).prop_map(|n| n as f64)],
    ) {
        let hi = lo + width;
        let p = EventPattern::parse(&json!({ "a": [{ "numeric": [">", lo, "<=", hi] }] }).to_string());
        // Both bounds and the value go through the same text round trip.
        let (lo, hi, x) = (
            reparsed(&json!(lo)).as_f64().unwrap(),
            reparsed(&json!(hi)).as_f64().unwrap(),
            reparsed(&json!(x)).as_f64().unwrap(),
        );
        if lo >= hi {
            prop_assert_eq!(p.unwrap_err().reason, PatternErrorReason::NumericEmptyRange);
        } else {
            let p = p.unwrap();
            prop_assert_eq!(p.matches(&json!({ "a": x })), lo < x && x <= hi);
            prop_assert!(!p.matches(&json!({ "a": x.to_string() })), "numeric on a string");
        }
    }

    #[test]
    fn or_of_two_patterns_matches_iff_either_does(
        p1 in simple_pattern(vec!["a", "b", "c"]),
        p2 in simple_pattern(vec!["a", "b", "c"]),
        events in prop::collection::vec(simple_event(), 1..6),
    ) {
        let (a, b) = (compiled(&p1), compiled(&p2));
        let either = compiled(&json!({ "$or": [p1, p2] }));
        for e in &events {
            prop_assert_eq!(either.matches(e), a.matches(e) || b.matches(e), "event {}", e);
        }
    }

    #[test]
    fn fields_on_different_keys_must_all_match(
        p1 in simple_pattern(vec!["a"]),
        p2 in simple_pattern(vec!["b"]),
        events in prop::collection::vec(simple_event(), 1..6),
    ) {
        let (a, b) = (compiled(&p1), compiled(&p2));
        let mut both = p1.as_object().unwrap().clone();
        both.extend(p2.as_object().unwrap().clone());
        let both = compiled(&Value::Object(both));
        for e in &events {
            prop_assert_eq!(both.matches(e), a.matches(e) && b.matches(e), "event {}", e);
        }
    }
}

// ------------------------------------------------------------------ filter-pattern strategies

/// A property selector, mostly well formed.
fn selector() -> impl Strategy<Value = String> {
    let step = prop_oneof![
        12 => prop::sample::select(vec![".a", ".b", ".f", ".eventName", ".a.b", "[0]", "[1]", ".é"]),
        1 => prop::sample::select(vec!["[99999999999999999999]", ".", "[", "[x]", ""]),
    ];
    prop::collection::vec(step, 1..4).prop_map(|steps| format!("${}", steps.concat()))
}

/// One comparison or test: `$.a = "x"`, `$.b > 3`, `$.a IS NULL`, `$.a NOT EXISTS`, ...
fn comparison() -> impl Strategy<Value = String> {
    let op = prop_oneof![
        8 => prop::sample::select(vec!["=", "!=", "<", "<=", ">", ">="]),
        1 => prop::sample::select(vec!["==", "!", ""]),
    ];
    let value = prop_oneof![
        word().prop_map(|w| format!("\"{}\"", w.replace('\\', "\\\\").replace('"', "\\\""))),
        prop::sample::select(vec![
            "x", "*", "a*", "*b*", "5", "-1.5", "1e3", "0x10", "true", "NULL", "\"", "\"\\",
        ])
        .prop_map(str::to_string),
        any::<i32>().prop_map(|n| n.to_string()),
    ];
    let test = prop::sample::select(vec![
        "IS NULL",
        "IS NOT NULL",
        "NOT EXISTS",
        "EXISTS",
        "IS TRUE",
        "IS FALSE",
        "IS",
        "NOT",
    ]);
    prop_oneof![
        4 => (selector(), op, value).prop_map(|(s, o, v)| format!("{s} {o} {v}")),
        1 => (selector(), test).prop_map(|(s, t)| format!("{s} {t}")),
    ]
}

/// A JSON filter-pattern body: comparisons joined by `&&` / `||`, in parentheses, with noise.
fn json_body() -> impl Strategy<Value = String> {
    comparison().prop_recursive(4, 24, 2, |inner| {
        prop_oneof![
            3 => (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} && {b}")),
            3 => (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} || {b}")),
            3 => inner.clone().prop_map(|a| format!("({a})")),
            1 => (
                inner,
                prop::sample::select(vec!["(", ")", "&&", "||", "&", "|", "$", "!"])
            )
                .prop_map(|(a, n)| format!("{a} {n}")),
        ]
    })
}

/// Filter-pattern text of every kind: JSON (sometimes unclosed), terms, space-delimited.
fn filter_text() -> impl Strategy<Value = String> {
    let term = (prop::sample::select(vec!["", "-", "?"]), word()).prop_map(|(k, w)| {
        if w.contains(' ') || w.is_empty() {
            format!("{k}\"{w}\"")
        } else {
            format!("{k}{w}")
        }
    });
    prop_oneof![
        6 => (json_body(), prop::bool::weighted(0.9))
            .prop_map(|(b, close)| format!("{{ {b} {}", if close { "}" } else { "" })),
        2 => prop::collection::vec(term, 0..5).prop_map(|t| t.join(" ")),
        1 => prop::collection::vec(
            prop_oneof![
                word(),
                Just("...".to_string()),
                (word(), prop::sample::select(vec!["=", "!=", "<", ">="]), word())
                    .prop_map(|(a, o, b)| format!("{a}{o}{b}")),
            ],
            0..5,
        )
        .prop_map(|f| format!("[{}]", f.join(", "))),
    ]
}

/// Log messages: JSON events as text, and any text.
fn message() -> impl Strategy<Value = String> {
    prop_oneof![
        json(KEYS.iter().copied().chain(["f"]).collect()).prop_map(|v| v.to_string()),
        any::<String>(),
        word(),
    ]
}

/// `s` as a filter-pattern quoted string.
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

// ------------------------------------------------------------------ filter-pattern properties

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn filter_pattern_any_text_parses_or_is_an_error(text in any::<String>()) {
        let _ = FilterPattern::parse(&text);
    }

    #[test]
    fn filter_pattern_json_like_text_parses_or_is_an_error(
        text in r#"[{\[]?[ $.a-z0-9\[\]()&|!=<>"*\\-]{0,48}[}\]]?"#,
    ) {
        let _ = FilterPattern::parse(&text);
    }

    #[test]
    fn filter_patterns_parse_or_error_and_matching_never_panics(
        text in filter_text(),
        messages in prop::collection::vec(message(), 1..4),
        records in prop::collection::vec(json(vec!["a", "b", "f", "eventName"]), 1..3),
    ) {
        match FilterPattern::parse(&text) {
            Ok(p) => {
                for m in &messages {
                    p.matches_message(m);
                }
                let pinned = p.required_strings("eventName");
                for r in records.iter().map(reparsed) {
                    let hit = p.matches_json(&r);
                    if p.is_json() {
                        // A JSON pattern judges the message text as it judges the parsed record.
                        prop_assert_eq!(p.matches_message(&r.to_string()), hit, "record {}", r);
                    }
                    if let (true, Some(list)) = (hit, &pinned) {
                        let name = r.get("eventName").and_then(Value::as_str);
                        prop_assert!(
                            name.is_some_and(|n| list.contains(&n)),
                            "{} matched {} but required_strings(eventName) = {:?}", text, r, list
                        );
                    }
                }
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    #[test]
    fn json_equality_matches_iff_the_field_equals_the_value(
        x in word().prop_filter("no wildcard", |x| !x.contains('*')),
        other in word(),
        tail in word(),
    ) {
        let p = FilterPattern::parse(&format!("{{ $.f = {} }}", quoted(&x)))
            .unwrap_or_else(|e| panic!("{x:?}: {e}"));
        for y in [x.clone(), other, format!("{x}{tail}")] {
            let record = json!({ "f": y, "g": x });
            prop_assert_eq!(p.matches_json(&record), y == x, "{}", record);
            prop_assert_eq!(p.matches_message(&record.to_string()), y == x, "{}", record);
        }
        prop_assert!(!p.matches_json(&json!({ "g": x })), "absent field");
        prop_assert!(!p.matches_json(&json!({ "f": { "f": x } })), "object field");
        prop_assert!(!p.matches_message(&x));
    }

    #[test]
    fn the_empty_pattern_matches_every_message(
        blank in "[ \t\r\n]{0,3}",
        m in message(),
        r in json(KEYS.to_vec()),
    ) {
        let p = FilterPattern::parse(&blank).unwrap();
        prop_assert!(p.matches_message(&m));
        prop_assert!(p.matches_json(&r));
    }

    #[test]
    fn a_term_matches_the_messages_that_contain_it(
        t in "[A-Za-z0-9_.:/]{1,8}",
        u in "[A-Za-z0-9_.:/]{1,8}",
        m in prop_oneof![message(), "[A-Za-z0-9_.:/ ]{0,40}"],
    ) {
        let has = |w: &str| m.contains(w);
        let term = FilterPattern::parse(&t).unwrap();
        prop_assert_eq!(term.matches_message(&m), has(&t));
        let not = FilterPattern::parse(&format!("-{t}")).unwrap();
        prop_assert_eq!(not.matches_message(&m), !has(&t));
        let both = FilterPattern::parse(&format!("{t} {u}")).unwrap();
        prop_assert_eq!(both.matches_message(&m), has(&t) && has(&u));
        let either = FilterPattern::parse(&format!("?{t} ?{u}")).unwrap();
        prop_assert_eq!(either.matches_message(&m), has(&t) || has(&u));
    }
}
