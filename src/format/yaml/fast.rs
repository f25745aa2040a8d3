//! The fast path for the block YAML `kubectl`/`oc` write (`-o yaml`,
//! must-gather, `oc adm inspect`): two-space block mappings, sequences
//! indented or at their parent's column, plain, quoted and block scalars,
//! `{}`/`[]`, comments. It reads a document line by line into the same
//! [`Doc`] serde-saphyr would build, keeping only the keys a record needs;
//! every other subtree is still checked line by line (so a document the
//! full parser would reject is never accepted here) but nothing of it is
//! kept or allocated.
//!
//! Whatever it does not know for certain the full parser would read the
//! same way — flow collections, anchors, aliases, tags, tabs in
//! indentation, odd indentation, duplicate keys it reads, scalars whose
//! type it cannot tell, folded block scalars in a value it reads, deep
//! nesting, budgets — ends in [`Fallback`], and the caller gives the whole
//! document to serde-saphyr. The answer is the same either way: the tests
//! compare both paths record by record.

use std::borrow::Cow;

use super::Doc;
use crate::format::json::de::{Bool, Int, List, Obj, Present, Str};
use crate::format::json::k8s::{
    ContainerState, ContainerStatus, Meta, PodSpec, PodStatus, Running, SpecContainer, Terminated,
    Waiting,
};

/// Why a document went to the full parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fallback(pub &'static str);

type R<T> = Result<T, Fallback>;

/// A document read by the fast path.
#[derive(Debug)]
pub enum Top<'a> {
    /// A mapping; `items` is `Some` when it had a top-level `items` key
    /// (its elements when that was a sequence).
    Map {
        doc: Box<Doc<'a>>,
        items: Option<Vec<Obj<Doc<'a>>>>,
    },
    /// A sequence at the top (`yq .items`, custom resources).
    Seq(List<Obj<Doc<'a>>>),
}

/// Content columns beyond this go to the full parser: its depth budget is
/// 64 levels, and a level costs at most one column plus a sequence (see
/// the budget in `super::options`), so 48 columns stay well inside it.
const MAX_COL: usize = 48;
/// A block line holds at most three nodes (item, key, value); the full
/// parser's node budget is 20 million.
const MAX_LINES: usize = 6_000_000;
/// YAML's limit on an implicit key.
const MAX_KEY: usize = 1024;

/// Reads one document body (already split at `---` and cleaned of prompt
/// lines by the caller).
pub fn document(body: &str) -> R<Top<'_>> {
    if body.len() >= 1 << 30 {
        return Err(Fallback("document of 1 GiB or more"));
    }
    if memchr::memchr(b'\r', body.as_bytes()).is_some() {
        return Err(Fallback("carriage return"));
    }
    let mut p = P {
        s: body,
        next: 0,
        cur: None,
        lines: 0,
    };
    let Some(first) = p.peek()? else {
        return Err(Fallback("no content"));
    };
    let top = if is_dash(body.as_bytes(), first) {
        let mut items = Vec::new();
        p.seq(first.col(), |v| {
            items.push(v.obj::<Doc>()?);
            Ok(())
        })?;
        Top::Seq(List(items))
    } else if p.key(first, first.pos)?.is_some() {
        let mut t = TopDoc::default();
        p.map(first.col(), &mut t)?;
        Top::Map {
            doc: Box::new(t.doc),
            items: t.items,
        }
    } else {
        return Err(Fallback("scalar document"));
    };
    if p.peek()?.is_some() {
        return Err(Fallback("content after the top-level node"));
    }
    Ok(top)
}

/// One content line: `pos` is where its unread content starts (after the
/// indentation, or after a `- ` already read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Line {
    start: usize,
    end: usize,
    pos: usize,
    /// Blank lines right before it.
    blanks: usize,
    /// A comment line came right before it.
    comment: bool,
}

impl Line {
    fn col(&self) -> usize {
        self.pos - self.start
    }
}

/// A `- ` item line (or a bare `-`).
fn is_dash(b: &[u8], l: Line) -> bool {
    b[l.pos] == b'-' && (l.pos + 1 == l.end || b[l.pos + 1] == b' ')
}

#[derive(Clone, Copy)]
struct P<'a> {
    s: &'a str,
    /// Start of the first line not read yet.
    next: usize,
    /// The current content line, while it has unread content.
    cur: Option<Line>,
    lines: usize,
}

/// What follows a key's `:` or an item's `-`.
enum Shape<'a> {
    /// Nothing: null.
    Null,
    /// A plain scalar, its type still to be resolved.
    Plain(Cow<'a, str>),
    /// A quoted or block scalar: always a string.
    Text(Cow<'a, str>),
    EmptyMap,
    EmptySeq,
    /// A block mapping whose first key is at this column (not read yet).
    Map(usize),
    /// A block sequence whose dashes are at this column (not read yet).
    Seq(usize),
}

impl<'a> P<'a> {
    fn bytes(&self) -> &'a [u8] {
        self.s.as_bytes()
    }

    /// The current content line, skipping blank and comment lines.
    fn peek(&mut self) -> R<Option<Line>> {
        if let Some(l) = self.cur {
            return Ok(Some(l));
        }
        let b = self.bytes();
        let mut blanks = 0;
        let mut comment = false;
        while self.next < b.len() {
            let start = self.next;
            let end = memchr::memchr(b'\n', &b[start..]).map_or(b.len(), |i| start + i);
            self.next = (end + 1).min(b.len());
            self.count_line()?;
            let pos = start + b[start..end].iter().take_while(|&&c| c == b' ').count();
            if pos == end {
                blanks += 1;
                continue;
            }
            match b[pos] {
                b'\t' => return Err(Fallback("tab in indentation")),
                b'#' => {
                    comment = true;
                    continue;
                }
                _ => {}
            }
            if pos - start > MAX_COL {
                return Err(Fallback("deep nesting"));
            }
            let l = Line {
                start,
                end,
                pos,
                blanks,
                comment,
            };
            self.cur = Some(l);
            return Ok(Some(l));
        }
        Ok(None)
    }

    fn count_line(&mut self) -> R<()> {
        self.lines += 1;
        if self.lines > MAX_LINES {
            return Err(Fallback("too many lines for the node budget"));
        }
        Ok(())
    }

    /// The key starting at `i` of line `l` and the position right after
    /// its `:`; `None` when the content there is not a key.
    fn key(&self, l: Line, i: usize) -> R<Option<(Cow<'a, str>, usize)>> {
        let b = self.bytes();
        let c = b[i];
        if c == b'"' || c == b'\'' {
            let Some((text, after)) = quoted_one_line(self.s, i, l.end)? else {
                return Ok(None);
            };
            let j = after + b[after..l.end].iter().take_while(|&&c| c == b' ').count();
            if j < l.end && b[j] == b':' && (j + 1 == l.end || b[j + 1] == b' ') {
                return Ok(Some((text, j + 1)));
            }
            return Ok(None);
        }
        if !plain_can_start(b, i, l.end) {
            return Ok(None);
        }
        let mut from = i;
        while let Some(k) = memchr::memchr2(b':', b'#', &b[from..l.end]) {
            let k = from + k;
            if b[k] == b'#' {
                if b[k - 1] == b' ' {
                    // A comment before any `: `: a scalar, not a key.
                    return Ok(None);
                }
            } else if k + 1 == l.end || b[k + 1] == b' ' {
                let key = self.s[i..k].trim_end_matches(' ');
                if key.len() > MAX_KEY {
                    return Err(Fallback("key longer than 1024 bytes"));
                }
                if key == "<<" {
                    return Err(Fallback("merge key"));
                }
                return Ok(Some((Cow::Borrowed(key), k + 1)));
            }
            from = k + 1;
        }
        Ok(None)
    }

    /// Reads the block mapping whose keys are at `col`, handing each key
    /// `F` reads to it and checking (without keeping) the others.
    fn map<F: Fields<'a>>(&mut self, col: usize, f: &mut F) -> R<()> {
        let mut seen = 0u32;
        while let Some(l) = self.peek()? {
            if l.col() < col {
                break;
            }
            if l.col() > col {
                return Err(Fallback("unexpected indentation"));
            }
            let Some((key, after)) = self.key(l, l.pos)? else {
                return Err(Fallback("not a key inside a mapping"));
            };
            let v = Val {
                p: self,
                l,
                from: after,
                parent: col,
                in_map: true,
            };
            match F::slot(&key) {
                Some(slot) => {
                    if seen & (1 << slot) != 0 {
                        return Err(Fallback("duplicate key"));
                    }
                    seen |= 1 << slot;
                    f.read(slot, v)?;
                }
                None => {
                    // A key that looks like a number or a boolean may be
                    // matched against a field by position; only the full
                    // parser knows.
                    if F::TYPED && !plain_is_word(&key) {
                        return Err(Fallback("key that is not a plain word"));
                    }
                    v.skip()?;
                }
            }
        }
        Ok(())
    }

    /// Reads the block sequence whose dashes are at `col`.
    fn seq(&mut self, col: usize, mut each: impl FnMut(Val<'_, 'a>) -> R<()>) -> R<()> {
        let b = self.bytes();
        while let Some(l) = self.peek()? {
            if l.col() != col || !is_dash(b, l) {
                if l.col() > col {
                    return Err(Fallback("unexpected indentation in a sequence"));
                }
                break;
            }
            each(Val {
                p: self,
                l,
                from: l.pos + 1,
                parent: col,
                in_map: false,
            })?;
        }
        Ok(())
    }

    /// The value starting at `from` on line `l` (after a key's `:` or an
    /// item's `-`); `parent` is the column of that key or dash. `want`:
    /// build the scalar's text (a skipped one is only checked).
    fn value(
        &mut self,
        l: Line,
        from: usize,
        parent: usize,
        in_map: bool,
        want: bool,
    ) -> R<Shape<'a>> {
        let b = self.bytes();
        let i = from + b[from..l.end].iter().take_while(|&&c| c == b' ').count();
        if i == l.end || b[i] == b'#' {
            self.cur = None;
            return self.nested(parent, in_map);
        }
        if !in_map {
            if is_dash(b, Line { pos: i, ..l }) {
                return Err(Fallback("sequence in a sequence on one line"));
            }
            // `- key: value`: a mapping whose keys are at this column.
            if self.key(l, i)?.is_some() {
                self.cur = Some(Line {
                    pos: i,
                    blanks: 0,
                    comment: false,
                    ..l
                });
                return Ok(Shape::Map(i - l.start));
            }
        }
        let shape = match b[i] {
            b'"' | b'\'' => Shape::Text(self.quoted(l, i, parent, want)?),
            b'|' | b'>' => return self.block(l, i, parent, want),
            b'{' | b'[' => {
                let close = if b[i] == b'{' { b'}' } else { b']' };
                if i + 1 >= l.end || b[i + 1] != close || !rest_is_blank(b, i + 2, l.end) {
                    return Err(Fallback("flow collection"));
                }
                self.cur = None;
                if close == b'}' {
                    Shape::EmptyMap
                } else {
                    Shape::EmptySeq
                }
            }
            b'&' | b'*' | b'!' => return Err(Fallback("anchor, alias or tag")),
            _ if !plain_can_start(b, i, l.end) => {
                return Err(Fallback("indicator at the start of a value"));
            }
            _ => self.plain(l, i, parent, want)?,
        };
        // A scalar ends its node: nothing may be nested under it.
        if let Some(n) = self.peek()? {
            if n.col() > parent {
                return Err(Fallback("indented line after a scalar"));
            }
        }
        Ok(shape)
    }

    /// What is under a key or dash with nothing after it.
    fn nested(&mut self, parent: usize, in_map: bool) -> R<Shape<'a>> {
        let b = self.bytes();
        Ok(match self.peek()? {
            Some(n) if n.col() > parent => {
                if is_dash(b, n) {
                    Shape::Seq(n.col())
                } else {
                    Shape::Map(n.col())
                }
            }
            // kubectl's sequences sit at their key's column.
            Some(n) if in_map && n.col() == parent && is_dash(b, n) => Shape::Seq(parent),
            _ => Shape::Null,
        })
    }

    /// A plain scalar from `i`, continued on more indented lines.
    fn plain(&mut self, l: Line, i: usize, parent: usize, want: bool) -> R<Shape<'a>> {
        let first = plain_line(self.s, i, l.end)?;
        self.cur = None;
        let mut folded: Option<String> = None;
        while let Some(n) = self.peek()? {
            if n.col() <= parent {
                break;
            }
            if n.comment {
                return Err(Fallback("comment inside a plain scalar"));
            }
            if !plain_can_start(self.bytes(), n.pos, n.end) || is_dash(self.bytes(), n) {
                return Err(Fallback("indicator starting a plain scalar's line"));
            }
            let more = plain_line(self.s, n.pos, n.end)?;
            if want {
                let f = folded.get_or_insert_with(|| first.to_string());
                if n.blanks == 0 {
                    f.push(' ');
                } else {
                    f.extend(std::iter::repeat_n('\n', n.blanks));
                }
                f.push_str(more);
            }
            self.cur = None;
        }
        Ok(Shape::Plain(
            folded.map_or(Cow::Borrowed(first), Cow::Owned),
        ))
    }

    /// A quoted scalar opening at `i`, possibly over several lines.
    fn quoted(&mut self, l: Line, i: usize, parent: usize, want: bool) -> R<Cow<'a, str>> {
        let b = self.bytes();
        if let Some((text, after)) = quoted_one_line(self.s, i, l.end)? {
            if !rest_is_blank(b, after, l.end) {
                return Err(Fallback("text after a quoted scalar"));
            }
            self.cur = None;
            return Ok(text);
        }
        let (text, after) = quoted_lines(self.s, i, parent, want)?;
        // Continue after the line the scalar closes on.
        let end = memchr::memchr(b'\n', &b[after..]).map_or(b.len(), |k| after + k);
        if !rest_is_blank(b, after, end) {
            return Err(Fallback("text after a quoted scalar"));
        }
        self.lines += b[l.end..end].iter().filter(|&&c| c == b'\n').count();
        self.count_line()?;
        self.next = (end + 1).min(b.len());
        self.cur = None;
        Ok(text)
    }

    /// A `|` or `>` block scalar whose header is at `i`.
    fn block(&mut self, l: Line, i: usize, parent: usize, want: bool) -> R<Shape<'a>> {
        let b = self.bytes();
        let literal = b[i] == b'|';
        let mut j = i + 1;
        let chomp = match b.get(j) {
            Some(&c @ (b'-' | b'+')) if j < l.end => {
                j += 1;
                c
            }
            _ => b' ',
        };
        if j < l.end && b[j].is_ascii_digit() {
            return Err(Fallback("block scalar indentation indicator"));
        }
        if !rest_is_blank(b, j, l.end) {
            return Err(Fallback("block scalar header"));
        }
        if want && !literal {
            return Err(Fallback("folded block scalar in a value read"));
        }
        if want && chomp == b'+' {
            return Err(Fallback("kept block scalar in a value read"));
        }
        self.cur = None;
        let mut text = String::new();
        // Content indentation, known at the first non-blank line.
        let mut indent: Option<usize> = None;
        let mut leading_max = 0;
        let mut blanks = 0;
        let mut pos = self.next;
        // End of the last content line; `self.next` before the first.
        let mut last_end = pos;
        while pos < b.len() {
            let end = memchr::memchr(b'\n', &b[pos..]).map_or(b.len(), |k| pos + k);
            let ind = b[pos..end].iter().take_while(|&&c| c == b' ').count();
            if pos + ind == end {
                match indent {
                    Some(ci) if want && ind > ci => {
                        return Err(Fallback("spaces-only line in a block scalar"));
                    }
                    Some(_) => {}
                    None => leading_max = leading_max.max(ind),
                }
                blanks += 1;
                self.count_line()?;
                pos = (end + 1).min(b.len());
                continue;
            }
            let ci = match indent {
                Some(ci) if ind >= ci => ci,
                Some(_) => break,
                None if ind <= parent => break,
                None => {
                    if leading_max > ind {
                        return Err(Fallback("block scalar's leading blank line"));
                    }
                    indent = Some(ind);
                    ind
                }
            };
            if want {
                // Blank lines are line breaks, leading ones included.
                let breaks = if last_end == self.next {
                    blanks
                } else {
                    blanks + 1
                };
                text.extend(std::iter::repeat_n('\n', breaks));
                text.push_str(&self.s[pos + ci..end]);
            }
            blanks = 0;
            self.count_line()?;
            last_end = end;
            pos = (end + 1).min(b.len());
        }
        if want {
            if indent.is_none() {
                return Err(Fallback("empty block scalar in a value read"));
            }
            if last_end == b.len() {
                return Err(Fallback("block scalar at the end of input"));
            }
            if chomp == b' ' {
                text.push('\n');
            }
        }
        // The line that ended the scalar (trailing blank lines are read).
        self.next = pos;
        if let Some(n) = self.peek()? {
            if n.col() > parent {
                return Err(Fallback("indented line after a block scalar"));
            }
        }
        Ok(Shape::Text(Cow::Owned(text)))
    }
}

/// Frames the flat skip can hold: columns grow by at least one per level
/// (a sequence at its key's column shares it), and lines past
/// [`MAX_COL`] are left to the exact reader.
const FLAT_DEPTH: usize = 2 * MAX_COL + 8;

impl P<'_> {
    /// Skips the value nested under a key at column `parent` whose line
    /// ends right after its `:` (the key line is the current one). The flat
    /// loop is tried first; where it is not sure, the exact reader runs
    /// from the subtree's start. In test builds both run and must agree.
    fn skip_nested(&mut self, parent: usize) -> R<()> {
        let flat = self.skip_flat(parent);
        #[cfg(test)]
        {
            let mut exact = *self;
            let r = exact.skip_exact(parent);
            if let Some((next, lines)) = flat {
                let mut f = P {
                    next,
                    lines,
                    cur: None,
                    ..*self
                };
                let fp = f.peek();
                match r {
                    Ok(()) => {
                        let ep = exact.peek();
                        assert_eq!(fp, ep, "flat skip and exact reader stop at different lines");
                        assert_eq!(
                            (f.next, f.lines),
                            (exact.next, exact.lines),
                            "flat skip and exact reader end at different positions"
                        );
                    }
                    Err(e) => assert!(
                        fp.is_err(),
                        "flat skip accepted a subtree the exact reader rejects: {e:?}"
                    ),
                }
            } else {
                *self = exact;
                return r;
            }
        }
        match flat {
            Some((next, lines)) => {
                self.next = next;
                self.lines = lines;
                self.cur = None;
                Ok(())
            }
            None => self.skip_exact(parent),
        }
    }

    /// The exact reader on the value nested under a key at `parent`.
    fn skip_exact(&mut self, parent: usize) -> R<()> {
        self.cur = None;
        let shape = self.nested(parent, true)?;
        Val::drain(self, shape)
    }

    /// The flat skip: walks the lines after the current one by indentation,
    /// checking each has one of the simple forms (`key:`, `key: plain`,
    /// `key: {}`/`[]`, `- …` of those, `- plain`, `-`), with an
    /// indentation stack that applies the exact reader's rules on where a
    /// line may sit. Gives the start of the line after the subtree's last
    /// content line and the line count there, or `None` at the first line
    /// it is not sure of (quoted, block or multi-line scalars, flow,
    /// anchors, tags, comments after content, tabs, deep lines, budgets),
    /// which the exact reader then reads.
    fn skip_flat(&self, parent: usize) -> Option<(usize, usize)> {
        let b = self.bytes();
        let mut pos = self.next;
        let mut lines = self.lines;
        let mut resume = (pos, lines);
        // (column, is a sequence)
        let mut stack = [(0usize, false); FLAT_DEPTH];
        let mut depth = 0;
        // A key or dash with nothing after it: (its column, is a key).
        let mut open = Some((parent, true));
        // A scalar just ended a node whose key or dash is at this column.
        let mut scalar: Option<usize> = None;
        while pos < b.len() {
            let start = pos;
            let end = memchr::memchr(b'\n', &b[start..]).map_or(b.len(), |k| start + k);
            pos = (end + 1).min(b.len());
            lines += 1;
            if lines > MAX_LINES {
                return None;
            }
            let i = start + b[start..end].iter().take_while(|&&c| c == b' ').count();
            if i == end || b[i] == b'#' {
                continue;
            }
            let col = i - start;
            if b[i] == b'\t' || col > MAX_COL {
                return None;
            }
            let dash = b[i] == b'-' && (i + 1 == end || b[i + 1] == b' ');
            if let Some((p, key)) = open.take() {
                if col > p || (key && col == p && dash) {
                    if depth == FLAT_DEPTH {
                        return None;
                    }
                    stack[depth] = (col, dash);
                    depth += 1;
                }
            } else if let Some(p) = scalar.take() {
                if col > p {
                    return None;
                }
            }
            // The frame this line belongs to: a mapping ends at a line left
            // of it, a sequence also at a line of its column that is no item.
            loop {
                if depth == 0 {
                    return Some(resume);
                }
                let (c, seq) = stack[depth - 1];
                if c > col || (c == col && seq && !dash) {
                    depth -= 1;
                    continue;
                }
                if c < col || seq != dash {
                    return None;
                }
                break;
            }
            if dash {
                let v = i + 1 + b[i + 1..end].iter().take_while(|&&c| c == b' ').count();
                if v == end {
                    open = Some((col, false));
                } else if b[v] == b'-' && (v + 1 == end || b[v + 1] == b' ') {
                    return None;
                } else {
                    match flat_line(b, v, end)? {
                        // `- key…`: a mapping whose keys are at its column.
                        key @ (Flat::Open | Flat::KeyScalar) => {
                            if depth == FLAT_DEPTH {
                                return None;
                            }
                            stack[depth] = (v - start, false);
                            depth += 1;
                            if matches!(key, Flat::Open) {
                                open = Some((v - start, true));
                            } else {
                                scalar = Some(v - start);
                            }
                        }
                        Flat::Scalar => scalar = Some(col),
                    }
                }
            } else {
                match flat_line(b, i, end)? {
                    Flat::KeyScalar => scalar = Some(col),
                    Flat::Open => open = Some((col, true)),
                    Flat::Scalar => return None,
                }
            }
            resume = (pos, lines);
        }
        Some(resume)
    }
}

/// Where the flat skip resumes after the value of the key on `body`'s
/// first line (at column 0, with nothing after its `:`); `None` when it
/// leaves the subtree to the exact reader.
#[cfg(test)]
pub(super) fn flat_skip_end(body: &str) -> Option<usize> {
    let mut p = P {
        s: body,
        next: 0,
        cur: None,
        lines: 0,
    };
    p.peek().ok()??;
    p.skip_flat(0).map(|(next, _)| next)
}

/// What the flat skip found on a line from a content start.
enum Flat {
    /// `key:` with nothing after it.
    Open,
    /// `key: value` with a simple one-line value.
    KeyScalar,
    /// A simple one-line scalar, no key.
    Scalar,
}

/// The line `b[i..end]` in one of the flat skip's simple forms, or `None`
/// when it is not sure of it.
fn flat_line(b: &[u8], i: usize, end: usize) -> Option<Flat> {
    if !plain_can_start(b, i, end) {
        return (simple_quoted(b, i, end) || empty_flow(b, i, end)).then_some(Flat::Scalar);
    }
    let mut k = i;
    while k < end {
        match b[k] {
            b'\t' => return None,
            b'#' if b[k - 1] == b' ' => return None,
            b':' if k + 1 == end || b[k + 1] == b' ' => {
                let key = &b[i..k];
                if key.len() > MAX_KEY || key.trim_ascii_end() == b"<<" {
                    return None;
                }
                let v = k + 1 + b[k + 1..end].iter().take_while(|&&c| c == b' ').count();
                if v == end {
                    return Some(Flat::Open);
                }
                return flat_value(b, v, end).then_some(Flat::KeyScalar);
            }
            _ => {}
        }
        k += 1;
    }
    Some(Flat::Scalar)
}

/// Whether a value from `v` is a one-line plain scalar the exact reader
/// takes as it is (no `: `, comment or tab in it), or `{}`/`[]`.
fn flat_value(b: &[u8], v: usize, end: usize) -> bool {
    if !plain_can_start(b, v, end) {
        return simple_quoted(b, v, end) || empty_flow(b, v, end);
    }
    let mut k = v;
    while k < end {
        match b[k] {
            b'\t' => return false,
            b'#' if b[k - 1] == b' ' => return false,
            b':' if k + 1 == end || b[k + 1] == b' ' => return false,
            _ => {}
        }
        k += 1;
    }
    true
}

/// A quoted scalar closing on its line with no escape (`\\` or `''`) in
/// it, then only spaces.
fn simple_quoted(b: &[u8], i: usize, end: usize) -> bool {
    let q = b[i];
    let hit = match q {
        b'"' => memchr::memchr2(b'"', b'\\', &b[i + 1..end]),
        b'\'' => memchr::memchr(b'\'', &b[i + 1..end]),
        _ => return false,
    };
    let Some(k) = hit.map(|k| i + 1 + k) else {
        return false;
    };
    b[k] == q && b[k + 1..end].iter().all(|&c| c == b' ')
}

/// `{}` or `[]` then only spaces.
fn empty_flow(b: &[u8], i: usize, end: usize) -> bool {
    let close = match b[i] {
        b'{' => b'}',
        b'[' => b']',
        _ => return false,
    };
    i + 1 < end && b[i + 1] == close && b[i + 2..end].iter().all(|&c| c == b' ')
}

/// Whether `b[from..end]` is only spaces, or spaces then a comment.
fn rest_is_blank(b: &[u8], from: usize, end: usize) -> bool {
    let k = from + b[from..end].iter().take_while(|&&c| c == b' ').count();
    k == end || (b[k] == b'#' && k > from)
}

/// Whether a plain scalar (or key) may start at `i`.
fn plain_can_start(b: &[u8], i: usize, end: usize) -> bool {
    match b[i] {
        b'-' | b'?' | b':' => i + 1 < end && b[i + 1] != b' ',
        b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\''
        | b'"' | b'%' | b'@' | b'`' | b'\t' => false,
        _ => true,
    }
}

/// One line of a plain scalar from `i`: up to a comment, trailing spaces
/// trimmed. A `: ` inside is a YAML error the full parser reports.
fn plain_line(s: &str, i: usize, end: usize) -> R<&str> {
    let b = s.as_bytes();
    let mut stop = end;
    let mut from = i;
    while let Some(k) = memchr::memchr2(b':', b'#', &b[from..end]) {
        let k = from + k;
        if b[k] == b'#' {
            if matches!(b[k - 1], b' ' | b'\t') {
                stop = k;
                break;
            }
        } else if k + 1 == end || matches!(b[k + 1], b' ' | b'\t') {
            return Err(Fallback("`: ` inside a plain scalar"));
        }
        from = k + 1;
    }
    Ok(s[i..stop].trim_end_matches([' ', '\t']))
}

/// A quoted scalar closing on its own line: its text and the position
/// after the closing quote; `None` when it goes on to the next line.
fn quoted_one_line(s: &str, i: usize, end: usize) -> R<Option<(Cow<'_, str>, usize)>> {
    let b = s.as_bytes();
    let q = b[i];
    let mut from = i + 1;
    let mut simple = true;
    loop {
        let hit = if q == b'\'' {
            memchr::memchr(b'\'', &b[from..end])
        } else {
            memchr::memchr2(b'"', b'\\', &b[from..end])
        };
        let Some(k) = hit else { return Ok(None) };
        let k = from + k;
        if q == b'\'' && k + 1 < end && b[k + 1] == b'\'' {
            simple = false;
            from = k + 2;
            continue;
        }
        if b[k] == b'\\' {
            simple = false;
            if k + 1 >= end {
                return Ok(None);
            }
            from = k + 1 + escape_len(b, k + 1, end)?;
            continue;
        }
        let raw = &s[i + 1..k];
        let text = if simple {
            Cow::Borrowed(raw)
        } else if q == b'\'' {
            Cow::Owned(raw.replace("''", "'"))
        } else {
            Cow::Owned(unescape(raw)?)
        };
        return Ok(Some((text, k + 1)));
    }
}

/// Length of the escape after a backslash at `j - 1` (the character at
/// `j` and its hex digits).
fn escape_len(b: &[u8], j: usize, end: usize) -> R<usize> {
    let digits = match b[j] {
        b'x' => 2,
        b'u' => 4,
        b'U' => 8,
        b'0' | b'a' | b'b' | b't' | b'\t' | b'n' | b'v' | b'f' | b'r' | b'e' | b' ' | b'"'
        | b'/' | b'\\' | b'N' | b'_' | b'L' | b'P' => 0,
        _ => return Err(Fallback("unknown escape")),
    };
    if j + 1 + digits > end || !b[j + 1..j + 1 + digits].iter().all(u8::is_ascii_hexdigit) {
        return Err(Fallback("bad hex escape"));
    }
    Ok(1 + digits)
}

/// The text of a one-line double-quoted scalar's inside.
fn unescape(raw: &str) -> R<String> {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.char_indices();
    while let Some((_, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some((k, e)) = chars.next() else {
            return Err(Fallback("backslash at the end"));
        };
        let hex = |n: usize| -> R<char> {
            let h = raw
                .get(k + 1..k + 1 + n)
                .ok_or(Fallback("bad hex escape"))?;
            let v = u32::from_str_radix(h, 16).map_err(|_| Fallback("bad hex escape"))?;
            char::from_u32(v).ok_or(Fallback("escape that is no character"))
        };
        let d = match e {
            '0' => '\0',
            'a' => '\u{7}',
            'b' => '\u{8}',
            't' | '\t' => '\t',
            'n' => '\n',
            'v' => '\u{b}',
            'f' => '\u{c}',
            'r' => '\r',
            'e' => '\u{1b}',
            ' ' => ' ',
            '"' => '"',
            '/' => '/',
            '\\' => '\\',
            'N' => '\u{85}',
            '_' => '\u{a0}',
            'L' => '\u{2028}',
            'P' => '\u{2029}',
            'x' | 'u' | 'U' => {
                let n = match e {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let c = hex(n)?;
                for _ in 0..n {
                    chars.next();
                }
                c
            }
            _ => return Err(Fallback("unknown escape")),
        };
        out.push(d);
    }
    Ok(out)
}

/// A quoted scalar over several lines, opening at `i`: its folded text
/// (empty when not `want`ed) and the position after its closing quote.
/// Continuation lines must be indented past `parent`.
fn quoted_lines(s: &str, i: usize, parent: usize, want: bool) -> R<(Cow<'_, str>, usize)> {
    let b = s.as_bytes();
    let q = b[i];
    let mut out = String::new();
    // Length of `out` without the trailing spaces a fold would drop.
    let mut keep = 0;
    let mut k = i + 1;
    while k < b.len() {
        let c = b[k];
        if c == q {
            if q == b'\'' && b.get(k + 1) == Some(&b'\'') {
                if want {
                    out.push('\'');
                    keep = out.len();
                }
                k += 2;
                continue;
            }
            return Ok((Cow::Owned(out), k + 1));
        }
        if c == b'\\' && q == b'"' {
            if b.get(k + 1) == Some(&b'\n') {
                // An escaped line break: joined without a space.
                let (next, blanks) = skip_fold(b, k + 2, parent)?;
                if blanks > 0 {
                    return Err(Fallback("blank line after an escaped line break"));
                }
                keep = out.len();
                k = next;
                continue;
            }
            if k + 1 >= b.len() {
                return Err(Fallback("unclosed quoted scalar"));
            }
            let n = escape_len(b, k + 1, b.len())?;
            if want {
                out.push_str(&unescape(&s[k..k + 1 + n])?);
                keep = out.len();
            }
            k += 1 + n;
            continue;
        }
        if c == b'\n' {
            let (next, blanks) = skip_fold(b, k + 1, parent)?;
            if want {
                out.truncate(keep);
                if blanks == 0 {
                    out.push(' ');
                } else {
                    out.extend(std::iter::repeat_n('\n', blanks));
                }
                keep = out.len();
            }
            k = next;
            continue;
        }
        // Copy a run of ordinary characters at once.
        let run_end = b[k..]
            .iter()
            .position(|&x| x == q || x == b'\n' || (x == b'\\' && q == b'"'))
            .map_or(b.len(), |r| k + r);
        if want {
            let run = &s[k..run_end];
            out.push_str(run);
            let trimmed = run.trim_end_matches([' ', '\t']);
            if !trimmed.is_empty() {
                keep = out.len() - (run.len() - trimmed.len());
            }
        }
        k = run_end;
    }
    Err(Fallback("unclosed quoted scalar"))
}

/// After a line break inside a quoted scalar: skips blank lines and the
/// next line's indentation; gives the position of its first character and
/// the number of blank lines.
fn skip_fold(b: &[u8], mut k: usize, parent: usize) -> R<(usize, usize)> {
    let mut blanks = 0;
    loop {
        let start = k;
        while k < b.len() && b[k] == b' ' {
            k += 1;
        }
        if k < b.len() && b[k] == b'\t' {
            return Err(Fallback("tab in a quoted scalar's indentation"));
        }
        if k < b.len() && b[k] == b'\n' {
            blanks += 1;
            k += 1;
            continue;
        }
        if k - start <= parent {
            return Err(Fallback("quoted scalar's line not indented"));
        }
        return Ok((k, blanks));
    }
}

/// Whether a plain scalar certainly resolves to a string equal to its
/// text: not null, a boolean (YAML 1.1 words included) or a number.
fn plain_is_word(t: &str) -> bool {
    let b = t.as_bytes();
    let Some(&c) = b.first() else { return false };
    if c.is_ascii_alphabetic() {
        if t.len() <= 8 {
            let lower = t.to_ascii_lowercase();
            return !matches!(
                lower.as_str(),
                "true"
                    | "false"
                    | "yes"
                    | "no"
                    | "on"
                    | "off"
                    | "y"
                    | "n"
                    | "null"
                    | "inf"
                    | "infinity"
                    | "nan"
            );
        }
        return true;
    }
    if c.is_ascii_digit() {
        // `0x1F`, `0o17`, `0b101` are numbers; `0bdcee66-…` (a uid) is not.
        let radix = match b.get(1) {
            Some(b'x' | b'X') if c == b'0' => Some(16),
            Some(b'o' | b'O') if c == b'0' => Some(8),
            Some(b'b' | b'B') if c == b'0' => Some(2),
            _ => None,
        };
        if let Some(r) = radix {
            return !b[2..]
                .iter()
                .all(|&x| x == b'_' || char::from(x).is_digit(r));
        }
        return b
            .iter()
            .any(|&x| !matches!(x, b'0'..=b'9' | b'_' | b'.' | b'+' | b'-' | b'e' | b'E'));
    }
    // `/path`, `(x)`, non-ASCII …; but not signs, dots, `~`.
    !matches!(c, b'+' | b'-' | b'.' | b'~') && c.is_ascii_graphic() || !c.is_ascii()
}

/// A plain scalar read as [`Str`].
fn plain_str(t: Cow<'_, str>) -> R<Str<'_>> {
    if is_null(&t) {
        return Ok(Str(None));
    }
    if plain_is_word(&t) {
        return Ok(Str(Some(t)));
    }
    Err(Fallback("plain scalar of uncertain type"))
}

fn is_null(t: &str) -> bool {
    matches!(t, "" | "~" | "null" | "Null" | "NULL")
}

/// A plain scalar read as [`Int`].
fn plain_int(t: &str) -> R<Int> {
    if is_null(t) {
        return Ok(Int(None));
    }
    let digits = t.strip_prefix('-').unwrap_or(t);
    let canonical = !digits.is_empty()
        && digits.len() <= 18
        && digits.bytes().all(|c| c.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'));
    if canonical && t != "-0" {
        return Ok(Int(t.parse().ok()));
    }
    Err(Fallback("integer of uncertain form"))
}

/// A plain scalar read as [`Bool`].
fn plain_bool(t: &str) -> R<Bool> {
    match t {
        "true" | "True" | "TRUE" => Ok(Bool(Some(true))),
        "false" | "False" | "FALSE" => Ok(Bool(Some(false))),
        _ if is_null(t) => Ok(Bool(None)),
        _ => Err(Fallback("boolean of uncertain form")),
    }
}

/// A value about to be read, of a key or of a sequence item.
struct Val<'p, 'a> {
    p: &'p mut P<'a>,
    l: Line,
    from: usize,
    parent: usize,
    in_map: bool,
}

impl<'a> Val<'_, 'a> {
    fn shape(&mut self, want: bool) -> R<Shape<'a>> {
        self.p
            .value(self.l, self.from, self.parent, self.in_map, want)
    }

    /// Reads a collection the caller does not want.
    fn drain(p: &mut P<'a>, shape: Shape<'a>) -> R<()> {
        match shape {
            Shape::Map(c) => p.map(c, &mut Skip),
            Shape::Seq(c) => p.seq(c, |v| v.skip()),
            _ => Ok(()),
        }
    }

    fn skip(mut self) -> R<()> {
        let b = self.p.bytes();
        if self.in_map && b[self.from..self.l.end].iter().all(|&c| c == b' ') {
            return self.p.skip_nested(self.parent);
        }
        let shape = self.shape(false)?;
        Self::drain(self.p, shape)
    }

    fn str(mut self) -> R<Str<'a>> {
        Ok(match self.shape(true)? {
            Shape::Plain(t) => plain_str(t)?,
            Shape::Text(t) => Str(Some(t)),
            other => {
                Self::drain(self.p, other)?;
                Str(None)
            }
        })
    }

    fn int(mut self) -> R<Int> {
        Ok(match self.shape(true)? {
            Shape::Plain(t) => plain_int(&t)?,
            Shape::Text(t) => Int(t.trim().parse().ok()),
            other => {
                Self::drain(self.p, other)?;
                Int(None)
            }
        })
    }

    fn bool(mut self) -> R<Bool> {
        Ok(match self.shape(true)? {
            Shape::Plain(t) => plain_bool(&t)?,
            Shape::Text(t) => {
                let t = t.trim();
                Bool(if t.eq_ignore_ascii_case("true") {
                    Some(true)
                } else if t.eq_ignore_ascii_case("false") {
                    Some(false)
                } else {
                    None
                })
            }
            other => {
                Self::drain(self.p, other)?;
                Bool(None)
            }
        })
    }

    fn present(self) -> R<Present> {
        self.skip().map(|()| Present(true))
    }

    fn obj<T: Fields<'a>>(mut self) -> R<Obj<T>> {
        Ok(match self.shape(false)? {
            Shape::Map(c) => {
                let mut t = T::default();
                self.p.map(c, &mut t)?;
                Obj(Some(t))
            }
            Shape::EmptyMap => Obj(Some(T::default())),
            other => {
                Self::drain(self.p, other)?;
                Obj(None)
            }
        })
    }

    fn list<T: Fields<'a>>(mut self) -> R<List<Obj<T>>> {
        Ok(match self.shape(false)? {
            Shape::Seq(c) => {
                let mut out = Vec::new();
                self.p.seq(c, |v| {
                    out.push(v.obj::<T>()?);
                    Ok(())
                })?;
                List(out)
            }
            other => {
                Self::drain(self.p, other)?;
                List(Vec::new())
            }
        })
    }
}

/// A mapping read into a struct: which keys it takes and how.
trait Fields<'a>: Default {
    /// Keys of a struct read by serde's derive: plain keys that are not
    /// words could be matched in ways only the full parser knows.
    const TYPED: bool = true;
    /// The slot (below 32) of a key it reads.
    fn slot(key: &str) -> Option<u8>;
    /// Reads the value of the key in `slot`.
    fn read(&mut self, slot: u8, v: Val<'_, 'a>) -> R<()>;
}

/// A mapping nobody reads.
#[derive(Default)]
struct Skip;

impl Fields<'_> for Skip {
    const TYPED: bool = false;
    fn slot(_: &str) -> Option<u8> {
        None
    }
    fn read(&mut self, _: u8, v: Val<'_, '_>) -> R<()> {
        v.skip()
    }
}

/// Slots of the keys of a [`Doc`] (`items` is read by the callers).
fn doc_slot(key: &str) -> Option<u8> {
    Some(match key {
        "kind" => 0,
        "apiVersion" => 1,
        "metadata" => 2,
        "spec" => 3,
        "status" => 4,
        "items" => 5,
        "name" => 6,
        "state" => 7,
        "lastState" => 8,
        "containerStatuses" => 9,
        "initContainerStatuses" => 10,
        "phase" => 11,
        _ => return None,
    })
}

fn doc_read<'a>(d: &mut Doc<'a>, slot: u8, v: Val<'_, 'a>) -> R<()> {
    match slot {
        0 => d.kind = v.str()?,
        1 => d.api_version = v.str()?,
        2 => d.metadata = v.obj()?,
        3 => d.spec = v.obj()?,
        4 => d.status = v.obj()?,
        5 => d.items = v.list()?,
        6 => d.name = v.present()?,
        7 => d.state = v.present()?,
        8 => d.last_state = v.present()?,
        9 => d.container_statuses = v.present()?,
        10 => d.init_container_statuses = v.present()?,
        _ => d.phase = v.present()?,
    }
    Ok(())
}

impl<'a> Fields<'a> for Doc<'a> {
    fn slot(key: &str) -> Option<u8> {
        doc_slot(key)
    }
    fn read(&mut self, slot: u8, v: Val<'_, 'a>) -> R<()> {
        doc_read(self, slot, v)
    }
}

/// The top-level mapping: as [`Doc`], but its `items` are kept apart, as
/// the full parser's reader hands them on one by one.
#[derive(Default)]
struct TopDoc<'a> {
    doc: Doc<'a>,
    items: Option<Vec<Obj<Doc<'a>>>>,
}

impl<'a> Fields<'a> for TopDoc<'a> {
    // The reader there takes keys as text, not through a derive.
    const TYPED: bool = false;
    fn slot(key: &str) -> Option<u8> {
        doc_slot(key)
    }
    fn read(&mut self, slot: u8, mut v: Val<'_, 'a>) -> R<()> {
        if slot != 5 {
            return doc_read(&mut self.doc, slot, v);
        }
        let mut items = Vec::new();
        match v.shape(false)? {
            Shape::Seq(c) => v.p.seq(c, |item| {
                items.push(item.obj::<Doc>()?);
                Ok(())
            })?,
            other => Val::drain(v.p, other)?,
        }
        self.items = Some(items);
        Ok(())
    }
}

/// `impl Fields` for a struct from `key => slot: how` lines.
macro_rules! fields {
    ($ty:ident { $($key:literal => $slot:literal : $field:ident . $how:ident),* $(,)? }) => {
        impl<'a> Fields<'a> for $ty<'a> {
            fn slot(key: &str) -> Option<u8> {
                match key {
                    $($key => Some($slot),)*
                    _ => None,
                }
            }
            fn read(&mut self, slot: u8, v: Val<'_, 'a>) -> R<()> {
                match slot {
                    $($slot => self.$field = v.$how()?,)*
                    _ => v.skip()?,
                }
                Ok(())
            }
        }
    };
}

fields!(Meta {
    "name" => 0: name.str,
    "namespace" => 1: namespace.str,
    "uid" => 2: uid.str,
});

fields!(PodSpec {
    "nodeName" => 0: node_name.str,
    "initContainers" => 1: init_containers.list,
    "containers" => 2: containers.list,
    "ephemeralContainers" => 3: ephemeral_containers.list,
});

fields!(SpecContainer {
    "name" => 0: name.str,
    "image" => 1: image.str,
});

fields!(PodStatus {
    "phase" => 0: phase.str,
    "reason" => 1: reason.str,
    "initContainerStatuses" => 2: init_container_statuses.list,
    "containerStatuses" => 3: container_statuses.list,
    "ephemeralContainerStatuses" => 4: ephemeral_container_statuses.list,
});

fields!(ContainerStatus {
    "name" => 0: name.str,
    "state" => 1: state.obj,
    "lastState" => 2: last_state.obj,
    "ready" => 3: ready.bool,
    "restartCount" => 4: restart_count.int,
    "image" => 5: image.str,
    "containerID" => 6: container_id.str,
});

fields!(ContainerState {
    "waiting" => 0: waiting.obj,
    "running" => 1: running.obj,
    "terminated" => 2: terminated.obj,
});

fields!(Waiting {
    "reason" => 0: reason.str,
    "message" => 1: message.str,
});

fields!(Running {
    "startedAt" => 0: started_at.str,
});

fields!(Terminated {
    "exitCode" => 0: exit_code.int,
    "signal" => 1: signal.int,
    "reason" => 2: reason.str,
    "message" => 3: message.str,
    "startedAt" => 4: started_at.str,
    "finishedAt" => 5: finished_at.str,
});
