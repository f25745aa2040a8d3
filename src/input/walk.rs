//! Directory traversal: recursive, sorted by name so the output order never
//! depends on the file system, following symbolic links but telling loops
//! and unreadable entries instead of failing. Each real directory (device
//! and inode) is read once, however many links lead to it: links that
//! branch without looping (two per level, 31 levels) would otherwise read
//! one file 2^30 times.

use std::collections::HashSet;
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};

/// What the walk finds, in sorted order.
#[derive(Debug)]
pub enum Entry {
    /// A regular file (possibly reached through a symbolic link).
    File(PathBuf),
    /// Something that could not be read: an error.
    Problem(PathBuf, String),
    /// Something deliberately passed over (a FIFO, a socket, a device).
    Skipped(PathBuf, String),
}

/// Walks `root` (a directory), calling `visit` for each entry below it.
/// `visit` returns false to stop the walk.
pub fn walk(root: &Path, visit: &mut dyn FnMut(Entry) -> bool) {
    let mut seen = Seen::default();
    if let Ok(meta) = fs::metadata(root) {
        let id = identity(&meta);
        seen.ancestors.push(id);
        seen.read.insert(id);
    }
    walk_dir(root, &mut seen, visit);
}

/// The directories of one walk: those being read (a link back to one is a
/// loop) and all those read (a second way into one is passed over).
#[derive(Default)]
struct Seen {
    ancestors: Vec<(u64, u64)>,
    read: HashSet<(u64, u64)>,
}

/// Identity of a directory, to notice a symbolic link leading back into
/// one of its own ancestors.
#[cfg(unix)]
fn identity(meta: &fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

#[cfg(not(unix))]
fn identity(_meta: &fs::Metadata) -> (u64, u64) {
    // Without inode numbers loops are caught by the depth guard below.
    (0, 0)
}

/// Deeper than this is taken as a loop the identity check cannot see.
const MAX_DEPTH: usize = 256;

fn walk_dir(dir: &Path, seen: &mut Seen, visit: &mut dyn FnMut(Entry) -> bool) -> bool {
    let reader = match fs::read_dir(dir) {
        Ok(r) => r,
        Err(e) => return visit(Entry::Problem(dir.to_path_buf(), e.to_string())),
    };
    let mut names: Vec<OsString> = Vec::new();
    for entry in reader {
        match entry {
            Ok(e) => names.push(e.file_name()),
            Err(e) => {
                if !visit(Entry::Problem(dir.to_path_buf(), e.to_string())) {
                    return false;
                }
            }
        }
    }
    names.sort();
    for name in names {
        let path = dir.join(&name);
        // `metadata` follows symbolic links: a link to a file is read like a file.
        let meta = match fs::metadata(&path) {
            Ok(m) => m,
            Err(e) => {
                let why = if fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
                    format!("broken symbolic link ({e})")
                } else {
                    e.to_string()
                };
                if !visit(Entry::Problem(path, why)) {
                    return false;
                }
                continue;
            }
        };
        let keep_going = if meta.is_dir() {
            let id = identity(&meta);
            let known = id != (0, 0);
            if (known && seen.ancestors.contains(&id)) || seen.ancestors.len() >= MAX_DEPTH {
                visit(Entry::Problem(
                    path,
                    "symbolic link loop (directory already being read)".to_string(),
                ))
            } else if known && !seen.read.insert(id) {
                visit(Entry::Skipped(
                    path,
                    "directory already read through another link".to_string(),
                ))
            } else {
                seen.ancestors.push(id);
                let go = walk_dir(&path, seen, visit);
                seen.ancestors.pop();
                go
            }
        } else if meta.is_file() {
            visit(Entry::File(path))
        } else {
            visit(Entry::Skipped(path, "not a regular file".to_string()))
        };
        if !keep_going {
            return false;
        }
    }
    true
}
