//! One input's stored bytes to records: a large gzip trail file parsed while it inflates, any
//! other file inflated whole (within the cap and the shared budget); a delivered trail file's
//! appended gzip members described, not read.

use crate::model::GapKind;
use crate::parse::{
    scan_document, scan_document_from, scan_trail_stream, DocumentScan, RecordItem, RecordSink,
};
use crate::source::files::{appended_after, is_trail_file_name, Appended};
use crate::source::{decode_input, gzip_trailer, ReadInput};
use sha2::{Digest, Sha256};

/// Gzip files that inflate past this (by their trailer) are parsed while they inflate.
pub const STREAM_MIN_INFLATED: u64 = 1 << 20;

/// Hash the stored bytes and scan their content: a large gzip trail file while it inflates
/// (memory does not follow the file's size), anything else inflated whole. The returned
/// `ReadInput` has the hash, size and reading problems; its `content` is empty when streamed.
pub fn scan_stored(
    stored: Vec<u8>,
    input: u32,
    name: &str,
    cap: u64,
    sink: &mut dyn RecordSink,
) -> (ReadInput, DocumentScan) {
    if inflates_past(&stored, STREAM_MIN_INFLATED) {
        // A delivered trail file is one member: its stream ends there, and what follows is
        // described, not read. Other files are read member after member.
        let mut hold = None;
        let streamed = if is_trail_file_name(name) {
            let mut member = flate2::bufread::GzDecoder::new(stored.as_slice());
            scan_trail_stream(&mut member, cap, input, name, sink)
                .map(|doc| (doc, appended_after(member.into_inner(), cap, &mut hold)))
        } else {
            let mut reader = flate2::read::MultiGzDecoder::new(stored.as_slice());
            scan_trail_stream(&mut reader, cap, input, name, sink).map(|doc| (doc, None))
        };
        let given = match streamed {
            Ok((doc, appended)) => {
                let read = ReadInput {
                    sha256: hex::encode(Sha256::digest(&stored)),
                    size: stored.len() as u64,
                    content: Vec::new(),
                    problems: Vec::new(),
                    appended,
                    hold,
                };
                return (read, doc);
            }
            Err(given) => given,
        };
        let read = decode_input(stored, cap, name);
        let doc = scan_document_from(&read.content, input, name, sink, given);
        return (read, doc);
    }
    let read = decode_input(stored, cap, name);
    let doc = scan_document(&read.content, input, name, sink);
    (read, doc)
}

/// The gap for what follows a trail file's first gzip member, with the records it holds.
pub(super) fn appended_gap(appended: &Appended) -> (GapKind, String) {
    struct Count;
    impl RecordSink for Count {
        fn record(&mut self, _: RecordItem<'_>) {}
    }
    let what = if appended.members == 0 {
        "that are not gzip".to_string()
    } else {
        let held = scan_document(&appended.content, 0, "", &mut Count).records;
        let members = match appended.members {
            1 => "a second gzip member".to_string(),
            n => format!("{n} more gzip members"),
        };
        format!("holding {members} with {held} records")
    };
    (
        GapKind::TrailFileAppended,
        format!(
            "data after the first gzip member: {} bytes {what}, not read: a delivered CloudTrail trail file is one gzip member",
            appended.bytes
        ),
    )
}

/// A gzip file whose trailer (ISIZE, the last member's size modulo 4 GiB) says it inflates
/// past `min`: a hint, the streaming path checks everything itself.
fn inflates_past(stored: &[u8], min: u64) -> bool {
    stored.starts_with(&[0x1f, 0x8b])
        && gzip_trailer(stored).is_some_and(|(_, isize)| u64::from(isize) > min)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::decode;

    /// Every record's index and text, as a sink sees them.
    #[derive(Default)]
    struct Texts(Vec<(u64, String)>);

    impl RecordSink for Texts {
        fn record(&mut self, item: RecordItem<'_>) {
            self.0.push((item.index, item.raw.to_string()));
        }
    }

    use crate::gzip_member::gzip;

    /// A trail file that inflates to about `mb` MB.
    fn big_trail_file(mb: usize) -> Vec<u8> {
        let mut doc = String::from(r#"{"Records":["#);
        let mut n = 0;
        while doc.len() < mb << 20 {
            if n > 0 {
                doc.push(',');
            }
            doc.push_str(&format!(
                r#"{{"eventVersion":"1.08","eventTime":"2026-11-20T14:{:02}:{:02}Z","eventID":"e{n}","eventName":"DescribeInstances","eventSource":"ec2.amazonaws.com","userIdentity":{{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/u{}"}},"requestParameters":{{"filter":"Ωμέγα {n}"}}}}"#,
                n / 60 % 60,
                n % 60,
                n % 7
            ));
            n += 1;
        }
        doc.push_str("]}");
        doc.into_bytes()
    }

    /// `scan_stored` against inflating the whole file and scanning it: same records, gaps,
    /// counts, kinds, hash and reading problems.
    fn same_as_whole(stored: Vec<u8>, what: &str) {
        let (mut a, mut b) = (Texts::default(), Texts::default());
        let (ra, da) = scan_stored(stored.clone(), 0, "f.json.gz", 1 << 30, &mut a);
        let rb = decode(stored, 1 << 30);
        let db = scan_document(&rb.content, 0, "f.json.gz", &mut b);
        assert_eq!(a.0, b.0, "{what}: records");
        assert_eq!(
            (da.records, &da.kinds, &da.gaps),
            (db.records, &db.kinds, &db.gaps),
            "{what}"
        );
        assert_eq!(
            (ra.sha256, ra.size, ra.problems),
            (rb.sha256, rb.size, rb.problems),
            "{what}"
        );
    }

    #[test]
    fn a_large_trail_file_read_while_it_inflates_gives_what_the_whole_file_gives() {
        let doc = big_trail_file(3);
        let gz = gzip(&doc);
        assert!(inflates_past(&gz, STREAM_MIN_INFLATED));
        same_as_whole(gz.clone(), "whole");
        // Truncated, corrupt in the middle, two members, not a trail file.
        same_as_whole(gz[..gz.len() / 2].to_vec(), "truncated");
        let mut corrupt = gz.clone();
        let mid = corrupt.len() / 2;
        corrupt[mid] ^= 0x55;
        same_as_whole(corrupt, "corrupt");
        let mut two = gzip(&doc[..doc.len() / 2]);
        two.extend(gzip(&doc[doc.len() / 2..]));
        same_as_whole(two, "two members");
        let mut array = doc.clone();
        array.splice(..12, b"[".iter().copied());
        array.truncate(array.len() - 1);
        same_as_whole(gzip(&array), "an array of records");
    }

    /// A large trail file (read while it inflates) with a member appended: the first member is
    /// read, the appended one is described, as on the whole-file path.
    #[test]
    fn a_member_appended_to_a_large_trail_file_is_described_not_read() {
        let doc = big_trail_file(2);
        let name = "123456789012_CloudTrail_us-east-1_20261120T1405Z_abc.json.gz";
        let stored = [gzip(&doc), gzip(&doc)].concat();
        assert!(inflates_past(&stored, STREAM_MIN_INFLATED));
        let mut seen = Texts::default();
        let (read, scan) = scan_stored(stored.clone(), 0, name, 1 << 30, &mut seen);
        let mut whole = Texts::default();
        let one = scan_document(&doc, 0, name, &mut whole);
        assert_eq!((scan.records, seen.0.len()), (one.records, whole.0.len()));
        let appended = read.appended.expect("described");
        assert_eq!((appended.members, appended.content.len()), (1, doc.len()));
        let (kind, reason) = appended_gap(&appended);
        assert_eq!(kind, GapKind::TrailFileAppended);
        assert!(
            reason.contains(&format!(
                "a second gzip member with {} records",
                one.records
            )),
            "{reason}"
        );
        // Under another name, every member is read.
        let (_, all) = scan_stored(stored, 0, "all.json.gz", 1 << 30, &mut Texts::default());
        assert_eq!(all.records, 2 * one.records);
    }
}
