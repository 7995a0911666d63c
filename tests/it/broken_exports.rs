//! Evidence as a broken exporter writes it: what is whole is read, and the gap says exactly
//! what is not (never "truncated" of a stream read to its end, never a whole document lost for
//! one bad item).

use crate::support::*;

use serde_json::Value;
use std::io::Write;
use std::path::Path;

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

fn record(id: &str) -> String {
    format!(
        r#"{{"eventVersion":"1.08","eventTime":"2026-11-20T14:00:00Z","eventID":"{id}","eventSource":"ec2.amazonaws.com","eventName":"DescribeInstances","awsRegion":"us-east-1","userIdentity":{{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/alice"}}}}"#
    )
}

/// (file name, index, kind, reason) of every gap.
fn gaps(doc: &Value) -> Vec<(String, Option<u64>, String, String)> {
    (doc["gaps"].as_array().unwrap().iter())
        .map(|g| {
            let path = Path::new(g["path"].as_str().unwrap());
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                g["index"].as_u64(),
                g["kind"].as_str().unwrap().to_string(),
                g["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn records_read(doc: &Value, file: &str) -> u64 {
    (doc["inputs"].as_array().unwrap().iter())
        .find(|i| i["path"].as_str().unwrap().ends_with(file))
        .unwrap()["records_read"]
        .as_u64()
        .unwrap()
}

/// Bytes after the last whole gzip member that are not gzip (garbage, zero padding): the gap
/// said "gzip stream is truncated after 285 inflated bytes" of a stream read to its end. Every
/// member's records are read, and the gap says what was not.
#[test]
fn bytes_after_the_last_gzip_member_are_named_not_called_a_truncation() {
    let dir = tempfile::tempdir().unwrap();
    let a = format!(r#"{{"Records":[{}]}}"#, record("first"));
    let b = format!(r#"{{"Records":[{}]}}"#, record("second"));
    let members = [gzip(a.as_bytes()), gzip(b.as_bytes())].concat();
    let write = |name: &str, tail: &[u8]| {
        std::fs::write(dir.path().join(name), [&members[..], tail].concat()).unwrap()
    };
    write("garbage.json.gz", b"garbage!");
    write("padded.json.gz", &[0; 512]);
    let run = trailcase(["timeline", "--quiet", dir.path().to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = run.json();
    let inflated = a.len() + b.len();
    let want: Vec<_> = [("garbage.json.gz", 8), ("padded.json.gz", 512)]
        .into_iter()
        .map(|(file, rest)| (
            file.to_string(),
            None,
            "truncated_gzip".to_string(),
            format!("the gzip stream is whole (2 members, {inflated} inflated bytes, all read), but the {rest} bytes after it are not gzip: they are not read"),
        ))
        .collect();
    assert_eq!(gaps(&doc), want);
    for file in ["garbage.json.gz", "padded.json.gz"] {
        assert_eq!(records_read(&doc, file), 2, "{file}");
    }
}
