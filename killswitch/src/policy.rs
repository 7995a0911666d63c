//! The policy documents the kill-switch writes, and how it recognises them when they are already
//! in place (IAM returns documents URL-encoded).

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

/// A policy document as IAM returns it (URL-encoded JSON), shared with `trailcase posture`.
pub use trailcase_common::policy::decode;

/// The inline policy put on an IAM user.
pub const USER_POLICY: &str = "HoneytokenDenyAll";
/// The inline policy put on a role whose session read the honeytoken.
pub const ROLE_POLICY: &str = "HoneytokenRevokeSessions";

/// Deny everything: an explicit deny overrides every allow the user has.
pub fn deny_all() -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{"Sid": "HoneytokenDenyAll", "Effect": "Deny", "Action": "*", "Resource": "*"}]
    })
}

/// What a role's revocation policy denies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revocation {
    /// Sessions whose credentials were issued before this are denied everything.
    pub issued_before: DateTime<Utc>,
    /// Sessions carrying one of these source identities are denied everything, whenever issued.
    pub source_identities: Vec<String>,
}

impl Revocation {
    /// AWS's "revoke active sessions" statement, plus one for the source identities.
    pub fn document(&self) -> Value {
        let mut statements = vec![json!({
            "Sid": "HoneytokenRevokeOlderSessions",
            "Effect": "Deny",
            "Action": "*",
            "Resource": "*",
            "Condition": {"DateLessThan": {"aws:TokenIssueTime": iso(self.issued_before)}}
        })];
        if !self.source_identities.is_empty() {
            statements.push(json!({
                "Sid": "HoneytokenDenySourceIdentity",
                "Effect": "Deny",
                "Action": "*",
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:SourceIdentity": self.source_identities}}
            }));
        }
        json!({"Version": "2012-10-17", "Statement": statements})
    }

    /// Read back a document this kill-switch wrote.
    pub fn parse(doc: &Value) -> Option<Revocation> {
        let statements = doc.get("Statement")?.as_array()?;
        let mut issued_before = None;
        let mut source_identities = Vec::new();
        for s in statements {
            if let Some(t) = s.pointer("/Condition/DateLessThan/aws:TokenIssueTime") {
                issued_before = t.as_str().and_then(parse_time);
            }
            match s.pointer("/Condition/StringEquals/aws:SourceIdentity") {
                Some(Value::String(id)) => source_identities.push(id.clone()),
                Some(Value::Array(ids)) => source_identities
                    .extend(ids.iter().filter_map(|i| i.as_str().map(str::to_owned))),
                _ => {}
            }
        }
        Some(Revocation {
            issued_before: issued_before?,
            source_identities,
        })
    }

    /// Whether this already denies a session issued at `issued` with `source_identity`.
    pub fn covers(&self, issued: Option<DateTime<Utc>>, source_identity: Option<&str>) -> bool {
        let by_time = issued.is_some_and(|t| t < self.issued_before);
        let by_identity =
            source_identity.is_none_or(|id| self.source_identities.iter().any(|s| s == id));
        by_time && by_identity
    }
}

pub fn iso(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

pub fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deny_all_document_reads_back() {
        assert_eq!(decode(&deny_all().to_string()), Some(deny_all()));
    }

    #[test]
    fn a_revocation_covers_older_sessions_and_its_source_identities() {
        let t = parse_time("2026-11-20T14:02:46Z").unwrap();
        let r = Revocation {
            issued_before: t,
            source_identities: vec!["alice".into()],
        };
        let back = Revocation::parse(&r.document()).unwrap();
        assert_eq!(back, r);
        let earlier = parse_time("2026-11-20T13:59:30Z");
        assert!(r.covers(earlier, None));
        assert!(r.covers(earlier, Some("alice")));
        assert!(!r.covers(earlier, Some("bob")));
        assert!(!r.covers(parse_time("2026-11-20T14:05:00Z"), None));
        assert!(!r.covers(None, None));
    }
}
