//! What an incident is planned from: the reads of one honeytoken by one principal
//! ([`AccessGroup`]) and the actor's identifying keys ([`ActorPlan`]), with the rule that says
//! whether a record is the actor's own. Plain types shared by `actor` (which builds them),
//! `index` and `reads` (which use them), so that none of those imports another in a circle.

use crate::classify::keys::KeyIssue;
use crate::model::{Event, Origin};

/// The record's ARN, unless absent or empty.
pub fn arn_of(e: &Event) -> Option<&str> {
    e.identity.arn.as_deref().filter(|a| !a.is_empty())
}

/// Reads of one honeytoken by one principal.
#[derive(Debug, Clone)]
pub struct AccessGroup {
    pub rule: usize,
    pub honeytoken: String,
    pub shown: String,
    pub actor_key: String,
    /// eventIDs of the reads, in time order.
    pub accesses: Vec<String>,
    /// Where each read was read, in the same order (conflicting copies share an eventID).
    pub origins: Vec<Origin>,
    pub first_read: crate::model::Timestamp,
    /// AWS's per-secret `GetSecretValue` entries folded into the `BatchGetSecretValue` read they
    /// belong to: (batch eventID, entry eventID). One batch is one read.
    pub folded: Vec<(String, String)>,
    /// Batches whose per-secret entry for the honeytoken was refused: the batch did not return
    /// it, so the entry is the read and the batch is not: (entry eventID, batch eventID).
    pub refused_in_batch: Vec<(String, String)>,
    /// The same cross-account call delivered to another account (same `sharedEventID`, its own
    /// eventID): one read, not two: (read eventID, other delivery's eventID).
    pub delivered_twice: Vec<(String, String)>,
    /// Reads CloudTrail delivered again with updated data (`addendum.originalEventID`, its own
    /// eventID): one read, not two: (original read eventID, the updated copy's eventID).
    pub updated_copies: Vec<(String, String)>,
    /// Reads whose updated copy updates `userIdentity` (`addendum.updatedFields`): (where the
    /// read was read, where its copy was read). The actor is as the copy names it.
    pub identity_updates: Vec<(Origin, Origin)>,
    /// The ARNs (with their last six characters) of reads that name the secret by an ARN the
    /// evidence cannot tie to the honeytoken (`classify::SecretIdentity::Unsettled`), sorted.
    pub unsettled: Vec<(String, String)>,
    /// Reads that name the honeytoken only by the other reading of an ARN
    /// (`classify::HoneytokenHit::other_resource`): (the ARN, the resource its usual reading
    /// names instead), sorted.
    pub other_readings: Vec<(String, String)>,
}

/// An incident's actor and everything that identifies it in the evidence.
#[derive(Debug, Clone)]
pub struct ActorPlan {
    pub group: AccessGroup,
    /// ARNs, principal ids and access keys of the actor itself (and of whoever issued its key),
    /// sorted.
    pub own_keys: Vec<String>,
    /// Role sessions the actor obtained, with their keys.
    pub derived: Vec<KeyIssue>,
    /// Where the actor's temporary keys came from.
    pub origins: Vec<KeyIssue>,
    /// The IP addresses the honeytoken reads came from, sorted: where other principals' records
    /// are looked at (`model::SameAddress`).
    pub addresses: Vec<String>,
}

impl ActorPlan {
    fn has_key(&self, k: &str) -> bool {
        self.own_keys
            .binary_search_by(|o| o.as_str().cmp(k))
            .is_ok()
    }

    /// A record is the actor's own when its ARN is one of the actor's; a record without an ARN
    /// is when its principal id or access key is. A principal id or access key alone never pulls
    /// in a record that names another ARN: forged records sharing one principal id would
    /// otherwise join every incident to every other.
    /// So is a read whose identity CloudTrail updated (`AccessGroup::identity_updates`).
    pub fn is_own(&self, e: &Event) -> bool {
        if self
            .group
            .identity_updates
            .iter()
            .any(|(read, _)| *read == e.origin)
        {
            return true;
        }
        let id = &e.identity;
        match arn_of(e) {
            Some(arn) => self.has_key(arn),
            None if id.principal_id.is_none() && id.access_key_id.is_none() => {
                self.has_key(&id.label())
            }
            None => [&id.principal_id, &id.access_key_id]
                .into_iter()
                .flatten()
                .any(|k| self.has_key(k)),
        }
    }

    pub fn is_derived(&self, e: &Event) -> bool {
        !self.is_own(e)
            && self.derived.iter().any(|d| {
                e.identity.access_key_id.as_deref() == Some(d.access_key_id.as_str())
                    || (d.session_arn.is_some() && e.identity.arn == d.session_arn)
            })
    }

    /// Every string that names this actor or a session it owns (for the second pass).
    pub fn all_keys(&self) -> impl Iterator<Item = &str> {
        self.own_keys
            .iter()
            .map(String::as_str)
            .chain(self.derived.iter().flat_map(|d| {
                std::iter::once(d.access_key_id.as_str()).chain(d.session_arn.as_deref())
            }))
    }
}
