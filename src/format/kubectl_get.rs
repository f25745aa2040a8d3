//! Placeholder until the kubectl_get parser lands.

use super::{Chunk, Diagnostic, Parsed};

/// Parses one chunk.
pub fn parse(chunk: Chunk<'_>) -> Parsed {
    Parsed {
        observations: Vec::new(),
        diagnostics: vec![Diagnostic::error(
            chunk.first_line,
            "kubectl_get parser not built yet",
        )],
    }
}

/// True for the listing's header line.
pub fn is_header(_line: &[u8]) -> bool {
    false
}

/// True for a row of a listing whose header was cut off.
pub fn is_headerless_row(_line: &[u8]) -> bool {
    false
}
