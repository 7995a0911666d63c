//! Space-delimited patterns such as `[ip, user, ..., status_code = 4*, bytes > 1000]`: the message is split into
//! fields on spaces (a `"..."` or `[...]` group is one field) and each pattern slot tests one field.

use super::error::FilterPatternError as E;
use super::glob::glob;
use super::lexer::CmpOp;

#[derive(Debug, Clone, PartialEq)]
struct Condition {
    op: CmpOp,
    value: String,
    number: Option<f64>,
}

/// One comma-separated slot: an OR of ANDs of conditions on the field (no condition: any value).
#[derive(Debug, Clone, PartialEq)]
enum Slot {
    Field(Vec<Vec<Condition>>),
    Ellipsis,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SpacePattern {
    before: Vec<Slot>,
    /// Slots after a `...`, aligned with the end of the message.
    after: Option<Vec<Slot>>,
}

fn split_top_level(body: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut in_quotes = false;
    let mut start = 0;
    for (i, c) in body.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            c if c == sep && !in_quotes => {
                parts.push(&body[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(&body[start..]);
    parts
}

fn condition(text: &str) -> Result<Option<Condition>, E> {
    let ops = [
        ("!=", CmpOp::Ne),
        ("<=", CmpOp::Le),
        (">=", CmpOp::Ge),
        ("=", CmpOp::Eq),
        ("<", CmpOp::Lt),
        (">", CmpOp::Gt),
    ];
    let Some((at, len, op)) = ops
        .iter()
        .filter_map(|(s, op)| text.find(s).map(|at| (at, s.len(), *op)))
        .min_by_key(|(at, len, _)| (*at, std::cmp::Reverse(*len)))
    else {
        return Ok(None);
    };
    let raw = text[at + len..].trim();
    let value = raw
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .unwrap_or(raw)
        .to_string();
    let number = value.parse::<f64>().ok().filter(|n| n.is_finite());
    if !matches!(op, CmpOp::Eq | CmpOp::Ne) && number.is_none() {
        return Err(E::NotANumber(at));
    }
    if value.is_empty() {
        return Err(E::UnexpectedEnd("a value"));
    }
    Ok(Some(Condition { op, value, number }))
}

fn slot(text: &str) -> Result<Slot, E> {
    let text = text.trim();
    if text == "..." {
        return Ok(Slot::Ellipsis);
    }
    let mut any = Vec::new();
    for alternative in text.split("||") {
        let mut all = Vec::new();
        for part in alternative.split("&&") {
            if let Some(c) = condition(part)? {
                all.push(c);
            }
        }
        any.push(all);
    }
    Ok(Slot::Field(any))
}

impl SpacePattern {
    pub(crate) fn parse(body: &str) -> Result<SpacePattern, E> {
        let slots = split_top_level(body, ',')
            .into_iter()
            .map(slot)
            .collect::<Result<Vec<_>, E>>()?;
        let mut parts = slots.split(|s| *s == Slot::Ellipsis);
        let before = parts.next().unwrap_or_default().to_vec();
        let after = parts.next().map(<[Slot]>::to_vec);
        if parts.next().is_some() {
            return Err(E::ManyEllipses);
        }
        Ok(SpacePattern { before, after })
    }

    pub(crate) fn matches(&self, message: &str) -> bool {
        let fields = split_fields(message);
        let test = |slots: &[Slot], values: &[&str]| {
            slots.iter().zip(values).all(|(s, v)| slot_matches(s, v))
        };
        match &self.after {
            None => fields.len() == self.before.len() && test(&self.before, &fields),
            Some(after) => {
                fields.len() >= self.before.len() + after.len()
                    && test(&self.before, &fields)
                    && test(after, &fields[fields.len() - after.len()..])
            }
        }
    }
}

fn slot_matches(slot: &Slot, value: &str) -> bool {
    match slot {
        Slot::Ellipsis => true,
        Slot::Field(any) => any
            .iter()
            .any(|all| all.iter().all(|c| condition_holds(c, value))),
    }
}

fn condition_holds(c: &Condition, value: &str) -> bool {
    let numeric = value.parse::<f64>().ok();
    let equal = match (c.number, numeric) {
        (Some(a), Some(b)) => a == b,
        _ => glob(&c.value, value),
    };
    match (c.op, c.number, numeric) {
        (CmpOp::Eq, ..) => equal,
        (CmpOp::Ne, ..) => !equal,
        (CmpOp::Lt, Some(a), Some(b)) => b < a,
        (CmpOp::Le, Some(a), Some(b)) => b <= a,
        (CmpOp::Gt, Some(a), Some(b)) => b > a,
        (CmpOp::Ge, Some(a), Some(b)) => b >= a,
        _ => false,
    }
}

/// Splits on spaces; `"..."` and `[...]` groups are single fields (delimiters removed).
fn split_fields(message: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = message.trim_start();
    while !rest.is_empty() {
        let close = match rest.as_bytes()[0] {
            b'"' => Some('"'),
            b'[' => Some(']'),
            _ => None,
        };
        let (field, next) = match close.and_then(|c| rest[1..].find(c).map(|end| (c, end))) {
            Some((_, end)) => (&rest[1..1 + end], &rest[end + 2..]),
            None => {
                let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                (&rest[..end], &rest[end..])
            }
        };
        out.push(field);
        rest = next.trim_start();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_quoted_and_bracketed_fields() {
        let line = r#"127.0.0.1 - bob [10/Oct/2000:13:55:36 -0700] "GET /a.gif HTTP/1.0" 404 2326"#;
        assert_eq!(
            split_fields(line),
            [
                "127.0.0.1",
                "-",
                "bob",
                "10/Oct/2000:13:55:36 -0700",
                "GET /a.gif HTTP/1.0",
                "404",
                "2326"
            ]
        );
    }

    #[test]
    fn word_conditions() {
        let p = SpacePattern::parse("w1!=ERROR && w1!=WARNING, w2").unwrap();
        assert!(p.matches("INFO hello"));
        assert!(!p.matches("ERROR hello"));
        assert!(!p.matches("INFO hello extra"));
    }
}
