//! One large input parsed in parallel: cut at the parser's record
//! boundaries into pieces of a few MiB, parsed by the pool with a sliding
//! window of pieces in flight (memory stays bounded, no barrier idles a
//! core), written in order.
//!
//! Piece sizes never depend on `--jobs`, so neither does the output.

use std::collections::VecDeque;
use std::io;
use std::ops::Range;
use std::sync::Arc;
use std::sync::mpsc;

use rayon::ThreadPool;

use super::work::{self, Ctx, Output};
use crate::format::{self, Chunk, Parser};
use crate::input::Unit;

/// Target size of one piece.
pub const PIECE: usize = 2 << 20;
/// Inputs at least this large are split.
pub const SPLIT_MIN: usize = 2 * PIECE;

/// The text of a large input, shareable with the pool's tasks.
#[derive(Clone)]
pub enum Text {
    /// The input's own bytes from `skip` on (after a UTF-8 BOM).
    Unit(Arc<Unit>, usize),
    /// Decoded text (transcoded UTF-16, a stream's batch).
    Owned(Arc<Vec<u8>>),
}

impl Text {
    pub fn bytes(&self) -> &[u8] {
        match self {
            Text::Unit(u, skip) => &u.bytes[*skip..],
            Text::Owned(v) => v,
        }
    }
}

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

/// Number of `\n` in `bytes` (memchr counts with SIMD: ~10 GB/s).
pub fn count_lines(bytes: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', bytes).count() as u64
}

/// Parses `ranges` of `text` (whose first byte is at `first_line` and
/// `first_offset` of the input) on `pool`, handing the outputs to `emit`
/// in order. The caller's thread counts lines ahead of the workers, so
/// each piece starts with its absolute line, and knows where the line
/// holding its first byte starts (`first_line_offset` for the first piece).
/// Returns the lines spanned.
#[allow(clippy::too_many_arguments)]
pub fn run(
    pool: &ThreadPool,
    ctx: &Arc<Ctx>,
    path: &Arc<str>,
    parser: Parser,
    text: &Text,
    ranges: &[Range<usize>],
    first_line: u64,
    first_offset: u64,
    first_line_offset: u64,
    emit: &mut dyn FnMut(Output) -> io::Result<()>,
) -> io::Result<u64> {
    let mut line_offset = first_line_offset;
    let window = (3 * pool.current_num_threads()).max(8);
    let mut in_flight = VecDeque::with_capacity(window);
    let mut line = first_line;
    let mut next = ranges.iter();
    loop {
        while in_flight.len() < window {
            let Some(r) = next.next() else { break };
            let (tx, rx) = mpsc::sync_channel(1);
            let (task_text, ctx, path, r2) = (text.clone(), ctx.clone(), path.clone(), r.clone());
            let (chunk_line, chunk_line_offset) = (line, line_offset);
            pool.spawn(move || {
                let chunk = Chunk {
                    bytes: &task_text.bytes()[r2.clone()],
                    first_line: chunk_line,
                    first_offset: first_offset + r2.start as u64,
                };
                let _ = tx.send(work::piece(&ctx, &path, parser, chunk, chunk_line_offset));
            });
            let piece = &text.bytes()[r.clone()];
            line += count_lines(piece);
            if let Some(k) = memchr::memrchr(b'\n', piece) {
                line_offset = first_offset + (r.start + k + 1) as u64;
            }
            in_flight.push_back(rx);
        }
        let Some(rx) = in_flight.pop_front() else {
            break;
        };
        let out = rx.recv().unwrap_or_else(|_| {
            Output::problem(
                path.clone(),
                "internal error: a worker thread died".to_string(),
            )
        });
        emit(out)?;
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
        let text: Vec<u8> = (0..100_000u32)
            .map(|i| if i % 7 == 0 { b'\n' } else { b'x' })
            .collect();
        assert_eq!(
            count_lines(&text),
            text.iter().filter(|&&b| b == b'\n').count() as u64
        );
    }
}
