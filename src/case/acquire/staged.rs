//! An object streamed into the case: its bytes go to the file's temporary name as they arrive
//! (hashed on the way), can be read back for checks, and enter the case and its manifest only
//! on [`Staged::commit`]; dropped uncommitted, the temporary file is removed. So no object is
//! ever held whole in memory, whatever its size.

use super::atomic::{create_new, partial_name};
use super::CaseWriter;
use crate::case::sink::{Provenance, Staged};
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{BufReader, Read, Seek, Write};
use std::path::PathBuf;

pub(super) struct CaseStaged<'a> {
    writer: &'a CaseWriter,
    rel: String,
    full: PathBuf,
    tmp: PathBuf,
    file: File,
    sha256: Sha256,
    len: u64,
    committed: bool,
}

impl<'a> CaseStaged<'a> {
    pub(super) fn new(writer: &'a CaseWriter, rel: &str, full: PathBuf) -> std::io::Result<Self> {
        let tmp = partial_name(&full);
        let file = create_new(&tmp)?;
        Ok(CaseStaged {
            writer,
            rel: rel.to_string(),
            full,
            tmp,
            file,
            sha256: Sha256::new(),
            len: 0,
            committed: false,
        })
    }
}

impl Write for CaseStaged<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.file.write(buf)?;
        self.sha256.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

impl Staged for CaseStaged<'_> {
    fn reader(&mut self) -> std::io::Result<Box<dyn Read + '_>> {
        let mut f = File::open(&self.tmp)?;
        f.rewind()?;
        Ok(Box::new(BufReader::with_capacity(1 << 16, f)))
    }

    fn commit(mut self: Box<Self>, provenance: Provenance) -> std::io::Result<()> {
        self.file.sync_data()?;
        std::fs::rename(&self.tmp, &self.full)?;
        self.committed = true;
        let sha256 = hex::encode(std::mem::take(&mut self.sha256).finalize());
        self.writer
            .record(&self.rel, &self.full, self.len, sha256, provenance)
    }
}

impl Drop for CaseStaged<'_> {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}
