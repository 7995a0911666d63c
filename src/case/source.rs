//! Where verification reads evidence from: a small trait, with an in-memory and a case-directory version.
//!
//! Keys are the S3 keys as stored under the case's `cloudtrail/` folder (`AWSLogs/...`), `/`-separated, plus
//! `public-keys.json` and the `<digest key>.signature` sidecars. Only [`CaseDir`] touches the file system.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

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
    /// which is what a digest's `hashValue` covers. A source that already knows it may answer without
    /// reading the file.
    fn decompressed_sha256(&self, key: &str) -> io::Result<String> {
        sha256_of_decompressed(self.open(key)?)
    }
}

/// Stream-hash a possibly gzip-compressed file without holding it in memory.
pub fn sha256_of_decompressed(reader: impl Read) -> io::Result<String> {
    let mut reader = BufReader::new(reader);
    let is_gzip = reader.fill_buf()?.starts_with(&[0x1f, 0x8b]);
    let mut hasher = Sha256::new();
    if is_gzip {
        io::copy(
            &mut flate2::bufread::MultiGzDecoder::new(reader),
            &mut hasher,
        )?;
    } else {
        io::copy(&mut reader, &mut hasher)?;
    }
    Ok(hex::encode(hasher.finalize()))
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
}

impl CaseDir {
    /// List the files under `<case>/cloudtrail/`. Symbolic links to directories are not followed, so a
    /// case cannot loop.
    pub fn open(case: &Path) -> Result<Self, CaseDirError> {
        let root = case.join("cloudtrail");
        if !root.is_dir() {
            return Err(CaseDirError::NoCloudTrail(case.to_path_buf()));
        }
        let mut files = BTreeMap::new();
        let mut pending = vec![(root, String::new())];
        while let Some((dir, prefix)) = pending.pop() {
            let list_error = |source| CaseDirError::List {
                path: dir.clone(),
                source,
            };
            for entry in fs::read_dir(&dir).map_err(list_error)? {
                let entry = entry.map_err(list_error)?;
                let name = entry.file_name().to_string_lossy().into_owned();
                let key = format!("{prefix}{name}");
                let kind = entry.file_type().map_err(list_error)?;
                if kind.is_dir() {
                    pending.push((entry.path(), format!("{key}/")));
                } else if kind.is_file() || (kind.is_symlink() && entry.path().is_file()) {
                    files.insert(key, entry.path());
                }
            }
        }
        Ok(Self { files })
    }
}

impl EvidenceSource for CaseDir {
    fn keys(&self) -> Vec<String> {
        self.files.keys().cloned().collect()
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
