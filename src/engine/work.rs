//! What a worker does with one input or one piece of it: decode, detect,
//! parse, classify, filter, render. Runs on rayon threads; never writes.

use std::borrow::Cow;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use crate::filter::Filter;
use crate::format::detect::{self, Detection, HEAD_LEN};
use crate::format::{self, Chunk, Parsed, Parser, Severity};
use crate::input::{Unit, decode};
use crate::output::{Record, StreamFormat};

/// Settings every worker shares.
pub struct Ctx {
    /// Renders in workers (JSON lines, CSV); `None`: records go whole to a
    /// collecting format on the writer's side.
    pub render: Option<Box<dyn StreamFormat>>,
    /// `None` when no filter flag narrows the output.
    pub filter: Option<Filter>,
    /// `--input-format`.
    pub forced: Option<Parser>,
    /// Its name as given, for the error when it finds nothing.
    pub forced_name: String,
    pub verbose: bool,
}

/// How a diagnostic is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteKind {
    Error,
    Notice,
}

/// A diagnostic waiting for its turn on stderr (told in input order).
#[derive(Debug)]
pub struct Note {
    pub path: Arc<str>,
    pub line: u64,
    pub kind: NoteKind,
    pub message: String,
}

/// The result of some work, handed to the writer in input order.
#[derive(Default)]
pub struct Output {
    pub notes: Vec<Note>,
    /// Rendered records (stream formats).
    pub rendered: Vec<u8>,
    /// Records themselves (collecting formats).
    pub records: Vec<Record>,
    /// Records kept.
    pub count: u64,
    /// Input bytes covered.
    pub bytes: u64,
    /// Inputs finished.
    pub files: u64,
    /// Containers the parser found, before filtering: a forced
    /// `--input-format` that finds none is an error.
    pub found: u64,
}

impl Output {
    /// Adds what `piece` found and whether it told an error, for the
    /// verdict on a whole input read piece by piece ([`found_nothing`]).
    pub fn absorb(&mut self, piece: &Output) {
        self.found += piece.found;
        if self.notes.is_empty()
            && let Some(e) = piece.notes.iter().find(|n| n.kind == NoteKind::Error)
        {
            self.notes.push(Note {
                path: e.path.clone(),
                line: e.line,
                kind: NoteKind::Error,
                message: String::new(),
            });
        }
    }

    /// An input that could not be read.
    pub fn problem(path: Arc<str>, message: String) -> Output {
        Output {
            notes: vec![Note {
                path,
                line: 0,
                kind: NoteKind::Error,
                message,
            }],
            ..Output::default()
        }
    }

    /// A notice about an input, always shown; the exit status is unaffected.
    pub fn notice(path: Arc<str>, message: String, bytes: u64) -> Output {
        Output {
            files: 1,
            bytes,
            notes: vec![Note {
                path,
                line: 0,
                kind: NoteKind::Notice,
                message,
            }],
            ..Output::default()
        }
    }

    /// An input passed over; listed only with `--verbose`.
    pub fn skipped(ctx: &Ctx, path: Arc<str>, why: &str, bytes: u64) -> Output {
        let mut out = Output {
            files: 1,
            bytes,
            ..Output::default()
        };
        if ctx.verbose {
            out.notes.push(Note {
                path,
                line: 0,
                kind: NoteKind::Notice,
                message: format!("skipped: {why}"),
            });
        }
        out
    }
}

/// An input decoded and matched to a parser.
pub struct Prepared<'a> {
    pub parser: Parser,
    pub text: Cow<'a, [u8]>,
    /// Offset of `text[0]` in the stored input.
    pub offset: u64,
}

/// Decodes `unit` and picks its parser; an input that is no dump becomes
/// an error (named on the command line) or a quiet skip.
pub fn prepare<'a>(ctx: &Ctx, unit: &'a Unit) -> Result<Prepared<'a>, Output> {
    let decoded = decode::decode(&unit.bytes);
    let verdict = match ctx.forced {
        Some(p) => forced(p, &decoded.text),
        None => detect::detect(&decoded.text),
    };
    match verdict {
        Detection::Dump(parser) => Ok(Prepared {
            parser,
            text: decoded.text,
            offset: decoded.offset,
        }),
        Detection::Empty if unit.named => Err(Output::notice(
            unit.path.clone(),
            "empty input: nothing to read".to_string(),
            unit.bytes.len() as u64,
        )),
        Detection::Empty => Err(Output::skipped(
            ctx,
            unit.path.clone(),
            "empty",
            unit.bytes.len() as u64,
        )),
        Detection::NotADump(why) if unit.named => {
            let mut out = Output::problem(unit.path.clone(), why);
            out.files = 1;
            out.bytes = unit.bytes.len() as u64;
            Err(out)
        }
        Detection::NotADump(why) => Err(Output::skipped(
            ctx,
            unit.path.clone(),
            &why,
            unit.bytes.len() as u64,
        )),
    }
}

/// The verdict on an input whose format is forced: white space is still
/// nothing to read and binary data still no dump.
pub fn forced(parser: Parser, text: &[u8]) -> Detection {
    let head = &text[..text.len().min(HEAD_LEN)];
    if detect::blank(text) {
        Detection::Empty
    } else if let Some(why) = detect::binary(head) {
        Detection::NotADump(why)
    } else {
        Detection::Dump(parser)
    }
}

/// The error for an input named on the command line and read with a forced
/// `--input-format`, in which the parser found no container at all (and
/// said nothing else): random bytes or the wrong format, which must not
/// pass as an empty dump. A file found in a directory or archive (a log
/// beside the dumps) is only listed with `--verbose`.
pub fn found_nothing(ctx: &Ctx, path: &Arc<str>, named: bool, out: &Output) -> Option<Note> {
    let quiet = !out.notes.iter().any(|n| n.kind == NoteKind::Error);
    if ctx.forced.is_none() || out.found > 0 || !quiet || (!named && !ctx.verbose) {
        return None;
    }
    let what = format!("no {} container found", ctx.forced_name);
    Some(if named {
        Note {
            path: path.clone(),
            line: 0,
            kind: NoteKind::Error,
            message: format!("{what} (--input-format {})", ctx.forced_name),
        }
    } else {
        Note {
            path: path.clone(),
            line: 0,
            kind: NoteKind::Notice,
            message: format!("skipped: {what}"),
        }
    })
}

/// A whole (small) input, start to finish.
pub fn unit(ctx: &Ctx, unit: &Unit) -> Output {
    let prepared = match prepare(ctx, unit) {
        Ok(p) => p,
        Err(out) => return out,
    };
    let chunk = Chunk {
        bytes: &prepared.text,
        first_line: 1,
        first_offset: prepared.offset,
    };
    let mut out = piece(ctx, &unit.path, prepared.parser, chunk, prepared.offset);
    if let Some(note) = found_nothing(ctx, &unit.path, unit.named, &out) {
        out.notes.push(note);
    }
    out.files = 1;
    out.bytes = unit.bytes.len() as u64;
    out
}

/// Parses one chunk; a parser panic becomes an error, never a crash.
pub fn parse(parser: Parser, chunk: Chunk<'_>) -> Parsed {
    catch_unwind(AssertUnwindSafe(|| format::parse(parser, chunk))).unwrap_or_else(|_| Parsed {
        observations: Vec::new(),
        diagnostics: vec![format::Diagnostic::error(
            chunk.first_line,
            "internal error: the parser failed on this part of the input (please report it)",
        )],
    })
}

/// Parses, classifies, filters and renders one chunk. `line_offset`: where
/// the line holding the chunk's first byte starts in the input, which is
/// before the chunk when it was cut mid-line (one-line JSON).
pub fn piece(
    ctx: &Ctx,
    path: &Arc<str>,
    parser: Parser,
    chunk: Chunk<'_>,
    line_offset: u64,
) -> Output {
    let mut parsed = parse(parser, chunk);
    // A parser sees only its chunk: a record on the chunk's first line gets
    // the chunk's start as its line's start. The line really starts at
    // `line_offset`, whatever the cut, so offsets do not depend on where
    // pieces or stream batches happened to be cut.
    if line_offset != chunk.first_offset {
        for o in &mut parsed.observations {
            if o.offset == chunk.first_offset {
                o.offset = line_offset;
            }
        }
    }
    let found = parsed.observations.len() as u64;
    let mut out = finish(ctx, path, parsed, chunk.bytes.len());
    out.bytes = chunk.bytes.len() as u64;
    out.found = found;
    out
}

/// Classifies, filters and renders what a parser found in `input_len`
/// bytes (a hint for the output buffer: records are about that large).
pub fn finish(ctx: &Ctx, path: &Arc<str>, parsed: Parsed, input_len: usize) -> Output {
    let mut out = Output::default();
    if ctx.render.is_some() {
        out.rendered.reserve(input_len + input_len / 4);
    }
    for d in parsed.diagnostics {
        out.notes.push(Note {
            path: path.clone(),
            line: d.line,
            kind: match d.severity {
                Severity::Error => NoteKind::Error,
                Severity::Notice => NoteKind::Notice,
            },
            message: d.message,
        });
    }
    for obs in parsed.observations {
        let record = match catch_unwind(AssertUnwindSafe(|| Record::new(path.clone(), obs))) {
            Ok(r) => r,
            Err(_) => {
                out.notes.push(Note {
                    path: path.clone(),
                    line: 0,
                    kind: NoteKind::Error,
                    message: "internal error: classifying a container failed (please report it)"
                        .to_string(),
                });
                continue;
            }
        };
        if let Some(f) = &ctx.filter
            && !f.keep(&record)
        {
            continue;
        }
        out.count += 1;
        match &ctx.render {
            Some(r) => r.render(&record, &mut out.rendered),
            None => out.records.push(record),
        }
    }
    out
}
