//! Other principals at the actor's address: the records of principals that no key links to the
//! actor, made from an IP address the honeytoken was read from. Not the actor's by any record,
//! but the first lead when the actor holds credentials the evidence does not show it obtaining
//! (a role session assumed before the evidence begins): its calls come from the same place.

use super::Timestamp;
use serde::Serialize;

/// What the evidence read shows at the addresses the honeytoken reads came from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SameAddress {
    /// The addresses looked at: every IP address a honeytoken read of the incident came from.
    pub addresses: Vec<String>,
    /// Whether the records were kept and examined one by one; `false` when there were too many
    /// to keep (an address shared by many principals: a NAT gateway, a proxy): each principal's
    /// records are then counted (a record's copies in several files each count), its calls after
    /// containment counted from the records' times (once per record) while the times of a
    /// million records are kept, and not examined past that.
    pub records_examined: bool,
    /// The other principals, by first record.
    pub principals: Vec<AddressPeer>,
}

impl SameAddress {
    /// The principals whose calls succeeded at or after the containment's block.
    pub fn succeeded_after_containment(&self) -> impl Iterator<Item = &AddressPeer> {
        self.principals
            .iter()
            .filter(|p| p.succeeded_after_containment.unwrap_or(0) > 0)
    }
}

/// One principal that no key links to the actor, seen at one of the actor's addresses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AddressPeer {
    /// Its ARN, or the most specific name its records give.
    pub principal: String,
    /// userIdentity.type of its records.
    #[serde(rename = "type")]
    pub kind: String,
    /// Which of the actor's addresses its records came from.
    pub addresses: Vec<String>,
    pub records: u64,
    pub first: Timestamp,
    pub last: Timestamp,
    /// Its records at or after the containment's block; `None` when no block is in the evidence
    /// or there were too many records to count them by time.
    pub after_containment: Option<u64>,
    /// Of those, the calls that succeeded.
    pub succeeded_after_containment: Option<u64>,
    /// Its API calls (`service:Name`), sorted; empty when the records were not examined.
    pub actions: Vec<String>,
    /// Up to [`PEER_EVENT_IDS`] of its records, in time order: those after containment when there
    /// are any, else the first ones (the latest ones when the records were counted, not
    /// examined); empty past the counted records' bound.
    pub event_ids: Vec<String>,
}

/// How many eventIDs an [`AddressPeer`] names.
pub const PEER_EVENT_IDS: usize = 20;
