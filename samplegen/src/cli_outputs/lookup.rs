//! `aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=GetSecretValue`
//! pages: newest first, at most 50 events a page, each carrying its record as the `CloudTrailEvent`
//! string, the same record (same eventID, same bytes) as in the trail files.

use crate::json::J;
use crate::record::Call;
use crate::rng::{streams, Rng};
use crate::time::cli;
use crate::{arr, obj};

/// LookupEvents' page size.
pub const PAGE: usize = 50;

fn username(identity: &J) -> J {
    if let Some(name) = identity.get("userName") {
        return name.clone();
    }
    // AssumedRole: the session name, the last part of the session ARN.
    identity
        .get("arn")
        .and_then(J::as_str)
        .and_then(|arn| arn.rsplit('/').next())
        .map_or(J::Null, J::from)
}

fn event(c: &Call) -> J {
    let record = c.to_json();
    let resources = match &c.resources {
        Some(J::Arr(items)) => J::Arr(
            items
                .iter()
                .map(|r| {
                    obj! {
                        "ResourceType" => r.get("type").cloned().unwrap_or(J::Null),
                        "ResourceName" => r.get("ARN").cloned().unwrap_or(J::Null),
                    }
                })
                .collect(),
        ),
        _ => arr![],
    };
    let mut e = obj! {
        "EventId" => c.event_id.as_str(),
        "EventName" => c.name,
        "ReadOnly" => if c.read_only { "true" } else { "false" },
    };
    if let Some(key) = c.identity.get("accessKeyId") {
        e.push("AccessKeyId", key.clone());
    }
    e.push("EventTime", cli(c.time, 0));
    e.push("EventSource", c.source);
    e.push("Username", username(&c.identity));
    e.push("Resources", resources);
    e.push("CloudTrailEvent", record.compact());
    e
}

/// The pages for `reads` (any order; each event once), page 1 first.
pub fn pages(seed: u64, reads: &[Call]) -> Vec<J> {
    let mut newest_first: Vec<&Call> = reads.iter().collect();
    newest_first.sort_by(|a, b| (b.time, &b.event_id).cmp(&(a.time, &a.event_id)));
    let mut rng = Rng::stream(seed, streams::LOOKUP);
    let chunks: Vec<&[&Call]> = if newest_first.is_empty() {
        vec![&[]]
    } else {
        newest_first.chunks(PAGE).collect()
    };
    let last = chunks.len() - 1;
    chunks
        .into_iter()
        .enumerate()
        .map(|(i, chunk)| {
            let mut page = obj! { "Events" => J::Arr(chunk.iter().map(|c| event(c)).collect()) };
            if i < last {
                page.push("NextToken", format!("{}==", rng.alnum(142)));
            }
            page
        })
        .collect()
}
