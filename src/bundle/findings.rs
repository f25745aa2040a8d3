//! Crash signatures in a container's log — the run's "last words" — and a
//! bounded tail of the log (contract v1.1 `logs`). The signatures are data:
//! `grammar/rules/logs.toml`, compiled in and parsed once.
//!
//! The whole log is streamed, in bounded memory: only the last `max_lines`
//! lines are kept, each cut at `max_bytes_per_line`, plus the last finding
//! (which may lie before the tail: a Java OOM followed by a shutdown
//! chatter). Binary or non-UTF-8 input is read as text with replacement
//! characters; control characters never reach the output.

use std::collections::VecDeque;
use std::io::{BufReader, Read};
use std::sync::OnceLock;

use memchr::memmem::Finder;
use serde::Deserialize;

use super::lines::BoundedLines;

const LOGS: &str = include_str!("../../grammar/rules/logs.toml");

/// Lines kept by default (contract: at most 10).
pub const DEFAULT_MAX_LINES: usize = 10;
/// Bytes kept per line by default (contract: at most 512).
pub const DEFAULT_MAX_LINE_BYTES: usize = 512;

/// A recognized crash signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// `go_panic`, `java_oom` … (`logs.finding`).
    pub name: String,
    /// The line it was recognized on, cleaned and cut (`logs.finding_line`).
    pub line: String,
    /// 1-based line number in the log.
    pub line_no: u64,
    /// A phrase for the classifier's summary ("the JVM ran out of heap …").
    pub summary: String,
    /// What to check next.
    pub hint: String,
}

/// The end of a log and its last finding.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogTail {
    /// The last lines, oldest first, cleaned and cut.
    pub lines: Vec<String>,
    pub finding: Option<Finding>,
    /// Lines read in all.
    pub lines_read: u64,
    /// A NUL byte was seen: the "log" is probably binary.
    pub binary: bool,
    /// The read stopped early on this error (a truncated archive member);
    /// `lines` and `finding` hold what was read before it.
    pub error: Option<String>,
}

/// One signature of `logs.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    pub name: String,
    pub summary: String,
    pub hint: String,
    #[serde(default)]
    starts_with: Vec<String>,
    #[serde(default)]
    contains: Vec<String>,
    #[serde(default)]
    and_contains: Vec<String>,
    #[serde(default)]
    not_contains: Vec<String>,
    #[serde(default)]
    ignore_case: bool,
    #[serde(default)]
    final_line: Option<FinalLine>,
    #[serde(skip)]
    finders: Finders,
}

/// Where a block signature reports its finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum FinalLine {
    /// The first later line that is not indented.
    Unindented,
}

/// The `contains` lists, compiled once.
#[derive(Debug, Default)]
struct Finders {
    contains: Vec<Finder<'static>>,
    and_contains: Vec<Finder<'static>>,
    not_contains: Vec<Finder<'static>>,
}

#[derive(Deserialize)]
struct SignatureFile {
    signature: Vec<Signature>,
}

/// The signatures, parsed on first use. The file is part of the binary and
/// a unit test parses it, so a failure here is a build defect.
pub fn signatures() -> &'static [Signature] {
    static SIGNATURES: OnceLock<Vec<Signature>> = OnceLock::new();
    SIGNATURES.get_or_init(|| {
        load().unwrap_or_else(|e| panic!("grammar/rules/logs.toml is invalid: {e}"))
    })
}

fn load() -> Result<Vec<Signature>, toml::de::Error> {
    let mut file: SignatureFile = toml::from_str(LOGS)?;
    for sig in &mut file.signature {
        if sig.ignore_case {
            for list in [
                &mut sig.starts_with,
                &mut sig.contains,
                &mut sig.and_contains,
                &mut sig.not_contains,
            ] {
                list.iter_mut().for_each(|p| *p = p.to_ascii_lowercase());
            }
        }
        let compile = |list: &[String]| -> Vec<Finder<'static>> {
            list.iter()
                .map(|p| Finder::new(p.as_bytes()).into_owned())
                .collect()
        };
        sig.finders = Finders {
            contains: compile(&sig.contains),
            and_contains: compile(&sig.and_contains),
            not_contains: compile(&sig.not_contains),
        };
    }
    Ok(file.signature)
}

impl Signature {
    /// Whether `text` (already lower-cased when the signature ignores case)
    /// is this signature's line.
    fn matches(&self, text: &[u8]) -> bool {
        let f = &self.finders;
        let opened = self
            .starts_with
            .iter()
            .any(|p| text.starts_with(p.as_bytes()))
            || f.contains.iter().any(|x| x.find(text).is_some());
        opened
            && (f.and_contains.is_empty() || f.and_contains.iter().any(|x| x.find(text).is_some()))
            && !f.not_contains.iter().any(|x| x.find(text).is_some())
    }
}

/// The last finding in `lines` (numbered from 1), each line cut at
/// [`DEFAULT_MAX_LINE_BYTES`] in the result.
pub fn find(lines: &[&str]) -> Option<Finding> {
    let mut matcher = Matcher::new(DEFAULT_MAX_LINE_BYTES);
    for line in lines {
        matcher.feed(line);
    }
    matcher.finish()
}

/// Streams a whole log: its last `max_lines` lines (each cut at
/// `max_bytes_per_line` and cleaned) and its last finding. Never fails: a
/// read error ends the log where it happened and is told in `error`.
pub fn tail(reader: impl Read, max_lines: usize, max_bytes_per_line: usize) -> LogTail {
    // Lines are matched on a longer cut than they are kept: a signature may
    // sit after a long timestamp or logger prefix.
    let read_limit = max_bytes_per_line.max(4096);
    let mut lines = BoundedLines::new(BufReader::with_capacity(64 * 1024, reader), read_limit);
    // The last lines are kept raw in reused buffers and cleaned once at the
    // end: cleaning every line of a 2 GB log would cost an allocation each.
    let mut kept: VecDeque<Vec<u8>> = VecDeque::with_capacity(max_lines.min(1024));
    let mut matcher = Matcher::new(max_bytes_per_line);
    let mut out = LogTail::default();
    loop {
        let line = match lines.next_line() {
            Ok(Some(line)) => line,
            Ok(None) => break,
            Err(e) => {
                out.error = Some(e.to_string());
                break;
            }
        };
        out.lines_read += 1;
        out.binary |= memchr::memchr(0, line).is_some();
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        matcher.feed(&String::from_utf8_lossy(line));
        if max_lines > 0 {
            let mut slot = if kept.len() == max_lines {
                kept.pop_front().unwrap_or_default()
            } else {
                Vec::new()
            };
            slot.clear();
            // Enough raw bytes for `max_bytes_per_line` cleaned ones
            // (removed control characters make room for more).
            slot.extend_from_slice(&line[..line.len().min(max_bytes_per_line.saturating_mul(4))]);
            kept.push_back(slot);
        }
    }
    out.lines = kept
        .iter()
        .map(|raw| clean(&String::from_utf8_lossy(raw), max_bytes_per_line))
        .collect();
    out.finding = matcher.finish();
    out
}

/// [`tail`] with the contract's limits (10 lines of 512 bytes).
pub fn tail_default(reader: impl Read) -> LogTail {
    tail(reader, DEFAULT_MAX_LINES, DEFAULT_MAX_LINE_BYTES)
}

/// How long a block signature waits for its final line.
const MAX_BLOCK_LINES: u64 = 10_000;

/// The line-by-line finder behind [`find`] and [`tail`].
#[derive(Debug)]
pub struct Matcher {
    max_bytes: usize,
    line_no: u64,
    /// A block signature waiting for its final line.
    open: Option<Finding>,
    last: Option<Finding>,
    lower: Vec<u8>,
}

impl Matcher {
    /// Finding lines are kept cut at `max_bytes`.
    pub fn new(max_bytes: usize) -> Self {
        Matcher {
            max_bytes,
            line_no: 0,
            open: None,
            last: None,
            lower: Vec::new(),
        }
    }

    /// Reads the next line of the log.
    pub fn feed(&mut self, line: &str) {
        self.line_no += 1;
        // Colour codes would hide a signature's start; only such lines pay
        // for a cleaned copy.
        let uncoloured;
        let line = if line.contains('\u{1b}') {
            uncoloured = clean(line, usize::MAX);
            uncoloured.as_str()
        } else {
            line
        };
        let text = match_text(line);
        if let Some(mut open) = self.open.take() {
            if text.trim().is_empty() || text.starts_with([' ', '\t']) {
                // Still inside the block (frames are indented).
                if self.line_no - open.line_no > MAX_BLOCK_LINES {
                    self.last = Some(open);
                } else {
                    self.open = Some(open);
                }
                return;
            }
            let closes = exception_line(text);
            if closes {
                open.line = clean(line, self.max_bytes);
                open.line_no = self.line_no;
            }
            self.last = Some(open);
            if closes {
                // The exception line belongs to the block: a `PermissionError:
                // … Permission denied` stays a python_traceback.
                return;
            }
        }
        let sigs = signatures();
        self.lower.clear();
        if sigs.iter().any(|s| s.ignore_case) {
            self.lower
                .extend(text.bytes().map(|b| b.to_ascii_lowercase()));
        }
        let Some(sig) = sigs.iter().find(|s| {
            let bytes = if s.ignore_case {
                &self.lower[..]
            } else {
                text.as_bytes()
            };
            s.matches(bytes)
        }) else {
            return;
        };
        let finding = Finding {
            name: sig.name.clone(),
            line: clean(line, self.max_bytes),
            line_no: self.line_no,
            summary: sig.summary.clone(),
            hint: sig.hint.clone(),
        };
        match sig.final_line {
            Some(FinalLine::Unindented) => self.open = Some(finding),
            None => self.last = Some(finding),
        }
    }

    /// The last finding (a block still open ends on its first line).
    pub fn finish(mut self) -> Option<Finding> {
        self.open.take().or(self.last)
    }
}

/// `Name: message` or a bare `Name` (Python's last traceback line), with
/// `Name` a dotted identifier.
fn exception_line(text: &str) -> bool {
    let name_end = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
        .unwrap_or(text.len());
    let name = &text[..name_end];
    let rest = &text[name_end..];
    name.starts_with(|c: char| c.is_alphabetic() || c == '_')
        && (rest.is_empty() || rest.starts_with(':'))
}

/// The part of a line signatures look at: after a leading RFC 3339
/// timestamp (`2024-03-05T10:11:12.123456789Z `) and a CRI log tag
/// (`stdout F `, `stderr P `).
pub fn match_text(line: &str) -> &str {
    let mut text = line;
    let b = text.as_bytes();
    if b.len() > 20
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
    {
        if let Some(space) = text.find(' ') {
            text = &text[space + 1..];
        }
        for stream in ["stdout ", "stderr "] {
            if let Some(rest) = text.strip_prefix(stream) {
                if let Some(rest) = rest.strip_prefix("F ").or_else(|| rest.strip_prefix("P ")) {
                    text = rest;
                }
            }
        }
    }
    text
}

/// `line` without control characters (a tab becomes a space; an ANSI
/// escape sequence goes whole) and the bidirectional overrides, cut at
/// `max_bytes` on a character boundary.
pub fn clean(line: &str, max_bytes: usize) -> String {
    let mut out = String::with_capacity(line.len().min(max_bytes));
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI: ESC [ parameters… final byte (0x40–0x7E).
            if chars.peek() == Some(&'[') {
                chars.next();
                for p in chars.by_ref() {
                    if ('\u{40}'..='\u{7e}').contains(&p) {
                        break;
                    }
                }
            }
            continue;
        }
        let c = match c {
            '\t' => ' ',
            c if c.is_control()
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') =>
            {
                continue;
            }
            c => c,
        };
        if out.len() + c.len_utf8() > max_bytes {
            break;
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests;
