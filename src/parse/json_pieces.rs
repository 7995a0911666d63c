//! Generated JSON for the property tests of the byte-level readers (`plain`, and the canonical
//! form in `correlate`): both must agree with serde_json on whatever these pieces build.

use proptest::prelude::*;

/// JSON text from valid, nearly valid and adversarial pieces: strings with escapes, surrogates
/// and control characters, numbers JSON allows and refuses, literals cut short, nested objects
/// and arrays with odd whitespace; object keys are short random names, an escaped one and `keys`.
pub(crate) fn piece(keys: &'static [&'static str]) -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("\"GetSecretValue\"".to_string()),
        Just("\"\\u0047etSecretValue\"".to_string()),
        Just("\"\\udc80\"".to_string()),
        Just("\"\\ud83d\\ude00\"".to_string()),
        Just("\"a\\\"b\"".to_string()),
        Just("\"\\n\"".to_string()),
        Just("\"ünï\"".to_string()),
        Just("\"\t\"".to_string()),
        Just(format!("\"{}\"", "x".repeat(60))),
        Just(format!("\"{}\\n\"", "x".repeat(60))),
        Just(format!("\"{}\u{1}\"", "x".repeat(60))),
        Just(format!("\"{}\u{7f}é\"", "x".repeat(13))),
        Just("true".to_string()),
        Just("false".to_string()),
        Just("null".to_string()),
        Just("nul".to_string()),
        Just("-0".to_string()),
        Just("0.5".to_string()),
        Just("1E2".to_string()),
        Just("1e-999".to_string()),
        Just("007".to_string()),
        Just("-12".to_string()),
        Just("99999999999999999999".to_string()),
        Just("2026-11-20T14:02:17Z".to_string()),
        Just("\"2026-11-20T14:02:17Z\"".to_string()),
        (0u64..1_000_000).prop_map(|n| n.to_string()),
        "[a-z]{0,3}".prop_map(|s| format!("\"{s}\"")),
    ];
    let ws = prop_oneof![Just(""), Just(""), Just(" "), Just("\n\t"), Just("\r")];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        let key = prop_oneof![
            "[a-c]{1,2}".prop_map(|s| format!("\"{s}\"")),
            Just("\"\\u0061\"".to_string()),
            prop::sample::select(keys).prop_map(|k| format!("\"{k}\"")),
        ];
        let member =
            (key, ws.clone(), inner.clone()).prop_map(|(k, w, v)| format!("{k}{w}:{w}{v}"));
        prop_oneof![
            3 => proptest::collection::vec(member, 0..6)
                .prop_map(|m| format!("{{{}}}", m.join(","))),
            1 => proptest::collection::vec(inner, 0..4)
                .prop_map(|v| format!("[ {} ]", v.join(" ,"))),
        ]
    })
}
