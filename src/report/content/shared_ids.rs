//! Citations of an eventID that different records share: "eventID 1" names no single record
//! when 117 records carry it (hand-made records, or a trail tampered with or replayed), so the
//! report cites it as "1 (one of 117 records with that eventID)" wherever a finding's eventIDs
//! are printed. Report-only: the JSON keeps the bare eventIDs, its `conflicts` says where each
//! copy was read, and the finding's summary says which of its eventIDs are shared (a clause
//! the report leaves out: each citation says it).

use crate::model::{Finding, Timeline};
use std::collections::HashMap;

const OPEN: &str = " (one of ";
const CLOSE: &str = " records with that eventID)";

/// `t` with every finding's (and every unseen-reads entry's) cited eventIDs marked where
/// different records share them; `None` when no cited eventID is shared (the common case).
pub fn marked(t: &Timeline) -> Option<Timeline> {
    let shared: HashMap<&str, usize> = t
        .conflicts
        .iter()
        .map(|c| (c.event_id.as_str(), c.copies.len()))
        .collect();
    let cites = |f: &Finding| {
        f.event_ids
            .iter()
            .any(|id| shared.contains_key(id.as_str()))
    };
    let any = t
        .findings
        .iter()
        .chain(t.incidents.iter().flat_map(|i| &i.findings))
        .any(cites)
        || t.unseen_reads
            .iter()
            .flat_map(|u| &u.event_ids)
            .any(|id| shared.contains_key(id.as_str()));
    if !any {
        return None;
    }
    let mark = |ids: &mut Vec<String>| {
        for id in ids.iter_mut() {
            if let Some(n) = shared.get(id.as_str()) {
                *id = format!("{id}{OPEN}{n}{CLOSE}");
            }
        }
    };
    let mut v = t.clone();
    for f in v
        .findings
        .iter_mut()
        .chain(v.incidents.iter_mut().flat_map(|i| i.findings.iter_mut()))
    {
        // Each citation says it; the summary's clause would say it twice.
        f.summary = f.summary_unshared().to_string();
        mark(&mut f.event_ids);
    }
    for u in &mut v.unseen_reads {
        mark(&mut u.event_ids);
    }
    Some(v)
}

/// The eventID a citation [`marked`] names (itself when unmarked), to look the record up.
pub fn bare(cited: &str) -> &str {
    parts(cited).0
}

/// A citation split into its eventID and, when [`marked`], how many records share it.
pub fn parts(cited: &str) -> (&str, Option<&str>) {
    cited
        .strip_suffix(CLOSE)
        .and_then(|s| s.rsplit_once(OPEN))
        .filter(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        .map_or((cited, None), |(id, n)| (id, Some(n)))
}

#[cfg(test)]
mod tests {
    use super::bare;

    #[test]
    fn a_marked_citation_gives_its_event_id_back_and_a_plain_one_is_itself() {
        assert_eq!(bare("1 (one of 117 records with that eventID)"), "1");
        assert_eq!(
            bare("ab (one of x records with that eventID)"),
            "ab (one of x records with that eventID)"
        );
        assert_eq!(bare("ee73c230"), "ee73c230");
    }
}
