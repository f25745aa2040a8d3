//! What a worker does with one input or one piece of it: decode, detect,
//! parse, classify, filter, render. Runs on rayon threads; never writes.

use std::borrow::Cow;
use std::ops::Range;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use super::{long_line, split};
use crate::filter::Filter;
use crate::format::detect::{self, Detection, HEAD_LEN};
use crate::format::repair::{self, Repaired};
use crate::format::{self, Chunk, Parsed, Parser, Severity, Skipped};
use crate::gate::{self, FailOn};
use crate::input::{Unit, decode};
use crate::output::{Record, StreamFormat};
use crate::redact::{Redactor, Tally};

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
    /// The redaction rules; `None` with `--no-redact`.
    pub redact: Option<Arc<Redactor>>,
    /// `--fail-on`: records that trip it are counted.
    pub fail_on: Option<FailOn>,
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

/// What parsed text held, for the verdict on a whole input that was
/// parsed in pieces: one answer per kind of input, whoever decides it (see
/// [`Holds::verdict`]).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub enum Holds {
    /// Nothing a parser told apart (white space, text lines).
    #[default]
    Nothing,
    /// Only objects passed over as not dumps; the first one's word.
    NotADump(String),
    /// Records, pods, containers, or something worth a diagnostic.
    Dump,
}

impl Holds {
    fn of(parsed: &Parsed) -> Holds {
        if let Some(what) = parsed.not_a_dump() {
            return Holds::NotADump(what.to_string());
        }
        let nothing = parsed.observations.is_empty()
            && parsed.diagnostics.is_empty()
            && parsed.skipped.is_empty()
            && !parsed.found_dump;
        if nothing { Holds::Nothing } else { Holds::Dump }
    }

    /// The verdict on the pieces of one input: a dump anywhere makes a dump.
    pub fn merge(&mut self, other: &Holds) {
        match (&*self, other) {
            (Holds::Dump, _) | (_, Holds::Nothing) | (Holds::NotADump(_), Holds::NotADump(_)) => {}
            _ => *self = other.clone(),
        }
    }

    /// The error for an input named on the command line (or stdin) that
    /// holds no dump, as detection words it for text: `None` for a dump.
    pub fn verdict(&self) -> Option<String> {
        match self {
            Holds::NotADump(what) => Some(format!("no container-state dump found: {what}")),
            _ => None,
        }
    }
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
    /// Whether the text parsed was a dump.
    pub holds: Holds,
    /// Values redacted in the records kept; `None` while there are none
    /// (boxed: most outputs have none, and this travels by value).
    pub redacted: Option<Box<Tally>>,
    /// Containers the parser found, before filtering: a forced
    /// `--input-format` that finds none is an error.
    pub found: u64,
    /// Records that tripped `--fail-on` (boxed: most outputs have none,
    /// and results move through channels by value).
    pub matched: Option<Box<Matched>>,
}

/// Records that tripped `--fail-on` in one piece of work.
#[derive(Debug)]
pub struct Matched {
    pub count: u64,
    /// How the first of them is named.
    pub first: String,
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
    /// `text` is a repaired copy (a small damaged paste, see
    /// `format::repair`); this points its lines back at the input's.
    pub repaired: Option<Repaired>,
    /// Lines of `text` too long for its line-based parser, never to be
    /// parsed (see `long_line`). Only text longer than the limit can have
    /// one, so an input parsed whole (below `split::SPLIT_MIN`) has none.
    pub long_lines: Vec<Range<usize>>,
}

/// Decodes `unit` and picks its parser; an input that is no dump becomes
/// an error (named on the command line) or a quiet skip.
/// (The skip is boxed: it is the rare case, and `Output` is large.)
pub fn prepare<'a>(ctx: &Ctx, unit: &'a Unit) -> Result<Prepared<'a>, Box<Output>> {
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
        Some(p) => forced(p, &decoded.text),
        None => detect::detect(&decoded.text),
    };
    match verdict {
        Detection::Dump(parser) => Ok(Prepared {
            parser,
            long_lines: if long_line::limited(parser) {
                long_line::find(&decoded.text, long_line::MAX_LINE)
            } else {
                Vec::new()
            },
            text: decoded.text,
            offset: decoded.offset,
            repaired,
        }),
        Detection::Empty if unit.named => Err(Box::new(Output::notice(
            unit.path.clone(),
            "empty input: nothing to read".to_string(),
            unit.bytes.len() as u64,
        ))),
        Detection::Empty => Err(Box::new(Output::skipped(
            ctx,
            unit.path.clone(),
            "empty",
            unit.bytes.len() as u64,
        ))),
        Detection::NotADump(why) if unit.named => {
            let mut out = Output::problem(unit.path.clone(), why);
            out.files = 1;
            out.bytes = unit.bytes.len() as u64;
            Err(Box::new(out))
        }
        Detection::NotADump(why) => Err(Box::new(Output::skipped(
            ctx,
            unit.path.clone(),
            &why,
            unit.bytes.len() as u64,
        ))),
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
        Err(out) => return *out,
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
    let found = parsed.observations.len() as u64;
    let mut out = finish(ctx, &unit.path, parsed, chunk.bytes.len());
    out.found = found;
    if let Some(note) = found_nothing(ctx, &unit.path, unit.named, &out) {
        out.notes.push(note);
    }
    out.files = 1;
    out.bytes = unit.bytes.len() as u64;
    if unit.named {
        if let Some(why) = out.holds.verdict() {
            return named_not_a_dump(&unit.path, why, out.bytes);
        }
    }
    out
}

/// An input named on the command line that holds no dump: an error, as
/// for text with no dump in it (inside a directory or archive the same
/// input is passed over, listed with `--verbose`).
pub fn named_not_a_dump(path: &Arc<str>, why: String, bytes: u64) -> Output {
    let mut out = Output::problem(path.clone(), why);
    out.files = 1;
    out.bytes = bytes;
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
        ..Parsed::default()
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
    let mut out = Output {
        holds: Holds::of(&parsed),
        ..Output::default()
    };
    if ctx.render.is_some() {
        out.rendered.reserve(input_len + input_len / 4);
    }
    let skipped = if ctx.verbose {
        skipped_notes(path, &parsed.skipped)
    } else {
        Vec::new()
    };
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
    if !skipped.is_empty() {
        out.notes.extend(skipped);
        // Told in input order; diagnostics of one line keep theirs.
        out.notes.sort_by_key(|n| n.line);
    }
    let redactor = ctx.redact.as_deref();
    for obs in parsed.observations {
        let mut tally = Tally::default();
        let built = catch_unwind(AssertUnwindSafe(|| {
            Record::redacted(path.clone(), obs, redactor, &mut tally)
        }));
        let record = match built {
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
        if tally.values > 0 {
            out.redacted.get_or_insert_default().add(&tally);
        }
        if let Some(g) = &ctx.fail_on
            && g.matches(&record)
        {
            out.matched
                .get_or_insert_with(|| {
                    Box::new(Matched {
                        count: 0,
                        first: gate::describe(&record),
                    })
                })
                .count += 1;
        }
        match &ctx.render {
            Some(r) => r.render(&record, &mut out.rendered),
            None => out.records.push(record),
        }
    }
    out
}

/// `--verbose` lines for the objects passed over: one per kind of object,
/// at its first line, with the count when there are several (a bundle's
/// `groups.json` holds dozens).
fn skipped_notes(path: &Arc<str>, skipped: &[Skipped]) -> Vec<Note> {
    let mut groups: Vec<(&str, u64, usize)> = Vec::new();
    for s in skipped {
        match groups.iter_mut().find(|(what, _, _)| *what == s.what) {
            Some(g) => g.2 += 1,
            None => groups.push((&s.what, s.line, 1)),
        }
    }
    groups
        .into_iter()
        .map(|(what, line, n)| Note {
            path: path.clone(),
            line,
            kind: NoteKind::Notice,
            message: if n == 1 {
                format!("skipped: {what}")
            } else {
                format!("skipped: {what} ({n} objects)")
            },
        })
        .collect()
}
