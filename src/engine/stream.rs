//! Streamed inputs (stdin, FIFOs): read in blocks by a reader thread, parsed
//! up to the last complete record whenever input pauses or a batch fills,
//! and flushed at once, so `kubectl describe pods -A | exitparse` prints
//! each pod as soon as the next one starts. Memory stays bounded whatever
//! the stream's length: a few blocks in flight plus one batch.

use std::io::{self, Read};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, TryRecvError};

use rayon::ThreadPool;

use super::long_line::{self, MAX_LINE};
use super::split::{self, PIECE, Text};
use super::work::{Ctx, Holds, Output};
use crate::format;
use crate::format::detect::{self, Detection, HEAD_LEN};
use crate::input::decode::StreamDecoder;
use crate::input::{Limits, Stream};

/// Size of one read.
const BLOCK: usize = 1 << 20;
/// Blocks queued between the reader thread and the parser.
const QUEUE: usize = 8;
/// Bytes gathered before parsing when input arrives faster than it parses.
const BATCH: usize = 8 << 20;

enum Block {
    Data(Vec<u8>),
    Failed(io::Error),
}

fn spawn_reader(mut reader: Box<dyn Read + Send>) -> Receiver<Block> {
    let (tx, rx) = mpsc::sync_channel(QUEUE);
    std::thread::spawn(move || {
        loop {
            let mut block = vec![0u8; BLOCK];
            match reader.read(&mut block) {
                Ok(0) => return,
                Ok(n) => {
                    block.truncate(n);
                    if tx.send(Block::Data(block)).is_err() {
                        return;
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    let _ = tx.send(Block::Failed(e));
                    return;
                }
            }
        }
    });
    rx
}

/// The stream's state between batches.
struct Reading {
    rx: Receiver<Block>,
    decoder: StreamDecoder,
    /// Decoded text not parsed yet.
    buf: Vec<u8>,
    eof: bool,
    /// No more input was waiting at the last look.
    idle: bool,
    raw_bytes: u64,
    error: Option<io::Error>,
}

impl Reading {
    fn take(&mut self, block: Block) {
        match block {
            Block::Data(b) => {
                self.raw_bytes += b.len() as u64;
                self.decoder.feed(&b, &mut self.buf);
            }
            Block::Failed(e) => {
                self.error = Some(e);
                self.end();
            }
        }
    }

    fn end(&mut self) {
        if !self.eof {
            self.eof = true;
            self.decoder.finish(&mut self.buf);
        }
    }

    /// Waits for input (if `block`), then takes whatever else is already
    /// there, up to a batch more.
    fn gather(&mut self, block: bool) {
        if self.eof {
            return;
        }
        let limit = self.buf.len() + BATCH;
        if block {
            match self.rx.recv() {
                Ok(b) => self.take(b),
                Err(_) => return self.end(),
            }
        }
        self.idle = false;
        while !self.eof && self.buf.len() < limit {
            match self.rx.try_recv() {
                Ok(b) => self.take(b),
                Err(TryRecvError::Empty) => {
                    self.idle = true;
                    return;
                }
                Err(TryRecvError::Disconnected) => self.end(),
            }
        }
    }
}

/// Reads `stream` to its end, writing records batch by batch through
/// `emit` and flushing `out` after each.
pub fn run(
    pool: &ThreadPool,
    ctx: &Arc<Ctx>,
    limits: Limits,
    stream: Stream,
    emit: &mut dyn FnMut(Output) -> io::Result<()>,
    flush: &mut dyn FnMut() -> io::Result<()>,
) -> io::Result<()> {
    let path = stream.path.clone();
    let mut r = Reading {
        rx: spawn_reader(stream.reader),
        decoder: StreamDecoder::new(),
        buf: Vec::new(),
        eof: false,
        idle: false,
        raw_bytes: stream.head.len() as u64,
        error: None,
    };
    r.decoder.feed(&stream.head, &mut r.buf);

    // Detection: on the first 64 KiB, or earlier when input pauses on
    // something that already looks like a dump (a slow `kubectl` pipe).
    let parser = loop {
        let enough = r.buf.len() >= HEAD_LEN || r.eof;
        // A small paste read to its end that needs repairs (quoted,
        // wrapped, collapsed: `format::repair`) is parsed whole.
        if r.eof
            && r.buf.len() < split::SPLIT_MIN
            && r.error.is_none()
            && crate::format::repair::repair(&r.buf).is_some()
        {
            let unit = crate::input::Unit {
                path: path.clone(),
                bytes: crate::input::Bytes::Owned(std::mem::take(&mut r.buf)),
                named: true,
            };
            let mut out = super::work::unit(ctx, &unit);
            out.bytes = r.raw_bytes;
            return emit(out);
        }
        if enough || r.idle {
            let verdict = match ctx.forced {
                Some(p) => super::work::forced(p, &r.buf),
                None => detect::detect(&r.buf),
            };
            match verdict {
                Detection::Dump(p) => break p,
                Detection::NotADump(why) if enough => {
                    let mut out = Output::problem(path.clone(), read_error(&mut r).unwrap_or(why));
                    out.files = 1;
                    out.bytes = r.raw_bytes;
                    return emit(out);
                }
                Detection::Empty if enough => {
                    if let Some(why) = read_error(&mut r) {
                        let mut out = Output::problem(path.clone(), why);
                        out.files = 1;
                        return emit(out);
                    }
                    return emit(Output::notice(
                        path.clone(),
                        "empty input: nothing to read".to_string(),
                        r.raw_bytes,
                    ));
                }
                Detection::NotADump(_) | Detection::Empty => {}
            }
        }
        r.gather(r.idle);
    };

    let mut line = 1u64;
    let mut offset = r.decoder.skipped();
    // Where the line holding `offset` starts: a batch may be cut mid-line.
    let mut line_offset = offset;
    let mut counted = 0u64;
    let mut retry_at = 0usize;
    let mut holds = Holds::Nothing;
    let mut seen = Output::default();
    loop {
        // Everything up to the last record start is complete; at the end
        // of input, everything is.
        let cut = if r.eof {
            r.buf.len()
        } else if r.buf.len() < retry_at {
            0
        } else {
            let min = if r.idle { 1 } else { PIECE };
            let cuts = format::boundaries(parser, &r.buf, min);
            let cut = cuts
                .last()
                .copied()
                .filter(|&c| c < r.buf.len())
                .unwrap_or(0);
            // A record that will not end (a List's `items`, which offers no
            // cut) is looked at again only once the buffer has doubled, so
            // scanning stays linear in the input.
            // Small buffers (a slow `kubectl`) are always looked at.
            retry_at = if cut == 0 && r.buf.len() >= 1 << 20 {
                2 * r.buf.len()
            } else {
                0
            };
            cut
        };
        if cut > 0 {
            let cuts = if r.eof || cut >= 2 * PIECE {
                format::boundaries(parser, &r.buf[..cut], PIECE)
            } else {
                Vec::new()
            };
            let ranges = split::group(&cuts, cut, PIECE);
            // The batch moves out to the workers; the rest (a partial
            // record) stays for the next one.
            let rest = r.buf[cut..].to_vec();
            r.buf.truncate(cut);
            let text = Text::Owned(Arc::new(std::mem::replace(&mut r.buf, rest)));
            let mut first = true;
            let raw_now = r.raw_bytes - counted;
            line += split::run(
                pool,
                ctx,
                &path,
                parser,
                &text,
                &ranges,
                line,
                offset,
                line_offset,
                &mut |mut out| {
                    seen.absorb(&out);
                    // Byte counts follow the raw stream, told once per batch.
                    out.bytes = if first { raw_now } else { 0 };
                    first = false;
                    holds.merge(&out.holds);
                    emit(out)
                },
            )?;
            counted = r.raw_bytes;
            if let Some(k) = memchr::memrchr(b'\n', text.bytes()) {
                line_offset = offset + k as u64 + 1;
            }
            offset += cut as u64;
            flush()?;
        } else if let Some(at) = runaway_line(parser, &r.buf) {
            // A line-based dump has no line this long: it is held no further.
            let line = line + split::count_lines(&r.buf[..at]);
            let mut out = Output::problem(
                path.clone(),
                format!(
                    "line {line} is longer than {} MiB, which no dump has; rest of input skipped",
                    MAX_LINE >> 20
                ),
            );
            out.files = 1;
            return emit(out);
        } else if !r.eof && r.buf.len() as u64 > limits.member {
            // A listing offers no record boundaries; a runaway one must
            // not take all memory.
            let mut out = Output::problem(
                path.clone(),
                format!("{}; rest of input skipped", limits.member_message()),
            );
            out.files = 1;
            return emit(out);
        }
        if r.eof {
            break;
        }
        // After a full batch more input may already wait: look without
        // blocking first, so complete records are never held back.
        let was_idle = r.idle;
        r.gather(was_idle);
    }
    let mut done = Output {
        files: 1,
        ..Output::default()
    };
    // A stream is named on the command line (`-`, a FIFO): one that holds
    // no dump is an error, as a named file is.
    if let Some(message) = read_error(&mut r).or_else(|| holds.verdict()) {
        done.notes.push(super::work::Note {
            path,
            line: 0,
            kind: super::work::NoteKind::Error,
            message,
        });
    } else {
        done.notes
            .extend(super::work::found_nothing(ctx, &path, true, &seen));
    }
    emit(done)?;
    flush()
}

/// Where a line longer than [`MAX_LINE`] starts at the end of `buf`, for
/// parsers that read lines (describe, listings, YAML).
fn runaway_line(parser: format::Parser, buf: &[u8]) -> Option<usize> {
    if !long_line::limited(parser) || buf.len() <= MAX_LINE {
        return None;
    }
    let tail = &buf[buf.len() - MAX_LINE - 1..];
    match memchr::memrchr(b'\n', tail) {
        Some(_) => None,
        None => Some(memchr::memrchr(b'\n', &buf[..buf.len() - tail.len()]).map_or(0, |k| k + 1)),
    }
}

fn read_error(r: &mut Reading) -> Option<String> {
    r.error.take().map(|e| format!("reading: {e}"))
}
