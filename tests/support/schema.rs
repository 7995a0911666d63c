//! Check a JSON document against the repo's JSON Schemas (`schema/`): the subset they use (type,
//! const, enum, required, properties, items). Only `serde_json`, so workspace members' tests can
//! include it with `#[path]` too.

use serde_json::Value;

/// Check `doc` against `schema` (the subset of JSON Schema the repo's schema uses). Returns the
/// list of violations, each with its JSON pointer.
pub fn schema_violations(schema: &Value, doc: &Value) -> Vec<String> {
    let mut out = Vec::new();
    check(schema, doc, "", &mut out);
    out
}

fn type_ok(t: &str, v: &Value) -> bool {
    match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        _ => true,
    }
}

fn check(schema: &Value, v: &Value, at: &str, out: &mut Vec<String>) {
    match schema.get("type") {
        Some(Value::String(t)) if !type_ok(t, v) => {
            out.push(format!("{at}: expected {t}, found {v}"))
        }
        Some(Value::Array(ts)) if !ts.iter().any(|t| type_ok(t.as_str().unwrap_or(""), v)) => {
            out.push(format!("{at}: expected one of {ts:?}, found {v}"))
        }
        _ => {}
    }
    if let Some(c) = schema.get("const") {
        if c != v {
            out.push(format!("{at}: expected {c}, found {v}"));
        }
    }
    if let Some(Value::Array(options)) = schema.get("enum") {
        if !options.contains(v) {
            out.push(format!("{at}: {v} is not one of {options:?}"));
        }
    }
    if let (Some(Value::Array(req)), Value::Object(obj)) = (schema.get("required"), v) {
        for r in req.iter().filter_map(Value::as_str) {
            if !obj.contains_key(r) {
                out.push(format!("{at}: missing required key {r}"));
            }
        }
    }
    if let (Some(Value::Object(props)), Value::Object(obj)) = (schema.get("properties"), v) {
        for (k, s) in props {
            if let Some(x) = obj.get(k) {
                check(s, x, &format!("{at}/{k}"), out);
            }
        }
    }
    if let (Some(items), Value::Array(arr)) = (schema.get("items"), v) {
        for (i, x) in arr.iter().enumerate() {
            check(items, x, &format!("{at}/{i}"), out);
        }
    }
}
