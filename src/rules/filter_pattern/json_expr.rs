//! JSON filter patterns: `{ $.a = "x" && ($.b > 1 || $.c NOT EXISTS) }`, parsed to a small expression tree and
//! evaluated against a parsed log event.
//!
//! A comparison on a selector that does not resolve to a scalar (missing, object, array) is false, for `!=`
//! too; only `NOT EXISTS` matches a missing property.

use serde_json::Value;

use super::error::FilterPatternError as E;
use super::glob::glob;
use super::lexer::{tokenize, CmpOp, Step, Token};

const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Literal {
    /// A string, possibly with `*` wildcards.
    Text(String),
    /// An unquoted number; `text` is kept for comparison with string properties.
    Number(f64, String),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Check {
    Compare(CmpOp, Literal),
    IsNull,
    IsNotNull,
    IsTrue,
    IsFalse,
    Exists,
    NotExists,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expr {
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Test(Vec<Step>, Check),
}

struct Parser {
    tokens: Vec<(usize, Token)>,
    at: usize,
}

/// Parses the body of a JSON pattern; `base` is the body's offset in the whole pattern.
pub(crate) fn parse(body: &str, base: usize) -> Result<Expr, E> {
    let mut p = Parser {
        tokens: tokenize(body, base)?,
        at: 0,
    };
    let expr = p.or(0)?;
    match p.tokens.get(p.at) {
        None => Ok(expr),
        Some((pos, t)) => Err(E::Unexpected {
            pos: *pos,
            found: format!("{t:?}"),
            expected: "&&, || or }",
        }),
    }
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at).map(|(_, t)| t)
    }

    fn next(&mut self, expected: &'static str) -> Result<(usize, Token), E> {
        let t = self
            .tokens
            .get(self.at)
            .cloned()
            .ok_or(E::UnexpectedEnd(expected))?;
        self.at += 1;
        Ok(t)
    }

    fn or(&mut self, depth: usize) -> Result<Expr, E> {
        let mut left = self.and(depth)?;
        while self.peek() == Some(&Token::Or) {
            self.at += 1;
            left = Expr::Or(Box::new(left), Box::new(self.and(depth)?));
        }
        Ok(left)
    }

    fn and(&mut self, depth: usize) -> Result<Expr, E> {
        let mut left = self.unary(depth)?;
        while self.peek() == Some(&Token::And) {
            self.at += 1;
            left = Expr::And(Box::new(left), Box::new(self.unary(depth)?));
        }
        Ok(left)
    }

    fn unary(&mut self, depth: usize) -> Result<Expr, E> {
        if depth > MAX_DEPTH {
            return Err(E::TooDeep(MAX_DEPTH));
        }
        match self.next("a condition")? {
            (_, Token::LParen) => {
                let inner = self.or(depth + 1)?;
                match self.next(")")? {
                    (_, Token::RParen) => Ok(inner),
                    (pos, t) => Err(E::Unexpected {
                        pos,
                        found: format!("{t:?}"),
                        expected: ")",
                    }),
                }
            }
            (_, Token::Selector(steps)) => Ok(Expr::Test(steps, self.check()?)),
            (pos, t) => Err(E::Unexpected {
                pos,
                found: format!("{t:?}"),
                expected: "( or a $. selector",
            }),
        }
    }

    fn keyword(&mut self, expected: &'static str) -> Result<(usize, String), E> {
        match self.next(expected)? {
            (pos, Token::Bare(w)) => Ok((pos, w.to_ascii_uppercase())),
            (pos, t) => Err(E::Unexpected {
                pos,
                found: format!("{t:?}"),
                expected,
            }),
        }
    }

    fn check(&mut self) -> Result<Check, E> {
        match self.next("an operator, IS, EXISTS or NOT EXISTS")? {
            (_, Token::Op(op)) => {
                let (pos, value) = self.next("a value")?;
                let literal = match value {
                    Token::Quoted(s) => Literal::Text(s),
                    Token::Bare(w) => match w.parse::<f64>() {
                        Ok(n) if n.is_finite() => Literal::Number(n, w),
                        _ => Literal::Text(w),
                    },
                    t => {
                        return Err(E::Unexpected {
                            pos,
                            found: format!("{t:?}"),
                            expected: "a value",
                        })
                    }
                };
                if !matches!(op, CmpOp::Eq | CmpOp::Ne) && !matches!(literal, Literal::Number(..)) {
                    return Err(E::NotANumber(pos));
                }
                Ok(Check::Compare(op, literal))
            }
            (pos, Token::Bare(w)) => match w.to_ascii_uppercase().as_str() {
                "EXISTS" => Ok(Check::Exists),
                "NOT" => match self.keyword("EXISTS")? {
                    (_, k) if k == "EXISTS" => Ok(Check::NotExists),
                    (pos, k) => Err(E::Unexpected {
                        pos,
                        found: k,
                        expected: "EXISTS",
                    }),
                },
                "IS" => {
                    let (pos, k) = self.keyword("NULL, NOT NULL, TRUE or FALSE")?;
                    match k.as_str() {
                        "NULL" => Ok(Check::IsNull),
                        "TRUE" => Ok(Check::IsTrue),
                        "FALSE" => Ok(Check::IsFalse),
                        "NOT" => match self.keyword("NULL")? {
                            (_, k) if k == "NULL" => Ok(Check::IsNotNull),
                            (pos, k) => Err(E::Unexpected {
                                pos,
                                found: k,
                                expected: "NULL",
                            }),
                        },
                        _ => Err(E::Unexpected {
                            pos,
                            found: k,
                            expected: "NULL, NOT NULL, TRUE or FALSE",
                        }),
                    }
                }
                _ => Err(E::Unexpected {
                    pos,
                    found: w,
                    expected: "an operator, IS, EXISTS or NOT EXISTS",
                }),
            },
            (pos, t) => Err(E::Unexpected {
                pos,
                found: format!("{t:?}"),
                expected: "an operator, IS, EXISTS or NOT EXISTS",
            }),
        }
    }
}

fn resolve<'a>(root: &'a Value, steps: &[Step]) -> Option<&'a Value> {
    steps.iter().try_fold(root, |v, step| match step {
        Step::Key(k) => v.as_object()?.get(k),
        Step::Index(i) => v.as_array()?.get(*i),
    })
}

fn equals(value: &Value, literal: &Literal) -> Option<bool> {
    let text: std::borrow::Cow<'_, str> = match value {
        Value::String(s) => s.as_str().into(),
        Value::Number(n) => {
            if let Literal::Number(want, _) = literal {
                return Some(n.as_f64() == Some(*want));
            }
            n.to_string().into()
        }
        Value::Bool(b) => if *b { "true" } else { "false" }.into(),
        Value::Null | Value::Array(_) | Value::Object(_) => return None,
    };
    Some(match literal {
        Literal::Text(pattern) => glob(pattern, &text),
        Literal::Number(_, raw) => *raw == *text,
    })
}

fn order(value: &Value, op: CmpOp, literal: &Literal) -> bool {
    let (Some(v), Literal::Number(n, _)) = (value.as_f64().filter(|_| value.is_number()), literal)
    else {
        return false;
    };
    match op {
        CmpOp::Lt => v < *n,
        CmpOp::Le => v <= *n,
        CmpOp::Gt => v > *n,
        CmpOp::Ge => v >= *n,
        CmpOp::Eq => v == *n,
        CmpOp::Ne => v != *n,
    }
}

impl Expr {
    /// See [`super::FilterPattern::required_strings`]: `&&` needs one side pinned, `||` both.
    pub(crate) fn required_strings(&self, key: &str) -> Option<Vec<&str>> {
        match self {
            Expr::And(a, b) => a.required_strings(key).or_else(|| b.required_strings(key)),
            Expr::Or(a, b) => {
                let mut v = a.required_strings(key)?;
                v.extend(b.required_strings(key)?);
                Some(v)
            }
            Expr::Test(steps, Check::Compare(CmpOp::Eq, Literal::Text(t)))
                if !t.contains('*') && matches!(steps.as_slice(), [Step::Key(k)] if k == key) =>
            {
                Some(vec![t.as_str()])
            }
            // A number literal compares by value (`5` matches `5.0`), so it pins no exact text.
            Expr::Test(..) => None,
        }
    }

    /// See [`super::FilterPattern::needles`]: `&&` needs both sides' sets, `||` one text of
    /// either side's first set.
    pub(crate) fn needles(&self) -> Vec<Vec<&str>> {
        match self {
            Expr::And(a, b) => {
                let mut sets = a.needles();
                sets.extend(b.needles());
                sets
            }
            Expr::Or(a, b) => match (
                a.needles().into_iter().next(),
                b.needles().into_iter().next(),
            ) {
                (Some(mut either), Some(other)) => {
                    either.extend(other);
                    vec![either]
                }
                _ => Vec::new(),
            },
            // Each literal run of the value's pattern is in the value's text. Only runs no
            // number's text can hold (a number is compared by its text, `5.0` for `5e0`):
            // then the value is a string (or a boolean, `true`), written in the message as it
            // reads when it has no escape.
            Expr::Test(_, Check::Compare(CmpOp::Eq, Literal::Text(t))) => t
                .split('*')
                .filter(|run| {
                    run.bytes()
                        .any(|b| !matches!(b, b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-'))
                })
                .map(|run| vec![run])
                .collect(),
            Expr::Test(..) => Vec::new(),
        }
    }

    pub(crate) fn eval(&self, event: &Value) -> bool {
        match self {
            Expr::And(a, b) => a.eval(event) && b.eval(event),
            Expr::Or(a, b) => a.eval(event) || b.eval(event),
            Expr::Test(steps, check) => {
                let found = resolve(event, steps);
                match check {
                    Check::NotExists => found.is_none(),
                    Check::Exists => found.is_some(),
                    Check::IsNull => found.is_some_and(Value::is_null),
                    Check::IsNotNull => found.is_some_and(|v| !v.is_null()),
                    Check::IsTrue => found.and_then(Value::as_bool) == Some(true),
                    Check::IsFalse => found.and_then(Value::as_bool) == Some(false),
                    Check::Compare(CmpOp::Eq, lit) => {
                        found.and_then(|v| equals(v, lit)) == Some(true)
                    }
                    Check::Compare(CmpOp::Ne, lit) => {
                        found.and_then(|v| equals(v, lit)) == Some(false)
                    }
                    Check::Compare(op, lit) => found.is_some_and(|v| order(v, *op, lit)),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn eval(body: &str, event: Value) -> bool {
        parse(body, 0).unwrap().eval(&event)
    }

    #[test]
    fn comparisons_and_keywords() {
        let e = json!({"a": "x", "n": 5, "t": true, "z": null, "arr": [{"id": 2}]});
        assert!(eval(r#"$.a = "x""#, e.clone()));
        assert!(eval("$.a = x", e.clone()));
        assert!(eval("$.a != y", e.clone()));
        assert!(!eval("$.missing != y", e.clone()));
        assert!(eval("$.n >= 5 && $.n < 6", e.clone()));
        assert!(eval("$.t IS TRUE", e.clone()));
        assert!(eval("$.z IS NULL", e.clone()));
        assert!(eval("$.nope NOT EXISTS", e.clone()));
        assert!(eval("$.arr[0].id = 2", e.clone()));
        assert!(!eval("$.arr = *", e));
    }

    #[test]
    fn and_binds_tighter_than_or() {
        let e = json!({"a": 1, "b": 2});
        assert!(eval("$.a = 1 || $.b = 9 && $.a = 9", e.clone()));
        assert!(!eval("($.a = 1 || $.b = 9) && $.a = 9", e));
    }

    #[test]
    fn rejects_malformed() {
        assert!(parse("$.a >", 0).is_err());
        assert!(parse("$.a > x", 0).is_err());
        assert!(parse("($.a = 1", 0).is_err());
        assert!(parse("$.a = 1 $.b = 2", 0).is_err());
        assert!(parse("$. = 1", 0).is_err());
    }
}
