//! One large input parsed in parallel: cut at the parser's record
//! boundaries into pieces of a few MiB, parsed by the pool a window at a
//! time (memory stays bounded), written in order.
//!
//! Piece sizes never depend on `--jobs`, so neither does the output.

use std::io;
use std::ops::Range;
use std::sync::Arc;

use rayon::ThreadPool;
use rayon::prelude::*;

use super::work::{self, Ctx, Output};
use crate::format::{self, Chunk, Parser};

/// Target size of one piece.
pub const PIECE: usize = 2 << 20;
/// Inputs at least this large are split.
pub const SPLIT_MIN: usize = 2 * PIECE;
/// Pieces parsed before their output is written.
const WINDOW: usize = 16;

/// Pieces of `text` as the parser allows, each about [`PIECE`] long (one
/// piece when the parser offers no boundaries).
pub fn plan(parser: Parser, text: &[u8]) -> Vec<Range<usize>> {
    let cuts = format::boundaries(parser, text, PIECE);
    group(&cuts, text.len(), PIECE)
}

/// Ranges covering `0..len` cut at some of `cuts` (record starts), each
/// at least `target` long where the cuts allow. Cuts out of order or out
/// of bounds are ignored, so a parser's mistake cannot lose bytes.
pub fn group(cuts: &[usize], len: usize, target: usize) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut start = 0;
    for &cut in cuts {
        if cut > start && cut < len && cut - start >= target {
            ranges.push(start..cut);
            start = cut;
        }
    }
    if start < len || ranges.is_empty() {
        ranges.push(start..len);
    }
    ranges
}

/// Number of `\n` in `bytes` (written to vectorize).
pub fn count_lines(bytes: &[u8]) -> u64 {
    bytes
        .chunks(4096)
        .map(|c| c.iter().map(|&b| (b == b'\n') as u32).sum::<u32>() as u64)
        .sum()
}

/// Parses `ranges` of `text` (an input whose `text[0]` is at `first_line`
/// and `first_offset`) on `pool`, handing the outputs to `emit` in order.
/// Returns the number of lines the ranges span.
#[allow(clippy::too_many_arguments)]
pub fn run(
    pool: &ThreadPool,
    ctx: &Ctx,
    path: &Arc<str>,
    parser: Parser,
    text: &[u8],
    ranges: &[Range<usize>],
    first_line: u64,
    first_offset: u64,
    emit: &mut dyn FnMut(Output) -> io::Result<()>,
) -> io::Result<u64> {
    let mut line = first_line;
    for window in ranges.chunks(WINDOW) {
        // Each piece is parsed as if it began at line 1 and counts its own
        // lines while it is hot in cache; the shifts follow in order.
        let parsed: Vec<_> = pool.install(|| {
            window
                .par_iter()
                .map(|r| {
                    let bytes = &text[r.clone()];
                    let chunk = Chunk {
                        bytes,
                        first_line: 1,
                        first_offset: first_offset + r.start as u64,
                    };
                    (work::parse(parser, chunk), count_lines(bytes))
                })
                .collect()
        });
        let mut shifted = Vec::with_capacity(parsed.len());
        for (p, lines) in parsed {
            shifted.push((p, line - 1));
            line += lines;
        }
        let outputs: Vec<Output> = pool.install(|| {
            shifted
                .into_par_iter()
                .map(|(p, shift)| work::finish(ctx, path, p, shift))
                .collect()
        });
        for out in outputs {
            emit(out)?;
        }
    }
    Ok(line - first_line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_keeps_every_byte_and_ignores_bad_cuts() {
        assert_eq!(group(&[], 10, 4), vec![0..10]);
        assert_eq!(group(&[2, 5, 7, 9], 10, 4), vec![0..5, 5..9, 9..10]);
        assert_eq!(group(&[5, 3, 12, 0], 10, 1), vec![0..5, 5..10]);
        assert_eq!(group(&[], 0, 4), vec![0..0]);
    }

    #[test]
    fn counts_lines() {
        assert_eq!(count_lines(b""), 0);
        assert_eq!(count_lines(b"a\nb\n\n"), 3);
        assert_eq!(count_lines(&vec![b'\n'; 10_000]), 10_000);
    }
}
