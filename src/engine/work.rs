//! What a worker does with one input or one piece of it: decode, detect,
//! parse, classify, filter, render. Runs on rayon threads; never writes.

use std::borrow::Cow;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use super::split;
use crate::filter::Filter;
use crate::format::detect::{self, Detection, HEAD_LEN};
use crate::format::repair::{self, Repaired};
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
}

impl Output {
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
    /// `text` is a repaired copy (a small damaged paste, see
    /// `format::repair`); this points its lines back at the input's.
    pub repaired: Option<Repaired>,
}

/// Decodes `unit` and picks its parser; an input that is no dump becomes
/// an error (named on the command line) or a quiet skip.
pub fn prepare<'a>(ctx: &Ctx, unit: &'a Unit) -> Result<Prepared<'a>, Output> {
    let mut decoded = decode::decode(&unit.bytes);
    // Only inputs parsed whole are repaired (a split input keeps its lines).
    let mut repaired = None;
    if unit.bytes.len() < split::SPLIT_MIN
        && let Some(mut fix) = repair::repair(&decoded.text)
    {
        decoded.text = Cow::Owned(std::mem::take(&mut fix.text));
        repaired = Some(fix);
    }
    let verdict = match ctx.forced {
        Some(p) => {
            let head = &decoded.text[..decoded.text.len().min(HEAD_LEN)];
            match memchr::memchr(0, head) {
                Some(pos) => Detection::NotADump(format!("binary data (NUL byte at offset {pos})")),
                None => Detection::Dump(p),
            }
        }
        None => detect::detect(&decoded.text),
    };
    match verdict {
        Detection::Dump(parser) => Ok(Prepared {
            parser,
            text: decoded.text,
            offset: decoded.offset,
            repaired,
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
    let mut parsed = parse(prepared.parser, chunk);
    if let Some(fix) = &prepared.repaired {
        fix.remap(&mut parsed, prepared.offset);
    }
    let mut out = finish(ctx, &unit.path, parsed, chunk.bytes.len());
    out.bytes = chunk.bytes.len() as u64;
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

/// Parses, classifies, filters and renders one chunk.
pub fn piece(ctx: &Ctx, path: &Arc<str>, parser: Parser, chunk: Chunk<'_>) -> Output {
    let parsed = parse(parser, chunk);
    let mut out = finish(ctx, path, parsed, chunk.bytes.len());
    out.bytes = chunk.bytes.len() as u64;
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
