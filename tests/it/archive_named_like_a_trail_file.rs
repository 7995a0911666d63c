//! A `.json.gz` is no longer opened by discovery: the first pass tells whether it is an archive
//! (or not gzip at all) from the bytes it reads anyway, and the analysis starts again when it
//! is. Each such file still reads as what it is, exactly as when discovery looked first.

use super::archives::{
    gzip, inputs, normalised, sample_files, sha256, tar, timeline, unpack, unpacked_read,
};
use serde_json::Value;

/// A tar.gz of the sample case named like a delivered trail file reads as the unpacked files:
/// the same events, incidents and gaps, each member with its own SHA-256, the archive listed
/// once (kind `archive`, 0 records, its own SHA-256), exit code as for the unpacked files.
#[test]
fn a_tar_gz_named_like_a_trail_file_reads_as_its_members() {
    let files = sample_files();
    let dir = tempfile::tempdir().unwrap();
    let (plain, plain_doc, plain_prefix, expected) = unpacked_read(&files, dir.path());

    let evidence = dir.path().join("evidence");
    std::fs::create_dir(&evidence).unwrap();
    let path = evidence.join("123456789012_CloudTrail_us-east-1_20261120T1405Z_abc.json.gz");
    let bytes = gzip(&tar(&files));
    std::fs::write(&path, &bytes).unwrap();
    let run = timeline(&evidence, &[]);
    assert_eq!(run.code, plain.code, "{}", run.stderr);
    let doc = run.json();
    let prefix = format!("{}!/", path.display());
    let mut got = normalised(&doc, &prefix);
    let counted = got["summary"]["inputs"].as_u64().unwrap();
    assert_eq!(counted, expected["summary"]["inputs"].as_u64().unwrap() + 1);
    got["summary"]["inputs"] = expected["summary"]["inputs"].clone();
    got.as_object_mut().unwrap().remove("coverage");
    assert_eq!(got, expected);
    let mut listed = inputs(&doc, &prefix);
    let archive = listed.remove(&path.display().to_string()).unwrap();
    assert_eq!(archive, (sha256(&bytes), "archive".into(), 0));
    assert_eq!(listed, inputs(&plain_doc, &plain_prefix));
}

/// The sample case's plain JSON files (LookupEvents pages, the pipeline's configuration, the
/// kill-switch's results) named `.json.gz`: read as under their own names, ahead of the first
/// pass as well (the replay needs the rules before the first pass reads the records), so the
/// timeline is the same but for the names.
#[test]
fn plain_files_named_json_gz_read_as_under_their_own_names() {
    // Without the case's manifest: renamed files would be gaps against it.
    let files: Vec<_> = sample_files()
        .into_iter()
        .filter(|(rel, _)| rel != "manifest.json")
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let (named, renamed) = (dir.path().join("named"), dir.path().join("renamed"));
    unpack(&files, &named);
    let gz_named: Vec<_> = files
        .iter()
        .map(|(rel, bytes)| match rel.ends_with(".json") {
            true => (format!("{rel}.gz"), bytes.clone()),
            false => (rel.clone(), bytes.clone()),
        })
        .collect();
    let renamed_files = files
        .iter()
        .filter(|(rel, _)| rel.ends_with(".json"))
        .count();
    assert!(renamed_files > 10, "{renamed_files}");
    unpack(&gz_named, &renamed);
    let (a, b) = (timeline(&named, &[]), timeline(&renamed, &[]));
    assert_eq!(a.code, b.code, "{}", b.stderr);
    let text = |doc: &Value, root: &std::path::Path| {
        normalised(doc, &format!("{}/", root.display()))
            .to_string()
            .replace(".json.gz", ".json")
    };
    let (a_doc, b_doc) = (a.json(), b.json());
    assert_eq!(text(&b_doc, &renamed), text(&a_doc, &named));
    assert!(a_doc["incidents"].as_array().is_some_and(|i| !i.is_empty()));
}
