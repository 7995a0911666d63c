//! Grouping honeytoken reads into incidents (one actor, one honeytoken) and the set of keys that
//! identify the actor: its own identifiers, where its temporary keys came from, and the role
//! sessions it obtained.

use super::deliveries;
use super::index::EventIndex;
pub use super::plan::{AccessGroup, ActorPlan};
use super::reads::{ReadCall, DECRYPT_MS};
use crate::classify::keys::{KeyIndex, KeyIssue};
use crate::classify::{Classifier, HoneytokenHit, SecretIdentity};
use crate::model::{Actor, Event, HoneytokenKind, Origin};
use crate::parse::RecordView;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A group's key: the rule, the honeytoken's name, the actor's label.
type GroupKey = (usize, String, String);

/// Honeytoken reads grouped by (honeytoken, actor), ordered by first read.
pub fn groups<'a>(classifier: &Classifier, events: &'a [Event]) -> Vec<AccessGroup> {
    let mut by: BTreeMap<(usize, String, String), AccessGroup> = BTreeMap::new();
    let mut calls: BTreeMap<(usize, String, String), Vec<ReadCall>> = BTreeMap::new();
    let (tied, identity_from) = tied_deliveries(classifier, events);
    // (the counted read's group, (counted eventID, the other delivery's eventID))
    let mut twice: Vec<(GroupKey, (String, String))> = Vec::new();
    // (the counted read's group, (original eventID, CloudTrail's updated copy's eventID))
    let mut updated: Vec<(GroupKey, (String, String))> = Vec::new();
    let mut s3_decrypts: Vec<(&Event, HoneytokenHit)> = Vec::new();
    for e in events {
        let Ok(view) = RecordView::parse(e.raw.get()) else {
            continue;
        };
        let Some(hit) = classifier.honeytoken(&view) else {
            s3_decrypts.extend(s3_decrypt(classifier, &view, e).map(|hit| (e, hit)));
            continue;
        };
        if !hit.read {
            continue;
        }
        // The actor as CloudTrail's updated copy names it, where the copy updates the identity.
        let who =
            |e: &'a Event| -> &'a Event { identity_from.get(&e.origin).copied().unwrap_or(e) };
        let key = (hit.rule, hit.name.clone(), who(e).identity.label());
        if let Some(&(kept, copy)) = tied.get(&e.origin) {
            if kept.event_id != e.event_id {
                let kept_key = (hit.rule, hit.name.clone(), who(kept).identity.label());
                let pair = (kept.event_id.clone(), e.event_id.clone());
                match copy {
                    Tie::UpdatedCopy => updated.push((kept_key, pair)),
                    Tie::SharedEvent => twice.push((kept_key, pair)),
                }
            }
            continue;
        }
        let copy = identity_from.get(&e.origin);
        let g = add_read(&mut by, &mut calls, key, hit, e);
        g.identity_updates
            .extend(copy.map(|c| (e.origin, c.origin)));
    }
    // S3's Decrypt of a honeytoken object for its caller is the read it served when a read of
    // the object by the same principal is that close (`reads::corroborate` ties them); with
    // none, it is the only trace of the read (the trail holds no S3 data event for it), a read
    // of the group that the incident tells as indirect (`reads::indirect`).
    for (e, hit) in s3_decrypts {
        let key = (hit.rule, hit.name.clone(), e.identity.label());
        let served = calls.get(&key).is_some_and(|c| {
            c.iter()
                .any(|c| c.ok && (c.time.millis() - e.time.millis()).abs() <= DECRYPT_MS)
        });
        if !served {
            add_read(&mut by, &mut calls, key, hit, e);
        }
    }
    for (key, pair) in twice {
        if let Some(g) = by.get_mut(&key) {
            g.delivered_twice.push(pair);
        }
    }
    for (key, pair) in updated {
        if let Some(g) = by.get_mut(&key) {
            g.updated_copies.push(pair);
        }
    }
    let mut v: Vec<AccessGroup> = by
        .into_iter()
        .map(|(key, mut g)| {
            super::reads::fold_batch_entries(&mut g, &calls[&key]);
            g
        })
        .collect();
    v.sort_by(|a, b| {
        (a.first_read, &a.actor_key, &a.honeytoken).cmp(&(
            b.first_read,
            &b.actor_key,
            &b.honeytoken,
        ))
    });
    v
}

/// One read of the group `key`, made by `e`.
fn add_read<'g>(
    by: &'g mut BTreeMap<GroupKey, AccessGroup>,
    calls: &mut BTreeMap<GroupKey, Vec<ReadCall>>,
    key: GroupKey,
    hit: HoneytokenHit,
    e: &Event,
) -> &'g mut AccessGroup {
    calls.entry(key.clone()).or_default().push(ReadCall {
        time: e.time,
        api: e.event_name.clone(),
        ok: e.succeeded(),
    });
    let actor_key = key.2.clone();
    let g = by.entry(key).or_insert_with(|| AccessGroup {
        rule: hit.rule,
        honeytoken: hit.name.clone(),
        shown: hit.shown.clone(),
        actor_key,
        accesses: Vec::new(),
        origins: Vec::new(),
        first_read: e.time,
        folded: Vec::new(),
        refused_in_batch: Vec::new(),
        delivered_twice: Vec::new(),
        updated_copies: Vec::new(),
        identity_updates: Vec::new(),
        unsettled: Vec::new(),
        other_readings: Vec::new(),
    });
    if let Some(o) = hit.other_resource.as_ref().filter(|_| hit.read) {
        if let Err(at) = g.other_readings.binary_search(o) {
            g.other_readings.insert(at, o.clone());
        }
    }
    if let SecretIdentity::Unsettled { arn, suffix } = &hit.identity {
        let u = (arn.clone(), suffix.clone());
        if let Err(at) = g.unsettled.binary_search(&u) {
            g.unsettled.insert(at, u);
        }
    }
    if hit.shown.starts_with("arn:") {
        g.shown = hit.shown;
    }
    g.first_read = g.first_read.min(e.time);
    g.accesses.push(e.event_id.clone());
    g.origins.push(e.origin);
    g
}

/// S3's `kms:Decrypt` of a honeytoken object for a principal (one with an ARN: S3's own, with
/// none, is not a principal's read).
fn s3_decrypt(classifier: &Classifier, view: &RecordView<'_>, e: &Event) -> Option<HoneytokenHit> {
    let hit = classifier.decrypt(view)?;
    (classifier.rules()[hit.rule].kind == HoneytokenKind::S3 && super::plan::arn_of(e).is_some())
        .then_some(hit)
}

/// By where each read not counted was read: the read counted, and why.
type Tied<'e> = HashMap<Origin, (&'e Event, Tie)>;
/// By where a read counted was read: its updated copy that corrects `userIdentity`.
type IdentityFrom<'e> = HashMap<Origin, &'e Event>;

/// Why a read is tied to another record and not counted.
#[derive(Debug, Clone, Copy)]
enum Tie {
    /// Another account's delivery of the call (the same `sharedEventID`).
    SharedEvent,
    /// CloudTrail's later copy of the record with updated data (`addendum.originalEventID`).
    UpdatedCopy,
}

/// The cross-account honeytoken reads delivered to more than one account (the same
/// `sharedEventID`, see [`deliveries::delivered_twice`]) and the reads CloudTrail delivered
/// again with updated data (see [`deliveries::updated_copies`]), by where each record not
/// counted was read, with the one counted; and, by where the read counted was read, the
/// updated copy whose `addendum.updatedFields` names `userIdentity`: CloudTrail's correction of
/// who made the call, which names the actor in place of the earlier record's identity.
fn tied_deliveries<'e>(
    classifier: &Classifier,
    events: &'e [Event],
) -> (Tied<'e>, IdentityFrom<'e>) {
    let read = |e: &Event| {
        let view = RecordView::parse(e.raw.get()).ok()?;
        let hit = classifier.honeytoken(&view).filter(|h| h.read)?;
        Some((hit.rule, hit.name))
    };
    let reads = events.iter().filter_map(|e| {
        if !deliveries::names_shared_event(e) {
            return None;
        }
        Some((e, read(e)?))
    });
    let mut tied = HashMap::new();
    for call in deliveries::delivered_twice(reads) {
        for e in &call[1..] {
            tied.insert(e.origin, (call[0], Tie::SharedEvent));
        }
    }
    // Only a copy of a read of the same honeytoken: the original is found among every record
    // (its eventID), the copy among the reads.
    let copies = deliveries::updated_copies(events);
    let mut identity_from = HashMap::new();
    for (original, copy, addendum) in copies {
        if read(copy).is_some() && read(copy) == read(original) {
            tied.entry(copy.origin)
                .or_insert((original, Tie::UpdatedCopy));
            if addendum.updates_identity() {
                identity_from.entry(original.origin).or_insert(copy);
            }
        }
    }
    (tied, identity_from)
}

/// The keys that identify the group's actor, from its reads and the issued-key index.
pub fn plan_for(group: AccessGroup, events: &EventIndex<'_>, keys: &KeyIndex) -> ActorPlan {
    let mut own: BTreeSet<String> = BTreeSet::new();
    let mut origins = Vec::new();
    let mut addresses: BTreeSet<String> = BTreeSet::new();
    // A read whose identity CloudTrail updated is the actor's as its updated copy names it.
    let updated = |o: Origin| {
        group
            .identity_updates
            .iter()
            .find(|(read, _)| *read == o)
            .map_or(o, |(_, copy)| *copy)
    };
    for e in group.origins.iter().filter_map(|&o| events.at(updated(o))) {
        addresses.extend(e.source_address().map(str::to_owned));
        let id = &e.identity;
        own.extend(
            [&id.arn, &id.principal_id, &id.access_key_id]
                .into_iter()
                .flatten()
                .cloned(),
        );
        if let Some(issue) = id.access_key_id.as_deref().and_then(|k| keys.get(k)) {
            own.extend(issue.caller_keys.iter().cloned());
            if !origins.contains(issue) {
                origins.push(issue.clone());
            }
        }
    }
    own.remove("");
    // An actor whose records name no ARN, principal id or access key (an Identity Center user
    // acting through a service, an AWS service) is known by its label, as its reads group it.
    if own.is_empty() {
        own.insert(group.actor_key.clone());
    }
    let own_keys: Vec<String> = own.into_iter().collect();
    let derived: Vec<KeyIssue> = keys
        .issued_to(&own_keys)
        .filter(|k| own_keys.binary_search(&k.access_key_id).is_err())
        .cloned()
        .collect();
    ActorPlan {
        group,
        own_keys,
        derived,
        origins,
        addresses: addresses.into_iter().collect(),
    }
}

/// The actor as the report shows it.
pub fn describe(plan: &ActorPlan, own: &[&Event]) -> Actor {
    let first = own
        .iter()
        .find(|e| e.identity.label() == plan.group.actor_key)
        .or(own.first());
    let id = first.map(|e| e.identity.clone()).unwrap_or_default();
    let set = |f: &dyn Fn(&Event) -> Option<String>| -> Vec<String> {
        own.iter()
            .filter_map(|e| f(e))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    };
    let user_name = id.user_name.clone().or_else(|| {
        id.arn
            .as_deref()
            .and_then(|a| a.split_once(":user/"))
            .map(|(_, n)| n.rsplit('/').next().unwrap_or(n).to_string())
    });
    Actor {
        arn: plan.group.actor_key.clone(),
        kind: id.kind.clone(),
        principal_id: id.principal_id.clone(),
        account_id: id.account_id.clone(),
        user_name,
        access_key_ids: set(&|e| e.identity.access_key_id.clone()),
        source_ips: set(&|e| e.source_address().map(str::to_owned)),
        // The actor's own tools: not the agent of a service that called on its behalf
        // (`secretsmanager.amazonaws.com` decrypting the read value with KMS), as for indicators.
        user_agents: set(&|e| {
            e.user_agent
                .clone()
                .filter(|ua| !super::indicators::is_service_agent(ua))
        }),
        key_origins: plan.origins.iter().map(KeyIssue::origin).collect(),
        derived_sessions: plan.derived.iter().map(KeyIssue::origin).collect(),
        session_issuer_arn: id.session_issuer_arn.clone(),
        role_name: id
            .arn
            .as_deref()
            .and_then(|a| a.split_once(":assumed-role/"))
            .and_then(|(_, rest)| rest.split_once('/'))
            .map(|(role, _)| role.to_string()),
        console_sign_ins: {
            let mut v: Vec<_> = own.iter().filter_map(|e| console_sign_in(e)).collect();
            v.sort_by(|a, b| (a.time, &a.event_id).cmp(&(b.time, &b.event_id)));
            v
        },
        console_session: console_session(own),
        credentials_issued_to: super::credential_scope::issued_to(own),
        source_identities: set(&|e| e.identity.source_identity.clone().filter(|s| !s.is_empty())),
    }
}

/// The actor's records that state `sessionCredentialFromConsole`: a top-level field of the
/// record, `"true"` in real logs (`true` in some exports), absent otherwise.
fn console_session(own: &[&Event]) -> Option<crate::model::ConsoleSession> {
    let mut from_console: Vec<&&Event> = own
        .iter()
        .filter(|e| {
            // Most records have no such field: not parsed (the busy-actor set's 1,632 own).
            if !e.may_have_key("sessionCredentialFromConsole") {
                return false;
            }
            let v = &e.record()["sessionCredentialFromConsole"];
            v.as_str() == Some("true") || v.as_bool() == Some(true)
        })
        .collect();
    from_console.sort_by(|a, b| (a.time, &a.event_id).cmp(&(b.time, &b.event_id)));
    Some(crate::model::ConsoleSession {
        records: from_console.len() as u64,
        first_event_id: from_console.first()?.event_id.clone(),
    })
}

/// A `signin:ConsoleLogin` record as it states itself: outcome, SAML provider, MFA used.
fn console_sign_in(e: &Event) -> Option<crate::model::ConsoleSignIn> {
    if e.event_source != "signin.amazonaws.com" || e.event_name != "ConsoleLogin" {
        return None;
    }
    let record = e.record();
    let extra = &record["additionalEventData"];
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    Some(crate::model::ConsoleSignIn {
        event_id: e.event_id.clone(),
        time: e.time,
        outcome: e.outcome().to_string(),
        saml_provider_arn: text(&extra["SamlProviderArn"]),
        mfa_used: text(&extra["MFAUsed"]),
    })
}
