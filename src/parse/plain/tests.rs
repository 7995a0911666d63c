//! The plain reader against serde_json: on hand-written records, every sample record, generated
//! records cut anywhere, and one view reused across records as the trail readers reuse it.

use super::*;
use crate::parse::json_pieces::piece;
use proptest::prelude::*;

/// The view's keys and aliases, for the generated documents.
const VIEW_KEYS: &[&str] = &[
    "eventName",
    "eventname",
    "eventTime",
    "@timestamp",
    "eventID",
    "eventId",
    "userIdentity",
    "type",
    "arn",
    "ARN",
    "aRN",
    "sessionContext",
    "sessionIssuer",
    "onBehalfOf",
    "userId",
    "requestParameters",
    "responseElements",
    "Resources",
    "readOnly",
    "errorCode",
    "insightDetails",
    "serviceEventDetails",
];

/// serde_json's reading of the value at `pos`: the view and where it ends.
pub(super) fn by_serde(text: &str, pos: usize) -> Option<(RecordView<'_>, usize)> {
    let mut stream = serde_json::Deserializer::from_str(&text[pos..]).into_iter();
    match stream.next()? {
        Ok(view) => Some((view, pos + stream.byte_offset())),
        Err(_) => None,
    }
}

/// Wherever the plain reader answers, serde_json gives the same view and end, the text is
/// a `Value` and holds no lone surrogate. Returns whether it answered.
pub(super) fn agrees(text: &str, pos: usize) -> bool {
    let Some((plain, end)) = read_plain(text, pos) else {
        return false;
    };
    let (serde, serde_end) =
        by_serde(text, pos).unwrap_or_else(|| panic!("serde_json refuses {}", &text[pos..]));
    assert_eq!(plain, serde, "{}", &text[pos..end]);
    assert_eq!(end, serde_end, "{}", &text[pos..]);
    let raw = &text[pos..end];
    assert!(
        serde_json::from_str::<serde_json::Value>(raw).is_ok(),
        "{raw}"
    );
    assert!(matches!(
        super::super::json_text::replace_lone_surrogates(raw),
        Cow::Borrowed(_)
    ));
    true
}

#[test]
fn plain_records_are_read_as_serde_json_reads_them() {
    let plain = [
        r#"{"eventTime":"2026-11-20T14:02:17Z","eventName":"GetSecretValue","eventID":"a"}"#,
        r#"{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","principalId":"AROA:x","arn":"arn:aws:sts::1:assumed-role/r/x","accountId":"1","accessKeyId":"ASIA","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::1:role/r","userName":"r"},"attributes":{"mfaAuthenticated":"false"}}},"eventTime":"2026-11-20T14:02:17Z","requestParameters":{"secretId":"s","n":[1,-2.5e10,0,true,null]},"responseElements":null,"readOnly":true,"resources":[{"ARN":"a"}]}"#,
        " { \"eventname\" :\t\"X\" ,\r\n\"useridentity\":null , \"readonly\":\"True\",\"userAgent\":{\"a\":[]},\"errorCode\":null } ",
        r#"{"eventName":"X","other":"a\"b\\c\/\n\u00e9\u2603","Resources":[]}"#,
        r#"{"eventName":"X","userIdentity":{"aRN":"a","onBehalfOf":{"userId":"u","identityStoreArn":"arn:aws:identitystore::1:identitystore/d"},"sessionContext":{"sourceIdentity":"s","sessionIssuer":null}}}"#,
        r#"{"eventTime":1732111337,"insightDetails":{"state":"Start"},"@timestamp":"x"}"#,
        r#"{}"#,
    ];
    for raw in plain {
        let text = raw.trim_start();
        assert!(agrees(text, 0), "not read: {raw}");
    }
    let for_serde = [
        // Escapes in a key or in a field read as text, numbers as text, repeated fields.
        r#"{"event\u004eame":"X"}"#,
        r#"{"eventName":"a\"b"}"#,
        r#"{"errorCode":42}"#,
        r#"{"eventName":"X","eventname":"Y"}"#,
        r#"{"userIdentity":{"arn":"a","ARN":"b"}}"#,
        r#"{"userIdentity":"root"}"#,
        r#"{"userIdentity":["a"]}"#,
        // Lone surrogates, numbers a Value cannot hold, nesting past the limit.
        r#"{"eventName":"X","k":"\udc80"}"#,
        r#"{"eventName":"X","k":"\ud83d\ude00"}"#,
        r#"{"eventName":"X","n":1e999}"#,
        r#"{"eventName":"X","n":-0.5e-100}"#,
        // Not JSON: cut, trailing comma, bad literal or number, control character.
        r#"{"eventName":"X""#,
        r#"{"eventName":"X",}"#,
        r#"{"eventName":"X","v":tru}"#,
        r#"{"eventName":"X","v":01}"#,
        r#"{"eventName":"X","v":1.}"#,
        r#"{"eventName":"X","v":-}"#,
        "{\"eventName\":\"X\",\"v\":\"tab\there\"}",
        r#"{"eventName":"X","v":"\x"}"#,
        r#"{"eventName" "X"}"#,
        r#"{"eventName":"X" "v":1}"#,
        r#"["eventName"]"#,
    ];
    for raw in for_serde {
        assert!(read_plain(raw, 0).is_none(), "read: {raw}");
    }
    let deep = format!(
        r#"{{"eventName":"X","k":{}1{}}}"#,
        "[".repeat(70),
        "]".repeat(70)
    );
    assert!(read_plain(&deep, 0).is_none());
    let fine = format!(
        r#"{{"eventName":"X","k":{}1{}}}"#,
        "[".repeat(40),
        "]".repeat(40)
    );
    assert!(agrees(&fine, 0));
}

/// `RecordView::parse` reads a whole text as `serde_json::from_str` does: whitespace around
/// the record allowed, anything else after it refused.
#[test]
fn a_whole_record_text_is_read_as_serde_json_reads_it() {
    let texts = [
        "{\"eventName\":\"X\"}",
        " \r\n\t{\"eventName\":\"X\"} \n",
        "{\"eventName\":\"X\"} x",
        "{\"eventName\":\"X\"}{}",
        "{\"eventName\":\"X\"",
        "",
    ];
    for text in texts {
        let ours = RecordView::parse(text).ok();
        let serde = serde_json::from_str::<RecordView<'_>>(text).ok();
        assert_eq!(ours, serde, "{text:?}");
    }
    assert!(RecordView::parse(texts[1]).is_ok());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]
    #[test]
    fn where_the_plain_reader_answers_serde_json_agrees(
        raw in piece(VIEW_KEYS),
        tail in prop_oneof![Just(""), Just(" "), Just(","), Just("}"), Just("x")],
        cut in 0usize..400,
    ) {
        let whole = format!("{raw}{tail}");
        for pos in whole.match_indices('{').map(|(p, _)| p) {
            agrees(&whole, pos);
        }
        // Cut anywhere (on a character boundary): never an answer serde_json would not give.
        let mut at = cut.min(whole.len());
        while !whole.is_char_boundary(at) {
            at -= 1;
        }
        let part = &whole[..at];
        for pos in part.match_indices('{').map(|(p, _)| p) {
            agrees(part, pos);
        }
    }

    /// A string passed over (a value nothing reads) is accepted, refused and ended exactly as
    /// a string read for its text is: at every quote of generated JSON, cut anywhere.
    #[test]
    fn a_string_passed_over_is_checked_as_a_string_read(raw in piece(VIEW_KEYS), cut in 0usize..400) {
        let mut at = cut.min(raw.len());
        while !raw.is_char_boundary(at) {
            at -= 1;
        }
        for text in [raw.as_str(), &raw[..at]] {
            for pos in text.match_indices('"').map(|(p, _)| p) {
                let (mut m1, mut m2) = (Memo::default(), Memo::default());
                let mut read = Reader { s: text, b: text.as_bytes(), i: pos, m: &mut m1 };
                let mut passed = Reader { s: text, b: text.as_bytes(), i: pos, m: &mut m2 };
                let read_end = read.string().map(|_| read.i);
                let passed_end = passed.skip_string().map(|()| passed.i);
                prop_assert_eq!(read_end, passed_end, "{}", &text[pos..]);
            }
        }
    }

    /// A value passed over in one loop ends, and is refused, exactly where the recursive reader
    /// (a call per value, [`Reader::object`] per object) ends or refuses it: at every position
    /// of generated JSON, cut anywhere, from several depths (the limit of nesting included).
    #[test]
    fn a_value_passed_over_in_one_loop_ends_where_the_recursive_reader_ends(
        raw in piece(VIEW_KEYS),
        cut in 0usize..400,
    ) {
        let mut at = cut.min(raw.len());
        while !raw.is_char_boundary(at) {
            at -= 1;
        }
        for text in [raw.as_str(), &raw[..at]] {
            for pos in (0..text.len()).filter(|&p| text.is_char_boundary(p)) {
                for depth in [0, 1, 3, MAX_DEPTH - 2, MAX_DEPTH] {
                    let (a, b) = skip_both_ways(text, pos, depth);
                    prop_assert_eq!(a, b, "{} at {} depth {}", text, pos, depth);
                }
            }
        }
    }

    /// One view reused for record after record (as the trail readers do) holds each record
    /// alone: what a fresh view reading it holds, whatever the record before left there.
    #[test]
    fn a_view_reused_for_the_next_record_holds_that_record_alone(
        first in piece(VIEW_KEYS),
        second in piece(VIEW_KEYS),
    ) {
        for at in first.match_indices('{').map(|(p, _)| p) {
            for pos in second.match_indices('{').map(|(p, _)| p) {
                // Whether the first read answers or gives up half way, the view is reused.
                let mut reused = RecordView::default();
                let mut memo = Memo::default();
                let _ = read_plain_into(&first, at, &mut reused, &mut memo);
                let end = read_plain_into(&second, pos, &mut reused, &mut memo);
                match read_plain(&second, pos) {
                    Some((fresh, fresh_end)) => {
                        prop_assert_eq!(Some(fresh_end), end);
                        prop_assert_eq!(&fresh, &reused);
                    }
                    None => prop_assert_eq!(end, None),
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]
    /// A value met again, whole or changed, is passed over as the first time: the reader's
    /// skip with one memo for every value, every depth and two texts (so that values it
    /// remembers come back, at other depths, cut short, with a byte changed, in another text)
    /// ends or refuses each where the recursive reader does.
    #[test]
    fn a_value_met_again_is_passed_over_as_the_first_time(
        raw in piece(VIEW_KEYS),
        cut in 0usize..400,
        (flip, to) in (0usize..400, prop::sample::select(b"\"\\}]{[:,1e \x01".to_vec())),
    ) {
        let mut at = cut.min(raw.len());
        while !raw.is_char_boundary(at) {
            at -= 1;
        }
        let mut changed = raw.clone().into_bytes();
        if let Some(c) = changed.get_mut(flip).filter(|c| c.is_ascii()) {
            *c = to;
        }
        let changed = String::from_utf8(changed).unwrap_or_default();
        let values = [raw.as_str(), &raw[..at], raw.as_str(), &changed, raw.as_str()];
        let one: String = values.iter().map(|v| format!(r#","same":{v}"#)).collect();
        let other = format!(" {one}");
        let mut memo = Memo::default();
        for text in [one.as_str(), other.as_str()] {
            for depth in [MAX_DEPTH, 0, 3, MAX_DEPTH - 2, 1] {
                for pos in (0..text.len()).filter(|&p| text.is_char_boundary(p)) {
                    let mut looped = Reader { s: text, b: text.as_bytes(), i: pos, m: &mut memo };
                    let a = looped.skip(depth).map(|()| looped.i);
                    let (_, b) = skip_both_ways(text, pos, depth);
                    prop_assert_eq!(a, b, "{} at {} depth {}", text, pos, depth);
                }
            }
        }
    }
}

/// One view reused across records that each hold every field but one, or one field alone, or
/// every field: after any of them, the next is read as a fresh view reads it (a field the
/// earlier record had and this one lacks is empty).
#[test]
fn a_view_reused_across_records_of_each_field_agrees_with_fresh_reads() {
    let fields = [
        r#""eventTime":"2026-11-20T14:02:17Z""#,
        r#""@timestamp":"x""#,
        r#""eventID":"a""#,
        r#""eventSource":"s""#,
        r#""eventName":"N""#,
        r#""awsRegion":"r""#,
        r#""sourceIPAddress":"i""#,
        r#""userAgent":"u""#,
        r#""errorCode":"E""#,
        r#""errorMessage":"m""#,
        r#""readOnly":true"#,
        r#""eventType":"t""#,
        r#""recipientAccountId":"1""#,
        r#""userIdentity":{"arn":"a"}"#,
        r#""requestParameters":{"k":1}"#,
        r#""responseElements":{"k":2}"#,
        r#""resources":[]"#,
        r#""insightDetails":{}"#,
        r#""serviceEventDetails":{}"#,
    ];
    let fields: Vec<String> = fields.iter().map(|f| f.to_string()).collect();
    reused_after_each_reads_as_fresh(&each_member_alone_and_left_out(&fields), |_| {});
}

/// Every record of `records` read into a view that read each record of them before: the same
/// view and end as a fresh read; `also` checks each record besides.
fn reused_after_each_reads_as_fresh(records: &[String], also: impl Fn(&str)) {
    for before in records {
        for record in records {
            let (fresh, fresh_end) = read_plain(record, 0).expect("plain");
            let mut view = RecordView::default();
            let mut memo = Memo::default();
            read_plain_into(before, 0, &mut view, &mut memo).expect("plain");
            assert_eq!(
                read_plain_into(record, 0, &mut view, &mut memo),
                Some(fresh_end)
            );
            assert_eq!(view, fresh, "{before} then {record}");
            also(record);
        }
    }
}

/// Objects of `members`: all of them, none, each alone, and all but each.
fn each_member_alone_and_left_out(members: &[String]) -> Vec<String> {
    let mut objects = vec![format!("{{{}}}", members.join(",")), "{}".to_string()];
    for (i, member) in members.iter().enumerate() {
        objects.push(format!("{{{member}}}"));
        let others: Vec<&str> = (members.iter().enumerate())
            .filter(|&(j, _)| j != i)
            .map(|(_, m)| m.as_str())
            .collect();
        objects.push(format!("{{{}}}", others.join(",")));
    }
    objects
}

/// The same for a record's `userIdentity`, its `sessionContext` and that context's
/// `sessionIssuer`, which the reader fills where they are in the reused view: after any record,
/// one whose identity (or context, or issuer) lacks a field the one before had, or is `null`,
/// or is absent, is read as a fresh view reads it.
#[test]
fn a_view_reused_across_identities_of_each_field_agrees_with_fresh_reads() {
    let issuers = each_member_alone_and_left_out(&[
        r#""arn":"arn:aws:iam::1:role/r""#.into(),
        r#""userName":"r""#.into(),
    ]);
    let mut contexts = each_member_alone_and_left_out(&[
        format!(r#""sessionIssuer":{}"#, issuers[0]),
        r#""sourceIdentity":"s""#.into(),
    ]);
    contexts.extend(
        issuers
            .iter()
            .map(|i| format!(r#"{{"sessionIssuer":{i}}}"#)),
    );
    contexts.push(r#"{"sessionIssuer":null}"#.into());
    let mut identities = each_member_alone_and_left_out(&[
        r#""type":"AssumedRole""#.into(),
        r#""arn":"a""#.into(),
        r#""principalId":"p""#.into(),
        r#""accountId":"1""#.into(),
        r#""accessKeyId":"k""#.into(),
        r#""userName":"u""#.into(),
        r#""invokedBy":"b""#.into(),
        format!(r#""sessionContext":{}"#, contexts[0]),
        r#""identityProvider":"idp""#.into(),
        r#""onBehalfOf":{"userId":"x","identityStoreArn":"y"}"#.into(),
    ]);
    identities.extend(
        contexts
            .iter()
            .map(|c| format!(r#"{{"sessionContext":{c}}}"#)),
    );
    identities.push(r#"{"sessionContext":null}"#.into());
    let mut records: Vec<String> = identities
        .iter()
        .map(|u| format!(r#"{{"eventName":"N","userIdentity":{u}}}"#))
        .collect();
    records.push(r#"{"eventName":"N","userIdentity":null}"#.into());
    records.push(r#"{"eventName":"N"}"#.into());
    reused_after_each_reads_as_fresh(&records, |record| assert!(agrees(record, 0), "{record}"));
}

/// Where `skip` and the recursive reference end the value at `pos` (`None`: refused).
fn skip_both_ways(text: &str, pos: usize, depth: u32) -> (Option<usize>, Option<usize>) {
    let (mut m1, mut m2) = (Memo::default(), Memo::default());
    let mut looped = Reader {
        s: text,
        b: text.as_bytes(),
        i: pos,
        m: &mut m1,
    };
    let mut recursive = Reader {
        s: text,
        b: text.as_bytes(),
        i: pos,
        m: &mut m2,
    };
    let a = looped.skip(depth).map(|()| looped.i);
    let b = skip_recursively(&mut recursive, depth).map(|()| recursive.i);
    (a, b)
}

/// The reader's `skip` as it was before it became one loop (a call per value, `object` with a
/// closure per member, `array` below), refusing an object that writes a key twice and more than
/// [`skip::KEYS_OPEN`] keys of open objects at once.
fn skip_recursively(r: &mut Reader<'_, '_>, depth: u32) -> Option<()> {
    skip_counting(r, depth, &mut 0)
}

fn skip_counting(r: &mut Reader<'_, '_>, depth: u32, open: &mut usize) -> Option<()> {
    match r.peek()? {
        b'"' => r.skip_string(),
        b'{' => {
            let mut keys: Vec<&str> = Vec::new();
            r.object(depth + 1, |r, key| {
                if keys.contains(&key) || *open == skip::KEYS_OPEN {
                    return None;
                }
                keys.push(key);
                *open += 1;
                skip_counting(r, depth + 1, open)
            })?;
            *open -= keys.len();
            Some(())
        }
        b'[' => array_recursively(r, depth + 1, open),
        b't' => r.literal(b"true"),
        b'f' => r.literal(b"false"),
        b'n' => r.literal(b"null"),
        b'-' | b'0'..=b'9' => r.number(),
        _ => None,
    }
}

fn array_recursively(r: &mut Reader<'_, '_>, depth: u32, open: &mut usize) -> Option<()> {
    if depth > MAX_DEPTH {
        return None;
    }
    r.i += 1;
    r.ws();
    if r.peek()? == b']' {
        r.i += 1;
        return Some(());
    }
    loop {
        skip_counting(r, depth, open)?;
        r.ws();
        match r.peek()? {
            b',' => {
                r.i += 1;
                r.ws();
            }
            b']' => {
                r.i += 1;
                return Some(());
            }
            _ => return None,
        }
    }
}

/// Nesting at the limit and past it, empty containers at every level, escaped and repeated
/// keys, separators out of place: the loop and the recursive reader agree on each.
#[test]
fn nested_values_at_and_past_the_limit_are_passed_over_as_before() {
    let mut cases = vec![
        r#"{"a":[1,{"b":[]},{}],"c":{"d":{"e":null}}}"#.to_string(),
        r#"{"a\u0062":1}"#.to_string(),
        r#"{"a":1,"a":2}"#.to_string(),
        r#"{"a":1,}"#.to_string(),
        r#"[1,]"#.to_string(),
        r#"[1 2]"#.to_string(),
        r#"{"a" 1}"#.to_string(),
        r#"{"a":1]"#.to_string(),
        r#"[{"a":1}}"#.to_string(),
        r#"{,}"#.to_string(),
        r#"[,1]"#.to_string(),
        " [ { \"a\" : [ ] , \"b\" : { } } , [ [ ] ] ] "
            .trim_start()
            .to_string(),
        "{\"a\tb\":1}".to_string(),
        // Keys: one written twice in an inner object (the same value or not), the same key in
        // sibling or nested objects, an outer key that an inner object closed before used.
        r#"{"a":{"b":1,"b":1}}"#.to_string(),
        r#"{"a":{"x":1},"b":{"x":2},"a":3}"#.to_string(),
        r#"[{"a":1},{"a":2}]"#.to_string(),
        r#"{"a":{"b":{"a":1}},"b":2}"#.to_string(),
        r#"{"ab":1,"ac":2,"a":3,"abc":4}"#.to_string(),
    ];
    // As many keys open at once as are compared, and one more.
    for n in [skip::KEYS_OPEN, skip::KEYS_OPEN + 1] {
        let members: Vec<String> = (0..n).map(|k| format!(r#""k{k}":0"#)).collect();
        cases.push(format!("{{{}}}", members.join(",")));
    }
    for n in [62, 63, 64, 65, 70] {
        cases.push(format!("{}1{}", "[".repeat(n), "]".repeat(n)));
        cases.push(format!("{}{}", "[".repeat(n), "]".repeat(n)));
        cases.push(format!("{}1{}", r#"{"k":"#.repeat(n), "}".repeat(n)));
        cases.push(format!(
            "{}{{}}{}",
            r#"[{"k":"#.repeat(n / 2),
            "}]".repeat(n / 2)
        ));
    }
    for case in &cases {
        for depth in 0..=MAX_DEPTH + 1 {
            let (a, b) = skip_both_ways(case, 0, depth);
            assert_eq!(a, b, "{case} depth {depth}");
        }
    }
    assert_eq!(skip_both_ways(&cases[0], 0, 1).0, Some(cases[0].len()));
    let ends = |t: &str| skip_both_ways(t, 0, 1).0;
    for refused in [
        r#"{"a":1,"a":2}"#,
        r#"{"a":{"b":1,"b":1}}"#,
        r#"{"a":{"x":1},"b":{"x":2},"a":3}"#,
    ] {
        assert_eq!(ends(refused), None, "{refused}");
    }
    for read in [
        r#"[{"a":1},{"a":2}]"#,
        r#"{"a":{"b":{"a":1}},"b":2}"#,
        r#"{"ab":1,"ac":2,"a":3,"abc":4}"#,
    ] {
        assert_eq!(ends(read), Some(read.len()), "{read}");
    }
}
