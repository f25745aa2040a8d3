//! The repairs as they were before lines were borrowed (issue 12), kept
//! only for tests: `repair` must give byte for byte what this gives. Only
//! the passes over the line list are the old code; the line splitters they
//! call did not change and are the module's own.

use super::{split_json_line, split_line, split_listing_line, starts_with_key};

/// One line being repaired.
#[derive(Debug, Clone)]
struct Line {
    text: String,
    origin: (u64, u64),
}

/// A repaired text and, per line, its (1-based line, byte offset) in the
/// input: what [`super::Repaired`] holds.
pub type Repaired = (Vec<u8>, Vec<(u64, u64)>);

/// Repairs `text` when it is damaged in a way this module knows.
pub fn repair(text: &[u8]) -> Option<Repaired> {
    if text.len() > super::REPAIR_MAX {
        return None;
    }
    let text = std::str::from_utf8(text).ok()?;
    let mut lines = Vec::new();
    let mut off = 0u64;
    for (i, raw) in text.split_inclusive('\n').enumerate() {
        let body = raw.trim_end_matches('\n');
        let body = body.strip_suffix('\r').unwrap_or(body);
        lines.push(Line {
            text: body.to_string(),
            origin: (i as u64 + 1, off),
        });
        off += raw.len() as u64;
    }
    let mut changed = false;
    for _ in 0..4 {
        if !unquote(&mut lines) {
            break;
        }
        changed = true;
    }
    changed |= unquote_collapsed(&mut lines);
    changed |= unwrap_table(&mut lines);
    // Table rows are often as long as each other: a table is only unwrapped
    // when its header shows the terminal's width (above).
    let table = !crate::format::listing::header_starts(text.as_bytes()).is_empty()
        || lines
            .iter()
            .any(|l| crate::format::kubectl_get::is_headerless_row(l.text.as_bytes()));
    if !table {
        changed |= unwrap(&mut lines);
    }
    changed |= split_lines(&mut lines, split_line);
    changed |= split_lines(&mut lines, split_json_line);
    changed |= split_lines(&mut lines, split_listing_line);
    if !changed {
        return None;
    }
    let mut out = Vec::with_capacity(text.len());
    let mut origin = Vec::with_capacity(lines.len());
    for l in &lines {
        out.extend_from_slice(l.text.as_bytes());
        out.push(b'\n');
        origin.push(l.origin);
    }
    Some((out, origin))
}

/// A quoted reply or a commented-out paste: nearly every non-blank line
/// starts with `>` (or `# `). One level of marks (and the space after
/// each) is taken off.
fn unquote(lines: &mut [Line]) -> bool {
    let nonblank = lines.iter().filter(|l| !l.text.trim().is_empty()).count();
    if nonblank < 2 {
        return false;
    }
    for mark in [">", "# "] {
        let quoted = lines
            .iter()
            .filter(|l| {
                let t = l.text.trim_start();
                t.starts_with(mark) || (mark == "# " && t == "#")
            })
            .count();
        if quoted * 10 < nonblank * 9 {
            continue;
        }
        let mark = mark.trim_end();
        for l in lines.iter_mut() {
            let t = l.text.trim_start();
            if let Some(rest) = t.strip_prefix(mark) {
                l.text = rest.strip_prefix(' ').unwrap_or(rest).to_string();
            }
        }
        return true;
    }
    false
}

/// A quoted or commented-out reply collapsed onto one line: it starts with
/// the mark and the mark recurs between the fields (`> Name: a > Namespace:
/// b > …`), at least five times. Every mark is taken off.
fn unquote_collapsed(lines: &mut [Line]) -> bool {
    let mut changed = false;
    for l in lines.iter_mut() {
        for mark in ["> ", "# "] {
            let inner = format!(" {mark}");
            if l.text.len() >= 100
                && l.text.starts_with(mark)
                && l.text.matches(&inner).count() >= 5
            {
                l.text = l.text[mark.len()..].replace(&inner, " ");
                changed = true;
            }
        }
    }
    changed
}

/// Lines a terminal cut at its width: at least two lines are exactly as
/// long as the longest (at least 60 columns), and each such line is joined
/// with the next.
fn unwrap(lines: &mut Vec<Line>) -> bool {
    let widths: Vec<usize> = lines.iter().map(|l| l.text.chars().count()).collect();
    let Some(&w) = widths.iter().max() else {
        return false;
    };
    let full = widths.iter().filter(|&&n| n == w).count();
    let near = widths.iter().filter(|&&n| n + 6 >= w && n < w).count();
    if w < 60 || full < 2 || near > full {
        return false;
    }
    // A piece a terminal carried over starts inside a value: not blank,
    // not indented, not a new key, brace or list item.
    let carried = |l: &Line| {
        let t = l.text.as_str();
        !t.is_empty()
            && !t.starts_with([' ', '\t', '{', '}', '[', ']', '"', '-', '#', '$'])
            && !starts_with_key(t)
    };
    // A cut inside the padding after a label (`Exit Code:` + blanks | blanks
    // + `137`) leaves blanks at the end of the line or at the start of
    // the next: the next line then holds the value, not a new key.
    let in_padding = |l: &Line| {
        let t = l.text.trim_end();
        l.text.ends_with([' ', '\t']) || (t.ends_with(':') && starts_with_key(t.trim_start()))
    };
    let value_after_blanks = |l: &Line| {
        let t = l.text.trim_start();
        !t.is_empty() && !starts_with_key(t)
    };
    let joins: Vec<bool> = (0..lines.len())
        .map(|i| {
            widths[i] == w
                && lines.get(i + 1).is_some_and(|next| {
                    carried(next) || (in_padding(&lines[i]) && value_after_blanks(next))
                })
        })
        .collect();
    if joins.iter().filter(|&&j| j).count() < 2 {
        return false;
    }
    join_lines(lines, &joins);
    true
}

/// Joins each line whose `joins` flag is set with the line after it.
fn join_lines(lines: &mut Vec<Line>, joins: &[bool]) {
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    let mut joining = false;
    for (l, &join) in lines.drain(..).zip(joins) {
        if joining && let Some(prev) = out.last_mut() {
            prev.text.push_str(&l.text);
        } else {
            out.push(l);
        }
        joining = join;
    }
    *lines = out;
}

/// A listing copied from a terminal narrower than the table: its header
/// line is exactly as wide as the widest line and ends in header words
/// carried to the next line (`… CREATED   STATUS` | `   PORTS   NAMES`).
/// That proves the width; the header is joined, and so is every line that
/// wide with the next, unless the next starts a row, a header or a command.
fn unwrap_table(lines: &mut Vec<Line>) -> bool {
    use crate::format::listing::{command, header_word, words};
    let widths: Vec<usize> = lines.iter().map(|l| l.text.chars().count()).collect();
    let Some(&w) = widths.iter().max() else {
        return false;
    };
    let is_header = |t: &str| {
        crate::format::docker_ps::is_header(t.as_bytes())
            || crate::format::kubectl_get::is_header(t.as_bytes())
    };
    let header_rest = |t: &str| {
        let ws = words(t);
        !ws.is_empty() && ws.iter().all(|&(_, w)| header_word(w))
    };
    let wrapped_header = |i: usize| {
        widths[i] == w
            && lines.get(i + 1).is_some_and(|next| {
                header_rest(&next.text) && is_header(&format!("{}{}", lines[i].text, next.text))
            })
    };
    if w < 60 || !(0..lines.len()).any(wrapped_header) {
        return false;
    }
    let row_start = |t: &str| {
        let first = t.split_whitespace().next().unwrap_or("");
        let hex_id = (first.len() == 12 || first.len() == 64)
            && first.bytes().all(|c| c.is_ascii_hexdigit());
        hex_id || crate::format::kubectl_get::is_headerless_row(t.as_bytes())
    };
    let joins: Vec<bool> = (0..lines.len())
        .map(|i| {
            wrapped_header(i)
                || (widths[i] == w
                    && lines.get(i + 1).is_some_and(|next| {
                        let t = next.text.as_str();
                        !t.trim().is_empty()
                            && !is_header(t)
                            && !row_start(t)
                            && command(t).is_none()
                    }))
        })
        .collect();
    join_lines(lines, &joins);
    true
}

/// Replaces each line that `split` cuts into pieces by those pieces; every
/// piece keeps its line's origin. True when a line was cut.
fn split_lines(lines: &mut Vec<Line>, split: impl Fn(&str) -> Option<Vec<String>>) -> bool {
    let mut changed = false;
    let mut out = Vec::with_capacity(lines.len());
    for l in lines.drain(..) {
        match split(&l.text) {
            Some(pieces) => {
                changed = true;
                out.extend(pieces.into_iter().map(|text| Line {
                    text,
                    origin: l.origin,
                }));
            }
            None => out.push(l),
        }
    }
    *lines = out;
    changed
}
