//! Finding and reading inputs: files (memory-mapped), stdin, directories and
//! archives. Produces named byte sources; knows nothing about formats.

use std::fs::File;
use std::io::Read;
use std::path::Path;

/// The bytes of one input: mapped from a file, or read into memory.
pub enum Bytes {
    Mapped(memmap2::Mmap),
    Owned(Vec<u8>),
}

impl std::ops::Deref for Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Mapped(m) => m,
            Bytes::Owned(v) => v,
        }
    }
}

/// Reads a regular file through a memory map, falling back to `read` where
/// mapping fails (special files, some network file systems).
pub fn read_file(path: &Path) -> std::io::Result<Bytes> {
    let file = File::open(path)?;
    let len = file.metadata()?.len();
    if len > 0 {
        // SAFETY: the map is read-only and lives as long as `Bytes`. If another
        // process truncates the file meanwhile, reads past the new end fault;
        // support bundles are archived, not live, which is the accepted risk
        // ripgrep takes too.
        if let Ok(map) = unsafe { memmap2::Mmap::map(&file) } {
            return Ok(Bytes::Mapped(map));
        }
    }
    let mut buf = Vec::with_capacity(len as usize);
    (&file).read_to_end(&mut buf)?;
    Ok(Bytes::Owned(buf))
}

/// Reads all of stdin.
pub fn read_stdin() -> std::io::Result<Bytes> {
    let mut buf = Vec::new();
    std::io::stdin().lock().read_to_end(&mut buf)?;
    Ok(Bytes::Owned(buf))
}
