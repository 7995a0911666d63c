//! An incident's indicators of compromise, from the actor's records and the credentials issued
//! to it: each source IP, user agent, access key and session with its first and last sight, the
//! records it rests on, and whether it is a credential the containment did not cut.

use crate::classify::keys::KeyIssue;
use crate::model::{Event, Indicator, IndicatorKind, LiveCredential, Timestamp};
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// What the evidence shows of one indicator so far.
struct Sight<'e> {
    first: (Timestamp, &'e str),
    last: (Timestamp, &'e str),
    records: u64,
    seen_in: BTreeSet<String>,
}

#[derive(Default)]
struct Sights<'e> {
    by: BTreeMap<(IndicatorKind, &'e str), Sight<'e>>,
}

impl<'e> Sights<'e> {
    /// Record a sight of `value`; `None` (nothing noted) for an empty value.
    fn note(
        &mut self,
        kind: IndicatorKind,
        value: &'e str,
        at: (Timestamp, &'e str),
        role: &str,
    ) -> Option<&mut Sight<'e>> {
        if value.trim().is_empty() {
            return None;
        }
        let s = self.by.entry((kind, value)).or_insert_with(|| Sight {
            first: at,
            last: at,
            records: 0,
            seen_in: BTreeSet::new(),
        });
        s.first = s.first.min(at);
        s.last = s.last.max(at);
        s.seen_in.insert(role.to_string());
        Some(s)
    }

    fn record(&mut self, e: &'e Event, role: &str, principal: IndicatorKind) {
        let at = (e.time, e.event_id.as_str());
        let id = &e.identity;
        let mut values: Vec<(IndicatorKind, &'e str)> = Vec::with_capacity(4);
        // A record without an ARN names its principal by id and key, both indicators already.
        if let Some(arn) = id.arn.as_deref() {
            values.push((principal, arn));
        }
        if let Some(k) = id.access_key_id.as_deref() {
            values.push((key_kind(k), k));
        }
        if let Some(ip) = e.source_address() {
            let kind = if ip.parse::<std::net::IpAddr>().is_ok() {
                IndicatorKind::SourceIp
            } else {
                IndicatorKind::SourceIpAsWritten
            };
            values.push((kind, ip));
        }
        let endpoint = vpc_endpoint(e);
        if let Some(id) = endpoint.id {
            values.push((IndicatorKind::VpcEndpoint, id));
        }
        if let Some(account) = endpoint.account {
            values.push((IndicatorKind::VpcEndpointAccount, account));
        }
        if let Some(ua) = e.user_agent.as_deref().filter(|ua| !is_service_agent(ua)) {
            values.push((IndicatorKind::UserAgent, ua));
        }
        for (kind, value) in values {
            if let Some(s) = self.note(kind, value, at, role) {
                s.records += 1;
            }
        }
    }

    fn issue(&mut self, k: &'e KeyIssue) {
        let at = (k.time, k.event_id.as_str());
        let role = format!("issued by {}", k.action);
        self.note(key_kind(&k.access_key_id), &k.access_key_id, at, &role);
        if let Some(arn) = k.session_arn.as_deref() {
            self.note(IndicatorKind::SessionArn, arn, at, &role);
        }
    }
}

/// The VPC endpoint a record says the call came through (`vpcEndpointId`, and the account that
/// owns it, `vpcEndpointAccountId`): read from the record's text, parsed only when it names
/// one. `AWS Internal` (a call AWS made) is no endpoint of the caller's.
#[derive(Default, serde::Deserialize)]
struct Endpoint<'e> {
    #[serde(rename = "vpcEndpointId", borrow, default)]
    id: Option<&'e str>,
    #[serde(rename = "vpcEndpointAccountId", borrow, default)]
    account: Option<&'e str>,
}

fn vpc_endpoint(e: &Event) -> Endpoint<'_> {
    let raw = e.raw.get();
    if !raw.contains("\"vpcEndpoint") {
        return Endpoint::default();
    }
    let mut found: Endpoint<'_> = serde_json::from_str(raw).unwrap_or_default();
    found.id = found.id.filter(|id| id.starts_with("vpce-"));
    found.account = found
        .account
        .filter(|a| !a.trim().is_empty() && found.id.is_some());
    found
}

/// A user agent that names an AWS service calling on the principal's behalf (`kms:Decrypt` by
/// `secretsmanager.amazonaws.com`, `AWS Internal`): no indicator of the actor's own tooling.
pub(crate) fn is_service_agent(ua: &str) -> bool {
    ua == "AWS Internal" || (ua.ends_with(".amazonaws.com") && !ua.contains(' '))
}

/// `ASIA…` keys are temporary (a session's); every other key id is a long-term key.
fn key_kind(key: &str) -> IndicatorKind {
    if key.starts_with("ASIA") {
        IndicatorKind::SessionKey
    } else {
        IndicatorKind::AccessKey
    }
}

/// The indicators of one incident. `own`: the actor's records; `derived`: records of the role
/// sessions it obtained; `reads`: eventIDs of its honeytoken reads; `issues`: the calls that
/// issued its temporary keys and sessions; `live`: the credentials the containment did not cut.
pub fn collect(
    own: &[&Event],
    derived: &[&Event],
    reads: &[String],
    issues: &[&KeyIssue],
    live: &[LiveCredential],
) -> Vec<Indicator> {
    let reads: HashSet<&str> = reads.iter().map(String::as_str).collect();
    let mut sights = Sights::default();
    for e in own {
        let role = if reads.contains(e.event_id.as_str()) {
            "honeytoken read"
        } else {
            "actor call"
        };
        sights.record(e, role, IndicatorKind::Principal);
    }
    for e in derived {
        sights.record(e, "role session call", IndicatorKind::SessionArn);
    }
    for k in issues {
        sights.issue(k);
    }
    let mut out: Vec<Indicator> = sights
        .by
        .into_iter()
        .map(|((kind, value), s)| {
            let cut = live.iter().find(|c| match kind {
                IndicatorKind::SessionKey => c.access_key_id == value,
                IndicatorKind::SessionArn => c.session_arn.as_deref() == Some(value),
                _ => false,
            });
            Indicator {
                kind,
                value: value.to_string(),
                first_seen: s.first.0,
                last_seen: s.last.0,
                records: s.records,
                seen_in: s.seen_in.into_iter().collect(),
                first_event_id: s.first.1.to_string(),
                last_event_id: s.last.1.to_string(),
                live: cut.is_some(),
                expires: cut.and_then(|c| c.expires),
            }
        })
        .collect();
    out.sort_by(|a, b| (a.kind, a.first_seen, &a.value).cmp(&(b.kind, b.first_seen, &b.value)));
    out
}
