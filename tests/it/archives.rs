//! Evidence handed over as an archive (issue 14): `.zip`, `.tar` and `.tar.gz` read member by
//! member in memory, each member an input `archive!/member` with its own SHA-256, and the
//! archive listed once. Built in the test from the sample case's real files; each attack on the
//! reader (bomb, `../` name, truncation, nesting, links, encryption) is a named gap.

use crate::support;

use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use support::*;

/// The sample case's evidence files (its `trailcase.toml` left out: a configuration is not
/// evidence), relative path and bytes.
pub(crate) fn sample_files() -> Vec<(String, Vec<u8>)> {
    let root = repo().join("samples/incident-01");
    let mut out = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().unwrap() != "trailcase.toml" {
                let rel = p
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    // Without trailcase.toml (an archive's own configuration is not applied), and so without
    // its manifest entry: a file a case's manifest lists and the folder lacks is a gap.
    for (rel, bytes) in out.iter_mut() {
        if rel == "manifest.json" {
            let mut manifest: Value = serde_json::from_slice(bytes).unwrap();
            manifest["entries"]
                .as_array_mut()
                .unwrap()
                .retain(|e| e["path"] != "trailcase.toml");
            *bytes = serde_json::to_vec_pretty(&manifest).unwrap();
        }
    }
    out.sort();
    out
}

pub(crate) fn unpack(files: &[(String, Vec<u8>)], dir: &Path) {
    for (rel, bytes) in files {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
}

/// A zip of `files`, members alternately stored and deflated.
fn zip(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (i, (name, bytes)) in files.iter().enumerate() {
        let method = if i % 2 == 0 {
            zip::CompressionMethod::Deflated
        } else {
            zip::CompressionMethod::Stored
        };
        let options = zip::write::SimpleFileOptions::default().compression_method(method);
        w.start_file(name.as_str(), options).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

pub(crate) fn tar(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, bytes) in files {
        let mut h = tar::Header::new_gnu();
        h.set_size(bytes.len() as u64);
        h.set_mode(0o644);
        h.set_entry_type(tar::EntryType::Regular);
        b.append_data(&mut h, name, bytes.as_slice()).unwrap();
    }
    b.into_inner().unwrap()
}

pub(crate) fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

pub(crate) fn sha256(b: &[u8]) -> String {
    hex::encode(Sha256::digest(b))
}

pub(crate) fn timeline(input: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["timeline", "--quiet"];
    args.extend_from_slice(extra);
    args.push(input.to_str().unwrap());
    trailcase(args)
}

/// `files` unpacked into `dir/unpacked` and read: the run, its JSON, the prefix of the unpacked
/// files' paths and the JSON with that prefix taken off (what an archive of them must give).
pub(crate) fn unpacked_read(
    files: &[(String, Vec<u8>)],
    dir: &Path,
) -> (Run, Value, String, Value) {
    let unpacked = dir.join("unpacked");
    unpack(files, &unpacked);
    let plain = timeline(&unpacked, &[]);
    let plain_doc = plain.json();
    let plain_prefix = format!("{}/", unpacked.display());
    let expected = normalised(&plain_doc, &plain_prefix);
    assert!(expected["timeline"].as_array().unwrap().len() > 10);
    (plain, plain_doc, plain_prefix, expected)
}

/// The document with every input named by its path inside the evidence (`prefix` removed),
/// and every `input` number replaced by that name; the input list itself left out.
pub(crate) fn normalised(doc: &Value, prefix: &str) -> Value {
    let names: Vec<String> = doc["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["path"].as_str().unwrap().replace(prefix, ""))
        .collect();
    fn walk(v: &mut Value, names: &[String], prefix: &str) {
        match v {
            Value::String(s) => *s = s.replace(prefix, ""),
            Value::Array(a) => a.iter_mut().for_each(|v| walk(v, names, prefix)),
            Value::Object(o) => {
                for (k, v) in o.iter_mut() {
                    match (k.as_str(), v.as_u64()) {
                        ("input", Some(n)) => *v = Value::String(names[n as usize].clone()),
                        _ => walk(v, names, prefix),
                    }
                }
            }
            _ => {}
        }
    }
    let mut doc = doc.clone();
    doc.as_object_mut().unwrap().remove("inputs");
    // Coverage by region-hour is examined on case directories; an archive is not one, and
    // says so (checked below).
    doc.as_object_mut().unwrap().remove("coverage");
    walk(&mut doc, &names, prefix);
    doc
}

/// The input rows by name (prefix removed): sha256, kind, records read.
pub(crate) fn inputs(doc: &Value, prefix: &str) -> BTreeMap<String, (String, String, u64)> {
    doc["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["path"].as_str().unwrap().replace(prefix, ""),
                (
                    i["sha256"].as_str().unwrap().to_string(),
                    i["kind"].as_str().unwrap().to_string(),
                    i["records_read"].as_u64().unwrap(),
                ),
            )
        })
        .collect()
}

fn gaps(doc: &Value) -> Vec<(String, String, String)> {
    doc["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["kind"] != "no_records")
        .map(|g| {
            (
                g["path"].as_str().unwrap().to_string(),
                g["kind"].as_str().unwrap().to_string(),
                g["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The zip, tar and tar.gz of the sample case read exactly as the unpacked files: same events,
/// incidents and gaps, each member with the SHA-256 of its own bytes, and the archive listed
/// once (kind `archive`, 0 records, its own SHA-256). Recognised by content: the tar.gz has no
/// extension at all.
#[test]
fn archived_evidence_reads_as_the_unpacked_files() {
    let files = sample_files();
    let dir = tempfile::tempdir().unwrap();
    let (plain, plain_doc, plain_prefix, expected) = unpacked_read(&files, dir.path());
    let expected_inputs = inputs(&plain_doc, &plain_prefix);
    assert_eq!(expected_inputs.len(), files.len());

    // Stored in reverse order: members are read in the order of their names, as a directory's
    // files are, so which copy of a duplicate is kept does not depend on the archive's order.
    let reversed: Vec<_> = files.iter().rev().cloned().collect();
    let tarred = tar(&reversed);
    for (name, bytes) in [
        ("evidence.zip", zip(&reversed)),
        ("evidence.tar", tarred.clone()),
        ("evidence", gzip(&tarred)),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).unwrap();
        let run = timeline(&path, &[]);
        assert_eq!(run.code, plain.code, "{name}: {}", run.stderr);
        let doc = run.json();
        let prefix = format!("{}!/", path.display());
        assert_eq!(
            doc["coverage"]["status"], "not_examined",
            "{name}: {}",
            doc["coverage"]
        );
        let mut got = normalised(&doc, &prefix);
        // One input more: the archive itself.
        let counted = got["summary"]["inputs"].as_u64().unwrap();
        assert_eq!(counted, expected["summary"]["inputs"].as_u64().unwrap() + 1);
        got["summary"]["inputs"] = expected["summary"]["inputs"].clone();
        assert_eq!(got, expected, "{name}");
        let mut listed = inputs(&doc, &prefix);
        let archive = listed.remove(&path.display().to_string()).unwrap();
        assert_eq!(archive, (sha256(&bytes), "archive".into(), 0), "{name}");
        assert_eq!(listed, expected_inputs, "{name}");
        for (rel, member) in &files {
            assert_eq!(listed[rel].0, sha256(member), "{name}: {rel}");
        }
    }
}

/// A member that inflates past `--max-inflated` (a zip bomb) is read to the cap and no
/// further: a named `decompressed_too_large` gap, exit 1.
#[test]
fn zip_bomb_member_hits_the_inflate_cap_as_a_named_gap() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.zip");
    std::fs::write(&path, zip(&[("bomb.json".into(), vec![b' '; 8 << 20])])).unwrap();
    let run = timeline(&path, &["--max-inflated", "1"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let gaps = gaps(&run.json());
    let bomb = format!("{}!/bomb.json", path.display());
    assert!(
        gaps.iter().any(|(p, k, r)| *p == bomb
            && k == "decompressed_too_large"
            && r.contains("1048576-byte cap")),
        "{gaps:?}"
    );
}

/// A member named `../evil.json` (and one with an absolute name and control characters) is
/// read in memory: nothing is written beside or above the archive, and its name is shown as a
/// label that is no path (`%2E%2E`, `%2F`, `%0A`).
#[test]
fn dot_dot_member_name_writes_nothing_outside_and_is_named_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    std::fs::create_dir(&case).unwrap();
    let record = std::fs::read(
        shared_data()
            .join("cloudtrail/stratus-red-team/aws.defense-evasion.cloudtrail-delete.json"),
    )
    .unwrap();
    let path = case.join("hostile.zip");
    std::fs::write(
        &path,
        zip(&[
            ("../evil.json".into(), record.clone()),
            ("/tmp/abs.json".into(), record.clone()),
            ("a\nb\u{1b}[31m.json".into(), record.clone()),
        ]),
    )
    .unwrap();
    let before = listing(dir.path());
    let run = timeline(&path, &[]);
    assert_eq!(listing(dir.path()), before, "nothing written");
    assert!(!dir.path().join("evil.json").exists());
    let doc = run.json();
    let prefix = format!("{}!/", path.display());
    let listed = inputs(&doc, &prefix);
    for name in ["%2E%2E/evil.json", "%2Ftmp/abs.json", "a%0Ab%1B[31m.json"] {
        let (sha, _, records) = &listed[name];
        assert_eq!(sha, &sha256(&record), "{name}");
        assert!(*records > 0, "{name}");
    }
    assert!(
        !run.text().contains("\u{1b}"),
        "no control character in the output"
    );
}

fn listing(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p.clone());
            }
            out.push(p);
        }
    }
    out.sort();
    out
}

/// A zip cut short (its central directory lost) cannot be read as an archive: a gap naming
/// the archive and the reason, exit 1, and the archive still listed with its SHA-256.
#[test]
fn truncated_zip_is_a_gap_naming_the_archive() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cut.zip");
    let whole = zip(&sample_files()[..3]);
    let cut = &whole[..whole.len() / 2];
    std::fs::write(&path, cut).unwrap();
    let run = timeline(&path, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = run.json();
    let gaps = gaps(&doc);
    assert!(
        gaps.iter().any(|(p, k, r)| *p == path.display().to_string()
            && k == "unrecognised_content"
            && r.starts_with("not JSON: looks like a ZIP archive, but cannot be read as one")),
        "{gaps:?}"
    );
    let listed = inputs(&doc, "");
    assert_eq!(listed[&path.display().to_string()].0, sha256(cut));
}

/// An archive inside an archive is not opened: a named gap for the member, exit 1; the
/// outer archive's other members are read.
#[test]
fn nested_archive_member_is_a_gap() {
    let dir = tempfile::tempdir().unwrap();
    let files = sample_files();
    let inner = zip(&files[..2]);
    let path = dir.path().join("outer.zip");
    std::fs::write(
        &path,
        zip(&[
            ("inner.zip".into(), inner),
            ("inner.tgz".into(), gzip(&tar(&files[..2]))),
            files[0].clone(),
        ]),
    )
    .unwrap();
    let run = timeline(&path, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let gaps = gaps(&run.json());
    for (member, what) in [
        ("inner.zip", "a ZIP archive"),
        ("inner.tgz", "a gzip-compressed tar archive"),
    ] {
        let shown = format!("{}!/{member}", path.display());
        assert!(
            gaps.iter().any(|(p, k, r)| *p == shown
                && k == "archive_entry_not_read"
                && r.contains(&format!("itself {what}"))),
            "{member}: {gaps:?}"
        );
    }
    let listed = inputs(&run.json(), &format!("{}!/", path.display()));
    assert_eq!(listed[&files[0].0].0, sha256(&files[0].1));
}

/// Links and devices in a tar are never followed: each is a named gap, exit 1.
#[test]
fn tar_symlink_entry_is_a_gap_never_followed() {
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("secret.json");
    std::fs::write(&secret, b"[]").unwrap();
    let mut b = tar::Builder::new(Vec::new());
    for (name, kind) in [
        ("link.json", tar::EntryType::Symlink),
        ("hard.json", tar::EntryType::Link),
        ("dev.json", tar::EntryType::Char),
    ] {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(kind);
        h.set_size(0);
        h.set_path(name).unwrap();
        h.set_link_name(&secret).unwrap();
        h.set_cksum();
        b.append(&h, std::io::empty()).unwrap();
    }
    let path = dir.path().join("links.tar");
    std::fs::write(&path, b.into_inner().unwrap()).unwrap();
    let run = timeline(&path, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = run.json();
    let gaps = gaps(&doc);
    for (name, what) in [
        ("link.json", "a symbolic link"),
        ("hard.json", "a hard link"),
        ("dev.json", "a device or FIFO"),
    ] {
        let shown = format!("{}!/{name}", path.display());
        assert!(
            gaps.iter()
                .any(|(p, k, r)| *p == shown && k == "archive_entry_not_read" && r.contains(what)),
            "{name}: {gaps:?}"
        );
    }
    let listed = inputs(&doc, "");
    assert_eq!(listed.len(), 1, "only the archive is an input: {listed:?}");
}

/// A zip member flagged as encrypted is not read (no password is taken): a named gap.
#[test]
fn encrypted_zip_member_is_a_gap() {
    let dir = tempfile::tempdir().unwrap();
    let files = sample_files();
    let mut bytes = zip(&files[..1]);
    // Set the "encrypted" bit (bit 0 of the general purpose flags) in the local header and
    // the central directory entry.
    for (sig, at) in [(b"PK\x03\x04", 6), (b"PK\x01\x02", 8)] {
        let pos = bytes.windows(4).position(|w| w == sig).unwrap();
        bytes[pos + at] |= 1;
    }
    let path = dir.path().join("locked.zip");
    std::fs::write(&path, &bytes).unwrap();
    let run = timeline(&path, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let shown = format!("{}!/{}", path.display(), files[0].0);
    let gaps = gaps(&run.json());
    assert!(
        gaps.iter().any(|(p, k, r)| *p == shown
            && k == "archive_entry_not_read"
            && r.contains("encrypted")),
        "{gaps:?}"
    );
}

/// A tar cut inside a member: the members before the cut are read, the cut member is a named
/// gap, and the archive's own gap says it cannot be read past its entries; exit 1.
#[test]
fn truncated_tar_keeps_the_members_before_the_cut() {
    let dir = tempfile::tempdir().unwrap();
    // Short names: one 512-byte header each (a long name takes a GNU long-name header more).
    let files: Vec<_> = sample_files()
        .into_iter()
        .take(3)
        .enumerate()
        .map(|(i, (_, b))| (format!("{i}.json.gz"), b))
        .collect();
    let whole = tar(&files);
    // Into the third member's data (each header and data block is 512-byte aligned).
    let first_two: usize = files[..2]
        .iter()
        .map(|(_, b)| 512 + b.len().div_ceil(512) * 512)
        .sum();
    let cut = &whole[..first_two + 512 + 100];
    let path = dir.path().join("cut.tar");
    std::fs::write(&path, cut).unwrap();
    let run = timeline(&path, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = run.json();
    let listed = inputs(&doc, &format!("{}!/", path.display()));
    for (rel, bytes) in &files[..2] {
        assert_eq!(listed[rel].0, sha256(bytes), "{rel}");
    }
    let gaps = gaps(&doc);
    let third = format!("{}!/{}", path.display(), files[2].0);
    assert!(
        gaps.iter()
            .any(|(p, k, r)| *p == third && k == "unreadable" && r.contains("truncated")),
        "{gaps:?}"
    );
}

/// The report's attachments list the archive once (kind `archive`, 0 records, its SHA-256)
/// and each member by its `archive!/member` name with the SHA-256 of its own bytes.
#[test]
fn report_attachments_list_members_by_archive_name_with_their_own_sha256() {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<_> = sample_files()
        .into_iter()
        .filter(|(rel, _)| rel.starts_with("cloudtrail/") || rel.starts_with("cloudwatch/"))
        .take(4)
        .collect();
    let bytes = zip(&files);
    let path = dir.path().join("handover.zip");
    std::fs::write(&path, &bytes).unwrap();
    let pdf = dir.path().join("report.pdf");
    let run = report_pdf(&pdf, &[path.to_str().unwrap()]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    let saved = pdf_attachments(&pdf, &dir.path().join("attached"));
    let sums = std::fs::read_to_string(saved.join("inputs.sha256")).unwrap();
    let mut expected: Vec<String> = vec![format!("{}  {}", sha256(&bytes), path.display())];
    expected.extend(
        files
            .iter()
            .map(|(rel, b)| format!("{}  {}!/{rel}", sha256(b), path.display())),
    );
    let mut got: Vec<String> = sums.lines().map(str::to_string).collect();
    got.sort();
    expected.sort();
    assert_eq!(got, expected);
    let csv = std::fs::read_to_string(saved.join("inputs.csv")).unwrap();
    let archive_row = csv
        .lines()
        .find(|l| l.contains(&format!(",\"{}\",", path.display())))
        .unwrap_or_else(|| panic!("{csv}"));
    assert!(
        archive_row.contains(&format!(
            r#","archive","{}","0","0","{}""#,
            bytes.len(),
            sha256(&bytes)
        )),
        "{archive_row}"
    );
}

#[test]
fn a_configuration_file_inside_an_archive_is_named_not_applied() {
    let dir = tempfile::tempdir().unwrap();
    let zip_path = dir.path().join("evidence.zip");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    z.start_file("case/trailcase.toml", opts).unwrap();
    z.write_all(b"[[honeytokens]]\npattern = \"Other_*\"\n")
        .unwrap();
    z.finish().unwrap();
    let run = trailcase(["timeline", zip_path.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = run.json();
    let gap = doc["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| {
            g["path"]
                .as_str()
                .unwrap()
                .ends_with("evidence.zip!/case/trailcase.toml")
        })
        .unwrap_or_else(|| panic!("no gap for the configuration file: {}", doc["gaps"]));
    assert_eq!(gap["kind"], "archive_entry_not_read");
    assert!(
        gap["reason"].as_str().unwrap().contains("--config"),
        "{gap}"
    );
}
