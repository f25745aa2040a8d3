//! What the unit tests share: where the real-world dumps are, and the
//! files below a directory.

use std::path::{Path, PathBuf};

/// `../shared` beside the checkout (or `$EXITPARSE_SHARED`), when it is
/// there: the real dumps some tests also read. Tests skip them without it;
/// the project never depends on them.
pub fn shared() -> Option<PathBuf> {
    let dir = std::env::var_os("EXITPARSE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    dir.join("realworld").is_dir().then_some(dir)
}

/// Every file below `dir`, recursively and sorted; none when `dir` is
/// missing.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(d) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for p in entries.flatten().map(|e| e.path()) {
            if p.is_dir() {
                dirs.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}
