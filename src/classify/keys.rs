//! Temporary credentials and where they came from: the STS calls that issued each access key,
//! kept compactly so a key seen anywhere links back to its issuer.

use crate::model::{KeyOrigin, Timestamp};
use crate::parse::RecordView;
use serde_json::Value;
use std::collections::BTreeMap;

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
    /// Issued access key ids by each of their caller's keys.
    by_caller: BTreeMap<String, Vec<String>>,
}

impl KeyIndex {
    pub fn insert(&mut self, issue: KeyIssue) {
        if self.by_key.contains_key(&issue.access_key_id) {
            return;
        }
        for c in &issue.caller_keys {
            let issued = self.by_caller.entry(c.clone()).or_default();
            if !issued.contains(&issue.access_key_id) {
                issued.push(issue.access_key_id.clone());
            }
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
