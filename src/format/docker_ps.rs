//! Placeholder until the docker_ps parser lands.

use super::{Chunk, Diagnostic, Parsed};

/// Parses one chunk.
pub fn parse(chunk: Chunk<'_>) -> Parsed {
    Parsed {
        observations: Vec::new(),
        diagnostics: vec![Diagnostic::error(
            chunk.first_line,
            "docker_ps parser not built yet",
        )],
    }
}

/// True for the listing's header line.
pub fn is_header(_line: &[u8]) -> bool {
    false
}
