//! Finds the leaf values of an event at a dotted pattern path and checks a sub-rule with event-ruler's array
//! consistency: two fields never match from objects in different elements of the same array.
//!
//! Paths are matched the way event-ruler flattens keys with `.`: the pattern path `a.b` reaches both
//! `{"a": {"b": 1}}` and `{"a.b": 1}`.

use serde_json::{Map, Value};

use super::compile::{Field, SubRule};

/// The arrays (by identity) and element indexes a leaf sits in.
type Membership = Vec<(usize, usize)>;

struct Leaf<'a> {
    value: &'a Value,
    membership: Membership,
}

fn array_id(v: &Value) -> usize {
    std::ptr::from_ref(v) as usize
}

fn collect<'a>(value: &'a Value, path: &str, stack: &mut Membership, out: &mut Vec<Leaf<'a>>) {
    match value {
        Value::Object(map) => collect_in_object(map, path, stack, out),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                stack.push((array_id(value), i));
                collect(item, path, stack, out);
                stack.pop();
            }
        }
        _ => {}
    }
}

fn collect_in_object<'a>(
    map: &'a Map<String, Value>,
    path: &str,
    stack: &mut Membership,
    out: &mut Vec<Leaf<'a>>,
) {
    if let Some(v) = map.get(path) {
        emit(v, stack, out);
    }
    for (dot, _) in path.match_indices('.') {
        if let Some(v) = map.get(&path[..dot]) {
            collect(v, &path[dot + 1..], stack, out);
        }
    }
}

fn emit<'a>(value: &'a Value, stack: &mut Membership, out: &mut Vec<Leaf<'a>>) {
    match value {
        Value::Object(_) => {}
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                stack.push((array_id(value), i));
                emit(item, stack, out);
                stack.pop();
            }
        }
        leaf => out.push(Leaf {
            value: leaf,
            membership: stack.clone(),
        }),
    }
}

fn consistent(a: &Membership, b: &Membership) -> bool {
    a.iter()
        .all(|(id, i)| b.iter().all(|(id2, j)| id != id2 || i == j))
}

/// Whether every field of `rule` matches `event`, with array-consistent choices.
pub(crate) fn sub_rule_matches(rule: &SubRule, event: &Value) -> bool {
    let mut pending: Vec<Vec<Membership>> = Vec::new();
    let mut stack = Membership::new();
    let mut leaves = Vec::new();
    for field in rule {
        leaves.clear();
        collect(event, &field.path, &mut stack, &mut leaves);
        match field_outcome(field, &mut leaves) {
            Outcome::Fails => return false,
            Outcome::Holds => {}
            Outcome::Needs(choices) => pending.push(choices),
        }
    }
    if pending.is_empty() {
        return true;
    }
    // Fewest choices first keeps the backtracking small.
    pending.sort_by_key(Vec::len);
    let mut chosen = Vec::with_capacity(pending.len());
    choose(&pending, &mut chosen)
}

enum Outcome {
    Fails,
    Holds,
    /// Matched only inside arrays: one of these memberships must be picked consistently.
    Needs(Vec<Membership>),
}

fn field_outcome(field: &Field, leaves: &mut Vec<Leaf<'_>>) -> Outcome {
    if leaves.is_empty() {
        return if field.absent_ok {
            Outcome::Holds
        } else {
            Outcome::Fails
        };
    }
    let mut choices = Vec::new();
    for leaf in leaves.drain(..) {
        if field.matchers.iter().any(|m| m.accepts(leaf.value)) {
            if leaf.membership.is_empty() {
                return Outcome::Holds;
            }
            choices.push(leaf.membership);
        }
    }
    if choices.is_empty() {
        Outcome::Fails
    } else {
        Outcome::Needs(choices)
    }
}

fn choose<'a>(pending: &'a [Vec<Membership>], chosen: &mut Vec<&'a Membership>) -> bool {
    let Some((first, rest)) = pending.split_first() else {
        return true;
    };
    for option in first {
        if chosen.iter().all(|c| consistent(c, option)) {
            chosen.push(option);
            if choose(rest, chosen) {
                return true;
            }
            chosen.pop();
        }
    }
    false
}
