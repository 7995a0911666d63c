//! The indicators of compromise of every incident as one CSV (`timeline --format iocs`, and the
//! report's `indicators.csv` attachment): one row per incident and indicator, then one row per
//! evidence gap, so a list read from incomplete evidence says so in itself.

use super::csv_cell;
use crate::model::{wire_name, Timeline};

/// The CSV's columns.
pub const HEADER: [&str; 12] = [
    "incident",
    "kind",
    "value",
    "first_seen",
    "last_seen",
    "records",
    "seen_in",
    "first_event_id",
    "last_event_id",
    "live",
    "expires",
    "note",
];

/// The `kind` of a gap row.
pub const GAP_KIND: &str = "evidence_gap";

/// Every incident's indicators, then the gaps, as CSV bytes (every cell quoted and neutralised).
pub fn csv(t: &Timeline) -> Vec<u8> {
    let mut w = csv_cell::writer(Vec::new(), true);
    // Writing to a Vec cannot fail.
    let _ = w.write_record(HEADER);
    for i in &t.incidents {
        for ind in &i.indicators {
            let note = if ind.live {
                "live: a credential the containment did not cut".to_string()
            } else {
                String::new()
            };
            let cells = [
                i.id.clone(),
                wire_name(ind.kind),
                ind.value.clone(),
                ind.first_seen.to_rfc3339(),
                ind.last_seen.to_rfc3339(),
                ind.records.to_string(),
                ind.seen_in.join("; "),
                ind.first_event_id.clone(),
                ind.last_event_id.clone(),
                ind.live.to_string(),
                ind.expires.map(|e| e.to_rfc3339()).unwrap_or_default(),
                note,
            ];
            let _ = w.write_record(cells.iter().map(|c| csv_cell::neutralise(c).into_owned()));
        }
    }
    for g in &t.gaps {
        let at = g.index.map(|n| format!(" record {n}")).unwrap_or_default();
        let cells = [
            String::new(),
            GAP_KIND.to_string(),
            format!("{}{at}", g.path),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            format!("{}: {}", wire_name(g.kind), g.reason),
        ];
        let _ = w.write_record(cells.iter().map(|c| csv_cell::neutralise(c).into_owned()));
    }
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Gap, GapKind};

    #[test]
    fn a_gap_is_a_row_of_the_list() {
        let t = Timeline {
            gaps: vec![Gap {
                path: "=cmd|evil".into(),
                index: Some(3),
                kind: GapKind::MalformedRecord,
                reason: "not JSON".into(),
            }],
            ..Default::default()
        };
        let text = String::from_utf8(csv(&t)).unwrap();
        let mut lines = text.lines();
        assert!(lines
            .next()
            .unwrap()
            .starts_with("\"incident\",\"kind\",\"value\""));
        let row = lines.next().unwrap();
        assert!(
            row.contains("\"evidence_gap\",\"'=cmd|evil record 3\""),
            "{row}"
        );
        assert!(row.contains("not JSON"), "{row}");
    }
}
