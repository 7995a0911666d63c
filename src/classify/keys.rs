//! Temporary credentials and where they came from: the STS calls that issued each access key,
//! kept compactly so a key seen anywhere links back to its issuer.

use crate::model::{KeyOrigin, Timestamp};
use crate::parse::RecordView;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// One issued key. Only identifiers are kept: never the secret key or session token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyIssue {
    pub access_key_id: String,
    pub action: String,
    pub event_id: String,
    pub time: Timestamp,
    pub caller_arn: String,
    /// The caller's ARN, principal id and access key.
    pub caller_keys: Vec<String>,
    pub session_arn: Option<String>,
    pub expiration: Option<String>,
}

impl KeyIssue {
    pub fn from_record(view: &RecordView<'_>, time: Timestamp, event_id: &str) -> Option<KeyIssue> {
        let resp = view.response();
        let key = resp
            .pointer("/credentials/accessKeyId")?
            .as_str()?
            .to_string();
        let session_arn = resp
            .pointer("/assumedRoleUser/arn")
            .or_else(|| resp.pointer("/federatedUser/arn"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        let expiration = resp.pointer("/credentials/expiration").map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        });
        let caller_keys: Vec<String> = view.principal_keys().map(str::to_owned).collect();
        let identity = view.identity();
        Some(KeyIssue {
            access_key_id: key,
            action: format!("sts:{}", view.event_name.as_str().unwrap_or("?")),
            event_id: event_id.to_string(),
            time,
            caller_arn: identity.label(),
            caller_keys,
            session_arn,
            expiration,
        })
    }

    pub fn origin(&self) -> KeyOrigin {
        KeyOrigin {
            access_key_id: self.access_key_id.clone(),
            issued_by_action: self.action.clone(),
            issued_by_event_id: self.event_id.clone(),
            issued_at: self.time,
            caller_arn: self.caller_arn.clone(),
            session_arn: self.session_arn.clone(),
            expires: self
                .expiration
                .as_deref()
                .and_then(crate::parse::time::sts_expiration),
        }
    }
}

/// Issued keys by access key id (the first issue wins when the same event was read twice).
#[derive(Debug, Clone, Default)]
pub struct KeyIndex {
    by_key: BTreeMap<String, KeyIssue>,
    /// Issued access key ids by each of their caller's keys (a set: one principal can make
    /// tens of thousands of AssumeRole calls, and a list searched on each insert was quadratic).
    by_caller: BTreeMap<String, BTreeSet<String>>,
}

impl KeyIndex {
    pub fn insert(&mut self, issue: KeyIssue) {
        if self.by_key.contains_key(&issue.access_key_id) {
            return;
        }
        for c in &issue.caller_keys {
            self.by_caller
                .entry(c.clone())
                .or_default()
                .insert(issue.access_key_id.clone());
        }
        self.by_key.insert(issue.access_key_id.clone(), issue);
    }

    pub fn extend(&mut self, other: KeyIndex) {
        for (_, v) in other.by_key {
            self.insert(v);
        }
    }

    pub fn get(&self, access_key_id: &str) -> Option<&KeyIssue> {
        self.by_key.get(access_key_id)
    }

    /// Keys issued to a caller named by any of `keys`, in time order.
    pub fn issued_to<'a>(&'a self, keys: &'a [String]) -> impl Iterator<Item = &'a KeyIssue> + 'a {
        let ids: std::collections::BTreeSet<&str> = keys
            .iter()
            .filter_map(|k| self.by_caller.get(k))
            .flatten()
            .map(String::as_str)
            .collect();
        let mut v: Vec<&KeyIssue> = ids
            .into_iter()
            .filter_map(|id| self.by_key.get(id))
            .collect();
        v.sort_by(|a, b| (a.time, &a.access_key_id).cmp(&(b.time, &b.access_key_id)));
        v.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issue(n: u64, caller_keys: &[&str]) -> KeyIssue {
        KeyIssue {
            access_key_id: format!("ASIA{n:016}"),
            action: "sts:AssumeRole".into(),
            event_id: format!("e{n}"),
            time: Timestamp::from_secs(1_795_000_000 + (n % 7) as i64),
            caller_arn: "arn:aws:iam::123456789012:user/busy".into(),
            caller_keys: caller_keys.iter().map(|k| k.to_string()).collect(),
            session_arn: None,
            expiration: None,
        }
    }

    /// One caller's many issued keys (a script calling AssumeRole in a loop), each once under
    /// each of the caller's keys, in time order, the same issue read twice kept once.
    #[test]
    fn a_callers_keys_are_each_listed_once_in_time_order() {
        let mut index = KeyIndex::default();
        let caller = [
            "arn:aws:iam::123456789012:user/busy",
            "AKIABUSY",
            "AKIABUSY",
        ];
        for n in 0..5_000 {
            index.insert(issue(n, &caller));
        }
        index.insert(issue(42, &caller));
        let (arn, both) = (
            [caller[0].to_string()],
            [caller[0].to_string(), caller[1].to_string()],
        );
        let by_arn: Vec<&KeyIssue> = index.issued_to(&arn).collect();
        let by_both: Vec<&KeyIssue> = index.issued_to(&both).collect();
        assert_eq!(by_arn.len(), 5_000);
        assert_eq!(by_arn, by_both);
        assert!(by_arn
            .windows(2)
            .all(|w| (w[0].time, &w[0].access_key_id) < (w[1].time, &w[1].access_key_id)));
        assert_eq!(index.issued_to(&["AKIAOTHER".to_string()]).count(), 0);
    }
}
