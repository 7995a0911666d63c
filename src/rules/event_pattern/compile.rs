//! Compiles the JSON text of an event pattern into sub-rules (the `$or` branches, expanded), each a list of
//! dotted field paths with their value matchers; validation follows event-ruler's `JsonRuleCompiler`.

use serde_json::{Map, Value};

use super::cidr::Cidr;
use super::error::PatternErrorReason as R;
use super::matcher::{Bound, Matcher};
use super::wildcard::{check_complexity, Wildcard};

/// Beyond this many `$or` branches a pattern is refused rather than expanded.
pub(crate) const MAX_BRANCHES: usize = 1024;

/// Field names that cannot appear inside a `$or` branch.
const RESERVED_IN_OR: &[&str] = &[
    "anything-but",
    "cidr",
    "equals-ignore-case",
    "exists",
    "numeric",
    "prefix",
    "suffix",
    "wildcard",
];

/// One pattern field: every leaf reachable at `path` is tried against `matchers` (OR).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Field {
    pub(crate) path: Box<str>,
    pub(crate) matchers: Vec<Matcher>,
    /// `exists: false` is among the matchers, so a missing field satisfies it.
    pub(crate) absent_ok: bool,
}

/// All fields must match (AND).
pub(crate) type SubRule = Vec<Field>;

pub(crate) fn compile(pattern: &Value) -> Result<Vec<SubRule>, R> {
    let Value::Object(obj) = pattern else {
        return Err(R::NotAnObject);
    };
    let mut rules = Vec::new();
    parse_object(obj, "", &mut rules, false)?;
    Ok(rules)
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

fn parse_object(
    obj: &Map<String, Value>,
    prefix: &str,
    rules: &mut Vec<SubRule>,
    inside_or: bool,
) -> Result<(), R> {
    if obj.is_empty() {
        return Err(R::EmptyObject);
    }
    for (key, value) in obj {
        if key == "$or" {
            parse_or(value, prefix, rules)?;
            continue;
        }
        if inside_or && RESERVED_IN_OR.contains(&key.as_str()) {
            return Err(R::OrReservedField(key.clone()));
        }
        match value {
            Value::Object(child) => parse_object(child, &join(prefix, key), rules, inside_or)?,
            Value::Array(values) => write_field(rules, join(prefix, key), values)?,
            _ => return Err(R::FieldNotObjectOrArray(key.clone())),
        }
    }
    Ok(())
}

fn parse_or(value: &Value, prefix: &str, rules: &mut Vec<SubRule>) -> Result<(), R> {
    let Value::Array(branches) = value else {
        return Err(R::OrNotArray);
    };
    let current = std::mem::take(rules);
    for branch in branches {
        let Value::Object(obj) = branch else {
            return Err(R::OrElementNotObject);
        };
        let mut forked = if current.is_empty() {
            vec![Vec::new()]
        } else {
            current.clone()
        };
        parse_object(obj, prefix, &mut forked, true)?;
        rules.extend(forked);
        if rules.len() > MAX_BRANCHES {
            return Err(R::TooManyBranches(MAX_BRANCHES));
        }
    }
    if branches.len() < 2 {
        return Err(R::OrTooFew);
    }
    Ok(())
}

fn write_field(rules: &mut Vec<SubRule>, path: String, values: &[Value]) -> Result<(), R> {
    if values.is_empty() {
        return Err(R::EmptyArray);
    }
    let mut matchers = Vec::with_capacity(values.len());
    for value in values {
        matchers.push(match value {
            Value::Object(expr) => match_expression(expr)?,
            Value::String(s) => match s.parse() {
                Ok(ip) => Matcher::ExactIp(s.as_str().into(), Cidr::single(ip)),
                Err(_) => Matcher::ExactString(s.as_str().into()),
            },
            Value::Number(n) => Matcher::ExactNumber(n.as_f64().unwrap_or(f64::NAN)),
            Value::Bool(b) => Matcher::ExactBool(*b),
            Value::Null => Matcher::ExactNull,
            Value::Array(_) => return Err(R::BadMatchValue),
        });
    }
    check_complexity(matchers.iter().flat_map(|m| match m {
        Matcher::Wildcard(w) => std::slice::from_ref(w),
        Matcher::AnythingButWildcard(ws) => ws.as_slice(),
        _ => &[],
    }))?;
    let absent_ok = matchers.contains(&Matcher::Exists(false));
    let field = Field {
        path: path.into(),
        matchers,
        absent_ok,
    };
    if rules.is_empty() {
        rules.push(Vec::new());
    }
    for rule in rules.iter_mut() {
        // A later spelling of the same path replaces the earlier one, as in event-ruler's map.
        rule.retain(|f| f.path != field.path);
        rule.push(field.clone());
    }
    Ok(())
}

fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn match_expression(expr: &Map<String, Value>) -> Result<Matcher, R> {
    let mut entries = expr.iter();
    let Some((kind, value)) = entries.next() else {
        return Err(R::MatchExpressionNameNotFound);
    };
    if entries.next().is_some() {
        return Err(R::OnlyOneKey);
    }
    match kind.as_str() {
        "prefix" | "suffix" => {
            let suffix = kind == "suffix";
            let name = if suffix { "suffix" } else { "prefix" };
            match value {
                Value::String(s) if suffix => Ok(Matcher::Suffix(s.as_str().into())),
                Value::String(s) => Ok(Matcher::Prefix(s.as_str().into())),
                Value::Object(inner) => {
                    let folded = ignore_case_operand(inner, name)?;
                    Ok(if suffix {
                        Matcher::SuffixIgnoreCase(folded)
                    } else {
                        Matcher::PrefixIgnoreCase(folded)
                    })
                }
                _ => Err(R::MustBeString(name)),
            }
        }
        "equals-ignore-case" => match value {
            Value::String(s) => Ok(Matcher::EqualsIgnoreCase(s.to_lowercase().into())),
            _ => Err(R::MustBeString("equals-ignore-case")),
        },
        "wildcard" => match value {
            Value::String(s) => Ok(Matcher::Wildcard(Wildcard::parse(s)?)),
            _ => Err(R::MustBeString("wildcard")),
        },
        "exists" => match value {
            Value::Bool(b) => Ok(Matcher::Exists(*b)),
            _ => Err(R::ExistsNotBoolean),
        },
        // AWS reports a non-string cidr with the prefix wording; kept for fidelity.
        "cidr" => match value {
            Value::String(s) => Ok(Matcher::Cidr(Cidr::parse(s)?)),
            _ => Err(R::MustBeString("prefix")),
        },
        "numeric" => match value {
            Value::Array(terms) => numeric(terms),
            _ => Err(R::NumericNotArray),
        },
        "anything-but" => anything_but(value),
        other => Err(R::UnrecognizedMatchType(other.to_string())),
    }
}

/// `{"equals-ignore-case": "x"}` inside `prefix`/`suffix`.
fn ignore_case_operand(inner: &Map<String, Value>, name: &'static str) -> Result<Box<str>, R> {
    let mut entries = inner.iter();
    match (entries.next(), entries.next()) {
        (Some((k, Value::String(s))), None) if k == "equals-ignore-case" => {
            Ok(s.to_lowercase().into())
        }
        (Some((k, _)), None) if k == "equals-ignore-case" => {
            Err(R::MustBeString("equals-ignore-case"))
        }
        (Some((k, _)), None) => Err(R::UnsupportedSubPattern(name, k.clone())),
        (None, _) => Err(R::MatchExpressionNameNotFound),
        (Some(_), Some(_)) => Err(R::OnlyOneKey),
    }
}

fn number(v: Option<&Value>, op: &str) -> Result<f64, R> {
    match v {
        Some(Value::Number(n)) => n
            .as_f64()
            .ok_or_else(|| R::NumericValueNotNumber(op.to_string())),
        _ => Err(R::NumericValueNotNumber(if op == "=" {
            "equals".into()
        } else {
            op.into()
        })),
    }
}

fn numeric(terms: &[Value]) -> Result<Matcher, R> {
    let op = match terms.first() {
        Some(Value::String(op)) => op.as_str(),
        Some(other) => return Err(R::NumericInvalidMember(text_of(other))),
        None => return Err(R::NumericInvalidMember("]".into())),
    };
    let value = number(terms.get(1), op)?;
    let single = |lower: Bound, upper: Bound| {
        if terms.len() > 2 {
            Err(R::NumericTooManyElements)
        } else {
            Ok(Matcher::Numeric { lower, upper })
        }
    };
    match op {
        "=" => single(Some((value, true)), Some((value, true))),
        "<" => single(None, Some((value, false))),
        "<=" => single(None, Some((value, true))),
        ">" | ">=" => {
            let lower = Some((value, op == ">="));
            let Some(second) = terms.get(2) else {
                return Ok(Matcher::Numeric { lower, upper: None });
            };
            let Value::String(op2) = second else {
                return Err(R::NumericBadValue(text_of(second)));
            };
            if op2 != "<" && op2 != "<=" {
                return Err(R::NumericBadRangeOperator(op2.clone()));
            }
            let top = number(terms.get(3), op2)?;
            if terms.len() > 4 {
                return Err(R::NumericTooManyTerms);
            }
            if top <= value {
                return Err(R::NumericEmptyRange);
            }
            Ok(Matcher::Numeric {
                lower,
                upper: Some((top, op2 == "<=")),
            })
        }
        other => Err(R::NumericUnknownOperator(other.to_string())),
    }
}

fn anything_but(value: &Value) -> Result<Matcher, R> {
    match value {
        Value::String(s) => Ok(Matcher::AnythingButStrings(vec![s.as_str().into()])),
        Value::Number(n) => Ok(Matcher::AnythingButNumbers(vec![n
            .as_f64()
            .unwrap_or(f64::NAN)])),
        Value::Array(items) => {
            let (mut strings, mut numbers) = (Vec::new(), Vec::new());
            for item in items {
                match item {
                    Value::String(s) => strings.push(s.as_str().into()),
                    Value::Number(n) => numbers.push(n.as_f64().unwrap_or(f64::NAN)),
                    _ => return Err(R::AnythingButListType),
                }
            }
            match (strings.is_empty(), numbers.is_empty()) {
                (false, true) => Ok(Matcher::AnythingButStrings(strings)),
                (true, false) => Ok(Matcher::AnythingButNumbers(numbers)),
                _ => Err(R::AnythingButListMixed),
            }
        }
        Value::Object(expr) => {
            let mut entries = expr.iter();
            let Some((kind, operand)) = entries.next() else {
                return Err(R::MatchExpressionNameNotFound);
            };
            if entries.next().is_some() {
                return Err(R::OnlyOneKey);
            }
            match kind.as_str() {
                "prefix" | "suffix" => {
                    let items = string_items(operand, R::AnythingButPrefixSuffixNotString)?;
                    if items.iter().any(|s| s.is_empty()) {
                        return Err(R::NullPrefixSuffix);
                    }
                    let items = items.into_iter().map(Into::into).collect();
                    Ok(if kind == "prefix" {
                        Matcher::AnythingButPrefix(items)
                    } else {
                        Matcher::AnythingButSuffix(items)
                    })
                }
                "equals-ignore-case" => {
                    let items = string_items(operand, R::AnythingButIgnoreCaseType)?;
                    Ok(Matcher::AnythingButIgnoreCase(
                        items.into_iter().map(|s| s.to_lowercase().into()).collect(),
                    ))
                }
                "wildcard" => {
                    let items = string_items(operand, R::MustBeString("wildcard"))?;
                    let parsed = items
                        .into_iter()
                        .map(Wildcard::parse)
                        .collect::<Result<_, _>>()?;
                    Ok(Matcher::AnythingButWildcard(parsed))
                }
                other => Err(R::UnsupportedAnythingBut(other.to_string())),
            }
        }
        Value::Null | Value::Bool(_) => Err(R::AnythingButValue),
    }
}

/// A string or a non-empty list of strings; `wrong_type` for numbers, null and booleans.
fn string_items(operand: &Value, wrong_type: R) -> Result<Vec<&str>, R> {
    match operand {
        Value::String(s) => Ok(vec![s.as_str()]),
        Value::Array(items) if items.is_empty() => Err(R::EmptyArray),
        Value::Array(items) => items
            .iter()
            .map(|i| i.as_str().ok_or_else(|| wrong_type.clone()))
            .collect(),
        Value::Object(_) => Err(R::AnythingButValue),
        _ => Err(wrong_type),
    }
}
