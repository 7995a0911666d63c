//! The actor's successful calls that returned the value of a stored secret or parameter besides
//! the honeytoken (Secrets Manager, SSM Parameter Store): values that may be real credentials,
//! told apart from the look-ups that only list or describe. Pure: reads each record's request.

use crate::model::{Event, OtherValueRead};
use serde_json::Value;

/// The calls that return a stored value: Secrets Manager's secret value, Parameter Store's
/// parameter values (a `SecureString` decrypted when the request asks for it).
fn returns_a_value(e: &Event) -> bool {
    match e.event_source.as_str() {
        "secretsmanager.amazonaws.com" => {
            matches!(
                e.event_name.as_str(),
                "GetSecretValue" | "BatchGetSecretValue"
            )
        }
        "ssm.amazonaws.com" => matches!(
            e.event_name.as_str(),
            "GetParameter" | "GetParameters" | "GetParametersByPath" | "GetParameterHistory"
        ),
        _ => false,
    }
}

/// What the request names, as recorded.
fn requested(e: &Event) -> Vec<String> {
    let record = e.record();
    let req = &record["requestParameters"];
    let text = |v: &Value| v.as_str().filter(|s| !s.is_empty()).map(str::to_owned);
    let list = |v: &Value| -> Vec<String> {
        v.as_array()
            .map(|a| a.iter().filter_map(text).collect())
            .unwrap_or_default()
    };
    let mut names = Vec::new();
    names.extend(text(&req["secretId"]));
    names.extend(list(&req["secretIdList"]));
    names.extend(text(&req["name"]));
    names.extend(list(&req["names"]));
    if let Some(path) = text(&req["path"]) {
        names.push(format!("{path} (every parameter under it)"));
    }
    names
}

/// Whether a requested name is the honeytoken's own: the name itself, or an ARN ending in it
/// (a secret's ARN adds `-` and six characters).
fn is_honeytoken(name: &str, honeytoken: &str) -> bool {
    let (n, h) = (name.to_ascii_lowercase(), honeytoken.to_ascii_lowercase());
    let after = |sep: &str| n.split_once(sep).map(|(_, rest)| rest.to_owned());
    n == h
        || after(":parameter").is_some_and(|p| p == h || p.strip_prefix('/') == Some(&h))
        || after(":secret:")
            .is_some_and(|s| s == h || s.rsplit_once('-').is_some_and(|(base, _)| base == h))
}

/// `access`: the honeytoken reads' eventIDs; `calls`: the actor's calls, in time order, each
/// once. A honeytoken read counts only by the other names it requested (a `GetParameters` of
/// ten names returns ten values).
pub(super) fn collect(
    access: &std::collections::HashSet<&str>,
    honeytoken: &str,
    calls: &[&Event],
) -> Vec<OtherValueRead> {
    calls
        .iter()
        .filter(|e| e.succeeded() && e.identity.invoked_by.is_none() && returns_a_value(e))
        .filter_map(|e| {
            let names = requested(e);
            let read_of_decoy = access.contains(e.event_id.as_str());
            let names: Vec<String> = if read_of_decoy {
                names
                    .into_iter()
                    .filter(|n| !is_honeytoken(n, honeytoken))
                    .collect()
            } else {
                names
            };
            (!read_of_decoy || !names.is_empty()).then(|| OtherValueRead {
                event_id: e.event_id.clone(),
                action: e.action(),
                names,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::is_honeytoken;

    #[test]
    fn the_honeytokens_own_name_and_arns_are_told_apart_from_others() {
        let h = "Production_Database_Credentials";
        assert!(is_honeytoken(h, h));
        assert!(is_honeytoken(
            "arn:aws:secretsmanager:us-east-1:1:secret:Production_Database_Credentials-Xy12Ab",
            h
        ));
        assert!(!is_honeytoken("Production_Database_Credentials_2", h));
        let p = "/credentials/app/credentials-3";
        assert!(is_honeytoken(p, p));
        assert!(is_honeytoken(
            "arn:aws:ssm:us-east-1:1:parameter/credentials/app/credentials-3",
            p
        ));
        assert!(!is_honeytoken("/credentials/app/credentials-31", p));
    }
}
