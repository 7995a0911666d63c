//! An input's kind and a gap's kind in words for the appendix's tables: English first, with
//! trailcase's own identifier for it (`cloudtrail-records`, `invalid_json`, as `inputs.csv`,
//! `evidence-gaps.csv` and the JSON name them) on the line under, so a reader sees what it is and an
//! auditor can still match it. An input kind this list does not know is shown as its identifier;
//! every gap kind is placed (an exhaustive match). Pure.

use crate::model::{wire_name, GapKind};

/// `kind` in words, then its identifier on a line of its own (whole, as a search for it finds
/// it): "CloudTrail records\ncloudtrail-records".
pub fn kind_words(kind: &str) -> String {
    let words = match kind {
        "cloudtrail-records" => "CloudTrail records",
        "cloudtrail-digest" => "CloudTrail digest",
        "digest-signature" => "digest signature",
        "cloudtrail-public-keys" => "CloudTrail public keys",
        "cloudtrail-lake-results" => "CloudTrail Lake query results",
        "cloudtrail-delivery-notification" => "CloudTrail delivery notification",
        "lookup-events" => "LookupEvents page",
        "alarm-history" => "alarm history",
        "alarms" => "alarm definitions",
        "metric-data" => "metric data",
        "metric-filters" => "metric filters",
        "eventbridge-rule" => "EventBridge rule",
        "eventbridge-rules" => "EventBridge rules",
        "eventbridge-targets" => "EventBridge rule targets",
        "eventbridge-buses" => "EventBridge event buses",
        "eventbridge-event" => "EventBridge event",
        "trails" => "trail definitions",
        "trail-status" => "trail status",
        "event-selectors" => "trail event selectors",
        "s3-access-points" => "S3 access points",
        "killswitch-result-sns" => "kill-switch result via SNS",
        "killswitch-result-log" => "kill-switch result from its log",
        "lambda-platform-log" => "Lambda platform log",
        "posture" => "posture check result",
        "trailcase-manifest" => "acquisition manifest",
        "athena-query" | "athena-query-execution" => "Athena query",
        "athena-query-results" => "Athena query results",
        "trailcase-athena-selection" => "Athena selection record",
        "trailcase-athena-left-out" => "Athena left-out record",
        _ => return kind.to_string(),
    };
    format!("{words}\n{kind}")
}

/// A gap's kind in words, then its identifier on a line of its own: "not JSON\ninvalid_json".
pub fn gap_words(kind: GapKind) -> String {
    let words = match kind {
        GapKind::Unreadable => "unreadable",
        GapKind::TruncatedGzip => "gzip cut short",
        GapKind::DecompressedTooLarge => "too large once decompressed",
        GapKind::InvalidJson => "not JSON",
        GapKind::UnrecognisedContent => "not recognised as evidence",
        GapKind::MalformedRecord => "record not usable",
        GapKind::MissingEventTime => "no eventTime",
        GapKind::InvalidEventTime => "eventTime not readable",
        GapKind::NoRecords => "no CloudTrail record",
        GapKind::RecordNotExportable => "record not exportable",
        GapKind::TrailFileAppended => "bytes after the trail file",
        GapKind::NoTrailCoverage => "hours without trail coverage",
        GapKind::TrailFileMissing => "trail file missing",
        GapKind::AcquiredFileMissing => "acquired file missing",
        GapKind::AcquiredFileChanged => "acquired file changed",
        GapKind::AcquiredFileAdded => "file added after acquisition",
        GapKind::ArchiveEntryNotRead => "archive entry not read",
        GapKind::DeliveriesNotMarked => "deliveries not marked",
        GapKind::AlarmHistoryDataUnreadable => "alarm history data not readable",
        GapKind::NotLookupEvents => "not what LookupEvents returns",
        GapKind::CopyCountIncomplete => "copy count incomplete",
        GapKind::KillswitchUnmatched => "kill-switch not found",
        GapKind::RepeatedKey => "key written twice",
    };
    format!("{words}\n{}", wire_name(kind))
}

#[cfg(test)]
mod tests {
    use super::{gap_words, kind_words};
    use crate::model::GapKind;

    #[test]
    fn a_gap_kind_reads_as_words_with_its_identifier() {
        assert_eq!(gap_words(GapKind::InvalidJson), "not JSON\ninvalid_json");
    }

    #[test]
    fn a_known_kind_reads_as_words_with_its_identifier_and_an_unknown_one_as_itself() {
        assert_eq!(
            kind_words("cloudtrail-records"),
            "CloudTrail records\ncloudtrail-records"
        );
        assert_eq!(kind_words("something-new"), "something-new");
    }
}
