//! CloudTrail Lake query results as `aws cloudtrail get-query-results` prints them
//! (`{"QueryStatus": …, "QueryResultRows": [[{"eventJson": "<record>"}, …], …]}`): a row whose
//! query selected `eventJson` carries the whole record as a JSON string; a row without it (a
//! query of some columns only) holds no record and is a gap, never a silent skip.

use super::Ctx;
use crate::model::GapKind;
use serde_json::Value;

impl Ctx<'_> {
    pub(super) fn lake_rows(&mut self, rows: &[Value], index: u64) {
        self.scan.kinds.insert("cloudtrail-lake-results");
        self.index_rows_from(index);
        for (position, row) in rows.iter().enumerate() {
            let index = self.take_index();
            // A row that was not JSON, read as `null` (`items.rs`): named as a record.
            if row.is_null() {
                if let Some(reason) = self.take_bad_item("QueryResultRows", position as u64) {
                    self.reject(index, GapKind::MalformedRecord, reason);
                    continue;
                }
            }
            // Each row is a list of one-key objects, one per selected column.
            let record = row
                .as_array()
                .into_iter()
                .flatten()
                .find_map(|cell| cell.get("eventJson"));
            match record {
                Some(Value::String(text)) => self.embedded(text, index, None, "cloudtrail-lake"),
                Some(_) => self.reject(
                    index,
                    GapKind::MalformedRecord,
                    "a CloudTrail Lake result row whose eventJson is not a string".into(),
                ),
                None => self.reject(
                    index,
                    GapKind::MalformedRecord,
                    "a CloudTrail Lake result row without eventJson: the query selected columns, not the whole record (SELECT eventJson FROM …), so this row's record was not examined".into(),
                ),
            }
        }
    }
}
