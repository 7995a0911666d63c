//! The S3 decoy's reads in records without a data event's fields (an export that dropped
//! `eventCategory`, `resources`, `additionalEventData`, or a record written by hand), as SC-26
//! names them: object-level reads on the decoy's bucket that are not counted, a `HeadObject` (or
//! `GetObjectAcl`...) of the decoy itself, which returned no value, and a read of it that rests
//! on such a record. Each said as what it is, with its eventIDs. Pure: reads [`Facts`].

use super::facts::{first, Facts};

/// `n` of a thing: "a HeadObject" or "2 HeadObject calls".
fn calls(api: &str, n: usize) -> String {
    if n == 1 {
        format!("a {api}")
    } else {
        format!("{n} {api} calls")
    }
}

/// The object-level reads on a decoy's bucket whose reads were not examined, in records without
/// a data event's fields (not counted as examining them), other than the calls on the decoy
/// itself that [`own`] names: the clause, with their APIs, how many and their first eventIDs,
/// and the eventIDs it cites. The scan keeps the first `UNMARKED_KEPT` such records and counts
/// the rest: those are said as read and not kept, of which object unknown. `None` when every
/// one is of the decoy itself.
pub(super) fn on_bucket(f: &Facts) -> Option<(String, Vec<String>)> {
    let u = &f.s3_decoy_unmarked_objects;
    let others: Vec<&(String, String)> = u
        .kept
        .iter()
        .filter(|(_, id)| !f.decoy_unmarked_own.iter().any(|(_, own)| own == id))
        .collect();
    if others.is_empty() && u.more == 0 {
        return None;
    }
    let ids: Vec<String> = others.iter().map(|(_, id)| id.clone()).collect();
    let mut apis: Vec<&str> = others.iter().map(|(api, _)| api.as_str()).collect();
    apis.sort_unstable();
    apis.dedup();
    let not_kept = match u.more {
        0 => String::new(),
        m => format!(
            "; {m} more such record{} read and not kept (the first {} are; copies of one record not told apart), of which object unknown",
            if m == 1 { " was" } else { "s were" },
            u.kept.len()
        ),
    };
    let statement = if others.is_empty() {
        format!(
            " Object-level reads on the decoy's bucket that S3 logs only as data events are in records without a data event's fields: the first {} kept are calls on the decoy object itself (named in this row){not_kept}. They may be read data events, the records do not show it, and they are not counted.",
            u.kept.len()
        )
    } else {
        format!(
            " Object-level reads of other objects on the decoy's bucket that S3 logs only as data events ({}; {} {}, eventID {} cited{not_kept}) are in records without a data event's fields: they may be read data events, the records do not show it, and they are not counted.",
            apis.join(", "),
            others.len(),
            if others.len() == 1 { "record" } else { "records" },
            first(&ids, 4).join(", ")
        )
    };
    Some((statement, first(&ids, 4)))
}

/// The calls of [`Facts::decoy_unmarked_own`] that read what S3 keeps about the decoy object,
/// not its value (`HeadObject`, `GetObjectAcl`, `GetObjectTagging`, `GetObjectAttributes`), as
/// a clause naming each API with its eventIDs, and those eventIDs.
pub(super) fn own(f: &Facts) -> Option<(String, Vec<String>)> {
    let (probes, apis) = own_apis(f)?;
    let mut cited = Vec::new();
    let told: Vec<String> = apis
        .iter()
        .map(|api| {
            let ids: Vec<String> = probes
                .iter()
                .filter(|(a, _)| a == api)
                .map(|(_, id)| id.clone())
                .collect();
            cited.extend(first(&ids, 4));
            format!(
                "{} (eventID {})",
                calls(api, ids.len()),
                first(&ids, 4).join(", ")
            )
        })
        .collect();
    let one = probes.len() == 1;
    Some((
        format!(
            " The records hold {} of the decoy object itself, in {} without a data event's fields: {} what S3 keeps about the object (its metadata, ACL, tags or attributes), not its value, so {} no read of it, but the decoy drew {}; whether a trail logged {} as {} the {} not show.",
            told.join(" and "),
            if one { "a record" } else { "records" },
            if one { "such a call returns" } else { "such calls return" },
            if one { "it is" } else { "they are" },
            if one { "it" } else { "them" },
            if one { "it" } else { "them" },
            if one { "a data event" } else { "data events" },
            if one { "record does" } else { "records do" },
        ),
        cited,
    ))
}

/// The decoy's reads (incidents' accesses) whose record carries none of a data event's fields:
/// taken as its reads, as the record states them, with what the record does not show.
pub(super) fn reads(f: &Facts) -> Option<(String, Vec<String>)> {
    let bare: Vec<String> = f
        .decoy_unmarked_own
        .iter()
        .filter(|(api, id)| returns_value(api) && f.accesses.contains(id))
        .map(|(_, id)| id.clone())
        .collect();
    if bare.is_empty() {
        return None;
    }
    let one = bare.len() == 1;
    Some((
        format!(
            " {} of the decoy (eventID {}) {} none of the fields that mark an S3 data event (eventCategory, managementEvent, resources, additionalEventData): {} the call, taken as a read of it, but not that a trail logged {} as a data event (an export may have dropped the fields, or the {} written by hand).",
            if one { "The record of a read" } else { "The records of reads" },
            first(&bare, 4).join(", "),
            if one { "carries" } else { "carry" },
            if one { "it states" } else { "they state" },
            if one { "it" } else { "them" },
            if one { "record was" } else { "records were" },
        ),
        first(&bare, 4),
    ))
}

/// The calls [`own`] names, as an activity clause for the rows that list activity on a decoy
/// (`activity::possible_activity`, whose caller closes the parenthesis after the eventIDs), and
/// their eventIDs.
pub(super) fn own_activity(f: &Facts) -> Option<(String, Vec<String>)> {
    let (probes, apis) = own_apis(f)?;
    let told: Vec<String> = apis
        .iter()
        .map(|api| calls(api, probes.iter().filter(|(a, _)| a == api).count()))
        .collect();
    let ids: Vec<String> = probes.iter().map(|(_, id)| id.clone()).collect();
    Some((
        format!(
            "{} of the decoy object itself, in {} without a data event's fields, which {} what S3 keeps about the object, not its value (no read of it",
            told.join(" and "),
            if probes.len() == 1 { "a record" } else { "records" },
            if probes.len() == 1 { "returns" } else { "return" },
        ),
        first(&ids, 4),
    ))
}

/// The calls of [`Facts::decoy_unmarked_own`] that are no read of the decoy's value.
/// An object-level call on the decoy: its API and eventID.
type Call = (String, String);

/// [`own_calls`] and their APIs, each once, in order; `None` when there is none.
fn own_apis(f: &Facts) -> Option<(Vec<&Call>, Vec<&str>)> {
    let probes = own_calls(f);
    if probes.is_empty() {
        return None;
    }
    let mut apis: Vec<&str> = probes.iter().map(|(a, _)| a.as_str()).collect();
    apis.sort_unstable();
    apis.dedup();
    Some((probes, apis))
}

fn own_calls(f: &Facts) -> Vec<&Call> {
    f.decoy_unmarked_own
        .iter()
        .filter(|(api, id)| !f.accesses.contains(id) && !returns_value(api))
        .collect()
}

/// Whether an object-level read `api` returns the object's value (`GetObject`,
/// `SelectObjectContent`), the reads the analysis takes as the decoy's.
fn returns_value(api: &str) -> bool {
    matches!(api, "GetObject" | "SelectObjectContent")
}
