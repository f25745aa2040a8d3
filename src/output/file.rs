//! `-o, --output FILE`: records go to a temporary file in FILE's directory
//! (so the final rename never crosses file systems) and are renamed onto
//! FILE only when the run ends. An interrupted or failed write never leaves
//! half a file under the final name; a crash leaves at most a hidden
//! `.exitparse-*.tmp` beside it.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

/// The output file being written.
pub struct OutputFile {
    tmp: BufWriter<NamedTempFile>,
    path: PathBuf,
}

/// The directory a new file named `path` goes into.
fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Whether `a` and `b` name the same existing file.
fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

impl OutputFile {
    /// Creates the temporary file for `path`. Refuses a path that is one of
    /// `inputs` (it would be replaced while, or before, it is read) or a
    /// directory; the error is a sentence for a "bad command line" exit.
    pub fn create(path: &Path, inputs: &[PathBuf]) -> Result<OutputFile, String> {
        let shown = path.display();
        if let Some(input) = inputs.iter().find(|i| same_file(path, i)) {
            return Err(format!(
                "-o {shown}: that is an input ({}); write the output elsewhere",
                input.display()
            ));
        }
        if path.is_dir() {
            return Err(format!("-o {shown}: is a directory"));
        }
        // Inside a directory being read, the temporary file (and on the
        // next run the output) would be read back as an input.
        let dir = fs::canonicalize(parent(path)).unwrap_or_else(|_| parent(path).to_path_buf());
        if let Some(input) = inputs
            .iter()
            .filter(|i| i.is_dir())
            .find(|i| fs::canonicalize(i).is_ok_and(|i| dir.starts_with(i)))
        {
            return Err(format!(
                "-o {shown}: is inside the input directory {}; write the output elsewhere",
                input.display()
            ));
        }
        let tmp = tempfile::Builder::new()
            .prefix(".exitparse-")
            .suffix(".tmp")
            .tempfile_in(parent(path))
            .map_err(|e| format!("-o {shown}: cannot write there: {e}"))?;
        Ok(OutputFile {
            tmp: BufWriter::with_capacity(256 * 1024, tmp),
            path: path.to_path_buf(),
        })
    }

    /// Flushes and renames the temporary file onto the final path.
    pub fn commit(self) -> io::Result<()> {
        let tmp = self.tmp.into_inner().map_err(|e| e.into_error())?;
        tmp.as_file().sync_all()?;
        // A temporary file is private (0600); the output is an ordinary
        // file, readable like any other the user creates.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = tmp
                .as_file()
                .set_permissions(fs::Permissions::from_mode(0o644));
        }
        tmp.persist(&self.path).map(|_| ()).map_err(|e| {
            io::Error::new(
                e.error.kind(),
                format!("renaming onto {}: {}", self.path.display(), e.error),
            )
        })
    }
}

impl Write for OutputFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.tmp.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.tmp.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.tmp.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_under_the_final_name_until_commit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.jsonl");
        let mut f = OutputFile::create(&path, &[]).unwrap();
        f.write_all(b"{}\n").unwrap();
        f.flush().unwrap();
        assert!(!path.exists());
        f.commit().unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"{}\n");
        // Only the output is left: the temporary file was renamed.
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_dropped_run_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.jsonl");
        let mut f = OutputFile::create(&path, &[]).unwrap();
        f.write_all(b"half").unwrap();
        drop(f);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn refuses_an_input_and_a_missing_directory() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in.txt");
        fs::write(&input, "x").unwrap();
        let err = OutputFile::create(&input, std::slice::from_ref(&input))
            .err()
            .unwrap();
        assert!(err.contains("is an input"), "{err}");
        let err = OutputFile::create(&dir.path().join("out"), &[dir.path().to_path_buf()])
            .err()
            .unwrap();
        assert!(err.contains("inside the input directory"), "{err}");
        let err = OutputFile::create(&dir.path().join("no/such/out"), &[])
            .err()
            .unwrap();
        assert!(err.contains("cannot write there"), "{err}");
    }
}
