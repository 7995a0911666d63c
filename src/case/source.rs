//! Where verification reads evidence from: a small trait, with an in-memory and a case-directory version.
//!
//! Keys are the S3 keys as stored under the case's `cloudtrail/` folder (`AWSLogs/...`), `/`-separated, plus
//! `public-keys.json` and the `<digest key>.signature` sidecars. Only [`CaseDir`] touches the file system.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use crate::case::walk;
use crate::gzip_member::{gzip_trailer, inflate_whole};
use sha2::{Digest as _, Sha256};

/// Read access to the files of a case, by key. `Sync` so log files can be hashed in parallel.
pub trait EvidenceSource: Sync {
    /// Every key present, sorted.
    fn keys(&self) -> Vec<String>;

    /// Open one file.
    fn open(&self, key: &str) -> io::Result<Box<dyn Read + '_>>;

    fn read(&self, key: &str) -> io::Result<Vec<u8>> {
        let mut bytes = Vec::new();
        self.open(key)?.read_to_end(&mut bytes)?;
        Ok(bytes)
    }

    /// Hex SHA-256 of the file's content after gzip decompression (plain files are hashed as they are),
    /// which is what a digest's `hashValue` covers, and what follows the first gzip member. A source that
    /// already knows it may answer without reading the file.
    fn log_file_hash(&self, key: &str) -> io::Result<LogFileHash> {
        hash_log_file(self.open(key)?)
    }

    /// When the case holds a chosen part of the trail (`collect --athena`): the keys chosen.
    /// A log file a digest lists and the selection left out is *outside the selection*, not
    /// missing. `None`: the case was meant to hold every file of its window.
    fn selection(&self) -> Option<&BTreeSet<String>> {
        None
    }
}

/// What hashing one log file found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogFileHash {
    /// Hex SHA-256 of the first gzip member's decompressed content (of the whole file, if not gzip).
    pub sha256: String,
    /// Bytes found after the end of the first gzip member, if any.
    pub appended: Option<AppendedData>,
}

/// Data after the first gzip member of a log file. CloudTrail writes one member per file, and
/// `aws cloudtrail validate-logs` rejects a file with anything after it ("unexpected data after end of
/// compressed stream"): a reader that joins members would take the appended part as evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppendedData {
    /// How many bytes follow the first member.
    pub bytes: u64,
    /// They start like a gzip member (magic `1f 8b`).
    pub gzip_member: bool,
}

impl std::fmt::Display for AppendedData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = if self.gzip_member {
            "another gzip member"
        } else {
            "data that is not a gzip member"
        };
        write!(
            f,
            "{} byte(s) after the end of its first gzip member ({what})",
            self.bytes
        )
    }
}

/// Log files stored in at most this many bytes are read whole and, when they are one plain gzip
/// member, inflated by libdeflate (faster than the streaming inflater); larger ones stream.
const WHOLE_STORED: u64 = 16 << 20;
/// ... and when their trailer says they inflate to at most this many bytes.
const WHOLE_INFLATED: u32 = 128 << 20;

/// Hash a possibly gzip-compressed log file: the first gzip member only, as `validate-logs`
/// does, noting whatever follows it. A small file that is exactly one gzip member is inflated
/// whole; any other file streams, without being held in memory.
pub fn hash_log_file(mut reader: impl Read) -> io::Result<LogFileHash> {
    let mut held = Vec::new();
    (&mut reader).take(WHOLE_STORED).read_to_end(&mut held)?;
    if (held.len() as u64) < WHOLE_STORED {
        if let Some(content) = one_member(&held) {
            let sha256 = hex::encode(Sha256::digest(&content));
            crate::gzip_member::recycle(content);
            return Ok(LogFileHash {
                sha256,
                appended: None,
            });
        }
    }
    hash_streaming(io::Cursor::new(held).chain(reader))
}

/// The content of `stored` when it is one gzip member and nothing else, without a header CRC or
/// reserved flags (where gzip readers differ), within [`WHOLE_INFLATED`]; `None` otherwise.
fn one_member(stored: &[u8]) -> Option<Vec<u8>> {
    let [0x1f, 0x8b, 8, flags, ..] = *stored else {
        return None;
    };
    if flags & 0xE2 != 0 {
        return None;
    }
    let (crc, size) = gzip_trailer(stored)?;
    if size > WHOLE_INFLATED {
        return None;
    }
    inflate_whole(stored, crc, size)
}

/// [`hash_log_file`] for any file, streaming.
fn hash_streaming(reader: impl Read) -> io::Result<LogFileHash> {
    let mut reader = BufReader::new(reader);
    let is_gzip = reader.fill_buf()?.starts_with(&[0x1f, 0x8b]);
    let mut hasher = Sha256::new();
    if !is_gzip {
        io::copy(&mut reader, &mut hasher)?;
        return Ok(LogFileHash {
            sha256: hex::encode(hasher.finalize()),
            appended: None,
        });
    }
    // The bufread decoder consumes exactly the bytes of one member, so the reader is left just past it.
    let mut member = flate2::bufread::GzDecoder::new(reader);
    io::copy(&mut member, &mut hasher)?;
    let mut rest = member.into_inner();
    let gzip_member = rest.fill_buf()?.starts_with(&[0x1f, 0x8b]);
    let bytes = io::copy(&mut rest, &mut io::sink())?;
    Ok(LogFileHash {
        sha256: hex::encode(hasher.finalize()),
        appended: (bytes > 0).then_some(AppendedData { bytes, gzip_member }),
    })
}

/// The simplest source: every file's bytes in memory.
impl EvidenceSource for BTreeMap<String, Vec<u8>> {
    fn keys(&self) -> Vec<String> {
        BTreeMap::keys(self).cloned().collect()
    }

    fn open(&self, key: &str) -> io::Result<Box<dyn Read + '_>> {
        match self.get(key) {
            Some(bytes) => Ok(Box::new(bytes.as_slice())),
            None => Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("no file {key}"),
            )),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CaseDirError {
    #[error("{0} has no cloudtrail/ folder")]
    NoCloudTrail(PathBuf),
    #[error("{0} has no AWSLogs/ folder")]
    NoAwsLogs(PathBuf),
    #[error("cannot list {path}")]
    List {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// The `cloudtrail/` folder of an evidence case directory, laid out as S3 stores the objects.
#[derive(Debug, Clone)]
pub struct CaseDir {
    files: BTreeMap<String, PathBuf>,
    /// `athena/selection.json`, parsed once: its keys, and the whole document for the coverage.
    selection: Option<(BTreeSet<String>, serde_json::Value)>,
}

/// Files that configure a case rather than being evidence.
pub const CASE_CONFIG_NAME: &str = "trailcase.toml";

/// Where `collect --athena` records what it chose to fetch (see `source::aws::athena`).
pub const SELECTION_FILE: &str = "athena/selection.json";

/// The key of `s3://bucket/key`.
pub fn key_of_s3_uri(uri: &str) -> Option<&str> {
    Some(uri.strip_prefix("s3://")?.split_once('/')?.1)
}

/// `athena/selection.json` and the S3 keys of its `objects` (`s3://bucket/key`); `None` when
/// the case has none, or it cannot be read (then nothing counts as left out on purpose).
fn read_selection(case: &Path) -> Option<(BTreeSet<String>, serde_json::Value)> {
    let path = case.join(SELECTION_FILE);
    // A link out of the case is not read (the case's file list names it).
    if !walk::readable_file(&walk::Folders::of(&[case.to_path_buf()]), &path) {
        return None;
    }
    let bytes = fs::read(path).ok()?;
    let doc: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let keys = doc
        .get("objects")?
        .as_array()?
        .iter()
        .map(|o| key_of_s3_uri(o.as_str()?).map(str::to_string))
        .collect::<Option<BTreeSet<String>>>()?;
    Some((keys, doc))
}

impl CaseDir {
    /// The whole `athena/selection.json` of a case an Athena search chose (its window, what it
    /// searched), when the case has one.
    pub fn selection_record(&self) -> Option<&serde_json::Value> {
        self.selection.as_ref().map(|(_, doc)| doc)
    }

    /// List the files under `<case>/cloudtrail/` (links followed only within the case; a directory is
    /// entered once, so a case cannot loop).
    pub fn open(case: &Path) -> Result<Self, CaseDirError> {
        let root = case.join("cloudtrail");
        if !root.is_dir() {
            return Err(CaseDirError::NoCloudTrail(case.to_path_buf()));
        }
        Ok(Self {
            files: files_under(case, root, "")?,
            selection: read_selection(case),
        })
    }

    /// List the files under `<dir>/AWSLogs/`, keyed `AWSLogs/...`: trail files synced from the
    /// trail's bucket (`aws s3 sync s3://BUCKET DIR`) into a folder that is no case (no
    /// `cloudtrail/` folder). Links are followed only within `dir`.
    pub fn open_synced(dir: &Path) -> Result<Self, CaseDirError> {
        let root = dir.join(SYNCED_TOP);
        if !root.is_dir() {
            return Err(CaseDirError::NoAwsLogs(dir.to_path_buf()));
        }
        Ok(Self {
            files: files_under(dir, root, &format!("{SYNCED_TOP}/"))?,
            selection: None,
        })
    }
}

/// The top folder of CloudTrail's S3 key layout (`AWSLogs/<account>/CloudTrail/...`).
pub const SYNCED_TOP: &str = "AWSLogs";

/// Every regular file under `root`, keyed by `prefix` and its `/`-separated path below `root`,
/// walked by the rule discovery walks by ([`walk::list`]): a link out of the case, or one that
/// does not resolve, and a special file are not keys (the case's file list names them, see
/// `integrity::gather::case_files`).
fn files_under(
    case: &Path,
    root: PathBuf,
    prefix: &str,
) -> Result<BTreeMap<String, PathBuf>, CaseDirError> {
    walk::list(&walk::Folders::of(&[case.to_path_buf()]), &root, prefix)
        .map(|listed| listed.files)
        .map_err(|walk::ListError { path, source }| CaseDirError::List { path, source })
}

impl EvidenceSource for CaseDir {
    fn keys(&self) -> Vec<String> {
        self.files.keys().cloned().collect()
    }

    fn selection(&self) -> Option<&BTreeSet<String>> {
        self.selection.as_ref().map(|(keys, _)| keys)
    }

    fn open(&self, key: &str) -> io::Result<Box<dyn Read + '_>> {
        match self.files.get(key) {
            Some(path) => Ok(Box::new(fs::File::open(path)?)),
            None => Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("no file {key}"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(bytes: &[u8], name: Option<&str>) -> Vec<u8> {
        let mut builder = flate2::GzBuilder::new();
        if let Some(name) = name {
            builder = builder.filename(name);
        }
        let mut gz = builder.write(Vec::new(), flate2::Compression::fast());
        gz.write_all(bytes).unwrap();
        gz.finish().unwrap()
    }

    /// Inflated whole or streamed, a log file hashes the same, with the same trailing data,
    /// and a damaged one fails either way.
    #[test]
    fn a_log_file_hashes_the_same_whole_or_streamed() {
        let content = br#"{"Records":[{"eventName":"GetSecretValue"}]}"#.repeat(200);
        let one = gzip(&content, None);
        let named = gzip(&content, Some("x.json"));
        let mut two = one.clone();
        two.extend(gzip(b"{}", None));
        let mut garbage = one.clone();
        garbage.extend(b"not gzip");
        let mut crc = one.clone();
        let at = crc.len() - 6;
        crc[at] ^= 1;
        let mut hcrc = one.clone();
        hcrc[3] |= 0x02;
        let cases = [
            (&one, true),
            (&named, true),
            (&two, false),
            (&garbage, false),
            (&crc, false),
            (&hcrc, false),
            (&content, false),
        ];
        for (stored, whole) in cases {
            assert_eq!(one_member(stored).is_some(), whole);
            let a = hash_log_file(stored.as_slice()).map_err(|e| e.kind());
            let b = hash_streaming(stored.as_slice()).map_err(|e| e.kind());
            assert_eq!(a, b);
        }
        let hashed = hash_log_file(one.as_slice()).unwrap();
        assert_eq!(hashed.sha256, hex::encode(Sha256::digest(&content)));
        let appended = hash_log_file(two.as_slice()).unwrap().appended.unwrap();
        assert!(appended.gzip_member);
    }
}
