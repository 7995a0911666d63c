//! DynamoDB's PartiQL calls (`ExecuteStatement`, `BatchExecuteStatement`): CloudTrail marks
//! them `readOnly` false whatever their statements (the DynamoDB Developer Guide's example
//! `ExecuteStatement` of a `SELECT` is so marked), so what one did is read from its statements
//! as the record gives them (`requestParameters.statement`, `requestItems[].statement`). Pure.

use crate::model::Event;

/// Whether `e` is a DynamoDB PartiQL call whose record gives its statements and every one is
/// a `SELECT`: it read and changed nothing. `false` when a statement is missing or another
/// verb (`UPDATE`, `INSERT`, `DELETE`), or the call is of another kind.
pub fn select_only(e: &Event) -> bool {
    if e.event_source != "dynamodb.amazonaws.com" {
        return false;
    }
    let record = e.record();
    let request = &record["requestParameters"];
    let statements: Vec<Option<&str>> = match e.event_name.as_str() {
        "ExecuteStatement" => vec![request["statement"].as_str()],
        "BatchExecuteStatement" => match request["requestItems"].as_array() {
            Some(items) => items.iter().map(|i| i["statement"].as_str()).collect(),
            None => return false,
        },
        _ => return false,
    };
    !statements.is_empty()
        && statements.iter().all(|s| {
            s.and_then(|s| s.split_whitespace().next())
                .is_some_and(|verb| verb.eq_ignore_ascii_case("SELECT"))
        })
}
