//! A timeline row as compact JSON, written by hand: `--all` writes one per record, and
//! serde's general path (a formatter call per key, a byte at a time through each string) was a
//! tenth of its time. The bytes are serde_json's for [`Row`] (the tests compare them): the
//! same keys in the same order, strings escaped as serde_json escapes them (`\"`, `\\`, the
//! short escapes for backspace, form feed, newline, carriage return and tab, `\u00xx` in lower
//! case for any other control character, nothing else).

use super::wire::RowFields;
use crate::parse::first_to_escape;

/// `row` (a row without its record) as serde_json writes a [`super::Row`], appended to `out`.
pub fn push_row(out: &mut Vec<u8>, row: &RowFields<'_>) {
    out.extend_from_slice(b"{\"time\":\"");
    row.time.push_rfc3339(out);
    out.push(b'"');
    let texts: [(&[u8], &str); 11] = [
        (b",\"event_id\":", row.event_id),
        (b",\"kind\":", row.kind),
        (b",\"source\":", row.source),
        (b",\"actor\":", row.actor),
        (b",\"actor_type\":", row.actor_type),
        (b",\"action\":", row.action),
        (b",\"target\":", row.target),
        (b",\"outcome\":", row.outcome),
        (b",\"source_ip\":", row.source_ip),
        (b",\"user_agent\":", row.user_agent),
        (b",\"region\":", row.region),
    ];
    for (key, text) in texts {
        out.extend_from_slice(key);
        push_str(out, text);
    }
    out.extend_from_slice(b",\"incidents\":[");
    for (n, id) in row.incidents.iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        push_str(out, id);
    }
    out.extend_from_slice(b"],\"input\":");
    push_str(out, row.input);
    out.extend_from_slice(b",\"record_index\":");
    out.extend_from_slice(itoa::Buffer::new().format(row.record_index).as_bytes());
    out.extend_from_slice(if row.tie {
        b",\"tie\":true"
    } else {
        b",\"tie\":false"
    });
    if !row.counted_as.is_empty() {
        out.extend_from_slice(b",\"counted_as\":");
        push_str(out, row.counted_as);
    }
    out.push(b'}');
}

/// `s` as a JSON string.
fn push_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let mut rest = s.as_bytes();
    while let Some(at) = first_to_escape(rest) {
        out.extend_from_slice(&rest[..at]);
        match rest[at] {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            c => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(c >> 4)]);
                out.push(HEX[usize::from(c & 0xf)]);
            }
        }
        rest = &rest[at + 1..];
    }
    out.extend_from_slice(rest);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::super::wire::Row;
    use super::*;
    use crate::model::Timestamp;

    fn row(text: &str, n: u64) -> Row {
        Row {
            time: Timestamp(i64::try_from(n).unwrap() * 7_777_777 - 86_400_000 * 365 * 60),
            event_id: format!("{text}-id"),
            kind: "honeytoken_access",
            source: "cloudtrail".into(),
            actor: text.into(),
            actor_type: format!("{text}{text}"),
            action: "secretsmanager:GetSecretValue".into(),
            target: text.chars().rev().collect(),
            outcome: "success".into(),
            source_ip: String::new(),
            user_agent: format!("ua \"{text}\""),
            region: "eu-west-1".into(),
            incidents: (0..n % 3).map(|i| format!("INC-{i}{text}")).collect(),
            input: format!("logs/{text}.json.gz"),
            record_index: n * 1_000_003,
            tie: n.is_multiple_of(2),
            counted_as: if n % 3 == 1 {
                format!("{text}-first")
            } else {
                String::new()
            },
            record: None,
        }
    }

    /// Every character below 0x80 in every place of a string, and some beyond: the bytes are
    /// serde_json's.
    #[test]
    fn writes_what_serde_json_writes() {
        let mut texts: Vec<String> = (0u8..0x80)
            .map(|c| {
                let c = char::from(c);
                format!("{c}a{c}{c}bcdefghijklmnopqrstuvwxyz{c}")
            })
            .collect();
        texts.extend(
            [
                "",
                "é",
                "日本語\u{7f}\u{2028}",
                "\\\\\"\"",
                "a\u{1}b\u{1f}c",
            ]
            .map(String::from),
        );
        for (n, text) in texts.iter().enumerate() {
            let row = row(text, n as u64);
            let mut fast = Vec::new();
            push_row(&mut fast, &row.fields().unwrap());
            let by_serde = serde_json::to_vec(&row).unwrap();
            assert_eq!(
                String::from_utf8(fast).unwrap(),
                String::from_utf8(by_serde).unwrap()
            );
        }
    }

    #[test]
    fn a_row_with_its_record_has_no_fields_to_write_by_hand() {
        let mut r = row("x", 1);
        r.record = Some(serde_json::json!({"eventID": "x"}));
        assert!(r.fields().is_none());
    }
}
