//! Where acquired evidence goes: the traits the case writer ([`super::acquire::CaseWriter`])
//! implements and every source writes to, so the sources never touch the file system and tests
//! can collect into memory. Sources acquire *into* the case, so these belong to the case, below
//! `source`: plain `std::io`, no AWS SDK, nothing of the crate.

/// The S3 facts about a stored object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Provenance {
    pub bucket: String,
    pub key: String,
    pub etag: Option<String>,
    pub version_id: Option<String>,
    /// RFC 3339 UTC.
    pub last_modified: Option<String>,
}

/// Where stored bytes came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    /// `s3://bucket/key` or `aws:<service>:<operation>:<region>[:page N]`.
    pub source: String,
    pub s3: Option<S3Provenance>,
}

impl Provenance {
    pub fn api(service: &str, operation: &str, region: &str) -> Self {
        Provenance {
            source: format!("aws:{service}:{operation}:{region}"),
            s3: None,
        }
    }
}

/// An object being streamed into the sink: written piece by piece, read back for checks, and
/// part of the evidence only once committed (dropped uncommitted, it leaves nothing behind).
pub trait Staged: std::io::Write + Send {
    /// What was written so far, from its start.
    fn reader(&mut self) -> std::io::Result<Box<dyn std::io::Read + '_>>;
    /// Put it in place, with its provenance.
    fn commit(self: Box<Self>, provenance: Provenance) -> std::io::Result<()>;
}

/// The stored bytes of an earlier run, read from the case as they are needed.
pub type StoredReader<'a> = Box<dyn std::io::Read + Send + 'a>;

/// Receives what a source acquired. Every method must be safe to call from many tasks.
pub trait Sink: Send + Sync {
    /// Store `bytes` at `path` (relative, `/`-separated) exactly as given.
    fn store(&self, path: &str, bytes: &[u8], provenance: Provenance) -> std::io::Result<()>;
    /// Start streaming an object to `path` (for objects of any size: nothing holds it whole).
    fn stage(&self, path: &str) -> std::io::Result<Box<dyn Staged + '_>>;
    /// The bytes stored at `path` when an earlier run acquired it from an object with this ETag
    /// and they still hash to what the manifest says (a resumed run), as a reader; `None` when
    /// it must be fetched.
    fn already_acquired(&self, path: &str, etag: &str) -> Option<StoredReader<'_>>;
    /// Forget files stored earlier under `prefix` that this run replaces (e.g. LookupEvents pages).
    fn replace_prefix(&self, prefix: &str);
    /// One API request was made.
    fn api_call(&self, service: &str, operation: &str, region: &str, ok: bool);
    /// Something could not be acquired.
    fn gap(&self, source: &str, reason: &str, permission: Option<&str>);
    /// Something the user should know about how the acquisition went (not a gap).
    fn notice(&self, message: &str);
    /// An object was skipped because an earlier run already has it.
    fn skipped(&self, bytes: u64);
    /// Work is known: `objects` more objects of `bytes` in total are about to be fetched.
    fn planned(&self, objects: u64, bytes: u64);
    /// LookupEvents returned `n` more events.
    fn events(&self, n: u64);
    /// An Athena query started (`scanned: None`) or ended, having scanned this many bytes.
    fn query(&self, _scanned: Option<u64>) {}
    /// Everything this run stores from now on, once known: the paths of the S3 objects about
    /// to be fetched (a digest's with its `.signature`). Called at most once, after every
    /// other file is stored, so that the files can be read while they arrive.
    fn fetching(&self, _paths: &[String]) {}
    /// The fetch of one object is over: its `paths` are stored, or will not be.
    fn settled(&self, _paths: &[String]) {}
}
