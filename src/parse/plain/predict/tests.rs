//! Tests of the predicted keys: the table, the key compare, and records read with one memo
//! (edited one from the next, carried to another text) against the general way.

use super::super::tests::agrees;
use super::super::{read_plain_into, RecordView};
use super::*;
use proptest::prelude::*;

/// A key is held once, by its exact text; a key too long or past a full table is not held.
#[test]
fn a_table_holds_each_key_once_by_its_exact_text() {
    let mut t = KeyTable::default();
    assert_eq!(t.find_or_add(br#""eventName""#, 4), 0);
    assert_eq!(t.find_or_add(br#""eventname""#, 4), 1);
    assert_eq!(t.find_or_add(br#""eventName""#, 4), 0);
    assert_eq!(t.find_or_add(br#""event""#, 19), 2);
    assert_eq!(&t.entries[0].text[..12], br#""eventName":"#);
    let long = format!(r#""{}""#, "k".repeat(29));
    assert_eq!(t.find_or_add(long.as_bytes(), 19), 3);
    let longer = format!(r#""{}""#, "k".repeat(30));
    assert_eq!(t.find_or_add(longer.as_bytes(), 19), NONE);
    for k in 4..KEYS {
        assert_eq!(t.find_or_add(format!(r#""k{k}""#).as_bytes(), 19), k as u8);
    }
    assert_eq!(t.find_or_add(br#""one more""#, 19), NONE);
}

/// The compare looks at the first `len` bytes and no others, at every length.
#[test]
fn the_key_compare_looks_at_the_first_len_bytes_alone() {
    let key: [u8; WIDTH] = std::array::from_fn(|j| b'a' + j as u8);
    for len in 1..=WIDTH as u8 {
        let mut at = key.to_vec();
        assert!(same_key(&at, &key, len), "{len}");
        for j in 0..WIDTH {
            at[j] ^= 0x20;
            assert_eq!(same_key(&at, &key, len), j >= usize::from(len), "{len} {j}");
            at[j] ^= 0x20;
        }
    }
}

/// The records joined by newlines, and where each starts.
fn joined(records: &[String]) -> (String, Vec<usize>) {
    let (mut text, mut starts) = (String::new(), Vec::new());
    for r in records {
        starts.push(text.len());
        text.push_str(r);
        text.push('\n');
    }
    // The last record's keys end near the text's end: fewer than 32 bytes after them.
    text.pop();
    (text, starts)
}

/// Every record of `records` read with one memo and one view for all gives what a memo
/// that predicts nothing gives (the general way), and serde_json agrees wherever the reader
/// answers. Whether each was read.
fn predicted_as_unpredicted(records: &[String]) -> Vec<bool> {
    let (text, starts) = joined(records);
    let (mut memo, mut view) = (Memo::default(), RecordView::default());
    let mut answered = Vec::new();
    for &pos in &starts {
        let predicted = read_plain_into(&text, pos, &mut view, &mut memo);
        let mut general = RecordView::default();
        let end = read_plain_into(&text, pos, &mut general, &mut Memo::blind());
        assert_eq!(predicted, end, "{}", &text[pos..]);
        if end.is_some() {
            assert_eq!(view, general, "{}", &text[pos..]);
            agrees(&text, pos);
        }
        answered.push(end.is_some());
    }
    answered
}

/// Records whose keys differ from the previous record's in order, spelling, escapes and
/// spacing, and that write a key twice after it was predicted: each is read (or handed
/// back) as the general way reads it.
#[test]
fn records_unlike_the_one_before_are_read_as_the_general_way_reads_them() {
    let identity = r#"{"type":"AssumedRole","principalId":"P","arn":"arn:aws:sts::1:assumed-role/r/s","accountId":"1","accessKeyId":"ASIA","sessionContext":{"sessionIssuer":{"arn":"a","userName":"r"},"attributes":{"mfaAuthenticated":"false"}}}"#;
    let base = format!(
        r#"{{"eventVersion":"1.10","userIdentity":{identity},"eventTime":"2026-11-20T14:02:17Z","eventSource":"secretsmanager.amazonaws.com","eventName":"GetSecretValue","awsRegion":"us-east-1","sourceIPAddress":"192.0.2.1","userAgent":"ua","requestParameters":{{"secretId":"s"}},"responseElements":null,"requestID":"r","eventID":"e","readOnly":true,"eventType":"AwsApiCall","recipientAccountId":"1"}}"#
    );
    let variant = |from: &str, to: &str| {
        assert!(base.contains(from), "{from}");
        base.replacen(from, to, 1)
    };
    let cases = [
        // Order: two members swapped, one left out, one added before a predicted one.
        (
            variant(
                r#""eventSource":"secretsmanager.amazonaws.com","eventName":"GetSecretValue""#,
                r#""eventName":"GetSecretValue","eventSource":"secretsmanager.amazonaws.com""#,
            ),
            true,
        ),
        (variant(r#""awsRegion":"us-east-1","#, ""), true),
        (
            variant(
                r#""eventID":"e""#,
                r#""errorCode":"AccessDenied","eventID":"e""#,
            ),
            true,
        ),
        // Spelling: an alias, a key one letter longer or shorter, a key as long as an entry holds and longer.
        (variant(r#""eventName""#, r#""eventname""#), true),
        (variant(r#""eventName""#, r#""eventNameX""#), true),
        (variant(r#""eventName""#, r#""eventNam""#), true),
        (
            variant(r#""requestID""#, &format!(r#""{}""#, "k".repeat(29))),
            true,
        ),
        // Longer than an entry holds: handed back (a key no entry holds could be written
        // twice unseen), and the general way reads it.
        (
            variant(r#""requestID""#, &format!(r#""{}""#, "k".repeat(30))),
            false,
        ),
        // Escapes: the predicted key escaped (serde_json's to read).
        (variant(r#""eventName""#, r#""event\u004eame""#), false),
        (variant(r#""arn""#, r#""\u0061rn""#), false),
        // Spacing about the colon and after it.
        (variant(r#""eventName":"#, r#""eventName" :"#), true),
        (variant(r#""eventName":"#, "\"eventName\":\n "), true),
        (variant(r#""arn":"#, r#""arn"	:"#), true),
        // A key written twice, the second time where it is predicted or not.
        (
            variant(
                r#""awsRegion":"us-east-1","#,
                r#""awsRegion":"us-east-1","awsRegion":"us-east-1","#,
            ),
            false,
        ),
        (
            variant(r#""requestID":"r","#, r#""eventName":"GetSecretValue","#),
            false,
        ),
        (
            variant(r#""accountId":"1","#, r#""accountId":"1","accountId":"2","#),
            false,
        ),
        (
            variant(
                r#""accountId":"1","#,
                r#""accountId":"1","principalId":"Q","#,
            ),
            false,
        ),
        // A key no field holds, twice, at the top: handed back, as any key met twice in an
        // object (serde_json ignores it; `repeats.rs` tells the same value from another).
        (
            variant(r#""requestID":"r","#, r#""requestID":"r","requestID":"r","#),
            false,
        ),
    ];
    for (case, read) in &cases {
        // The base record predicts the case's keys; the case then predicts the base's.
        let answered =
            predicted_as_unpredicted(&[base.clone(), base.clone(), case.clone(), base.clone()]);
        assert_eq!(answered, [true, true, *read, true], "{case}");
        // Cut short: its last keys end within 32 bytes of the text's end.
        let mut cut = case.clone();
        cut.truncate(case.len() - 3);
        predicted_as_unpredicted(&[base.clone(), cut]);
    }
}

/// The records of `text` (where each starts: `starts`) read one after the other with
/// `memo`, each compared with what a memo that predicts nothing reads (the general way).
fn read_with_memo(text: &str, starts: &[usize], memo: &mut Memo) {
    let mut view = RecordView::default();
    for &pos in starts {
        let got = read_plain_into(text, pos, &mut view, memo);
        let mut general = RecordView::default();
        let want = read_plain_into(text, pos, &mut general, &mut Memo::blind());
        assert_eq!(got, want, "{}", &text[pos..]);
        if want.is_some() {
            assert_eq!(view, general, "{}", &text[pos..]);
        }
    }
}

/// Members for generated records: keys of the view and their aliases, keys no field holds,
/// escaped keys, a key longer than an entry, spacing about the colon, and values of every
/// kind (a number where text is read is the general way's too).
fn member() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "eventTime",
        "eventtime",
        "eventName",
        "eventname",
        "eventNam",
        "eventNameX",
        "eventID",
        "eventId",
        "awsRegion",
        "sourceIPAddress",
        "userAgent",
        "readOnly",
        "errorCode",
        "recipientAccountId",
        "requestParameters",
        "Resources",
        "resources",
        "eventVersion",
        "requestID",
        "tlsDetails",
        "event\\u004eame",
        "sessionCredentialFromConsoleX",
        "userIdentity",
        "userIdentity",
    ]);
    let inner = prop::sample::select(vec![
        "type",
        "arn",
        "ARN",
        "principalId",
        "accountId",
        "userName",
        "invokedBy",
        "x",
        "\\u0061rn",
        "sessionContext",
        "onBehalfOf",
    ]);
    let value = prop::sample::select(vec![
        r#""v""#,
        r#""w""#,
        "true",
        "null",
        "12",
        r#"{"k":1}"#,
        r#"{"k":1,"k":1}"#,
        "[]",
        r#"{"sessionIssuer":{"arn":"a"},"attributes":{"a":"1"}}"#,
    ]);
    let colon = prop::sample::select(vec![":", ":", ":", " :", ": ", ":\n"]);
    let identity =
        proptest::collection::vec((inner, colon.clone(), value.clone()), 0..6).prop_map(|m| {
            let m: Vec<String> = m
                .into_iter()
                .map(|(k, c, v)| format!(r#""{k}"{c}{v}"#))
                .collect();
            format!("{{{}}}", m.join(","))
        });
    (
        key,
        colon,
        prop_oneof![value.prop_map(str::to_string), identity],
    )
        .prop_map(|(k, c, v)| format!(r#""{k}"{c}{v}"#))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]
    /// Records each made from the one before by an edit (members swapped, one left out, one
    /// added, one replaced, or none), read with one memo for all: what the general way reads.
    #[test]
    fn records_edited_one_from_the_next_are_read_as_the_general_way_reads_them(
        base in proptest::collection::vec(member(), 0..12),
        edits in proptest::collection::vec((0u8..5, any::<prop::sample::Index>(), member()), 1..6),
    ) {
        let mut members = base;
        let mut records = vec![format!("{{{}}}", members.join(","))];
        for (kind, at, new) in edits {
            let n = members.len();
            match (kind, n) {
                (0, _) | (_, 0) => {}
                (1, _) if n >= 2 => {
                    let i = at.index(n - 1);
                    members.swap(i, i + 1);
                }
                (2, _) => {
                    members.remove(at.index(n));
                }
                (3, _) => members.insert(at.index(n + 1), new),
                _ => members[at.index(n)] = new,
            }
            records.push(format!("{{{}}}", members.join(",")));
        }
        predicted_as_unpredicted(&records);
    }

    /// A memo carried from one text to another, as a thread carries it from trail window to
    /// window (`shape/trail_stream.rs`), reads the second text's records as the general way
    /// does: the first text's records again (their keys, skipped values and identities
    /// remembered) at other places, among others, after `lead` bytes of whitespace.
    #[test]
    fn a_memo_carried_to_another_text_reads_as_the_general_way_reads_it(
        first in proptest::collection::vec(proptest::collection::vec(member(), 0..10), 1..5),
        other in proptest::collection::vec(proptest::collection::vec(member(), 0..10), 0..3),
        lead in 0usize..40,
        reversed in any::<bool>(),
    ) {
        let records: Vec<String> =
            first.iter().map(|m| format!("{{{}}}", m.join(","))).collect();
        let (text, starts) = joined(&records);
        let mut memo = Memo::default();
        read_with_memo(&text, &starts, &mut memo);
        let mut again = records.clone();
        if reversed {
            again.reverse();
        }
        again.extend(other.iter().map(|m| format!("{{{}}}", m.join(","))));
        let (body, starts) = joined(&again);
        let text = format!("{}{body}", " ".repeat(lead));
        let starts: Vec<usize> = starts.iter().map(|s| s + lead).collect();
        read_with_memo(&text, &starts, &mut memo);
    }
}
