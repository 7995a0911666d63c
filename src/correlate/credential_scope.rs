//! Where the actor's records say its credentials were issued: `userIdentity.inScopeOf`
//! (`issuerType`, `credentialsIssuedTo`), which CloudTrail writes on calls made with an EC2
//! instance's role credentials (the instance) and other credentials scoped to a resource.
//! Reads the actor's events only.

use crate::model::{CredentialScope, Event};
use std::collections::BTreeMap;

/// The resources the actor's records state its credentials were issued to, each with how many
/// records state it and the first of them (by time, then eventID), sorted by resource.
pub(super) fn issued_to(own: &[&Event]) -> Vec<CredentialScope> {
    let mut by: BTreeMap<(String, String), (u64, (crate::model::Timestamp, String))> =
        BTreeMap::new();
    // Only the records that may state it are parsed (most have no `inScopeOf`).
    for e in own.iter().filter(|e| e.may_have_key("credentialsIssuedTo")) {
        let record = e.record();
        let scope = &record["userIdentity"]["inScopeOf"];
        let Some(resource) = scope["credentialsIssuedTo"]
            .as_str()
            .filter(|r| !r.is_empty())
        else {
            continue;
        };
        let issuer = scope["issuerType"].as_str().unwrap_or_default();
        let key = (resource.to_string(), issuer.to_string());
        let at = (e.time, e.event_id.clone());
        let entry = by.entry(key).or_insert((0, at.clone()));
        entry.0 += 1;
        if at < entry.1 {
            entry.1 = at;
        }
    }
    by.into_iter()
        .map(
            |((resource, issuer_type), (records, (_, first)))| CredentialScope {
                issuer_type,
                resource,
                records,
                first_event_id: first,
            },
        )
        .collect()
}
