//! What the unit tests share: where the real-world dumps are.

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
