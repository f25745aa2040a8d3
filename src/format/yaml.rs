//! Placeholder until the yaml parser lands.

use super::{Chunk, Diagnostic, Parsed};

/// Parses one chunk.
pub fn parse(chunk: Chunk<'_>) -> Parsed {
    Parsed {
        observations: Vec::new(),
        diagnostics: vec![Diagnostic::error(
            chunk.first_line,
            "yaml parser not built yet",
        )],
    }
}

/// Record boundaries (none yet).
pub fn boundaries(_bytes: &[u8], _min_piece: usize) -> Vec<usize> {
    Vec::new()
}
