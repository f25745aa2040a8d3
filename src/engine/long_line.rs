//! Runaway lines: no line-based dump (describe, listings, YAML) has a line
//! anywhere near [`MAX_LINE`], so a longer one is damage or hostile input
//! (a 1 GB line of one character) and is never handed to a parser. A
//! stream stops there ([`super::stream`]); a stored file skips the line
//! and reads on ([`find`]). JSON may be one line of any length (a `jq -c`
//! array): it is cut at its elements instead, so it is never limited.

use std::ops::Range;
use std::sync::Arc;

use super::work::{Note, NoteKind, Output};
use crate::format::Parser;

/// The longest line a line-based dump may have.
pub const MAX_LINE: usize = 16 << 20;

/// Whether `parser` reads lines, so that [`MAX_LINE`] applies to it.
pub fn limited(parser: Parser) -> bool {
    parser != Parser::Json
}

/// The lines of `text` longer than `max` bytes (newline not counted),
/// each with its newline, in order. Reads only a few bytes per `max`
/// bytes of ordinary text (the last newline of each window, found from
/// its end); a runaway line is scanned once, never copied.
pub fn find(text: &[u8], max: usize) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut start = 0;
    while text.len() - start > max {
        let window = &text[start..start + max + 1];
        match memchr::memrchr(b'\n', window) {
            // Every line ending in the window is short enough.
            Some(k) => start += k + 1,
            None => {
                let end = memchr::memchr(b'\n', &text[start + max + 1..])
                    .map_or(text.len(), |k| start + max + 1 + k + 1);
                found.push(start..end);
                start = end;
            }
        }
    }
    found
}

/// The error for a line of `bytes` bytes at `line` of `path`, passed over.
pub fn skipped(path: &Arc<str>, line: u64, bytes: usize) -> Output {
    Output {
        notes: vec![Note {
            path: path.clone(),
            line,
            kind: NoteKind::Error,
            message: format!(
                "line longer than {} MiB ({bytes} bytes), which no dump has; skipped",
                MAX_LINE >> 20
            ),
        }],
        bytes: bytes as u64,
        ..Output::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_line_over_the_limit_with_its_newline() {
        assert!(find(b"", 4).is_empty());
        assert!(find(b"abcd\nabcd\nabcd", 4).is_empty());
        assert_eq!(find(b"abcde\n", 4), vec![0..6]);
        assert_eq!(find(b"ab\nabcdefgh\nab\nxxxxx", 4), vec![3..12, 15..20]);
        assert_eq!(find(b"ab\nabcd\nabcdefghij", 4), vec![8..18]);
        // Many short lines in one window, then a long one.
        let mut text = b"a\nbb\nc\n".repeat(100);
        let at = text.len();
        text.extend_from_slice(b"0123456789\nok\n");
        assert_eq!(find(&text, 8), vec![at..at + 11]);
    }

    #[test]
    fn agrees_with_a_plain_count_of_line_lengths() {
        let text: Vec<u8> = (0..50_000u32)
            .map(|i| {
                if (i * 7919) % 23 == 0 || i % 97 == 0 {
                    b'\n'
                } else {
                    b'x'
                }
            })
            .collect();
        for max in [1, 5, 20, 60, 200] {
            let mut expected = Vec::new();
            let mut start = 0;
            for (k, &b) in text.iter().enumerate() {
                if b == b'\n' {
                    if k - start > max {
                        expected.push(start..k + 1);
                    }
                    start = k + 1;
                }
            }
            if text.len() - start > max {
                expected.push(start..text.len());
            }
            assert_eq!(find(&text, max), expected, "max {max}");
        }
    }

    #[test]
    fn json_is_never_limited() {
        assert!(!limited(Parser::Json));
        assert!(limited(Parser::Describe));
        assert!(limited(Parser::Yaml));
    }
}
